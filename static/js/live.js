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
    if (count) { count.textContent = String(n); count.hidden = n <= 0; }
    var label = bell.getAttribute("aria-label");
    if (label) { bell.setAttribute("aria-label", label.replace(/\d+/, String(n))); }
    bell.classList.add("ring");
    setTimeout(function () { bell.classList.remove("ring"); }, 1500);
  });
  // After a logout somewhere the server closes all of the user's sockets. A
  // browser that is still logged in connects again (once); one that logged out
  // is refused at connect and stays disconnected.
  socket.on("disconnect", function (reason) {
    if (reason === "io server disconnect") {
      setTimeout(function () { socket.connect(); }, 1000 + Math.random() * 2000);
    }
  });
})();
