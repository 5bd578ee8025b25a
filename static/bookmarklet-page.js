// The /bookmarklet page: the Aftercheck button is for dragging to the bookmarks bar. A click here
// would run the bookmarklet on our own page, so it is stopped and the page says what to do instead.
(function () {
  var link = document.getElementById("bookmarklet-link");
  var note = document.getElementById("bookmarklet-here");
  if (!link) { return; }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    if (note) {
      note.textContent = "That did nothing here, as it should: drag the Aftercheck button to your bookmarks bar, "
        + "then click it there while you are on a shop's product page.";
    }
  });
})();
