package static

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The browser tests of the snippet are in snippet/ (package snippet_test),
// with their own TestMain that shares one Chromium.

// budgetConfig is the realistic one-experiment site of the size budget in
// DESIGN.md: a uuid id that is also the seed (the default), a "/pricing*"
// page, a data attribute selector, a click goal, and a control plus two
// variants of about 60 characters.
func budgetConfig() SnippetConfig {
	return SnippetConfig{
		Site: "k7Qm2ZxP9aBc", TimeoutMS: 1000,
		Experiments: []SnippetExperiment{{
			ID:         "0194f1c2-7a3b-7cde-8f01-23456789abcd",
			Seed:       "0194f1c2-7a3b-7cde-8f01-23456789abcd",
			Page:       "/pricing*",
			Selector:   `[data-copylab="hero"]`,
			CoverageBP: 10000,
			Goal:       SnippetGoal{Type: "click", Value: `[data-copylab="cta"]`},
			Variants: []SnippetVariant{
				{Key: "control", WeightBP: 3334, Text: "Plans for teams of every size, billed monthly or yearly."},
				{Key: "b", WeightBP: 3333, Text: "Start free, upgrade when your team outgrows the basics today."},
				{Key: "c", WeightBP: 3333, Text: "One simple price per seat. No surprises, cancel at any time."},
			},
		}},
	}
}

func gzipped(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

func newTestSnippet(t *testing.T) *Snippet {
	t.Helper()
	s, err := NewSnippet()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSnippetBudget holds the budget of DESIGN.md: runtime plus one
// experiment, gzipped at the best level, at most 2048 bytes.
func TestSnippetBudget(t *testing.T) {
	s := newTestSnippet(t)
	js, err := s.Render(budgetConfig())
	if err != nil {
		t.Fatal(err)
	}
	n := gzipped(t, js)
	t.Logf("snippet with one experiment: %d bytes minified, %d bytes gzipped (budget 2048)", len(js), n)
	if n > 2048 {
		t.Errorf("snippet is %d bytes gzipped, over the 2048-byte budget", n)
	}

	// For the record: a seed other than the id costs a second uuid.
	cfg := budgetConfig()
	cfg.Experiments[0].Seed = "5e8d1c3a-92b4-4f6e-a1d7-3c9b0e2f4a68"
	js, err = s.Render(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("with a seed other than the id: %d bytes gzipped", gzipped(t, js))

	empty, err := s.Render(SnippetConfig{Site: "k7Qm2ZxP9aBc"})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("runtime alone (no experiment): %d bytes gzipped", gzipped(t, empty))
}

// recorderBudget bounds the snippet with one recorder configured, runtime
// plus one experiment, gzipped. It is over DESIGN.md's 2048: the recorder
// code (polling, the "recording" event, and the recorder's own API calls)
// takes 145 to 255 bytes gzipped, and the runtime leaves about 60 bytes
// of the budget. Only sites that set up a recorder pay it
// (TestRecorderRegions); the bound keeps it from growing unnoticed.
const recorderBudget = 2250

// TestSnippetBudgetRecorders measures the snippet of the budget config with
// each recorder alone, and all of them.
func TestSnippetBudgetRecorders(t *testing.T) {
	s := newTestSnippet(t)
	plain, err := s.Render(budgetConfig())
	if err != nil {
		t.Fatal(err)
	}
	base := gzipped(t, plain)
	for _, r := range append(RecorderNames, "all") {
		cfg := budgetConfig()
		cfg.Recorders = []string{r}
		if r == "all" {
			cfg.Recorders = RecorderNames
		}
		js, err := s.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		n := gzipped(t, js)
		t.Logf("with %-9s %d bytes minified, %d bytes gzipped (+%d)", r+":", len(js), n, n-base)
		if r != "all" && n > recorderBudget {
			t.Errorf("snippet with %s is %d bytes gzipped, over its %d-byte bound", r, n, recorderBudget)
		}
	}
}

// TestRecorderRegions: a site without a recorder gets the runtime with none
// of the recorder code, byte for byte the same with an empty or nil list;
// a site with one gets that recorder's code and no other's.
func TestRecorderRegions(t *testing.T) {
	s := newTestSnippet(t)
	// Strings only the recorder code has, by region.
	marks := map[string][]string{
		"recorders": {`"recording"`, "setInterval", "recorder:"},
		"posthog":   {"posthog", "get_session_replay_url"},
		"clarity":   {"clarity", "_clck", "_clsk"},
		"fullstory": {"FS", `"getSession"`, "trackEvent"},
		"logrocket": {"LogRocket", "getSessionURL"},
		"hotjar":    {"hj", "_hjSession_"},
		"custom":    {`"custom"`, ".recording="},
	}
	render := func(recs []string) string {
		t.Helper()
		cfg := budgetConfig()
		cfg.Recorders = recs
		js, err := s.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return string(js)
	}
	plain := render(nil)
	if render([]string{}) != plain {
		t.Error("an empty recorder list changes the script")
	}
	for region, strs := range marks {
		for _, m := range strs {
			if strings.Contains(plain, m) {
				t.Errorf("the script without recorders contains %q (%s code)", m, region)
			}
		}
	}
	for _, r := range RecorderNames {
		js := render([]string{r, r})
		if js != render([]string{r}) {
			t.Errorf("%s twice changes the script", r)
		}
		for region, strs := range marks {
			want := region == r || region == "recorders"
			for _, m := range strs {
				if strings.Contains(js, m) != want {
					t.Errorf("script with %s: contains %q: %v, want %v", r, m, !want, want)
				}
			}
		}
	}
	// Order does not matter; every set of two is a valid script.
	if render([]string{"hotjar", "posthog"}) != render([]string{"posthog", "hotjar"}) {
		t.Error("the order of recorders changes the script")
	}
}

// visibleBudget bounds the snippet of the budget config whose experiment
// is visible-only, gzipped: DESIGN.md's 2048, like a site without one.
// The IntersectionObserver code takes about 56 bytes, which only sites
// with a visible-only experiment pay (TestVisibleRegion); it measured
// 2044 when the bound came down to the budget, 2046 with the fixes of
// URL cuts, identify, prerendering and variant's case, 2047 once
// variant() compared ids strictly, and 2045 with the send at hide after a
// failed send (paid for by the ids' two bits after the variant's, and an
// order search).
const visibleBudget = 2048

// TestVisibleRegion: the IntersectionObserver that a visible-only
// experiment needs is only in the scripts of sites with one, with or
// without recorders, and never in the QA build (which exposes nothing).
// A site with one stays within visibleBudget.
func TestVisibleRegion(t *testing.T) {
	s := newTestSnippet(t)
	render := func(visible, preview bool, recs ...string) string {
		t.Helper()
		cfg := budgetConfig()
		cfg.Experiments = append(cfg.Experiments, cfg.Experiments[0])
		cfg.Experiments[1].ID = "second"
		cfg.Experiments[1].VisibleOnly = visible
		cfg.Recorders, cfg.Preview = recs, preview
		js, err := s.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return string(js)
	}
	for _, c := range []struct {
		name             string
		visible, preview bool
		recs             []string
		want             bool
	}{
		{"no visible-only experiment", false, false, nil, false},
		{"a visible-only experiment", true, false, nil, true},
		{"no visible-only experiment, a recorder", false, false, []string{"hotjar"}, false},
		{"a visible-only experiment and a recorder", true, false, []string{"hotjar"}, true},
		{"QA build", true, true, nil, false},
	} {
		js := render(c.visible, c.preview, c.recs...)
		if got := strings.Contains(js, "IntersectionObserver"); got != c.want {
			t.Errorf("%s: script has the IntersectionObserver: %v, want %v", c.name, got, c.want)
		}
		// The visible bit must not pass for a recorder. (Only the
		// recorders' polling stops its timer: the QA build's notice polls
		// with setInterval too, for as long as the page is open.)
		if got := strings.Contains(js, "clearInterval"); got != (len(c.recs) > 0) {
			t.Errorf("%s: script has the recorder code: %v, want %v", c.name, got, len(c.recs) > 0)
		}
	}

	cfg := budgetConfig()
	cfg.Experiments[0].VisibleOnly = true
	js, err := s.Render(cfg)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := s.Render(budgetConfig())
	n := gzipped(t, js)
	t.Logf("with a visible-only experiment: %d bytes minified, %d bytes gzipped (+%d)", len(js), n, n-gzipped(t, plain))
	if n > visibleBudget {
		t.Errorf("snippet with a visible-only experiment is %d bytes gzipped, over its %d-byte bound", n, visibleBudget)
	}
}

// guardBudget bounds the tag of the guarded async install (Guard), with
// and without a visible-only experiment, runtime plus the budget config,
// gzipped. Taking the class off <html>, and standing aside on a page the
// guard marked late, cost about 51 bytes, which only the tags served for
// ?guard=1 carry (TestGuardRegion): 2041 bytes alone and 2097 with the
// IntersectionObserver since the late mark (2017 and 2076 when the bound
// was set), 2095 with the send at hide after a failed send.
const guardBudget = 2100

// TestGuardRegion: only the guard build (Guard) carries the code that
// takes the guard's class off <html>, and stands aside when the guard has
// marked the page late. Every other build is byte for byte the build of
// the source without the guard region (cut here with a regexp of its own,
// not with cutRegions), so the sites that do not use the guarded install
// pay nothing for it; the QA build ignores Guard.
// The guard build stays within guardBudget.
func TestGuardRegion(t *testing.T) {
	s := newTestSnippet(t)
	src, err := SnippetFS.ReadFile("snippet/snippet.js")
	if err != nil {
		t.Fatal(err)
	}
	region := regexp.MustCompile(`(?m)^[ \t]*// #if guard\n(?:.*\n)*?[ \t]*// #endif\n`)
	if n := len(region.FindAll(src, -1)); n != 2 {
		t.Fatalf("snippet.js has %d guard regions, want 2 (before and after the tag's function)", n)
	}
	without := &Snippet{source: region.ReplaceAll(src, nil), builds: map[uint]runtime{}}
	rt, err := without.minify(0)
	if err != nil {
		t.Fatal(err)
	}
	without.head, without.tail = rt.head, rt.tail

	render := func(s *Snippet, guard, visible, preview bool, recs ...string) string {
		t.Helper()
		cfg := budgetConfig()
		cfg.Guard, cfg.Preview, cfg.Recorders = guard, preview, recs
		cfg.Experiments[0].VisibleOnly = visible
		js, err := s.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return string(js)
	}
	for _, c := range []struct {
		name             string
		visible, preview bool
		recs             []string
	}{
		{"plain", false, false, nil},
		{"visible-only", true, false, nil},
		{"a recorder", false, false, []string{"clarity"}},
		{"QA build", false, true, nil},
	} {
		js := render(s, false, c.visible, c.preview, c.recs...)
		if js != render(without, false, c.visible, c.preview, c.recs...) {
			t.Errorf("%s: the tag without Guard differs from the build of the source without the guard region", c.name)
		}
		if strings.Contains(js, GuardClass) {
			t.Errorf("%s: the tag without Guard mentions %s", c.name, GuardClass)
		}
		g := render(s, true, c.visible, c.preview, c.recs...)
		if want := !c.preview; strings.Contains(g, `classList.remove("`+GuardClass+`")`) != want {
			t.Errorf("%s: the tag with Guard takes the class off: %v, want %v", c.name, !want, want)
		}
		if want := !c.preview; strings.Contains(g, `querySelector(".`+GuardLateClass+`")`) != want {
			t.Errorf("%s: the tag with Guard looks for %s: %v, want %v", c.name, GuardLateClass, !want, want)
		}
		if c.preview && g != js {
			t.Errorf("the QA build changes with Guard")
		}
	}

	plain := gzipped(t, []byte(render(s, false, false, false)))
	for _, visible := range []bool{false, true} {
		js := render(s, true, visible, false)
		n := gzipped(t, []byte(js))
		t.Logf("guard build, visible-only %v: %d bytes minified, %d bytes gzipped (+%d on the plain tag)", visible, len(js), n, n-plain)
		if n > guardBudget {
			t.Errorf("guard build (visible-only %v) is %d bytes gzipped, over its %d-byte bound", visible, n, guardBudget)
		}
	}
}

// TestGuardedTag: the markup of the guarded async install, and the CSP
// hashes of its inline parts (the browser test checks them against a real
// CSP).
func TestGuardedTag(t *testing.T) {
	got := GuardedTag("https://copylab.example/s/abc.js")
	want := `<style>.copylab-wait{opacity:0!important}</style>
<script>(function(h,c){h.classList.add(c);setTimeout(function(){if(h.classList.contains(c))h.classList.add("copylab-late");h.classList.remove(c);h.className||h.removeAttribute("class")},1000)})(document.documentElement,"copylab-wait")</script>
<script async src="https://copylab.example/s/abc.js?guard=1"></script>`
	if got != want {
		t.Errorf("GuardedTag:\n%s\nwant\n%s", got, want)
	}
	script, style := GuardCSP()
	for _, h := range []string{script, style} {
		if !regexp.MustCompile(`^'sha256-[A-Za-z0-9+/]{43}='$`).MatchString(h) {
			t.Errorf("CSP hash %s, want 'sha256-…'", h)
		}
	}
}

// TestPreviewBuild: the live tag carries the QA loader and none of the QA
// code; the QA build (Preview) the reverse, with no recorder code whatever
// the site uses, and the same config.
func TestPreviewBuild(t *testing.T) {
	s := newTestSnippet(t)
	live := budgetConfig()
	live.Recorders = RecorderNames
	qa := live
	qa.Preview = true
	render := func(cfg SnippetConfig) string {
		t.Helper()
		js, err := s.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		return string(js)
	}
	liveJS, qaJS := render(live), render(qa)
	for _, c := range []struct {
		name     string
		live, qa bool
	}{
		{"import(", true, false},    // the loader of the QA build
		{`"?p="`, true, false},      // its URL
		{`split(":")`, false, true}, // the QA link's variant wins
		{`"recording"`, true, false},
		{"posthog", true, false},
	} {
		if got := strings.Contains(liveJS, c.name); got != c.live {
			t.Errorf("live tag contains %s: %v, want %v", c.name, got, c.live)
		}
		if got := strings.Contains(qaJS, c.name); got != c.qa {
			t.Errorf("QA build contains %s: %v, want %v", c.name, got, c.qa)
		}
	}
	cfgOf := func(js string) string {
		return js[strings.LastIndex(js, "})([")+1:]
	}
	if cfgOf(liveJS) == "" || cfgOf(liveJS) != cfgOf(qaJS) {
		t.Errorf("the builds' configs differ:\nlive %s\nQA   %s", cfgOf(liveJS), cfgOf(qaJS))
	}
}

func TestCutRegions(t *testing.T) {
	keep := func(name string) (bool, error) {
		switch name {
		case "yes":
			return true, nil
		case "no":
			return false, nil
		}
		return false, fmt.Errorf("unknown region %q", name)
	}
	tests := []struct {
		name, src, want, err string
	}{
		{"kept", "a\n  // #if yes\nb\n  // #endif\nc\n", "a\nb\nc\n", ""},
		{"cut", "a\n// #if no\nb\n// #endif\nc", "a\nc", ""},
		{"any name keeps", "// #if no yes\nb\n// #endif\n", "b\n", ""},
		{"nested", "// #if yes\na\n// #if no\nb\n// #endif\nc\n// #endif\n", "a\nc\n", ""},
		{"inside a cut region", "// #if no\na\n// #if yes\nb\n// #endif\n// #endif\nc", "c", ""},
		{"unknown", "// #if maybe\n// #endif\n", "", "line 1: unknown region"},
		{"unclosed", "// #if yes\na\n", "", "#if without #endif"},
		{"stray endif", "a\n// #endif\n", "", "line 2: #endif without #if"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cutRegions([]byte(tt.src), keep)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Errorf("cutRegions = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	// Every recorder has a region in snippet.js, and so have the other
	// parts that only some builds carry.
	src, _ := SnippetFS.ReadFile("snippet/snippet.js")
	for _, r := range append(RecorderNames, "recorders", "visible", "live", "qa", "guard") {
		if !bytes.Contains(src, []byte("// #if "+r)) {
			t.Errorf("snippet.js has no region %s", r)
		}
	}
}

// config returns the config literal Render put in the script of cfg.
func config(t *testing.T, s *Snippet, cfg SnippetConfig, js []byte) any {
	t.Helper()
	_, set, err := wire(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := s.runtime(set)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(js, rt.head) || !bytes.HasSuffix(js, rt.tail) {
		t.Fatalf("script does not wrap the runtime around the config")
	}
	lit := js[len(rt.head) : len(js)-len(rt.tail)]
	var v any
	if err := json.Unmarshal(lit, &v); err != nil {
		t.Fatalf("config %s: %v", lit, err)
	}
	return v
}

func TestRenderPositionalConfig(t *testing.T) {
	s := newTestSnippet(t)
	tests := []struct {
		name string
		cfg  SnippetConfig
		want string
	}{
		{
			name: "defaults leave trailing slots out",
			cfg:  budgetConfig(),
			want: `["k7Qm2ZxP9aBc",[["0194f1c2-7a3b-7cde-8f01-23456789abcd",0,"[data-copylab=\"hero\"]",10000,` +
				`[["control",3334],["b",3333,"Start free, upgrade when your team outgrows the basics today."],` +
				`["c",3333,"One simple price per seat. No surprises, cancel at any time."]],"click","[data-copylab=\"cta\"]","^/pricing.*\\n"]]]`,
		},
		{
			name: "every setting",
			cfg: SnippetConfig{
				Site: "s", Endpoint: "https://c.example/e", TimeoutMS: 400, HonorGPC: true,
				Experiments: []SnippetExperiment{{
					ID: "x", Seed: "seed", Selector: "h1", CoverageBP: 5000, VisibleOnly: true,
					Goal:     SnippetGoal{Type: "pageview", Value: "/thanks"},
					Variants: []SnippetVariant{{Key: "control", WeightBP: 5000, Text: "a"}, {Key: "b", WeightBP: 5000, Text: ""}},
				}},
			},
			want: `["s",[["x","seed","h1",5000,[["control",5000],["b",5000,""]],"pageview","^/thanks\\n","",1]],"https://c.example/e",400,1]`,
		},
		{
			name: "no experiments",
			cfg:  SnippetConfig{Site: "s", TimeoutMS: 1000},
			want: `["s",[]]`,
		},
		{
			name: "a shipped variant: id 0, one variant for everyone, no goal",
			cfg:  SnippetConfig{Site: "s", Shipped: []SnippetShipped{{Page: "/pricing", Selector: "h1", Text: "New copy"}}},
			want: `["s",[[0,0,"h1",10000,[[0,10000,"New copy"]],"","","^/pricing\\n"]]]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js, err := s.Render(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(config(t, s, tt.cfg, js))
			if string(got) != tt.want {
				t.Errorf("config\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestRenderEscapes: the config can go inside an inline <script>: no "<"
// (so no "</script>" or "<!--"), no raw U+2028 or U+2029.
func TestRenderEscapes(t *testing.T) {
	s := newTestSnippet(t)
	cfg := budgetConfig()
	text := "</script><script>alert(1)</script> <!-- & \u2028 \u2029 \"'\\ é 😀"
	cfg.Experiments[0].Variants[1].Text = text
	js, err := s.Render(cfg)
	if err != nil {
		t.Fatal(err)
	}
	lit := js[len(s.head) : len(js)-len(s.tail)]
	for _, bad := range []string{"<", ">", "\u2028", "\u2029"} {
		if bytes.Contains(lit, []byte(bad)) {
			t.Errorf("config contains %q: %s", bad, lit)
		}
	}
	if got := config(t, s, cfg, js).([]any)[1].([]any)[0].([]any)[4].([]any)[1].([]any)[2]; got != text {
		t.Errorf("text round trip %q, want %q", got, text)
	}
}

func TestRenderRejects(t *testing.T) {
	s := newTestSnippet(t)
	ok := budgetConfig().Experiments[0]
	tests := []struct {
		name string
		edit func(*SnippetConfig, *SnippetExperiment)
		want string
	}{
		{"no site", func(c *SnippetConfig, x *SnippetExperiment) { c.Site = "" }, "no site key"},
		{"negative timeout", func(c *SnippetConfig, x *SnippetExperiment) { c.TimeoutMS = -1 }, "negative timeout"},
		{"no id", func(c *SnippetConfig, x *SnippetExperiment) { x.ID = "" }, "no id"},
		{"brace in selector", func(c *SnippetConfig, x *SnippetExperiment) { x.Selector = "a{}body" }, "selector"},
		{"open bracket", func(c *SnippetConfig, x *SnippetExperiment) { x.Selector = `[data-x="a"` }, "selector"},
		{"open quote", func(c *SnippetConfig, x *SnippetExperiment) { x.Selector = `[data-x="a]` }, "selector"},
		{"empty selector", func(c *SnippetConfig, x *SnippetExperiment) { x.Selector = "" }, "selector"},
		{"coverage", func(c *SnippetConfig, x *SnippetExperiment) { x.CoverageBP = 10001 }, "coverage"},
		{"goal type", func(c *SnippetConfig, x *SnippetExperiment) { x.Goal.Type = "scroll" }, "goal type"},
		{"goal value", func(c *SnippetConfig, x *SnippetExperiment) { x.Goal = SnippetGoal{Type: "event"} }, "no value"},
		{"one variant", func(c *SnippetConfig, x *SnippetExperiment) { x.Variants = x.Variants[:1] }, "variants"},
		{"weights", func(c *SnippetConfig, x *SnippetExperiment) { x.Variants[1].WeightBP++ }, "sum to 10001"},
		{"repeated key", func(c *SnippetConfig, x *SnippetExperiment) { x.Variants[2].Key = "b" }, "repeated key"},
		{"unknown recorder", func(c *SnippetConfig, x *SnippetExperiment) { c.Recorders = []string{"posthog", "smartlook"} }, `unknown recorder "smartlook"`},
		{"shipped selector", func(c *SnippetConfig, x *SnippetExperiment) {
			c.Shipped = []SnippetShipped{{Selector: "a{}body", Text: "x"}}
		}, "shipped variant: selector"},
		{"shipped text", func(c *SnippetConfig, x *SnippetExperiment) { c.Shipped = []SnippetShipped{{Selector: "h1"}} }, "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := budgetConfig()
			x := ok
			x.Variants = append([]SnippetVariant(nil), ok.Variants...)
			tt.edit(&cfg, &x)
			cfg.Experiments = []SnippetExperiment{x}
			_, err := s.Render(cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Render error %v, want one about %q", err, tt.want)
			}
		})
	}
}

func TestCSSSafe(t *testing.T) {
	for sel, want := range map[string]bool{
		`[data-copylab="hero"]`:          true,
		`.a > .b:not(.c), #d`:            true,
		`[data-x="{"]`:                   true, // a brace inside a string is text
		`[data-x='a\'b']`:                true,
		`h1:nonsense`:                    true, // the browser drops only this rule
		`a{}body{display:none}`:          false,
		`a;b`:                            false,
		`[data-x="a"`:                    false,
		`:is(a`:                          false,
		`a)`:                             false,
		`[data-x="a]`:                    false,
		`a\`:                             false,
		"[data-x=\"a\nb\"]":              false,
		``:                               false,
		`:is([data-a="x"], .b:has(> c))`: true,
	} {
		if got := cssSafe(sel); got != want {
			t.Errorf("cssSafe(%q) = %v, want %v", sel, got, want)
		}
	}
}

// TestCompilePattern pins the regexps; the browser test TestURLPatterns
// checks what they match.
func TestCompilePattern(t *testing.T) {
	for p, want := range map[string]string{
		"":                "",
		"*":               "",
		"/":               `^/\n`,
		"/pricing*":       `^/pricing.*\n`,
		"/pricing/":       `^/pricing\n`,
		"/a.b/*/c":        `^/a\.b/.*/c\n`,
		"/s/*-*-*/r":      `^/s/(?=(.*?-))\1(?=(.*?-))\2.*/r\n`,
		"/p?plan=pro":     `^/p\n(?=.*[?&]plan=pro(?:&|$))`,
		"/p?plan=*&x=1":   `^/p\n(?=.*[?&]plan(?:[=&]|$))(?=.*[?&]x=1(?:&|$))`,
		"/p?q=a b":        `^/p\n(?=.*[?&]q=(?:a b|a\+b|a%20b)(?:&|$))`,
		"?utm_source=x&&": `^\n(?=.*[?&]utm_source=x(?:&|$))`,
	} {
		if got := compilePattern(p); got != want {
			t.Errorf("compilePattern(%q) = %q, want %q", p, got, want)
		}
	}
}

// TestBuilds: the production script carries no test hook and no leftover
// placeholder; the test build has the hook; Source is the readable file.
func TestBuilds(t *testing.T) {
	prod := newTestSnippet(t)
	test, err := NewSnippetForTest()
	if err != nil {
		t.Fatal(err)
	}
	cfg := budgetConfig()
	p, _ := prod.Render(cfg)
	q, _ := test.Render(cfg)
	for _, s := range []string{"__TEST__", "._t", configPlaceholder, "eval(", "Function("} {
		if bytes.Contains(p, []byte(s)) {
			t.Errorf("production script contains %q", s)
		}
	}
	if !bytes.Contains(q, []byte("._t=")) {
		t.Error("test build has no window.copylab._t")
	}
	if src := prod.Source(); !bytes.Contains(src, []byte("// copylab snippet")) || len(src) < 2*len(p) {
		t.Error("Source is not the commented source")
	}
	if !bytes.HasSuffix(p, []byte("]);\n")) {
		t.Errorf("script does not end with the call on the config: %q", p[len(p)-20:])
	}
}

// FuzzRenderEscaping: whatever the copy, the config stays one safe JSON
// literal that gives the copy back.
func FuzzRenderEscaping(f *testing.F) {
	for _, s := range []string{"", "</script>", "\u2028\u2029", "<!--", `"\`, "\xff\xfe", "é😀"} {
		f.Add(s)
	}
	s, err := NewSnippet()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg := budgetConfig()
		cfg.Experiments[0].Variants[1].Text = text
		js, err := s.Render(cfg)
		if err != nil {
			t.Fatal(err)
		}
		lit := js[len(s.head) : len(js)-len(s.tail)]
		if bytes.ContainsAny(lit, "<>\u2028\u2029") {
			t.Fatalf("unsafe config %q", lit)
		}
		if !json.Valid(lit) {
			t.Fatalf("config is not JSON: %q", lit)
		}
	})
}

// The app builds one Snippet at start and renders each site's script from
// its running experiments.
func ExampleSnippet_Render() {
	snippet, err := NewSnippet()
	if err != nil {
		panic(err)
	}
	js, err := snippet.Render(SnippetConfig{
		Site:     "k7Qm2ZxP9aBc",
		Endpoint: "https://copylab.example.com/e",
		Experiments: []SnippetExperiment{{
			ID:         "0194f1c2-7a3b-7cde-8f01-23456789abcd",
			Page:       "/pricing*",
			Selector:   `[data-copylab="hero"]`,
			CoverageBP: 10000,
			Goal:       SnippetGoal{Type: "click", Value: `[data-copylab="cta"]`},
			Variants: []SnippetVariant{
				{Key: "control", WeightBP: 5000, Text: "Plans for every team"},
				{Key: "b", WeightBP: 5000, Text: "Start free today"},
			},
		}},
	})
	if err != nil {
		panic(err)
	}
	// Serve js as text/javascript at GET /s/k7Qm2ZxP9aBc.js.
	fmt.Println(bytes.HasSuffix(js, []byte(`"https://copylab.example.com/e"]);`+"\n")))
	// Output: true
}
