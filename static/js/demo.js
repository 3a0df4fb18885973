// demo.js: the demo page's one behaviour. A click on the sign-up button is
// the demo experiment's goal; copylab's tag counts it on its own, and this
// shows a thank-you note so the visitor knows something happened.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("#signup");
    if (!btn) return;
    var note = document.getElementById("thanks");
    if (note) note.hidden = false;
    // After this event has reached every listener, the tag's included.
    setTimeout(function () {
      btn.textContent = "You're in ✓";
      btn.disabled = true;
    }, 0);
  });
})();
