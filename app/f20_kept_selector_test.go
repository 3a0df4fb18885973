package app

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// f20SubmitRefusal is the refusal of a tested input[type=submit].
const f20SubmitRefusal = `copylab's tag writes the copy as text, and an <input type="submit"> shows its value attribute, ` +
	`which copylab does not change: test the text of a <button> or <a> instead.`

// f20KeptInput makes a test on button.buy, started when start is set,
// and then writes input[type=submit] as its element with SQL, as a
// copylab before the rule on elements without text stored it.
func f20KeptInput(t *testing.T, e *env, siteID string, start bool) experiments.Experiment {
	t.Helper()
	x := e.experimentOn(siteID, "Buy", "/", "button.buy", "Buy now", "Get it today")
	if start {
		e.transition(x.ID, experiments.ActionStart)
	}
	db, err := sql.Open("sqlite3", "file:"+e.app.cfg.DBPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`update experiments set selector = 'input[type=submit]' where id = ?`, x.ID); err != nil {
		t.Fatal(err)
	}
	x, err = e.store.Experiment(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestF20APIKeptSelector: a test started with input[type=submit] before
// the rule renames, changes its traffic and planned stop, pauses,
// resumes and duplicates through the API. The duplicate saves its other
// fields and its element unchanged, refuses another element without
// text, and is refused at start with the sentence on selector.
func TestF20APIKeptSelector(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := f20KeptInput(t, e, site.ID, true)
	api := "/api/v1/experiments/" + x.ID
	stop := time.Now().UTC().AddDate(0, 0, 30).Format(time.RFC3339)
	for _, body := range []string{`{"name":"Buy button"}`, `{"traffic_bp":5000}`, `{"stops_at":"` + stop + `"}`} {
		resp, out := e.api("PATCH", api, tok, body)
		wantStatus(t, resp, http.StatusOK, body+": "+fmt.Sprint(out))
	}
	for _, action := range []string{"pause", "resume"} {
		resp, out := e.api("POST", api+"/"+action, tok, "")
		wantStatus(t, resp, http.StatusOK, action+": "+fmt.Sprint(out))
	}

	resp, out := e.api("POST", api+"/duplicate", tok, "")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if out["selector"] != "input[type=submit]" || out["status"] != "draft" {
		t.Fatalf("duplicate: %v", out)
	}
	dup := "/api/v1/experiments/" + out["id"].(string)
	for _, body := range []string{`{"name":"Buy button, again"}`, `{"selector":"input[type=submit]","traffic_bp":4000}`} {
		resp, out := e.api("PATCH", dup, tok, body)
		wantStatus(t, resp, http.StatusOK, body+": "+fmt.Sprint(out))
	}
	// A goal refused beside the element sent as it is names the goal
	// only.
	resp, out = e.api("PATCH", dup, tok, `{"selector":"input[type=submit]","goal":{"type":"click","selector":"#buy","url":"/thanks"}}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	for _, f := range out["errors"].([]any) {
		if field := f.(map[string]any)["field"]; field == "selector" {
			t.Errorf("goal with the kept element: error on %v: %v", field, f)
		}
	}
	resp, out = e.api("PATCH", dup, tok, `{"selector":"input[type=checkbox]"}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if msg := out["error"].(map[string]any)["message"]; msg != `copylab's tag writes the copy as text, and an <input type="checkbox"> shows no text of its own: test the text of its <label> instead.` {
		t.Errorf("check box: %q", msg)
	}

	resp, out = e.api("POST", dup+"/start", tok, "")
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if code, field := errorShape(t, out); code != "invalid_selector" || field != "selector" {
		t.Errorf("start: code %s field %s", code, field)
	}
	if msg := out["error"].(map[string]any)["message"]; msg != f20SubmitRefusal {
		t.Errorf("start: %q", msg)
	}

	// The original stops; a rename then hears what every stopped test's does.
	resp, out = e.api("POST", api+"/stop", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, out = e.api("PATCH", api, tok, `{"name":"Renamed"}`)
	if code, _ := errorShape(t, out); code != "experiment_stopped" {
		t.Errorf("rename after the stop: %d %v", resp.StatusCode, out)
	}
}

// TestF20FormsKeptSelector: the edit form of such a running test saves a
// new name, and a mistake elsewhere does not bring the element's
// refusal along; Duplicate makes a draft whose Start leads to the edit
// form with the sentence beside the element, which saves with the
// element kept and takes another one.
func TestF20FormsKeptSelector(t *testing.T) {
	e := newEnv(t)
	ann := e.signIn("ann@example.com")
	site := e.site("Shop")
	x := f20KeptInput(t, e, site.ID, true)
	edit := "/experiments/" + x.ID + "/edit"

	form := h7OpenEdit(t, ann, x.ID)
	form.Set("variants[1].weight", "half")
	resp, body := ann.post(edit, form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "Enter a percentage from 0 to 100")
	wantNotContains(t, body, "copylab&#39;s tag", `id="f-selector-error"`)

	form = h7OpenEdit(t, ann, x.ID)
	form.Set("name", "Buy button")
	if got := flashText(flashAfter(t, ann, edit, form)); got != "Changes saved." {
		t.Errorf("rename: flash %q", got)
	}

	ann.get("/experiments/" + x.ID)
	resp, body = ann.post("/experiments/"+x.ID+"/duplicate", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/")
	d, err := e.store.Experiment(context.Background(), id)
	if err != nil || d.Selector != "input[type=submit]" {
		t.Fatalf("duplicate at %q: %q, %v", id, d.Selector, err)
	}
	_, body = ann.get("/experiments/" + d.ID)
	wantContains(t, body, html.EscapeString("It needs another element before it can start. "+f20SubmitRefusal))

	resp, body = ann.post("/experiments/"+d.ID+"/start", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != "/experiments/"+d.ID+"/edit?start=1" {
		t.Fatalf("start went to %q", loc)
	}
	_, body = ann.get(resp.Header.Get("Location"))
	wantContains(t, body, `id="f-selector-error"`, html.EscapeString(f20SubmitRefusal),
		"This draft cannot start yet: it needs another element.")

	dedit := "/experiments/" + d.ID + "/edit"
	form = h7OpenEdit(t, ann, d.ID)
	form.Set("name", "Buy button, again")
	if got := flashText(flashAfter(t, ann, dedit, form)); got != "Changes saved. It still needs another element before it can start." {
		t.Errorf("draft rename: flash %q", got)
	}
	form = h7OpenEdit(t, ann, d.ID)
	form.Set("selector", "input.buy")
	resp, body = ann.post(dedit, form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, html.EscapeString("an <input> shows no text of its own"))

	form = h7OpenEdit(t, ann, d.ID)
	form.Set("selector", "button.buy")
	if got := flashText(flashAfter(t, ann, dedit, form)); got != "Changes saved. It can start now." {
		t.Errorf("new element: flash %q", got)
	}
}
