// The social security number on the profile: "Show" asks the server for it (htmx, a POST);
// "Hide" puts the masked value back without a request, from the <template> the revealed
// field carries, and removes the digits from the page. Focus stays on the toggle, so a
// keyboard user can press Show, then Hide, then Show again without looking for it.
(function () {
  function focusToggle(field) {
    const button = field.querySelector("button");
    if (button) button.focus();
  }

  document.addEventListener("click", function (event) {
    const hide = event.target.closest("[data-ssn-hide]");
    if (!hide) return;
    const field = hide.closest("[data-ssn-field]");
    const masked = field.querySelector("template[data-ssn-masked]");
    const fresh = masked.content.firstElementChild.cloneNode(true);
    field.replaceWith(fresh);
    window.htmx.process(fresh);
    focusToggle(fresh);
  });

  document.addEventListener("htmx:load", function (event) {
    const field = event.detail.elt;
    if (field.matches && field.matches("[data-ssn-field]")) focusToggle(field);
  });
})();
