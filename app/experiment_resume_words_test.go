package app

import (
	"testing"

	"copylab/experiments"
)

// TestResumeSaysShippedCopyWaits: while a test is paused the tag shows
// the variant another experiment shipped on the same element; Resume
// hides it again (the running test decides the element's copy), and its
// message says so, as Pause said it would show. With another test of the
// element running, Resume says the two undo each other's copy; with
// nothing else on the element, the message is as before.
func TestResumeSaysShippedCopyWaits(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	e.shipped(site.ID, "Shipped headline")
	x := e.transition(e.experimentOn(site.ID, "Next", "/pricing", heroSelector, "Shipped headline", "Newer headline").ID, experiments.ActionStart)
	e.transition(x.ID, experiments.ActionPause)
	wantContains(t, e.tagBody(site.Key), "Shipped headline")

	body := flashAfter(t, c, "/experiments/"+x.ID+"/resume", nil)
	wantContains(t, withoutBdi(body), "Resumed. Visitors see the variants again; the shipped copy of “Old” (Variant B) on this element waits while this test runs.")
	wantNotContains(t, e.tagBody(site.Key), "Shipped headline")

	// Another test of the element started meanwhile, on pages that may
	// meet these: they fight. (On the same pages, Resume is refused:
	// TestStartRefusedWhileElementInTest.)
	e.transition(x.ID, experiments.ActionPause)
	other := e.transition(e.experimentOn(site.ID, "Other", "/pricing*?plan=*", heroSelector).ID, experiments.ActionStart)
	body = flashAfter(t, c, "/experiments/"+x.ID+"/resume", nil)
	wantContains(t, withoutBdi(body), "Resumed. Visitors see the variants again. But “Other” tests this element too, on pages that may meet these (it runs on /pricing*?plan=*): on a page both reach, the two tests undo each other’s copy. Stop one of them if a page of your site matches both.")
	e.transition(other.ID, experiments.ActionStop)

	// Nothing else on the element: as before.
	y := e.transition(e.experiment(site.ID, "Elsewhere").ID, experiments.ActionStart)
	if _, err := e.store.Writer().Exec(`update experiments set selector = '#other' where id = ?`, y.ID); err != nil {
		t.Fatal(err)
	}
	e.transition(y.ID, experiments.ActionPause)
	body = flashAfter(t, c, "/experiments/"+y.ID+"/resume", nil)
	wantContains(t, body, "Resumed. Visitors see the variants again.")
}
