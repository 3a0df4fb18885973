package app

import (
	"strings"
	"testing"
	"time"
)

const (
	f15Help        = "The language to write the drafts in. Leave it empty to write them in the language of the current copy."
	f15OfflineHelp = "Offline suggestions are English only: connect a model for drafts in other languages."
	f15OfflineNote = "The offline generator writes English only, and the current copy does not look English: translate these drafts, or connect a model in the settings."
)

// TestF15LanguageHelp: the brief's Language says that an empty box means
// the current copy's language, not English; with no model connected it
// also says the offline suggestions are English whatever it holds.
func TestF15LanguageHelp(t *testing.T) {
	t.Run("model", func(t *testing.T) {
		g := newGenFixture(t, newFakeLLM(t).generator(5*time.Second))
		_, page := g.c.get(g.base)
		wantContains(t, page, f15Help)
		wantNotContains(t, page, "Defaults to English", f15OfflineHelp)
	})
	t.Run("offline", func(t *testing.T) {
		g := newGenFixture(t, nil)
		_, page := g.c.get(g.base)
		wantContains(t, page, f15Help+" "+f15OfflineHelp)
		wantNotContains(t, page, "Defaults to English")
	})
}

// TestF15BriefWithoutLanguageKeepsTheCopysLanguage: a brief for German
// copy with Language left empty asks the model for drafts in the current
// copy's language, never in English; a language typed in the box is the
// one asked for.
func TestF15BriefWithoutLanguageKeepsTheCopysLanguage(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)

	v := g.brief(2)
	v.Set("current_copy", "Jetzt kostenlos registrieren")
	v.Set("goal", "Mehr Anmeldungen für die Testphase")
	v.Set("element_kind", "headline")
	v.Del("brand_voice")
	statusURL, _ := g.start(t, v)
	wantContains(t, g.wait(t, statusURL), `data-state="done"`)
	req := llm.lastRequest()
	if strings.Contains(strings.ToLower(req), "english") {
		t.Errorf("the request for German copy with no language names English:\n%s", req)
	}
	wantContains(t, req, "in the same language as the current copy.")

	v.Set("language", "Deutsch")
	v.Set("current_copy", "Jetzt gratis registrieren")
	statusURL, _ = g.start(t, answered(v))
	wantContains(t, g.wait(t, statusURL), `data-state="done"`)
	req = llm.lastRequest()
	wantContains(t, req, "characters, in Deutsch.", `"language": "Deutsch"`)
	wantNotContains(t, req, "in the same language as the current copy")
}

// TestF15OfflineSaysTheDraftsAreEnglish: with no model, a brief for
// German copy with Language left empty still gets suggestions, and the
// page says they are English.
func TestF15OfflineSaysTheDraftsAreEnglish(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	v := g.brief(2)
	v.Set("current_copy", "Jetzt kostenlos registrieren")
	v.Set("goal", "Mehr Anmeldungen für die Testphase")
	statusURL, _ := g.start(t, v)
	body := g.wait(t, statusURL)
	wantContains(t, body, `data-state="done"`, f15OfflineNote)
	if n := len(draftTexts(body)); n == 0 {
		t.Errorf("no suggestions for German copy: %s", body)
	}
}
