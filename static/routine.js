// My routine and the plan (templates/plan/): keep the routine's link on this device, send the
// browser's own date, and offer a print button. Everything works without this file; it only
// remembers the list between visits and fills in what the server cannot know.
(function () {
  "use strict";
  var KEY = "aftercheck.routine";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localDate() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }  // blocked storage: the link still works

  var todays = document.querySelectorAll("input[name='today']");
  for (var i = 0; i < todays.length; i++) { todays[i].value = localDate(); }

  var routine = document.getElementById("routine");
  if (routine && store) {
    var token = routine.getAttribute("data-routine");
    var mode = routine.getAttribute("data-mode");
    var kept = store.getItem(KEY);
    if (mode === "cleared") {
      store.removeItem(KEY);
    } else if (token && kept && kept !== token && routine.getAttribute("data-override") === "1" &&
               routine.getAttribute("data-products") === "0") {
      // The clinic's link carries its stricter instructions but no products: join them to the list
      // kept here instead of replacing it (the server reads both and answers with the joined link).
      join(token, kept);
      return;
    } else if (token) {
      store.setItem(KEY, token);
    } else if (mode === "list" && kept) {
      // The plain "My routine" page with no list in its link: open the list kept on this device.
      location.replace(routine.getAttribute("data-url") + "?r=" + encodeURIComponent(kept));
      return;
    }
  }

  function join(token, kept) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = routine.getAttribute("data-url");
    var fields = { action: "join", r: token, kept: kept };
    for (var name in fields) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = fields[name];
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }

  // Forms that add to the routine (under a result, or reviewing such a product) add to the kept list.
  var keptNow = store && store.getItem(KEY);
  var blanks = document.querySelectorAll("input[data-routine-stored]");
  for (var j = 0; keptNow && j < blanks.length; j++) {
    if (!blanks[j].value) { blanks[j].value = keptNow; }
  }

  var plan = document.getElementById("plan");
  if (plan && plan.getAttribute("data-today-from-browser") === "0") {
    if (plan.getAttribute("data-server-today") !== localDate()) {
      // The server's date is not the patient's (another time zone): ask again with the browser's date.
      var url = new URL(location.href);
      url.searchParams.set("today", localDate());
      location.replace(url.toString());
      return;
    }
    // The server's date is the patient's own: the note saying it may differ does not apply.
    var note = document.getElementById("plan-server-today");
    if (note) { note.parentNode.removeChild(note); }
  }
  var printButton = document.getElementById("plan-print");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
