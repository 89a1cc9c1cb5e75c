/* Roster page: queue a generation and show its progress until it is done.
 *
 * POST /roster/generate (JSON, X-CSRFToken from <meta name="csrf-token">) answers with
 * a job id; GET /roster/jobs/<id> is polled twice a second for
 * {status, progress: {percent, message}, result, error}. When the job finishes, the
 * week of its first date is loaded. Without JavaScript the form still posts, and
 * the answer is the job's JSON (the page is not needed for the roster to be made).
 */
(function () {
  "use strict";
  var form = document.getElementById("generate-form");
  if (!form) { return; }
  var box = document.getElementById("gen-status");
  var bar = document.getElementById("gen-progress");
  var text = document.getElementById("gen-text");
  var button = document.getElementById("gen-submit");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var POLL_MS = 500;

  function show(percent, message) {
    box.hidden = false;
    bar.value = percent;
    text.textContent = message;
  }

  function summary(result) {
    return "完成：生成 " + result.created + " 个班次，替换 " + result.deleted + " 个，未排 " + result.unfilled +
      "，违规 " + result.violations + "（" + result.seconds + " 秒） / done: " + result.created +
      " shifts created, " + result.deleted + " replaced, " + result.unfilled + " unfilled, " +
      result.violations + " violations (" + result.seconds + " s)";
  }

  function poll(url, first) {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        var p = job.progress || {};
        if (job.status === "finished") {
          show(100, summary(job.result || {}));
          box.dataset.state = "finished";
          setTimeout(function () { window.location.assign("/roster?date=" + first); }, 1200);
          return;
        }
        if (job.status === "failed" || job.status === "stopped" || job.status === "canceled") {
          show(p.percent || 0, "失败 / failed: " + (job.error || job.status));
          box.dataset.state = "failed";
          button.disabled = false;
          return;
        }
        var label = job.status === "queued" ? "排队中… / queued…" : (p.message || "进行中 / running");
        show(p.percent || 0, label + " " + (p.percent || 0) + "%");
        setTimeout(function () { poll(url, first); }, POLL_MS);
      })
      .catch(function () { setTimeout(function () { poll(url, first); }, POLL_MS * 2); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = form.elements["from"].value, last = form.elements["to"].value;
    button.disabled = true;
    show(0, "提交中… / submitting…");
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ from: first, to: last })
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (answer) {
        if (!answer.ok) {
          show(0, answer.body.message || "请求失败 / request failed");
          button.disabled = false;
          return;
        }
        box.dataset.job = answer.body.job_id;
        poll(answer.body.status_url, first);
      })
      .catch(function () { show(0, "网络错误 / network error"); button.disabled = false; });
  });
}());
