/* Staff pages (no inline scripts: the CSP allows files from /static only).
   Counter lookup: the scan box is emptied and focused whenever the page is shown, including a page
   the browser restores on Back, so the next scan never lands in front of the previous code.
   Shelf tags: the print button (hidden without JavaScript, where the browser's Print does it). */
(function () {
  "use strict";

  function readyForScan() {
    var box = document.querySelector("[data-scan-box][autofocus]");
    if (!box) return;
    box.value = "";
    box.focus();
  }

  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  window.addEventListener("pageshow", readyForScan);
  document.addEventListener("DOMContentLoaded", printButtons);
})();
