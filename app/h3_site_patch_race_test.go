package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestSiteEditsRaceKeepEach: edits of a site's different fields that
// run at once each keep the other's. A rename through the API, a move to
// another domain through the API and the brand voice saved with a brief
// (the drafting page) race, round after round; after each round the site
// has all three. Each PATCH used to read the whole site and write it all
// back, so a rename could put back the domain or brand voice it read.
func TestSiteEditsRaceKeepEach(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ann@example.com")
	site := e.site("Shop")
	patch := func(body string) error {
		req := newRequest(http.MethodPatch, "/api/v1/sites/"+site.ID, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := e.app.Fiber().Test(req, -1)
		if err != nil {
			return err
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("PATCH %s: %d %s", body, resp.StatusCode, raw)
		}
		return nil
	}
	for i := range 60 {
		name, domain, voice := fmt.Sprintf("Shop %d", i), fmt.Sprintf("shop%d.example", i), fmt.Sprintf("Warm, round %d.", i)
		var wg sync.WaitGroup
		errs := make([]error, 3)
		wg.Go(func() { errs[0] = patch(`{"name":"` + name + `"}`) })
		wg.Go(func() { errs[1] = patch(`{"domain":"` + domain + `"}`) })
		wg.Go(func() { errs[2] = e.store.SetBrandVoice(context.Background(), site.ID, voice) })
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		}
		got, err := e.store.Site(context.Background(), site.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != name || got.Domain != domain || got.BrandVoice != voice {
			t.Fatalf("round %d: the site has %q, %q, %q; want %q, %q, %q: an edit was lost",
				i, got.Name, got.Domain, got.BrandVoice, name, domain, voice)
		}
	}
}
