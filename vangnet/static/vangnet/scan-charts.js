/*
 * Scan charts: draws <canvas data-chart="radar|line" data-source="<id>"> with Chart.js
 * (vendored in static/vendor/chartjs), from the JSON in <script type="application/json" id="<id>">
 * (Django's json_script).
 *   {"labels": [...], "datasets": [{"label": "...", "data": [number|null, ...]}, ...]}
 * - Radar: scores 0-100 (null = missing, left as a gap), ticks every 25.
 * - Line: trends over rounds, y axis from 0.
 * - Colours: Okabe-Ito (colour-blind safe); datasets also differ in point shape and dash,
 *   so they can be told apart without colour (and in black-and-white print).
 * - The canvas keeps the role="img" and aria-label the template gives it; the accessible
 *   data itself belongs in the template (e.g. a table next to the chart).
 * CSP (script-src/style-src 'self'): no inline scripts, no <style> elements, no style
 * attributes. Chart.js 4 only sets canvas sizes through the CSSOM (element.style.x = ...),
 * which the CSP allows.
 */
(function () {
  "use strict";

  if (typeof window.Chart !== "function") return;
  var Chart = window.Chart;

  // Okabe-Ito: blue, orange, bluish green, reddish purple, vermillion, sky blue, black.
  var COLOURS = [
    [0, 114, 178],
    [230, 159, 0],
    [0, 158, 115],
    [204, 121, 167],
    [213, 94, 0],
    [86, 180, 233],
    [0, 0, 0],
  ];
  var POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
  var FILL_ALPHA = 0.15;

  var locale = document.documentElement.lang || undefined;
  var numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  // Page-wide defaults: the page's font, and no animation for people who asked for less motion.
  if (document.body) Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  function rgba(rgb, alpha) {
    return "rgba(" + rgb[0] + ", " + rgb[1] + ", " + rgb[2] + ", " + alpha + ")";
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

  // Text and grid colours follow the page (Pico light/dark), read from the canvas itself.
  function theme(canvas) {
    var style = getComputedStyle(canvas);
    var text = style.color || "#333";
    var background = getComputedStyle(document.documentElement).backgroundColor;
    if (!background || background === "transparent" || background === "rgba(0, 0, 0, 0)") {
      background = getComputedStyle(document.body).backgroundColor;
    }
    if (!background || background === "rgba(0, 0, 0, 0)") background = "transparent";
    return {
      text: text,
      grid: "rgba(128, 128, 128, 0.35)",
      background: background,
    };
  }

  function styledDatasets(datasets, kind) {
    return datasets.map(function (dataset, i) {
      var rgb = COLOURS[i % COLOURS.length];
      return {
        label: String(dataset.label == null ? "" : dataset.label),
        data: (dataset.data || []).map(function (value) {
          return typeof value === "number" && isFinite(value) ? value : null;
        }),
        borderColor: rgba(rgb, 1),
        backgroundColor: rgba(rgb, kind === "radar" ? FILL_ALPHA : 1),
        pointBackgroundColor: rgba(rgb, 1),
        pointBorderColor: rgba(rgb, 1),
        pointStyle: POINT_STYLES[i % POINT_STYLES.length],
        pointRadius: 4,
        pointHoverRadius: 6,
        borderWidth: 2,
        borderDash: DASHES[i % DASHES.length],
        fill: kind === "radar",
        spanGaps: false,
        tension: 0,
      };
    });
  }

  function tooltipLabel(context) {
    var value = context.parsed && (context.parsed.r !== undefined ? context.parsed.r : context.parsed.y);
    if (value === null || value === undefined) return context.dataset.label;
    return context.dataset.label + ": " + numberFormat.format(value);
  }

  function commonOptions(colours) {
    return {
      responsive: true,
      maintainAspectRatio: true,
      color: colours.text,
      plugins: {
        legend: {
          position: "bottom",
          labels: { color: colours.text, usePointStyle: true },
        },
        tooltip: { callbacks: { label: tooltipLabel } },
      },
    };
  }

  function radarConfig(data, colours) {
    var options = commonOptions(colours);
    options.aspectRatio = 1;
    options.scales = {
      r: {
        min: 0,
        max: 100,
        beginAtZero: true,
        angleLines: { color: colours.grid },
        grid: { color: colours.grid },
        pointLabels: { color: colours.text, font: { size: 13 } },
        ticks: {
          stepSize: 25,
          color: colours.text,
          backdropColor: colours.background,
          callback: function (value) {
            return numberFormat.format(value);
          },
        },
      },
    };
    return { type: "radar", data: { labels: data.labels, datasets: styledDatasets(data.datasets, "radar") }, options: options };
  }

  function lineConfig(data, colours) {
    var options = commonOptions(colours);
    options.aspectRatio = 2;
    options.interaction = { mode: "index", intersect: false };
    options.scales = {
      x: { grid: { color: colours.grid }, ticks: { color: colours.text } },
      y: {
        beginAtZero: true,
        grid: { color: colours.grid },
        ticks: {
          color: colours.text,
          callback: function (value) {
            return numberFormat.format(value);
          },
        },
      },
    };
    return { type: "line", data: { labels: data.labels, datasets: styledDatasets(data.datasets, "line") }, options: options };
  }

  var BUILDERS = { radar: radarConfig, line: lineConfig };

  function draw(canvas) {
    var build = BUILDERS[canvas.dataset.chart];
    if (!build || Chart.getChart(canvas)) return;
    var data = readData(canvas);
    if (!data) return;
    new Chart(canvas, build(data, theme(canvas)));
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("canvas[data-chart][data-source]")) draw(scope);
    scope.querySelectorAll("canvas[data-chart][data-source]").forEach(draw);
  }

  function resizeAll() {
    Object.keys(Chart.instances).forEach(function (id) {
      Chart.instances[id].resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
  // Content swapped in by htmx gets its charts too (already drawn canvases are skipped).
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.target);
  });
  // Printing changes the page width without a resize event: redraw at the print size.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
