/* /reports: draw the charts from the page's JSON block, apply filters as soon as they
 * change, and run "recompute and store" as a background job with its progress.
 * Chart.js is the app's own copy (/static/vendor/chart.umd.min.js); no CDN.
 */
(function () {
  "use strict";

  var dataBlock = document.getElementById("report-data");
  var data = dataBlock ? JSON.parse(dataBlock.textContent) : null;
  var css = getComputedStyle(document.documentElement);
  function colour(name, fallback) { return (css.getPropertyValue(name) || "").trim() || fallback; }
  var COLOURS = {
    offered: colour("--primary", "#2b6f77"),
    answered: colour("--success", "#2e7d4f"),
    abandoned: colour("--danger", "#b3261e"),
    previous: colour("--text-muted", "#5a676c"),
    text: colour("--text", "#1f2a2e"),
    grid: colour("--border", "#d5dddc")
  };
  var SERIES = [
    ["offered", "来电 / Offered"], ["answered", "接听 / Answered"], ["abandoned", "放弃 / Abandoned"]
  ];

  function baseOptions(extra) {
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { color: COLOURS.text } } },
      scales: {
        x: { ticks: { color: COLOURS.text }, grid: { color: COLOURS.grid } },
        y: { beginAtZero: true, ticks: { color: COLOURS.text, precision: 0 }, grid: { color: COLOURS.grid } }
      }
    };
    return Object.assign(options, extra || {});
  }

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") { return null; }
    return new Chart(canvas, config);
  }

  function timeSeries(id, block, type, previous) {
    if (!block) { return; }
    var datasets = SERIES.map(function (s) {
      return { label: s[1], data: block[s[0]], borderColor: COLOURS[s[0]], backgroundColor: COLOURS[s[0]],
               borderWidth: 2, pointRadius: type === "line" ? 2 : 0, tension: 0.2 };
    });
    if (previous) {
      datasets.push({ label: "上期来电 / Offered, previous", data: previous, type: "line",
                      borderColor: COLOURS.previous, backgroundColor: COLOURS.previous, borderDash: [6, 4],
                      borderWidth: 2, pointRadius: 0 });
    }
    chart(id, { type: type, data: { labels: block.labels, datasets: datasets }, options: baseOptions() });
  }

  function breakdown(name, block) {
    if (!block || !block.counts.length) { return; }
    var datasets = [{ label: "本期 / This period", data: block.counts, backgroundColor: COLOURS.offered }];
    if (block.previous && block.previous.some(function (v) { return v > 0; })) {
      datasets.push({ label: "上期 / Previous", data: block.previous, backgroundColor: COLOURS.previous });
    }
    chart("chart-" + name, { type: "bar", data: { labels: block.labels, datasets: datasets },
                             options: baseOptions({ indexAxis: name === "concerns" ? "y" : "x" }) });
  }

  function drawCharts() {
    if (!data) { return; }
    timeSeries("chart-days", data.days, "line", null);
    timeSeries("chart-hours", data.hours, "bar", data.previous_hours || null);
    Object.keys(data.breakdowns || {}).forEach(function (name) { breakdown(name, data.breakdowns[name]); });
  }

  /* Filters: a change shows the new report at once (the Show button stays for no-JS). */
  function wireFilters() {
    var form = document.getElementById("report-filters");
    if (!form) { return; }
    ["period", "line", "end"].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) {
        field.addEventListener("change", function () {
          if (id !== "end" || field.value) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
        });
      }
    });
  }

  /* Recompute: queue the job, poll its progress, reload when stored. */
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function say(text) {
    var status = document.getElementById("job-status");
    if (status) { status.textContent = text; }
  }

  function poll(url, button) {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { throw new Error(res.body.message || "error"); }
        var job = res.body;
        if (job.status === "finished") { say("已完成 / done"); window.location.reload(); return; }
        if (job.status === "failed" || job.status === "stopped" || job.status === "canceled") {
          say("计算失败 / failed: " + (job.error || job.status)); button.disabled = false; return;
        }
        var p = job.progress;
        say(p ? ("计算中 / computing " + p.percent + "% — " + p.message) : "排队中 / queued");
        setTimeout(function () { poll(url, button); }, 1000);
      })
      .catch(function (err) { say("无法获取进度 / cannot read progress: " + err.message); button.disabled = false; });
  }

  function wireRecompute() {
    var button = document.getElementById("recompute");
    var form = document.getElementById("report-filters");
    if (!button || !form) { return; }
    button.addEventListener("click", function () {
      button.disabled = true;
      say("提交中 / queueing…");
      fetch("/reports/run", {
        method: "POST", credentials: "same-origin", body: new FormData(form),
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          if (!res.ok) { throw new Error(res.body.message || "error"); }
          poll(res.body.status_url, button);
        })
        .catch(function (err) { say("无法提交 / could not queue: " + err.message); button.disabled = false; });
    });
  }

  drawCharts();
  wireFilters();
  wireRecompute();
})();
