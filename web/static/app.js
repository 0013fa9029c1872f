// Progressive enhancement only: the page works without this file.
// A ticked facet, a chosen sort order or a picked date submits the search form at once.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.form || input.form.id !== "search") return;
  if (input.type === "checkbox" || input.type === "date" || input.tagName === "SELECT") {
    input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
  }
});
