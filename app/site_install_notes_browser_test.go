package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestInstallNotesCopyBrowser presses "Copy install notes", beside the
// tag's Copy on a site's page, in headless Chromium: the clipboard gets
// the hidden notes' plain text (the tag line, the notes a line each, and
// here, with copylab on 127.0.0.1 and the site on shop.example, the
// warning that visitors cannot reach it), and the button says Copied.
// Over plain http to another host the clipboard API is off, and the
// button copies through the old copy command: the notes' box is hidden,
// which no selection reaches, so their text is copied from a box of its
// own, and the box the page keeps stays as it was.
func TestInstallNotesCopyBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	grantClipboard(t, tab, live.base)
	open := func() {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/sites/"+site.ID),
			chromedp.WaitVisible(chromedp.CSS("#install-notes-copy"))); err != nil {
			t.Fatal(err)
		}
	}
	notes := func() string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("install-notes").value`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	check := func(how, copied, want string) {
		t.Helper()
		if copied != want {
			t.Errorf("%s: copied\n%s\nwant the notes\n%s", how, copied, want)
		}
		for _, w := range []string{`<script src="` + live.app.snippetURL(site.Key) + `"></script>`, "\n- Keep it synchronous. No async or defer:",
			`add data-consent="required" to its <script src=…> line`, "Warning: Visitors’ browsers cannot reach this tag."} {
			if !strings.Contains(copied, w) {
				t.Errorf("%s: the copied notes lack %q", how, w)
			}
		}
		label, err := chromedp.Run(tab, chromedp.Poll[string](`(b => b.textContent.trim() === "Copied" && b.textContent.trim())(document.getElementById("install-notes-copy"))`,
			chromedp.WithPollingTimeout(5*time.Second)))
		if err != nil || label != "Copied" {
			t.Errorf("%s: the button reads %q (%v)", how, label, err)
		}
	}

	open()
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](`(() => {
		var write = navigator.clipboard.writeText.bind(navigator.clipboard);
		navigator.clipboard.writeText = function (s) { window.copiedText = s; return write(s); };
	})()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#install-notes-copy"))); err != nil {
		t.Fatal(err)
	}
	copied, err := chromedp.Run(tab, chromedp.Poll[string](`window.copiedText`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Fatalf("nothing copied: %v", err)
	}
	check("with the clipboard API", copied, notes())

	// The page as plain http to another host than this computer gets it:
	// no clipboard API. What the copy command copies is the selection
	// of the box it is given when the copy event fires.
	open()
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](`(() => {
		Object.defineProperty(window, "isSecureContext", {value: false});
		document.addEventListener("copy", (ev) => {
			var box = ev.target;
			window.copiedText = box && "value" in box ? box.value.slice(box.selectionStart, box.selectionEnd) : String(document.getSelection());
		});
	})()`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#install-notes-copy"))); err != nil {
		t.Fatal(err)
	}
	copied, err = chromedp.Run(tab, chromedp.Poll[string](`window.copiedText`, chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		t.Fatalf("nothing copied without the clipboard API: %v", err)
	}
	check("with the copy command", copied, notes())
	left, err := chromedp.Run(tab, chromedp.Evaluate[[]any](`[document.querySelectorAll("textarea").length, document.getElementById("install-notes").hidden,
		document.activeElement && document.activeElement.id]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 3 || left[1] != true || left[2] != "install-notes-copy" {
		t.Errorf("after the copy: [textareas, notes hidden, focus] = %v, want the notes still hidden and the focus on the button", left)
	}
}
