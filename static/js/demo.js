// demo.js: the demo page's one behaviour. A click on the sign-up button is
// the demo experiment's goal; copylab's tag counts it on its own, and this
// shows a note that says what became of the click. The page holds one note
// per outcome (views/demo.templ); this picks the one that is true, because
// only the browser knows whether it is automated, previewing a variant, or
// in the test at all.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("#signup");
    if (!btn) return;
    var box = document.getElementById("thanks");
    if (box && box.hidden) {
      var outcome = outcomeOf(box),
        note = box.querySelector('[data-note="' + outcome + '"]');
      box.dataset.counted = outcome.indexOf("counted:") == 0 ? "yes" : "no";
      if (note) note.hidden = false;
      box.hidden = false;
    }
    // After this event has reached every listener, the tag's included.
    // A disabled button loses the focus to the body: it goes to the note,
    // which says what became of the click.
    setTimeout(function () {
      var had = document.activeElement === btn;
      btn.textContent = "You're in ✓";
      btn.disabled = true;
      if (had && box && !box.hidden) box.focus();
    }, 0);
  });

  // outcomeOf says what copylab does with this click, in the order the
  // server would judge it: no running test; a QA preview (sends nothing);
  // a bot (recorded, never counted); a visitor outside the test; one who
  // converted before (counted once per visitor); else counted for the
  // variant the tag gave them.
  function outcomeOf(box) {
    var exp = box.dataset.experiment,
      key = null,
      mark = "copylab-demo-converted:" + exp;
    if (!exp) return "off";
    if (previewing()) return "preview";
    // The server judged the user agent; navigator.webdriver is what the
    // tag itself sends as "bot".
    if (box.dataset.bot || navigator.webdriver) return "bot";
    try {
      key = window.copylab && window.copylab.variant(exp);
    } catch (e) {}
    if (!key) return "out";
    try {
      if (localStorage.getItem(mark)) return "again";
      localStorage.setItem(mark, key);
    } catch (e) {}
    return "counted:" + key;
  }

  // previewing reports a QA preview: ?copylab=EXPERIMENT:VARIANT (or
  // ?copylab=off) on this page, or one earlier in the tab, which the tag
  // keeps in sessionStorage under "copylab" until ?copylab= ends it.
  function previewing() {
    var q = new URLSearchParams(location.search).get("copylab");
    if (q !== null) return q !== "";
    try {
      return !!JSON.parse(sessionStorage.getItem("copylab"));
    } catch (e) {
      return false;
    }
  }
})();
