package app

import (
	"net"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestPlainHTTPOnLoopbackBrowser: with an https public URL, Chromium on
// the server's own computer (or at the near end of an SSH tunnel) signs
// in and out over plain http at 127.0.0.1, at localhost and at
// app.localhost (which Chromium resolves to loopback itself, without DNS).
// It keeps the Secure __Host- cookies there, as it treats loopback and
// names under .localhost as secure, and the forms' Origin check lets its
// own loopback origin through.
func TestPlainHTTPOnLoopbackBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	addr := serveLiveWith(t, func(c *Config) { c.PublicURL = "https://copylab.example" })
	_, port, _ := net.SplitHostPort(addr)
	for _, host := range []string{"127.0.0.1", "localhost", "app.localhost"} {
		t.Run(host, func(t *testing.T) {
			tab := browsertest.NewTab(t)
			if err := browsertest.AsPerson(tab); err != nil {
				t.Fatal(err)
			}
			base := "http://" + host + ":" + port
			signInTab(t, tab, base+"/login", "ann@example.com")
			at, err := chromedp.Run(tab, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			text, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(at, base+"/") || strings.HasPrefix(at, base+"/login") || !strings.Contains(text, "ann@example.com") {
				t.Fatalf("after signing in: at %s: %.300s", at, text)
			}
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("form.signout button")))); err != nil {
				t.Fatal(err)
			}
			text, err = chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, "You are signed out.") {
				t.Fatalf("after signing out: %.300s", text)
			}
		})
	}
}
