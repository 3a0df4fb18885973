package app

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestNewBriefWithoutJavaScriptAsksAfterRefresh: without JavaScript a
// set of drafts arrives by the progress's Refresh link (the page of the
// job, ?job=…), not by a poll. Its brief form says which drafts it shows,
// so a new brief from it asks before replacing them; so does one sent
// from the progress page itself when the drafts arrived meanwhile.
func TestNewBriefWithoutJavaScriptAsksAfterRefresh(t *testing.T) {
	for _, refresh := range []bool{true, false} {
		t.Run(fmt.Sprintf("refreshed %v", refresh), func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(10*time.Second))
			g.c.get(g.base)
			release := llm.hold()
			defer release()
			resp, body := g.c.post(g.base, g.brief(3))
			wantStatus(t, resp, http.StatusSeeOther, body)
			page := resp.Header.Get("Location")
			m := jobRe.FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("the brief went to %q", page)
			}
			_, running := g.c.get(page)
			wantContains(t, running, `data-state="running"`, `class="refresh-link"`, `name="job" value="`+m[1]+`"`)
			release()
			g.wait(t, g.base+"/jobs/"+m[1])

			if refresh {
				_, done := g.c.get(page) // the Refresh link
				wantContains(t, done, `data-state="done"`, `id="drafts-form"`, `name="job" value="`+m[1]+`"`)
			}
			v := g.newBrief()
			v.Set("job", m[1])
			calls := llm.calls()
			resp, body = g.c.post(g.base, v)
			wantStatus(t, resp, http.StatusConflict, body)
			wantContains(t, body, "New drafts replace the 3 drafts below", `name="replace" value="1"`, `id="drafts-form"`)
			if llm.calls() != calls {
				t.Error("the brief reached the model before the marketer answered")
			}
		})
	}
}
