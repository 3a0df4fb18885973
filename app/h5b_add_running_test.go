package app

import (
	"html"
	"net/http"
	"path"
	"strings"
	"testing"
)

// What the previous drafts say of a press of Add they refused while the
// newer brief is written, and what the page says of one on the newer
// brief itself.
const (
	previousRefusedNote = "Nothing was added yet: fix what is marked below and press Add again. Your new brief is still being written above; once its drafts are ready they take the place of these, so add the ones you want to keep before then. Adding them does not stop the new brief."
	runningAddText      = "Your new brief is still being written, so it has no drafts to add yet: they show here once they are ready. Your previous drafts below can be added now."
)

// TestRefusedAddShowsTheBriefBeingWritten: Ann's previous drafts are
// below her new brief, which is being written, and she presses Add on
// them with nothing ticked, or with a draft edited past the brief's
// length. The refusal showed those drafts alone, as if no brief were
// coming to replace them. It now shows what the page shows otherwise:
// the new brief as typed, its progress (which polls on), and below it
// the previous drafts, as she left them, with the refusal and a sentence
// saying why Add waits. The brief's last poll then takes them off the
// page, as it does for a page that was never refused.
func TestRefusedAddShowsTheBriefBeingWritten(t *testing.T) {
	long := strings.Repeat("Plan every launch calmly ", 5)
	for _, tt := range []struct {
		name   string
		form   func(texts []string) map[string][]string
		refuse string
	}{
		{"nothing ticked", func(texts []string) map[string][]string { return draftsForm(texts, nil, nil) },
			"Tick at least one draft to add it to the experiment."},
		{"a draft too long", func(texts []string) map[string][]string {
			return draftsForm(texts, []int{0}, map[int]string{0: long})
		}, "Add drafts over"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, release, oldURL, newURL, texts := previousWhileRunning(t, false)
			oldID, newID := path.Base(oldURL), path.Base(newURL)
			resp, page := g.c.post(oldURL+"/approve", tt.form(texts))
			wantStatus(t, resp, http.StatusUnprocessableEntity, page)
			poll := newURL + "?previous=" + oldID
			wantContains(t, page, `data-state="running"`, `hx-get="`+html.EscapeString(poll)+`"`, `hx-trigger="every 1s"`,
				`id="previous-drafts"`, "Your previous drafts", previousRefusedNote,
				`data-job="`+oldID+`"`, html.EscapeString(tt.refuse),
				`name="tone" type="text" value="playful"`, `name="job" value="`+newID+`"`)
			if tt.name == "a draft too long" {
				wantContains(t, page, html.EscapeString(strings.TrimSpace(long)), texts[1])
			} else {
				wantContains(t, page, texts[0], texts[1])
			}
			if i, k := strings.Index(page, `id="generation"`), strings.Index(page, `id="previous-drafts"`); i < 0 || k < i {
				t.Errorf("the previous drafts do not come below the progress")
			}

			release()
			frag := g.wait(t, poll)
			wantContains(t, frag, `data-state="done"`, `<section id="previous-drafts" hx-swap-oob="delete"></section>`)
		})
	}
}

// TestAddOnTheBriefBeingWritten: Add sent for the brief that is still
// being written (a page left over, a second press as its drafts came)
// was refused with "There are no drafts to add yet", which the page did
// not show: the progress has no drafts form to show it in. The page now
// says why Add waits, above the progress and the previous drafts.
func TestAddOnTheBriefBeingWritten(t *testing.T) {
	g, _, oldURL, newURL, texts := previousWhileRunning(t, false)
	resp, page := g.c.post(newURL+"/approve", draftsForm(texts, []int{0}, nil))
	wantStatus(t, resp, http.StatusUnprocessableEntity, page)
	wantContains(t, page, runningAddText, `data-state="running"`, `id="previous-drafts"`,
		`data-job="`+path.Base(oldURL)+`"`, `name="job" value="`+path.Base(newURL)+`"`)
	if i, k := strings.Index(page, runningAddText), strings.Index(page, `id="generation"`); i < 0 || k < i {
		t.Errorf("the sentence does not come above the progress")
	}
}
