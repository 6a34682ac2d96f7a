/*
 * Survey charts: draws <canvas data-survey-chart="<key>" data-source="<id>"> as a horizontal
 * bar chart with Chart.js (vendored in static/vendor/chartjs), from the JSON in
 * <script type="application/json" id="<id>"> (Django's json_script):
 *   {"<key>": {"label": "...", "labels": ["option", ...], "data": [count, ...]}, ...}
 * The accessible data is the table the template puts under every chart.
 * CSP: no inline scripts or styles; Chart.js only sets canvas sizes through the CSSOM.
 */
(function () {
  "use strict";

  if (typeof window.Chart !== "function") return;
  var Chart = window.Chart;
  var BLUE = "rgba(0, 114, 178, 1)"; // Okabe-Ito blue
  var locale = document.documentElement.lang || undefined;
  var numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

  if (document.body) Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  var cache = {};
  function readAll(id) {
    if (cache[id] !== undefined) return cache[id];
    var source = document.getElementById(id || "");
    var data = null;
    if (source) {
      try {
        data = JSON.parse(source.textContent);
      } catch (err) {
        data = null;
      }
    }
    cache[id] = data && typeof data === "object" ? data : null;
    return cache[id];
  }

  function draw(canvas) {
    if (Chart.getChart(canvas)) return;
    var all = readAll(canvas.dataset.source);
    var chart = all && all[canvas.dataset.surveyChart];
    if (!chart || !Array.isArray(chart.labels) || !Array.isArray(chart.data)) return;
    var text = getComputedStyle(canvas).color || "#333";
    var grid = "rgba(128, 128, 128, 0.35)";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels.map(String),
        datasets: [
          {
            label: String(chart.label || ""),
            data: chart.data.map(function (v) {
              return typeof v === "number" && isFinite(v) ? v : 0;
            }),
            backgroundColor: BLUE,
            borderColor: BLUE,
          },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: Math.max(1.2, 4 / Math.max(1, chart.labels.length / 2)),
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                return numberFormat.format(context.parsed.x);
              },
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            ticks: { precision: 0, color: text },
            grid: { color: grid },
          },
          y: { ticks: { color: text }, grid: { color: grid } },
        },
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-survey-chart][data-source]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  window.addEventListener("beforeprint", function () {
    Object.keys(Chart.instances).forEach(function (id) {
      Chart.instances[id].resize();
    });
  });
})();
