// Confirm Delete pop-up of the portal's contact lists: the clicked row's Delete fills in
// whom the pop-up asks about and where its form posts. Without script, Delete opens the
// confirmation page instead.
document.addEventListener("DOMContentLoaded", () => {
  const modal = document.getElementById("confirm-delete");
  if (!modal) return;
  modal.addEventListener("show.bs.modal", (event) => {
    const trigger = event.relatedTarget;
    modal.querySelector("[data-delete-form]").action = trigger.dataset.deleteUrl;
    modal.querySelector("[data-delete-name]").textContent = trigger.dataset.deleteName;
  });
});
