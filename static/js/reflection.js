// cop reflection page (templates/cycles/reflection.html): new observations appear live.
// The page's socket (static/js/live.js, window.cop.socket) joins the lesson study's
// room with lesson:join; each observation:new is added to "by student" (its code's
// group, made when new) and to "by moment" (in order). The join ack carries every
// observation so far, so one missed while the socket was away is filled in too.
(function () {
  "use strict";
  var root = document.getElementById("reflection");
  var socket = window.cop && window.cop.socket;
  if (!root || !socket) { return; }
  var studyId = parseInt(root.getAttribute("data-study"), 10);
  var byStudent = document.getElementById("by-student");
  var byMoment = document.getElementById("by-moment");
  var total = document.getElementById("observation-total");
  var seen = {};
  Array.prototype.forEach.call(root.querySelectorAll("#by-student .observation"), function (li) {
    seen[li.getAttribute("data-id")] = true;
  });

  var item = function (observation, withCode) {
    var li = document.createElement("li");
    li.className = "observation fresh";
    li.setAttribute("data-id", String(observation.id));
    var moment = document.createElement(withCode ? "strong" : "span");
    if (!withCode) { moment.className = "meta"; }
    moment.textContent = observation.moment;
    li.appendChild(moment);
    if (withCode) {
      var code = document.createElement("span");
      code.className = "code";
      code.textContent = " " + observation.student_code;
      li.appendChild(code);
    }
    li.appendChild(document.createTextNode(" " + observation.note));
    if (!withCode && observation.observer) {
      var who = document.createElement("span");
      who.className = "meta";
      who.textContent = " — " + observation.observer.name;
      li.appendChild(who);
    }
    return li;
  };

  var insertSorted = function (parent, li, keyOf) {
    var key = keyOf(li);
    var after = Array.prototype.find.call(parent.children, function (other) { return keyOf(other) > key; });
    parent.insertBefore(li, after || null);
  };

  var add = function (observation) {
    if (!observation || seen[String(observation.id)]) { return; }
    seen[String(observation.id)] = true;
    var empty = byStudent.querySelector(".empty-line");
    if (empty) { empty.remove(); }
    var group = byStudent.querySelector("[data-code='" + observation.student_code + "']");
    if (!group) {
      group = document.createElement("article");
      group.className = "card student-group";
      group.setAttribute("data-code", observation.student_code);
      var h = document.createElement("h3");
      h.className = "code";
      h.textContent = observation.student_code;
      var ul = document.createElement("ul");
      ul.className = "list observations";
      group.appendChild(h);
      group.appendChild(ul);
      insertSorted(byStudent, group, function (el) { return el.getAttribute("data-code") || ""; });
    }
    group.querySelector("ul").appendChild(item(observation, false));
    var timeline = item(observation, true);
    timeline.setAttribute("data-moment", observation.moment);
    insertSorted(byMoment, timeline, function (el) {
      return el.getAttribute("data-moment") || (el.querySelector("strong") || {}).textContent || "";
    });
    var count = Object.keys(seen).length;
    total.setAttribute("data-count", String(count));
    total.textContent = total.textContent.replace(/\d+/, String(count));
  };

  var join = function () {
    socket.emit("lesson:join", { lesson_study_id: studyId }, function (ack) {
      if (ack && ack.ok) {
        (ack.observations || []).forEach(add);
        root.setAttribute("data-live", "1"); // joined: new observations now arrive here
      }
    });
  };
  socket.on("observation:new", function (observation) {
    if (observation && observation.lesson_study_id === studyId) { add(observation); }
  });
  socket.on("connect", join);
  if (socket.connected) { join(); }
})();
