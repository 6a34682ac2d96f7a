/*
 * Insights charts (VVSG dashboard): draws <canvas data-chart="bar|line" data-source="<id>">
 * with Chart.js (vendored in static/vendor/chartjs) from the JSON in
 * <script type="application/json" id="<id>"> (Django's json_script):
 *   {"labels": [...], "unit": "%"|"", "datasets": [{"label": "...", "data": [number|null]}]}
 * - null is a suppressed figure (fewer than 5 cells or 10 cases): no bar, a gap in a line.
 *   The table next to every chart says "suppressed"; the chart never shows a 0 for it.
 * - Bars for breakdowns and provinces, a line for yearly trends; the y axis starts at 0.
 * - Okabe-Ito blue (colour-blind safe); no animation for people who asked for less motion.
 * CSP (script-src/style-src 'self'): no inline scripts, no style attributes.
 */
(function () {
  "use strict";

  if (typeof window.Chart !== "function") return;
  var Chart = window.Chart;
  var BLUE = "rgb(0, 114, 178)";
  var BLUE_FILL = "rgba(0, 114, 178, 0.6)";

  var locale = document.documentElement.lang || undefined;
  var numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  if (document.body) Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function readData(canvas) {
    var source = document.getElementById(canvas.dataset.source || "");
    if (!source) return null;
    try {
      var data = JSON.parse(source.textContent);
      if (!data || !Array.isArray(data.labels) || !Array.isArray(data.datasets)) return null;
      return data;
    } catch (err) {
      return null;
    }
  }

  function draw(canvas) {
    var data = readData(canvas);
    if (!data) return;
    var kind = canvas.dataset.chart === "line" ? "line" : "bar";
    var unit = data.unit ? " " + data.unit : "";
    var text = getComputedStyle(canvas).color || "#333";
    var datasets = data.datasets.map(function (dataset) {
      return {
        label: dataset.label,
        data: dataset.data,
        borderColor: BLUE,
        backgroundColor: kind === "bar" ? BLUE_FILL : BLUE,
        pointRadius: 4,
        spanGaps: false,
      };
    });
    new Chart(canvas, {
      type: kind,
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        indexAxis: kind === "bar" && data.labels.length > 6 ? "y" : "x",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = context.raw;
                return value === null ? "" : numberFormat.format(value) + unit;
              },
            },
          },
        },
        scales: {
          x: { beginAtZero: true, ticks: { color: text } },
          y: { beginAtZero: true, ticks: { color: text } },
        },
      },
    });
  }

  function init() {
    var canvases = document.querySelectorAll("canvas[data-chart][data-source]");
    Array.prototype.forEach.call(canvases, draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
