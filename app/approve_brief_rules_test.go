package app

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"copylab/experiments"
)

// briefRulesDrafts makes the fake model write drafts that meet
// briefRulesForm's rules: each says "teams" and none says a banned word.
func briefRulesDrafts(llm *fakeLLM) {
	texts := []string{
		"Plan every sprint with your teams in one place",
		"Kanban boards that keep teams moving",
		"Stop chasing updates across your teams",
		"Teams ship more with fewer meetings",
	}
	llm.setReply(func(n, _ int) (int, map[string]string, string) {
		var vs []map[string]string
		for i := 0; i < n && i < len(texts); i++ {
			vs = append(vs, map[string]string{"text": texts[i], "angle": "benefit first", "rationale": "Names the team."})
		}
		b, _ := json.Marshal(map[string]any{"variants": vs})
		return http.StatusOK, nil, completion(string(b))
	})
}

// briefRulesForm is a brief with a must-say and two must-not-say items,
// for an element of the given kind.
func briefRulesForm(kind string, n string) url.Values {
	return url.Values{
		"current_copy": {"Project management for busy teams"},
		"goal":         {"Get visitors to start a free trial"},
		"element_kind": {kind},
		"must_say":     {"teams"},
		"must_not_say": {"best\nguaranteed"},
		"n":            {n},
	}
}

// TestApproveEditedDraftsMeetTheBrief: a draft the marketer edited is held
// to the brief's rules, as the model's drafts are: a banned word, a
// must-say left out, the original copy again (once case, spaces and
// trailing punctuation are set aside) and a line break in a headline are
// each refused beside the draft, naming it and the rule, with the edit
// kept and nothing added.
func TestApproveEditedDraftsMeetTheBrief(t *testing.T) {
	llm := newFakeLLM(t)
	briefRulesDrafts(llm)
	// drafts writes a set of drafts to edit; each case has its own
	// experiment, so that one added by mistake does not hide the next.
	drafts := func(t *testing.T) (*genFixture, string, []string) {
		t.Helper()
		g := newGenFixture(t, llm.generator(5*time.Second))
		g.c.get(g.base)
		statusURL, _ := g.start(t, briefRulesForm("headline", "3"))
		texts := draftTexts(g.wait(t, statusURL))
		if len(texts) != 3 {
			t.Fatalf("%d drafts: %q", len(texts), texts)
		}
		return g, statusURL, texts
	}

	tests := []struct {
		name string
		edit string
		want string
	}{
		{"a banned word", "The best kanban tool for teams",
			"Draft 2 uses “best”, which is on the brief's must-not-say list."},
		{"another banned word, any case", "Guaranteed faster sprints for teams, no matter what",
			"Draft 2 uses “guaranteed”, which is on the brief's must-not-say list."},
		{"a must-say left out", "Faster sprints, no matter what",
			"Draft 2 leaves out “teams”, which the brief's must-say list asks every draft to include."},
		{"the original and a period", "Project management for busy teams.",
			"Draft 2 is the same as the original copy (“Project management for busy teams”) but for case, spacing or punctuation"},
		{"the original in other case and spacing", "project   management for BUSY teams!",
			"Draft 2 is the same as the original copy (“Project management for busy teams”) but for case, spacing or punctuation"},
		{"another variant, all but", "Teams: projects, finally under control",
			"Draft 2 is all but the same as Variant B (“Projects, finally under control”)"},
		{"a line break in a headline", "Plan every sprint\r\nwith your teams",
			"Draft 2 has a line break, which a headline cannot show: keep it on one line."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, statusURL, texts := drafts(t)
			resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, map[int]string{1: tt.edit}))
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			plain := html.UnescapeString(body)
			wantContains(t, plain, tt.want, "A ticked draft cannot be added yet; see the message below it.")
			// The message sits with the edited draft, whose text is kept.
			area := regexp.MustCompile(`<textarea id="f-drafts-1-text"[^>]*>`).FindString(body)
			if !strings.Contains(area, `aria-invalid="true"`) {
				t.Errorf("the edited draft is not marked: %s", area)
			}
			kept := strings.ReplaceAll(strings.TrimSpace(tt.edit), "\r\n", "\n")
			if !strings.Contains(body, ">"+html.EscapeString(kept)+"</textarea>") {
				t.Errorf("the edit %q is lost", kept)
			}
			x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
			if len(x.Variants) != 2 {
				t.Fatalf("a refused draft was added: %+v", x.Variants)
			}
		})
	}

	// An edit that meets the rules is added, and remembered as edited by
	// a person, not as the model's own words.
	edit := "Kanban boards that keep small teams moving"
	g, statusURL, texts := drafts(t)
	resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, map[int]string{1: edit}))
	wantStatus(t, resp, http.StatusSeeOther, body)
	x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
	if len(x.Variants) != 4 {
		t.Fatalf("variants %+v", x.Variants)
	}
	if v := x.Variants[3]; v.Text != edit || !v.Edited || v.Source != experiments.SourceModel {
		t.Errorf("edited draft stored as %+v", v)
	}
	if v := x.Variants[2]; v.Text != texts[0] || v.Edited {
		t.Errorf("unedited draft stored as %+v", v)
	}
	_, page := g.c.get("/experiments/" + g.x.ID)
	wantContains(t, page, "edited by hand")
}

// TestApproveEditedParagraphKeepsLineBreaks: where the element shows
// paragraphs, a line break the marketer typed is no fault: the draft is
// added with it (as a newline, whatever the browser sent).
func TestApproveEditedParagraphKeepsLineBreaks(t *testing.T) {
	llm := newFakeLLM(t)
	briefRulesDrafts(llm)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, briefRulesForm("paragraph", "2"))
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("%d drafts: %q", len(texts), texts)
	}
	resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0}, map[int]string{0: "Plan every sprint.\r\nYour teams will thank you."}))
	wantStatus(t, resp, http.StatusSeeOther, body)
	x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
	if len(x.Variants) != 3 || x.Variants[2].Text != "Plan every sprint.\nYour teams will thank you." {
		t.Errorf("variants %+v", x.Variants)
	}
}
