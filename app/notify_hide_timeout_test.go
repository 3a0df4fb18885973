package app

import (
	"context"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestNotifyElementMissingNamesHideTimeout: the missing element's message
// reuses the results page's words, so it names the site's hide timeout in
// ms as the page does, not "the time the tag waits for it".
func TestNotifyElementMissingNamesHideTimeout(t *testing.T) {
	for _, tc := range []struct {
		timeout int
		ms      string
	}{{1000, "1,000"}, {2500, "2,500"}} {
		t.Run(tc.ms, func(t *testing.T) {
			e := newEnvConfig(t, allowPrivateWebhooks) // its receiver is on 127.0.0.1
			ctx := context.Background()
			h := newHook(t)
			site := e.site("Shop")
			if _, err := e.store.UpdateSite(ctx, experiments.Site{ID: site.ID, Name: site.Name, Domain: site.Domain, HideTimeoutMS: tc.timeout}); err != nil {
				t.Fatal(err)
			}
			x := e.experiment(site.ID, "Pricing hero", "Original headline", "Better headline")
			x = e.transition(x.ID, experiments.ActionStart)
			e.setRecentHealth(x, [2]int64{200, 0}, [2]int64{1, 11})
			setWebhook(t, e, site.ID, h.URL+"/hook")
			if n := e.app.notifyOnce(ctx); n != 1 {
				t.Fatalf("%d sent, want the missing element's message", n)
			}
			got := h.received()
			if len(got) != 1 {
				t.Fatalf("webhook got %v", got)
			}
			v, _ := got[0]["verdict"].(map[string]any)
			text, _ := v["text"].(string)
			want := "Variant B: since the test started the element was not found in 91.7% of page views (11 of 12) within the " +
				tc.ms + " ms the tag waits for it (the site’s hide timeout)"
			if !strings.Contains(text, want) {
				t.Errorf("message\n %q\nwant it to contain\n %q", text, want)
			}
		})
	}
}
