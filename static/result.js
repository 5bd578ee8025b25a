// The result page's Print button: a file, since the Content-Security-Policy forbids inline scripts.
// Without JavaScript the button stays hidden and the browser's own Print menu gives the same print view.
(function () {
  var button = document.getElementById("print-result");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
  // A print shows why each flagged ingredient is flagged: open the closed ones, and close them after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    var rows = document.querySelectorAll("details.why:not([open])");
    for (var i = 0; i < rows.length; i++) { rows[i].open = true; opened.push(rows[i]); }
  });
  window.addEventListener("afterprint", function () {
    while (opened.length) { opened.pop().open = false; }
  });
})();
