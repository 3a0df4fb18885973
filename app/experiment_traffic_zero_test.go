package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTrafficZeroDraftWarnsAtSave: a draft saved with a traffic share of
// 0% is kept (a draft may be unfinished), and the save says at once that
// no visitor would be in the test and that Start refuses it, as it then
// does; a share above 0% saves without the warning.
func TestTrafficZeroDraftWarnsAtSave(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	const warning = "Draft saved, but its traffic share is 0%: no visitor would be in the test, and Start refuses it until the share is above 0%."
	form := func(op, coverage string) url.Values {
		return url.Values{"op": {op}, "site_id": {site.ID}, "name": {"Hero " + op + " " + coverage}, "page": {"/"}, "selector": {`[data-copylab="hero"]`},
			"goal_type": {"click"}, "goal_selector": {"#signup"}, "coverage": {coverage},
			"variants[0].key": {""}, "variants[0].text": {"Plan your week in minutes"},
			"variants[1].key": {""}, "variants[1].text": {"Your week, planned"}}
	}
	// save posts the form and returns the id of the saved draft and the
	// message the next page shows.
	save := func(path string, v url.Values) (string, string) {
		t.Helper()
		c.get("/experiments/new")
		resp, body := c.post(path, v)
		wantStatus(t, resp, http.StatusSeeOther, body)
		loc := resp.Header.Get("Location")
		_, page := c.get(loc)
		m := flashRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no message after the save", loc)
		}
		id := strings.TrimSuffix(strings.TrimPrefix(loc, "/experiments/"), "/generate")
		return id, strings.ReplaceAll(m[1], "&#39;", "'")
	}

	id, msg := save("/experiments", form("save", "0"))
	if msg != warning {
		t.Errorf("after Save draft at 0%%: %q, want %q", msg, warning)
	}
	x, err := e.store.Experiment(t.Context(), id)
	if err != nil || x.CoverageBP != 0 || x.Status != "draft" {
		t.Fatalf("the draft: %+v %v", x, err)
	}
	// Start then refuses it, as the warning said.
	resp, body := c.post("/experiments/"+id+"/start", url.Values{})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := c.get("/experiments/" + id)
	wantContains(t, page, "The traffic share is 0%, so no visitor would be in the test.")

	_, msg = save("/experiments", form("generate", "0"))
	if !strings.HasPrefix(msg, warning+" Now describe the copy you want") {
		t.Errorf("after Draft copy with AI at 0%%: %q", msg)
	}

	// The edit form of a draft warns alike.
	_, msg = save("/experiments/"+id+"/edit", form("save", "0"))
	if want := strings.Replace(warning, "Draft saved", "Changes saved", 1); msg != want {
		t.Errorf("after Save changes at 0%%: %q, want %q", msg, want)
	}

	// Any share above 0% saves as before.
	for _, coverage := range []string{"0.01", "100"} {
		_, msg = save("/experiments", form("save", coverage))
		if msg != "Draft saved. Check the copy, then start the experiment." {
			t.Errorf("after Save draft at %s%%: %q", coverage, msg)
		}
	}
	_, msg = save("/experiments/"+id+"/edit", form("save", "50"))
	if msg != "Changes saved." {
		t.Errorf("after Save changes at 50%%: %q", msg)
	}
}
