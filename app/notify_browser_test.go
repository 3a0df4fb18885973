package app

import (
	"encoding/json"
	"net/url"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestWebhookLinkTargetsInBrowser: copylab's text leaves Mattermost no
// <evil.example/login|Reset your password> to turn into a link (its bar is
// a lookalike). Should a reader link one anyway, taking the lookalike for
// a bar, the target starts with the mark copylab puts after "<", and a
// real browser refuses the URL (Mattermost adds "http://" to a target
// without a scheme, its markdown renderer's link()), so the label leads
// nowhere; with a zero-width space in place of the mark, the same link
// would lead to evil.example, as the control case shows.
func TestWebhookLinkTargetsInBrowser(t *testing.T) {
	tab := browsertest.NewTab(t)
	n := notice{Title: "We have a winner: “<evil.example/login|Reset your password>” on <https://evil.example|Shop>",
		Text: "Variant B wins.", URL: "https://copylab.example/experiments/x/results"}
	u, _ := url.Parse("https://chat.example/hooks/xyz")
	msg := webhookBody(u, n).(genericMessage)
	if got := linkTargets(mattermostWebhook(msg.Text)); len(got) > 0 {
		t.Errorf("Mattermost links to %q", got)
	}

	var hrefs []string
	for _, m := range regexp.MustCompile(`<([^<|`+linkBar+`]+)[|`+linkBar+`]`).FindAllStringSubmatch(msg.Text, -1) {
		hrefs = append(hrefs, "http://"+m[1])
	}
	if len(hrefs) != 2 {
		t.Fatalf("%d targets a reader could link, want 2: %q", len(hrefs), hrefs)
	}
	hrefs = append(hrefs, "http://"+zeroWidthSpace+"evil.example/login") // the control
	arg, _ := json.Marshal(hrefs)
	hosts, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(`+string(arg)+`).map(h => {
		try { return new URL(h).hostname } catch (e) { return "refused" }
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 3 || hosts[0] != "refused" || hosts[1] != "refused" {
		t.Errorf("the browser reads the links' hosts as %q, want them refused", hosts)
	}
	if len(hosts) == 3 && hosts[2] != "evil.example" {
		t.Errorf("control: the browser reads http://<U+200B>evil.example as host %q; the test no longer shows why the mark is needed", hosts[2])
	}
}
