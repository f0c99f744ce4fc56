// Discussions: live Markdown preview and server-side drafts for the reply box.
// Everything here is an enhancement; the forms work without it.
(function () {
  "use strict";
  var meta = document.querySelector("meta[name='csrf-token']");
  var csrf = meta ? meta.getAttribute("content") : "";

  var post = function (url, data) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body
    });
  };

  document.querySelectorAll("form[data-preview-url]").forEach(function (form) {
    var textarea = form.querySelector("textarea[name='body']");
    var box = form.querySelector(".md-preview");
    if (!textarea || !box) { return; }
    var timer = null;
    var last = null;
    var refresh = function () {
      var text = textarea.value;
      if (text === last) { return; }
      last = text;
      if (!text.trim()) { box.hidden = true; return; }
      post(form.getAttribute("data-preview-url"), { body: text })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && typeof data.html === "string") {
            box.innerHTML = data.html; // sanitised by the server (nh3 allow-list)
            box.hidden = false;
          }
        })
        .catch(function () { /* offline: the preview button still works later */ });
    };
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 500);
    });
  });

  document.querySelectorAll("form[data-draft-url]").forEach(function (form) {
    var textarea = form.querySelector("textarea[name='body']");
    var parent = form.querySelector("input[name='parent_id']");
    var status = form.querySelector(".draft-status");
    if (!textarea) { return; }
    var timer = null;
    var saved = textarea.value;
    var save = function () {
      timer = null;
      if (textarea.value === saved) { return; }
      var text = textarea.value;
      post(form.getAttribute("data-draft-url"), { body: text, parent_id: parent ? parent.value : "" })
        .then(function (r) {
          if (r.ok) {
            saved = text;
            if (status) { status.textContent = document.body.getAttribute("data-text-draft-saved") || "✓"; }
          }
        })
        .catch(function () { /* offline: app.js keeps the text in localStorage */ });
    };
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, 2000);
    });
    document.addEventListener("visibilitychange", function () { if (document.hidden && timer) { clearTimeout(timer); save(); } });
  });
})();
