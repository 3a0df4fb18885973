// app.js: the few behaviours of copylab's pages that need a script. Every
// page works without it; this only adds comfort. It is a first-party file
// because the Content Security Policy allows no inline script.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="#id"> copies the value or text of the
  // element it names, and says so for two seconds.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-copy]");
    if (!btn) return;
    var el = document.querySelector(btn.getAttribute("data-copy"));
    if (!el) return;
    var text = "value" in el ? el.value : el.textContent;
    var done = function () {
      var label = btn.textContent;
      btn.textContent = "Copied";
      btn.classList.add("copied");
      setTimeout(function () {
        btn.textContent = label;
        btn.classList.remove("copied");
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        el.select && el.select();
      });
    } else if (el.select) {
      // Plain http: the clipboard API is off; select and use the old command.
      el.select();
      try {
        if (document.execCommand("copy")) done();
      } catch (e) {}
    }
  });

  // Confirmation before destructive actions: data-confirm="Question?"
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.getAttribute("data-confirm"))) {
      ev.preventDefault();
    }
  });

  // Goal fields: show only the field of the chosen goal type. Without this
  // script all three stay visible, each labelled with its goal.
  function showGoal() {
    var checked = document.querySelector("[data-goal-choice]:checked");
    if (!checked) return;
    document.querySelectorAll("[data-goal-for]").forEach(function (el) {
      el.hidden = el.getAttribute("data-goal-for") !== checked.value;
    });
  }
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("[data-goal-choice]")) showGoal();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showGoal);
  } else {
    showGoal();
  }

  // Live results: htmx swaps the results regions while people read them.
  // A <details> someone opened or closed (a data table, a segment) keeps
  // its state across the swap: remembered by id before, restored after.
  var detailsState = null;
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var target = ev.detail && ev.detail.target;
    if (!target || !target.querySelectorAll) return;
    detailsState = {};
    target.querySelectorAll("details[id]").forEach(function (d) {
      detailsState[d.id] = d.open;
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!detailsState) return;
    Object.keys(detailsState).forEach(function (id) {
      var d = document.getElementById(id);
      if (d && d.tagName === "DETAILS") d.open = detailsState[id];
    });
    detailsState = null;
  });
})();
