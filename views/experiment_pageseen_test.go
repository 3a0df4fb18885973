package views

import (
	"strings"
	"testing"
	"time"
)

// draftLine is the draft notice's text: the first .notice holding "This
// is a draft".
func draftLine(t *testing.T, p ExperimentPage) string {
	t.Helper()
	doc, _ := renderDoc(t, Experiment(p))
	for _, n := range find(doc, byClass("notice")) {
		if s := squash(text(n)); strings.HasPrefix(s, "This is a draft") {
			return s
		}
	}
	return ""
}

// TestTagPageSeen: a tag fetched only by requests that named no page (curl,
// a tool, a page whose Referrer-Policy hides it) has not been seen at work
// on a page: PageSeen says so, unlike NotSeen (the site page's "Not seen
// yet"), and the draft says the tag was fetched rather than seen.
func TestTagPageSeen(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	const (
		head  = "This is a draft: visitors see the original copy until you start it. "
		check = " Check each variant on the real page with the preview links below, then press Start."
	)
	for _, tt := range []struct {
		name     string
		tag      TagStatus
		pageSeen bool
		notSeen  bool
		line     string
	}{
		{"nothing", TagStatus{Now: now}, false, true, head + strings.TrimPrefix(check, " ")},
		{"on a page", TagStatus{Now: now, Loaded: now, Pages: []TagPage{{Origin: "https://shop.example", At: now}}}, true, false,
			head + "The tag was last seen on https://shop.example just now." + check},
		{"no page named", TagStatus{Now: now, Loaded: now}, false, false,
			head + "The tag was fetched just now, by a request that named no page: a tool such as curl, or a page whose Referrer-Policy hides it." + check},
		{"no page named, events", TagStatus{Now: now, Loaded: now, LastEvent: now}, true, false,
			head + "The tag was fetched just now, by a request that named no page, and the site’s last event arrived just now." + check},
		{"events only", TagStatus{Now: now, LastEvent: now}, true, false,
			head + "The site’s last event arrived just now." + check},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.tag.PageSeen(); got != tt.pageSeen {
				t.Errorf("PageSeen() = %v, want %v", got, tt.pageSeen)
			}
			if got := tt.tag.NotSeen(); got != tt.notSeen {
				t.Errorf("NotSeen() = %v, want %v", got, tt.notSeen)
			}
			p := ExperimentPage{Page: testPage(), ID: "x1", Name: "Hero", Status: "draft", SiteID: "s1", SiteName: "Shop",
				PageURL: "/", Selector: "#hero", Tag: tt.tag}
			if got := draftLine(t, p); got != tt.line {
				t.Errorf("draft line\n%q\nwant\n%q", got, tt.line)
			}
		})
	}
}
