package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestAccountPagesLayout lays out Users and Settings in headless Chromium
// at a phone's width (390 px) and a desktop's. On a phone each row of the
// Users, API tokens and signed-in browsers tables reads as a card: the
// page does not scroll sideways, no table scrolls in its box, and every
// cell (a user's Added date, a token's Last used) lies inside the screen,
// unclipped. To a screen reader each is still a table with its column
// headers; on a desktop it is a plain table.
func TestAccountPagesLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	token := live.ownerToken(t, "Deploy script for the marketing site’s staging and production")
	live.call(t, "POST", "/api/v1/sites", token, `{"name":"Shop","domain":"shop.example"}`, 201) // the token's Last used
	if _, err := CreateToken(ctx, live.store, "owner@example.com", "CI"); err != nil {
		t.Fatal(err)
	}
	// Long addresses, as teams have them.
	for _, email := range []string{"marketing.operations.lead@a-rather-long-company-name.example", "ann@example.com"} {
		if _, _, err := AddUser(ctx, live.store, email, "", testPassword); err != nil {
			t.Fatal(err)
		}
	}
	owner, _, err := live.store.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// Another browser signed in as the owner, with a Sign out button.
	id := make([]byte, 32)
	rand.Read(id)
	if err := live.store.CreateSession(ctx, hex.EncodeToString(id), owner.ID, "csrf",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "",
		time.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}

	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	open := func(t *testing.T, path string, width int64) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 844), chromedp.Navigate(live.base+path),
			chromedp.WaitVisible(chromedp.CSS("main table tbody td"))); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(t *testing.T, js string) float64 {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}

	for _, tc := range []struct {
		path    string
		tables  int      // tables with those captions
		columns []string // headers whose cells must be in view, as "caption/column"
		rows    int      // rows in all
	}{
		{"/users", 1, []string{"Users/Email", "Users/Added"}, 3},
		{"/settings", 2, []string{"API tokens/Name", "API tokens/Starts with", "API tokens/Created", "API tokens/Last used",
			"Signed-in browsers/Browser", "Signed-in browsers/Signed in", "Signed-in browsers/Last seen"}, 4}, // two tokens, two browsers
	} {
		t.Run(tc.path+" on a phone", func(t *testing.T) {
			open(t, tc.path, 390)
			columns, _ := json.Marshal(tc.columns)
			if over := eval(t, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("the page scrolls %.0fpx sideways", over)
			}
			problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(function (want, tables, rows) {
				var out = [], w = document.documentElement.clientWidth, seen = 0;
				var all = Array.prototype.filter.call(document.querySelectorAll("main table"), function (table) {
					return want.some(function (c) { return c.indexOf(table.caption.textContent.trim() + "/") === 0; });
				});
				if (all.length !== tables) out.push(all.length + " tables, want " + tables);
				all.forEach(function (table) {
					var caption = table.caption.textContent.trim();
					var box = table.parentElement;
					if (box.scrollWidth > box.clientWidth) out.push(caption + " scrolls " + (box.scrollWidth - box.clientWidth) + "px sideways in its box");
					var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
					table.querySelectorAll("tbody tr").forEach(function (tr) {
						seen++;
						Array.prototype.forEach.call(tr.children, function (td, i) {
							var name = caption + "/" + heads[i];
							var control = td.querySelector("button");
							var el = want.indexOf(name) >= 0 ? td : control;
							if (!el) return;
							var r = el.getBoundingClientRect(), what = control && el === control ? name + "’s " + control.textContent.trim() : name;
							if (r.width === 0 || r.height === 0 || r.left < 0 || r.right > w + 0.5)
								out.push(what + " " + JSON.stringify(el.innerText) + " at " + Math.round(r.left) + "–" + Math.round(r.right) + "px of " + w);
							else if (el.scrollWidth > el.clientWidth + 1)
								out.push(what + " " + JSON.stringify(el.innerText) + " is clipped: " + el.scrollWidth + "px in " + el.clientWidth);
						});
					});
				});
				if (seen !== rows) out.push(seen + " rows, want " + rows);
				return out;
			})(`+string(columns)+`, `+itoa(tc.tables)+`, `+itoa(tc.rows)+`)`))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
			// What a screen reader meets: tables, their column headers,
			// rows and cells.
			for sel, want := range map[string]string{
				"main table":                      "table",
				"main table thead th:first-child": "columnheader",
				"main table tbody tr":             "row",
				"main table tbody td:first-child": "cell",
				"main table tbody td:last-child":  "cell",
			} {
				if got := axRole(t, tab, sel); got != want {
					t.Errorf("%s is a %q to a screen reader, want %q", sel, got, want)
				}
			}
		})
		t.Run(tc.path+" on a desktop", func(t *testing.T) {
			open(t, tc.path, 1280)
			if h := eval(t, `document.querySelector("main table thead").getBoundingClientRect().height`); h < 20 {
				t.Errorf("the header row is %.0fpx high", h)
			}
			if d := eval(t, `getComputedStyle(document.querySelector("main table tbody tr")).display === "table-row" ? 1 : 0`); d != 1 {
				t.Error("the rows are not table rows")
			}
		})
	}
}
