// Aftercheck bookmarklet, readable source. GET /bookmarklet turns this file into a javascript:
// URL: comment lines and layout are dropped, __AFTERCHECK_ORIGIN__ becomes the service's origin and
// __AFTERCHECK_TREATED_ON__ the treatment date the patient chose there (or "").
// Every statement ends in a semicolon because the lines are joined.
(function () {
  var origin = "__AFTERCHECK_ORIGIN__";
  // Keep the POST small: pages rarely need more than this once scripts and styles are gone.
  var maxChars = 2000000;
  // The patient's treatment date, chosen on the /bookmarklet page ("" when none was chosen). The
  // date remembered on the patient's device wins over it: this one is for devices that have none.
  var treatedOn = "__AFTERCHECK_TREATED_ON__";
  // Days are counted on the patient's calendar: this browser's local date.
  var now = new Date();
  var today = now.getFullYear() + "-" + ("0" + (now.getMonth() + 1)).slice(-2) + "-" + ("0" + now.getDate()).slice(-2);
  var fields = { url: location.href, title: document.title, today: today };
  if (treatedOn) { fields.bookmark_treated_on = treatedOn; }
  var selected = String(window.getSelection ? window.getSelection() : "").trim();
  if (selected) {
    fields.selection = selected.slice(0, 50000);
  } else {
    // A copy, so the page itself is untouched; hidden tabs and accordions stay in it.
    var copy = document.documentElement.cloneNode(true);
    var drop = copy.querySelectorAll("script:not([type='application/ld+json']), style, noscript, template, svg, canvas, iframe, video, audio, picture, source, link");
    for (var i = 0; i < drop.length; i++) { drop[i].parentNode.removeChild(drop[i]); }
    var html = copy.outerHTML;
    fields.html = html.length > maxChars ? html.slice(0, maxChars) : html;
  }
  // A form POST into a new tab on the Aftercheck origin: no CORS, works from https pages.
  var form = document.createElement("form");
  form.method = "POST";
  form.action = origin + "/from-page";
  form.target = "_blank";
  form.enctype = "multipart/form-data";
  form.acceptCharset = "UTF-8";
  form.style.display = "none";
  for (var name in fields) {
    var input = document.createElement("textarea");
    input.name = name;
    input.value = fields[name];
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
  document.body.removeChild(form);
})();
