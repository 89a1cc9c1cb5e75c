/* The wall screen's fit step: after every repaint and every resize, the dashboard drops
 * detail until it fits the screen, never clipping.
 *
 * "Fits" means: the page does not scroll either way, and no text box is narrower than its
 * text (the CSS forbids ellipses on the wall, so overflowing text would simply be cut).
 * Levels are cumulative classes .wall-drop-1 … .wall-drop-MAX on #dashboard, each hiding one
 * more piece (dashboard-wall.css says which, least needed first). The fit starts from
 * nothing dropped each time, so detail comes back when the floor gets quieter. All of it
 * happens between two paints: the screen never shows the intermediate levels.
 * #dashboard gets data-fitted="true" when it fits, "false" if even the last level does not,
 * and data-drop with the level used. Exposes window.HotlineWallFit (fit, overflows).
 */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  if (!root || root.dataset.wall !== "true") return;

  var MAX_LEVEL = 14;
  var RESIZE_SETTLE_MS = 150;

  function pageOverflows() {
    var doc = document.documentElement;
    return doc.scrollWidth > window.innerWidth || doc.scrollHeight > window.innerHeight;
  }

  /* A box holding text whose content is wider or taller than the box (text cut). */
  function textCut() {
    var nodes = root.querySelectorAll(".big-number, .num, .tile-name, .line-name, .label, dt, dd, .pill, .alert-message");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (!node.offsetParent) continue;
      if (node.scrollWidth > node.clientWidth + 1) return true;
    }
    return false;
  }

  function overflows() { return pageOverflows() || textCut(); }

  function setLevel(level) {
    for (var k = 1; k <= MAX_LEVEL; k++) root.classList.toggle("wall-drop-" + k, k <= level);
    root.dataset.drop = String(level);
  }

  function fit() {
    var level = 0;
    setLevel(level);
    while (overflows() && level < MAX_LEVEL) setLevel(++level);
    root.dataset.fitted = overflows() ? "false" : "true";
  }

  // a repaint from a snapshot sets data-seq (dashboard.js): fit after each one
  new MutationObserver(fit).observe(root, { attributes: true, attributeFilter: ["data-seq"], childList: false });
  var settle = null;
  window.addEventListener("resize", function () {
    clearTimeout(settle);
    settle = setTimeout(fit, RESIZE_SETTLE_MS);
  });
  // alerts arrive between snapshots, and acknowledging one removes it: refit on those too
  var alertList = document.getElementById("alert-list");
  if (alertList) new MutationObserver(fit).observe(alertList, { childList: true });
  window.HotlineWallFit = { fit: fit, overflows: overflows };
  if (root.dataset.seq) fit();
})();
