// cop: small progressive enhancements. Pages work without this file.
(function () {
  "use strict";
  // Disable a form's submit button after the first submit so a double tap sends once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = form.querySelector("button[data-once]");
    if (button) {
      setTimeout(function () { button.disabled = true; }, 0);
      setTimeout(function () { button.disabled = false; }, 8000);
    }
  });
  // The language switch submits as soon as a language is chosen.
  var select = document.getElementById("locale-switch");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
    var button = select.form.querySelector("button");
    if (button) { button.hidden = true; }
  }
})();
