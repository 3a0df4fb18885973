package recorders

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzCustomTemplate: whatever the template and the values, parsing and
// expanding never panic, and every link that comes out is an http or
// https URL on the template's own host. Values come from visitors'
// browsers, so they are fuzzed too.
func FuzzCustomTemplate(f *testing.F) {
	seeds := []string{
		"https://replay.example.com/s/{session_id}?v={visitor}&x={experiment}&k={variant}",
		"http://r.example:8080/{variant}#{session_id}",
		"javascript:alert({session_id})",
		"data:text/html,{visitor}",
		"vbscript:x",
		"//r.example/{session_id}",
		"https://{session_id}/",
		"https://a@b/{visitor}",
		"HTTPS://R.EXAMPLE/{unknown}",
		"https://r.example/%zz{variant}",
		"https://r.example/\u2028{variant}",
		"https://[::1]/{session_id}",
		"https://r.example{session_id}",
	}
	for _, s := range seeds {
		f.Add(s, "abc/../?#x", "v&a=1", "0194f1c2-7a3b-7cde-8f01-23456789abcd", "b")
	}
	f.Fuzz(func(t *testing.T, template, session, visitor, experiment, variant string) {
		tpl, err := ParseTemplate(template)
		s := Settings{Custom: template}
		errs := s.Validate()
		switch {
		case template == "":
			// No custom recorder at all: valid settings, though not a template.
			if len(errs) != 0 {
				t.Fatalf("settings without a custom template rejected: %v", errs)
			}
		case (err == nil) != (len(errs) == 0):
			t.Fatalf("ParseTemplate and Validate disagree on %q: %v / %v", template, err, errs)
		}
		links := []string{}
		if err == nil {
			lower := strings.ToLower(template)
			if !strings.HasPrefix(lower, "https://") && !strings.HasPrefix(lower, "http://") {
				t.Fatalf("accepted %q, which does not start with http(s)://", template)
			}
			links = append(links, tpl.Expand(Values{Session: session, Visitor: visitor, Experiment: experiment, Variant: variant}))
		}
		// The builders, whatever was stored (even a template that would
		// fail validation today).
		if l, ok := s.SessionLink(Recording{Recorder: CustomName, Session: session, Visitor: visitor, Experiment: experiment, Variant: variant}); ok {
			links = append(links, l.URL)
		}
		for _, l := range s.VariantLinks(Experiment{ID: experiment}, variant) {
			links = append(links, l.URL)
		}
		var host string
		if err == nil {
			u, _ := url.Parse(tpl.fill(func(string) string { return "x" }))
			host = u.Host
		}
		for _, l := range links {
			if l == "" {
				continue
			}
			if err != nil {
				t.Fatalf("template %q failed validation (%v) yet gave the link %q", template, err, l)
			}
			u, perr := url.Parse(l)
			if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Host == "" {
				t.Fatalf("template %q gave %q, not an http(s) URL (%v)", template, l, perr)
			}
			if u.Host != host {
				t.Fatalf("template %q gave %q on host %q, want %q", template, l, u.Host, host)
			}
		}
	})
}
