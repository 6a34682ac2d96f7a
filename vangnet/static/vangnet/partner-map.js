/*
 * Partner map: draws a cell's partner organisations and their links with Cytoscape.js
 * (vendored in static/vendor/cytoscape), from the JSON at #partner-map[data-url].
 * - Node colour = sector, read from the legend swatches (.sector-<value> in app.css), so the
 *   map and the legend cannot drift apart. Size = participation; stopped = faded, dashed border.
 * - Edge line style = kind: declared solid, case dashed, meeting dotted.
 * - The filter form hides organisations (and their links) on the map and in the tables.
 * CSP (script-src/style-src 'self'): no inline scripts, no <style> elements, no style attributes.
 */
(function () {
  "use strict";

  var container = document.getElementById("partner-map");
  if (!container) return;
  var form = document.getElementById("partner-map-filters");
  var statusEl = document.getElementById("partner-map-status");
  var pngButton = document.getElementById("partner-map-png");
  var msg = container.dataset;
  var cy = null;

  var SIZES = { core: 48, per_case: 34, network: 22 };
  var LINE_STYLES = { declared: "solid", case: "dashed", meeting: "dotted" };
  var FALLBACK_COLOUR = "#bbbbbb";

  function say(text) {
    if (statusEl) statusEl.textContent = text;
  }

  function sectorColours() {
    var colours = {};
    document.querySelectorAll(".partner-map-legend [data-sector] .legend-swatch").forEach(function (swatch) {
      colours[swatch.parentElement.dataset.sector] = getComputedStyle(swatch).backgroundColor;
    });
    return colours;
  }

  function checkedValues(name) {
    var values = new Set();
    if (!form) return null;
    form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (input) {
      values.add(input.value);
    });
    return values;
  }

  function applyFilters() {
    var sectors = checkedValues("sector");
    var statuses = checkedValues("status");
    var visible = function (sector, status) {
      return (!sectors || sectors.has(sector)) && (!statuses || statuses.has(status));
    };
    // Tables: the accessible view of the same data follows the same filters.
    var shownIds = new Set();
    var rows = document.querySelectorAll("#partner-organisations tbody tr");
    rows.forEach(function (row) {
      var show = visible(row.dataset.sector, row.dataset.status);
      row.hidden = !show;
      if (show) shownIds.add(row.dataset.id);
    });
    document.querySelectorAll("#partner-links tbody tr").forEach(function (row) {
      row.hidden = !(shownIds.has(row.dataset.source) && shownIds.has(row.dataset.target));
    });
    // Map: edges of a hidden (display: none) node are hidden by Cytoscape itself.
    if (cy) {
      cy.batch(function () {
        cy.nodes().forEach(function (node) {
          node.toggleClass("filtered-out", !visible(node.data("sector"), node.data("status")));
        });
      });
      var shown = cy.nodes().not(".filtered-out");
      if (shown.length) {
        cy.fit(shown, 40);
        if (cy.zoom() > 1.25) { cy.zoom(1.25); cy.center(shown); }  // small networks: no giant nodes
      }
    }
    say((msg.msgCount || "").replace("{shown}", shownIds.size).replace("{total}", rows.length));
  }

  function style(colours) {
    return [
      { selector: "node", style: {
        "background-color": function (n) { return colours[n.data("sector")] || FALLBACK_COLOUR; },
        "width": function (n) { return SIZES[n.data("participation")] || SIZES.network; },
        "height": function (n) { return SIZES[n.data("participation")] || SIZES.network; },
        "border-width": 1, "border-color": "#1e293b",
        "label": "data(name)", "font-size": 14, "color": "#1e293b",
        "text-valign": "bottom", "text-margin-y": 4,
        "text-wrap": "wrap", "text-max-width": "120px",
      } },
      { selector: 'node[status = "stopped"]', style: {
        "opacity": 0.45, "border-style": "dashed", "border-width": 2,
      } },
      { selector: 'node[status = "invited"]', style: { "border-width": 2 } },
      { selector: "edge", style: {
        "width": 2.5, "line-color": "#475569", "curve-style": "bezier",
        "line-style": function (e) { return LINE_STYLES[e.data("kind")] || "solid"; },
      } },
      { selector: ".filtered-out", style: { "display": "none" } },
    ];
  }

  function draw(data) {
    var nodes = Array.isArray(data.nodes) ? data.nodes : [];
    var ids = new Set(nodes.map(function (n) { return n.id; }));
    var edges = (Array.isArray(data.edges) ? data.edges : []).filter(function (e) {
      return ids.has(e.source) && ids.has(e.target);
    });
    container.replaceChildren();
    cy = window.cytoscape({
      container: container,
      elements: {
        nodes: nodes.map(function (n) { return { data: n }; }),
        edges: edges.map(function (e) { return { data: e }; }),
      },
      style: style(sectorColours()),
      layout: {
        name: "cose", animate: false, padding: 30, nodeDimensionsIncludeLabels: true,
        // Keep the layout in the container's shape (smaller for few nodes), so labels stay
        // readable after fitting.
        boundingBox: { x1: 0, y1: 0, w: Math.min(container.clientWidth, 200 + 90 * nodes.length),
                       h: Math.min(container.clientHeight, 120 + 60 * nodes.length) },
        idealEdgeLength: function () { return 70; }, nodeRepulsion: function () { return 20000; },
      },
      minZoom: 0.2,
      maxZoom: 3,
    });
    if (pngButton) pngButton.hidden = false;
    applyFilters();
  }

  function downloadPng() {
    if (!cy) return;
    var blob = cy.png({ full: true, bg: "#ffffff", scale: 2, output: "blob" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = msg.filename || "partner-map.png";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // Cytoscape injects a <style> element (blocked by CSP) unless an element with this id
  // exists; app.css already gives the container position: relative, so mark it as present.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var marker = document.createElement("template");
    marker.id = "__________cytoscape_stylesheet";
    document.head.appendChild(marker);
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }
  if (pngButton) pngButton.addEventListener("click", downloadPng);

  if (typeof window.cytoscape !== "function" || !msg.url) {
    applyFilters();
    say(msg.msgError || "");
    return;
  }
  say(msg.msgLoading || "");
  fetch(msg.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(draw)
    .catch(function (error) {
      console.error("Partner map:", error);
      say(msg.msgError || "");
    });
})();
