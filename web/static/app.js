// Progressive enhancement only: the page works without this file.
// A ticked facet or a chosen sort order submits the search form at once. Dates are
// left alone: typing one fires "change" at every digit; Enter or "Terapkan" applies them.
"use strict";
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.form || input.form.id !== "search") return;
  if (input.type === "checkbox" || input.tagName === "SELECT") {
    input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
  }
});
