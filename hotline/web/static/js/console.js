/* Hotline counselor console: status, ringing offers, the active call, notes, wrap-up.
 *
 * One source of truth: the state object from GET /api/console/state (and the identical
 * Socket.IO "snapshot"). Events only trigger a quick re-render or a re-fetch of that
 * state, so a missed or reordered event can never leave the page wrong for long.
 * Times come from the server clock (state.now) so countdowns agree with the server.
 */
(function () {
  "use strict";

  var root = document.getElementById("console");
  if (!root) return;

  var $ = function (id) { return document.getElementById(id); };
  var userId = Number(root.dataset.userId);
  var simulator = root.dataset.simulator === "true";
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";

  var BLOCKED_PREFIX = "尚不能结束通话记录";   // hotline.triage.actions.blocked_message
  var STATE_LABELS = {
    available: "可接听 / Available", offered: "来电响铃 / Ringing", on_call: "通话中 / On a call",
    wrap_up: "整理中 / Wrap-up", "break": "休息 / Break", offline: "离线 / Offline"
  };
  var IDLE_TEXT = {
    available: "正在等待来电… / Waiting for a call…",
    "break": "休息中。选择“可接听”以接听来电。/ On break. Choose Available to take calls.",
    offline: "您当前离线。选择“可接听”开始接听。/ You are offline. Choose Available to start taking calls."
  };
  var WITHDRAWN_TEXT = {
    declined: "已拒接该来电 / Call declined.",
    caller_hung_up: "来电者已挂断 / The caller hung up.",
    timeout: "未及时接听，已将您设为休息 / Offer timed out: you are now on break."
  };
  var HISTORY_LABELS = {
    previous_contacts: "既往来电 / Previous contacts", last_contact_at: "上次来电 / Last contact",
    last_risk_level: "上次风险等级 / Last risk level", open_referrals: "未结转介 / Open referrals"
  };
  var RISK_LABELS = {
    none: "无 / none", low: "低 / low", moderate: "中 / moderate", high: "高 / high", imminent: "紧急 / imminent"
  };
  var MENU_FALLBACK = { none: "未选择 / none", transfer: "转接而来 / transferred in" };

  var view = {
    state: null, clockOffset: 0, offerSid: null, notesSid: null, busy: false,
    acceptPending: false, refreshTimer: null, socketUp: false, messageTimer: null
  };

  // ---- server clock and formatting -------------------------------------------------
  function serverNow() { return Date.now() + view.clockOffset; }

  function syncClock(iso) {
    var at = Date.parse(iso || "");
    if (!isNaN(at)) view.clockOffset = at - Date.now();
  }

  function clock(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = String(m).padStart(2, "0") + ":" + String(r).padStart(2, "0");
    return h ? h + ":" + mm : mm;
  }

  function secondsSince(iso) { return (serverNow() - Date.parse(iso)) / 1000; }
  function secondsUntil(iso) { return (Date.parse(iso) - serverNow()) / 1000; }

  function waitedText(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    return seconds < 60 ? Math.max(0, Math.round(seconds)) + " 秒 / s" : clock(seconds);
  }

  function dateText(iso) {
    var at = new Date(iso);
    if (isNaN(at.getTime())) return String(iso);
    return at.toLocaleString("zh-CN", { dateStyle: "medium", timeStyle: "short" });
  }

  function presenceState() {
    var p = view.state && view.state.presence;
    return p ? p.state : "offline";
  }

  // ---- messages and announcements ----------------------------------------------------
  function showMessage(text, kind) {
    var box = $("message");
    box.className = "alert alert-" + (kind || "info");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(view.messageTimer);
    if (kind !== "error") view.messageTimer = setTimeout(function () { box.hidden = true; }, 8000);
  }

  function announce(text) {
    var live = $("announcer");
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 60);
  }

  // ---- the API ---------------------------------------------------------------------
  function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
      options.body = JSON.stringify(body || {});
    }
    return fetch(path, options).then(function (response) {
      if (response.status === 401) {
        window.location.href = "/login?next=" + encodeURIComponent("/console");
      }
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) {
          var error = new Error((data && (data.message || data.error)) || "HTTP " + response.status);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  /* Run one action; its answer is the new console state. Buttons stay off meanwhile. */
  function act(method, path, body) {
    if (view.busy) return Promise.resolve(null);
    setBusy(true);
    return api(method, path, body).then(function (state) {
      if (state && state.counselor) render(state);
      return state;
    }).catch(function (error) {
      if (error.status === 409 && isBlockedMessage(error.message) && panelSaysBlocked()) {
        $("message").hidden = true;           // the triage panel already says it: never twice
        announce(error.message);
      } else showMessage(error.message, "error");
      refresh();
      return null;
    }).finally(function () { setBusy(false); });
  }

  function setBusy(busy) {
    view.busy = busy;
    root.setAttribute("aria-busy", busy ? "true" : "false");
    document.querySelectorAll("#console button").forEach(function (button) {
      if (button.id !== "test-sound") button.disabled = busy || button.dataset.locked === "true";
    });
  }

  function refresh() {
    return api("GET", "/api/console/state").then(render).catch(function (error) {
      showMessage("无法获取状态 / cannot load the console state: " + error.message, "error");
    });
  }

  function scheduleRefresh(delay) {
    clearTimeout(view.refreshTimer);
    view.refreshTimer = setTimeout(refresh, delay === undefined ? 120 : delay);
  }

  // ---- rendering ---------------------------------------------------------------------
  function render(state) {
    view.state = state;
    syncClock(state.now);
    renderPresence(state.presence);
    renderOffer(state.offer);
    renderCall(state);
    renderWrapUp(state.presence);
    renderNotes(state);
    renderBlocked(state.blocked);
    renderIdle(state);
    renderLines(state);
    tick();
    announceState(state);
  }

  /* The triage panel (triage-form.js) follows the call the notes follow: on the call, and
     in wrap-up still the call just ended. It learns both, and the clock offset, from here. */
  function announceState(state) {
    document.dispatchEvent(new CustomEvent("hotline:console-state", {
      detail: { state: state, callSid: view.notesSid, clockOffset: view.clockOffset }
    }));
  }

  function renderPresence(presence) {
    var state = presence ? presence.state : "offline";
    $("presence-pill").className = "pill presence-" + state;
    $("presence-label").textContent = STATE_LABELS[state] || state;
    var locked = state === "offered" || state === "on_call";
    document.querySelectorAll(".status-btn").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.state === state));
      button.dataset.locked = String(locked);
      button.disabled = locked || view.busy;
    });
    $("status-hint").textContent = locked
      ? "通话处理中不能切换状态 / You cannot switch status during an offer or a call." : "";
  }

  function renderOffer(offer) {
    var card = $("offer");
    if (!offer) {
      card.hidden = true;
      view.offerSid = null;
      Ringer.stop();
      return;
    }
    var isNew = view.offerSid !== offer.call;
    view.offerSid = offer.call;
    view.offerArrivedAt = serverNow() - (offer.waited_s || 0) * 1000;
    if (isNew) view.offerTotal = offer.expires_at ? Math.max(secondsUntil(offer.expires_at), 1) : 0;
    $("offer-line").textContent = offer.line_name || offer.line || "—";
    $("offer-menu").textContent = menuLabel(offer.line, offer.menu);
    $("offer-crisis").hidden = !offer.crisis;
    $("offer-priority").hidden = !(offer.priority > 0);
    $("offer-priority").textContent = offer.priority_label || "优先 / priority";
    $("offer-continuity").hidden = !offer.continuity;
    $("offer-withheld").hidden = !offer.withheld;
    $("offer-flagged").hidden = !offer.flagged;
    if (offer.warning) $("offer-warning").textContent = offer.warning;
    renderHistory(offer.history);
    card.hidden = false;
    if (isNew) ringFor(offer);
  }

  function ringFor(offer) {
    Ringer.start();
    announce("新来电：" + (offer.line_name || offer.line || "") + (offer.flagged ? "，高风险来电者" : "") +
             "。按 A 接听，按 D 拒接。 / Incoming call. Press A to accept, D to decline.");
    var active = document.activeElement;
    if (!active || active === document.body || active.classList.contains("status-btn")) $("accept").focus();
  }

  function menuLabel(lineId, value) {
    if (!value) return "—";
    var line = lineById(lineId);
    if (line && line.menu && line.menu[value]) return line.menu[value];
    return MENU_FALLBACK[value] || value;
  }

  function lineById(lineId) {
    var lines = (view.state && view.state.lines) || [];
    for (var i = 0; i < lines.length; i++) if (lines[i].id === lineId) return lines[i];
    return null;
  }

  function renderHistory(history) {
    var list = $("offer-history-list");
    list.replaceChildren();
    var keys = Object.keys(history || {});
    var repeat = history && (history.previous_contacts !== 0 || keys.some(function (k) {
      return !(k in HISTORY_LABELS) && history[k] !== null;
    }));
    $("offer-history").hidden = !repeat;
    if (!repeat) return;
    var known = Object.keys(HISTORY_LABELS).filter(function (k) { return k in history; });
    var others = keys.filter(function (k) { return !(k in HISTORY_LABELS); }).sort();
    known.concat(others).forEach(function (key) { list.appendChild(historyItem(key, history[key])); });
  }

  function historyItem(key, value) {
    var item = document.createElement("div");
    var dt = document.createElement("dt");
    var dd = document.createElement("dd");
    dt.textContent = HISTORY_LABELS[key] || key;
    fillHistoryValue(dd, key, value);
    item.append(dt, dd);
    return item;
  }

  function fillHistoryValue(dd, key, value) {
    if (value === null || value === undefined) {
      dd.textContent = key === "previous_contacts" ? "档案暂不可用 / caller file unavailable" : "—";
    } else if (key === "last_contact_at") {
      dd.textContent = dateText(value);
    } else if (key === "last_risk_level") {
      var pill = document.createElement("span");
      pill.className = "pill risk-" + value;
      pill.textContent = RISK_LABELS[value] || value;
      dd.appendChild(pill);
    } else if (Array.isArray(value)) {
      dd.textContent = value.length ? value.map(describe).join("；") : "0";
    } else {
      dd.textContent = describe(value);
    }
  }

  function describe(value) {
    if (value && typeof value === "object") {
      return value.name || value.label || value.institution || value.status || JSON.stringify(value);
    }
    return String(value);
  }

  function renderCall(state) {
    var onCall = presenceState() === "on_call" && state.call;
    $("call").hidden = !onCall;
    if (!onCall) return;
    $("call-line").textContent = state.call.line_name || state.call.line || "—";
    $("call-waited").textContent = waitedText(state.call.waited_s);
    fillTransferSelect(state.lines, state.call.line);
  }

  function fillTransferSelect(lines, currentLine) {
    var select = $("transfer-line");
    if (select.dataset.filledFor === currentLine) return;
    select.dataset.filledFor = currentLine || "";
    select.replaceChildren(option("", "选择转接线路… / Transfer to…", true));
    var groups = [["本中心线路 / Our lines", true], ["其他热线 / Other hotlines", false]];
    groups.forEach(function (group) {
      var optgroup = document.createElement("optgroup");
      optgroup.label = group[0];
      lines.filter(function (l) { return l.hosted === group[1] && l.id !== currentLine; })
        .forEach(function (l) { optgroup.appendChild(option(l.id, l.name, false)); });
      if (optgroup.children.length) select.appendChild(optgroup);
    });
  }

  function option(value, label, placeholder) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    if (placeholder) { element.disabled = true; element.selected = true; }
    return element;
  }

  function renderWrapUp(presence) {
    $("wrapup").hidden = !(presence && presence.state === "wrap_up");
  }

  /* Notes belong to the call being talked, and in wrap-up still to that call: the page
     remembers it, since the server's record of it may lag a moment behind the hang-up. */
  function renderNotes(state) {
    var s = presenceState();
    if (s === "on_call" && state.call) view.lastCallSid = state.call.call_sid;
    var sid = null;
    if (s === "on_call" && state.call) sid = state.call.call_sid;
    if (s === "wrap_up") sid = view.lastCallSid || (state.blocked && state.blocked.call_sid) ||
                                (state.call && state.call.call_sid) || null;
    // A record the close guard holds open survives a reload, a break and a new sign-in: open it.
    if (s !== "on_call" && s !== "offered" && s !== "wrap_up" && state.blocked) sid = state.blocked.call_sid;
    $("notes").hidden = !sid;
    if (sid === view.notesSid) return;
    view.notesSid = sid;
    $("note-list").replaceChildren();
    if (sid) loadNotes(sid);
  }

  /* What still blocks the record is said once, by the triage panel (#triage-blockers), which
     is open on the blocked record (state.blocked). A refused Ready says it only when the panel
     does not, and that message goes as soon as the state no longer carries a blocked record. */
  function renderBlocked(blocked) {
    if (!blocked && isBlockedMessage($("message").textContent)) $("message").hidden = true;
  }

  function panelSaysBlocked() {
    var box = $("triage-blockers");
    return !!box && !box.hidden && !$("triage").hidden;
  }

  function isBlockedMessage(text) { return (text || "").indexOf(BLOCKED_PREFIX) === 0; }

  function renderIdle(state) {
    var s = presenceState();
    var idle = s === "available" || s === "break" || s === "offline";
    $("idle").hidden = !idle;
    if (!idle) return;
    var text = IDLE_TEXT[s];
    if (!state.counselor.lines.length) {
      text = "您还没有分配可接听的线路，请联系管理员。/ You have no lines assigned; ask an administrator.";
    }
    $("idle-text").textContent = text;
  }

  function renderLines(state) {
    var list = $("my-lines");
    if (list.dataset.filled === "true") return;
    list.dataset.filled = "true";
    state.counselor.lines.forEach(function (lineId) {
      var item = document.createElement("li");
      var line = lineById(lineId);
      item.textContent = line ? line.name : lineId;
      list.appendChild(item);
    });
    if (!state.counselor.lines.length) list.appendChild(document.createTextNode("—"));
  }

  // ---- timers (twice a second) -----------------------------------------------------------
  function tick() {
    var state = view.state;
    if (!state) return;
    if (state.presence) $("presence-since").textContent = clock(secondsSince(state.presence.since));
    if (state.offer) tickOffer(state.offer);
    if (state.call && state.call.answered_at && !$("call").hidden) {
      $("call-timer").textContent = clock(secondsSince(state.call.answered_at));
    }
    if (state.presence && state.presence.state === "wrap_up" && state.presence.until) {
      $("wrapup-countdown").textContent = clock(secondsUntil(state.presence.until));
    }
  }

  function tickOffer(offer) {
    $("offer-waited").textContent = waitedText((serverNow() - view.offerArrivedAt) / 1000);
    if (!offer.expires_at) { $("offer-countdown").textContent = ""; return; }
    var left = secondsUntil(offer.expires_at);
    var total = Math.max(view.offerTotal || 1, left, 1);
    $("offer-bar").style.width = Math.max(0, Math.min(100, 100 * left / total)) + "%";
    $("offer-countdown").textContent = left > 0
      ? "请在 " + Math.ceil(left) + " 秒内接听 / answer within " + Math.ceil(left) + " s"
      : "即将转给其他咨询师… / passing it on…";
  }

  // ---- actions ------------------------------------------------------------------------------
  function accept() {
    if (!view.offerSid || view.busy) return;
    Ringer.stop();
    view.acceptPending = true;
    act("POST", "/api/console/offers/" + encodeURIComponent(view.offerSid) + "/accept").then(function (state) {
      view.acceptPending = false;
      if (state) { announce("已接听 / Call accepted."); ($("triage-form").querySelector("input, textarea") || $("note-text")).focus(); }
    });
  }

  function decline() {
    if (!view.offerSid || view.busy) return;
    Ringer.stop();
    act("POST", "/api/console/offers/" + encodeURIComponent(view.offerSid) + "/decline");
  }

  function callPath(suffix) {
    return "/api/console/calls/" + encodeURIComponent(view.state.call.call_sid) + suffix;
  }

  function hangup() {
    if (!view.state || !view.state.call) return;
    Softphone.hangup();
    act("POST", callPath("/hangup")).then(function (state) {
      if (state) announce("通话已结束，进入整理 / Call ended; wrap-up started.");
    });
  }

  function transfer() {
    var line = $("transfer-line").value;
    if (!line) { showMessage("请先选择线路 / Choose a line first.", "warning"); $("transfer-line").focus(); return; }
    act("POST", callPath("/transfer"), { line: line }).then(function (state) {
      if (state) showMessage("已转接 / Transferred to " + (lineById(line) || { name: line }).name + ".", "success");
    });
  }

  function saveNote() {
    var text = $("note-text").value.trim();
    var sid = view.notesSid;
    if (!text || !sid) return Promise.resolve(true);
    $("note-save").disabled = true;
    return api("POST", "/api/console/calls/" + encodeURIComponent(sid) + "/notes", { text: text })
      .then(function (note) {
        $("note-text").value = "";
        $("note-list").appendChild(noteItem(note));
        announce("记录已保存 / Note saved.");
        return true;
      }).catch(function (error) {
        showMessage("记录未保存 / Note not saved: " + error.message, "error");
        return false;
      }).finally(function () { $("note-save").disabled = false; });
  }

  function loadNotes(sid) {
    api("GET", "/api/console/calls/" + encodeURIComponent(sid) + "/notes").then(function (data) {
      if (view.notesSid !== sid) return;
      $("note-list").replaceChildren.apply($("note-list"), data.notes.map(noteItem));
    }).catch(function (error) {
      if (error.status !== 403) showMessage("无法读取记录 / cannot load notes: " + error.message, "error");
    });
  }

  function noteItem(note) {
    var item = document.createElement("li");
    var when = document.createElement("span");
    var body = document.createElement("p");
    when.className = "small muted";
    when.textContent = dateText(note.created_at);
    body.className = "note-body";
    body.textContent = note.text === null ? "（无法解密 / cannot be decrypted）" : note.text;
    item.append(when, body);
    return item;
  }

  /* Ready saves a note still in the box first: nothing typed in wrap-up is lost. */
  function ready() {
    saveNote().then(function (saved) { if (saved) act("POST", "/api/console/ready"); });
  }

  function extend() { act("POST", "/api/console/wrap-up/extend", { seconds: 60 }); }

  function setPresence(state) { act("POST", "/api/console/presence", { state: state }); }

  // ---- sound and softphone (console-ringer.js, console-softphone.js) --------------------------
  var Ringer = window.HotlineRinger;
  var Softphone = simulator || !window.HotlineSoftphone ? { start: function () {}, hangup: function () {} }
    : window.HotlineSoftphone.create({
      expectingBridge: function () { return view.acceptPending || presenceState() === "on_call"; },
      status: audioMode,
      ended: function () { scheduleRefresh(); }
    });

  function audioMode(text, problem) {
    var pill = $("audio-mode");
    pill.textContent = text;
    pill.classList.toggle("pill-problem", !!problem);
  }

  // ---- live updates (Socket.IO) ----------------------------------------------------------------
  function connectSocket() {
    if (typeof window.io !== "function") {
      connection("error", "实时连接不可用，每 5 秒刷新 / live updates unavailable; refreshing every 5 s");
      setInterval(refresh, 5000);
      return;
    }
    var socket = window.io({ auth: { page: "console" } });
    socket.on("connect", function () { view.socketUp = true; connection("ok", "已连接 / Live"); });
    socket.on("disconnect", function () { view.socketUp = false; connection("wait", "重新连接中… / Reconnecting…"); });
    socket.on("connect_error", function () { connection("wait", "重新连接中… / Reconnecting…"); });
    socket.on("snapshot", onSnapshot);
    socket.on("offer", onOffer);
    socket.on("offer.withdrawn", onWithdrawn);
    socket.on("call.answered", function (p) { if (Number(p.counselor) === userId) scheduleRefresh(); });
    socket.on("call.ended", onEnded);
    socket.on("presence", function (p) { if (Number(p.counselor) === userId) scheduleRefresh(); });
    setInterval(function () { if (!view.socketUp) refresh(); }, 5000);   // polling while cut off
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && socket.connected) socket.emit("sync", { page: "console" });
    });
  }

  function connection(kind, text) {
    var pill = $("connection");
    pill.className = "pill conn conn-" + kind;
    pill.textContent = text;
  }

  function onSnapshot(snapshot) {
    if (snapshot && snapshot.counselor) render(snapshot);
    else if (snapshot && snapshot.error) scheduleRefresh(2000);
  }

  /* Offers also reach everyone in the line's room; only ours may ring. An event that
     names its counselor is checked at once, any other is confirmed by the state API. */
  function onOffer(offer) {
    if (offer.counselor === undefined || !view.state) { scheduleRefresh(0); return; }
    if (Number(offer.counselor) !== userId) return;
    view.state.offer = offer;
    view.state.presence = Object.assign({}, view.state.presence, { state: "offered", call: offer.call });
    render(view.state);
    scheduleRefresh(300);
  }

  function onWithdrawn(payload) {
    if (!view.offerSid || payload.call !== view.offerSid) return;
    Ringer.stop();
    var text = payload.notice || WITHDRAWN_TEXT[payload.reason];
    if (text && payload.reason !== "declined") showMessage(text, payload.reason === "timeout" ? "warning" : "info");
    scheduleRefresh(0);
  }

  function onEnded(payload) {
    var mine = Number(payload.counselor) === userId ||
      (view.state && view.state.call && view.state.call.call_sid === payload.call);
    if (!mine) return;
    Softphone.hangup();
    scheduleRefresh(0);
  }

  // ---- wiring --------------------------------------------------------------------------------------
  function isTyping(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function onKey(event) {
    Ringer.unlock();
    if (event.ctrlKey && event.key === "Enter" && event.target === $("note-text")) {
      event.preventDefault();
      saveNote();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTyping(event.target)) return;
    if ($("offer").hidden) return;
    var key = (event.key || "").toLowerCase();
    if (key === "a") { event.preventDefault(); accept(); }
    if (key === "d") { event.preventDefault(); decline(); }
  }

  function wire() {
    document.querySelectorAll(".status-btn").forEach(function (button) {
      button.addEventListener("click", function () { setPresence(button.dataset.state); });
    });
    $("accept").addEventListener("click", accept);
    $("decline").addEventListener("click", decline);
    $("hangup").addEventListener("click", hangup);
    $("transfer").addEventListener("click", transfer);
    $("extend").addEventListener("click", extend);
    $("ready").addEventListener("click", ready);
    // A referral or checklist just recorded may release the block: fetch the state again.
    document.addEventListener("hotline:triage-changed", function () { scheduleRefresh(); });
    $("note-form").addEventListener("submit", function (event) { event.preventDefault(); saveNote(); });
    $("test-sound").addEventListener("click", function () { Ringer.unlock(); setTimeout(function () { Ringer.burst(); }, 50); });
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", function () { Ringer.unlock(); }, { once: true });
    setInterval(tick, 500);
  }

  wire();
  refresh();
  connectSocket();
  Softphone.start();
})();
