package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/static/browsertest"
)

// TestRecordingsEndToEnd is the recordings loop in a real browser: a site
// that runs PostHog (a stub with posthog-js's API on the host page), a
// visitor whose recording the tag marks with the variant and reports, and
// the direct link to that session on the results page, beside the
// visitor's variant. With COPYLAB_SCREENSHOTS=DIR it also saves there
// the screenshot of the recordings card that docs/screenshots keeps
// (recordingsShots).
//
//	COPYLAB_SCREENSHOTS=$PWD/docs/screenshots go test ./app -run TestRecordingsEndToEnd -v
func TestRecordingsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	store := live.store
	if _, _, err := AddUser(ctx, store, "owner@example.com", "Owner", testPassword); err != nil {
		t.Fatal(err)
	}
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpdateSiteRecorders(ctx, site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://eu.posthog.com", ProjectID: "12345"},
	}); err != nil {
		t.Fatal(err)
	}
	x, err := store.CreateExperiment(ctx, experiments.Experiment{
		SiteID: site.ID, Name: "Pricing headline", Page: "/pricing", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Simple pricing"}, {Text: "Pay for what you ship"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	// Then all traffic on b, so the test knows which variant the visitor
	// sees. (A test cannot start with none for the original.)
	w := 10000
	if x, err = store.UpdateVariant(ctx, x.ID, "b", experiments.VariantPatch{WeightBP: &w}); err != nil {
		t.Fatal(err)
	}

	// The host site, on another origin, runs "PostHog": a stub with the
	// calls the tag makes (posthog-js's __loaded, capture,
	// get_session_id, get_session_replay_url), loaded before the tag.
	const session = "0190e2e0-5e55-7000-8000-00000000e2e1"
	replay := "https://eu.posthog.com/project/12345/replay/" + session + "?t=4"
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script>
window.posthog = {
  __loaded: true, props: null,
  capture: function (name, p) { if (name === "copylab") this.props = p; },
  get_session_id: function () { return %q; },
  get_session_replay_url: function (o) { return %q; }
};
</script>
<script src="%s/s/%s.js"></script></head>
<body><h1 data-copylab="hero">Simple pricing</h1><button id="buy">Buy</button></body></html>`, session, replay, live.base, site.Key)
	}))
	defer host.Close()

	if err := browsertest.AsPerson(tab); err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	if err := chromedp.Do(tab, chromedp.Navigate(host.URL+"/pricing"), chromedp.WaitVisible(chromedp.CSS("#buy"))); err != nil {
		t.Fatal(err)
	}
	if h, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1"))); err != nil || h != "Pay for what you ship" {
		t.Fatalf("headline %q (%v): the variant was not applied", h, err)
	}
	// The tag tags PostHog's recording with the experiment and variant
	// (polled every 500 ms), and reports the session with its events.
	var recs []experiments.Recording
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		recs, err = store.Recordings(ctx, experiments.RecordingQuery{Experiment: x.ID, Recorders: experiments.RecorderNames})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(recs) != 1 || recs[0].Variant != "b" || recs[0].Recorder != "posthog" || recs[0].Session != session || recs[0].Replay != replay {
		t.Fatalf("recordings stored: %+v", recs)
	}
	props, err := chromedp.Run(tab, chromedp.Evaluate[map[string]string](`window.posthog.props`))
	if err != nil || props["copylab_experiment"] != x.ID || props["copylab_variant"] != "b" {
		t.Errorf("PostHog was told %v (%v), want the experiment and variant b", props, err)
	}

	// The results page links to the session, in variant b's row.
	signIn := func() {
		t.Helper()
		signInTab(t, tab, live.base+"/login", "owner@example.com")
	}
	signIn()
	link := `#recording-list a[href="` + replay + `"]`
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"), chromedp.WaitVisible(chromedp.CSS(link))); err != nil {
		t.Fatal(err)
	}
	row, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector('`+link+`').closest("tr").innerText`))
	if err != nil || !strings.Contains(row, "Variant B") || !strings.Contains(row, "Not converted") {
		t.Errorf("the session's row: %q (%v)", row, err)
	}
	// The filters swap the list in place (htmx): none converted yet.
	if err := chromedp.Do(tab, chromedp.SetValue(chromedp.CSS("#rec-converted"), "1"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#rec-converted").dispatchEvent(new Event("change", {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS("#recording-list .rec-empty"))); err != nil {
		t.Fatal(err)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("pages threw: %v", ex)
	}

	if shots := os.Getenv("COPYLAB_SCREENSHOTS"); shots != "" {
		recordingsScreenshots(t, tab, live, site, x, shots)
	}
}

// recordingsShots are the screenshots of TestRecordingsEndToEnd that
// docs/screenshots keeps (the README shows them).
var recordingsShots = map[string]bool{"recordings": true}

// recordingsScreenshots seeds a few more visitors, saves the recordings
// card, and checks that the recordings page fits a phone.
func recordingsScreenshots(t *testing.T, tab context.Context, live *liveApp, site experiments.Site, x experiments.Experiment, dir string) {
	t.Helper()
	ctx := context.Background()
	if _, err := live.store.UpdateSiteRecorders(ctx, site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://eu.posthog.com", ProjectID: "12345"},
		Clarity: &recorders.Clarity{ProjectID: "k2x9p4q1"},
	}); err != nil {
		t.Fatal(err)
	}
	const (
		desktop = browserUA
		iphone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
		firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
	)
	visitors := []struct {
		id, variant, ua, ref, recorder, session string
		convert                                 bool
	}{
		{"s1", "control", desktop, "https://www.google.com/", "posthog", "0190e2e0-5e55-7000-8000-0000000000a1", true},
		{"s2", "b", iphone, "https://news.ycombinator.com/", "clarity", "1xq0c7/1b3m9d", false},
		{"s3", "b", desktop, "https://www.google.com/", "posthog", "0190e2e0-5e55-7000-8000-0000000000a3", true},
		{"s4", "control", firefox, "", "clarity", "9z8y7x/2c4d6f", false},
		{"s5", "b", firefox, "https://duckduckgo.com/", "posthog", "0190e2e0-5e55-7000-8000-0000000000a5", true},
		{"s6", "b", iphone, "", "posthog", "0190e2e0-5e55-7000-8000-0000000000a6", false},
	}
	for _, v := range visitors {
		evs := []map[string]any{
			{"id": uuid.Must(uuid.NewV7()).String(), "type": "exposure", "experiment": x.ID, "variant": v.variant, "url": "https://shop.example.com/pricing", "ref": v.ref},
			{"id": uuid.Must(uuid.NewV7()).String(), "type": "recording", "experiment": x.ID, "variant": v.variant, "recorder": v.recorder, "session": v.session, "url": "https://shop.example.com/pricing"},
		}
		if v.convert {
			evs = append(evs, map[string]any{"id": uuid.Must(uuid.NewV7()).String(), "type": "conversion", "experiment": x.ID, "goal": "click"})
		}
		body, _ := json.Marshal(map[string]any{"site": site.Key, "visitor": v.id, "events": evs})
		req, _ := http.NewRequest(http.MethodPost, live.base+"/e", bytes.NewReader(body))
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		req.Header.Set("User-Agent", v.ua)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("seeding %s: %d", v.id, resp.StatusCode)
		}
	}
	save := func(name string, buf []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if !recordingsShots[name] {
			t.Fatalf("docs/screenshots does not keep %s.png: add it to recordingsShots, and the file, or leave it out", name)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
		}
	}
	do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
		chromedp.WaitVisible(chromedp.CSS("#recording-list table")), chromedp.Sleep(200*time.Millisecond))
	buf, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS("#recordings")))
	save("recordings", buf, err)
	do(chromedp.Navigate(live.base+"/experiments/"+x.ID+"/recordings?variant=b"), chromedp.WaitVisible(chromedp.CSS("#recording-list table")),
		chromedp.EmulateViewport(390, 844), chromedp.Sleep(150*time.Millisecond))
	if over, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); err != nil || over > 0 {
		t.Errorf("the recordings page is %dpx too wide on a phone (%v)", over, err)
	}
	fmt.Fprintln(os.Stderr, "recordings screenshots in", dir)
}
