// Aftercheck result page: the "Copy link" button (hidden without JavaScript, where the link itself
// can still be long-pressed or copied). The print button is static/result.js's.
(function () {
  "use strict";
  var copy = document.querySelector(".copy-link");
  var link = copy && document.getElementById(copy.getAttribute("data-copies"));
  var status = document.querySelector(".copy-status");
  if (copy && link && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () { status.textContent = "Link copied."; },
        function () { status.textContent = "Could not copy: press and hold the link to copy it."; }
      );
    });
  }
})();
