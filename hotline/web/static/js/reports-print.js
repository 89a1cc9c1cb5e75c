/* The printable summary: a Print button (the page itself is plain HTML and CSS). */
(function () {
  "use strict";
  var button = document.getElementById("print-now");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
})();
