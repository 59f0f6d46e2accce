// Keyboard use of the type-ahead choosers (contacts, debtors): from the search box,
// ArrowDown moves into the results; ArrowUp/ArrowDown move between them; Enter chooses
// (each result is a button); Escape goes back to the search box.
(function () {
  function results(input) {
    const target = document.querySelector(input.dataset.typeaheadResults);
    return target ? Array.from(target.querySelectorAll("button[type=submit]")) : [];
  }

  document.addEventListener("keydown", function (event) {
    const input = event.target.closest("[data-typeahead-results]");
    if (input && event.key === "ArrowDown") {
      const first = results(input)[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
      return;
    }
    const container = event.target.closest("[data-typeahead-list]");
    if (!container || !["ArrowDown", "ArrowUp", "Escape"].includes(event.key)) return;
    const search = document.querySelector(container.dataset.typeaheadList);
    const buttons = results(search);
    const index = buttons.indexOf(event.target);
    event.preventDefault();
    if (event.key === "Escape" || (event.key === "ArrowUp" && index <= 0)) {
      search.focus();
    } else if (event.key === "ArrowDown" && index < buttons.length - 1) {
      buttons[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      buttons[index - 1].focus();
    }
  });
})();
