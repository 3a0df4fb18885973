package app

import (
	"context"
	"html"
	"net/http"
	"path"
	"strings"
	"testing"
	"time"
)

// What the previous drafts say of themselves below a newer brief being
// written, and once it ended without replacing them.
const (
	previousRunningNote = "These are your previous drafts, kept as you left them while your new brief is written. Once its drafts are ready they take the place of these: to keep any of these, tick them and add them to the experiment now. Adding them does not stop the new brief."
	previousKeptNote    = "Your new brief brought no drafts to replace these, so they stay as you left them."
)

// previousWhileRunning has Ann's first set of drafts written, then a new
// brief (tone "playful") sent and held at the model: the new brief is
// being written, and the first set is kept until its drafts are there.
// With fail, the model answers the new brief with an error once released.
func previousWhileRunning(t *testing.T, fail bool) (g *genFixture, release func(), oldURL, newURL string, texts []string) {
	t.Helper()
	llm := newFakeLLM(t)
	g = newGenFixture(t, llm.generator(10*time.Second))
	g.c.get(g.base)
	oldURL, _ = g.start(t, g.brief(2))
	texts = draftTexts(g.wait(t, oldURL))
	if len(texts) != 2 {
		t.Fatalf("%d drafts, want 2", len(texts))
	}
	if fail {
		llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
	}
	release = llm.hold()
	t.Cleanup(release)
	v := g.brief(3)
	v.Set("tone", "playful")
	newURL, _ = g.start(t, answered(v))
	return g, release, oldURL, newURL, texts
}

// TestPageOfPreviousDraftsShowsTheNewerBriefRunning: the page of the
// first set, reached by Back or a reload while a newer brief is written,
// shows that brief (its form, its progress, polling) and, below, the
// first set, labelled as the drafts the new ones will replace. The
// newer brief's own page and the workspace the brief answers with show
// the same.
func TestPageOfPreviousDraftsShowsTheNewerBriefRunning(t *testing.T) {
	g, _, oldURL, newURL, texts := previousWhileRunning(t, false)
	oldID, newID := path.Base(oldURL), path.Base(newURL)
	poll := `hx-get="` + html.EscapeString(newURL+"?previous="+oldID) + `"`
	for _, u := range []string{g.base + "?job=" + oldID, g.base + "?job=" + newID, g.base} {
		_, page := g.c.get(u)
		wantContains(t, page, `data-state="running"`, poll, `hx-trigger="every 1s"`,
			`id="previous-drafts"`, "Your previous drafts", previousRunningNote,
			`data-job="`+oldID+`"`, texts[0], texts[1],
			`name="tone" type="text" value="playful"`, `name="job" value="`+newID+`"`)
		// The new brief's progress comes first.
		if i, k := strings.Index(page, `id="generation"`), strings.Index(page, `id="previous-drafts"`); i < 0 || k < i {
			t.Errorf("%s: the previous drafts come before the progress", u)
		}
	}
	_, frag := g.c.hx(http.MethodGet, newURL+"?previous="+oldID, nil)
	wantContains(t, frag, `data-state="running"`, poll)
	wantNotContains(t, frag, "previous-drafts", texts[0])
}

// TestPreviousDraftsGoOnceTheNewOnesAreThere: the last poll of the newer
// brief, the drafts written, takes the previous drafts off the page (they
// were replaced), so it does not go on showing them until reloaded; one
// that failed leaves them, saying nothing replaced them.
func TestPreviousDraftsGoOnceTheNewOnesAreThere(t *testing.T) {
	t.Run("written", func(t *testing.T) {
		g, release, oldURL, newURL, _ := previousWhileRunning(t, false)
		release()
		frag := g.wait(t, newURL+"?previous="+path.Base(oldURL))
		wantContains(t, frag, `data-state="done"`, `<section id="previous-drafts" hx-swap-oob="delete"></section>`)
		if n := len(draftTexts(frag)); n != 3 {
			t.Errorf("%d drafts in the last poll, want the new brief's 3", n)
		}
	})
	t.Run("failed", func(t *testing.T) {
		g, release, oldURL, newURL, _ := previousWhileRunning(t, true)
		release()
		frag := g.wait(t, newURL+"?previous="+path.Base(oldURL))
		wantContains(t, frag, `data-state="failed"`, `id="previous-drafts-note"`, `hx-swap-oob="true"`, previousKeptNote)
		wantNotContains(t, frag, `hx-swap-oob="delete"`, "Back to your previous drafts")
	})
}

// TestAddPreviousDraftsWhileTheNewerBriefIsWritten: Add on the previous
// drafts, pressed while the newer brief is written, adds them as they
// are ticked and edited, and the newer brief goes on: its drafts come,
// and show as the person's latest.
func TestAddPreviousDraftsWhileTheNewerBriefIsWritten(t *testing.T) {
	g, release, oldURL, newURL, texts := previousWhileRunning(t, false)
	const edited = "Your launches, calm at last"
	resp, body := g.c.post(oldURL+"/approve", draftsForm(texts, []int{0}, map[int]string{0: edited}))
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != "/experiments/"+g.x.ID {
		t.Fatalf("Add went to %q", loc)
	}
	x, err := g.e.store.Experiment(context.Background(), g.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(x.Variants); n != len(g.x.Variants)+1 || x.Variants[n-1].Text != edited {
		t.Errorf("variants after Add: %+v", x.Variants)
	}

	release()
	frag := g.wait(t, newURL+"?previous="+path.Base(oldURL))
	if n := len(draftTexts(frag)); n != 3 {
		t.Errorf("%d new drafts, want 3", n)
	}
	_, page := g.c.get(g.base)
	wantContains(t, page, `data-job="`+path.Base(newURL)+`"`)
	wantNotContains(t, page, "previous-drafts")
}
