package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"testing"

	"copylab/experiments"
	"copylab/views"
)

// TestThresholdFormRacesStart: a draft's edit form that changes the
// practical threshold, posted as the test starts, either saves the
// threshold before the start or is refused with the words of a started
// test's form ("The threshold is fixed…"): a test never runs with a
// threshold other than the one it started with. The form read the test
// as a draft and saved after the start had committed, and the store took
// any threshold, so the verdict could change after the data was in.
func TestThresholdFormRacesStart(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")
	ctx := context.Background()
	for i := range 40 {
		x := e.experiment(site.ID, fmt.Sprintf("Round %d", i))
		form := editFormOf(x)
		form.Set("threshold", "25")
		form.Set("_csrf", c.csrf)
		var (
			wg       sync.WaitGroup
			resp     *http.Response
			postErr  error
			started  experiments.Experiment
			startErr error
		)
		wg.Go(func() {
			req := newRequest(http.MethodPost, "/experiments/"+x.ID+"/edit", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range c.cookies {
				req.AddCookie(&http.Cookie{Name: k, Value: v})
			}
			resp, postErr = e.app.Fiber().Test(req, -1)
		})
		wg.Go(func() { started, startErr = e.store.Transition(ctx, x.ID, experiments.ActionStart) })
		wg.Wait()
		if postErr != nil || startErr != nil {
			t.Fatalf("round %d: post %v, start %v", i, postErr, startErr)
		}
		stored, err := e.store.Experiment(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Threshold != started.Threshold {
			t.Fatalf("round %d: the test started with the threshold %v and runs with %v", i, started.Threshold, stored.Threshold)
		}
		// The flash says what happened, in the form's words.
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusSeeOther, body)
		for _, ck := range resp.Cookies() {
			c.cookies[ck.Name] = ck.Value
		}
		_, page := c.get(resp.Header.Get("Location"))
		m := flashRe.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("round %d: no flash", i)
		}
		flash := html.UnescapeString(m[1])
		if saved := strings.HasPrefix(flash, "Changes saved"); saved != (stored.Threshold == 0.25) || !saved && flash != views.ThresholdFixedWords {
			t.Fatalf("round %d: threshold %v, flash %q", i, stored.Threshold, flash)
		}
	}
}
