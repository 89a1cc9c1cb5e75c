/* The call's conference on the counselor's console: hold, consult and warm transfer,
   bringing in 120 / 110 / 119 or a referral institution, and whether a supervisor listens or coaches.
   It follows the call console.js announces (hotline:console-state) and reads the
   conference state from /api/console/calls/<sid>/conference after each action and every
   few seconds on a call; in two-party mode (no conference) the controls stay hidden. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var box = $("conference");
  if (!box) return;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.content : "";
  var callSid = null;
  var timer = null;
  var lastOutcomes = "";   // the dialled parties' outcomes last shown: a change refreshes the checklist
  var STATUS = { talking: "通话中 / talking", on_hold: "来电者保持中 / caller on hold",
                 consulting: "正在咨询同事 / consulting", third_party: "第三方已接入 / third party joined",
                 supervised: "督导在线 / supervised" };
  var MODE = { listen: "督导正在旁听 / A supervisor is listening",
               coach: "督导正在指导您（来电者听不到） / A supervisor is coaching you (the caller cannot hear)",
               join: "督导已加入通话 / A supervisor has joined the call" };
  var OUTCOME = { ringing: "呼叫中 / ringing", answered: "已接通 / answered", "no-answer": "无人接听 / no answer",
                  busy: "占线 / busy", failed: "失败 / failed", canceled: "已取消 / canceled" };

  function path(suffix) {
    return "/api/console/calls/" + encodeURIComponent(callSid) + suffix;
  }

  function send(method, suffix, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf;
      options.body = JSON.stringify(body || {});
    }
    return fetch(path(suffix), options).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) throw new Error((data && data.message) || "HTTP " + response.status);
        return data;
      });
    });
  }

  function render(state) {
    var live = !!(state && state.conference_sid && !state.ended_at);
    box.hidden = !live;
    if (!live) return;
    $("conf-status").textContent = state.statuses.map(function (s) { return STATUS[s] || s; }).join(" · ");
    var notice = state.supervision.map(function (s) { return MODE[s.mode] || s.mode; }).join("；");
    $("conf-supervision").textContent = notice;
    $("conf-supervision").hidden = !notice;
    var held = state.statuses.indexOf("on_hold") >= 0;
    $("conf-hold").hidden = held;
    $("conf-unhold").hidden = !held;
    var list = $("conf-dialled");
    var outcomes = state.dialled.map(function (d) { return d.target + ":" + d.outcome; }).join(",");
    if (outcomes !== lastOutcomes) {
      lastOutcomes = outcomes;
      document.dispatchEvent(new CustomEvent("hotline:conference-dialled", { detail: { dialled: state.dialled } }));
    }
    list.textContent = "";
    state.dialled.forEach(function (d) {
      var item = document.createElement("li");
      item.textContent = d.target + " · " + d.at.slice(11, 19) + " · " + (OUTCOME[d.outcome] || d.outcome);
      list.appendChild(item);
    });
  }

  function refresh() {
    if (!callSid) return Promise.resolve();
    return send("GET", "/conference").then(render).catch(function () { box.hidden = true; });
  }

  function act(suffix, body) {
    $("conf-error").textContent = "";
    return send("POST", suffix, body).then(render).catch(function (error) {
      $("conf-error").textContent = error.message;
    });
  }

  function follow(event) {
    var state = event.detail && event.detail.state;
    var onCall = state && state.presence && state.presence.state === "on_call" && state.call;
    var sid = onCall ? state.call.call_sid : null;
    if (sid === callSid) return;
    callSid = sid;
    if (timer) { clearInterval(timer); timer = null; }
    if (!sid) { box.hidden = true; return; }
    refresh();
    timer = setInterval(refresh, 3000);
  }

  /* The referral directory's verified institutions join 120 / 110 / 119 in the drop-down
     (their value is ref:<id>, which /bring-in dials); the three numbers stay in the page
     so the emergency services are offered even if this list cannot be loaded. */
  function loadTargets() {
    fetch("/api/console/bring-in-targets", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { targets: [] }; })
      .then(function (data) {
        var institutions = (data.targets || []).filter(function (t) { return t.kind === "institution"; });
        if (!institutions.length) return;
        var group = document.createElement("optgroup");
        group.label = "转介机构 / Referral institutions";
        institutions.forEach(function (t) {
          var option = document.createElement("option");
          option.value = t.target;
          option.textContent = t.label;
          group.appendChild(option);
        });
        $("conf-target").appendChild(group);
      })
      .catch(function () { /* the emergency numbers remain */ });
  }

  loadTargets();
  document.addEventListener("hotline:console-state", follow);
  $("conf-hold").addEventListener("click", function () { act("/hold", { hold: true }); });
  $("conf-unhold").addEventListener("click", function () { act("/hold", { hold: false }); });
  $("conf-together").addEventListener("click", function () { act("/together"); });
  $("conf-consult").addEventListener("click", function () {
    act("/consult", { colleague: Number($("conf-colleague").value) });
  });
  $("conf-complete").addEventListener("click", function () { act("/transfer/complete"); });
  $("conf-cancel").addEventListener("click", function () { act("/consult/cancel"); });
  $("conf-bring-in").addEventListener("click", function () {
    act("/bring-in", { target: $("conf-target").value, private: $("conf-private").checked });
  });
})();
