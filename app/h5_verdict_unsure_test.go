package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestVerdictUnsureWinnerWords: a winner by the spec's rule (95% chance to
// be the best and to beat the original) whose two-sided 95% interval still
// includes no gain is not told "Ship it." anywhere: not on the results
// page, not in the document, not in the webhook's message, which is headed
// as a probable winner. 800/80 against 800/102 at a 50% threshold, 8 days
// in with its planned sample: "+27.5% (−3.2% to +67.9%)".
func TestVerdictUnsureWinnerWords(t *testing.T) {
	e, c, x := unsureTest(t, [2]int64{800, 80}, [2]int64{800, 102})
	tok := e.token("api@example.com")

	resp, body := c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	_, text, early, _ := verdictOn(t, body)
	if early {
		t.Fatalf("verdict marked early: %q", text)
	}
	const want = "Variant B is probably the best on clicks (95% chance) and lifts them by +27.5%, but the 95% interval of that lift, −3.2% to +67.9%, still includes no gain: keep the test running to be sure, or ship it if that risk is acceptable."
	if text != want {
		t.Errorf("page verdict\n %q\nwant\n %q", text, want)
	}

	_, out := e.api("GET", "/api/v1/experiments/"+x.ID+"/results", tok, "")
	v := out["verdict"].(map[string]any)
	if v["status"] != "winner" || v["text"] != want {
		t.Errorf("document verdict %v, want winner with %q", v, want)
	}

	h := newHook(t)
	e.allowPrivateWebhooks() // the receiver is on 127.0.0.1
	setWebhook(t, e, x.SiteID, h.URL+"/hook")
	if n := e.app.notifyOnce(context.Background()); n != 1 {
		t.Fatalf("sent %d, want 1", n)
	}
	got := h.received()
	if len(got) != 1 {
		t.Fatalf("webhook got %v", got)
	}
	title, _ := got[0]["title"].(string)
	msg, _ := got[0]["text"].(string)
	if title != "Probably a winner: “Hero” on Shop" || !strings.Contains(msg, want) {
		t.Errorf("webhook got %q %q, want a probable winner with %q", title, msg, want)
	}
	for _, s := range []string{title, msg} {
		if strings.Contains(s, "Ship it") || strings.Contains(s, "We have a winner") {
			t.Errorf("webhook says %q", s)
		}
	}
}

// TestVerdictUnsureOriginalWords: the mirror case, the original best by
// the spec's rule while a variant's interval still includes a gain: the
// webhook heads it as probable, as its sentence says.
func TestVerdictUnsureOriginalWords(t *testing.T) {
	e, _, x := unsureTest(t, [2]int64{800, 102}, [2]int64{800, 80})
	h := newHook(t)
	e.allowPrivateWebhooks() // the receiver is on 127.0.0.1
	setWebhook(t, e, x.SiteID, h.URL+"/hook")
	if n := e.app.notifyOnce(context.Background()); n != 1 {
		t.Fatalf("sent %d, want 1", n)
	}
	got := h.received()
	title, _ := got[0]["title"].(string)
	msg, _ := got[0]["text"].(string)
	const want = "The original is probably the best on clicks (95% chance), but the 95% interval of Variant B's change, −40.4% to +3.3%, still includes a gain: keep the test running to be sure, or keep the original if that risk is acceptable."
	if title != "The original is probably best: “Hero” on Shop" || !strings.Contains(msg, want) {
		t.Errorf("webhook got %q %q, want %q", title, msg, want)
	}
}
