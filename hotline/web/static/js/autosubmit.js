/* Forms that submit themselves when a choice changes: <select data-autosubmit>.
 *
 * Replaces inline onchange="this.form.submit()" handlers, which the Content-Security-Policy
 * (script-src 'self') forbids. Without JavaScript the form's <noscript> button does it.
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
})();
