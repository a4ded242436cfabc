// The dashboards' charts, drawn by Chart.js (npm, served from /static/vendor/chartjs/) from the JSON
// the page holds in #monitoring-charts: the same rows as the table under each chart. Without Chart.js
// the tables open and the page says nothing is lost. No animation: cheap phones, and the numbers
// are what matter.
(function () {
  "use strict";
  var source = document.getElementById("monitoring-charts");
  if (!source) return;
  var charts = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "id";
  // Okabe–Ito: told apart by people with the common colour-vision deficiencies, readable on white.
  var COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

  function figures() { return document.querySelectorAll("figure.chart"); }

  if (!window.Chart) {
    figures().forEach(function (fig) { fig.hidden = true; fig.dataset.state = "unavailable"; });
    document.querySelectorAll("details.table-details").forEach(function (d) { d.open = true; });
    return;
  }

  function format(value, unit) {
    if (value === null || value === undefined) return "—";
    var places = unit === "percent" || unit === "per_tks" ? 1 : 0;
    var text = new Intl.NumberFormat(lang, {minimumFractionDigits: places, maximumFractionDigits: places})
      .format(value);
    if (unit === "percent") return text + " %";
    if (unit === "rupiah") return "Rp " + text;
    return text;
  }

  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    var fig = canvas.closest("figure");
    var line = spec.type === "line";
    var datasets = spec.datasets.map(function (d, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {label: d.label, data: d.data, unit: d.unit, borderColor: colour, backgroundColor: line ? colour : colour + "cc",
              borderWidth: line ? 2 : 0, pointRadius: line ? 2 : 0, spanGaps: false};
    });
    var unit = datasets[0].unit;
    // Counts and rupiah step in whole numbers: a scale of 0, 0.5, 1 would read "0, 1, 1" once formatted.
    var valueAxis = {beginAtZero: true, ticks: {precision: unit === "count" || unit === "rupiah" ? 0 : 1,
                                                callback: function (v) { return format(v, unit); }}};
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: {
        legend: {display: datasets.length > 1},
        tooltip: {callbacks: {label: function (ctx) {
          return ctx.dataset.label + ": " + format(ctx.raw, ctx.dataset.unit);
        }}}
      },
      scales: spec.horizontal ? {x: valueAxis, y: {ticks: {autoSkip: false}}} : {y: valueAxis}
    };
    if (spec.links && spec.links.length) {
      // A bar of the ranking opens that region's dashboard, as the table's link does.
      options.onClick = function (event, elements) {
        if (elements.length && spec.links[elements[0].index]) window.location.href = spec.links[elements[0].index];
      };
      options.onHover = function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      };
    }
    try {
      new window.Chart(canvas, {type: spec.type, data: {labels: spec.labels, datasets: datasets}, options: options});
      fig.dataset.state = "drawn";
    } catch (err) {
      fig.hidden = true;
      fig.dataset.state = "failed";
      var details = fig.closest("section").querySelector("details.table-details");
      if (details) details.open = true;
    }
  });
})();
