// generate.js: the comforts of the copy generation page. The page works
// without it (the server renders every count and state); this keeps them
// live while the marketer types. A first-party file, because the Content
// Security Policy allows no inline script.
(function () {
  "use strict";

  // Characters as a reader counts them, as the server does (copylab/chars):
  // grapheme clusters, which Intl.Segmenter calls graphemes. A family
  // emoji (7 code points), a flag (2) and "ö" typed as o and a combining
  // mark (2) are one each. A browser without Intl.Segmenter counts code
  // points, which says more than the server for those, never less.
  var graphemes = null;
  try {
    if (typeof Intl === "object" && typeof Intl.Segmenter === "function") {
      graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    }
  } catch (e) {
    graphemes = null;
  }
  function length(s) {
    var n = 0;
    if (graphemes) {
      var segments = graphemes.segment(s)[Symbol.iterator]();
      while (!segments.next().done) n++;
      return n;
    }
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      // A high surrogate starts a pair that is one code point.
      if (c < 0xd800 || c > 0xdbff || i + 1 === s.length) n++;
    }
    return n;
  }

  // update refreshes one draft's character count, its "over the limit"
  // mark and its "edited" badge.
  function update(area) {
    var card = area.closest(".draft");
    var out = document.querySelector('[data-count-for="' + area.id + '"]');
    var max = parseInt(area.getAttribute("data-max"), 10) || 0;
    var n = length(area.value.trim());
    if (out) {
      out.textContent = n + " / " + max + " characters";
      out.classList.toggle("over", max > 0 && n > max);
    }
    if (card) {
      var edited = card.querySelector("[data-edited]");
      if (edited) edited.hidden = area.value.trim() === (area.getAttribute("data-original") || "").trim();
    }
  }

  // splitText says how the test's visitors would be split if the ticked
  // drafts were added, in the words of the server's SplitText
  // (views/generate_models.go); change both together.
  function splitText(existing, ticked) {
    if (ticked === 0) return "No drafts ticked.";
    var n = existing + ticked;
    var arms = n + 1;
    var share = Math.floor((100 + Math.floor(arms / 2)) / arms) + "%";
    if (100 % arms !== 0) share = "about " + share;
    var out = "Original and " + n + (n === 1 ? " variant" : " variants");
    if (existing > 0) out += " (" + existing + " already in the experiment)";
    return out + ": " + share + " of the test's visitors each.";
  }

  // include marks a card whose checkbox is off, and counts the ticked
  // drafts on the approve button and in the split beside it.
  function include(box) {
    var card = box.closest(".draft");
    if (card) card.classList.toggle("draft-excluded", !box.checked);
    var form = box.closest("form");
    var btn = form && form.querySelector("[data-approve]");
    if (!btn) return;
    var n = form.querySelectorAll("[data-include]:checked").length;
    btn.textContent = n === 0 ? "Tick the drafts to add" : "Add " + n + (n === 1 ? " draft" : " drafts") + " to the experiment";
    btn.disabled = n === 0;
    var split = form.querySelector("[data-split]");
    if (split) {
      var text = splitText(parseInt(split.getAttribute("data-existing"), 10) || 0, n);
      if (split.textContent !== text) split.textContent = text;
    }
  }

  // Running time, counted on between polls. The server renders it when
  // the progress is swapped in (data-elapsed-ms, from the job's start) and
  // swaps the progress only when its meaning changes, so this keeps the
  // seconds honest in between. The words match the server's elapsedText
  // (views/generate_models.go); change both together.
  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }
  function elapsedText(s) {
    if (s < 1) return "less than a second";
    if (s < 60) return plural(s, "second", "seconds");
    var m = Math.floor(s / 60);
    var r = s % 60;
    return plural(m, "minute", "minutes") + (r > 0 ? " " + plural(r, "second", "seconds") : "");
  }
  function now() {
    return window.performance && performance.now ? performance.now() : Date.now();
  }
  function tick() {
    document.querySelectorAll("[data-elapsed-ms]").forEach(function (el) {
      if (el.copylabSince === undefined) {
        el.copylabSince = now() - (parseInt(el.getAttribute("data-elapsed-ms"), 10) || 0);
      }
      var text = elapsedText(Math.floor((now() - el.copylabSince) / 1000));
      if (el.textContent !== text) el.textContent = text;
    });
  }
  setInterval(tick, 1000);

  // Waits counted down between polls: while copylab waits to ask a busy
  // model service again, the server renders the wait left when the
  // progress is swapped in (data-retry-ms) and swaps the progress only
  // when a wait starts or ends, so the "trying again in 9 seconds" it
  // said would stay 9 through the wait. This counts it down from that
  // deadline. The words match the server's WaitText
  // (views/generate_models.go); change both together. Past the deadline
  // it says "a second": the next poll brings what happened.
  function waitText(s) {
    if (s <= 1) return "a second";
    if (s < 90) return s + " seconds";
    return Math.floor((s + 59) / 60) + " minutes";
  }
  //
  // A failed set of drafts the model service asked a wait after counts
  // it down too, beside its Try again button (data-try-again-wait, the
  // note's id in the button's aria-describedby): the server would only
  // refuse a try before the wait is over, so the button is disabled
  // until then, the time left shown, and enabled, the note gone, once it
  // is. Without this script the button stays enabled, the note hidden,
  // and the server's refusal says how long is left.
  function countDown() {
    document.querySelectorAll("[data-retry-ms]").forEach(function (el) {
      if (el.copylabRetryAt === undefined) {
        el.copylabRetryAt = now() + (parseInt(el.getAttribute("data-retry-ms"), 10) || 0);
      }
      var left = el.copylabRetryAt - now();
      var text = waitText(Math.ceil(left / 1000));
      if (el.textContent !== text) el.textContent = text;
      var note = el.closest("[data-try-again-wait]");
      var btn = note && document.querySelector('[aria-describedby="' + note.id + '"]');
      if (!btn) return;
      if (left > 0) {
        note.hidden = false;
        btn.disabled = true;
        return;
      }
      // Over: the note goes, and with it the button's description.
      note.hidden = true;
      btn.disabled = false;
      btn.removeAttribute("aria-describedby");
    });
  }
  setInterval(countDown, 1000);
  //
  // The failure's own sentence names the wait too ("…; wait 2 minutes
  // and try again."), for a page without this script. Beside the
  // countdown it would say another time ("2 minutes" by "85 seconds"),
  // and it would still say to wait once the countdown is over and Try
  // again enabled: with the script the sentence goes without its wait
  // (data-wait-free, the server's words for that), and a note that
  // repeats the wait goes (data-said-wait). What is left of the wait, if
  // any, is the countdown's to say.
  function dropSaidWait() {
    document.querySelectorAll("[data-wait-free]").forEach(function (el) {
      el.textContent = el.getAttribute("data-wait-free");
      el.removeAttribute("data-wait-free");
    });
    document.querySelectorAll("[data-said-wait]").forEach(function (el) {
      el.hidden = true;
    });
  }
  // At once too, as the page or a swapped-in card shows a wait (in the
  // same task as the swap, before htmx settles it): a Try again left
  // enabled for the first second could be pressed then, only for the
  // server to refuse it; and a sentence that names the wait would show
  // for a moment.
  dropSaidWait();
  countDown();
  document.addEventListener("htmx:afterSwap", function () {
    dropSaidWait();
    countDown();
  });

  // What the person types and ticks in the drafts lives in the page until
  // a button sends the form, so a reload, or leaving the page and coming
  // back (which the progress note says they may), would lose it. It is
  // kept in this browser's localStorage, under the job's id, as the page
  // shows it: each draft's text, request and tick, with the draft's
  // revision (drafts[i].rev). When the page shows the job again, a kept
  // draft comes back only if the server's draft is still that revision:
  // a rewrite finished since is newer than the edit. Add sends the form,
  // and the server then holds everything, so the kept copy goes; copies
  // older than the server keeps a job (an hour, genJobTTL) go too. The
  // same drafts may be open in two tabs: each keeps only the draft it
  // changed, so one tab's edit of draft 1 stays kept when the other
  // edits draft 2 (and the brief's question counts both, lossText).
  var keptPrefix = "copylab.drafts.";
  var keptFor = 60 * 60 * 1000;
  function keptKey(form) {
    var job = form && form.getAttribute("data-job");
    return job ? keptPrefix + job : "";
  }
  function field(card, name) {
    return card.querySelector('[name="drafts[' + card.getAttribute("data-index") + "]." + name + '"]');
  }
  function keep(form, card) {
    var key = keptKey(form);
    if (!key || !card) return;
    var drafts = {};
    try {
      var was = JSON.parse(localStorage.getItem(key));
      if (was && was.drafts) drafts = was.drafts;
    } catch (e) {}
    var rev = field(card, "rev");
    var text = field(card, "text");
    var note = field(card, "note");
    var box = card.querySelector("[data-include]");
    if (!rev || !text) return;
    drafts[card.getAttribute("data-index")] = {
      rev: rev.value,
      text: text.value,
      note: note ? note.value : null,
      include: box ? box.checked : null,
    };
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), drafts: drafts }));
    } catch (e) {
      // Storage full or turned off: the page works as before.
    }
  }
  function restore(form) {
    var key = keptKey(form);
    var kept = null;
    try {
      kept = key && JSON.parse(localStorage.getItem(key));
    } catch (e) {}
    if (!kept || !kept.drafts) return;
    form.querySelectorAll(".draft[data-index]").forEach(function (card) {
      var k = kept.drafts[card.getAttribute("data-index")];
      var rev = field(card, "rev");
      if (!k || !rev || k.rev !== rev.value) return;
      var text = field(card, "text");
      // A draft being rewritten keeps the server's text (it is read-only).
      if (text && !text.readOnly && typeof k.text === "string" && text.value !== k.text) {
        text.value = k.text;
        update(text);
      }
      var note = field(card, "note");
      if (note && typeof k.note === "string") note.value = k.note;
      var box = card.querySelector("[data-include]");
      if (box && typeof k.include === "boolean" && box.checked !== k.include) {
        box.checked = k.include;
        include(box);
      }
    });
  }
  function forget(form) {
    try {
      if (form) localStorage.removeItem(keptKey(form));
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key.indexOf(keptPrefix) !== 0) continue;
        var kept = null;
        try {
          kept = JSON.parse(localStorage.getItem(key));
        } catch (e) {}
        if (!kept || !(Date.now() - kept.at < keptFor)) localStorage.removeItem(key);
      }
    } catch (e) {}
  }

  // A new brief's drafts take the place of the drafts on the page, the
  // marketer's edits and ticks with them, and stop the rewrites still
  // running. So the brief's buttons ask first (data-confirm, which
  // app.js asks in the page's dialog) while the drafts hold their work:
  // an edit, a finished rewrite (the draft's revision, drafts[i].rev, is
  // past 0), a rewrite on its way (the card is busy: aria-busy, while it
  // polls), or a tick the set did not start with. The ticks a set starts with are not theirs, and an untick is
  // not counted: a new set starts with its own ticks anyway. A set as it
  // was written goes without a question. The words are the server's
  // (draftStake.sentence in app/generate_replace.go, which refuses such a
  // brief unless it says replace=1); change both together.
  function count(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }
  //
  // The same drafts may be open in another tab of this browser, where
  // the edits and ticks the new drafts would replace are not in this
  // page's form but in what the tabs keep for the job (keep, above: each
  // draft as the tab that last changed it shows it). A draft counts when either
  // holds work on it; the kept copy of a draft rewritten since (another
  // revision) counts only for its rewrite.
  function kept(form) {
    return keptDrafts(keptKey(form));
  }
  function keptDrafts(key) {
    try {
      var k = key && JSON.parse(localStorage.getItem(key));
      return k && k.drafts ? k.drafts : {};
    } catch (e) {
      return {};
    }
  }
  function lossText(form) {
    var edited = 0;
    var rewriting = 0;
    var ticked = 0;
    var first = parseInt(form.getAttribute("data-default-ticked"), 10) || 0;
    var others = kept(form);
    form.querySelectorAll(".draft[data-index]").forEach(function (card) {
      var text = field(card, "text");
      var rev = field(card, "rev");
      var box = card.querySelector("[data-include]");
      var k = others[card.getAttribute("data-index")] || {};
      var original = text ? (text.getAttribute("data-original") || "").trim() : "";
      var rewritten = (!!rev && (parseInt(rev.value, 10) || 0) > 0) || (parseInt(k.rev, 10) || 0) > 0;
      var keptEdit = !!rev && k.rev === rev.value && typeof k.text === "string" && k.text.trim() !== original;
      // A draft being rewritten counts as that, not as edited: the
      // rewrite takes the place of its text anyway.
      if (card.getAttribute("aria-busy") === "true") rewriting++;
      else if (rewritten || keptEdit || (text && text.value.trim() !== original)) edited++;
      if (((box && box.checked) || k.include === true) && parseInt(card.getAttribute("data-index"), 10) >= first) ticked++;
    });
    return lossSentence(edited, ticked, rewriting);
  }
  function lossSentence(edited, ticked, rewriting) {
    var parts = [];
    if (edited > 0) parts.push("edits to " + count(edited, "draft", "drafts"));
    if (ticked > 0) parts.push((parts.length ? "your " : "") + (ticked === 1 ? "tick on " : "ticks on ") + count(ticked, "draft", "drafts"));
    var out = parts.length ? ["Your " + parts.join(" and ") + " will be replaced."] : [];
    if (rewriting > 0) {
      out.push(rewriting === 1 ? "1 draft is still being rewritten, and its rewrite will be lost." : rewriting + " drafts are still being rewritten, and their rewrites will be lost.");
    }
    return out.join(" ");
  }
  // A page that does not show the drafts a brief would replace asks too:
  // a failed brief's Try again, a restart's Write drafts again, Write
  // drafts under "No new drafts this time". Their way back (the link
  // "Back to your previous drafts", data-replaces) says what the server
  // has of them, each draft's revision, text as written, edit, tick and
  // rewrite; this browser may keep later edits of them (keep, above,
  // under their job), which a restart of copylab, or another tab, leaves
  // the server without. The question counts both, as lossText counts a
  // form and what the tabs keep, and asks even when neither holds work:
  // the server refuses such a brief without replace=1 in any case (the
  // edits may be in another browser), and a question here is one step
  // where its refusal would be two. Its words are the server's
  // (draftStake.unseen); change both together.
  function replacesQuestion() {
    var link = document.querySelector("[data-replaces]");
    var r = null;
    try {
      r = link && JSON.parse(link.getAttribute("data-replaces"));
    } catch (e) {}
    if (!r || !r.job || !r.drafts || !r.drafts.length) return "";
    var first = parseInt(link.getAttribute("data-default-ticked"), 10) || 0;
    var others = keptDrafts(keptPrefix + r.job);
    var edited = 0;
    var rewriting = 0;
    var ticked = 0;
    r.drafts.forEach(function (d, i) {
      var k = others[String(i)] || {};
      // The kept copy is of the draft the server has (restore puts it
      // back only then); one of an older revision counts for its rewrite.
      var same = k.rev === String(d.rev);
      var text = same && typeof k.text === "string" ? k.text.trim() !== (d.original || "").trim() : !!d.edited;
      var rewritten = d.rev > 0 || (parseInt(k.rev, 10) || 0) > 0;
      if (d.rewriting) rewriting++;
      else if (rewritten || text) edited++;
      var box = same && typeof k.include === "boolean" ? k.include : !!d.include;
      if ((box || k.include === true) && i >= first) ticked++;
    });
    var set = "New drafts replace the " + count(r.drafts.length, "draft", "drafts") + " of your previous brief";
    var lost = lossSentence(edited, ticked, rewriting);
    return "Get new drafts for this brief? " + (lost ? set + ". " + lost : set + ", with any edits you made to them.");
  }
  // The brief also carries the drafts form's fields (hx-include, which
  // htmx reads at each request) while there is one: the server renders
  // the attribute only beside a drafts form, and a set that a poll brings
  // in later, or a swap that takes it away, changes that here. A selector
  // that matches nothing makes htmx log an error at every press.
  function includeDrafts(form) {
    var brief = document.getElementById("brief-form");
    if (!brief) return;
    if (form) brief.setAttribute("hx-include", "#drafts-form");
    else brief.removeAttribute("hx-include");
  }
  // Every button that sends the brief asks: Write drafts, and a failed
  // brief's Try again (form="brief-form", outside the form), which sends
  // the same brief and replaces the same drafts. Only Replace the drafts
  // (name="replace"), the answer to the server's own question, does not.
  function briefButtons() {
    var out = [];
    document.querySelectorAll('#brief-form button[type="submit"], button[type="submit"][form="brief-form"]').forEach(function (btn) {
      if (btn.name !== "replace") out.push(btn);
    });
    return out;
  }
  function sendsBrief(btn) {
    return !!btn && btn.type === "submit" && !!btn.form && btn.form.id === "brief-form" && btn.name !== "replace";
  }
  function guardBrief() {
    var form = document.getElementById("drafts-form");
    includeDrafts(form);
    var ask = "";
    if (form) {
      var lost = lossText(form);
      if (lost) ask = "Get new drafts for this brief? " + lost;
    } else {
      ask = replacesQuestion();
    }
    briefButtons().forEach(function (btn) {
      if (ask) btn.setAttribute("data-confirm", ask);
      else btn.removeAttribute("data-confirm");
    });
  }
  // Another tab's work reaches this one only through storage, with no
  // event in this page: the question is worked out again as a button
  // that sends the brief is pressed (by a click, or by Enter in a field
  // of the brief), before app.js reads it. Caught on the way down.
  document.addEventListener(
    "click",
    function (ev) {
      if (ev.target && ev.target.closest && sendsBrief(ev.target.closest("button"))) guardBrief();
    },
    true,
  );

  // The brief sent by such a button after its question was answered
  // (app.js stops it otherwise) says so, replace=1, and the server writes
  // the new drafts; sent any other way, it does not, and the server asks
  // if it must. Caught on the way down, before htmx reads the form.
  document.addEventListener(
    "submit",
    function (ev) {
      var form = ev.target;
      if (!form || form.id !== "brief-form") return;
      var by = ev.submitter;
      var answered = sendsBrief(by) && by.hasAttribute("data-confirm");
      var mark = form.querySelector("input[data-replace-answered]");
      if (answered && !mark) {
        mark = document.createElement("input");
        mark.type = "hidden";
        mark.name = "replace";
        mark.value = "1";
        mark.setAttribute("data-replace-answered", "");
        form.appendChild(mark);
      } else if (!answered && mark) {
        mark.remove();
      }
    },
    true,
  );

  document.addEventListener("input", function (ev) {
    if (ev.target.matches && ev.target.matches("textarea[data-count]")) update(ev.target);
    if (ev.target.closest) keep(ev.target.closest("#drafts-form"), ev.target.closest(".draft[data-index]"));
    guardBrief();
  });
  document.addEventListener("change", function (ev) {
    if (ev.target.matches && ev.target.matches("[data-include]")) include(ev.target);
    if (ev.target.closest) keep(ev.target.closest("#drafts-form"), ev.target.closest(".draft[data-index]"));
    guardBrief();
  });

  // Enter in a field of the drafts form (a draft's "Or say what to
  // change" box, or a tick box) presses the form's first button, a hidden
  // one (name="enter") that without this script sends the form to the
  // server, which finds the box typed in (views.draftsApproveForm). Here
  // the field is known, the one with the focus: that submission stops,
  // and in a draft's box the Rewrite button beside it is pressed instead,
  // whose htmx request swaps only that card; anywhere else Enter does
  // nothing. Caught while the event goes down to the form, before
  // app.js's guard against a second submission takes it for a form that
  // was sent.
  document.addEventListener(
    "submit",
    function (ev) {
      var form = ev.target;
      var by = ev.submitter;
      if (!form || form.id !== "drafts-form" || !by) return;
      if (by.matches("[data-approve]")) {
        forget(form);
        return;
      }
      if (by.name !== "enter") return;
      ev.preventDefault();
      var box = document.activeElement;
      var custom = box && form.contains(box) && box.closest(".regen-custom");
      var btn = custom && custom.querySelector('[data-instruction="custom"]');
      if (btn && !btn.disabled) btn.click();
    },
    true,
  );

  // The progress says "this page updates by itself" (data-live) only
  // where it does: htmx polls it, so the words start hidden and show
  // once both scripts run. With scripts off, the Refresh link beside
  // them is the way to the drafts.
  function showLive(root) {
    if (!window.htmx) return;
    root.querySelectorAll("[data-live][hidden]").forEach(function (el) {
      el.hidden = false;
    });
  }

  // init brings the counts and the approve button up to date in fresh
  // content: the page, and every fragment htmx swaps in (a finished
  // generation, a rewritten draft).
  function init(root) {
    showLive(root);
    tick();
    dropSaidWait();
    countDown();
    root.querySelectorAll("textarea[data-count]").forEach(update);
    var first = root.querySelector("[data-include]");
    if (first) include(first);
    // The whole drafts form is new (the page, or the finished
    // generation): the person's kept edits go back in. A card swapped in
    // alone is not: its edits are in the page already.
    var form = root.id === "drafts-form" ? root : root.querySelector("#drafts-form");
    if (form && !form.copylabRestored) {
      form.copylabRestored = true;
      restore(form);
      forget(null);
    }
    guardBrief();
  }
  // A draft's card swapped in keeps the tick the person left. The server
  // renders the tick its request carried (the rewrite's form, or the
  // rewriting card's poll), and the person may change the box after the
  // request left: a rewrite's last poll can be on its way when they
  // untick. The box as it is just before the swap is their latest choice,
  // so it wins; the drafts form sends it with the next post. Kept on the
  // request (xhr): a poll that swaps nothing leaves nothing behind.
  document.addEventListener("htmx:beforeSwap", function (ev) {
    var d = ev.detail || {};
    var card = d.target;
    if (!d.xhr || !card || !card.matches || !card.matches(".draft[id]")) return;
    var box = card.querySelector("[data-include]");
    if (box) d.xhr.copylabTick = { id: card.id, checked: box.checked };
  });
  document.addEventListener("htmx:afterSwap", function (ev) {
    var was = ev.detail && ev.detail.xhr && ev.detail.xhr.copylabTick;
    if (!was) return;
    var card = document.getElementById(was.id);
    var box = card && card.querySelector("[data-include]");
    if (!box || box.checked === was.checked) return;
    box.checked = was.checked;
    include(box);
    guardBrief();
  });

  // Once drafts arrive, the page's notice from the step before ("Draft
  // saved. Now describe the copy you want…") has done its job: it goes,
  // rather than sit above the drafts. Only the layout's own notice (a
  // direct child of main) goes, never the workspace's messages.
  function dropStaleNotice(root) {
    var done = root.matches && root.matches('#generation[data-state="done"]') ? root : root.querySelector && root.querySelector('#generation[data-state="done"]');
    if (!done) return;
    document.querySelectorAll("#main > .flash-ok").forEach(function (el) {
      el.remove();
    });
  }

  // Back and Forward show this page as the server has it now. htmx
  // keeps no snapshot of it (hx-history="false" on the workspace, in
  // views/generate.templ), and on such a step it would fetch the page
  // and swap in its body; a reload does that with every script's start
  // too (the kept edits, the focus on an error). The browser's own cache
  // of pages left (bfcache) would show the page as it was left, drafts
  // since replaced included: that reloads as well.
  if (window.htmx && htmx.config) htmx.config.refreshOnHistoryMiss = true;
  // A snapshot kept before this page said hx-history="false" (by an
  // older copylab) is not shown either.
  document.addEventListener("htmx:historyCacheHit", function (ev) {
    ev.preventDefault();
    location.reload();
  });
  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted && document.getElementById("generate-workspace")) location.reload();
  });

  document.addEventListener("htmx:load", function (ev) {
    init(ev.target);
    dropStaleNotice(ev.target);
    // A swapped card changes the ticked count of the whole form.
    var box = document.querySelector("#drafts-form [data-include]");
    if (box) include(box);
    guardBrief();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
})();
