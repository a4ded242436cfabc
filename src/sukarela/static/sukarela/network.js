// The network page's graph: the API's nodes and edges drawn with Cytoscape.js (cose layout).
// Colours and shapes say what a node is, the line style what state a linkage is in. The figures
// are tables in the page itself, so when Cytoscape did not load, the request failed or the region
// holds too many nodes, the note says so and nothing else is lost.
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  var note = document.getElementById("network-note");
  if (!box || !note) return;

  function say(template, values) {
    note.textContent = template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function fail(state) {
    box.hidden = true;
    box.dataset.state = state;
    say(box.dataset[state] || box.dataset.failed, {});
  }

  if (typeof window.cytoscape !== "function") {
    fail("failed");
    return;
  }

  var NODE = {
    group: {color: "#1565c0", shape: "ellipse", size: 16},
    partner: {color: "#2e7d32", shape: "round-rectangle", size: 22},
    centre: {color: "#ef6c00", shape: "diamond", size: 22},
    tks: {color: "#6a1b9a", shape: "triangle", size: 16}
  };
  var EDGE = {
    diusulkan: {color: "#9e9e9e", style: "dotted", width: 1.5},
    dihubungi: {color: "#f9a825", style: "dashed", width: 1.5},
    disepakati: {color: "#1976d2", style: "solid", width: 2},
    terealisasi: {color: "#2e7d32", style: "solid", width: 3.5},
    gagal: {color: "#c62828", style: "dashed", width: 1.5}
  };

  function styles() {
    var out = [
      {selector: "node", style: {
        "label": "data(label)", "font-size": 9, "min-zoomed-font-size": 7, "text-valign": "bottom",
        "text-margin-y": 2, "text-wrap": "ellipsis", "text-max-width": 110, "color": "#222",
        "border-width": 1, "border-color": "#fff"}},
      {selector: "edge", style: {"curve-style": "bezier", "opacity": 0.85}},
      {selector: "edge[kind = 'broker']", style: {
        "line-color": "#ce93d8", "width": 1, "line-style": "solid", "opacity": 0.6}},
      {selector: "node:selected", style: {"border-width": 3, "border-color": "#000"}}
    ];
    Object.keys(NODE).forEach(function (kind) {
      var n = NODE[kind];
      out.push({selector: "node[kind = '" + kind + "']", style: {
        "background-color": n.color, "shape": n.shape, "width": n.size, "height": n.size}});
    });
    Object.keys(EDGE).forEach(function (status) {
      var e = EDGE[status];
      out.push({selector: "edge[status = '" + status + "']", style: {
        "line-color": e.color, "line-style": e.style, "width": e.width}});
    });
    return out;
  }

  function detailUrl(node) {
    var id = node.id().slice(1);
    var kind = node.data("kind");
    // A partner the officer may not open (outside their view) has no page for them: no link.
    if (kind === "partner" && node.data("visible") === false) return "";
    var template = kind === "partner" ? box.dataset.partnerUrl : kind === "group" ? box.dataset.groupUrl : "";
    return template ? template.replace("/0/", "/" + encodeURIComponent(id) + "/") : "";
  }

  function draw(data) {
    if (data.truncated) {
      box.hidden = true;
      box.dataset.state = "too-many";
      say(box.dataset.tooMany, {n: data.node_count, cap: data.cap});
      return;
    }
    if (!data.nodes.length) {
      fail("empty");
      return;
    }
    box.hidden = false;
    var elements = data.nodes.map(function (n) { return {group: "nodes", data: n}; })
      .concat(data.edges.map(function (e) { return {group: "edges", data: e}; }));
    var cy = window.cytoscape({
      container: box,
      elements: elements,
      style: styles(),
      layout: {name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true, padding: 12},
      minZoom: 0.1,
      maxZoom: 4
    });
    // A double tap opens the partner's or group's page; a single tap only selects (easy to mis-tap on a phone).
    cy.on("dbltap", "node", function (event) {
      var url = detailUrl(event.target);
      if (url) window.location.assign(url);
    });
    var linkages = data.edges.filter(function (e) { return e.kind === "linkage"; }).length;
    box.dataset.nodes = String(data.nodes.length);
    box.dataset.edges = String(linkages);
    box.dataset.state = "drawn";
    say(box.dataset.drawn, {nodes: data.nodes.length, edges: linkages});
  }

  box.dataset.state = "loading";
  say(box.dataset.loading, {});
  fetch(box.dataset.src, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(draw)
    .catch(function () { fail("failed"); });
})();
