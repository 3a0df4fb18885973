package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

func TestUsers(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")

	t.Run("list", func(t *testing.T) {
		resp, body := c.get("/users")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "ann@example.com", ">you<")
		// Alone: no remove button.
		wantNotContains(t, body, "/delete")
	})

	t.Run("add with a password", func(t *testing.T) {
		resp, body := c.post("/users", url.Values{"email": {"bob@example.com"}, "password": {testPassword}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		b := e.client()
		b.get("/login")
		resp, _ = b.post("/login", url.Values{"email": {"bob@example.com"}, "password": {testPassword}})
		wantStatus(t, resp, http.StatusSeeOther, "")
	})

	t.Run("add with a generated password, shown once", func(t *testing.T) {
		resp, body := c.post("/users", url.Values{"email": {"cat@example.com"}, "password": {""}})
		wantStatus(t, resp, http.StatusOK, body)
		m := regexp.MustCompile(`id="new-password"[^>]*>([a-z2-7]{20})</textarea>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no generated password in the page")
		}
		b := e.client()
		b.get("/login")
		resp, _ = b.post("/login", url.Values{"email": {"cat@example.com"}, "password": {m[1]}})
		wantStatus(t, resp, http.StatusSeeOther, "")
		_, again := c.get("/users")
		wantNotContains(t, again, m[1])
	})

	t.Run("errors beside fields", func(t *testing.T) {
		resp, body := c.post("/users", url.Values{"email": {"bob@example.com"}, "password": {"short"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, `id="f-password-error"`)
		resp, body = c.post("/users", url.Values{"email": {"bob@example.com"}, "password": {testPassword}})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "Someone with this email can already sign in.")
	})

	t.Run("remove", func(t *testing.T) {
		bob, _, _ := e.store.UserByEmail(context.Background(), "bob@example.com")
		action := "/users/" + itoa64(bob.ID) + "/delete"
		_, page := c.get("/users")
		resp, body := c.post(action, h4PageForm(t, page, action))
		wantStatus(t, resp, http.StatusSeeOther, body)
		if _, _, err := e.store.UserByEmail(context.Background(), "bob@example.com"); err == nil {
			t.Error("bob is still there")
		}
		body = flashAfter(t, c, "/users/999/delete", url.Values{"email": {"nobody@example.com"}})
		wantContains(t, body, "nobody@example.com was already removed.")
	})

	t.Run("not yourself, and never the last", func(t *testing.T) {
		ann, _, _ := e.store.UserByEmail(context.Background(), "ann@example.com")
		resp, _ := c.post("/users/"+itoa64(ann.ID)+"/delete", url.Values{"email": {"ann@example.com"}})
		wantStatus(t, resp, http.StatusSeeOther, "")
		_, body := c.get("/users")
		wantContains(t, body, "You cannot remove yourself")
		if _, err := e.store.User(context.Background(), ann.ID); err != nil {
			t.Error("removed themselves")
		}
		// cat removes ann; then cat is the last and the store refuses.
		// ann is the only admin until cat is one.
		cat, _, _ := e.store.UserByEmail(context.Background(), "cat@example.com")
		e.makeAdmin("cat@example.com")
		if _, err := e.store.DeleteUser(context.Background(), ann.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.DeleteUser(context.Background(), cat.ID); err == nil {
			t.Error("deleted the last user")
		}
	})
}

func TestSites(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")

	t.Run("empty state", func(t *testing.T) {
		_, body := c.get("/sites")
		wantContains(t, body, "No sites yet", "Add the site you want to test copy on")
	})

	t.Run("errors beside fields, all at once", func(t *testing.T) {
		resp, body := c.post("/sites", url.Values{"name": {""}, "domain": {"not a domain"}})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, `id="f-name-error"`, `id="f-domain-error"`, `aria-invalid="true"`, `value="not a domain"`)
	})

	t.Run("create and show the tag", func(t *testing.T) {
		resp, body := c.post("/sites", url.Values{"name": {"Marketing"}, "domain": {"https://www.example.com/pricing"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		loc := resp.Header.Get("Location")
		resp, body = c.get(loc)
		wantStatus(t, resp, http.StatusOK, body)
		sites, _ := e.store.Sites(context.Background())
		if len(sites) != 1 || sites[0].Domain != "www.example.com" {
			t.Fatalf("sites %+v", sites)
		}
		tag := `&lt;script src=&#34;` + testPublicURL + `/s/` + sites[0].Key + `.js&#34;&gt;&lt;/script&gt;`
		wantContains(t, body, "Site added", tag, "data-copy=", "window.copylab?.convert", "window.copylab?.identify", "window.copylab?.consent", "window.copylab?.variant",
			"?copylab=EXPERIMENT_ID:VARIANT", `data-copylab="hero"`, "No experiments on this site yet")
		_, body = c.get("/sites")
		wantContains(t, body, "Marketing", sites[0].Key)
	})

	t.Run("unknown site", func(t *testing.T) {
		resp, body := c.get("/sites/nope")
		wantStatus(t, resp, http.StatusNotFound, body)
		wantContains(t, body, "Page not found", "Sign out")
	})
}

func TestSettingsTokens(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	resp, body := c.get("/settings")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "No tokens yet", testPublicURL+"/api/v1")

	resp, body = c.post("/settings/tokens", url.Values{"name": {""}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-name-error"`)

	resp, body = c.post("/settings/tokens", url.Values{"name": {"ci\u202Egnp.exe"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "invisible character")

	resp, body = c.post("/settings/tokens", url.Values{"name": {"CI deploy"}})
	wantStatus(t, resp, http.StatusOK, body)
	m := regexp.MustCompile(`(cl_[a-z2-7]{40})`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no token shown")
	}
	r, _ := e.api(http.MethodGet, "/api/v1/sites", m[1], "")
	wantStatus(t, r, http.StatusOK, "")

	_, body = c.get("/settings")
	wantNotContains(t, body, m[1])
	wantContains(t, body, "CI deploy", m[1][:7]+"…")

	tokens, _ := e.store.APITokens(context.Background(), sessionUser(t, e, "ann@example.com"))
	action := "/settings/tokens/" + itoa64(tokens[0].ID) + "/delete"
	resp, body = c.post(action, h4PageForm(t, body, action))
	wantStatus(t, resp, http.StatusSeeOther, body)
	r, _ = e.api(http.MethodGet, "/api/v1/sites", m[1], "")
	wantStatus(t, r, http.StatusUnauthorized, "")

	// Someone else's token cannot be revoked, even by a form that names
	// it as their page would: it answers as a token already gone.
	other := e.token("bob@example.com")
	bobTokens, _ := e.store.APITokens(context.Background(), sessionUser(t, e, "bob@example.com"))
	body = flashAfter(t, c, "/settings/tokens/"+itoa64(bobTokens[0].ID)+"/delete", url.Values{
		"prefix": {bobTokens[0].Prefix}, "created": {itoa64(bobTokens[0].CreatedAt.UnixMilli())}})
	wantContains(t, body, "That token was already revoked.")
	r, _ = e.api(http.MethodGet, "/api/v1/sites", other, "")
	wantStatus(t, r, http.StatusOK, "")
}

// Settings tells how to back the server up and restore it, with the
// database it runs on.
func TestSettingsBackupHelp(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	resp, body := c.get("/settings")
	wantStatus(t, resp, http.StatusOK, body)
	db := html.EscapeString(e.app.cfg.DBPath)
	wantContains(t, body, "copylab backup --db "+db+" --out /backups/", "safe while copylab runs",
		"stop copylab and run", "copylab restore --db "+db+" --from FILE")
}

func sessionUser(t *testing.T, e *env, email string) int64 {
	t.Helper()
	u, _, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestExperimentCreate(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")

	t.Run("needs a site first", func(t *testing.T) {
		resp, _ := c.get("/experiments/new")
		wantStatus(t, resp, http.StatusSeeOther, "")
		_, body := c.get("/experiments")
		wantContains(t, body, "No sites yet")
	})

	site := e.site("Marketing")

	t.Run("form", func(t *testing.T) {
		resp, body := c.get("/experiments/new?site=" + site.ID)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `placeholder="[data-copylab=&#34;hero&#34;]"`, "Draft copy with AI", `value="generate"`, `name="variants[0].text"`, `name="variants[1].text"`)
	})

	t.Run("every error at once", func(t *testing.T) {
		resp, body := c.post("/experiments", url.Values{
			"site_id": {site.ID}, "name": {""}, "page": {"pricing"}, "selector": {"body"}, "goal_type": {"click"}, "goal_selector": {""},
			"coverage": {"150"}, "variants[0].key": {""}, "variants[0].text": {""}, "variants[0].weight": {""},
			"variants[1].key": {""}, "variants[1].text": {"<b>bold</b>"}, "variants[1].weight": {"abc"},
		})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		for _, id := range []string{"f-name-error", "f-page-error", "f-selector-error", "f-goal-error", "f-coverage-error",
			"f-variants-0-text-error", "f-variants-1-text-error", "f-variants-1-weight-error"} {
			wantContains(t, body, `id="`+id+`"`)
		}
		wantContains(t, body, "Please fix the 8 problems", `&lt;b&gt;bold&lt;/b&gt;`)
	})

	t.Run("weights must add up", func(t *testing.T) {
		resp, body := c.post("/experiments", url.Values{
			"site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"h1"}, "goal_type": {"event"}, "goal_event": {"signup"},
			"variants[0].key": {""}, "variants[0].text": {"One"}, "variants[0].weight": {"60"},
			"variants[1].key": {""}, "variants[1].text": {"Two"}, "variants[1].weight": {"60"},
		})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "must add up to 100%")
	})

	t.Run("a scripted post without the hidden keys keeps its copy", func(t *testing.T) {
		resp, body := c.post("/experiments", url.Values{
			"site_id": {site.ID}, "name": {"Scripted"}, "page": {"/"}, "selector": {"h1"}, "goal_type": {"event"}, "goal_event": {"signup"},
			"variants[0].text": {"Old words"}, "variants[1].text": {"New words"}, "variants[2].weight": {""},
		})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body) // the third row is there, and empty
		wantContains(t, body, ">Old words</textarea>", ">New words</textarea>", `name="variants[2].text"`)
		resp, body = c.post("/experiments", url.Values{
			"site_id": {site.ID}, "name": {"Scripted"}, "page": {"/"}, "selector": {"h1"}, "goal_type": {"event"}, "goal_event": {"signup"},
			"variants[0].text": {"Old words"}, "variants[1].text": {"New words"},
		})
		wantStatus(t, resp, http.StatusSeeOther, body)
		all, _ := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
		for _, x := range all {
			if x.Name != "Scripted" {
				continue
			}
			if len(x.Variants) != 2 || x.Variants[0].Text != "Old words" || x.Variants[1].Text != "New words" || x.Variants[1].Key != "b" {
				t.Errorf("variants %+v", x.Variants)
			}
			if _, err := e.store.DeleteExperiment(context.Background(), x.ID); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("add and remove rows without JavaScript", func(t *testing.T) {
		base := url.Values{"site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"h1"}, "goal_type": {"click"}, "goal_selector": {"#go"},
			"variants[0].key": {""}, "variants[0].text": {"One"}, "variants[1].key": {""}, "variants[1].text": {"Two"}}
		base.Set("op", "add")
		resp, body := c.post("/experiments", base)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `name="variants[2].text"`, ">Two</textarea>", `value="Hero"`)
		base.Set("op", "remove:1")
		_, body = c.post("/experiments", base)
		wantNotContains(t, body, `name="variants[1].text"`)
		n, _ := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
		if len(n) != 0 {
			t.Error("add/remove saved something")
		}
	})

	t.Run("saves a draft", func(t *testing.T) {
		resp, body := c.post("/experiments", url.Values{
			"site_id": {site.ID}, "name": {"Pricing headline"}, "page": {"https://example.com/pricing"}, "selector": {`[data-copylab="hero"]`},
			"goal_type": {"pageview"}, "goal_url": {"/thanks*"}, "goal_selector": {"ignored"}, "coverage": {"50"},
			"variants[0].key": {""}, "variants[0].text": {"Plans for every team"}, "variants[0].weight": {""},
			"variants[1].key": {""}, "variants[1].text": {"Pick a plan in a minute"}, "variants[1].weight": {""},
			"variants[2].key": {""}, "variants[2].text": {"Pricing that grows with you"}, "variants[2].weight": {""},
		})
		wantStatus(t, resp, http.StatusSeeOther, body)
		all, _ := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
		if len(all) != 1 {
			t.Fatalf("%d experiments", len(all))
		}
		x := all[0]
		if x.Status != experiments.StatusDraft || x.Page != "/pricing" || x.CoverageBP != 5000 || x.Goal != (experiments.Goal{Type: "pageview", URL: "/thanks*"}) {
			t.Errorf("experiment %+v", x)
		}
		if got := x.Weights(); len(got) != 3 || got[0]+got[1]+got[2] != 10000 || x.Variants[1].Key != "b" || x.Variants[2].Key != "c" {
			t.Errorf("variants %+v", x.Variants)
		}
		if loc := resp.Header.Get("Location"); loc != "/experiments/"+x.ID {
			t.Errorf("Location %q", loc)
		}
		_, body = c.get(loc(resp))
		wantContains(t, body, "Draft saved", "Pricing headline", "badge-draft", "Start", "https://example.com/pricing?copylab="+x.ID+":b")
		// The preview links name each variant as the results do.
		wantContains(t, body, `<td role="cell" class="nowrap card-name">Original <code>control</code></td>`, `<td role="cell" class="nowrap card-name">Variant B <code>b</code></td>`)
	})
}

func loc(resp *http.Response) string { return resp.Header.Get("Location") }

func TestExperimentEditAndLifeCycle(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero", "Old", "New", "Newer")
	path := "/experiments/" + x.ID

	form := func(name string, extra url.Values) url.Values {
		v := url.Values{"name": {name}, "page": {"/pricing"}, "selector": {"h1.hero"}, "goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"},
			"variants[0].key": {"control"}, "variants[0].text": {"Old"}, "variants[0].weight": {"50"},
			"variants[1].key": {"b"}, "variants[1].text": {"New, edited"}, "variants[1].weight": {"50"}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}

	t.Run("edit a draft", func(t *testing.T) {
		resp, body := c.get(path + "/edit")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, ">Newer</textarea>", `placeholder="33.34"`) // an equal split: empty boxes, the share as placeholder
		resp, body = c.post(path+"/edit", form("Hero v2", nil))
		wantStatus(t, resp, http.StatusSeeOther, body)
		got, _ := e.store.Experiment(context.Background(), x.ID)
		if got.Name != "Hero v2" || got.Selector != "h1.hero" || len(got.Variants) != 2 || got.Variants[1].Text != "New, edited" {
			t.Errorf("after edit: %+v", got)
		}
		resp, body = c.post(path+"/edit", form("", nil))
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, `id="f-name-error"`)
	})

	t.Run("start", func(t *testing.T) {
		resp, body := c.post(path+"/start", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, body = c.get(path)
		wantContains(t, body, "Started.", "badge-running", "Pause", "Stop", `data-confirm="Stop this experiment`)
		// A second Start (a stale tab) is no failure: it started
		// (TestH9StaleTabAction).
		resp, body = c.post(path+"/start", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, body = c.get(path)
		wantContains(t, body, "flash-ok", "This experiment is already running (started ")
		wantNotContains(t, body, "flash-error")
	})

	t.Run("edit a running one: name and weights only", func(t *testing.T) {
		_, body := c.get(path + "/edit")
		wantContains(t, body, "has started", "disabled")
		v := form("Hero v3", url.Values{"variants[0].weight": {"20"}, "variants[1].weight": {"80"}, "selector": {"h2"}})
		resp, body := c.post(path+"/edit", v)
		wantStatus(t, resp, http.StatusSeeOther, body)
		got, _ := e.store.Experiment(context.Background(), x.ID)
		if got.Name != "Hero v3" || got.Selector != "h1.hero" || got.Variants[0].WeightBP != 2000 || got.Variants[1].Text != "New, edited" {
			t.Errorf("after edit: %+v", got)
		}
	})

	t.Run("pause, resume, stop", func(t *testing.T) {
		for _, step := range []struct{ action, status, badge string }{
			{"pause", "paused", "badge-paused"}, {"resume", "running", "badge-running"}, {"stop", "stopped", "badge-stopped"},
		} {
			resp, body := c.post(path+"/"+step.action, nil)
			wantStatus(t, resp, http.StatusSeeOther, body)
			got, _ := e.store.Experiment(context.Background(), x.ID)
			if string(got.Status) != step.status {
				t.Fatalf("%s: status %s", step.action, got.Status)
			}
			_, body = c.get(path)
			wantContains(t, body, step.badge)
		}
		_, body := c.get(path)
		wantNotContains(t, body, `/start"`, `/resume"`, `/edit"`)
		resp, _ := c.get(path + "/edit")
		wantStatus(t, resp, http.StatusSeeOther, "")
		resp, _ = c.post(path+"/resume", nil)
		wantStatus(t, resp, http.StatusSeeOther, "")
		_, body = c.get(path)
		wantContains(t, body, "cannot run again", "Duplicate it to test more copy.")
	})

	t.Run("unknown experiment", func(t *testing.T) {
		resp, _ := c.post("/experiments/nope/start", nil)
		wantStatus(t, resp, http.StatusNotFound, "")
	})

	t.Run("generate page of a stopped experiment", func(t *testing.T) {
		resp, body := c.get(path + "/generate")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "drafts can be added only to a draft experiment")
		wantNotContains(t, body, `id="brief-form"`)
	})
}

func TestResultsAndShare(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero", "Original", "Variant copy")
	e.transition(x.ID, "start")

	for i, v := range []struct {
		variant string
		convert bool
	}{{"control", false}, {"control", true}, {"b", true}} {
		resp := e.postEvents(eventBody(site.Key, "visitor-"+itoa(i), x.ID, v.variant, v.convert))
		wantStatus(t, resp, http.StatusNoContent, readBody(t, resp))
	}

	t.Run("results page", func(t *testing.T) {
		resp, body := c.get("/experiments/" + x.ID + "/results")
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, `hx-get="/experiments/`+x.ID+`/results/live"`, `hx-trigger="every 5s"`, "</svg>Original</div>", "Variant B",
			`<span class="rate">50.0%</span>`, `<span class="rate">100%</span>`, "refreshes every 5 seconds", testPublicURL+"/r/"+x.ShareToken)
	})

	t.Run("fragment", func(t *testing.T) {
		req := newRequest(http.MethodGet, "/experiments/"+x.ID+"/results/live", nil)
		req.Header.Set("HX-Request", "true")
		resp, body := c.send(req)
		wantStatus(t, resp, http.StatusOK, body)
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.HasPrefix(body, `<div id="results"`) {
			t.Errorf("fragment starts %q", body[:min(len(body), 60)])
		}
		wantNotContains(t, body, "<html", "<body")
		wantContains(t, body, ">3</span>", "visitors in the test")
	})

	t.Run("share link without a session", func(t *testing.T) {
		anon := e.client()
		resp, body := anon.get("/r/" + x.ShareToken)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "Shared results", "Hero", "Variant copy", `hx-get="/r/`+x.ShareToken+`/live"`)
		wantNotContains(t, body, "Sign out", "_csrf")
		if resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Error("share page sends a referrer")
		}
		resp, body = anon.get("/r/" + x.ShareToken + "/live")
		wantStatus(t, resp, http.StatusOK, body)
		for _, bad := range []string{"/r/wrong", "/r/wrong/live", "/r/" + x.ShareToken[:10]} {
			resp, _ = anon.get(bad)
			wantStatus(t, resp, http.StatusNotFound, "")
		}
	})

	t.Run("a new share link retires the old one", func(t *testing.T) {
		old := x.ShareToken
		resp, body := c.post("/experiments/"+x.ID+"/share-link", nil)
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, body = c.get(loc(resp))
		y, err := e.store.Experiment(context.Background(), x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if y.ShareToken == old || len(y.ShareToken) != len(old) {
			t.Fatalf("share token %q after %q", y.ShareToken, old)
		}
		wantContains(t, body, "A new share link is ready.", testPublicURL+"/r/"+y.ShareToken, "New share link</strong>", "by ann@example.com")
		wantNotContains(t, body, testPublicURL+"/r/"+old)
		anon := e.client()
		for _, path := range []string{"/r/" + old, "/r/" + old + "/live", "/r/" + old + "/results.csv"} {
			resp, _ := anon.get(path)
			wantStatus(t, resp, http.StatusNotFound, "")
		}
		resp, body = anon.get("/r/" + y.ShareToken)
		wantStatus(t, resp, http.StatusOK, body)
		resp, body = c.post("/experiments/"+x.ID+"/share-link", url.Values{"_csrf": {"wrong"}})
		wantStatus(t, resp, http.StatusForbidden, body)
		resp, body = c.post("/experiments/nope/share-link", nil)
		wantStatus(t, resp, http.StatusNotFound, body)
		x = y

		token := e.token("api@example.com")
		resp, got := e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/share-link", token, "")
		wantStatus(t, resp, http.StatusOK, "")
		if u, _ := got["share_url"].(string); u == "" || u == testPublicURL+"/r/"+y.ShareToken {
			t.Errorf("API share_url %q", u)
		}
		x, _ = e.store.Experiment(context.Background(), x.ID)
	})

	t.Run("stopped: no more polling, results kept", func(t *testing.T) {
		e.transition(x.ID, "stop")
		_, body := c.get("/experiments/" + x.ID + "/results/live")
		wantNotContains(t, body, "hx-trigger")
		wantContains(t, body, `<span class="rate">100%</span>`)
	})
}

func TestExperimentsListAndDemoLabel(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	if err := e.app.createDemo(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	_, body := c.get("/experiments")
	wantContains(t, body, DemoExperimentName, DemoSiteName, "badge-running")
	demo, _ := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
	_, body = c.get("/experiments/" + demo[0].ID)
	wantContains(t, body, "This is the demo experiment", testPublicURL+"/demo?copylab="+demo[0].ID+":b")
}

// A row added in the edit form is a person's copy: it never takes the key,
// and with it the origin, of a generated variant removed in the same edit.
func TestExperimentEditNewRowIsTyped(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x, err := e.store.CreateExperiment(context.Background(), experiments.Experiment{
		SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1", CoverageBP: 10000,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"},
		Variants: []experiments.Variant{{Text: "Old"},
			{Text: "Plan less, ship more", Source: experiments.SourceModel, Model: "gpt-x", Angle: "speed", Rationale: "Short."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c.get("/experiments/" + x.ID + "/edit")
	resp, body := c.post("/experiments/"+x.ID+"/edit", url.Values{"name": {"Hero"}, "page": {"/"}, "selector": {"h1"},
		"goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"},
		"variants[0].key": {"control"}, "variants[0].text": {"Old"}, "variants[0].weight": {"50"},
		"variants[1].key": {""}, "variants[1].text": {"My own words"}, "variants[1].weight": {"50"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	got, err := e.store.Experiment(context.Background(), x.ID)
	if err != nil || len(got.Variants) != 2 {
		t.Fatalf("after the edit: %+v (%v)", got, err)
	}
	v := got.Variants[1]
	if v.Text != "My own words" || v.Source != experiments.SourceHuman || v.Model != "" || v.Angle != "" || v.Edited || v.Key == "b" {
		t.Errorf("the typed row was stored as %+v: want a person's copy under a new key", v)
	}
}

// A practical threshold typed as 0 is refused, as the API refuses it,
// rather than read as "keep the current one".
func TestExperimentFormThresholdZero(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero", "Old", "New")
	c.get("/experiments/" + x.ID + "/edit")
	resp, body := c.post("/experiments/"+x.ID+"/edit", url.Values{"name": {"Hero"}, "page": {"/"}, "selector": {"h1"},
		"goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"}, "threshold": {"0"},
		"variants[0].key": {"control"}, "variants[0].text": {"Old"}, "variants[0].weight": {"50"},
		"variants[1].key": {"b"}, "variants[1].text": {"New"}, "variants[1].weight": {"50"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "between 0.5% and 100%")
}

// Signed-in pages are stored in no cache: they carry share links with
// their tokens, and copy not yet public.
func TestSignedInPagesNoStore(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Old", "New")
	for _, path := range []string{"/experiments", "/experiments/" + x.ID, "/experiments/" + x.ID + "/results", "/settings", "/sites"} {
		resp, body := c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, cc)
		}
	}
}
