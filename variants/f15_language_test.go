package variants

import (
	"context"
	"strings"
	"testing"
)

// f15CopyLanguage is the sentence of the user message for a brief that
// names no language.
const f15CopyLanguage = "in the same language as the current copy."

// f15Briefs are drafting briefs whose current copy is not English and
// whose Language the person left empty, each with drafts that fit it.
var f15Briefs = []struct {
	name  string
	brief Brief
	texts []string
	again string // a rewrite's draft
}{
	{"German", Brief{Goal: "Mehr Anmeldungen für die Testphase", CurrentCopy: "Jetzt kostenlos registrieren", ElementKind: "button", N: 2},
		[]string{"Kostenlos loslegen", "Gratis testen"}, "Konto in einer Minute anlegen"},
	{"Japanese", Brief{Goal: "無料トライアルの登録を増やす", CurrentCopy: "今すぐ無料で登録", ElementKind: "button", N: 2},
		[]string{"無料で始める", "今すぐ試す"}, "一分でアカウント作成"},
	{"Arabic", Brief{Goal: "زيادة التسجيلات في التجربة المجانية", CurrentCopy: "سجّل الآن مجانًا", ElementKind: "button", N: 2},
		[]string{"ابدأ مجانًا", "جرّبه اليوم"}, "أنشئ حسابك في دقيقة"},
}

// TestF15PromptFollowsTheCopysLanguage: a brief whose Language is empty
// asks the model for drafts in the current copy's language, in the first
// request and in a rewrite's, and names no language of its own, English
// least of all: a model that follows the prompt must not translate a
// German site's button into English.
func TestF15PromptFollowsTheCopysLanguage(t *testing.T) {
	for _, tt := range f15Briefs {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, okReply(variantsJSON(tt.texts...)), okReply(variantsJSON(tt.again)))
			g := f.generator()
			res, err := g.Generate(context.Background(), tt.brief)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if len(res.Variants) != len(tt.texts) {
				t.Fatalf("variants %+v, dropped %+v", res.Variants, res.Dropped)
			}
			if _, err := g.Regenerate(context.Background(), tt.brief, tt.texts[1:], tt.texts[0], InstructionDifferentAngle); err != nil {
				t.Fatalf("Regenerate: %v", err)
			}
			for i, what := range []string{"first request", "rewrite"} {
				msgs := f.messages(i)
				all := strings.Join(msgs, "\n")
				if strings.Contains(strings.ToLower(all), "english") {
					t.Errorf("the %s names English for %s copy:\n%s", what, tt.name, all)
				}
				if !strings.Contains(msgs[len(msgs)-1], f15CopyLanguage) {
					t.Errorf("the %s does not ask for the current copy's language (%q):\n%s", what, f15CopyLanguage, msgs[len(msgs)-1])
				}
				if !strings.Contains(msgs[0], "when it names none, in the same language as the current copy") {
					t.Errorf("the %s's system prompt does not say what to write in without a language:\n%s", what, msgs[0])
				}
				if strings.Contains(all, `"language"`) {
					t.Errorf("the %s's brief carries a language nobody gave:\n%s", what, all)
				}
			}
		})
	}
}

// TestF15GivenLanguageWins: a language the person gives is the one the
// prompt names, even when the current copy is in another.
func TestF15GivenLanguageWins(t *testing.T) {
	tests := []struct {
		name, language string
		texts          []string
	}{
		{"German for German copy", "Deutsch", []string{"Kostenlos loslegen", "Gratis testen"}},
		{"English for German copy", "English", []string{"Start for free", "Try it free today"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, okReply(variantsJSON(tt.texts...)))
			b := f15Briefs[0].brief
			b.Language = tt.language
			if _, err := f.generator().Generate(context.Background(), b); err != nil {
				t.Fatalf("Generate: %v", err)
			}
			user := f.messages(0)[1]
			for _, want := range []string{"characters, in " + tt.language + ".\n", `"language": "` + tt.language + `"`} {
				if !strings.Contains(user, want) {
					t.Errorf("the request does not say %q:\n%s", want, user)
				}
			}
			if strings.Contains(user, f15CopyLanguage) {
				t.Errorf("the request asks for the copy's language although the person gave %s:\n%s", tt.language, user)
			}
		})
	}
}

// TestF15NormalizeLeavesLanguageEmpty: the normalized brief keeps an
// empty Language empty, so nothing downstream mistakes "not given" for
// "English".
func TestF15NormalizeLeavesLanguageEmpty(t *testing.T) {
	if got := f15Briefs[0].brief.Normalize().Language; got != "" {
		t.Errorf("Normalize filled in Language %q", got)
	}
	if got := (Brief{Language: "  Deutsch "}).Normalize().Language; got != "Deutsch" {
		t.Errorf("Normalize made Language %q, want Deutsch", got)
	}
}

// f15OfflineNote is the offline generator's note for a brief with no
// language whose current copy is not English.
const f15OfflineNote = "The offline generator writes English only, and the current copy does not look English: translate these drafts, or connect a model in the settings."

// TestF15OfflineSaysItsDraftsAreEnglish: the offline generator keeps
// suggesting drafts for copy in another language, as it does for a
// language the person names, and says on the page and in each draft's
// rationale that they are English. English copy gets no such note.
func TestF15OfflineSaysItsDraftsAreEnglish(t *testing.T) {
	g, _ := New(Config{})
	for _, tt := range f15Briefs {
		t.Run(tt.name, func(t *testing.T) {
			res, err := g.Generate(context.Background(), tt.brief)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			if len(res.Variants) == 0 || !contains(res.Notes, f15OfflineNote) {
				t.Errorf("drafts %q, notes %q; want drafts and the note %q", variantTexts(res.Variants), res.Notes, f15OfflineNote)
			}
			for _, v := range res.Variants {
				if !strings.HasSuffix(v.Rationale, offlineEnglishOnly) {
					t.Errorf("the rationale of %q does not say it is English: %q", v.Text, v.Rationale)
				}
			}
			c, err := g.Regenerate(context.Background(), tt.brief, nil, variantTexts(res.Variants)[0], "")
			if err != nil {
				t.Fatalf("Regenerate: %v", err)
			}
			if !strings.HasSuffix(c.Rationale, offlineEnglishOnly) {
				t.Errorf("the rewrite's rationale does not say it is English: %q", c.Rationale)
			}
		})
	}
	t.Run("English", func(t *testing.T) {
		res, err := g.Generate(context.Background(), Brief{Goal: "Get visitors to start a free trial", CurrentCopy: "Sign up for free", N: 2})
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if len(res.Notes) != 0 {
			t.Errorf("notes %q for English copy", res.Notes)
		}
		for _, v := range res.Variants {
			if strings.Contains(v.Rationale, offlineEnglishOnly) {
				t.Errorf("the rationale of %q says English copy is English: %q", v.Text, v.Rationale)
			}
		}
	})
}

// TestF15CopyLooksEnglish: the offline generator's guess at whether the
// current copy is English, which only decides its note. Copy with no word
// it knows either way counts as English, so English copy is never told
// it is not.
func TestF15CopyLooksEnglish(t *testing.T) {
	tests := []struct {
		copy string
		want bool
	}{
		{"Get started", true},
		{"Sign up for free", true},
		{"Project management for busy teams", true},
		{"Subscribe", true},
		{"Café menus your guests will love", true},
		{"Acme Boards", true}, // no word it knows: assumed English
		{"Abonnieren", false},
		{"Jetzt kostenlos registrieren", false},
		{"Projektmanagement für Teams", false},
		{"Commencez votre essai gratuit", false},
		{"Empieza tu prueba gratis ahora", false},
		{"Inizia la prova gratuita", false},
		{"Probeer het nu gratis", false},
		{"今すぐ無料で登録", false},
		{"سجّل الآن مجانًا", false},
		{"Начать бесплатно", false},
		{"Acme Boards 2.0 — 今すぐ登録", false},
	}
	for _, tt := range tests {
		t.Run(tt.copy, func(t *testing.T) {
			if got := copyLooksEnglish(tt.copy); got != tt.want {
				t.Errorf("copyLooksEnglish(%q) = %v, want %v", tt.copy, got, tt.want)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, it := range list {
		if it == s {
			return true
		}
	}
	return false
}
