/* Calls in progress on the dashboard, each with its state (talking, on hold, consulting,
   third party joined, supervised) and the supervisor's controls: listen, coach, join, leave.
   Reads /api/dashboard/calls every few seconds and after each action. */
(function () {
  "use strict";
  var body = document.getElementById("calls-body");
  if (!body) return;
  var errorBox = document.getElementById("calls-error");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";
  var STATUS = { talking: "通话中 / talking", on_hold: "保持中 / on hold", consulting: "咨询中 / consulting",
                 third_party: "第三方已接入 / third party", supervised: "督导中 / supervised" };
  var MODE = { listen: "旁听 / listen", coach: "指导 / coach", join: "加入 / join" };
  var ACTIONS = [["listen", "旁听 / Listen"], ["coach", "指导 / Coach"], ["join", "加入 / Join"]];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function request(method, path, payload) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
      options.body = JSON.stringify(payload || {});
    }
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) throw new Error((data && data.message) || "HTTP " + response.status);
        return data;
      });
    });
  }

  function supervise(call, mode) {
    var base = "/api/dashboard/calls/" + encodeURIComponent(call) + "/supervise";
    errorBox.textContent = "";
    var done = mode === "leave" ? request("POST", base + "/leave") : request("POST", base, { mode: mode });
    done.then(load).catch(function (error) { errorBox.textContent = error.message; });
  }

  function button(call, mode, label) {
    var node = el("button", "btn btn-sm", label);
    node.type = "button";
    node.dataset.mode = mode;
    node.dataset.call = call;
    node.addEventListener("click", function () { supervise(call, mode); });
    return node;
  }

  function row(item) {
    var tr = el("tr");
    tr.dataset.call = item.call;
    var sid = el("td", "mono", item.call.slice(-6));
    sid.title = item.call;
    tr.appendChild(sid);
    tr.appendChild(el("td", "", item.name || String(item.counselor)));
    tr.appendChild(el("td", "", item.line || ""));
    var states = el("td", "call-states");
    item.statuses.forEach(function (s) { states.appendChild(el("span", "pill state-" + s, STATUS[s] || s)); });
    tr.appendChild(states);
    var controls = el("td", "cluster");
    item.supervision.forEach(function (s) { controls.appendChild(el("span", "small muted", MODE[s.mode] || s.mode)); });
    if (item.conference) {
      ACTIONS.forEach(function (a) { controls.appendChild(button(item.call, a[0], a[1])); });
      controls.appendChild(button(item.call, "leave", "离开 / Leave"));
    }
    tr.appendChild(controls);
    return tr;
  }

  function render(data) {
    var calls = (data && data.calls) || [];
    if (!calls.length) {
      var empty = el("tr");
      var cell = el("td", "empty", "暂无 / none");
      cell.colSpan = 5;
      empty.appendChild(cell);
      body.replaceChildren(empty);
      return;
    }
    body.replaceChildren.apply(body, calls.map(row));
  }

  function load() {
    return request("GET", "/api/dashboard/calls").then(render).catch(function () { /* retried */ });
  }

  load();
  setInterval(load, 3000);
})();
