// app.js: the few behaviours of copylab's pages that need a script. Every
// page works without it; this only adds comfort. It is a first-party file
// because the Content Security Policy allows no inline script.
(function () {
  "use strict";

  // announce says a sentence through the page's polite live region
  // (views.Announcer), once: the same sentence twice in a row is said once,
  // so a poll that brings the same progress stays quiet. Pages without the
  // region get one, made now, before anything is said into it.
  var spoken = "";
  function announcer() {
    var el = document.getElementById("announcer");
    if (!el && document.body) {
      el = document.createElement("div");
      el.id = "announcer";
      el.className = "sr-only";
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      el.setAttribute("aria-atomic", "true");
      document.body.prepend(el);
    }
    return el;
  }
  function announce(text, again) {
    var el = announcer();
    text = (text || "").trim();
    if (!el || !text || (text === spoken && !again)) return;
    spoken = text;
    // Emptied first, then filled in the next frame: a region whose text
    // is replaced in one go is not always read again.
    el.textContent = "";
    setTimeout(function () {
      el.textContent = text;
    }, 50);
  }

  // A page that shows something once (a new invite link, password or API
  // token) answers a form's POST, so the address bar holds the form's
  // address. Its data-page-url names the page's own address: put it
  // there, so that a reload shows the page (without the secret, as it
  // promised) instead of sending the form again, which would make a
  // second token, or a new invite link that retires the one just copied.
  var shownOnce = document.querySelector("[data-page-url]");
  if (shownOnce && window.history && history.replaceState) {
    history.replaceState(null, "", shownOnce.getAttribute("data-page-url"));
  }

  // Copy buttons: <button data-copy="#id"> copies the value or text of the
  // element it names, and says so for two seconds. A second copy within
  // them starts the two seconds again; the label comes back after the last.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-copy]");
    if (!btn) return;
    var el = document.querySelector(btn.getAttribute("data-copy"));
    if (!el) return;
    var text = "value" in el ? el.value : el.textContent;
    var done = function () {
      if (!btn.copyLabel) btn.copyLabel = btn.textContent;
      announce("Copied", true);
      btn.textContent = "Copied";
      btn.classList.add("copied");
      clearTimeout(btn.copyTimer);
      btn.copyTimer = setTimeout(function () {
        btn.textContent = btn.copyLabel;
        btn.copyLabel = "";
        btn.classList.remove("copied");
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        el.select && el.select();
      });
    } else if (el.select) {
      // Plain http: the clipboard API is off; select and use the old command.
      // A hidden box (the tag's install notes) cannot be selected: its text
      // is, for the moment, in a box of its own out of sight.
      var from = el;
      if (el.hidden) {
        from = document.createElement("textarea");
        from.value = text;
        from.setAttribute("readonly", "");
        from.setAttribute("aria-hidden", "true");
        from.style.position = "fixed";
        from.style.top = "-100vh";
        document.body.appendChild(from);
      }
      from.select();
      try {
        if (document.execCommand("copy")) done();
      } catch (e) {}
      if (from !== el) {
        from.remove();
        btn.focus();
      }
    }
  });

  // A form sent twice by a double click: the browser shows the second
  // answer, which finds the first one's change made ("Someone with this
  // email can already sign in", an invite link "replacing" the one just
  // made), and the first answer, which showed a password or a link once,
  // is lost. A form that posts is sent once while its page waits for the
  // answer: a second submit within 10 seconds is dropped. A submit htmx
  // (or anything else) took over is not counted, and a page brought back
  // by Back starts afresh.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (ev.defaultPrevented || !form || (form.getAttribute("method") || "").toLowerCase() !== "post") return;
    var now = Date.now();
    if (form.sentAt && now - form.sentAt < 10000) {
      ev.preventDefault();
      return;
    }
    form.sentAt = now;
  });
  // Signing out forgets the drafts generate.js keeps in this browser
  // (localStorage "copylab.drafts.JOB"): the next person at a shared
  // computer should not find someone's unsent copy there. Nor htmx's
  // snapshots of the pages it swapped ("htmx-history-cache"), which hold
  // whole pages, briefs and drafts included: htmx 2 keeps them in this
  // tab's sessionStorage, htmx 1 and earlier copylabs kept them in
  // localStorage, where they stay until removed.
  document.addEventListener("submit", function (ev) {
    if (!ev.target || ev.target.getAttribute("action") !== "/logout") return;
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf("copylab.drafts.") === 0) localStorage.removeItem(k);
      }
      localStorage.removeItem("htmx-history-cache");
    } catch (e) {
      // Storage refused (a privacy mode): nothing was kept either.
    }
    try {
      sessionStorage.removeItem("htmx-history-cache");
    } catch (e) {}
  });
  window.addEventListener("pageshow", function (ev) {
    if (!ev.persisted) return;
    for (var i = 0; i < document.forms.length; i++) document.forms[i].sentAt = 0;
  });

  // Confirmation before a change that is hard to undo: a button with
  // data-confirm="Question?" asks first, in the page's own dialog (a
  // modal <dialog>: the rest of the page is inert, Escape or Cancel says
  // no, and the focus goes back to the button). The answer button says
  // what it does, in the button's words without their figures ("Ship
  // Variant C"), red for a danger button. Cancel has the focus, so an
  // Enter pressed by habit changes nothing. A browser without <dialog>
  // asks with window.confirm.
  var asking = null;
  function confirmDialog() {
    var dlg = document.getElementById("confirm-dialog");
    if (dlg) return dlg;
    dlg = document.createElement("dialog");
    dlg.id = "confirm-dialog";
    dlg.className = "confirm-dialog";
    dlg.setAttribute("aria-labelledby", "confirm-question");
    var q = document.createElement("p");
    q.id = "confirm-question";
    q.className = "confirm-question";
    var actions = document.createElement("div");
    actions.className = "confirm-actions";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-secondary";
    cancel.textContent = "Cancel";
    cancel.autofocus = true;
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "btn btn-primary confirm-ok";
    cancel.addEventListener("click", function () {
      dlg.close();
    });
    ok.addEventListener("click", function () {
      var btn = asking;
      asking = null;
      dlg.close();
      if (btn) {
        btn.confirmed = true;
        btn.click();
      }
    });
    // The close event comes as a task of its own: when the dialog was
    // opened again meanwhile (Escape, then a quick click), the question
    // now asked keeps its button.
    dlg.addEventListener("close", function () {
      if (asking && !dlg.open) {
        asking.focus();
        asking = null;
      }
    });
    actions.append(cancel, ok);
    dlg.append(q, actions);
    document.body.appendChild(dlg);
    return dlg;
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-confirm]");
    if (!btn) return;
    if (btn.confirmed) {
      btn.confirmed = false;
      return;
    }
    var question = btn.getAttribute("data-confirm");
    if (typeof HTMLDialogElement !== "function") {
      if (!window.confirm(question)) ev.preventDefault();
      return;
    }
    ev.preventDefault();
    var dlg = confirmDialog();
    dlg.querySelector(".confirm-question").textContent = question;
    var ok = dlg.querySelector(".confirm-ok");
    ok.textContent = btn.textContent.replace(/\s*\(.*\)\s*$/, "").trim() || "OK";
    var danger = btn.classList.contains("btn-danger") || btn.classList.contains("danger");
    ok.className = "btn confirm-ok " + (danger ? "btn-danger" : "btn-primary");
    asking = btn;
    dlg.showModal();
  });

  // A message after a change made in one part of a long page
  // (/settings#sessions): the browser scrolls to that part, past the
  // message at the top of the page. The message moves into that part, under
  // its heading, where the person is looking.
  function flashToPart() {
    var flash = document.querySelector("main > .flash");
    var id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (e) {}
    var target = id && document.getElementById(id);
    if (!flash || !target) return;
    var part = target.closest("section, .card") || target;
    var head = part.querySelector("h1, h2, h3");
    // A heading in a row with its badge or link (.section-head): the
    // message goes under the row, not into it.
    if (head && head.parentElement.classList.contains("section-head")) head = head.parentElement;
    if (head) head.after(flash);
    else part.prepend(flash);
    part.scrollIntoView({ block: "start" });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", flashToPart);
  } else {
    flashToPart();
  }

  // A form sent back with errors: the focus goes to the first field that
  // has one, so a screen reader reads its label and its message, and a
  // keyboard is where the fix is. (Fields are not autofocused then.)
  //
  // A form whose action ends in a #fragment (a site page's Settings and
  // Session recordings cards) comes back at that card. Chromium makes the
  // jump to the fragment after this script, and focuses the element it
  // names, which takes no focus: the field loses it to the body. With an
  // error, the fragment leaves the address (the page answers a POST, so
  // nothing links to it), and the card is scrolled to here, before the
  // field takes the focus.
  function focusFirstError() {
    var bad = document.querySelector('main [aria-invalid="true"]');
    if (!bad || (document.activeElement && document.activeElement !== document.body)) return;
    var id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (e) {}
    var part = id && document.getElementById(id);
    if (part && part.contains(bad) && window.history && history.replaceState) {
      history.replaceState(history.state, "", location.pathname + location.search);
      part.scrollIntoView({ block: "start" });
    }
    bad.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }

  // A card's own message after its action ([data-focus-on-load], with
  // tabindex=-1: a site's Notifications card after Save webhook, Send a
  // test message or Turn off) takes the focus, so that a screen reader
  // reads what happened and the keyboard is in the card. As above, the
  // #fragment leaves the address first, or Chromium's jump to it would
  // put the focus back on the body, and the card is scrolled to here.
  function focusMessage() {
    var msg = document.querySelector("main [data-focus-on-load]");
    if (!msg || (document.activeElement && document.activeElement !== document.body)) return;
    if (location.hash && window.history && history.replaceState) {
      history.replaceState(history.state, "", location.pathname + location.search);
    }
    (msg.closest("section, .card") || msg).scrollIntoView({ block: "start" });
    msg.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusMessage);
  } else {
    focusMessage();
  }

  // A table wider than its box (.table-wrap) scrolls inside it, which a
  // keyboard can do only from the box: while it scrolls, the box takes
  // the focus (the arrow keys then scroll it) and is a region named as
  // its table's caption, as the results' tables are in their markup
  // (those are left as they are). A box that fits is no stop for the Tab
  // key. Checked again whenever a box or its table changes size: a window
  // resized or turned, a <details> opened, a swap that brings new rows.
  var scrollBoxes = window.ResizeObserver
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (e) {
          scrollSign(e.target.closest(".table-wrap"));
        });
      })
    : null;
  function scrollSign(box) {
    if (!box) return;
    var table = box.querySelector("table");
    if (box.scrollWidth > box.clientWidth + 1 && box.clientWidth > 0) {
      var name = table && table.caption ? table.caption.textContent.trim() : "";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (name) box.setAttribute("aria-label", name);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
  function watchScrollBoxes() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.copylabScrollSign || (box.hasAttribute("tabindex") && !box.hasAttribute("data-scroll-sign"))) return;
      box.copylabScrollSign = true;
      box.setAttribute("data-scroll-sign", "");
      scrollSign(box);
      if (!scrollBoxes) return;
      scrollBoxes.observe(box);
      var table = box.querySelector("table");
      if (table) scrollBoxes.observe(table);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchScrollBoxes);
  } else {
    watchScrollBoxes();
  }
  document.addEventListener("htmx:afterSettle", watchScrollBoxes);

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

  // Hints: a "?" button's explanation shows on hover and on focus (pure
  // CSS). Escape hides it without moving the focus (WCAG 1.4.13), until
  // the focus or the pointer leaves the hint; then it can show again.
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" && ev.key !== "Esc") return;
    var open = [];
    var a = document.activeElement;
    var focused = a && a.closest && a.closest(".hint");
    if (focused) open.push(focused);
    document.querySelectorAll(".hint:hover").forEach(function (h) {
      if (h !== focused) open.push(h);
    });
    open.forEach(function (h) {
      h.classList.add("hint-dismissed");
    });
  });
  // still says whether the hint keeps the focus or the pointer, either of
  // which would show the explanation again.
  function undismiss(h, still) {
    if (h && h.classList.contains("hint-dismissed") && !still) h.classList.remove("hint-dismissed");
  }
  document.addEventListener("focusout", function (ev) {
    var h = ev.target.closest && ev.target.closest(".hint");
    undismiss(h, h && ((ev.relatedTarget && h.contains(ev.relatedTarget)) || h.matches(":hover")));
  });
  document.addEventListener("mouseout", function (ev) {
    var h = ev.target.closest && ev.target.closest(".hint");
    undismiss(h, h && ((ev.relatedTarget && h.contains(ev.relatedTarget)) || h.contains(document.activeElement)));
  });

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

  // The results panel polls every 5 seconds, the charts and segments
  // below it every 30. When the panel goes from no visitor to some
  // (data-visitors), the charts are asked for at once, so that they do
  // not say "No visitors yet" under a panel that counts 300. Only that
  // step asks: the polls that follow leave the charts to their own pace.
  var visitorsBefore = null;
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var target = ev.detail && ev.detail.target;
    visitorsBefore = target && target.id === "results" ? target.getAttribute("data-visitors") : null;
  });
  document.addEventListener("htmx:afterSettle", function (ev) {
    var was = visitorsBefore;
    visitorsBefore = null;
    var target = ev.detail && ev.detail.target;
    if (was !== "0" || !target || target.id !== "results") return;
    var now = document.getElementById("results");
    var trends = document.getElementById("results-trends");
    if (now && trends && Number(now.getAttribute("data-visitors")) > 0) {
      if (window.htmx && trends.getAttribute("hx-get")) {
        window.htmx.ajax("GET", trends.getAttribute("hx-get"), { source: trends, target: trends, swap: "outerHTML" });
      }
    }
  });

  // Quiet polls: an element that polls carries data-poll-quiet, a value
  // that changes whenever what it shows does. An answer that carries the
  // same value swaps nothing, so the focus, a screen reader's place and
  // any typing in it stay as they are.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var d = ev.detail;
    var elt = d && d.elt;
    if (!elt || !elt.getAttribute || !d.xhr || d.target !== elt) return;
    var was = elt.getAttribute("data-poll-quiet");
    if (was === null) return;
    var tpl = document.createElement("template");
    tpl.innerHTML = d.xhr.responseText;
    var next = tpl.content.firstElementChild;
    if (!next || next.id !== elt.id || next.getAttribute("data-poll-quiet") !== was) return;
    d.shouldSwap = false;
    // What changes at every poll and is left out of the value (the
    // results' "Updated" time) is refreshed in place: its text only.
    next.querySelectorAll("[data-poll-fresh][id]").forEach(function (fresh) {
      var old = document.getElementById(fresh.id);
      if (old && elt.contains(old) && old.textContent !== fresh.textContent) old.textContent = fresh.textContent;
    });
  });

  // A message that matters when it appears (the results' broken-split
  // banner, a verdict's title that a refresh changed) carries
  // data-announce-new: it is said through the live region when a swap
  // brings it, and not again while the swaps that follow keep it, nor
  // at the page's load. A live role on the element itself would be read
  // at every swap of the panel around it. Two that a swap brings at once
  // are said together: a second announce would cut the first short.
  var announcedBefore = null;
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var target = ev.detail && ev.detail.target;
    announcedBefore = {};
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("[data-announce-new]").forEach(function (el) {
      announcedBefore[el.getAttribute("data-announce-new")] = true;
    });
  });
  document.addEventListener("htmx:afterSettle", function (ev) {
    var target = ev.detail && ev.detail.target;
    var root = target && target.isConnected ? target : target && target.id ? document.getElementById(target.id) : null;
    var before = announcedBefore || {};
    announcedBefore = null;
    if (!root) return;
    var news = [];
    root.querySelectorAll("[data-announce-new]").forEach(function (el) {
      var text = (el.getAttribute("data-announce-new") || "").trim();
      if (text && !before[text] && news.indexOf(text) < 0) news.push(text);
    });
    if (!news.length) return;
    announce(
      news
        .map(function (text) {
          return /[.!?]$/.test(text) ? text : text + ".";
        })
        .join(" "),
      true
    );
  });

  // When copylab can't be reached (stopped, restarting, its network
  // down) htmx's requests fail (htmx:sendError, or htmx:responseError
  // when a proxy in front answers for it), and htmx says so only in the
  // console: a progress that polls stays "Running for 20 seconds"
  // forever, and a button pressed meanwhile does nothing. The page says
  // it instead, in a notice in a fixed place that screen readers hear
  // (a polite live region, there from the start and empty until
  // needed), and polls less often while it lasts: a poll waits 2
  // seconds after the first failure, then 4, 8 and 16, at most 30 (a
  // button pressed is sent at once, and its failure adds no wait). The
  // first request that succeeds clears the notice and the wait. A
  // button whose own request failed says so beside it (and to screen
  // readers) until it is pressed again. An answer of copylab's own with
  // an error (its error page) is not "can't be reached": the notice
  // gives that page's words.
  var trouble = { shown: false, failures: 0, until: 0 };
  // keptText ends the notice: what happens next, as this page does it.
  function keptText() {
    var polls = document.querySelector('[hx-trigger^="every"]');
    return "Your edits are kept in this browser; " + (polls ? "this page tries again by itself." : "try again in a moment.");
  }
  // The notice is the first thing in <main> (read first there, and
  // inside the page's landmarks), shown fixed at the bottom of the window.
  function connectionNotice() {
    var el = document.querySelector("[data-connection-notice]");
    var home = document.querySelector("main") || document.body;
    if (!el && home) {
      el = document.createElement("div");
      el.className = "connection-notice";
      el.setAttribute("data-connection-notice", "");
      el.setAttribute("role", "status");
      el.setAttribute("aria-live", "polite");
      el.setAttribute("aria-atomic", "true");
      home.prepend(el);
    }
    return el;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connectionNotice);
  } else {
    connectionNotice();
  }
  // roomForNotice keeps the notice off what the keyboard focuses (WCAG
  // 2.4.11): while it shows, --notice-room (static/css/app.css) is its
  // height and the gap under it, which the page adds at its end and the
  // browser keeps clear when it scrolls a focused element into view. A
  // focused element the notice has just covered is scrolled clear now.
  function roomForNotice() {
    var el = document.querySelector("[data-connection-notice]");
    var root = document.documentElement;
    var room = el && el.textContent ? Math.ceil(window.innerHeight - el.getBoundingClientRect().top) + 8 : 0;
    if (room <= 0) {
      root.style.removeProperty("--notice-room");
      return;
    }
    root.style.setProperty("--notice-room", room + "px");
    var a = document.activeElement;
    if (a && a !== document.body && a.getBoundingClientRect().bottom > window.innerHeight - room) {
      a.scrollIntoView({ block: "nearest" });
    }
  }
  window.addEventListener("resize", function () {
    if (trouble.shown) roomForNotice();
  });
  // copylabSays is the message of copylab's own error page in an answer,
  // or "" for anything else (a proxy's page, nothing).
  function copylabSays(xhr) {
    if (!xhr || !xhr.responseText || !window.DOMParser) return "";
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var msg = doc.querySelector(".error-page h1 + p");
    return msg ? msg.textContent.trim() : "";
  }
  // polled says whether htmx sent a request by itself, for an element
  // that polls (hx-trigger="every 5s"), rather than for a person.
  function polled(d) {
    var by = d.requestConfig && d.requestConfig.triggeringEvent;
    var trigger = d.elt && d.elt.getAttribute ? d.elt.getAttribute("hx-trigger") || "" : "";
    return !by && /^\s*every\s/.test(trigger);
  }
  // sender is the button a person pressed to send a request (its own
  // hx-post, or its form's), or null.
  function sender(d) {
    var by = d.requestConfig && d.requestConfig.triggeringEvent;
    var btn = by && (by.submitter || d.elt);
    return btn && btn.isConnected && btn.matches && btn.matches("button, input[type=submit]") ? btn : null;
  }
  function dropNote(btn) {
    var note = btn && btn.copylabNote;
    if (!note) return;
    btn.copylabNote = null;
    note.remove();
    var ids = (btn.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
      return id && id !== note.id;
    });
    if (ids.length) btn.setAttribute("aria-describedby", ids.join(" "));
    else btn.removeAttribute("aria-describedby");
  }
  var notes = 0;
  function failed(d, reached) {
    var btn = sender(d);
    if (polled(d)) {
      trouble.failures++;
      trouble.until = Date.now() + Math.min(30, Math.pow(2, trouble.failures)) * 1000;
    }
    var text = (reached || "copylab can't be reached.") + " " + keptText();
    var el = connectionNotice();
    if (el && el.textContent !== text) el.textContent = text;
    trouble.shown = true;
    roomForNotice();
    if (!btn) return;
    var said = reached ? "Not done: " + reached : "Not sent: copylab could not be reached. Press again to send it.";
    dropNote(btn);
    var note = document.createElement("span");
    note.id = "send-failed-" + ++notes;
    note.className = "send-failed";
    note.setAttribute("data-send-failed", "");
    note.textContent = said;
    // Beside the button, on a line of its own in the group of buttons
    // it belongs to.
    var group = btn.closest(".regen, .form-actions");
    if (group) group.appendChild(note);
    else btn.after(note);
    btn.copylabNote = note;
    btn.setAttribute("aria-describedby", ((btn.getAttribute("aria-describedby") || "") + " " + note.id).trim());
    announce(said, true);
  }
  document.addEventListener("htmx:sendError", function (ev) {
    failed(ev.detail || {}, "");
  });
  document.addEventListener("htmx:timeout", function (ev) {
    failed(ev.detail || {}, "");
  });
  document.addEventListener("htmx:responseError", function (ev) {
    var d = ev.detail || {};
    var status = d.xhr ? d.xhr.status : 0;
    var says = copylabSays(d.xhr);
    // A gateway's answer for a copylab that is not there.
    if (!says || status === 502 || status === 504) says = "";
    failed(d, says);
  });
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var d = ev.detail || {};
    dropNote(sender(d));
    // A poll while copylab is away waits its turn: it is skipped, and
    // the next one asks.
    if (polled(d) && trouble.failures > 0 && Date.now() < trouble.until) ev.preventDefault();
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    var xhr = ev.detail && ev.detail.xhr;
    if (!xhr || xhr.status < 200 || xhr.status >= 400 || !trouble.shown) return;
    trouble.shown = false;
    trouble.failures = 0;
    trouble.until = 0;
    var el = connectionNotice();
    if (el) el.textContent = "";
    roomForNotice();
  });

  // Focus across swaps. A swap that removes the focused element (the
  // button that sent a form, a filter that reloads its list) would drop
  // the focus to the top of the page. When that happens after a request
  // made while something had the focus, it goes instead to: the first
  // field with an error in the new content, else the element with the id
  // the focused one had, else the new content's data-swap-focus element.
  // Polls that start with nothing focused move nothing.
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var a = document.activeElement;
    if (ev.detail && ev.detail.xhr && a && a !== document.body) {
      ev.detail.xhr.copylabFocus = { el: a, id: a.id };
    }
  });
  function focusable(el) {
    return el && el.isConnected && !el.disabled && !el.closest("[hidden]");
  }
  document.addEventListener("htmx:afterSettle", function (ev) {
    var d = ev.detail || {};
    var target = d.target;
    // An outerHTML swap replaces its target: find the new one by its id.
    var root = target && target.isConnected ? target : target && target.id ? document.getElementById(target.id) : null;
    if (root) {
      var says = root.hasAttribute("data-announce") ? root : root.querySelector("[data-announce]");
      if (says) announce(says.getAttribute("data-announce"));
    }
    var was = d.xhr && d.xhr.copylabFocus;
    if (!was) return;
    var now = document.activeElement;
    var lost = !now || now === document.body || !now.isConnected;
    // Errors come first, even where htmx put the focus back by its id.
    var bad = root && root.querySelector('[aria-invalid="true"]');
    if (focusable(bad) && (lost || root.contains(now))) {
      if (now !== bad) bad.focus();
      return;
    }
    if (!lost) return;
    var next = was.el;
    if (!focusable(next)) next = was.id ? document.getElementById(was.id) : null;
    if (!focusable(next)) next = root && root.querySelector("[data-swap-focus]");
    if (focusable(next)) next.focus();
  });
})();
