// Meetings: autosave the minutes draft to the server, print buttons on certificates.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var form = document.getElementById("minutes-form");
  if (!form || !form.dataset.autosave) return;
  var body = form.querySelector("textarea[name=body]");
  var status = document.getElementById("autosave-status");
  var tokenMeta = document.querySelector("meta[name=csrf-token]");
  var timer = null;
  var lastSent = body ? body.value : "";

  function save() {
    timer = null;
    if (!body || body.value === lastSent) return;
    var text = body.value;
    var data = new FormData();
    data.append("body", text);
    if (tokenMeta) data.append("csrf_token", tokenMeta.content);
    fetch(form.dataset.autosave, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.json().then(function (json) { return [response.ok, json]; }); })
      .then(function (result) {
        if (result[0] && result[1].ok) {
          lastSent = text;
          if (status) status.textContent = status.dataset.saved || "✓";
        } else if (status) {
          status.textContent = result[1].error || "!";
        }
      })
      .catch(function () {
        // Offline: the draft stays in localStorage (data-draft) and is retried on the next edit.
        if (status) status.textContent = "…";
      });
  }

  if (body) {
    body.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 1500);
    });
    window.addEventListener("online", save);
  }
})();
