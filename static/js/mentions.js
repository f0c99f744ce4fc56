/* @-mention autocomplete for the post editor and the chat box.
 *
 * A textarea with data-mention-url (or named by a [data-mention-for] element
 * carrying the url) gets suggestions after "@": members of the community the
 * caller may mention, from GET /api/v1/communities/{slug}/mentionable?q=.
 * Keyboard: Arrow keys move, Enter or Tab picks, Escape closes; touch and
 * mouse pick with a tap. The textarea keeps focus (aria-activedescendant
 * names the highlighted option) and a status line tells screen readers how
 * many people were found. Without JavaScript one types the @handle oneself.
 */
(function () {
  "use strict";

  var TOKEN = /(^|[\s(>])@([a-z0-9_.]{0,32})$/i;
  var DELAY = 150;
  var counter = 0;

  function setup(input, url) {
    if (!input || input.dataset.mentionReady) return;
    input.dataset.mentionReady = "1";
    var id = (input.id || "mention-input-" + (++counter)) + "-mentions";
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.dataset.mentionLabel || "@");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);

    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";
    var start = -1;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function pick(index) {
      var person = items[index];
      if (!person || start < 0) return;
      var caret = input.selectionStart;
      var before = input.value.slice(0, start);
      var after = input.value.slice(caret);
      var inserted = "@" + person.username + " ";
      input.value = before + inserted + after;
      var at = before.length + inserted.length;
      input.setSelectionRange(at, at);
      close();
      input.focus();
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function render(people) {
      list.textContent = "";
      items = people;
      if (!people.length) {
        close();
        status.textContent = input.dataset.mentionNone || "";
        return;
      }
      people.forEach(function (person, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "mention-name";
        name.textContent = person.name;
        var handle = document.createElement("span");
        handle.className = "mention-handle";
        handle.textContent = "@" + person.username;
        li.appendChild(name);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(handle);
        // pointerdown keeps the focus in the textarea; the click then picks
        li.addEventListener("pointerdown", function (e) { e.preventDefault(); });
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { pick(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      highlight(0);
      status.textContent = (input.dataset.mentionFound || "{n}").replace("{n}", String(people.length));
    }

    function lookup() {
      var caret = input.selectionStart;
      if (caret !== input.selectionEnd) { close(); return; }
      var match = TOKEN.exec(input.value.slice(0, caret));
      if (!match || !match[2]) { close(); start = -1; return; }
      start = caret - match[2].length - 1;
      var q = match[2];
      if (q === asked && !list.hidden) return;
      asked = q;
      clearTimeout(timer);
      timer = setTimeout(function () {
        var sep = url.indexOf("?") >= 0 ? "&" : "?";
        fetch(url + sep + "q=" + encodeURIComponent(q) + "&limit=8", {
          credentials: "same-origin",
          headers: { Accept: "application/json" }
        })
          .then(function (r) { return r.ok ? r.json() : { items: [] }; })
          .then(function (body) { if (asked === q) render(body.items || []); })
          .catch(function () { close(); });
      }, DELAY);
    }

    input.addEventListener("input", lookup);
    input.addEventListener("click", lookup);
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    // capture: runs before the chat box's own Enter-to-send handler
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) return;
      var handled = true;
      if (event.key === "ArrowDown") highlight((active + 1) % items.length);
      else if (event.key === "ArrowUp") highlight((active - 1 + items.length) % items.length);
      else if (event.key === "Enter" || event.key === "Tab") pick(active < 0 ? 0 : active);
      else if (event.key === "Escape") close();
      else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
  }

  function init() {
    document.querySelectorAll("textarea[data-mention-url]").forEach(function (input) {
      setup(input, input.dataset.mentionUrl);
    });
    document.querySelectorAll("[data-mention-for]").forEach(function (holder) {
      var input = document.getElementById(holder.dataset.mentionFor);
      if (input) {
        ["mentionLabel", "mentionFound", "mentionNone"].forEach(function (key) {
          if (holder.dataset[key]) input.dataset[key] = holder.dataset[key];
        });
        setup(input, holder.dataset.mentionUrl);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
