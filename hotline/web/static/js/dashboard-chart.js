/* Calls per hour today: one Chart.js bar chart (served from /static/vendor, never a CDN).
 *
 * The chart is created once and its data replaced in place, without animation, so a
 * push every quarter second costs a redraw and nothing more. Colours are read from the
 * page's CSS variables, so the wall's dark theme needs no second palette.
 * Exposes window.HotlineHourlyChart.create(canvas) → { update(hourly), available }.
 */
(function () {
  "use strict";

  var HOURS = [];
  for (var h = 0; h < 24; h++) HOURS.push(String(h).padStart(2, "0"));

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.body).getPropertyValue(name);
    return (value && value.trim()) || fallback;
  }

  function sameData(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function create(canvas) {
    if (!canvas || typeof window.Chart !== "function") return { available: false, update: function () {} };
    var text = cssVar("--text-muted", "#5a676c");
    var grid = cssVar("--border", "#d5dddc");
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: HOURS,
        datasets: [
          { label: "来电 / Offered", data: new Array(24).fill(0), backgroundColor: cssVar("--primary", "#2b6f77") },
          { label: "接听 / Answered", data: new Array(24).fill(0), backgroundColor: cssVar("--p-available", "#1d6b3c") }
        ]
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { labels: { color: text, boxWidth: 12 } }, tooltip: { intersect: false, mode: "index" } },
        scales: {
          x: { ticks: { color: text, maxRotation: 0, autoSkip: true, autoSkipPadding: 6 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { color: text, precision: 0 }, grid: { color: grid } }
        }
      }
    });
    return {
      available: true,
      update: function (hourly) {
        var offered = (hourly && hourly.offered) || new Array(24).fill(0);
        var answered = (hourly && hourly.answered) || new Array(24).fill(0);
        var sets = chart.data.datasets;
        if (sameData(sets[0].data, offered) && sameData(sets[1].data, answered)) return;
        sets[0].data = offered.slice();
        sets[1].data = answered.slice();
        chart.update("none");
      }
    };
  }

  window.HotlineHourlyChart = { create: create };
})();
