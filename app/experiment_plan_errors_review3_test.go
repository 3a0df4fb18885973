package app

import (
	"net/http"
	"net/url"
	"testing"
)

// TestPlanFieldsEachSayWhatIsWrong: the estimate under "What counts as a
// real difference" named one wrong field at most: a conversion rate of
// -3% went unsaid while the threshold was wrong too, and "lots" visitors a
// day was dropped without a word (the estimate just left out the days).
// Each wrong field now gets its sentence, on the form and in the estimate
// the fields fetch as they change. Found by a browser review.
func TestPlanFieldsEachSayWhatIsWrong(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	const (
		threshold = "Enter the smallest change worth acting on as a percentage, such as 10."
		base      = "Enter today’s conversion rate as a percentage between 0 and 100, such as 5."
		daily     = "Enter the visitors a day as a number above 0, such as 1000, or leave it empty."
	)
	for _, tt := range []struct {
		name, threshold, base, daily string
		want, absent                 []string
	}{
		{"all three wrong", "-5", "-3", "lots", []string{threshold, base, daily}, nil},
		{"the rate and the visitors", "10", "-3", "lots", []string{base, daily}, []string{threshold}},
		{"only the visitors", "10", "5", "0", []string{daily}, []string{threshold, base}},
		{"none", "10", "5", "1,000", []string{"visitors per variant", "At that traffic, the test takes"}, []string{threshold, base, daily}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"threshold": {tt.threshold}, "plan_base": {tt.base}, "plan_daily": {tt.daily}, "plan_variants": {"2"}}
			resp, body := c.get("/experiments/plan?" + q.Encode())
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, tt.want...)
			wantNotContains(t, body, tt.absent...)

			// The form drawn again (here by "+ Add a variant") says the same.
			c.get("/experiments/new")
			form := url.Values{"op": {"add"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"h1"},
				"goal_type": {"event"}, "goal_event": {"signup"}, "coverage": {"100"},
				"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"}}
			for k, v := range q {
				form[k] = v
			}
			resp, body = c.post("/experiments", form)
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, tt.want...)
			wantNotContains(t, body, tt.absent...)
		})
	}
}
