// Aftercheck: days are counted in the patient's own calendar, the browser's local date.
// Every form that asks for a treatment day or date gets a hidden `today` field (the browser's date,
// YYYY-MM-DD, filled again when it is sent: a page left open past midnight still counts right);
// the day picker's options are labelled with the browser's dates, and the date fields stop at its
// today. On the empty form, the treatment date remembered on this device (the page's
// <meta name="aftercheck-treated-on">) selects its day on the browser's calendar.
// Without JavaScript the server counts with its own date and says so on the result.
(function () {
  "use strict";
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function iso(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  // The server's short_date: 'Tue 1 Dec'.
  function shortDate(d) { return WEEKDAYS[d.getDay()] + " " + d.getDate() + " " + MONTHS[d.getMonth()]; }
  function today() { var now = new Date(); return new Date(now.getFullYear(), now.getMonth(), now.getDate()); }
  // Calendar arithmetic on local dates, so a daylight-saving change never shifts a day.
  function daysBefore(d, n) { return new Date(d.getFullYear(), d.getMonth(), d.getDate() - n); }
  function parseIso(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? new Date(+m[1], +m[2] - 1, +m[3]) : null;
  }
  function daysBetween(from, to) {
    return Math.round((Date.UTC(to.getFullYear(), to.getMonth(), to.getDate()) -
      Date.UTC(from.getFullYear(), from.getMonth(), from.getDate())) / 86400000);
  }

  function fillToday(form) {
    var field = form.querySelector("input[name='today']");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "today";
      form.appendChild(field);
    }
    field.value = iso(today());
  }

  function dayLabel(n, now) {
    var when = n === 0 ? "Today" : n === 1 ? "Yesterday" : n + " days ago";
    return when + ", " + shortDate(daysBefore(now, n)) + " (day " + n + ")";
  }

  function relabel(select, remembered) {
    var now = today();
    var wanted = remembered ? daysBetween(remembered, now) : null;
    var found = false;
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      if (!/^\d+$/.test(option.value)) { continue; }
      option.textContent = dayLabel(+option.value, now);
      if (wanted !== null && +option.value === wanted) { option.selected = true; found = true; }
    }
    if (wanted !== null && wanted >= 0 && !found) {
      var extra = document.createElement("option");
      extra.value = String(wanted);
      extra.textContent = dayLabel(wanted, now);
      var whole = select.querySelector("option[value='']");
      select.insertBefore(extra, whole);
      extra.selected = true;
    }
  }

  var meta = document.querySelector("meta[name='aftercheck-treated-on']");
  var remembered = meta ? parseIso(meta.getAttribute("content")) : null;
  // The patient's forms all POST; the staff's counter lookup (a GET, days as numbers) is left alone.
  var forms = document.querySelectorAll("form[method='post']");
  for (var f = 0; f < forms.length; f++) {
    if (!forms[f].querySelector("select[name='day'], input[name='treated_on']")) { continue; }
    fillToday(forms[f]);
    forms[f].addEventListener("submit", function (event) { fillToday(event.currentTarget); });
  }
  var selects = document.querySelectorAll("form[method='post'] select[name='day']");
  for (var s = 0; s < selects.length; s++) { relabel(selects[s], remembered); }
  var dates = document.querySelectorAll("input[type='date'][name='treated_on']");
  for (var d = 0; d < dates.length; d++) { dates[d].max = iso(today()); }
})();
