// Customer form: show the name fields that fit the chosen kind (private or business).
// Without JavaScript both sets stay visible and the server checks the right ones.
(function () {
  const form = document.querySelector(".customer-form");
  if (!form) return;
  function update() {
    const chosen = form.querySelector("input[name=kind]:checked");
    const kind = chosen ? chosen.value : "private";
    form.querySelectorAll("[data-kind]").forEach(function (part) {
      part.hidden = part.dataset.kind !== kind;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "kind") update();
  });
  update();
})();
