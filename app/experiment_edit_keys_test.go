package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentEditNeverReusesAKey: a row of copy added on a draft's
// edit page gets a key the experiment never gave before, as copy drafted
// with AI does (Store.AddVariants): the key names the copy in exports,
// recording links, the API and the history, where "Variant C" already
// means a removed copy. The form names the new row by that key before it
// is saved, and a row posted with a removed variant's key (from a page
// opened before the removal) is saved as new copy under a new key.
func TestExperimentEditNeverReusesAKey(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	ctx := t.Context()
	keys := func(id string) string {
		t.Helper()
		x, err := e.store.Experiment(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ks := make([]string, len(x.Variants))
		for i, v := range x.Variants {
			ks[i] = v.Key
		}
		return strings.Join(ks, " ")
	}
	// removeOnPage removes row i on the edit page and saves the draft.
	removeOnPage := func(t *testing.T, x experiments.Experiment, i int) {
		t.Helper()
		_, body := c.get("/experiments/" + x.ID + "/edit")
		_, body = c.post("/experiments/"+x.ID+"/edit", editForm(x, "remove:"+itoa(i), formRows(t, body)))
		resp, body := c.post("/experiments/"+x.ID+"/edit", editForm(x, "save", formRows(t, body)))
		wantStatus(t, resp, http.StatusSeeOther, body)
	}
	// addOnPage adds a row on the edit page, checks its name, types copy
	// in it and sends the form with op.
	addOnPage := func(t *testing.T, x experiments.Experiment, op, label string) {
		t.Helper()
		_, body := c.get("/experiments/" + x.ID + "/edit")
		_, body = c.post("/experiments/"+x.ID+"/edit", editForm(x, "add", formRows(t, body)))
		rows := formRows(t, body)
		if last := rows[len(rows)-1]; last.label != label {
			t.Errorf("the added row is named %q, want %q", last.label, label)
		}
		rows[len(rows)-1].text = "Mine, typed after the removal"
		resp, body := c.post("/experiments/"+x.ID+"/edit", editForm(x, op, rows))
		wantStatus(t, resp, http.StatusSeeOther, body)
	}

	for _, tt := range []struct {
		name  string
		texts []string
		do    func(t *testing.T, x experiments.Experiment)
		want  string
	}{
		{"saved without Variant C, then a row added", []string{"Old", "B", "C"}, func(t *testing.T, x experiments.Experiment) {
			removeOnPage(t, x, 2)
			addOnPage(t, x, "save", "Variant D")
		}, "control b d"},
		{"saved without the last variant, then a row added", []string{"Old", "B", "C", "D"}, func(t *testing.T, x experiments.Experiment) {
			removeOnPage(t, x, 3)
			addOnPage(t, x, "save", "Variant E")
		}, "control b c e"},
		{"saved without Variant C, then a row added and Draft copy with AI", []string{"Old", "B", "C"}, func(t *testing.T, x experiments.Experiment) {
			removeOnPage(t, x, 2)
			addOnPage(t, x, "generate", "Variant D")
		}, "control b d"},
		{"removed through the API, then a row added", []string{"Old", "B", "C"}, func(t *testing.T, x experiments.Experiment) {
			if _, err := e.store.DeleteVariant(ctx, x.ID, "c"); err != nil {
				t.Fatal(err)
			}
			addOnPage(t, x, "save", "Variant D")
		}, "control b d"},
		{"a page opened before the removal sends Variant C back", []string{"Old", "B", "C"}, func(t *testing.T, x experiments.Experiment) {
			_, body := c.get("/experiments/" + x.ID + "/edit")
			stale := formRows(t, body)
			removeOnPage(t, x, 2)
			stale[2].text = "C, changed on the older page"
			resp, body := c.post("/experiments/"+x.ID+"/edit", editForm(x, "save", stale))
			wantStatus(t, resp, http.StatusSeeOther, body)
		}, "control b d"},
		{"a duplicate of a draft without Variant C, then a row added", []string{"Old", "B", "C", "D"}, func(t *testing.T, x experiments.Experiment) {
			removeOnPage(t, x, 2)
			resp, body := c.post("/experiments/"+x.ID+"/duplicate", url.Values{})
			wantStatus(t, resp, http.StatusSeeOther, body)
			id := strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/")
			y, err := e.store.Experiment(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(y.ID); got != "control b d" {
				t.Fatalf("the duplicate's keys %s, want the original's, control b d", got)
			}
			// The duplicate names new copy after its last key too.
			addOnPage(t, y, "save", "Variant E")
			if got := keys(y.ID); got != "control b d e" {
				t.Errorf("the duplicate's keys %s, want control b d e", got)
			}
		}, "control b d"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := e.experiment(site.ID, tt.name, tt.texts...)
			tt.do(t, x)
			if got := keys(x.ID); got != tt.want {
				t.Errorf("keys %s, want %s", got, tt.want)
			}
		})
	}
}
