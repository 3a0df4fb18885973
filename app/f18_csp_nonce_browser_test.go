package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static"
	"copylab/static/browsertest"
)

// TestF18StrictDynamicNonceBrowser checks the install card's advice for a
// Content-Security-Policy with 'strict-dynamic' on a host page of another
// origin: the plain tag is blocked there although copylab's origin is in
// script-src (the page keeps its original copy), while the tag given the
// page's nonce swaps the copy and its events count (connect-src still
// lists copylab), and so do the pinned tag and the asynchronous tag with
// the nonce on their <script src=…> line (the guard's inline lines pass
// by their hashes). A QA link works through the nonced tag too: its
// build comes by import(), which 'strict-dynamic' lets a trusted script
// do.
func TestF18StrictDynamicNonceBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	token := live.ownerToken(t, "f18")
	site := live.call(t, "POST", "/api/v1/sites", token, `{"name":"Shop","domain":"shop.example.com"}`, 201)
	siteID, siteKey := site["id"].(string), site["key"].(string)
	exp := live.call(t, "POST", "/api/v1/experiments", token, fmt.Sprintf(`{"site_id":%q,"name":"Landing headline",
		"page":"/landing*","selector":"[data-copylab=\"hero\"]","goal":{"type":"click","selector":"#buy"},
		"variants":[{"key":"control","text":"Original headline"},{"key":"b","text":"Headline B"}]}`, siteID), 201)
	expID := exp["id"].(string)
	live.call(t, "POST", "/api/v1/experiments/"+expID+"/start", token, "", 200)
	live.call(t, "PATCH", "/api/v1/experiments/"+expID+"/variants/b", token, `{"weight_bp":10000}`, 200)
	draft := live.call(t, "POST", "/api/v1/experiments", token, fmt.Sprintf(`{"site_id":%q,"name":"Next headline",
		"page":"/landing*","selector":"[data-copylab=\"hero\"]","goal":{"type":"click","selector":"#buy"},
		"variants":[{"key":"control","text":"Original headline"},{"key":"b","text":"Draft headline"}]}`, siteID), 201)
	draftID := draft["id"].(string)

	pinned, err := live.app.pinnedSnippetTag(t.Context(), siteKey)
	if err != nil {
		t.Fatal(err)
	}
	src := live.app.snippetURL(siteKey)
	const nonce = "f18NonceOfThisPage"
	nonced := func(tag string) string {
		return strings.Replace(tag, `<script src=`, `<script nonce="`+nonce+`" src=`, 1)
	}
	guarded := static.GuardedTag(src)
	tags := map[string]string{
		"plain":   live.app.snippetTag(siteKey),
		"nonce":   nonced(live.app.snippetTag(siteKey)),
		"pinned":  nonced(pinned),
		"guarded": strings.Replace(guarded, `<script async src=`, `<script nonce="`+nonce+`" async src=`, 1),
	}
	if tags["guarded"] == guarded || tags["pinned"] == pinned {
		t.Fatalf("no nonce added: %q, %q", tags["guarded"], tags["pinned"])
	}
	script, style := static.GuardCSP()
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-"+nonce+"' 'strict-dynamic' "+
			live.base+" "+script+"; style-src 'self' "+style+"; connect-src 'self' "+live.base)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
%s</head>
<body><h1 data-copylab="hero">Original headline</h1><button id="buy">Buy now</button></body></html>`, tags[r.URL.Query().Get("tag")])
	}))
	t.Cleanup(host.Close)
	if err := browsertest.AsPerson(tab); err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)

	headline := func(path, want string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(host.URL+path), chromedp.WaitVisible(chromedp.CSS("#buy"))); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector("h1").textContent == `+quoteJS(want),
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			got, _ := chromedp.Run(tab, chromedp.Text(chromedp.CSS("h1")))
			t.Errorf("%s: the headline is %q, want %q", path, got, want)
		}
	}

	// Without the nonce the browser ignores copylab's origin: the page
	// keeps its copy, and no copylab runs on it.
	headline("/landing?tag=plain", "Original headline")
	time.Sleep(1500 * time.Millisecond) // past the hide timeout, had the tag run late
	if ran, err := chromedp.Run(tab, chromedp.Evaluate[bool](`"copylab" in window`)); err != nil || ran {
		t.Errorf("the tag without a nonce ran under 'strict-dynamic' (%v)", err)
	}
	headline("/landing?tag=plain", "Original headline")

	headline("/landing?tag=nonce", "Headline B")
	// The exposures reached copylab through connect-src: one visitor in b.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		res := live.call(t, "GET", "/api/v1/experiments/"+expID+"/results", token, "", 200)
		var b map[string]any
		for _, v := range res["variants"].([]any) {
			if v := v.(map[string]any); v["key"] == "b" {
				b = v
			}
		}
		if b["exposures"] == 1.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("variant b: %v, want 1 exposure", b)
		}
	}
	headline("/landing?tag=pinned", "Headline B")
	headline("/landing?tag=guarded", "Headline B")
	headline("/landing?tag=nonce&copylab="+draftID+":b", "Draft headline")

	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the host page threw: %v", ex)
	}
}
