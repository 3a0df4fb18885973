package recorders

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	expID = "0194f1c2-7a3b-7cde-8f01-23456789abcd"
	visit = "0194f1c2-0000-7000-8000-000000000001"
)

func all() Settings {
	return Settings{
		PostHog:   &PostHog{Host: "https://eu.posthog.com", ProjectID: "12345"},
		Clarity:   &Clarity{ProjectID: "k9x2m4p7qa"},
		FullStory: &FullStory{OrgID: "o-1ABCD-na1"},
		LogRocket: &LogRocket{AppID: "abc123/shop"},
		Hotjar:    &Hotjar{SiteID: "3412345"},
		Custom:    "https://replay.example.com/s/{session_id}?v={visitor}&x={experiment}&k={variant}",
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name string
		s    Settings
		want []string
	}{
		{"none", Settings{}, nil},
		{"all", all(), []string{"posthog", "clarity", "fullstory", "logrocket", "hotjar", "custom"}},
		{"one", Settings{Hotjar: &Hotjar{SiteID: "1"}}, []string{"hotjar"}},
		{"custom without session needs no snippet code", Settings{Custom: "https://r.example/{visitor}"}, nil},
		{"invalid custom needs none", Settings{Custom: "javascript:alert({session_id})"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.Names(); !slices.Equal(got, tt.want) {
				t.Errorf("Names() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseRoundTrip(t *testing.T) {
	s := all()
	j, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"posthog":{"host":"https://eu.posthog.com","project_id":"12345"},"clarity":{"project_id":"k9x2m4p7qa"},` +
		`"fullstory":{"org_id":"o-1ABCD-na1"},"logrocket":{"app_id":"abc123/shop"},"hotjar":{"site_id":"3412345"},` +
		`"custom":"https://replay.example.com/s/{session_id}?v={visitor}\u0026x={experiment}\u0026k={variant}"}`
	if string(j) != want {
		t.Errorf("JSON\n got %s\nwant %s", j, want)
	}
	back, err := Parse(string(j))
	if err != nil {
		t.Fatal(err)
	}
	if j2, _ := json.Marshal(back); string(j2) != string(j) {
		t.Errorf("round trip %s", j2)
	}
	if z, err := Parse(""); err != nil || z.Names() != nil {
		t.Errorf(`Parse("") = %+v, %v`, z, err)
	}
	if z, _ := json.Marshal(Settings{}); string(z) != "{}" {
		t.Errorf("zero settings as JSON %s, want {}", z)
	}
	if _, err := Parse("{"); err == nil {
		t.Error("Parse of bad JSON: no error")
	}
}

func TestValidate(t *testing.T) {
	if errs := all().Validate(); errs != nil {
		t.Fatalf("valid settings: %v", errs)
	}
	tests := []struct {
		name  string
		edit  func(*Settings)
		field string
	}{
		{"posthog host javascript", func(s *Settings) { s.PostHog.Host = "javascript:alert(1)" }, "posthog.host"},
		{"posthog host ftp", func(s *Settings) { s.PostHog.Host = "ftp://posthog.example" }, "posthog.host"},
		{"posthog host relative", func(s *Settings) { s.PostHog.Host = "//posthog.example" }, "posthog.host"},
		{"posthog host no scheme", func(s *Settings) { s.PostHog.Host = "us.posthog.com" }, "posthog.host"},
		{"posthog host userinfo", func(s *Settings) { s.PostHog.Host = "https://me:pw@ph.example.com" }, "posthog.host"},
		{"posthog host query", func(s *Settings) { s.PostHog.Host = "https://ph.example.com/?x=1" }, "posthog.host"},
		{"posthog host empty", func(s *Settings) { s.PostHog.Host = "" }, "posthog.host"},
		{"posthog project letters", func(s *Settings) { s.PostHog.ProjectID = "12a" }, "posthog.project_id"},
		{"posthog project path", func(s *Settings) { s.PostHog.ProjectID = "1/../2" }, "posthog.project_id"},
		{"clarity id slash", func(s *Settings) { s.Clarity.ProjectID = "ab/cd" }, "clarity.project_id"},
		{"clarity empty", func(s *Settings) { s.Clarity.ProjectID = "" }, "clarity.project_id"},
		{"fullstory space", func(s *Settings) { s.FullStory.OrgID = "o 1" }, "fullstory.org_id"},
		{"logrocket no slash", func(s *Settings) { s.LogRocket.AppID = "abc123" }, "logrocket.app_id"},
		{"logrocket extra slash", func(s *Settings) { s.LogRocket.AppID = "a/b/c" }, "logrocket.app_id"},
		{"hotjar letters", func(s *Settings) { s.Hotjar.SiteID = "hj1" }, "hotjar.site_id"},
		{"custom javascript", func(s *Settings) { s.Custom = "javascript:alert({session_id})" }, "custom"},
		{"custom data", func(s *Settings) { s.Custom = "data:text/html,<script>alert(1)</script>" }, "custom"},
		{"custom unknown placeholder", func(s *Settings) { s.Custom = "https://r.example/{user}" }, "custom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := all()
			s.PostHog = &PostHog{Host: s.PostHog.Host, ProjectID: s.PostHog.ProjectID}
			tt.edit(&s)
			errs := s.Validate()
			if len(errs) != 1 || errs[0].Field != tt.field || errs[0].Message == "" || errs[0].Code == "" {
				t.Errorf("Validate() = %v, want one error on %s", errs, tt.field)
			}
		})
	}
	// Every error comes back at once.
	bad := Settings{PostHog: &PostHog{}, Clarity: &Clarity{}, FullStory: &FullStory{}, LogRocket: &LogRocket{}, Hotjar: &Hotjar{}, Custom: "x"}
	if errs := bad.Validate(); len(errs) != 7 {
		t.Errorf("Validate() of all-bad settings: %d errors, want 7: %v", len(errs), errs)
	}
}

func TestClean(t *testing.T) {
	s := Settings{PostHog: &PostHog{Host: " https://ph.example.com/ ", ProjectID: " 7 "}, Hotjar: &Hotjar{SiteID: " 9"}, Custom: " https://r.example/{variant} "}
	c := s.Clean()
	if c.PostHog.Host != "https://ph.example.com" || c.PostHog.ProjectID != "7" || c.Hotjar.SiteID != "9" || c.Custom != "https://r.example/{variant}" {
		t.Errorf("Clean() = %+v %+v %q", c.PostHog, c.Hotjar, c.Custom)
	}
	if s.PostHog.Host != " https://ph.example.com/ " {
		t.Error("Clean changed its receiver's PostHog")
	}
	if errs := c.Validate(); errs != nil {
		t.Errorf("cleaned settings invalid: %v", errs)
	}
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		template string
		ok       bool
	}{
		{"https://replay.example.com/s/{session_id}", true},
		{"http://replay.example.com/?v={visitor}&x={experiment}&k={variant}", true},
		{"HTTPS://replay.example.com:8443/p#{variant}", true},
		{"https://replay.example.com", true},
		{"javascript:alert({session_id})", false},
		{"JavaScript:alert(1)//https://x", false},
		{"data:text/html;base64,PHNjcmlwdD4=", false},
		{"vbscript:msgbox(1)", false},
		{"//replay.example.com/{session_id}", false},
		{"/relative/{session_id}", false},
		{"ftp://replay.example.com/{session_id}", false},
		{" https://replay.example.com/", false},
		{"https://replay.example.com/a b", false},
		{"https://replay.example.com/\t", false},
		{`https://replay.example.com\@evil.example/`, false},
		{"https://{session_id}.example.com/", false},
		{"https://{variant}/x", false},
		{"https://user:pw@replay.example.com/", false},
		{"https://evil.example@replay.example.com/", false},
		{"https:///path", false},
		{"https://", false},
		{"https://replay.example.com/{user}", false},
		{"https://replay.example.com/{session}", false},
		{"https://replay.example.com/{session_id", false},
		{"https://replay.example.com/session_id}", false},
		{"https://replay.example.com/%zz", false},
		{"https://replay.example.com:port/", false},
		{"", false},
		{"https://replay.example.com/" + strings.Repeat("a", 1100), false},
	}
	for _, tt := range tests {
		_, err := ParseTemplate(tt.template)
		if (err == nil) != tt.ok {
			t.Errorf("ParseTemplate(%q) error %v, want ok %v", tt.template, err, tt.ok)
		}
	}
}

func TestTemplateExpandEscapes(t *testing.T) {
	tpl, err := ParseTemplate("https://replay.example.com/s/{session_id}?v={visitor}&x={experiment}&k={variant}")
	if err != nil {
		t.Fatal(err)
	}
	got := tpl.Expand(Values{Session: "a/b?c#d", Visitor: "x&admin=1 +", Experiment: "e/../../f", Variant: "<script>\"é"})
	want := "https://replay.example.com/s/a%2Fb%3Fc%23d?v=x%26admin%3D1%20%2B&x=e%2F..%2F..%2Ff&k=%3Cscript%3E%22%C3%A9"
	if got != want {
		t.Errorf("Expand\n got %s\nwant %s", got, want)
	}
	u, err := url.Parse(got)
	if err != nil || u.Host != "replay.example.com" || u.Query().Get("v") != "x&admin=1 +" || u.Query().Get("admin") != "" {
		t.Errorf("expanded URL parses as %+v, %v", u, err)
	}
	// A placeholder with no value gives no link rather than a broken one.
	if got := tpl.Expand(Values{Visitor: "v", Experiment: "e", Variant: "b"}); got != "" {
		t.Errorf("Expand without a session = %q, want \"\"", got)
	}
	if got := (Template{}).Expand(Values{}); got != "" {
		t.Errorf("zero Template expands to %q", got)
	}
	// Nor a value of dots alone, which would climb the recorder's path.
	for _, dots := range []string{".", "..", "..."} {
		if got := tpl.Expand(Values{Session: dots, Visitor: "v", Experiment: "e", Variant: "b"}); got != "" {
			t.Errorf("Expand with session %q = %q, want \"\"", dots, got)
		}
	}
}

func TestVariantLinks(t *testing.T) {
	start := time.Date(2025, 3, 9, 23, 30, 0, 0, time.FixedZone("x", -2*3600)) // 2025-03-10 01:30 UTC
	end := time.Date(2025, 3, 24, 8, 0, 0, 0, time.UTC)
	s := all()
	s.Custom = "https://replay.example.com/search?exp={experiment}&variant={variant}"
	links := s.VariantLinks(Experiment{ID: expID, Start: start, End: end}, "b")
	var recs []string
	for _, l := range links {
		recs = append(recs, l.Recorder)
		if l.Label == "" || (l.URL == "") == (l.Text == "") {
			t.Errorf("link %+v: want a label and exactly one of URL and text", l)
		}
		if l.URL != "" {
			checkHTTP(t, l.URL)
		}
	}
	if want := []string{"posthog", "clarity", "fullstory", "logrocket", "hotjar", "custom"}; !slices.Equal(recs, want) {
		t.Errorf("recorders %v, want %v", recs, want)
	}

	ph, err := url.Parse(links[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if ph.Scheme != "https" || ph.Host != "eu.posthog.com" || ph.Path != "/project/12345/replay/home" {
		t.Errorf("PostHog list URL %s", links[0].URL)
	}
	var filters map[string]any
	if err := json.Unmarshal([]byte(ph.Query().Get("filters")), &filters); err != nil {
		t.Fatalf("filters %q: %v", ph.Query().Get("filters"), err)
	}
	wantFilters := `{"date_from":"2025-03-10","date_to":"2025-03-24","filter_group":{"type":"AND","values":[{"type":"AND","values":[` +
		`{"key":"copylab_experiment","operator":"exact","type":"event","value":["` + expID + `"]},` +
		`{"key":"copylab_variant","operator":"exact","type":"event","value":["b"]}]}]},"filter_test_accounts":false}`
	if got, _ := json.Marshal(filters); string(got) != wantFilters {
		t.Errorf("PostHog filters\n got %s\nwant %s", got, wantFilters)
	}
	if strings.ContainsAny(ph.RawQuery, `{}"[] `) {
		t.Errorf("PostHog query not escaped: %s", ph.RawQuery)
	}

	if links[1].Text != "In Clarity, filter recordings by the custom tags copylab_variant = b and copylab_experiment = "+expID+"." {
		t.Errorf("Clarity text %q", links[1].Text)
	}
	if !strings.Contains(links[2].Text, "custom event “copylab” with copylab_variant = b") || !strings.HasPrefix(links[3].Text, "In LogRocket") {
		t.Errorf("FullStory/LogRocket texts %q / %q", links[2].Text, links[3].Text)
	}
	if links[4].Text != "In Hotjar, filter recordings by the event copylab:"+expID+":b." {
		t.Errorf("Hotjar text %q", links[4].Text)
	}
	if links[5].URL != "https://replay.example.com/search?exp="+expID+"&variant=b" {
		t.Errorf("custom variant URL %q", links[5].URL)
	}
}

func TestVariantLinksPostHog(t *testing.T) {
	tests := []struct {
		name, host, want string
		end              time.Time
	}{
		{"running: no end date", "https://us.posthog.com", "https://us.posthog.com/project/7/replay/home?filters=", time.Time{}},
		{"ingestion host means its app", "https://eu.i.posthog.com/", "https://eu.posthog.com/project/7/replay/home?filters=", time.Time{}},
		{"legacy app host", "https://app.posthog.com", "https://us.posthog.com/project/7/replay/home?filters=", time.Time{}},
		{"self-hosted under a path", "http://ph.internal:8000/posthog", "http://ph.internal:8000/posthog/project/7/replay/home?filters=", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Settings{PostHog: &PostHog{Host: tt.host, ProjectID: "7"}}
			l := s.VariantLinks(Experiment{ID: expID, Start: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)}, "control")
			if len(l) != 1 || !strings.HasPrefix(l[0].URL, tt.want) {
				t.Fatalf("links %+v, want a URL starting %s", l, tt.want)
			}
			u, _ := url.Parse(l[0].URL)
			if f := u.Query().Get("filters"); !strings.Contains(f, `"date_from":"2025-01-02","date_to":null`) {
				t.Errorf("filters %s", f)
			}
		})
	}
	// A host that fails validation (say, stored before a rule changed)
	// gives no link at all, never a javascript: one.
	for _, host := range []string{"javascript:alert(1)", "//evil.example", "data:text/html,x"} {
		s := Settings{PostHog: &PostHog{Host: host, ProjectID: "7"}}
		if l := s.VariantLinks(Experiment{ID: expID}, "b"); len(l) != 0 {
			t.Errorf("host %q: links %+v", host, l)
		}
	}
}

func TestSessionLinks(t *testing.T) {
	s := all()
	rec := func(recorder, session, replay string) Recording {
		return Recording{Recorder: recorder, Session: session, Replay: replay, Visitor: visit, Experiment: expID, Variant: "b"}
	}
	phSession := "0194f1c3-aaaa-7bbb-8ccc-dddddddddddd"
	tests := []struct {
		name    string
		s       Settings
		r       Recording
		wantURL string
		text    string // a substring of the text, when no URL
	}{
		{"posthog replay URL as sent", s, rec("posthog", phSession, "https://eu.posthog.com/project/phc_abcDEF123/replay/"+phSession+"?t=12"),
			"https://eu.posthog.com/project/phc_abcDEF123/replay/" + phSession + "?t=12", ""},
		{"posthog US cloud URL", s, rec("posthog", phSession, "https://us.posthog.com/project/1/replay/x"), "https://us.posthog.com/project/1/replay/x", ""},
		{"posthog built from the session id", s, rec("posthog", phSession, ""),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile replay: other host", s, rec("posthog", phSession, "https://evil.example/project/1/replay/x"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile replay: javascript", s, rec("posthog", phSession, "javascript:alert(document.cookie)//https://eu.posthog.com/project/1/replay/x"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile replay: userinfo", s, rec("posthog", phSession, "https://eu.posthog.com@evil.example/project/1/replay/x"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile replay: look-alike host", s, rec("posthog", phSession, "https://eu.posthog.com.evil.example/project/1/replay/x"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile replay: plain http", s, rec("posthog", phSession, "http://eu.posthog.com/project/1/replay/x"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile replay: other path", s, rec("posthog", phSession, "https://eu.posthog.com/logout"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile session is escaped", s, rec("posthog", "../../logout?x=1#y", ""),
			"https://eu.posthog.com/project/12345/replay/..%2F..%2Flogout%3Fx%3D1%23y", ""},
		// A dot segment would lead the link elsewhere on the host: the
		// browser resolves "..", and "%2e%2e" too.
		{"posthog hostile replay: dot segments", s, rec("posthog", phSession, "https://us.posthog.com/project/1/replay/x/../../../../logout?next=/"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile replay: escaped dot segments", s, rec("posthog", phSession, "https://us.posthog.com/project/1/replay/x/%2E%2e/%2e./logout"),
			"https://eu.posthog.com/project/12345/replay/" + phSession, ""},
		{"posthog hostile session: dots alone", s, rec("posthog", "..", ""),
			postHogListURL(s.PostHog, Experiment{ID: expID}, "b"), ""},
		{"clarity hostile ids: dots alone", s, rec("clarity", "../..", ""), "", "custom tags copylab_variant = b"},
		{"posthog configured self-hosted host", Settings{PostHog: &PostHog{Host: "http://ph.internal:8000", ProjectID: "3"}},
			rec("posthog", "s1", "http://ph.internal:8000/project/3/replay/s1"), "http://ph.internal:8000/project/3/replay/s1", ""},
		{"clarity player", s, rec("clarity", "1s8x9dz/1q2w3e4", ""), "https://clarity.microsoft.com/player/k9x2m4p7qa/1s8x9dz/1q2w3e4", ""},
		{"clarity hostile ids are escaped", s, rec("clarity", "a?b/c#d/e", ""), "https://clarity.microsoft.com/player/k9x2m4p7qa/a%3Fb/c%23d%2Fe", ""},
		{"clarity without a user id", s, rec("clarity", "1q2w3e4", ""), "", "custom tags copylab_variant = b"},
		{"fullstory URL as sent", s, rec("fullstory", "", "https://app.fullstory.com/ui/o-1ABCD-na1/client-session/123%3A456"),
			"https://app.fullstory.com/ui/o-1ABCD-na1/client-session/123%3A456", ""},
		{"fullstory EU", s, rec("fullstory", "", "https://app.eu1.fullstory.com/ui/o-1/session/1"), "https://app.eu1.fullstory.com/ui/o-1/session/1", ""},
		{"fullstory hostile host", s, rec("fullstory", "", "https://app.fullstory.com.evil.example/ui/x"), "", "In FullStory"},
		{"fullstory data URL", s, rec("fullstory", "", "data:text/html,<script>alert(1)</script>"), "", "In FullStory"},
		{"logrocket URL as sent", s, rec("logrocket", "", "https://app.logrocket.com/abc123/shop/s/5-abc/0?t=1"),
			"https://app.logrocket.com/abc123/shop/s/5-abc/0?t=1", ""},
		{"logrocket hostile", s, rec("logrocket", "", "javascript:alert(1)"), "", "In LogRocket"},
		{"logrocket http", s, rec("logrocket", "", "http://app.logrocket.com/abc123/shop/s/1"), "", "In LogRocket"},
		{"hotjar instructions", s, rec("hotjar", "7f2c-11", ""), "", "by the event copylab:" + expID + ":b (Hotjar session 7f2c-11)."},
		{"hotjar odd session left out", s, rec("hotjar", "<b>x</b>", ""), "", "by the event copylab:" + expID + ":b."},
		{"custom template", s, rec("custom", "ab/c?d", ""),
			"https://replay.example.com/s/ab%2Fc%3Fd?v=" + visit + "&x=" + expID + "&k=b", ""},
		{"custom without session", s, rec("custom", "", ""), "", "session id is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := tt.s.SessionLink(tt.r)
			if !ok {
				t.Fatalf("SessionLink: not ok")
			}
			if l.URL != tt.wantURL {
				t.Errorf("URL\n got %s\nwant %s", l.URL, tt.wantURL)
			}
			if l.URL != "" {
				checkHTTP(t, l.URL)
			}
			if tt.text != "" && !strings.Contains(l.Text, tt.text) {
				t.Errorf("text %q, want it to contain %q", l.Text, tt.text)
			}
			if l.Recorder != tt.r.Recorder || l.Label == "" {
				t.Errorf("link %+v", l)
			}
		})
	}
	// A recorder the site no longer uses gives no link.
	for _, r := range []string{"posthog", "clarity", "fullstory", "logrocket", "hotjar", "custom", "other"} {
		if l, ok := (Settings{}).SessionLink(rec(r, "s", "https://app.fullstory.com/x")); ok {
			t.Errorf("%s without settings: %+v", r, l)
		}
	}
}

// checkHTTP fails unless u is an absolute http(s) URL with a host.
func checkHTTP(t *testing.T, u string) {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil {
		t.Errorf("link %q is not an http(s) URL: %v", u, err)
	}
}

// TestNeedsReplay: NeedsReplay says true exactly for the recorders whose
// session SessionLink cannot reach from the session id alone. The others
// get a link built from the session (or, for Hotjar, text naming it), so
// the ingester keeps their recordings when only the replay URL is bad.
func TestNeedsReplay(t *testing.T) {
	s := all()
	replays := map[string]string{
		PostHogName:   "https://eu.posthog.com/project/12345/replay/s1",
		FullStoryName: "https://app.fullstory.com/ui/o-1/session/1",
		LogRocketName: "https://app.logrocket.com/abc123/shop/s/1",
	}
	for _, name := range []string{PostHogName, ClarityName, FullStoryName, LogRocketName, HotjarName, CustomName} {
		t.Run(name, func(t *testing.T) {
			bare := Recording{Recorder: name, Session: "u1/s1", Visitor: visit, Experiment: expID, Variant: "b"}
			l, ok := s.SessionLink(bare)
			if !ok {
				t.Fatal("SessionLink: not ok")
			}
			fromSession := l.URL != "" || strings.Contains(l.Text, "u1/s1")
			if name == HotjarName { // its session ids have no "/": quoted only when they look like one
				bare.Session = "7f2c-11"
				l, _ = s.SessionLink(bare)
				fromSession = strings.Contains(l.Text, "Hotjar session 7f2c-11")
			}
			if NeedsReplay(name) == fromSession {
				t.Errorf("NeedsReplay %v, but the session alone gives %+v", NeedsReplay(name), l)
			}
			if NeedsReplay(name) {
				withReplay := bare
				withReplay.Replay = replays[name]
				if l, _ := s.SessionLink(withReplay); l.URL == "" {
					t.Errorf("with its replay URL: %+v, want a URL", l)
				}
			}
		})
	}
}
