/* The installable app, on every page (docs/notifications.md):
 * registers the service worker; shows when the phone is offline; keeps a reply or an
 * RSVP written offline in an outbox on this phone and sends it when the connection is
 * back (each once: a reply carries its client token, an RSVP is a state); empties the
 * page cache and the outbox at logout; and the "turn on notifications" button. */
(function () {
  "use strict";
  var script = document.currentScript;
  var body = document.body;
  var user = body.getAttribute("data-user") || "";
  var text = function (name) { return script.getAttribute("data-text-" + name) || ""; };
  var OUTBOX = "cop:outbox";
  var store;
  try { store = window.localStorage; } catch (e) { store = null; }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(script.getAttribute("data-sw"), { scope: "/" }).catch(function () {});
  }

  // --- Nothing private stays behind a logout --------------------------------
  var forget = function () {
    if (store) { store.removeItem(OUTBOX); }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear-pages" });
    }
    return window.caches ? caches.delete("cop-pages") : Promise.resolve();
  };
  // (the offline page was cached without a session: it says nothing about who is here)
  if (!user && body.getAttribute("data-endpoint") !== "pwa.offline") { forget(); }
  document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.hasAttribute("data-forgotten")) { return; }
      event.preventDefault();
      form.setAttribute("data-forgotten", "");
      forget().then(function () { form.submit(); }, function () { form.submit(); });
    });
  });

  // --- Offline indicator -------------------------------------------------------
  var banner = document.createElement("p");
  banner.className = "offline-banner";
  banner.setAttribute("role", "status");
  banner.textContent = text("offline");
  banner.hidden = navigator.onLine;
  var main = document.getElementById("main");
  if (main) { main.insertBefore(banner, main.firstChild); }
  var say = function (message) {
    var note = document.createElement("p");
    note.className = "flash flash-info outbox-note";
    note.setAttribute("role", "status");
    note.textContent = message;
    if (main) { main.insertBefore(note, banner.nextSibling); }
  };

  // --- Outbox: replies and RSVPs written offline ------------------------------
  var read = function () {
    try { return JSON.parse((store && store.getItem(OUTBOX)) || "[]"); } catch (e) { return []; }
  };
  var write = function (items) {
    if (!store) { return; }
    if (items.length) { store.setItem(OUTBOX, JSON.stringify(items)); } else { store.removeItem(OUTBOX); }
  };
  var queueable = function (form, submitter) {
    if (!form.matches(".reply-form, .rsvp-buttons")) { return false; }
    // "Preview" and "Save draft" need the server now: only the real submit waits.
    return !(submitter && (submitter.hasAttribute("formaction") || submitter.name === "preview"));
  };
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (navigator.onLine || !store || !user || !queueable(form, event.submitter)) { return; }
    event.preventDefault();
    event.stopPropagation(); // the draft and double-submit helpers leave this form alone
    var fields = [];
    new FormData(form, event.submitter || undefined).forEach(function (value, name) {
      if (typeof value === "string") { fields.push([name, value]); }
    });
    var items = read();
    items.push({ user: user, url: form.action, fields: fields, page: location.pathname,
                 draft: form.getAttribute("data-draft") || "", t: Date.now() });
    write(items);
    if (form.getAttribute("data-draft")) {
      store.removeItem("cop:draft:" + user + ":" + form.getAttribute("data-draft"));
      form.reset();
    }
    say(text("queued"));
  }, true);

  var sending = false;
  var replay = function () {
    if (sending || !navigator.onLine || !user) { return; }
    var items = read();
    var mine = items.filter(function (item) { return item.user === user; });
    if (!mine.length) { return; }
    sending = true;
    var sent = 0;
    var reload = false;
    var next = function () {
      var item = mine.shift();
      if (!item) {
        sending = false;
        if (sent) { say(text("sent")); }
        if (reload) { location.reload(); }
        return;
      }
      fetch(item.url, { method: "POST", body: new URLSearchParams(item.fields), credentials: "same-origin" })
        .then(function () {
          // any answer from the server settles it (a duplicate finds the first post)
          write(read().filter(function (other) { return other.t !== item.t || other.url !== item.url; }));
          sent += 1;
          reload = reload || item.page === location.pathname;
          next();
        }, function () { sending = false; }); // still offline: try again at the next "online"
    };
    next();
  };
  window.addEventListener("online", function () { banner.hidden = true; replay(); });
  window.addEventListener("offline", function () { banner.hidden = false; });
  replay();

  // --- Web Push: only after the member taps "turn on" ---------------------------
  var toggle = document.querySelector("[data-push-toggle]");
  if (!toggle || !("serviceWorker" in navigator) || !("PushManager" in window)) { return; }
  var status = document.querySelector("[data-push-status]");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var api = function (method, payload) {
    return fetch("/api/v1/me/push-subscriptions", {
      method: method, credentials: "same-origin", body: JSON.stringify(payload),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    });
  };
  var key = function () {
    var raw = toggle.getAttribute("data-key").replace(/-/g, "+").replace(/_/g, "/");
    var bytes = atob(raw + "===".slice((raw.length + 3) % 4));
    return Uint8Array.from(bytes, function (c) { return c.charCodeAt(0); });
  };
  var show = function (subscription) {
    toggle.hidden = false;
    toggle.textContent = toggle.getAttribute(subscription ? "data-on" : "data-off");
    toggle.setAttribute("aria-pressed", subscription ? "true" : "false");
  };
  navigator.serviceWorker.ready.then(function (registration) {
    registration.pushManager.getSubscription().then(show);
    toggle.addEventListener("click", function () {
      registration.pushManager.getSubscription().then(function (current) {
        if (current) {
          return api("DELETE", { endpoint: current.endpoint }).then(function () {
            return current.unsubscribe();
          }).then(function () { show(null); });
        }
        return Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") { if (status) { status.textContent = text("denied"); } return; }
          return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() })
            .then(function (subscription) { return api("POST", subscription.toJSON()).then(function () { show(subscription); }); });
        });
      }).catch(function () { if (status) { status.textContent = text("failed"); } });
    });
  });
})();
