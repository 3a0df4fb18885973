// probe.js runs before the snippet in the browser tests. It watches the
// tested element [data-copylab="hero"] at every frame (requestAnimationFrame
// callbacks run right before the browser paints) and records whether the
// original copy was ever visible. A MutationObserver registered before the
// snippet's sees each insertion first, which dates the element's arrival.
(function () {
  var ORIGINAL = "Original headline";
  var p = (window.__probe = { frames: 0, seen: 0, shown: false, firstSeen: null, swapAt: null, violations: 0, log: [] });
  document.addEventListener("securitypolicyviolation", function (e) {
    p.violations++;
    p.log.push(e.violatedDirective + " " + e.blockedURI);
  });
  function hero() {
    return document.querySelector('[data-copylab="hero"]');
  }
  // The snippet's own writes come back to this observer as a later batch,
  // which dates the swap.
  new MutationObserver(function () {
    var el = hero();
    if (el && p.firstSeen == null) p.firstSeen = performance.now();
    if (el && p.swapAt == null && el.textContent.indexOf(ORIGINAL) < 0) p.swapAt = performance.now();
  }).observe(document, { childList: true, subtree: true, characterData: true });
  function frame() {
    p.frames++;
    var el = hero();
    if (el) {
      p.seen++;
      if (getComputedStyle(el).visibility == "visible" && el.textContent.indexOf(ORIGINAL) >= 0) p.shown = true;
    }
    if (p.frames < 2000) requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
})();
