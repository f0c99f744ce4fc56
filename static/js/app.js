// cop: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  var body = document.body;

  // --- Double-submit guard -------------------------------------------------
  // Disable a form's submit button after the first submit so a double tap on a
  // slow connection sends once. Re-enabled after a while, and when the page
  // comes back from the back/forward cache.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = form.querySelector("button[data-once]");
    if (button) {
      setTimeout(function () { button.disabled = true; }, 0);
      setTimeout(function () { button.disabled = false; }, 8000);
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("button[data-once]").forEach(function (b) { b.disabled = false; });
    }
  });

  // --- Language switch: submit as soon as a language is chosen ------------
  var select = document.getElementById("locale-switch");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
    var change = select.form.querySelector("button");
    if (change) { change.hidden = true; }
  }

  // --- Navigation menu (a <details> on phones) ----------------------------
  // Close it on a click outside it or on Escape. On wide screens CSS shows the
  // links inline; browsers without ::details-content get the menu opened.
  var menu = document.querySelector("details.nav-menu");
  if (menu) {
    var wide = window.matchMedia("(min-width: 760px)");
    var cssShowsNav = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
    var syncMenu = function () {
      if (!cssShowsNav) { menu.open = wide.matches; } else if (wide.matches) { menu.open = false; }
    };
    syncMenu();
    if (wide.addEventListener) { wide.addEventListener("change", syncMenu); }
    document.addEventListener("click", function (event) {
      if (menu.open && !wide.matches && !menu.contains(event.target)) { menu.open = false; }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  // --- Form drafts ----------------------------------------------------------
  // <form data-draft="topic-new-42"> keeps what is typed in localStorage (per
  // user), restores it on load and forgets it once the submit went through.
  // "Went through" = the POST answered with a redirect (post/redirect/get) to
  // a normal page: not an error page, not the login page. A form shown again
  // with errors, a failed connection, Back, or opening the page again all
  // keep the draft. Pages can also forget drafts with data-draft-clear="key".
  var store;
  try { store = window.localStorage; store.setItem("cop:t", "1"); store.removeItem("cop:t"); } catch (e) { store = null; }
  if (!store) { return; }
  var PREFIX = "cop:draft:";
  var MAX_AGE = 14 * 24 * 3600 * 1000;
  var userPart = (body.getAttribute("data-user") || "anon") + ":";
  var draftKey = function (key) { return PREFIX + userPart + key; };
  var read = function (key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  };
  var write = function (key, value) {
    try { store.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled */ }
  };
  var drafted = function (el) {
    var type = (el.type || "").toLowerCase();
    return el.name && el.name !== "csrf_token" && !el.disabled && !el.hasAttribute("data-no-draft") &&
      ["password", "hidden", "file", "submit", "button", "reset"].indexOf(type) < 0;
  };
  var snapshot = function (form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!drafted(el)) { return; }
      var type = (el.type || "").toLowerCase();
      var value = el.value;
      if (type === "checkbox" || type === "radio") {
        if (!el.checked) { return; }
      } else if (el.multiple) {
        value = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; }).join("\n");
      }
      values[el.name] = (values[el.name] || []).concat([value]);
    });
    return values;
  };
  var apply = function (form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      var box = type === "checkbox" || type === "radio";
      if (!drafted(el) || (!box && !(el.name in values))) { return; }
      var list = values[el.name] || [];
      if (box) {
        el.checked = list.indexOf(el.value) >= 0;
      } else if (el.multiple) {
        var chosen = (list[0] || "").split("\n");
        Array.prototype.forEach.call(el.options, function (o) { o.selected = chosen.indexOf(o.value) >= 0; });
      } else {
        var peers = form.querySelectorAll("[name='" + el.name.replace(/'/g, "\\'") + "']");
        var index = Array.prototype.indexOf.call(peers, el);
        if (list[index] !== undefined) { el.value = list[index]; }
      }
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  };
  var loggingOut = false;
  var clearAll = function () {
    loggingOut = true;
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0) { store.removeItem(k); }
    }
    store.removeItem("cop:submitted");
  };

  // 1. Settle the last submit: forget its draft if it went through.
  var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var pending = read("cop:submitted");
  if (pending && nav && nav.type === "navigate" && nav.redirectCount > 0 &&
      Date.now() - pending.t < 10 * 60 * 1000 &&
      !body.classList.contains("error-status") && body.getAttribute("data-endpoint") !== "auth.login") {
    store.removeItem(draftKey(pending.key));
  }
  store.removeItem("cop:submitted");
  document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
    el.getAttribute("data-draft-clear").split(/\s+/).forEach(function (k) { if (k) { store.removeItem(draftKey(k)); } });
  });

  // 2. Drop drafts older than two weeks.
  for (var i = store.length - 1; i >= 0; i -= 1) {
    var k = store.key(i);
    if (k && k.indexOf(PREFIX) === 0) {
      var old = read(k);
      if (!old || Date.now() - old.t > MAX_AGE) { store.removeItem(k); }
    }
  }

  // 3. Restore and keep saving each drafted form.
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = draftKey(form.getAttribute("data-draft"));
    var saved = read(key);
    var original = snapshot(form);
    var same = function (values) { return JSON.stringify(values) === JSON.stringify(original); };
    if (saved && saved.values && !same(saved.values)) {
      apply(form, saved.values);
      var note = document.createElement("p");
      note.className = "draft-note";
      note.setAttribute("role", "status");
      note.textContent = body.getAttribute("data-text-draft-restored") || "";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "link";
      discard.textContent = body.getAttribute("data-text-draft-discard") || "×";
      discard.addEventListener("click", function () {
        store.removeItem(key);
        apply(form, original);
        note.remove();
      });
      note.appendChild(discard);
      form.insertBefore(note, form.firstChild);
    }
    var timer = null;
    var save = function () {
      clearTimeout(timer);
      timer = null;
      if (loggingOut) { return; }
      var now = snapshot(form);
      if (same(now)) { store.removeItem(key); } else { write(key, { values: now, t: Date.now() }); }
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(save, 400); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () {
      save();
      write("cop:submitted", { key: form.getAttribute("data-draft"), t: Date.now() });
    });
    // Save right away when the tab is hidden (phones kill background tabs).
    document.addEventListener("visibilitychange", function () { if (document.hidden && timer) { save(); } });
  });

  // 4. Logging out on a shared device forgets every draft.
  document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
    form.addEventListener("submit", clearAll);
  });
  // --- Confirm before destroying ---------------------------------------------
  // <button data-confirm="Delete this post?"> (or a form with data-confirm) asks
  // first. Without JavaScript the form itself carries a required "I am sure"
  // checkbox or goes to a confirmation page, so nothing relies on this.
  // With JavaScript the checkbox is hidden (the dialog asks instead) and ticked on "OK".
  document.querySelectorAll(".confirm-check").forEach(function (label) {
    label.hidden = true;
    label.querySelector("input").required = false;
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector("[data-confirm]");
    var text = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!text) { return; }
    if (!window.confirm(text)) { event.preventDefault(); event.stopImmediatePropagation(); return; }
    var box = form.querySelector(".confirm-check input");
    if (box) { box.checked = true; }
  }, true);

  // --- Registration: offer the browser's zone --------------------------------
  // The zone select starts at WIB; when the browser says it is in WITA or WIT
  // (one of the options), that one is chosen instead. The user can still change it.
  var zoneSelect = document.querySelector("select[data-browser-zone]");
  if (zoneSelect && window.Intl && Intl.DateTimeFormat) {
    var browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var option = Array.prototype.find.call(zoneSelect.options, function (o) { return o.value === browserZone; });
    var shownAgain = zoneSelect.form && zoneSelect.form.querySelector(".has-error, .flash-error");
    if (option && !shownAgain) { zoneSelect.value = browserZone; }
  }

  // --- Header search: suggestions while typing, on a fast connection only ----
  // A phone on a slow or metered connection (saveData, 2g/3g, or a browser that
  // does not say) gets none: the plain GET form is the search.
  var searchInput = document.getElementById("header-q");
  var suggestions = document.getElementById("header-suggestions");
  var connection = navigator.connection;
  var fast = connection && !connection.saveData && connection.effectiveType === "4g";
  if (searchInput && suggestions && fast && window.fetch) {
    var pending = null;
    var hide = function () { suggestions.hidden = true; suggestions.textContent = ""; };
    var show = function (items) {
      suggestions.textContent = "";
      items.forEach(function (hit) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = hit.url;
        a.textContent = hit.title;
        li.appendChild(a);
        suggestions.appendChild(li);
      });
      suggestions.hidden = items.length === 0;
    };
    searchInput.setAttribute("aria-controls", "header-suggestions");
    searchInput.addEventListener("input", function () {
      clearTimeout(pending);
      var q = searchInput.value.trim();
      if (q.length < 3) { hide(); return; }
      pending = setTimeout(function () {
        var url = searchInput.getAttribute("data-suggest-url") + "?grouped=1&limit=5&q=" + encodeURIComponent(q);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (data) { if (searchInput.value.trim() === q) { show(data.items || []); } })
          .catch(hide);
      }, 250);
    });
    searchInput.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
      if (event.key === "ArrowDown" && !suggestions.hidden) {
        event.preventDefault();
        var first = suggestions.querySelector("a");
        if (first) { first.focus(); }
      }
    });
    document.addEventListener("click", function (event) {
      if (!searchInput.form.contains(event.target)) { hide(); }
    });
  }
})();
