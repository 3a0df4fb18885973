package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// timeElement is a date shown the one way Settings and Users show dates:
// relative text in a <time> whose datetime is for machines and whose title
// is the exact time for the pointer.
var timeElement = regexp.MustCompile(`<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>`)

// absoluteDate is a date written out, as views' date and dateTime write it.
var absoluteDate = regexp.MustCompile(`\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}|\d\d:\d\d UTC`)

// mainOf is the <main> of a page, where the page's own content is.
func mainOf(t *testing.T, body string) string {
	t.Helper()
	i, j := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if i < 0 || j < i {
		t.Fatalf("no <main> in %s", body)
	}
	return body[i:j]
}

// wantDatesRelative fails unless every date in page is a <time> with
// relative text, the exact time as its title and RFC 3339 as its datetime,
// and the page has want of them.
func wantDatesRelative(t *testing.T, page string, want int) {
	t.Helper()
	if n := strings.Count(page, "<time"); n != want {
		t.Errorf("%d dates, want %d", n, want)
	}
	for _, m := range timeElement.FindAllStringSubmatch(page, -1) {
		at, err := time.Parse(time.RFC3339, m[1])
		if err != nil {
			t.Errorf("datetime %q: %v", m[1], err)
			continue
		}
		if title := at.UTC().Format("2 Jan 2006, 15:04 UTC"); m[2] != title {
			t.Errorf("title %q, want %q", m[2], title)
		}
		if absoluteDate.MatchString(m[3]) && !strings.HasPrefix(m[3], "on ") {
			t.Errorf("date text %q: neither relative nor a past month's \"on DATE\"", m[3])
		}
	}
	if n := len(timeElement.FindAllString(page, -1)); n != strings.Count(page, "<time") {
		t.Errorf("%d of %d <time> elements lack a datetime and a title", strings.Count(page, "<time")-n, strings.Count(page, "<time"))
	}
	if rest := timeElement.ReplaceAllString(page, ""); absoluteDate.MatchString(rest) {
		t.Errorf("a date outside a <time>: %q", absoluteDate.FindString(rest))
	}
}

// TestSettingsAndUsersDates: every date on Settings (API tokens' created
// and last used, signed-in browsers' signed in and last seen) and on Users
// (added) reads the same way, relative to now with the exact time in the
// <time> title.
func TestSettingsAndUsersDates(t *testing.T) {
	e := newEnv(t)
	ann := e.signIn("ann@example.com")
	bob := e.addUser("bob@example.com")
	for _, name := range []string{"Old script", "CI deploy"} {
		resp, body := ann.post("/settings/tokens", url.Values{"name": {name}})
		wantStatus(t, resp, http.StatusOK, body)
	}
	now := e.app.now()
	ago := func(d time.Duration) int64 { return now.Add(-d).UnixMilli() }
	day := 24 * time.Hour
	w := e.store.Writer()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`update api_tokens set created_at = ?, last_used_at = ? where name = 'Old script'`, []any{ago(40 * day), ago(2 * time.Hour)}},
		{`update api_tokens set created_at = ?, last_used_at = null where name = 'CI deploy'`, []any{ago(3 * day)}},
		{`update users set created_at = ? where email = 'ann@example.com'`, []any{ago(40 * day)}},
		{`update users set created_at = ? where id = ?`, []any{ago(5 * time.Hour), bob.ID}},
	} {
		if _, err := w.Exec(q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	onDate := "on " + now.Add(-40*day).Format("2 Jan 2006")

	resp, body := ann.get("/settings")
	wantStatus(t, resp, http.StatusOK, body)
	settings := mainOf(t, body)
	// Tokens: created twice, last used once; this browser: signed in.
	wantDatesRelative(t, settings, 4)
	wantContains(t, settings, ">"+onDate+"</time>", ">3 days ago</time>", ">2 hours ago</time>", ">never<", ">just now</time>")

	resp, body = ann.get("/users")
	wantStatus(t, resp, http.StatusOK, body)
	users := mainOf(t, body)
	wantDatesRelative(t, users, 2)
	wantContains(t, users, ">"+onDate+"</time>", ">5 hours ago</time>")
}

// TestYouBadges: Users marks the signed-in user "you" and Settings marks
// the browser showing it "this browser" with the same neutral badge: one
// look for "this is you", not the green of a running test.
func TestYouBadges(t *testing.T) {
	e := newEnv(t)
	ann := e.signIn("ann@example.com")
	e.addUser("bob@example.com")
	_, users := ann.get("/users")
	_, settings := ann.get("/settings")
	badge := regexp.MustCompile(`<span class="([^"]*)">(you|this browser)</span>`)
	you, browser := badge.FindAllStringSubmatch(mainOf(t, users), -1), badge.FindAllStringSubmatch(mainOf(t, settings), -1)
	switch {
	case len(you) != 1 || you[0][2] != "you":
		t.Errorf("Users: badges %q, want one \"you\"", you)
	case len(browser) != 1 || browser[0][2] != "this browser":
		t.Errorf("Settings: badges %q, want one \"this browser\"", browser)
	case you[0][1] != "badge" || browser[0][1] != "badge":
		t.Errorf("\"you\" is a %q, \"this browser\" a %q; want both the plain \"badge\"", you[0][1], browser[0][1])
	}
}
