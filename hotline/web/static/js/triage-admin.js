/* Supervisors' triage pages: local times, action buttons, and live risk alerts.
 *
 * Buttons with data-post send a JSON POST (X-CSRFToken) and reload the page, so what is
 * shown is always what the server has. On the overview, Socket.IO "alert" events add
 * risk alerts at once (an imminent one sounds) and "alert.ack" removes them.
 */
(function () {
  "use strict";

  var root = document.getElementById("triage-admin");
  if (!root) return;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";
  var LEVELS = { none: "无 / none", low: "低 / low", moderate: "中 / moderate", high: "高 / high",
                 imminent: "紧急 / imminent", due: "到期 / due" };

  function localTime(iso) {
    var at = new Date(iso);
    return isNaN(at.getTime()) ? (iso || "—") : at.toLocaleString("zh-CN", { dateStyle: "medium", timeStyle: "short" });
  }

  function showTimes(scope) {
    (scope || document).querySelectorAll("time[data-time]").forEach(function (el) {
      el.textContent = localTime(el.getAttribute("datetime"));
    });
  }

  function post(button) {
    var body = button.dataset.status ? { status: button.dataset.status } : {};
    button.disabled = true;
    fetch(button.dataset.post, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) return response.json().then(function (d) { throw new Error(d && d.message); });
      window.location.reload();
    }).catch(function (error) {
      button.disabled = false;
      window.alert("操作失败 / failed: " + (error.message || ""));
    });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-post]");
    if (button) post(button);
  });

  // ---- live alerts (overview only) ---------------------------------------------------------
  var list = document.getElementById("risk-alerts");

  function alertItem(alert) {
    var item = document.createElement("li");
    item.className = "risk-alert risk-edge-" + alert.level;
    item.dataset.alert = alert.id;
    item.dataset.level = alert.level;
    if (alert.kind === "risk" || alert.kind === "blocked") {
      var pill = document.createElement("span");
      pill.className = "pill risk-" + alert.level;
      pill.textContent = LEVELS[alert.level] || alert.level;
      item.append(pill, " ");
    }
    var text = document.createElement("span");
    text.textContent = alert.message || "";
    var when = document.createElement("time");
    when.className = "num";
    when.textContent = localTime(alert.raised_at);
    item.append(text, " ", when);
    return item;
  }

  function onAlert(alert) {
    // blocked: a counselor left (break, offline, signed out) with a high-risk record still open
    if (!alert || ["risk", "follow_up", "blocked"].indexOf(alert.kind) < 0) return;
    if (list.querySelector('[data-alert="' + alert.id + '"]')) return;
    list.insertBefore(alertItem(alert), list.firstChild);
    document.getElementById("no-alerts").hidden = true;
    if (alert.sounding && window.HotlineRinger) window.HotlineRinger.burst();
  }

  function onAck(payload) {
    var item = list.querySelector('[data-alert="' + (payload && payload.id) + '"]');
    if (item) item.remove();
    document.getElementById("no-alerts").hidden = list.children.length > 0;
  }

  function connect() {
    var pill = document.getElementById("connection");
    if (!list || typeof window.io !== "function") return;
    var socket = window.io({ auth: { page: "triage" } });
    socket.on("connect", function () { pill.className = "pill conn conn-ok"; pill.textContent = "已连接 / Live"; });
    socket.on("disconnect", function () { pill.className = "pill conn conn-wait"; pill.textContent = "重新连接中… / Reconnecting…"; });
    socket.on("alert", onAlert);
    socket.on("alert.ack", onAck);
    document.addEventListener("pointerdown", function () { if (window.HotlineRinger) window.HotlineRinger.unlock(); }, { once: true });
  }

  showTimes();
  connect();
})();
