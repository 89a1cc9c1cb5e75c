/* Drawing the dashboard from one snapshot: KPIs, line cards, alerts, counselor grid.
 *
 * Pure DOM work with textContent only (nothing from the server is parsed as HTML).
 * Line cards are created once per line and updated in place, so a repaint never
 * moves focus or scroll. Anything that counts up by itself (waits, time in a state,
 * alert age) is written as data-since and refreshed by tick() every second.
 * Exposes window.HotlineDashRender.
 */
(function () {
  "use strict";

  var F = window.HotlineDashFormat;
  var $ = function (id) { return document.getElementById(id); };
  var SHOWN = ["available", "on_call", "wrap_up", "break"];
  var QUEUE_SHOWN = 5;
  var STAFF_SHORT = { available: "可接 / avail", offered: "响铃 / ringing", on_call: "通话 / on call",
                      wrap_up: "整理 / wrap-up", "break": "休息 / break" };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function since(node, iso, format) {
    node.dataset.since = iso || "";
    node.dataset.format = format || "duration";
    node.textContent = iso ? (format === "ago" ? F.ago(iso) : F.duration(F.secondsSince(iso))) : "–";
    return node;
  }

  /* Every element with data-since counts on from its instant. */
  function tick(root) {
    (root || document).querySelectorAll("[data-since]").forEach(function (node) {
      var iso = node.dataset.since;
      if (!iso) return;
      node.textContent = node.dataset.format === "ago" ? F.ago(iso) : F.duration(F.secondsSince(iso));
      if (node.dataset.warnAfter) {
        var late = F.secondsSince(iso) >= Number(node.dataset.warnAfter);
        node.classList.toggle("is-late", late);
      }
    });
    $("clock").textContent = F.clockText();
  }

  // ---- KPIs ------------------------------------------------------------------------------
  function kpis(snapshot) {
    var totals = snapshot.totals || {};
    var today = snapshot.today || {};
    setNumber("kpi-waiting", totals.waiting, totals.waiting > 0 ? "warn" : "");
    var longest = $("kpi-longest");
    since(longest, totals.oldest_arrived_at);
    longest.dataset.warnAfter = "60";
    setNumber("kpi-in-progress", totals.in_progress);
    setNumber("kpi-available", (totals.counselors || {}).available,
              (totals.counselors || {}).available === 0 && totals.open_lines > 0 ? "bad" : "");
    setNumber("kpi-offered", today.offered);
    setNumber("kpi-answered", today.answered);
    setNumber("kpi-abandoned", today.abandoned, today.abandoned > 0 ? "warn" : "");
    setNumber("kpi-rolled-over", today.rolled_over);
    $("kpi-answer-rate").textContent = F.percent(today.answer_rate);
    $("kpi-asa").textContent = F.duration(today.asa_s);
    $("kpi-talk").textContent = F.duration(today.avg_talk_s);
    serviceLevelKpis(today);
    var gaps = totals.gaps || [];
    $("gaps").hidden = gaps.length === 0;
    $("gaps").textContent = "无人值班 " + gaps.length + " 条 / " + gaps.length + " open with nobody on shift";
    $("stale").hidden = !snapshot.today_stale;
  }

  /* Service level today and in the last hour (the formula is in the page's legend). */
  function serviceLevelKpis(today) {
    var hour = today.last_hour || {};
    $("kpi-sl-threshold").textContent = thresholdText(today.service_level_s);
    $("kpi-service-level").textContent = F.percent(today.service_level);
    $("kpi-service-level-hour").textContent = F.percent(hour.service_level);
    $("kpi-answer-rate-hour").textContent = F.percent(hour.answer_rate);
    $("kpi-asa-hour").textContent = F.duration(hour.asa_s);
  }

  /* "≤20秒"; overall with lines of different thresholds: "各线路 / per line". */
  function thresholdText(seconds) {
    return seconds ? "≤" + seconds + "秒" : "各线路 / per line";
  }

  function setNumber(id, value, level) {
    var node = $(id);
    node.textContent = F.count(value);
    var card = node.closest(".kpi");
    card.classList.toggle("kpi-warn", level === "warn");
    card.classList.toggle("kpi-bad", level === "bad");
  }

  // ---- line cards -------------------------------------------------------------------------
  function lines(snapshot) {
    var box = $("lines");
    var seen = {};
    (snapshot.lines || []).forEach(function (line, index) {
      seen[line.id] = true;
      var card = box.querySelector('[data-line="' + CSS.escape(line.id) + '"]') || newCard(line.id);
      if (box.children[index] !== card) box.insertBefore(card, box.children[index] || null);
      fillCard(card, line, snapshot);
    });
    Array.prototype.slice.call(box.children).forEach(function (child) {
      if (!child.dataset.line || !seen[child.dataset.line]) child.remove();
    });
  }

  function newCard(lineId) {
    var card = $("line-template").content.firstElementChild.cloneNode(true);
    card.dataset.line = lineId;
    return card;
  }

  function field(card, name) { return card.querySelector('[data-field="' + name + '"]'); }

  function fillCard(card, line, snapshot) {
    field(card, "name").textContent = line.name;
    field(card, "name").title = line.name_en || "";
    var open = field(card, "open");
    open.className = "pill " + (line.open ? "line-open" : "line-closed");
    open.textContent = line.open ? "开放 / Open" : "关闭 / Closed";
    field(card, "gap").hidden = !line.gap;
    card.classList.toggle("has-gap", !!line.gap);
    var busy = line.state === "busy";
    field(card, "busy").hidden = !busy;
    field(card, "busy").textContent = busy ? busyText(line.waiting) : "";
    card.classList.toggle("is-busy", busy);
    card.classList.toggle("is-closed", !line.open);
    field(card, "change").textContent = changeText(line);
    field(card, "waiting").textContent = F.count(line.waiting);
    field(card, "waiting").classList.toggle("is-warn", line.waiting > 0);
    var longest = since(field(card, "longest"), line.oldest_arrived_at);
    longest.dataset.warnAfter = "60";
    field(card, "in_progress").textContent = F.count(line.in_progress);
    field(card, "ringing").textContent = F.count(line.ringing);
    staff(field(card, "staff"), line.counselors || {});
    queue(field(card, "queue"), line.queue || []);
    today(field(card, "today"), line.today);
    lastHour(field(card, "hour"), (line.today || {}).last_hour);
    duty(card, line.duty || {});
  }

  function busyText(waiting) {
    return "全部忙碌 · " + waiting + " 位等待 / All counselors busy, " + waiting + " waiting";
  }

  function changeText(line) {
    if (line.always_open && line.open && !line.next_change) return "全天24小时 / open 24 h";
    if (!line.next_change) return line.open ? "持续开放 / no change ahead" : "暂无开放时间 / no opening ahead";
    var at = F.when(line.next_change);
    return line.open ? at + " 关闭 / closes" : at + " 开放 / opens";
  }

  function staff(node, counts) {
    node.replaceChildren();
    SHOWN.concat(counts.offered ? ["offered"] : []).forEach(function (state) {
      var pill = el("span", "pill presence-" + state, "");
      pill.append(el("span", "staff-count num", String(counts[state] || 0)), el("span", "staff-label", STAFF_SHORT[state]));
      node.appendChild(pill);
    });
  }

  function queue(node, items) {
    node.replaceChildren();
    items.slice(0, QUEUE_SHOWN).forEach(function (item) {
      var li = el("li", "queue-item" + (item.priority > 0 ? " is-priority" : ""));
      li.dataset.call = item.call;
      var sid = el("span", "mono", F.shortSid(item.call));
      sid.title = item.call;
      li.append(sid, since(el("span", "num queue-wait"), item.arrived_at));
      if (item.priority > 0) li.appendChild(el("span", "pill risk-high", "优先 / priority"));
      if (item.withheld) li.appendChild(el("span", "pill", "号码未显示 / number withheld"));
      node.appendChild(li);
    });
    var more = items.length - QUEUE_SHOWN;
    if (more > 0) node.appendChild(el("li", "small muted", "另有 " + more + " 位 / " + more + " more"));
    node.hidden = items.length === 0;
  }

  function today(node, figures) {
    node.replaceChildren();
    figures = figures || {};
    [["来电", "offered", F.count(figures.offered), "offered"], ["接听", "answered", F.count(figures.answered), "answered"],
     ["放弃", "abandoned", F.count(figures.abandoned), "abandoned"],
     ["转出", "rolled over", F.count(figures.rolled_over), "rolled-over"],
     ["接通率", "rate", F.percent(figures.answer_rate), "answer-rate"], ["平均应答", "ASA", F.duration(figures.asa_s), "asa"],
     ["平均通话", "talk", F.duration(figures.avg_talk_s), "talk"],
     ["服务水平" + thresholdText(figures.service_level_s), "SL", F.percent(figures.service_level), "service-level"]
    ].forEach(function (row) { node.appendChild(todayItem(row)); });
  }

  function lastHour(node, figures) {
    node.replaceChildren();
    figures = figures || {};
    [["近1小时服务水平", "SL, last hour", F.percent(figures.service_level), "service-level"],
     ["接通率", "rate", F.percent(figures.answer_rate), "answer-rate"],
     ["平均应答", "ASA", F.duration(figures.asa_s), "asa"]].forEach(function (row) { node.appendChild(todayItem(row)); });
  }

  /* [zh, en, value, figure id (optional: data-figure for tests and styles)] → a dt/dd pair. */
  function todayItem(row) {
    var item = el("div", "today-item" + (row[3] ? " today-" + row[3] : ""));
    var label = el("dt", "", row[0] + " ");
    label.appendChild(el("span", "en", "/ " + row[1]));
    var value = el("dd", "num", row[2]);
    if (row[3]) value.dataset.figure = row[3];
    item.append(label, value);
    return item;
  }

  var DUTY_SHOWN = 6;

  /* On a rostered line: who is on shift now and next. Without a roster the shifts hook
     answers with the counselors signed in for the line, and there is no "next". */
  function duty(card, info) {
    var rostered = info.source === "roster";
    field(card, "duty-label").textContent = rostered ? "在班 / On shift" : "已签到 / Signed in";
    var box = field(card, "duty");
    box.replaceChildren();
    var current = info.current || [];
    if (!current.length) box.appendChild(el("span", "muted", "无 / nobody"));
    current.slice(0, DUTY_SHOWN).forEach(function (person) {
      var tag = el("span", "duty-name presence-text-" + (person.state || "offline"), person.name || ("#" + person.id));
      tag.title = F.STATE_LABELS[person.state] || person.state || "";
      box.appendChild(tag);
    });
    var more = current.length - DUTY_SHOWN;
    if (more > 0) box.appendChild(el("span", "muted", " 等 " + more + " 人 / +" + more));
    var next = info.next || {};
    field(card, "next-row").hidden = !rostered && !next.start;
    var names = (next.names || []).join("、");
    field(card, "next").textContent = next.start ? F.when(next.start) + " " + (names || "—") : "未排班 / not rostered";
  }

  // ---- counselors -------------------------------------------------------------------------
  function counselors(snapshot) {
    var list = $("counselors");
    var names = lineNames(snapshot);
    var people = (snapshot.counselors || []).filter(function (c) { return c.state !== "offline"; });
    list.replaceChildren.apply(list, people.map(function (person) { return tile(person, names); }));
    if (!people.length) list.appendChild(el("li", "empty", "暂无咨询师在线 / no counselor signed in"));
    var offline = (snapshot.counselors || []).length - people.length;
    $("staff-summary").textContent = people.length + " 人在线 / signed in" + (offline ? " · " + offline + " 人离线 / offline" : "");
  }

  function tile(person, names) {
    var li = el("li", "counselor-tile state-" + person.state);
    li.dataset.counselor = person.id;
    var head = el("div", "tile-head");
    var name = el("span", "tile-name", person.name);
    name.title = person.name;
    var timer = since(el("span", "tile-timer num"), person.since);
    if (person.state === "wrap_up" || person.state === "break") timer.dataset.warnAfter = person.state === "break" ? "1800" : "600";
    head.append(name, timer);
    var foot = el("div", "tile-foot");
    foot.appendChild(el("span", "pill presence-" + person.state, F.STATE_LABELS[person.state] || person.state));
    if (person.call) {
      var where = el("span", "tile-call small truncate", (names[person.line] || person.line || "") + " " + F.shortSid(person.call));
      where.title = person.call;
      foot.appendChild(where);
    }
    li.append(head, foot);
    if (person.blocked) {       // wrap-up (or away) with a high-risk record still open
      li.classList.add("is-blocked");
      li.appendChild(el("p", "tile-blocked small", "未完成高风险记录 / open high-risk record"));
    }
    return li;
  }

  // ---- blocked records (the close guard holds them open) ------------------------------------
  function blocked(snapshot) {
    var list = snapshot.blocked || [];
    var box = $("blocked-list");
    if (!box) return;
    box.replaceChildren.apply(box, list.map(function (entry) {
      var li = el("li", "blocked-item risk-edge-" + entry.level);
      li.dataset.call = entry.call;
      li.append(el("span", "pill risk-" + entry.level, F.LEVEL_LABELS[entry.level] || entry.level),
                el("span", "blocked-counselor", entry.counselor_name),
                el("span", "blocked-line", entry.line_name || entry.line || "—"),
                el("span", "blocked-state small muted", F.STATE_LABELS[entry.counselor_state] ||
                   (entry.counselor_state ? entry.counselor_state : "未登录 / signed out")),
                since(el("span", "blocked-since muted"), entry.since, "ago"));
      return li;
    }));
    $("blocked").hidden = list.length === 0;
  }

  function lineNames(snapshot) {
    var names = {};
    (snapshot.lines || []).forEach(function (line) { names[line.id] = line.name; });
    return names;
  }

  // ---- alerts -----------------------------------------------------------------------------
  function alerts(list, names, onAck) {
    var box = $("alert-list");
    box.replaceChildren.apply(box, list.map(function (alert) { return alertItem(alert, names, onAck); }));
    $("alerts").hidden = list.length === 0;
  }

  function alertItem(alert, names, onAck) {
    var li = el("li", "alert-item risk-edge-" + (alert.level === "gap" ? "high" : alert.level) + (alert.sounding ? " is-sounding" : ""));
    li.dataset.alert = alert.id;
    li.setAttribute("role", alert.sounding ? "alert" : "status");
    var level = el("span", "pill " + (alert.level === "gap" ? "gap-pill" : "risk-" + alert.level),
                   F.LEVEL_LABELS[alert.level] || alert.level);
    var facts = el("div", "alert-facts");
    facts.appendChild(level);
    if (alert.line) facts.appendChild(el("span", "alert-line", alert.line_name || names[alert.line] || alert.line));
    if (alert.call) { var call = el("span", "mono alert-call", "通话 / call " + F.shortSid(alert.call)); call.title = alert.call; facts.appendChild(call); }
    if (alert.counselor) facts.appendChild(el("span", "alert-counselor", "咨询师 / counselor " + (alert.counselor_name || "#" + alert.counselor)));
    facts.appendChild(since(el("span", "alert-age muted"), alert.raised_at, "ago"));
    var body = el("div", "alert-body");
    body.appendChild(facts);
    if (alert.message) body.appendChild(el("p", "alert-message", alert.message));
    var ack = el("button", "btn btn-danger alert-ack", "确认 / Acknowledge");
    ack.type = "button";
    ack.addEventListener("click", function () { onAck(alert.id, ack); });
    li.append(body, ack);
    return li;
  }

  window.HotlineDashRender = {
    kpis: kpis, lines: lines, counselors: counselors, alerts: alerts, tick: tick, lineNames: lineNames,
    blocked: blocked
  };
})();
