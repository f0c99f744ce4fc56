// cop observation sheet (templates/cycles/observe.html): phone-first and offline-safe.
// - Every observation gets a client_id made here; the server stores one row per
//   client_id, so a double tap, a retry or a sync after a dropped connection is one
//   observation.
// - Saved observations go into a localStorage outbox first and are sent from there:
//   offline they wait ("waiting to be sent") and go out when the phone is back online
//   (the "online" event, page load, and every 15 s while the page is open).
// - A note that looks like a student's full name (two capitalised words) is held back
//   until the observer ticks "names no student"; the server checks the same.
(function () {
  "use strict";
  var form = document.getElementById("observation-form");
  if (!form) { return; }
  var list = document.getElementById("my-observations");
  var status = document.getElementById("observe-status");
  var warning = document.getElementById("name-warning");
  var confirmRow = document.getElementById("confirm-name-row");
  var confirmBox = document.getElementById("confirm_name");
  var text = function (name) { return form.getAttribute("data-text-" + name) || ""; };
  var key = "cop:observe:outbox:" + form.getAttribute("data-user") + ":" + form.getAttribute("data-study");
  var csrf = (form.querySelector("input[name=csrf_token]") || {}).value || "";
  var store = null;
  try { store = window.localStorage; store.setItem("cop:t", "1"); store.removeItem("cop:t"); } catch (e) { store = null; }
  var memory = [];
  var read = function () {
    if (!store) { return memory; }
    try { return JSON.parse(store.getItem(key) || "[]"); } catch (e) { return []; }
  };
  var write = function (items) {
    if (!store) { memory = items; return; }
    try { if (items.length) { store.setItem(key, JSON.stringify(items)); } else { store.removeItem(key); } } catch (e) { memory = items; }
  };
  var newId = function () {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "o" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  };
  var looksLikeName = function (value) { return /\b[A-Z][a-z]+(?:[ ]+[A-Z][a-z]+)+\b/.test(value || ""); };

  var line = function (item, waiting) {
    var li = list.querySelector("[data-client-id='" + item.client_id + "']");
    if (!li) {
      li = document.createElement("li");
      li.className = "observation";
      li.setAttribute("data-client-id", item.client_id);
      var empty = list.querySelector(".empty-line");
      if (empty) { empty.remove(); }
      list.insertBefore(li, list.firstChild);
    }
    li.textContent = "";
    var code = document.createElement("strong");
    code.className = "code";
    code.textContent = item.student_code;
    var moment = document.createElement("span");
    moment.className = "meta";
    moment.textContent = " " + item.moment + " ";
    var note = document.createElement("span");
    note.className = "note";
    note.textContent = item.note;
    li.appendChild(code); li.appendChild(moment); li.appendChild(note);
    li.classList.toggle("waiting", !!waiting);
    if (waiting) {
      var badge = document.createElement("span");
      badge.className = "badge warn";
      badge.textContent = text("waiting");
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
    }
  };

  var toBlob = function (dataUrl) {
    var parts = dataUrl.split(",");
    var type = (parts[0].match(/data:([^;]+)/) || [])[1] || "image/jpeg";
    var bytes = atob(parts[1]);
    var array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i += 1) { array[i] = bytes.charCodeAt(i); }
    return new Blob([array], { type: type });
  };

  var sending = false;
  var flush = function () {
    if (sending) { return; }
    var items = read();
    if (!items.length) { return; }
    sending = true;
    var item = items[0];
    var body = new FormData();
    body.append("csrf_token", csrf);
    ["client_id", "student_code", "moment", "note"].forEach(function (name) { body.append(name, item[name]); });
    if (item.confirm_name) { body.append("confirm_name", "1"); }
    if (item.photo) { body.append("photo", toBlob(item.photo), item.photo_name || "foto.jpg"); }
    fetch(form.action || location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        // any answer from the server settles the item: stored, a repeat, or refused
        write(read().filter(function (other) { return other.client_id !== item.client_id; }));
        if (response.ok) {
          line(item, false);
          status.textContent = text("sent");
        } else {
          var li = list.querySelector("[data-client-id='" + item.client_id + "']");
          if (li) { li.remove(); }
          var error = (data && data.error) || {};
          var fields = error.fields || {};
          var reason = Object.keys(fields).map(function (k) { return fields[k]; }).join(" ") || error.message || response.status;
          status.textContent = text("failed") + " " + item.student_code + " " + item.moment + ": " + reason;
        }
        sending = false;
        flush();
      });
    }, function () {
      sending = false; // offline: the item waits for the next try
    });
  };

  var readPhoto = function (file, done) {
    if (!file) { done(null); return; }
    var reader = new FileReader();
    reader.onload = function () { done(String(reader.result)); };
    reader.onerror = function () { done(null); };
    reader.readAsDataURL(file);
  };

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    event.stopPropagation();
    if (!form.reportValidity()) { return; }
    var note = form.elements.note.value.trim();
    if (looksLikeName(note) && !confirmBox.checked) {
      warning.textContent = text("name");
      warning.hidden = false;
      confirmRow.hidden = false;
      confirmBox.focus();
      return;
    }
    var fileInput = form.elements.photo;
    var file = fileInput && fileInput.files && fileInput.files[0];
    readPhoto(file, function (photo) {
      var item = {
        client_id: newId(),
        student_code: form.elements.student_code.value.trim().toUpperCase(),
        moment: form.elements.moment.value.trim(),
        note: note,
        confirm_name: confirmBox.checked,
        photo: photo,
        photo_name: file ? file.name : ""
      };
      var items = read();
      items.push(item);
      write(items);
      line(item, true);
      status.textContent = navigator.onLine ? "" : text("queued");
      form.elements.student_code.value = "";
      form.elements.note.value = "";
      if (fileInput) { fileInput.value = ""; }
      confirmBox.checked = false;
      confirmRow.hidden = true;
      warning.hidden = true;
      form.elements.student_code.focus();
      flush();
    });
  }, true);

  // "When" starts at the phone's clock (08.15, as Indonesian times are written).
  var clock = function () {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return pad(now.getHours()) + "." + pad(now.getMinutes());
  };
  if (!form.elements.moment.value) { form.elements.moment.value = clock(); }

  read().forEach(function (item) { line(item, true); });
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();
})();
