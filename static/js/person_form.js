// Contact person form: tick a communication preference as its field is filled in (an
// email address -> email, a mobile number -> SMS, an address -> letter), add phone rows.
// Only fields that were empty when the page opened tick anything, and never a preference
// the user has clicked themselves. The server applies the same default, once, to posts
// made without this script (it knows from preferences_scripted).
(function () {
  const form = document.querySelector(".person-form");
  if (!form) return;
  const scripted = form.querySelector("input[name$=preferences_scripted]");
  if (scripted) scripted.value = "on";

  const touched = new Set();
  form.addEventListener("click", function (event) {
    if (event.target.matches("input[name$=prefers_email], input[name$=prefers_sms], input[name$=prefers_letter]")) {
      touched.add(event.target.name);
    }
  });

  function preference(name) {
    return form.querySelector("input[type=checkbox][name$=" + name + "]");
  }
  function hasMobile() {
    return Array.from(form.querySelectorAll("[data-phone-row]")).some(function (row) {
      const kind = row.querySelector("[data-phone-kind]");
      const number = row.querySelector("[data-phone-number] input");
      return kind && number && kind.value === "mobile" && number.value.trim() !== "";
    });
  }
  const sources = {
    prefers_email: function () { const f = form.querySelector("input[name$=email]"); return f && f.value.trim() !== ""; },
    prefers_letter: function () { const f = form.querySelector("input[name$=address]"); return f && f.value.trim() !== ""; },
    prefers_sms: hasMobile,
  };
  const filledAtStart = {};
  Object.keys(sources).forEach(function (name) { filledAtStart[name] = sources[name](); });

  function update() {
    Object.keys(sources).forEach(function (name) {
      const box = preference(name);
      if (!box || touched.has(box.name) || filledAtStart[name]) return;
      box.checked = sources[name]();
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);

  // "Add phone number": a new row from the formset's empty form.
  const rows = form.querySelector("[data-phone-rows]");
  const template = form.querySelector("template[data-phone-template]");
  const add = form.querySelector("[data-add-phone]");
  const total = form.querySelector("input[name$=-TOTAL_FORMS]");
  if (rows && template && add && total) {
    add.hidden = false;
    add.addEventListener("click", function () {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const inputs = rows.lastElementChild.querySelectorAll("input[type=tel], input:not([type=hidden])");
      if (inputs.length) inputs[0].focus();
    });
  }
})();
