package app

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFullWidthDigitsAreNumbers: a Japanese, Chinese or Korean input
// method types digits full width (６０, ５．５, １，０００) unless switched
// off; every number field reads them as the digits they are, as a person
// reading the form does. Found by an international review.
func TestFullWidthDigitsAreNumbers(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Shop")

	t.Run("variant weights", func(t *testing.T) {
		c.get("/experiments/new")
		resp, body := c.post("/experiments", url.Values{
			"op": {"save"}, "site_id": {site.ID}, "name": {"料金"}, "page": {"/"}, "selector": {"h1"},
			"goal_type": {"event"}, "goal_event": {"signup"}, "coverage": {"１００"},
			"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[0].weight": {"６０"},
			"variants[1].key": {""}, "variants[1].text": {"New"}, "variants[1].weight": {"４０％"},
		})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		id := strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/")
		id, _, _ = strings.Cut(id, "/")
		x, err := e.store.Experiment(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Variants) != 2 || x.Variants[0].WeightBP != 6000 || x.Variants[1].WeightBP != 4000 {
			t.Errorf("weights saved: %+v", x.Variants)
		}
	})

	t.Run("plan estimate", func(t *testing.T) {
		q := url.Values{"threshold": {"１０"}, "plan_base": {"１０"}, "plan_daily": {"１，０００"}, "plan_variants": {"2"}}
		resp, body := c.get("/experiments/plan?" + q.Encode())
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "about <strong>15,000 visitors per variant</strong>")
		wantNotContains(t, body, "Enter ")
	})

	t.Run("hide timeout", func(t *testing.T) {
		_, page := c.get("/sites/" + site.ID)
		form := h11SettingsForm(t, page)
		form.Set("hide_timeout_ms", "１５００")
		resp, body := c.post("/sites/"+site.ID+"/settings", form)
		if resp.StatusCode >= 400 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		s, err := e.store.Site(t.Context(), site.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.HideTimeoutMS != 1500 {
			t.Errorf("hide timeout saved: %d", s.HideTimeoutMS)
		}
	})

	t.Run("brief", func(t *testing.T) {
		g := newGenFixture(t, nil)
		g.c.get(g.base)
		brief := g.brief(1)
		brief.Set("max_length", "６０")
		brief.Set("n", "３")
		_, body := g.c.hx(http.MethodPost, g.base, brief)
		wantNotContains(t, html.UnescapeString(body), "Enter a number of characters", "Ask for between")
	})
}
