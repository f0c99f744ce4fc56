// The attendance sheet: each tap is posted at once with fetch and retried with backoff
// while the connection is down (the server treats the same tap twice as one). Without
// JavaScript the same forms post and redirect back to the row.
(function () {
  "use strict";

  var state = document.getElementById("roll-state");
  var pending = 0;

  function say(key) {
    if (state) state.textContent = state.dataset[key] || "";
  }

  function press(form, status) {
    form.querySelectorAll("button[name=status]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
  }

  function send(form, status, attempt) {
    var data = new FormData(form);
    data.set("status", status);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (response.status >= 500) throw new Error("server");
        return response.json().then(function (json) {
          pending -= 1;
          if (response.ok && json.ok) {
            form.dataset.saved = status;
            if (pending === 0) say("saved");
          } else {
            press(form, form.dataset.saved || "");
            if (state) state.textContent = json.error || state.dataset.failed;
          }
        });
      })
      .catch(function () {
        say("retry");
        var delay = Math.min(30000, 1000 * Math.pow(2, attempt));
        setTimeout(function () {
          // A newer tap on this row replaces this one.
          if (form.dataset.want === status) send(form, status, attempt + 1);
          else pending -= 1;
        }, delay);
      });
  }

  document.querySelectorAll("form[data-roll]").forEach(function (form) {
    var on = form.querySelector("button[aria-pressed=true]");
    form.dataset.saved = on ? on.value : "";
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.value) return;
      event.preventDefault();
      form.dataset.want = button.value;
      press(form, button.value);
      pending += 1;
      say("saving");
      send(form, button.value, 0);
    });
  });
})();
