// cop live: one Socket.IO connection per page for logged-in users.
// It pushes new notifications into the bell (#notification-bell) and is shared
// with the chat page (static/js/chat.js) through window.cop.socket.
(function () {
  "use strict";
  if (typeof window.io !== "function" || !document.body.getAttribute("data-user")) { return; }
  var socket = window.io({ transports: ["websocket"], reconnectionDelayMax: 10000 });
  window.cop = window.cop || {};
  window.cop.socket = socket;

  var bell = document.getElementById("notification-bell");
  socket.on("notification:new", function (notification) {
    if (!bell) { return; }
    var count = bell.querySelector(".count");
    var n = parseInt(bell.getAttribute("data-unread") || "0", 10) + 1;
    if (notification && typeof notification.unread_count === "number") { n = notification.unread_count; }
    bell.setAttribute("data-unread", String(n));
    if (count) { count.querySelector(".n").textContent = String(n); count.hidden = n <= 0; }
    bell.classList.add("ring");
    setTimeout(function () { bell.classList.remove("ring"); }, 1500);
  });
  // Unread chat: the header count and the channel tabs are refreshed every
  // data-poll seconds while the page is visible, and when it becomes visible
  // again. (The open channel's own messages are marked read by chat.js.)
  var chatLink = document.getElementById("chat-link");
  var unreadUrl = chatLink && chatLink.getAttribute("data-unread-url");
  var showChatUnread = function (data) {
    var open = document.getElementById("chat");
    var openId = open ? open.getAttribute("data-channel-id") : null;
    var byChannel = {};
    (data.items || []).forEach(function (item) { byChannel[item.channel_id] = item.unread; });
    var cap = parseInt(chatLink.getAttribute("data-cap") || "99", 10);
    var total = data.total || 0;
    // The open channel is being read (chat.js sends the marker a moment later).
    if (openId && total <= cap) { total = Math.max(0, total - (byChannel[openId] || 0)); }
    var shown = total > cap ? cap + "+" : String(total);
    var count = chatLink.querySelector(".count");
    chatLink.setAttribute("data-unread", String(total));
    if (count) { count.querySelector(".n").textContent = shown; count.hidden = total <= 0; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-unread-for]"), function (badge) {
      var id = badge.getAttribute("data-unread-for");
      if (id === openId) { return; }
      var n = byChannel[id] || 0;
      badge.textContent = String(n);
      badge.hidden = n <= 0;
    });
  };
  var refreshChatUnread = function () {
    if (!unreadUrl || document.hidden) { return; }
    fetch(unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(showChatUnread)
      .catch(function () { /* keep the last count; the next refresh tries again */ });
  };
  if (unreadUrl) {
    var every = Math.max(1, parseFloat(chatLink.getAttribute("data-poll") || "60")) * 1000;
    setInterval(refreshChatUnread, every);
    document.addEventListener("visibilitychange", refreshChatUnread);
  }

  // After a logout somewhere the server closes all of the user's sockets. A
  // browser that is still logged in connects again (once); one that logged out
  // is refused at connect and stays disconnected.
  socket.on("disconnect", function (reason) {
    if (reason === "io server disconnect") {
      setTimeout(function () { socket.connect(); }, 1000 + Math.random() * 2000);
    }
  });
})();
