package app

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGenerateApproveLongBoxBeforeAdd: after a refusal for length, the
// "add anyway" box stands before the Add button, so the next press of Add
// is right below the box just ticked (at 390 px it was under the button
// and its help, and Add was off screen above). One draft refused is told
// of in the singular.
func TestGenerateApproveLongBoxBeforeAdd(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	brief := g.brief(2)
	brief.Set("max_length", "40")
	statusURL, _ := g.start(t, brief)
	texts := draftTexts(g.wait(t, statusURL))
	form := draftsForm(texts, []int{0, 1}, map[int]string{1: "Plan every launch, sprint and review in one calm place"})
	resp, body := g.c.post(statusURL+"/approve", form)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)

	box, add := strings.Index(body, `name="allow_long"`), strings.Index(body, `data-approve`)
	if box < 0 || add < 0 || box > add {
		t.Errorf("the allow_long box at %d, the Add button at %d: want the box first", box, add)
	}
	wantContains(t, body, "A ticked draft cannot be added yet; see the message below it.")
	wantNotContains(t, body, "Some ticked drafts cannot be added yet")
}
