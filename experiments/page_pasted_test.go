package experiments_test

import (
	"slices"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestNormalizePageLeavesOutTracking: an address pasted whole loses the
// tracking parameters that say how one visitor arrived (an ad's click id,
// a campaign's utm_… tags): kept, they would narrow the test to visitors
// who arrive with them. Other parameters stay, and so does a pattern typed
// from /, which may narrow a test to a campaign's visitors on purpose.
func TestNormalizePageLeavesOutTracking(t *testing.T) {
	tests := []struct {
		name, in, want string
		dropped        []string
		host           string
	}{
		{"click id", "https://www.competitor.example/pricing?gclid=abc123", "/pricing", []string{"gclid=abc123"}, "www.competitor.example"},
		{"utm", "https://shop.example/pricing?utm_source=google", "/pricing", []string{"utm_source=google"}, "shop.example"},
		{"several, among a real one", "https://shop.example/signup?utm_source=x&plan=pro&fbclid=IwAR0&utm_medium=cpc",
			"/signup?plan=pro", []string{"utm_source=x", "fbclid=IwAR0", "utm_medium=cpc"}, "shop.example"},
		{"a real query stays as written", "https://shop.example/pricing?plan=pro&&b=a+b", "/pricing?plan=pro&&b=a+b", nil, "shop.example"},
		{"ref stays", "https://shop.example/p?ref=partner", "/p?ref=partner", nil, "shop.example"},
		{"key in capitals or escaped", "http://Shop.Example:80/p?UTM_Source=x&utm%5Fcampaign=y&_ga=1.2&msclkid", "/p",
			[]string{"UTM_Source=x", "utm%5Fcampaign=y", "_ga=1.2", "msclkid"}, "shop.example"},
		{"fragment", "https://shop.example/p?gclid=1#top", "/p", []string{"gclid=1"}, "shop.example"},
		{"root", "https://shop.example/?utm_campaign=spring", "/", []string{"utm_campaign=spring"}, "shop.example"},
		{"typed campaign stays", "/landing?utm_campaign=spring", "/landing?utm_campaign=spring", nil, ""},
		{"typed click id stays", "/pricing?gclid=abc123", "/pricing?gclid=abc123", nil, ""},
		{"typed", "/pricing", "/pricing", nil, ""},
		{"every page", "*", "*", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := experiments.NormalizePage(tc.in); got != tc.want {
				t.Errorf("NormalizePage(%q) = %q, want %q", tc.in, got, tc.want)
			}
			page, pasted := experiments.ReadPage(tc.in)
			if page != tc.want || !slices.Equal(pasted.Dropped, tc.dropped) || pasted.Host != tc.host {
				t.Errorf("ReadPage(%q) = %q, %+v; want %q, dropped %q, host %q", tc.in, page, pasted, tc.want, tc.dropped, tc.host)
			}
			if again := experiments.NormalizePage(page); again != page {
				t.Errorf("NormalizePage(%q) = %q: not stable", page, again)
			}
		})
	}
}

// A page-view goal pasted whole is a page pattern too: the visit counts
// however the visitor arrived.
func TestNormalizeGoalLeavesOutTracking(t *testing.T) {
	e := experiments.Experiment{Page: "https://shop.example/pricing?gclid=1",
		Goal: experiments.Goal{Type: experiments.GoalPageview, URL: "https://shop.example/thanks?utm_source=mail&order=*"}}.Normalize()
	if e.Page != "/pricing" || e.Goal.URL != "/thanks?order=*" {
		t.Errorf("page %q, goal %q; want /pricing and /thanks?order=*", e.Page, e.Goal.URL)
	}
}

// FuzzReadPage: ReadPage never panics, agrees with NormalizePage, and
// leaves out of a pasted address only tracking pairs, keeping the others
// in their order; what it gives is stable under NormalizePage.
func FuzzReadPage(f *testing.F) {
	for _, s := range []string{"https://shop.example/p?gclid=1&plan=pro", "/p?utm_source=x", "https://x/?&&utm_", "http://a/b?%zz=1&_gl=2",
		"https://shop.example/café?utm_source=é", "*", "https://[::1]:8080/p?fbclid"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		page, pasted := experiments.ReadPage(in)
		if page != experiments.NormalizePage(in) {
			t.Fatalf("ReadPage(%q) = %q, NormalizePage says %q", in, page, experiments.NormalizePage(in))
		}
		for _, d := range pasted.Dropped {
			if !experiments.TrackingParam(d) {
				t.Errorf("ReadPage(%q) left out %q, not a tracking parameter", in, d)
			}
		}
		if len(pasted.Dropped) > 0 {
			_, query, _ := strings.Cut(page, "?")
			for pair := range strings.SplitSeq(query, "&") {
				if experiments.TrackingParam(pair) {
					t.Errorf("ReadPage(%q) = %q kept %q", in, page, pair)
				}
			}
		}
	})
}
