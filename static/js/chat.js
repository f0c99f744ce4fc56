// cop chat: live messages over Socket.IO (the shared socket from live.js).
// - Joins the channel with after_id = the newest message shown, so a reconnect
//   fetches exactly what was missed; messages are keyed by id (no duplicates).
// - Unsent messages wait in a localStorage outbox, each with its client_id; they
//   are sent (again) when the connection returns. The server stores one message
//   per client_id, so a resend after a lost ack never doubles a message.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || !window.cop || !window.cop.socket) { return; }
  var socket = window.cop.socket;
  var text = function (name) { return root.getAttribute("data-text-" + name) || ""; };
  var channelId = parseInt(root.getAttribute("data-channel-id"), 10);
  var me = parseInt(root.getAttribute("data-user-id"), 10);
  var moderates = root.getAttribute("data-moderates") === "1";
  var log = document.getElementById("chat-log");
  var statusLine = document.getElementById("chat-status");
  var typingLine = document.getElementById("chat-typing");
  var onlineLine = document.getElementById("chat-online");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-body");
  var older = document.getElementById("chat-older");
  var empty = document.getElementById("chat-empty");
  var names = {};
  var lastId = 0;
  var firstId = 0;
  var joined = false;
  var flushing = false;

  // --- outbox ----------------------------------------------------------------
  var store = null;
  try { store = window.localStorage; store.setItem("cop:t", "1"); store.removeItem("cop:t"); } catch (e) { store = null; }
  var outboxKey = "cop:chat:outbox:" + me + ":" + channelId;
  var memoryOutbox = [];
  var readOutbox = function () {
    if (!store) { return memoryOutbox; }
    try { return JSON.parse(store.getItem(outboxKey) || "[]"); } catch (e) { return []; }
  };
  var writeOutbox = function (items) {
    if (!store) { memoryOutbox = items; return; }
    try { if (items.length) { store.setItem(outboxKey, JSON.stringify(items)); } else { store.removeItem(outboxKey); } } catch (e) { memoryOutbox = items; }
  };
  var dropFromOutbox = function (clientId) {
    writeOutbox(readOutbox().filter(function (item) { return item.client_id !== clientId; }));
  };
  var newClientId = function () {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  };

  // --- rendering -------------------------------------------------------------
  var setStatus = function (message, kind) {
    statusLine.textContent = message;
    statusLine.setAttribute("data-state", kind || "");
  };
  // As the server writes times (cop.core.timezones.format_local): in the user's
  // zone, not the browser's, followed by WIB/WITA/WIT.
  var zone = root.getAttribute("data-zone") || undefined;
  var zoneAbbr = root.getAttribute("data-zone-abbr") || "";
  // Chat lines show the clock only ("14.03", "2:03 PM"); the zone is said once per
  // day, on the day separator (cop.core.timezones.localclock / localday).
  var lang = document.documentElement.lang || undefined;
  var timeText = function (iso) {
    try {
      // as Babel's short time: "03.11" (id, HH.mm), "3:11 AM" (en, h:mm a)
      var hour = /^id/i.test(lang || "") ? "2-digit" : "numeric";
      return new Date(iso).toLocaleTimeString(lang, { timeZone: zone, hour: hour, minute: "2-digit" });
    } catch (e) { return iso; }
  };
  var dayKey = function (iso) {
    try {
      return new Date(iso).toLocaleDateString("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    } catch (e) { return String(iso).slice(0, 10); }
  };
  var dayLabel = function (iso) {
    var key = dayKey(iso);
    var now = new Date();
    if (key === dayKey(now.toISOString())) { return text("today"); }
    if (key === dayKey(new Date(now.getTime() - 864e5).toISOString())) { return text("yesterday"); }
    try {
      return new Date(iso).toLocaleDateString(lang, { timeZone: zone, day: "numeric", month: "short", year: "numeric" });
    } catch (e) { return key; }
  };
  // A day separator before ``li`` when the message before it is of another day.
  var separate = function (li, m) {
    var day = dayKey(m.created_at);
    li.setAttribute("data-day", day);
    var prev = li.previousElementSibling;
    while (prev && !prev.hasAttribute("data-id") && !prev.classList.contains("chat-day")) { prev = prev.previousElementSibling; }
    if (prev && prev.getAttribute("data-day") === day) { return; }
    var sep = document.createElement("li");
    sep.className = "chat-day";
    sep.setAttribute("data-day", day);
    var span = document.createElement("span");
    span.textContent = dayLabel(m.created_at) + (zoneAbbr ? " · " + zoneAbbr : "");
    sep.appendChild(span);
    li.before(sep);
  };
  var quote = function (q) {
    var box = document.createElement("blockquote");
    box.className = "chat-quote";
    box.setAttribute("data-reply-to", String(q.id));
    var a = document.createElement("a");
    a.href = "#m" + q.id;
    a.setAttribute("data-jump", String(q.id));
    var who = document.createElement("span");
    who.className = "chat-quote-author";
    who.textContent = q.author ? q.author.name : "?";
    var said = document.createElement("span");
    said.className = "chat-quote-text";
    said.textContent = q.deleted ? text("deleted") : q.excerpt;
    a.appendChild(who);
    a.appendChild(document.createTextNode(" "));
    a.appendChild(said);
    box.appendChild(a);
    return box;
  };
  var attachmentsBox = function (list) {
    var box = document.createElement("div");
    box.className = "chat-attachments";
    list.forEach(function (a) {
      var link = document.createElement("a");
      link.href = a.url;
      if (a.kind === "image") {
        link.className = "chat-photo";
        var img = document.createElement("img");
        img.src = a.thumb_url || a.url;
        img.alt = text("photo").replace("{name}", a.filename);
        if (a.width) { img.width = a.width; img.height = a.height; }
        img.loading = "lazy";
        link.appendChild(img);
      } else {
        link.className = "chat-file";
        link.setAttribute("download", "");
        link.textContent = a.filename + " ";
        var size = document.createElement("span");
        size.className = "muted";
        size.textContent = "(" + (a.size < 1048576 ? Math.max(1, Math.round(a.size / 1024)) + " KB" : (a.size / 1048576).toFixed(1) + " MB") + ")";
        link.appendChild(size);
      }
      box.appendChild(link);
    });
    return box;
  };
  var button = function (label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link small";
    b.textContent = label;
    b.setAttribute("data-action", action);
    return b;
  };
  var fill = function (li, m) {
    li.textContent = "";
    li.id = "m" + m.id;
    li.setAttribute("data-id", String(m.id));
    li.setAttribute("data-author", m.author ? String(m.author.id) : "");
    li.className = "chat-message" + (m.deleted_at ? " deleted" : "");
    var meta = document.createElement("p");
    meta.className = "meta";
    var who = document.createElement("strong");
    who.textContent = m.author ? m.author.name : "?";
    var when = document.createElement("time");
    when.setAttribute("datetime", String(m.created_at).replace(/(\.\d{3})\d+/, "$1"));
    when.textContent = " " + timeText(m.created_at);
    meta.appendChild(who);
    meta.appendChild(when);
    if (m.edited_at && !m.deleted_at) {
      var edited = document.createElement("span");
      edited.className = "muted";
      edited.textContent = " " + text("edited");
      meta.appendChild(edited);
    }
    li.appendChild(meta);
    if (m.reply_to && !m.deleted_at) { li.appendChild(quote(m.reply_to)); }
    var body = document.createElement("div");
    if (m.deleted_at) {
      body.className = "muted body";
      body.textContent = text("deleted");
    } else {
      body.className = "prose body";
      body.innerHTML = m.html; // sanitised by the server (nh3 allow-list)
    }
    if (m.deleted_at || m.html || !(m.attachments || []).length) { li.appendChild(body); }
    if (!m.deleted_at && (m.attachments || []).length) { li.appendChild(attachmentsBox(m.attachments)); }
    if (!m.deleted_at && m.author) {
      var mine = m.author.id === me;
      var tools = document.createElement("p");
      tools.className = "chat-tools";
      if (form) { tools.appendChild(button(text("reply"), "reply")); }
      if (mine) { tools.appendChild(button(text("edit"), "edit")); }
      if (mine || moderates) { tools.appendChild(button(text("delete"), "delete")); }
      if (tools.childNodes.length) { li.appendChild(tools); }
      names[m.author.id] = m.author.name;
    }
    li.chatMessage = m;
  };
  var nearBottom = function () {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
  };
  // Put a message where its id belongs; replace it if it is already shown.
  var place = function (m) {
    var existing = document.getElementById("m" + m.id);
    if (existing) { fill(existing, m); return false; }
    var pending = m.client_id ? log.querySelector('[data-client-id="' + CSS.escape(m.client_id) + '"]') : null;
    var li = pending || document.createElement("li");
    if (pending) { pending.removeAttribute("data-client-id"); pending.classList.remove("pending"); }
    fill(li, m);
    if (!pending) {
      var after = null;
      var items = log.querySelectorAll("li[data-id]");
      for (var i = items.length - 1; i >= 0; i--) {
        if (parseInt(items[i].getAttribute("data-id"), 10) < m.id) { after = items[i]; break; }
      }
      if (after) { after.after(li); } else { log.prepend(li); }
    }
    if (!li.previousElementSibling || !li.previousElementSibling.classList.contains("chat-day") ||
        li.previousElementSibling.getAttribute("data-day") !== dayKey(m.created_at)) { separate(li, m); }
    if (m.id > lastId) { lastId = m.id; }
    if (!firstId || m.id < firstId) { firstId = m.id; }
    if (empty) { empty.hidden = true; }
    return true;
  };
  var showPending = function (item) {
    if (log.querySelector('[data-client-id="' + CSS.escape(item.client_id) + '"]')) { return; }
    var li = document.createElement("li");
    li.className = "chat-message pending";
    li.setAttribute("data-client-id", item.client_id);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = text("pending");
    var body = document.createElement("div");
    body.className = "body";
    body.textContent = item.body;
    li.appendChild(meta);
    li.appendChild(body);
    log.appendChild(li);
    if (empty) { empty.hidden = true; }
  };
  var failPending = function (clientId, message) {
    var li = log.querySelector('[data-client-id="' + CSS.escape(clientId) + '"]');
    if (li) {
      li.classList.add("failed");
      li.querySelector(".meta").textContent = message;
    }
  };

  // Messages rendered by the server: remember ids and authors.
  log.querySelectorAll("li[data-id]").forEach(function (li) {
    var id = parseInt(li.getAttribute("data-id"), 10);
    if (id > lastId) { lastId = id; }
    if (!firstId || id < firstId) { firstId = id; }
    var author = parseInt(li.getAttribute("data-author") || "0", 10);
    if (author) { names[author] = li.querySelector("strong").textContent; }
    if (!li.classList.contains("deleted")) {
      var tools = document.createElement("p");
      tools.className = "chat-tools";
      if (form && author) { tools.appendChild(button(text("reply"), "reply")); }
      if (author === me) { tools.appendChild(button(text("edit"), "edit")); }
      if (author === me || moderates) { tools.appendChild(button(text("delete"), "delete")); }
      if (tools.childNodes.length) { li.appendChild(tools); }
    }
  });
  readOutbox().forEach(showPending);

  // --- read marker ------------------------------------------------------------
  var readTimer = null;
  var markRead = function () {
    if (readTimer || !joined || document.hidden || !lastId) { return; }
    readTimer = setTimeout(function () {
      readTimer = null;
      socket.emit("channel:read", { channel_id: channelId, message_id: lastId });
    }, 800);
  };
  document.addEventListener("visibilitychange", markRead);

  // --- sending -----------------------------------------------------------------
  var PERMANENT = ["bad_attachment", "empty_body", "body_too_long", "bad_body", "bad_client_id", "forbidden", "not_found", "validation_error", "bad_reply"];
  var flush = function () {
    if (flushing || !joined || !socket.connected) { return; }
    var items = readOutbox();
    if (!items.length) { return; }
    flushing = true;
    var item = items[0];
    socket.timeout(10000).emit("message:send", { channel_id: channelId, body: item.body, client_id: item.client_id, reply_to_id: item.reply_to_id || null, attachment_id: item.attachment_id || null }, function (err, ack) {
      flushing = false;
      if (err) { return; } // no answer: keep it, the next connect sends it again
      if (ack && ack.ok) {
        dropFromOutbox(item.client_id);
        if (place(ack.message)) { window.scrollTo(0, document.body.scrollHeight); }
        markRead();
        flush();
      } else if (ack && ack.error && PERMANENT.indexOf(ack.error.code) >= 0) {
        dropFromOutbox(item.client_id);
        failPending(item.client_id, ack.error.message);
        flush();
      } else {
        setTimeout(flush, 1500); // rate limited or not joined yet: try again soon
      }
    });
  };
  // --- replying ----------------------------------------------------------------
  var replyTo = null;
  var replying = document.getElementById("chat-replying");
  var replyingText = document.getElementById("chat-replying-text");
  var setReply = function (li) {
    replyTo = li ? parseInt(li.getAttribute("data-id"), 10) : null;
    if (!replying) { return; }
    replying.hidden = !li;
    if (li) {
      var who = li.querySelector(".meta strong");
      replyingText.textContent = text("replying").replace("{name}", who ? who.textContent : "");
      input.focus();
    }
  };
  var cancelReply = document.getElementById("chat-reply-cancel");
  if (cancelReply) { cancelReply.addEventListener("click", function () { setReply(null); input.focus(); }); }
  if (form) {
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && replyTo) { setReply(null); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = input.value.trim();
      if (!body) { return; }
      var item = { client_id: newClientId(), body: body, at: Date.now(), reply_to_id: replyTo };
      setReply(null);
      var items = readOutbox();
      items.push(item);
      writeOutbox(items);
      showPending(item);
      input.value = "";
      window.scrollTo(0, document.body.scrollHeight);
      flush();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    var lastTyping = 0;
    input.addEventListener("input", function () {
      var now = Date.now();
      if (joined && socket.connected && now - lastTyping > 3000) {
        lastTyping = now;
        socket.emit("typing", { channel_id: channelId });
      }
    });
  }

  // --- photos and files: uploaded first (same client_id on a retry), then sent --------
  var fileInput = document.getElementById("chat-file");
  var uploadUrl = root.getAttribute("data-upload");
  var csrfMeta = document.querySelector("meta[name='csrf-token']");
  var upload = function (item, file, tries) {
    var data = new FormData();
    data.append("file", file);
    data.append("client_id", "att-" + item.client_id);
    fetch(uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfMeta ? csrfMeta.getAttribute("content") : "", Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) {
        var error = answer.body && answer.body.error;
        var fields = error && error.fields ? Object.keys(error.fields).map(function (k) { return error.fields[k]; }) : [];
        failPending(item.client_id, fields.length ? fields.join(" ") : (error ? error.message : ""));
        return;
      }
      item.attachment_id = answer.body.id;
      var items = readOutbox();
      items.push(item);
      writeOutbox(items);
      flush();
    }).catch(function () {
      // the connection dropped: the same client_id again cannot store it twice
      if (tries < 5) { setTimeout(function () { upload(item, file, tries + 1); }, 2000 * (tries + 1)); }
      else { failPending(item.client_id, text("offline")); }
    });
  };
  if (fileInput && uploadUrl) {
    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) { return; }
      var item = { client_id: newClientId(), body: input.value.trim(), at: Date.now(), reply_to_id: replyTo };
      setReply(null);
      input.value = "";
      showPending({ client_id: item.client_id, body: (item.body ? item.body + " · " : "") + file.name });
      var pendingLi = log.querySelector('[data-client-id="' + CSS.escape(item.client_id) + '"] .meta');
      if (pendingLi) { pendingLi.textContent = text("uploading"); }
      fileInput.value = "";
      upload(item, file, 0);
    });
  }

  // --- edit and delete -------------------------------------------------------------
  log.addEventListener("click", function (event) {
    var target = event.target.closest("button[data-action]");
    if (!target) { return; }
    var li = target.closest("li[data-id]");
    var id = parseInt(li.getAttribute("data-id"), 10);
    if (target.getAttribute("data-action") === "reply") {
      setReply(li);
    } else if (target.getAttribute("data-action") === "delete") {
      if (window.confirm(text("confirm-delete"))) { socket.emit("message:delete", { message_id: id }); }
    } else {
      var current = li.chatMessage ? li.chatMessage.body : li.querySelector(".body").textContent.trim();
      var body = window.prompt(text("edit"), current);
      if (body && body.trim() && body !== current) { socket.emit("message:edit", { message_id: id, body: body }); }
    }
  });

  // A quote jumps to the original; one not loaded here opens the page that ends with it.
  log.addEventListener("click", function (event) {
    var jump = event.target.closest("a[data-jump]");
    if (!jump) { return; }
    var id = parseInt(jump.getAttribute("data-jump"), 10);
    var original = document.getElementById("m" + id);
    event.preventDefault();
    if (original) {
      original.scrollIntoView({ block: "center" });
      original.classList.add("highlight");
      setTimeout(function () { original.classList.remove("highlight"); }, 2000);
    } else {
      window.location.href = window.location.pathname + "?before=" + (id + 1) + "#m" + id;
    }
  });

  // --- joining, catch-up ------------------------------------------------------------
  var showOnline = function (ids) {
    var known = ids.map(function (id) { return names[id]; }).filter(Boolean);
    var label = known.length ? known.join(", ") : String(ids.length);
    if (known.length < ids.length && known.length) { label += " +" + (ids.length - known.length); }
    onlineLine.textContent = ids.length ? text("online-list").replace("{names}", label) : "";
  };
  var join = function () {
    socket.timeout(10000).emit("channel:join", { channel_id: channelId, after_id: lastId }, function (err, ack) {
      if (err) { setTimeout(join, 2000); return; }
      if (!ack || !ack.ok) {
        setStatus(ack && ack.error ? ack.error.message : text("offline"), "error");
        return;
      }
      var stick = nearBottom();
      ack.messages.forEach(place);
      if (ack.more) { join(); return; } // more than one batch was missed: keep going
      joined = true;
      setStatus(text("online"), "online");
      showOnline(ack.online || []);
      if (stick && ack.messages.length) { window.scrollTo(0, document.body.scrollHeight); }
      markRead();
      flush();
    });
  };
  var onConnect = function () { joined = false; join(); };
  socket.on("connect", onConnect);
  socket.on("disconnect", function () { joined = false; setStatus(text("offline"), "offline"); });
  socket.on("connect_error", function (error) {
    setStatus(error && error.data && error.data.message ? error.data.message : text("offline"), "offline");
  });
  window.addEventListener("offline", function () { setStatus(text("offline"), "offline"); });
  socket.on("message:new", function (m) {
    if (m.channel_id !== channelId) { return; }
    var stick = nearBottom();
    if (m.author && m.author.id === me && m.client_id) { dropFromOutbox(m.client_id); }
    if (place(m) && stick) { window.scrollTo(0, document.body.scrollHeight); }
    markRead();
  });
  var update = function (m) {
    if (m.channel_id !== channelId) { return; }
    var li = document.getElementById("m" + m.id);
    if (li) { fill(li, m); }
  };
  socket.on("message:updated", update);
  socket.on("message:deleted", update);
  var typingTimer = null;
  socket.on("typing", function (data) {
    if (data.channel_id !== channelId || !data.user) { return; }
    typingLine.textContent = text("typing").replace("{name}", data.user.name);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 4000);
  });
  socket.on("presence", function (data) {
    if (data.channel_id === channelId) { showOnline(data.online || []); }
  });
  socket.on("error", function (error) {
    if (!error) { return; }
    if (error.code === "membership_ended" || error.code === "session_ended" || error.code === "logged_out") {
      joined = false;
      setStatus(error.message, "error");
    }
  });
  setStatus(text("connecting"), "connecting");
  if (socket.connected) { onConnect(); }

  // --- scroll-back --------------------------------------------------------------------
  if (older) {
    var api = root.getAttribute("data-api");
    var loading = false;
    var loadOlder = function () {
      if (loading || !firstId) { return; }
      loading = true;
      fetch(api + "?limit=50&before_id=" + firstId, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (page) {
          var height = document.body.scrollHeight;
          page.items.forEach(place);
          window.scrollBy(0, document.body.scrollHeight - height);
          if (!page.next) { older.hidden = true; }
        })
        .catch(function () { /* keep the link: it still works without JavaScript */ })
        .then(function () { loading = false; });
    };
    older.addEventListener("click", function (event) { event.preventDefault(); loadOlder(); });
    if ("IntersectionObserver" in window) {
      new IntersectionObserver(function (entries) {
        if (entries[0].isIntersecting && joined) { loadOlder(); }
      }).observe(older);
    }
  }
})();
