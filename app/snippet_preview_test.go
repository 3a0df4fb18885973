package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestSnippetPreview: GET /s/KEY.js?p=EXPERIMENT:VARIANT answers the QA
// build with the link's experiment in it, whatever its status, and never
// another site's; what it cannot show is said in the console and the
// X-Copylab header, and the live experiments still run.
func TestSnippetPreview(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	other := e.site("Other")
	// The running test is on another element than the others (see
	// TestSnippetPreviewShipped for the same element).
	live, err := e.store.CreateExperiment(t.Context(), experiments.Experiment{
		SiteID: site.ID, Name: "Live", Page: "/pricing", Selector: `[data-copylab="sub"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Original sub"}, {Text: "Running headline"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.transition(live.ID, experiments.ActionStart)
	draft := e.experiment(site.ID, "Draft", "Original headline", "Draft headline")
	paused := e.experiment(site.ID, "Paused", "Original headline", "Paused headline")
	e.transition(paused.ID, experiments.ActionStart)
	e.transition(paused.ID, experiments.ActionPause)
	foreign := e.experiment(other.ID, "Foreign", "Original headline", "Foreign headline")
	bare := e.experiment(site.ID, "Bare", "Original headline")

	// The live tag carries the running experiment only, and the loader.
	tag := e.tagBody(site.Key)
	wantContains(t, tag, "Running headline", "import(")
	wantNotContains(t, tag, "Draft headline", "Paused headline")

	for _, c := range []struct {
		name, p string
		want    []string // in the body
		not     []string
		problem string // in X-Copylab and console.warn; "" for none
	}{
		{name: "draft", p: draft.ID + ":b", want: []string{"Draft headline", "Running headline", `split(":")`},
			not: []string{"import(", "copylab QA link:"}},
		{name: "paused", p: paused.ID + ":control", want: []string{"Paused headline", "Running headline"}},
		{name: "running", p: live.ID + ":b", want: []string{"Running headline"}, not: []string{"Draft headline"}},
		{name: "unknown variant", p: draft.ID + ":zz", want: []string{"Draft headline"},
			problem: "has no variant with the key after the colon"},
		{name: "draft with only the original", p: bare.ID + ":control", want: []string{"Running headline"},
			problem: "experiment " + bare.ID + " has only the original copy so far"},
		{name: "other site's experiment", p: foreign.ID + ":b", want: []string{"Running headline"},
			not: []string{"Foreign headline"}, problem: "this site has no experiment " + foreign.ID},
		{name: "no such experiment", p: "0194f1c2-7a3b-7cde-8f01-23456789abcd:b", want: []string{"Running headline"},
			problem: "this site has no experiment 0194f1c2-7a3b-7cde-8f01-23456789abcd"},
		{name: "not an id", p: `</script><b>":b`, want: []string{"Running headline"},
			not: []string{"</script>", "<b>"}, problem: "it names no experiment"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(c.p), nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusOK, body)
			publicHeadersOK(t, resp)
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
			if got := resp.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/javascript") {
				t.Errorf("Content-Type %q", got)
			}
			wantContains(t, body, c.want...)
			wantNotContains(t, body, c.not...)
			got := resp.Header.Get("X-Copylab")
			if c.problem == "" {
				// The server's warning leads the body; the QA build's own
				// console.warn (an element holding more than text) is not one.
				if got != "" || strings.HasPrefix(body, "console.warn(") {
					t.Errorf("a problem reported: %q", got)
				}
				return
			}
			if !strings.Contains(got, c.problem) {
				t.Errorf("X-Copylab %q, want %q", got, c.problem)
			}
			if !strings.HasPrefix(body, `console.warn("copylab QA link: `) || !strings.Contains(strings.SplitN(body, "\n", 2)[0], c.problem) {
				t.Errorf("body does not start with a warning about %q: %.200s", c.problem, body)
			}
		})
	}

	// The pinned URL previews too; an unknown site is the usual 404.
	resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".0123456789abcdef.js?p="+draft.ID+":b", nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Draft headline")
	resp = e.do(newRequest(http.MethodGet, "/s/aaaaaaaaaaaaaaaaaaaaaaaaaa.js?p="+draft.ID+":b", nil))
	body = readBody(t, resp)
	if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "Draft headline") {
		t.Errorf("unknown site: %d %q", resp.StatusCode, body)
	}
}

// TestSnippetPreviewShipped: previewing a draft on the element of a shipped
// variant, or of a running test, leaves their copy out: the draft decides
// its element.
func TestSnippetPreviewShipped(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	e.shipped(site.ID, "Shipped headline")
	next := e.experimentOn(site.ID, "Next", "/pricing", heroSelector, "Shipped headline", "Newer headline")
	wantContains(t, e.tagBody(site.Key), "Shipped headline")
	resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+next.ID+":b", nil))
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Newer headline")
	if strings.Count(body, "Shipped headline") != 0 {
		t.Error("the QA build carries the shipped copy on the previewed draft's element")
	}

	running := e.experimentOn(site.ID, "Running", "/pricing", heroSelector, "Original headline", "Running headline")
	e.transition(running.ID, experiments.ActionStart)
	resp = e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+next.ID+":b", nil))
	body = readBody(t, resp)
	wantContains(t, body, "Newer headline")
	wantNotContains(t, body, "Running headline", running.ID)
}

// TestSnippetPreviewSpellings: a QA link whose experiment id is spelled
// otherwise than the canonical UUID (capitals, braces, urn:uuid:) or whose
// key has capitals is sent, with a 302 that the tag's import follows, to
// the same build's URL with the link as the QA build compares it; the
// canonical link is answered at once, and a link naming no experiment is
// answered as before.
func TestSnippetPreviewSpellings(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	draft := e.experiment(site.ID, "Draft", "Original headline", "Draft headline")
	upper := strings.ToUpper(draft.ID)
	for _, c := range []struct{ file, p, want string }{
		{site.Key + ".js", upper + ":b", draft.ID + ":b"},
		{site.Key + ".js", draft.ID + ":B", draft.ID + ":b"},
		{site.Key + ".js", "{" + upper + "}:control", draft.ID + ":control"},
		{site.Key + ".js", "urn:uuid:" + upper + ":b", draft.ID + ":b"},
		{site.Key + ".js", upper, draft.ID},
		{site.Key + ".0123456789abcdef.js", upper + ":b", draft.ID + ":b"},
	} {
		loc := site.Key + ".js?p=" + url.QueryEscape(c.want)
		t.Run(c.p, func(t *testing.T) {
			resp := e.do(newRequest(http.MethodGet, "/s/"+c.file+"?p="+url.QueryEscape(c.p), nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusFound, body)
			publicHeadersOK(t, resp)
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
			// Relative, so that a path prefix before /s/ stays; the
			// pinned version is no matter, as the QA build is never
			// cached.
			if got := resp.Header.Get("Location"); got != loc {
				t.Fatalf("Location %q, want %q", got, loc)
			}
			resp = e.do(newRequest(http.MethodGet, "/s/"+loc, nil))
			body = readBody(t, resp)
			wantStatus(t, resp, http.StatusOK, body)
			wantContains(t, body, "Draft headline")
		})
	}
	for _, p := range []string{draft.ID + ":b", draft.ID + ":zz", "not-an-id:b", strings.ToUpper("not-an-id") + ":b"} {
		resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(p), nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
	}
	// What after the colon could be no key in any spelling is not
	// respelled; the link still names its experiment, however the id is
	// written, and the warning is about the variant.
	for _, p := range []string{
		upper + ":\xff\xfe", "urn:uuid:" + upper + ":\xff", "URN:UUID:" + draft.ID + ":" + strings.Repeat("k", 33),
	} {
		resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(p), nil))
		body := readBody(t, resp)
		wantStatus(t, resp, http.StatusOK, body)
		if got, want := resp.Header.Get("X-Copylab"), "experiment "+draft.ID+" has no variant"; !strings.HasPrefix(got, want) {
			t.Errorf("p=%q: X-Copylab %q, want it to start %q", p, got, want)
		}
	}
}

// TestSnippetPreviewLabel: the QA build's notice names the link's
// experiment and variant as the pages do ("Variant B", "Original"),
// escaped for the script; a link it cannot show gets a notice that says
// so (the preview is still on), and the live tag has no notice's words.
func TestSnippetPreviewLabel(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	draft := e.experiment(site.ID, "Pricing headline", "Original headline", "Draft headline", "Third headline")
	markup := e.experiment(site.ID, `</script><b>Bold</b> "test"`, "Original headline", "Markup headline")
	for _, c := range []struct{ name, p, want string }{
		{"variant", draft.ID + ":c", "copylab preview: Pricing headline · Variant C"},
		{"original", draft.ID + ":control", "copylab preview: Pricing headline · Original"},
		{"markup in the name", markup.ID + ":b", `copylab preview: </script><b>Bold</b> "test" · Variant B`},
		{"unknown variant", draft.ID + ":zz", previewCantShow},
		{"no such experiment", "0194f1c2-7a3b-7cde-8f01-23456789abcd:b", previewCantShow},
		{"not an id", "nothing:b", previewCantShow},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js?p="+url.QueryEscape(c.p), nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusOK, body)
			// The words are the config's last slot but for the why's
			// (previewWhy), a JSON string with <, > and & escaped, as
			// quoteJS writes them.
			if want := "," + quoteJS(c.want); !strings.Contains(body, want+"]);") && !strings.Contains(body, want+",[") {
				t.Errorf("QA build does not end its config with %s: …%s", want, body[max(0, len(body)-300):])
			}
			wantNotContains(t, body, "</script>", "<b>")
		})
	}
	wantNotContains(t, e.tagBody(site.Key), "copylab preview", "Exit preview", "Pricing headline")
}
