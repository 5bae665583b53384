// The students' list of postings: on a phone the filters fold behind their summary
// ("Filters, 2 active"), so that the results are on the first screen. The HTML has them
// open: without JavaScript every filter shows. From the large breakpoint up they stay open.
// Loaded right after the filters (not deferred), so that a phone never shows them open.
(function () {
  var panel = document.getElementById("filter-panel");
  if (!panel || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 992px)");
  if (!wide.matches) {
    panel.open = false;
  }
  wide.addEventListener("change", function (event) {
    if (event.matches) {
      panel.open = true;
    }
  });
})();
