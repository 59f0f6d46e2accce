// Tables on a phone: below 576 px each row of a list table (.table-responsive) is stacked as
// a card, one cell a line (kartotek.css), so its Actions stay on screen instead of past the
// right edge. Each cell is labelled with its column's header here, also in rows htmx swaps in.
(function () {
  function label(root) {
    root.querySelectorAll(".table-responsive > table").forEach(function (table) {
      const headers = Array.from(table.querySelectorAll("thead th")).map(function (th) {
        return th.textContent.replace(/[▲▼]/g, "").trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.from(row.children).forEach(function (cell, index) {
          if (headers[index] && !cell.hasAttribute("colspan")) cell.dataset.label = headers[index];
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSettle", function () { label(document); });
})();
