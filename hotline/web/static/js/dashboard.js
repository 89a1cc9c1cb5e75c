/* The supervisor's live dashboard: state, live updates, alerts and their alarm.
 *
 * One source of truth: the latest snapshot (Socket.IO "snapshot" on connect, then the
 * server's coalesced "dashboard" pushes, or GET /api/dashboard while the socket is down).
 * Snapshots carry a `seq` (build time, ms); an older one arriving late is dropped.
 * Alerts arrive inside the pushes (the dashboard room is spared raw events, see
 * hotline/live/dashboard_feed.py); raw "alert" / "alert.ack" events are applied at once
 * if a socket gets them. The supervisor's own acknowledgement removes the alert here at
 * once, and acknowledged ids are remembered briefly so that a snapshot built just
 * before the click cannot bring the alert back.
 */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  if (!root) return;

  var F = window.HotlineDashFormat;
  var R = window.HotlineDashRender;
  var Alarm = window.HotlineAlarm;
  var $ = function (id) { return document.getElementById(id); };
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";
  var ACK_MEMORY_MS = 60000;

  var view = { snapshot: null, lastSeq: 0, alerts: {}, acked: {}, socketUp: false, chart: null, chartLine: "" };

  // ---- snapshots ---------------------------------------------------------------------------
  function onSnapshot(snapshot) {
    if (!snapshot || typeof snapshot !== "object" || !snapshot.lines) return;
    if (snapshot.seq && snapshot.seq < view.lastSeq) return;
    view.lastSeq = snapshot.seq || view.lastSeq;
    view.snapshot = snapshot;
    F.syncClock(snapshot.now, snapshot.day && snapshot.day.zone);
    view.alerts = {};
    (snapshot.alerts || []).forEach(function (alert) { if (!isAcked(alert.id)) view.alerts[alert.id] = alert; });
    render();
  }

  function render() {
    var snapshot = view.snapshot;
    if (!snapshot) return;
    R.kpis(snapshot);
    R.lines(snapshot);
    R.counselors(snapshot);
    R.blocked(snapshot);
    renderAlerts();
    renderChart();
    root.setAttribute("aria-busy", "false");
    root.dataset.seq = String(view.lastSeq);
    R.tick();
  }

  // ---- alerts ---------------------------------------------------------------------------------
  function isAcked(id) {
    var at = view.acked[id];
    return at !== undefined && Date.now() - at < ACK_MEMORY_MS;
  }

  /* The "alert" event has the store's field names; the snapshot's are shorter. */
  function fromEvent(payload) {
    return { id: payload.id, kind: payload.kind, level: payload.level, raised_at: payload.raised_at,
             call: payload.call_sid || null, line: payload.line_id || null, counselor: payload.counselor_id || null,
             counselor_name: counselorName(payload.counselor_id), message: payload.message || "",
             sounding: !!payload.sounding };
  }

  function counselorName(id) {
    var people = (view.snapshot && view.snapshot.counselors) || [];
    for (var i = 0; i < people.length; i++) if (people[i].id === id) return people[i].name;
    return null;
  }

  function onAlert(payload) {
    if (!payload || !payload.id || isAcked(payload.id)) return;
    var alert = fromEvent(payload);
    var isNew = !view.alerts[alert.id];
    view.alerts[alert.id] = alert;
    renderAlerts();
    if (isNew) announce((F.LEVEL_LABELS[alert.level] || alert.level) + "：" + (alert.message || ""));
  }

  function onAck(payload) {
    if (!payload || !payload.id) return;
    view.acked[payload.id] = Date.now();
    delete view.alerts[payload.id];
    renderAlerts();
  }

  function renderAlerts() {
    var list = Object.keys(view.alerts).map(function (id) { return view.alerts[id]; });
    list.sort(function (a, b) {
      return Number(b.sounding) - Number(a.sounding) || String(a.raised_at).localeCompare(String(b.raised_at));
    });
    R.alerts(list, view.snapshot ? R.lineNames(view.snapshot) : {}, acknowledge);
    var sounding = list.some(function (alert) { return alert.sounding; });
    Alarm.set(sounding);
    document.body.dataset.alarm = sounding ? "on" : "off";
    $("alarm-unlock").hidden = !sounding || Alarm.state() === "running";
  }

  function acknowledge(id, button) {
    button.disabled = true;
    fetch("/api/alerts/" + encodeURIComponent(id) + "/ack", {
      method: "POST", credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: "{}"
    }).then(function (response) {
      if (response.status === 401) window.location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      if (!response.ok) throw new Error("HTTP " + response.status);
      onAck({ id: id });
      announce("已确认提醒 / Alert acknowledged.");
    }).catch(function (error) {
      button.disabled = false;
      showMessage("确认失败，请重试 / could not acknowledge: " + error.message, "error");
    });
  }

  // ---- the chart ---------------------------------------------------------------------------------
  function renderChart() {
    if (!view.chart) return;
    var snapshot = view.snapshot;
    fillChartSelect(snapshot.lines || []);
    var source = snapshot.today;
    if (view.chartLine) {
      var line = (snapshot.lines || []).filter(function (l) { return l.id === view.chartLine; })[0];
      source = line ? line.today : null;
    }
    view.chart.update(source ? source.hourly : null);
  }

  function fillChartSelect(lines) {
    var select = $("chart-line");
    if (select.options.length === lines.length + 1) return;
    lines.forEach(function (line) {
      if (select.querySelector('option[value="' + CSS.escape(line.id) + '"]')) return;
      var option = document.createElement("option");
      option.value = line.id;
      option.textContent = line.name;
      select.appendChild(option);
    });
  }

  // ---- messages -----------------------------------------------------------------------------------
  function showMessage(text, kind) {
    var box = $("message");
    box.className = "alert alert-" + (kind || "info");
    box.textContent = text;
    box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 8000);
  }

  function announce(text) {
    var live = $("announcer");
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 60);
  }

  function connection(kind, text) {
    var pill = $("connection");
    pill.className = "pill conn conn-" + kind;
    pill.textContent = text;
  }

  // ---- live updates --------------------------------------------------------------------------------
  function poll() {
    return fetch("/api/dashboard", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) window.location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(onSnapshot).catch(function (error) {
        connection("error", "数据暂不可用 / data unavailable: " + error.message);
      });
  }

  function connectSocket() {
    if (typeof window.io !== "function") {
      connection("error", "实时连接不可用，每 5 秒刷新 / live updates unavailable; refreshing every 5 s");
      poll();
      setInterval(poll, 5000);
      return;
    }
    var socket = window.io({ auth: { page: "dashboard" } });
    socket.on("connect", function () { view.socketUp = true; connection("ok", "已连接 / Live"); });
    socket.on("disconnect", function () { view.socketUp = false; connection("wait", "重新连接中… / Reconnecting…"); });
    socket.on("connect_error", function () { connection("wait", "重新连接中… / Reconnecting…"); });
    socket.on("snapshot", function (data) {
      if (data && data.dashboard) onSnapshot(data.dashboard);
      else if (data && data.error) setTimeout(function () { socket.emit("sync", { page: "dashboard" }); }, 2000);
    });
    socket.on("dashboard", onSnapshot);
    socket.on("alert", onAlert);
    socket.on("alert.ack", onAck);
    setInterval(function () { if (!view.socketUp) poll(); }, 5000);   // polling while cut off
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && socket.connected) socket.emit("sync", { page: "dashboard" });
    });
  }

  // ---- wiring -----------------------------------------------------------------------------------------
  function enableSound() {
    Alarm.unlock();
    var button = $("sound");
    setTimeout(function () {
      var on = Alarm.state() === "running";
      button.setAttribute("aria-pressed", String(on));
      button.classList.toggle("btn-success", on);
      $("sound-zh").textContent = on ? "报警声音已启用" : "启用报警声音";
      $("sound-en").textContent = on ? "/ Alarm sound on" : "/ Enable alarm sound";
      $("alarm-unlock").hidden = true;
      renderAlerts();
    }, 150);
  }

  function wire() {
    view.chart = window.HotlineHourlyChart.create($("hourly-chart"));
    $("chart-fallback").hidden = view.chart.available;
    $("chart-line").addEventListener("change", function (event) { view.chartLine = event.target.value; renderChart(); });
    $("sound").addEventListener("click", function () { enableSound(); setTimeout(function () { Alarm.burst(); }, 200); });
    document.addEventListener("pointerdown", enableSound, { once: true });
    document.addEventListener("keydown", enableSound, { once: true });
    setInterval(function () { R.tick(); }, 1000);
  }

  wire();
  connectSocket();
})();
