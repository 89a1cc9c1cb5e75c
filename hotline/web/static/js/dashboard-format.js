/* Words and numbers for the dashboard: labels (zh first), durations, times, rates.
 *
 * Times use the server's clock (an offset learned from each snapshot's `now`) and the
 * service's zone (snapshot.day.zone), so a wall screen with a wrong clock or zone
 * still shows the hotline's own time. Exposes window.HotlineDashFormat.
 */
(function () {
  "use strict";

  var STATE_LABELS = {
    available: "可接听 / Available", offered: "响铃中 / Ringing", on_call: "通话中 / On a call",
    wrap_up: "整理中 / Wrap-up", "break": "休息 / Break", offline: "离线 / Offline"
  };
  var LEVEL_LABELS = {
    imminent: "紧急风险 / Imminent risk", high: "高风险 / High risk", gap: "无人值班 / Coverage gap"
  };
  var KIND_LABELS = { risk: "风险 / Risk", coverage: "覆盖 / Coverage", blocked: "记录未完成 / Record open" };

  var clockOffset = 0;
  var zone = "Asia/Shanghai";

  function syncClock(nowIso, zoneName) {
    var at = Date.parse(nowIso || "");
    if (!isNaN(at)) clockOffset = at - Date.now();
    if (zoneName) zone = zoneName;
  }

  function serverNow() { return Date.now() + clockOffset; }

  function secondsSince(iso) {
    var at = Date.parse(iso || "");
    return isNaN(at) ? null : Math.max(0, (serverNow() - at) / 1000);
  }

  /* 75 → "01:15", 3725 → "1:02:05"; null → "–". */
  function duration(seconds) {
    if (seconds === null || seconds === undefined || isNaN(seconds)) return "–";
    var s = Math.max(0, Math.round(seconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = String(m).padStart(2, "0") + ":" + String(r).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  /* "3 分钟前 / 3 min ago" for alerts: coarse on purpose, it is read from afar. */
  function ago(iso) {
    var s = secondsSince(iso);
    if (s === null) return "";
    if (s < 60) return Math.round(s) + " 秒前 / " + Math.round(s) + " s ago";
    var m = Math.floor(s / 60);
    if (m < 60) return m + " 分钟前 / " + m + " min ago";
    return duration(s) + " 前 / ago";
  }

  function percent(rate) {
    return rate === null || rate === undefined ? "–" : Math.round(rate * 100) + "%";
  }

  function count(value) { return value === null || value === undefined ? "–" : String(value); }

  function dayKey(at) {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  }

  /* "18:00" today, "周二 09:00" on another day — in the service's zone. */
  function when(iso) {
    var at = new Date(iso);
    if (isNaN(at.getTime())) return "";
    var time = new Intl.DateTimeFormat("zh-CN", { timeZone: zone, hour: "2-digit", minute: "2-digit", hour12: false }).format(at);
    if (dayKey(at) === dayKey(new Date(serverNow()))) return time;
    var day = new Intl.DateTimeFormat("zh-CN", { timeZone: zone, weekday: "short", month: "numeric", day: "numeric" }).format(at);
    return day + " " + time;
  }

  function clockText() {
    return new Intl.DateTimeFormat("zh-CN", { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit",
                                              hour12: false }).format(new Date(serverNow()));
  }

  /* CallSids are long; the tail is enough to tell calls apart on screen (full one in title). */
  function shortSid(sid) { return sid ? "…" + String(sid).slice(-6) : ""; }

  window.HotlineDashFormat = {
    STATE_LABELS: STATE_LABELS, LEVEL_LABELS: LEVEL_LABELS, KIND_LABELS: KIND_LABELS,
    syncClock: syncClock, serverNow: serverNow, secondsSince: secondsSince, duration: duration, ago: ago,
    percent: percent, count: count, when: when, clockText: clockText, shortSid: shortSid
  };
})();
