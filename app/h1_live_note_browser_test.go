package app

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserProgressSaysItUpdatesOnlyWhenItDoes: the progress of a
// running brief said "this page updates by itself" also with scripts
// off, where nothing polls and only the Refresh link brings the drafts.
// It now says so only where the page's script runs; without it, the
// sentence ends after the running time, and Refresh stays.
func TestBrowserProgressSaysItUpdatesOnlyWhenItDoes(t *testing.T) {
	tests := []struct {
		name    string
		scripts bool
		want    string // the progress note as shown (innerText)
	}{
		{"scripts on", true, "Running for less than a second; this page updates by itself. copylab waits up to 30 seconds for each answer from the model, 3 minutes in all. Refresh"},
		{"scripts off", false, "Running for less than a second. copylab waits up to 30 seconds for each answer from the model, 3 minutes in all. Refresh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := draftingTab(t)
			if !tt.scripts {
				if _, err := chromedp.Call(r.tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
			release := r.llm.hold()
			defer release()
			r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
				chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"))
			if _, err := chromedp.Run(r.tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[chromedp.Void](`document.querySelector("#brief-form").submit()`))); err != nil {
				t.Fatal(err)
			}
			r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"] .gen-progress-note`)))
			// The running time as the server rendered it: the script
			// counts it on, which is not what this test is about. The
			// note as shown includes what CSS draws (::before, ::after),
			// which innerText leaves out: it is written in first.
			got := r.eval(`(function () {
				var n = document.querySelector("#generation .gen-progress-note");
				var t = n.querySelector("[data-elapsed-ms]");
				t.textContent = "less than a second";
				t.removeAttribute("data-elapsed-ms");
				n.querySelectorAll("*").forEach(function (el) {
					["::before", "::after"].forEach(function (where) {
						var c = getComputedStyle(el, where).content;
						if (getComputedStyle(el).display === "none" || !/^".*"$/.test(c)) return;
						var drawn = document.createTextNode(JSON.parse(c));
						if (where === "::before") el.prepend(drawn); else el.append(drawn);
					});
				});
				return n.innerText.replace(/\s+/g, " ").trim();
			})()`)
			if got != tt.want {
				t.Errorf("progress note\n got %q\nwant %q", got, tt.want)
			}
			if ex := r.exceptions(); len(ex) > 0 {
				t.Errorf("the page threw: %v", ex)
			}
		})
	}
}
