/* The console's triage panel: the form from its definition, the live risk level,
 * referrals, the emergency checklist, the call-back consent.
 *
 * The form is data (GET /api/triage/forms/<id>): items of type single, multi, text,
 * list and checklist, labels zh first, `ask_when` conditions evaluated here exactly as
 * FormDefinition.is_asked does on the server. Every change is posted to
 * /api/calls/<sid>/assessment, which runs the same risk rule as `hotline triage assess`,
 * stores the answers encrypted and sets off alerts at once; the answer redraws the
 * level, its reasons, what the level requires and what still blocks closing the call.
 * Only answers of items the form asks are sent. Nothing here writes to the console log.
 */
(function () {
  "use strict";

  var panel = document.getElementById("triage");
  if (!panel) return;
  var $ = function (id) { return document.getElementById(id); };
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";
  var LEVELS = ["none", "low", "moderate", "high", "imminent"];
  var LEVEL_LABELS = { none: "无 / none", low: "低 / low", moderate: "中 / moderate", high: "高 / high",
                       imminent: "紧急 / imminent" };
  var TYPE_LABELS = { psychiatric_hospital: "精神专科医院 / psychiatric hospital",
                      community_mental_health: "社区心理健康服务 / community mental health",
                      emergency: "紧急服务 / emergency", hotline: "心理援助热线 / support hotline" };
  var EXTEND_BEFORE_S = 20;

  var t = { sid: null, form: null, level: null, seq: 0, shown: 0, timer: null, view: null,
            presence: null, clockOffset: 0, extending: false };

  // ---- HTTP --------------------------------------------------------------------------
  function api(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
      options.body = JSON.stringify(body || {});
    }
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) {
          var error = new Error((data && data.message) || "HTTP " + response.status);
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function callPath(suffix) { return "/api/calls/" + encodeURIComponent(t.sid) + suffix; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* "中文 / English": zh first, the English half in a muted span. */
  function bilingual(label) {
    var span = el("span");
    if (!label) return span;
    span.append(label.zh + " ");
    span.appendChild(el("span", "en", "/ " + label.en));
    return span;
  }

  function rank(level) { return LEVELS.indexOf(level); }

  // ---- following the console ----------------------------------------------------------
  document.addEventListener("hotline:console-state", function (event) {
    var detail = event.detail || {};
    t.presence = detail.state && detail.state.presence;
    t.clockOffset = detail.clockOffset || 0;
    var sid = detail.callSid || null;
    panel.hidden = !sid;
    if (sid === t.sid) return;
    t.sid = sid;
    t.view = null;
    t.level = null;
    $("triage-form").replaceChildren();
    renderResult(null);
    if (sid) load(sid);
  });

  function load(sid) {
    api("GET", "/api/calls/" + encodeURIComponent(sid) + "/assessment").then(function (view) {
      var saved = view.assessment;
      var formId = saved ? saved.form_id : "default";
      var version = saved ? "?version=" + saved.form_version : "";
      return api("GET", "/api/triage/forms/" + encodeURIComponent(formId) + version).then(function (form) {
        if (t.sid !== sid) return;
        t.form = form;
        t.level = saved ? saved.level : null;
        renderForm(form, withChecklist(saved ? saved.answers || {} : {}, view.checklist));
        if (saved) restoreOverride(saved);
        showView(view);
        if (saved) renderLevel({ level: saved.level, rule_level: saved.rule_level, reasons: null });
        applyVisibility();
      });
    }).catch(function (error) {
      if (t.sid === sid) showError("分诊表无法加载 / the triage form cannot be loaded: " + error.message);
    });
  }

  /* The stored emergency checklist (the telephony prefills who was called, when, the
     outcome) fills the entries the saved answers leave blank. */
  function withChecklist(answers, checklist) {
    var entries = checklist || {};
    if (!Object.keys(entries).length) return answers;
    var merged = Object.assign({}, answers);
    var own = Object.assign({}, merged.emergency_checklist || {});
    Object.keys(entries).forEach(function (entry) {
      if (own[entry] === undefined || own[entry] === null || own[entry] === "" || own[entry] === false) {
        own[entry] = entries[entry];
      }
    });
    merged.emergency_checklist = own;
    return merged;
  }

  /* A third party's outcome arrived (console-conference.js): fill blank checklist notes. */
  document.addEventListener("hotline:conference-dialled", function () {
    if (!t.sid || !t.form) return;
    var sid = t.sid;
    api("GET", callPath("/assessment")).then(function (view) {
      if (t.sid !== sid) return;
      var entries = view.checklist || {};
      Object.keys(entries).forEach(function (entry) {
        var note = $("triage-form").querySelector('input.checklist-note[data-entry="' + entry + '"]');
        if (!note || note.value.trim()) return;
        var box = note.parentNode.querySelector("input[type=checkbox]");
        if (typeof entries[entry] === "string") note.value = entries[entry];
        if (box && entries[entry]) box.checked = true;
      });
    }).catch(function () { /* the next load shows it */ });
  });

  // ---- the form ------------------------------------------------------------------------
  function renderForm(form, answers) {
    var box = $("triage-form");
    box.replaceChildren();
    $("triage-form-version").textContent = form.id + " v" + form.version;
    form.items.forEach(function (item) {
      var wrap = el("fieldset", "field triage-item triage-" + item.type);
      wrap.dataset.item = item.id;
      var legend = el("legend");
      legend.appendChild(bilingual(item.label));
      if (item.required) legend.appendChild(el("span", "required", " *"));
      wrap.appendChild(legend);
      if (item.help) wrap.appendChild(el("p", "field-hint", item.help.zh + " / " + item.help.en));
      wrap.appendChild(inputs(item, answers[item.id]));
      box.appendChild(wrap);
    });
  }

  function inputs(item, value) {
    var box = el("div", "triage-inputs");
    var name = "triage-" + item.id;
    if (item.type === "text") {
      var area = el("textarea");
      area.name = name; area.rows = 3; area.maxLength = 20000;
      area.value = typeof value === "string" ? value : "";
      box.appendChild(area);
      return box;
    }
    item.options.forEach(function (option) {
      var label = el("label", "triage-option");
      var input = el("input");
      input.type = item.type === "single" ? "radio" : "checkbox";
      input.name = name;
      input.value = option.value;
      input.checked = chosen(item, value, option.value);
      label.append(input, " ");
      label.appendChild(bilingual(option.label));
      if (item.type === "checklist") label.appendChild(checklistText(value, option.value));
      box.appendChild(label);
    });
    if (item.type === "list") box.appendChild(listOthers(item, value));
    return box;
  }

  function chosen(item, value, optionValue) {
    if (value === undefined || value === null) return false;
    if (item.type === "single") return value === optionValue;
    if (item.type === "checklist") return value[optionValue] === true || typeof value[optionValue] === "string";
    return Array.isArray(value) && value.indexOf(optionValue) >= 0;
  }

  function checklistText(value, entry) {
    var input = el("input", "checklist-note");
    input.type = "text";
    input.maxLength = 200;
    input.dataset.entry = entry;
    input.placeholder = "说明（可选）/ note (optional)";
    input.setAttribute("aria-label", "说明 / note: " + entry);
    if (value && typeof value[entry] === "string") input.value = value[entry];
    return input;
  }

  function listOthers(item, value) {
    var input = el("input", "list-others");
    input.type = "text";
    input.placeholder = "其他（用逗号分隔）/ others (comma-separated)";
    input.setAttribute("aria-label", "其他 / others");
    var known = item.options.map(function (o) { return o.value; });
    input.value = (Array.isArray(value) ? value : []).filter(function (v) { return known.indexOf(v) < 0; }).join(", ");
    return input;
  }

  function readItem(item, wrap) {
    var inputsOf = function (selector) { return Array.prototype.slice.call(wrap.querySelectorAll(selector)); };
    if (item.type === "text") {
      var text = wrap.querySelector("textarea").value;
      return text.trim() ? text : undefined;
    }
    if (item.type === "single") {
      var picked = wrap.querySelector("input[type=radio]:checked");
      return picked ? picked.value : undefined;
    }
    if (item.type === "checklist") {
      var entries = {};
      inputsOf("label.triage-option").forEach(function (label) {
        var box = label.querySelector("input[type=checkbox]");
        var note = label.querySelector("input.checklist-note").value.trim();
        if (note) entries[box.value] = note;
        else if (box.checked) entries[box.value] = true;
      });
      return Object.keys(entries).length ? entries : undefined;
    }
    var values = inputsOf("input[type=checkbox]:checked").map(function (i) { return i.value; });
    if (item.type === "list") {
      var others = wrap.querySelector("input.list-others").value.split(/[,，、;；]/);
      others.forEach(function (v) { if (v.trim()) values.push(v.trim()); });
    }
    return values.length ? values : undefined;
  }

  function rawAnswers() {
    var answers = {};
    t.form.items.forEach(function (item) {
      var wrap = $("triage-form").querySelector('[data-item="' + item.id + '"]');
      var value = wrap ? readItem(item, wrap) : undefined;
      if (value !== undefined) answers[item.id] = value;
    });
    return answers;
  }

  // ask_when, as FormDefinition.is_asked: every condition holds and its item is asked too.
  function holds(condition, answers, level) {
    if (condition.op === "level_at_least") return level === null || rank(level) >= rank(condition.level);
    var answer = answers[condition.item];
    if (answer === undefined || answer === null) return false;
    var picked = Array.isArray(answer) ? answer : [answer];
    var hit = picked.some(function (v) { return condition.values.indexOf(v) >= 0; });
    return condition.op === "in" ? hit : !hit;
  }

  function itemById(id) {
    for (var i = 0; i < t.form.items.length; i++) if (t.form.items[i].id === id) return t.form.items[i];
    return null;
  }

  function isAsked(item, answers, level) {
    return item.ask_when.every(function (c) {
      return holds(c, answers, level) && (!c.item || isAsked(itemById(c.item), answers, level));
    });
  }

  function askedAnswers() {
    var raw = rawAnswers();
    var out = {};
    Object.keys(raw).forEach(function (id) { if (isAsked(itemById(id), raw, t.level)) out[id] = raw[id]; });
    return out;
  }

  function applyVisibility() {
    if (!t.form) return;
    var raw = rawAnswers();
    t.form.items.forEach(function (item) {
      var wrap = $("triage-form").querySelector('[data-item="' + item.id + '"]');
      if (wrap) wrap.hidden = !isAsked(item, raw, t.level);
    });
  }

  // ---- saving (as the counselor answers) -------------------------------------------------
  function changed(event) {
    applyVisibility();
    var typing = event && event.target && (event.target.tagName === "TEXTAREA" || event.target.type === "text");
    clearTimeout(t.timer);
    t.timer = setTimeout(save, typing ? 700 : 120);
  }

  function override() {
    var level = $("triage-override-level").value;
    if (!level) return null;
    return { level: level, reason: $("triage-override-reason").value };
  }

  function save() {
    if (!t.sid || !t.form) return Promise.resolve(null);
    var seq = ++t.seq;
    var sid = t.sid;
    $("triage-saving").textContent = "保存中… / saving…";
    var body = { form_id: t.form.id, form_version: t.form.version, answers: askedAnswers(), override: override() };
    return api("POST", callPath("/assessment"), body).then(function (result) {
      if (sid !== t.sid || seq < t.shown) return result;
      t.shown = seq;
      showError(null);
      var grew = t.level === null || result.level !== t.level;
      t.level = result.level;
      renderLevel(result);
      showView(result);
      if (grew) applyVisibility();
      $("triage-saving").textContent = "已加密保存 / saved (encrypted)";
      return result;
    }).catch(function (error) {
      if (sid === t.sid) {
        $("triage-saving").textContent = "";
        showError("分诊未保存 / triage not saved: " + error.message);
      }
      return null;
    });
  }

  // ---- the result: level, reasons, actions, blockers ------------------------------------------
  function renderLevel(result) {
    var pill = $("triage-level");
    var level = result && result.level;
    pill.className = "pill risk-" + (level || "none");
    pill.textContent = level ? LEVEL_LABELS[level] : "未评估 / not assessed";
    pill.dataset.level = level || "";
    panel.className = "card triage risk-edge-" + (level || "none");
    var rule = $("triage-rule-level");
    rule.hidden = !(result && result.rule_level && result.rule_level !== level);
    rule.textContent = result && result.rule_level ? "规则 / rule: " + LEVEL_LABELS[result.rule_level] : "";
    if (result && result.reasons) fillList($("triage-reasons"), result.reasons, reasonItem,
                                          "没有提示风险的回答 / no answer indicating risk");
    if (result && result.actions) fillList($("triage-actions"), result.actions, function (a) {
      return el("li", "action-" + a.action, a.zh + " / " + a.en);
    }, "无需处置 / no action required");
    var review = $("triage-review-note");
    review.hidden = !(result && result.needs_review);
    var notAsked = (result && result.not_asked) || [];
    $("triage-not-asked").hidden = !notAsked.length;
    $("triage-not-asked").textContent = notAsked.length
      ? "尚未询问（按“否”计）/ not asked yet (counted as no): " + notAsked.map(labelOf).join("、") : "";
  }

  function labelOf(itemId) {
    var item = t.form && itemById(itemId);
    return item ? item.label.zh : itemId;
  }

  function reasonItem(reason) {
    var item = el("li");
    var pill = el("span", "pill risk-" + reason.level, LEVEL_LABELS[reason.level]);
    item.append(pill, " " + reason.zh + " / " + reason.en);
    return item;
  }

  function fillList(list, items, make, empty) {
    list.replaceChildren();
    if (!items.length) list.appendChild(el("li", "muted", empty));
    items.forEach(function (x) { list.appendChild(make(x)); });
  }

  function renderResult(result) {
    renderLevel(result);
    if (!result) {
      $("triage-reasons").replaceChildren();
      $("triage-actions").replaceChildren();
      $("triage-referrals").replaceChildren();
      $("triage-suggestions").replaceChildren();
      $("triage-blockers").hidden = true;
      $("triage-saving").textContent = "";
      $("triage-override-level").value = "";
      $("triage-override-reason").value = "";
      $("callback-consent").checked = false;
      $("callback-number").value = "";
      showError(null);
    }
  }

  function restoreOverride(saved) {
    var lowered = saved.level !== saved.rule_level;
    $("triage-override-level").value = lowered ? saved.level : "";
    $("triage-override-reason").value = saved.override_reason || "";
  }

  function showView(view) {
    t.view = view;
    var blockers = view.blockers || [];
    var box = $("triage-blockers");
    box.hidden = !blockers.length;
    $("triage-blocker-list").replaceChildren.apply($("triage-blocker-list"),
      blockers.map(function (b) { return el("li", null, b); }));
    var link = $("triage-file-link");
    link.hidden = !view.caller_key;
    if (view.caller_key) link.href = "/triage/files/" + encodeURIComponent(view.caller_key);
    renderReferrals(view.referrals || []);
    renderSuggestions(view.suggestions || [], view.referrals || []);
    document.dispatchEvent(new CustomEvent("hotline:triage-changed", { detail: { callSid: t.sid,
                                                                                 blocked: blockers.length > 0 } }));
  }

  function showError(text) {
    var box = $("triage-error");
    box.hidden = !text;
    box.textContent = text || "";
  }

  // ---- referrals ----------------------------------------------------------------------------
  function renderSuggestions(suggestions, referrals) {
    var taken = referrals.map(function (r) { return r.institution_id; });
    fillList($("triage-suggestions"), suggestions, function (s) {
      var item = el("li", "suggestion" + (s.open_now ? " open" : ""));
      item.dataset.institution = s.id;
      var name = el("strong");
      name.appendChild(bilingual(s.name));
      var meta = el("span", "small muted", " " + (TYPE_LABELS[s.type] || s.type) + " · " + s.phone +
        (s.phone_verified ? "" : "（号码未核实 / unverified）") + " · " + s.hours);
      var open = el("span", "pill " + (s.open_now ? "institution-open" : "institution-closed"),
        s.open_now ? "开放中 / open" : "已关闭，下次开放 / closed, opens " + when(s.opens_at));
      item.append(open, " ", name, meta);
      if (taken.indexOf(s.id) < 0) {
        // One action: the caller agreed. The other two outcomes are explicit alternatives.
        [["accepted", "btn btn-sm btn-primary", "转介 / Refer"],
         ["suggested", "btn btn-sm btn-ghost", "仅建议 / Suggest only"],
         ["declined", "btn btn-sm btn-ghost", "来电者拒绝 / Caller declines"]].forEach(function (choice) {
          var button = el("button", choice[1], choice[2]);
          button.type = "button";
          button.dataset.refer = choice[0];
          button.addEventListener("click", function () { refer(s.id, choice[0]); });
          item.append(" ", button);
        });
      }
      return item;
    }, "没有可建议的机构 / no institution to suggest");
  }

  function when(iso) {
    var at = new Date(iso);
    return isNaN(at.getTime()) ? "—" : at.toLocaleString("zh-CN", { dateStyle: "short", timeStyle: "short" });
  }

  var STATUS_LABELS = { suggested: "已建议 / suggested", accepted: "已接受 / accepted", contacted: "已联系 / contacted",
                        completed: "已完成 / completed", declined: "已拒绝 / declined" };

  function renderReferrals(referrals) {
    fillList($("triage-referrals"), referrals, function (r) {
      var item = el("li", "referral");
      item.dataset.referral = r.id;
      item.dataset.status = r.status;
      var name = r.institution ? r.institution.zh + " / " + r.institution.en : r.institution_id;
      item.append(el("strong", null, name), " ", el("span", "pill", STATUS_LABELS[r.status] || r.status));
      if (r.status_help) item.append(el("p", "small muted referral-help", r.status_help));
      if (r.next_follow_up_at) item.append(el("p", "small referral-follow-up", "回访 / follow-up: " + when(r.next_follow_up_at)));
      r.allowed.forEach(function (status) {
        var button = el("button", "btn btn-sm", STATUS_LABELS[status]);
        button.type = "button";
        button.dataset.status = status;
        button.addEventListener("click", function () { setStatus(r.id, status); });
        item.append(" ", button);
      });
      return item;
    }, "尚无转介记录 / no referral recorded yet");
  }

  /* The reason box is for a declined referral; it is sent (and cleared) with that one only. */
  function declineBody(status, body) {
    if (status !== "declined") return body;
    body.note = $("referral-reason").value.trim();
    return body;
  }

  function done() { showError(null); $("referral-reason").value = ""; return refreshView(); }

  function refer(institutionId, status) {
    var body = declineBody(status, { institution_id: institutionId, status: status });
    api("POST", callPath("/referrals"), body).then(done)
      .catch(function (error) { showError("转介未保存 / referral not saved: " + error.message); });
  }

  function setStatus(referralId, status) {
    api("POST", "/api/referrals/" + referralId + "/status", declineBody(status, { status: status })).then(done)
      .catch(function (error) { showError("状态未更新 / status not changed: " + error.message); });
  }

  function refreshView() {
    var sid = t.sid;
    return api("GET", callPath("/assessment")).then(function (view) { if (sid === t.sid) showView(view); });
  }

  // ---- call-back consent --------------------------------------------------------------------
  function saveCallback() {
    var consent = $("callback-consent").checked;
    var number = $("callback-number").value.trim();
    if (consent && !number) { showError("请填写回电号码 / enter the call-back number"); return; }
    api("POST", callPath("/callback"), { consent: consent, number: number }).then(function (result) {
      showError(null);
      $("callback-status").textContent = result.stored
        ? "已加密保存 / stored encrypted" + (result.matches_caller ? "" : "（与来电号码不同 / differs from the calling number）")
        : "未保存号码 / no number stored";
    }).catch(function (error) { showError("回电信息未保存 / call-back not saved: " + error.message); });
  }

  // ---- keep wrap-up open while the record cannot be closed ---------------------------------------
  function guardWrapUp() {
    var p = t.presence;
    var blocked = t.view && t.view.blockers && t.view.blockers.length;
    if (!blocked || !p || p.state !== "wrap_up" || !p.until || t.extending) return;
    var left = (Date.parse(p.until) - (Date.now() + t.clockOffset)) / 1000;
    if (left > EXTEND_BEFORE_S) return;
    t.extending = true;
    api("POST", "/api/console/wrap-up/extend", { seconds: 120 }).catch(function () { return null; })
      .finally(function () { t.extending = false; });
  }

  // ---- wiring ----------------------------------------------------------------------------
  $("triage-form").addEventListener("change", changed);
  $("triage-form").addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA" || event.target.type === "text") changed(event);
  });
  $("triage-override-level").addEventListener("change", changed);
  $("triage-override-reason").addEventListener("input", changed);
  $("callback-save").addEventListener("click", saveCallback);
  $("callback-consent").addEventListener("change", function () {
    $("callback-number").disabled = !$("callback-consent").checked;
  });
  setInterval(guardWrapUp, 2000);
  window.HotlineTriage = { save: save, state: function () { return t; } };
})();
