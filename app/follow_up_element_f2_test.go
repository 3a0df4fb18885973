package app

import (
	"database/sql"
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// f2KeptElement writes selector as x's element with SQL, as a copylab
// before the rule on elements without text stored it, and reads x back.
func f2KeptElement(t *testing.T, e *env, x experiments.Experiment, selector string) experiments.Experiment {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+e.app.cfg.DBPath+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`update experiments set selector = ? where id = ?`, selector, x.ID); err != nil {
		t.Fatal(err)
	}
	x, err = e.store.Experiment(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestF2FollowUpWarnsOfRefusedElement: the follow-up of a test shipped on
// an element copylab now refuses (one started before the rule) keeps that
// element, and its message says, in the words of Duplicate's message,
// that the draft needs another element before it can start, and why. The
// follow-up of a test on an element copylab takes says nothing of it.
func TestF2FollowUpWarnsOfRefusedElement(t *testing.T) {
	const needs = "It needs another element before it can start. "
	tests := []struct {
		name     string
		selector string // "" keeps h9ShippedTest's element
		warning  string // in both messages; "" for none
	}{
		{name: "input[type=submit]", selector: "input[type=submit]", warning: needs + f20SubmitRefusal},
		{name: "an element with text", warning: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.signIn("owner@example.com")
			site := e.site("Shop")
			x := h9ShippedTest(t, e, site.ID)
			if tt.selector != "" {
				x = f2KeptElement(t, e, x, tt.selector)
			}
			flash := func(action string) string {
				t.Helper()
				resp, body := c.post("/experiments/"+x.ID+"/"+action, nil)
				wantStatus(t, resp, http.StatusSeeOther, body)
				_, body = c.get(resp.Header.Get("Location"))
				return flashText(body)
			}
			followUp, duplicate := flash("follow-up"), flash("duplicate")
			if !strings.HasPrefix(followUp, "A follow-up test of “Pricing hero”") || !strings.Contains(followUp, "Draft new copy below") {
				t.Fatalf("follow-up flash %q", followUp)
			}
			if tt.warning == "" {
				if strings.Contains(followUp, "another element") || strings.Contains(duplicate, "another element") {
					t.Errorf("an element copylab takes is refused:\nfollow-up: %q\nduplicate: %q", followUp, duplicate)
				}
				return
			}
			if !strings.Contains(duplicate, tt.warning) {
				t.Errorf("duplicate flash %q, want it to contain %q", duplicate, tt.warning)
			}
			if !strings.Contains(followUp, tt.warning) {
				t.Errorf("follow-up flash %q, want it to contain %q", followUp, tt.warning)
			}
		})
	}
}
