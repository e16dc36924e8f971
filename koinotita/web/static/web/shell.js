/* The shell's small behaviours, none needed for a page to work:
   - the main menu is open on a wide screen and behind its "Menu" button on a phone; one
     group's list is open at a time, closed by a click elsewhere or Escape;
   - every table cell carries its column's name (data-label), which the stylesheet shows
     before the cell when a narrow screen stacks the table's rows. */
(function () {
  var menu = document.querySelector("details.nav-menu");
  var wide = window.matchMedia("(min-width: 60rem)");
  function fit() { if (menu) menu.open = wide.matches; }
  fit();
  wide.addEventListener("change", fit);
  function closeGroups(except) {
    document.querySelectorAll("details.nav-group[open]").forEach(function (d) {
      if (d !== except) d.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closeGroups(event.target.closest ? event.target.closest("details.nav-group") : null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeGroups(null);
  });
  function label(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          var head = heads[i];
          if (head && !cell.hasAttribute("data-label") && cell.colSpan === 1) {
            cell.setAttribute("data-label", head.textContent.trim());
          }
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target); });
})();
