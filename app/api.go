package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"copylab/experiments"
)

// The JSON API's wire types. Field names follow DESIGN.md; times are RFC
// 3339 in UTC, null when not set.

type apiSite struct {
	ID         string    `json:"id"`
	Key        string    `json:"key"`
	Name       string    `json:"name"`
	Domain     string    `json:"domain"`
	Snippet    string    `json:"snippet"`
	SnippetURL string    `json:"snippet_url"`
	CreatedAt  time.Time `json:"created_at"`
}

type apiVariant struct {
	Key       string `json:"key"`
	Text      string `json:"text"`
	WeightBP  int    `json:"weight_bp"`
	Source    string `json:"source"`
	Model     string `json:"model,omitempty"`
	Angle     string `json:"angle,omitempty"`
	Rationale string `json:"rationale,omitempty"`
	Edited    bool   `json:"edited"`
}

type apiExperiment struct {
	ID        string           `json:"id"`
	SiteID    string           `json:"site_id"`
	Name      string           `json:"name"`
	Page      string           `json:"page"`
	Selector  string           `json:"selector"`
	Goal      experiments.Goal `json:"goal"`
	TrafficBP int              `json:"traffic_bp"`
	Threshold float64          `json:"threshold"`
	Status    string           `json:"status"`
	Brief     json.RawMessage  `json:"brief,omitempty"`
	ShareURL  string           `json:"share_url"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
	StartedAt *time.Time       `json:"started_at"`
	EndedAt   *time.Time       `json:"ended_at"`
	// ShippedVariant is the version the tag shows every visitor ("" for
	// none), since ShippedAt: POST …/ship and …/unship.
	ShippedVariant string     `json:"shipped_variant"`
	ShippedAt      *time.Time `json:"shipped_at"`
	// SplitChangedAt is when the weights last changed after the start
	// (null: never); the split check counts visitors from the next day.
	SplitChangedAt *time.Time   `json:"split_changed_at"`
	Variants       []apiVariant `json:"variants"`
	ResultsURL     string       `json:"results_url"`
}

func (a *App) apiSiteOf(s experiments.Site) apiSite {
	return apiSite{ID: s.ID, Key: s.Key, Name: s.Name, Domain: s.Domain, Snippet: a.snippetTag(s.Key),
		SnippetURL: a.snippetURL(s.Key), CreatedAt: s.CreatedAt.UTC()}
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func (a *App) apiExperimentOf(e experiments.Experiment) apiExperiment {
	out := apiExperiment{
		ID: e.ID, SiteID: e.SiteID, Name: e.Name, Page: e.Page, Selector: e.Selector, Goal: e.Goal,
		TrafficBP: e.CoverageBP, Threshold: e.Threshold, Status: string(e.Status), ShareURL: a.shareURL(e),
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(), StartedAt: optTime(e.StartedAt), EndedAt: optTime(e.EndedAt),
		ShippedVariant: e.ShippedVariant, ShippedAt: optTime(e.ShippedAt),
		SplitChangedAt: optTime(e.SplitChangedAt),
		Variants:       make([]apiVariant, len(e.Variants)),
		ResultsURL:     a.cfg.PublicURL + "/api/v1/experiments/" + e.ID + "/results",
	}
	if b := strings.TrimSpace(e.Brief); b != "" && b != "{}" && json.Valid([]byte(b)) {
		out.Brief = json.RawMessage(b)
	}
	for i, v := range e.Variants {
		out.Variants[i] = apiVariant{Key: v.Key, Text: v.Text, WeightBP: v.WeightBP, Source: v.Source,
			Model: v.Model, Angle: v.Angle, Rationale: v.Rationale, Edited: v.Edited}
	}
	return out
}

// decodeJSON reads a JSON request body into v, strictly: one object, no
// unknown fields (a typo should fail loudly, not be ignored).
func decodeJSON(c *fiber.Ctx, v any) error {
	if ct := c.Get(fiber.HeaderContentType); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return &httpError{Status: http.StatusUnsupportedMediaType, Code: "unsupported_media_type", Message: "Send a JSON body with Content-Type: application/json."}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return errBadRequest("invalid_json", "", "Send exactly one JSON object.")
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF):
		return errBadRequest("invalid_json", "", "The body is empty; send a JSON object.")
	case errors.As(err, &te):
		return errBadRequest("invalid_json", te.Field, fmt.Sprintf("The field %q must be %s.", te.Field, jsonTypeName(te.Type.Kind().String())))
	case errors.As(err, &se):
		return errBadRequest("invalid_json", "", fmt.Sprintf("The body is not valid JSON (at byte %d).", se.Offset))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errBadRequest("unknown_field", field, fmt.Sprintf("The field %q is not part of this API.", field))
	}
	return errBadRequest("invalid_json", "", "The body is not valid JSON.")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "of another type"
}

// renameFields renames the fields of a validation error for the API, so
// that they match the API's own field names.
func renameFields(err error, rename map[string]string) error {
	var ve experiments.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	out := make(experiments.ValidationError, len(ve))
	for i, f := range ve {
		if to, ok := rename[f.Field]; ok {
			f.Field = to
		}
		out[i] = f
	}
	return out
}

// apiRoute is one path of the JSON API and the methods it takes.
type apiRoute struct {
	segments []string // ":name" matches any one segment
	methods  []string // sorted, HEAD included where Fiber adds it to GET
}

// apiRoutesOf reads the API's paths and methods from the routes registered
// so far (routes.go calls it after the API group), so the 405 answers and
// their Allow headers follow the route table by construction. The API's
// paths are plain segments and :params; a wildcard path is left out.
func apiRoutesOf(rs []fiber.Route) []apiRoute {
	byPath := map[string][]string{}
	var order []string
	for _, r := range rs {
		if !strings.HasPrefix(r.Path, "/api/") || strings.Contains(r.Path, "*") {
			continue
		}
		if _, ok := byPath[r.Path]; !ok {
			order = append(order, r.Path)
		}
		if !slices.Contains(byPath[r.Path], r.Method) {
			byPath[r.Path] = append(byPath[r.Path], r.Method)
		}
	}
	out := make([]apiRoute, 0, len(order))
	for _, p := range order {
		slices.Sort(byPath[p])
		out = append(out, apiRoute{segments: strings.Split(strings.TrimSuffix(p, "/"), "/"), methods: byPath[p]})
	}
	return out
}

// methodsFor returns the methods of the route path matches, or nil. Like
// the app's router (app.go), it is case-sensitive and ignores one trailing
// slash.
func methodsFor(routes []apiRoute, path string) []string {
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	segs := strings.Split(path, "/")
	for _, r := range routes {
		if len(r.segments) != len(segs) {
			continue
		}
		match := true
		for i, s := range r.segments {
			if strings.HasPrefix(s, ":") && segs[i] != "" || s == segs[i] {
				continue
			}
			match = false
			break
		}
		if match {
			return r.methods
		}
	}
	return nil
}

// apiNoRoute returns the handler of /api paths that no route took: a path
// of the API asked with another method answers 405 with an Allow header
// and the methods it takes, as Fiber answers for the other routes; any
// other path answers 404. Neither needs a token: the route table is the
// README's.
func apiNoRoute(routes []apiRoute) fiber.Handler {
	return func(c *fiber.Ctx) error {
		methods := methodsFor(routes, c.Path())
		if len(methods) == 0 {
			return newHTTPError(http.StatusNotFound, "not_found", "There is no such API route. See the HTTP section of the README.")
		}
		c.Set(fiber.HeaderAllow, strings.Join(methods, ", "))
		// HEAD goes with GET everywhere; the sentence names what a client
		// would choose between.
		named := slices.DeleteFunc(slices.Clone(methods), func(m string) bool { return m == fiber.MethodHead })
		return newHTTPError(http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s does not take %s; it takes %s. See the HTTP section of the README.", c.Path(), c.Method(), orList(named)))
	}
}

// orList joins words as a sentence does: "GET", "GET or POST", "DELETE,
// GET or PATCH".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
