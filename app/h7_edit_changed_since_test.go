package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// h7Alert is the words of the form's alert in page, "" when it has none.
func h7Alert(t *testing.T, page string) string {
	t.Helper()
	alerts := findAll(parseHTML(t, page), func(n *xhtml.Node) bool { return attrOf(n, "role") == "alert" })
	if len(alerts) == 0 {
		return ""
	}
	return words(alerts[0])
}

// TestEditRefusedWhenChangedSince: an edit form carries the experiment as
// it was opened on, and its save is refused (409, nothing written) when
// the experiment has changed since, by anyone and through any path, as
// far as the form shows it: saved, the form would put back what it
// showed (the drafts another tab added, another tab's rename). The form
// comes back with what was typed and says who changed the experiment,
// when, and what to do. A change the form does not show (a share link)
// does not refuse it, nor does a form without the field (a page opened
// before it, a script), saved as before.
func TestEditRefusedWhenChangedSince(t *testing.T) {
	tests := []struct {
		name    string
		started bool
		// meanwhile changes the experiment between the opening of the
		// form and its save; bob is a second tab of ann, tok bob's API
		// token.
		meanwhile func(t *testing.T, e *env, bob *client, tok string, x experiments.Experiment)
		// typed is what the person changes in the form they opened.
		typed   func(v url.Values)
		refused bool
		who     string // in the refusal: who changed the experiment
	}{
		{
			name: "drafts added in another tab",
			meanwhile: func(t *testing.T, e *env, _ *client, _ string, x experiments.Experiment) {
				ctx := experiments.WithActor(context.Background(), "ann@example.com")
				if _, _, err := e.store.AddVariants(ctx, x.ID, []experiments.Variant{
					{Text: "Drafted C", Source: experiments.SourceOffline}, {Text: "Drafted D", Source: experiments.SourceOffline},
				}, experiments.User{}); err != nil {
					t.Fatal(err)
				}
			},
			typed:   func(v url.Values) { v.Set("name", "Renamed in the old tab") },
			refused: true, who: "by you",
		},
		{
			name:    "a running test renamed in another tab",
			started: true,
			meanwhile: func(t *testing.T, _ *env, bob *client, _ string, x experiments.Experiment) {
				form := h7OpenEdit(t, bob, x.ID)
				form.Set("name", "Renamed by Bob")
				resp, body := bob.post("/experiments/"+x.ID+"/edit", form)
				wantStatus(t, resp, http.StatusSeeOther, body)
			},
			typed:   func(v url.Values) { v.Set("coverage", "50") },
			refused: true, who: "by bob@example.com",
		},
		{
			name: "renamed through the API",
			meanwhile: func(t *testing.T, e *env, _ *client, tok string, x experiments.Experiment) {
				resp, body := e.api(http.MethodPatch, "/api/v1/experiments/"+x.ID, tok, `{"name":"Renamed by a script"}`)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("PATCH: %d %v", resp.StatusCode, body)
				}
			},
			typed:   func(v url.Values) { v.Set("variants[1].text", "Typed in the old tab") },
			refused: true, who: "by bob@example.com (API)",
		},
		{
			name: "started meanwhile",
			meanwhile: func(t *testing.T, e *env, _ *client, _ string, x experiments.Experiment) {
				e.transition(x.ID, experiments.ActionStart)
			},
			typed:   func(v url.Values) { v.Set("name", "Renamed in the old tab") },
			refused: true,
		},
		{
			name: "Draft copy with AI from the old tab",
			meanwhile: func(t *testing.T, e *env, _ *client, _ string, x experiments.Experiment) {
				if _, _, err := e.store.AddVariants(context.Background(), x.ID, []experiments.Variant{{Text: "Drafted C"}}, experiments.User{}); err != nil {
					t.Fatal(err)
				}
			},
			typed:   func(v url.Values) { v.Set("op", "generate") },
			refused: true,
		},
		{
			name:    "nothing changed meanwhile",
			typed:   func(v url.Values) { v.Set("name", "Renamed in the old tab") },
			refused: false,
		},
		{
			name:    "a share link made meanwhile",
			started: true,
			meanwhile: func(t *testing.T, e *env, _ *client, _ string, x experiments.Experiment) {
				if _, err := e.store.NewShareLink(context.Background(), x.ID); err != nil {
					t.Fatal(err)
				}
			},
			typed:   func(v url.Values) { v.Set("name", "Renamed in the old tab") },
			refused: false,
		},
		{
			name: "a form from before the check",
			meanwhile: func(t *testing.T, e *env, _ *client, _ string, x experiments.Experiment) {
				if _, err := e.store.PatchExperiment(context.Background(), x.ID, func(x *experiments.Experiment) error {
					x.CoverageBP = 5000
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			},
			typed:   func(v url.Values) { v.Del("opened"); v.Set("name", "Renamed in the old tab") },
			refused: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ann := e.signIn("ann@example.com")
			bob := e.signIn("bob@example.com")
			tok, err := CreateToken(context.Background(), e.store, "bob@example.com", "tests")
			if err != nil {
				t.Fatal(err)
			}
			x := e.experiment(e.site("Shop").ID, "Hero")
			if tt.started {
				x = e.transition(x.ID, experiments.ActionStart)
			}
			form := h7OpenEdit(t, ann, x.ID)
			if tt.name != "a form from before the check" && form.Get("opened") == "" {
				t.Errorf("the form carries nothing of the experiment it was opened on: %v", form)
			}
			if tt.meanwhile != nil {
				// History lines are stamped to the millisecond: the change
				// comes after the form's, as a person's would.
				time.Sleep(2 * time.Millisecond)
				tt.meanwhile(t, e, bob, tok, x)
			}
			before, err := e.store.Experiment(context.Background(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			history, err := e.store.History(context.Background(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			tt.typed(form)
			resp, body := ann.post("/experiments/"+x.ID+"/edit", form)
			after, err := e.store.Experiment(context.Background(), x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.refused {
				if resp.StatusCode != http.StatusSeeOther || after.Name != "Renamed in the old tab" {
					t.Fatalf("not saved: %d %q: %s", resp.StatusCode, after.Name, h7Alert(t, body))
				}
				return
			}
			wantStatus(t, resp, http.StatusConflict, body)
			alert := h7Alert(t, body)
			for _, want := range []string{"changed after you opened this form", "Nothing was saved", "make your changes again"} {
				if !strings.Contains(alert, want) {
					t.Errorf("alert %q lacks %q", alert, want)
				}
			}
			if tt.who != "" && !strings.Contains(alert, tt.who) {
				t.Errorf("alert %q does not say who (%q)", alert, tt.who)
			}
			if strings.Contains(alert, "problem") {
				t.Errorf("alert %q asks to fix problems", alert)
			}
			// Back with what was typed, and a way to the form as it is now.
			again := h7EditForm(t, body)
			for k := range form {
				if k == "op" {
					continue
				}
				if again.Get(k) != strings.ReplaceAll(form.Get(k), "\n", "\r\n") && again.Get(k) != form.Get(k) {
					t.Errorf("%s came back %q, typed %q", k, again.Get(k), form.Get(k))
				}
			}
			wantContains(t, body, `href="/experiments/`+x.ID+`/edit"`)
			if after.Name != before.Name || after.CoverageBP != before.CoverageBP || len(after.Variants) != len(before.Variants) ||
				!after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("saved: %+v, was %+v", after, before)
			}
			if got, err := e.store.History(context.Background(), x.ID); err != nil || len(got) != len(history) {
				t.Errorf("history grew from %d lines to %d (%v)", len(history), len(got), err)
			}
			// Saved again as it came back, it is refused again: the form
			// still carries what it was opened on.
			resp, body = ann.post("/experiments/"+x.ID+"/edit", again)
			wantStatus(t, resp, http.StatusConflict, body)
		})
	}
}

// TestEditChangedSinceCarried: a form shown again without a save (a
// problem to fix, Add a variant) keeps what it was first opened on, so
// that its next save is refused when the experiment changed since it was
// first opened, and saved when it did not.
func TestEditChangedSinceCarried(t *testing.T) {
	for _, tt := range []struct {
		name      string
		step      func(v url.Values) // the post that shows the form again
		status    int
		meanwhile bool
	}{
		{name: "a problem fixed", step: func(v url.Values) { v.Set("name", "") }, status: http.StatusUnprocessableEntity},
		{name: "a problem fixed, changed meanwhile", step: func(v url.Values) { v.Set("name", "") }, status: http.StatusUnprocessableEntity, meanwhile: true},
		{name: "a row added", step: func(v url.Values) { v.Set("op", "add") }, status: http.StatusOK},
		{name: "a row added, changed meanwhile", step: func(v url.Values) { v.Set("op", "add") }, status: http.StatusOK, meanwhile: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ann := e.signIn("ann@example.com")
			x := e.experiment(e.site("Shop").ID, "Hero")
			form := h7OpenEdit(t, ann, x.ID)
			tt.step(form)
			resp, body := ann.post("/experiments/"+x.ID+"/edit", form)
			wantStatus(t, resp, tt.status, body)
			if tt.meanwhile {
				if _, err := e.store.PatchExperiment(context.Background(), x.ID, func(x *experiments.Experiment) error {
					x.Name = "Renamed meanwhile"
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			form = h7EditForm(t, body)
			form.Set("name", "Renamed")
			resp, body = ann.post("/experiments/"+x.ID+"/edit", form)
			want := http.StatusSeeOther
			if tt.meanwhile {
				want = http.StatusConflict
			}
			wantStatus(t, resp, want, body)
		})
	}
}
