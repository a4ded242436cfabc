// The preview map: mentors (large dots) and their groups (small dots) with a line between each
// pair. No tile layer: field offices and tests may have no internet, and the points alone
// show who goes where.
(function () {
  var el = document.getElementById("map");
  function text(s) { var span = document.createElement("span"); span.textContent = s; return span; }
  if (!el || !window.L) return;
  fetch(el.dataset.src, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
    var map = L.map(el, {attributionControl: false});
    var at = {}, bounds = [];
    data.mentors.forEach(function (m) {
      if (m.at[0] === null) return;
      at[m.id] = m.at;
      bounds.push(m.at);
      L.circleMarker(m.at, {radius: 7, color: "#0b5", weight: 2}).bindTooltip(text(m.name)).addTo(map);
    });
    data.groups.forEach(function (g) {
      if (g.at[0] === null) return;
      bounds.push(g.at);
      L.circleMarker(g.at, {radius: 4, color: g.mentor ? "#036" : "#c00", weight: 1}).bindTooltip(text(g.name)).addTo(map);
      if (g.mentor && at[g.mentor]) L.polyline([at[g.mentor], g.at], {color: "#036", weight: 1, opacity: 0.5}).addTo(map);
    });
    if (bounds.length) map.fitBounds(bounds, {padding: [10, 10]}); else map.setView([-2.5, 118], 4);
    el.dataset.ready = String(bounds.length);
  });
})();
