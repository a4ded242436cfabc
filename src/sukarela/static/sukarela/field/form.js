// The visit form: filled from the cached bootstrap (groups, members, the role and task catalogue),
// read back into the API's visit body. Checks here only spare the TKS a round trip; the server
// decides (its refusals come back on the queue item, naming the field).
(function (L) {
  "use strict";
  var form, state = {item: null, id: null, indicatorsId: null, indicatorsGroup: null, indicators: null, gps: null,
                     photos: [], urls: []};
  var $ = function (id) { return document.getElementById(id); };

  function s(key, params) {
    var text = String(L.config.strings[key] || key);
    Object.keys(params || {}).forEach(function (k) { text = text.split("{" + k + "}").join(params[k]); });
    return text;
  }

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] === true) node.setAttribute(k, "");
      else if (attrs[k] !== false && attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function check(name, value, label, checked) {
    return h("label", {"class": "check"}, [h("input", {type: "checkbox", name: name, value: value, checked: !!checked}),
                                           document.createTextNode(" " + label)]);
  }

  function pairs(choices) {
    return (choices || []).map(function (c) {
      return Array.isArray(c) ? {value: c[0], label: c[1]} : typeof c === "object" ? c : {value: c, label: c};
    });
  }

  function groups() { return (L.bootstrap && L.bootstrap.groups) || []; }
  function groupById(id) { return groups().filter(function (g) { return g.id === id; })[0]; }

  // --- drawing ----------------------------------------------------------------------------------

  function taskField(task, f) {
    var id = "d-" + task.value + "-" + f.name, input;
    if (f.type === "choice") {
      input = h("select", {id: id, name: id}, [h("option", {value: "", text: "—"})].concat(
        pairs(f.choices).map(function (c) { return h("option", {value: c.value, text: c.label}); })));
    } else {
      input = h("input", {id: id, name: id, type: f.type === "int" ? "number" : f.type === "date" ? "date" : "text",
                          min: f.type === "int" ? (f.min === null || f.min === undefined ? 0 : f.min) : null,
                          inputmode: f.type === "int" ? "numeric" : null});
    }
    input.dataset.task = task.value;
    input.dataset.field = f.name;
    input.dataset.type = f.type;
    input.required = !!f.required;
    return h("p", {}, [h("label", {"for": id, text: f.label + (f.required ? " *" : "")}), input]);
  }

  function drawCatalogue() {
    var cat = L.bootstrap.catalogue;
    var roles = $("f-roles");
    roles.textContent = "";
    cat.roles.forEach(function (r) { roles.appendChild(check("roles", r.value, r.label)); });
    var tasks = $("f-tasks");
    tasks.textContent = "";
    cat.tasks.forEach(function (t) {
      var fields = h("div", {"class": "task-fields", id: "task-" + t.value, hidden: true},
                     t.fields.map(function (f) { return taskField(t, f); }));
      tasks.appendChild(h("div", {}, [check("tasks", t.value, t.label), fields]));
    });
  }

  function drawGroups(selected) {
    var select = $("f-group");
    select.textContent = "";
    select.appendChild(h("option", {value: "", text: s("choose_group")}));
    groups().forEach(function (g) { select.appendChild(h("option", {value: g.id, text: g.name})); });
    if (selected && !groupById(selected)) {  // an edited visit of a group no longer posted to this TKS
      select.appendChild(h("option", {value: selected, text: (state.item && state.item.label.group) || selected}));
    }
    select.value = selected ? String(selected) : "";
  }

  // The group's current members, plus anybody marked present in the visit being edited who has
  // left the group since (the bootstrap lists active members only): unticking them is the TKS's
  // choice, never a side effect of the member leaving.
  function drawMembers(present) {
    var box = $("f-attendance"), group = groupById(Number($("f-group").value));
    box.textContent = "";
    if (!group) { box.appendChild(h("p", {"class": "help", text: s("no_members")})); return; }
    present = present || [];
    var known = {};
    group.members.forEach(function (m) {
      known[m.id] = true;
      box.appendChild(check("attendance", m.id, m.full_name + (m.is_chair ? " (" + s("chair") + ")" : ""),
                            present.indexOf(m.id) >= 0));
    });
    var names = (state.item && state.item.label.attendees) || {};
    present.filter(function (id) { return !known[id]; }).forEach(function (id) {
      var row = check("attendance", id, (names[id] || s("member_no", {id: id})) + " (" + s("left_group") + ")", true);
      row.classList.add("left");
      box.appendChild(row);
    });
  }

  function followUpRow(value) {
    var n = $("f-followups").children.length + 1;
    var row = h("li", {}, [
      h("p", {}, [h("label", {"for": "fu-a-" + n, text: s("action") + " " + n}),
                  h("input", {id: "fu-a-" + n, "class": "fu-action", maxlength: 300, value: value ? value.action : ""})]),
      h("p", {}, [h("label", {"for": "fu-d-" + n, text: s("due_on")}),
                  h("input", {id: "fu-d-" + n, "class": "fu-due", type: "date", value: value ? value.due_on : ""})]),
      h("p", {}, [h("button", {type: "button", "class": "danger", "aria-label": s("remove") + " " + n, text: "×"})]),
    ]);
    row.querySelector("button").addEventListener("click", function () { row.remove(); });
    $("f-followups").appendChild(row);
  }

  function drawPhotos() {
    state.urls.forEach(URL.revokeObjectURL);
    state.urls = [];
    var list = $("f-photos"), max = L.bootstrap.limits.max_photos;
    list.textContent = "";
    state.photos.forEach(function (p, i) {
      var url = p.blob ? URL.createObjectURL(p.blob) : null;
      if (url) state.urls.push(url);
      var remove = h("button", {type: "button", "class": "danger", text: s("remove")});
      remove.addEventListener("click", function () { state.photos.splice(i, 1); drawPhotos(); });
      list.appendChild(h("li", {}, [url ? h("img", {src: url, alt: L.config.strings.fields.photos + " " + (i + 1)})
                                        : h("span", {text: s("photo_sent")}),
                                    h("span", {text: Math.round(p.size / 1024) + " KB"}), remove]));
    });
    $("photo-status").textContent = s("photo_ready", {n: state.photos.length, max: max});
    $("f-photo").disabled = state.photos.length >= max;
  }

  function toggles() {
    var kind = form.querySelector("input[name=kind]:checked");
    $("activity-fields").hidden = !(kind && kind.value === "kegiatan");
    var inovator = form.querySelector("input[name=roles][value=inovator]");
    $("innovation-field").hidden = !(inovator && inovator.checked);
    form.querySelectorAll("input[name=tasks]").forEach(function (box) {
      $("task-" + box.value).hidden = !box.checked;
    });
  }

  // --- time and place ---------------------------------------------------------------------------

  function pad(n) { return String(n).padStart(2, "0"); }

  function localInput(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
      pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  // The API wants the offset with the time: the phone's own, e.g. +07:00 (WIB) or +09:00 (WIT).
  function isoWithOffset(date) {
    var off = -date.getTimezoneOffset(), sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return localInput(date) + ":00" + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }

  function capturePosition() {
    state.gps = null;
    if (!navigator.geolocation) { $("gps-status").textContent = s("gps_none"); return; }
    $("gps-status").textContent = s("gps_wait");
    var id = state.id;
    navigator.geolocation.getCurrentPosition(function (pos) {
      if (state.id !== id) return;
      state.gps = {lat: +pos.coords.latitude.toFixed(6), lon: +pos.coords.longitude.toFixed(6),
                   accuracy_m: Math.round(pos.coords.accuracy * 10) / 10};
      $("gps-status").textContent = s("gps_ok", {lat: state.gps.lat, lon: state.gps.lon, acc: Math.round(state.gps.accuracy_m)});
    }, function () {
      if (state.id === id) $("gps-status").textContent = s("gps_none");
    }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
  }

  // --- reading the form -------------------------------------------------------------------------

  function num(input) { return input.value.trim() === "" ? null : Number(input.value); }

  // A snapshot belongs to one group for good: moving the visit to another group makes a new one.
  function indicators(group) {
    var box = $("f-indicators"), values = {}, any = false;
    box.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") { values[input.name] = input.checked; any = any || input.checked; return; }
      var v = input.type === "number" ? num(input) : input.value.trim();
      values[input.name] = v;
      any = any || (v !== null && v !== "");
    });
    if (!any) return null;
    // A recorded snapshot is never rewritten on the server: changed figures are a new snapshot.
    if (!state.indicatorsId || state.indicatorsGroup !== group || JSON.stringify(values) !== JSON.stringify(state.indicators)) {
      state.indicatorsId = crypto.randomUUID();
      state.indicators = values;
      state.indicatorsGroup = group;
    }
    return Object.assign({id: state.indicatorsId}, values);
  }

  function collect() {
    var errors = [], fields = L.config.strings.fields;
    var mark = function (input, message) { input.setAttribute("aria-invalid", "true"); errors.push(message); };
    form.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    var values = function (name) {
      return Array.from(form.querySelectorAll("input[name=" + name + "]:checked"), function (b) { return b.value; });
    };
    var group = Number($("f-group").value);
    if (!group) mark($("f-group"), s("required", {field: fields.group}));
    var started = $("f-started").value ? new Date($("f-started").value) : null;
    if (!started || isNaN(started)) mark($("f-started"), s("required", {field: fields.started_at}));
    else if (started.getTime() > Date.now() + 10 * 60000) mark($("f-started"), s("future"));
    var duration = num($("f-duration"));
    if (!(duration >= 1 && duration <= 720 && Math.floor(duration) === duration)) mark($("f-duration"), s("duration_range"));
    var roles = values("roles"), tasks = values("tasks"), details = {};
    var innovation = roles.indexOf("inovator") >= 0 ? $("f-innovation").value.trim() : "";
    if (roles.indexOf("inovator") >= 0 && !innovation) mark($("f-innovation"), s("required", {field: fields.innovation}));
    tasks.forEach(function (task) {
      details[task] = {};
      $("task-" + task).querySelectorAll("[data-field]").forEach(function (input) {
        var v = input.dataset.type === "int" ? num(input) : input.value.trim();
        if (v !== null && v !== "") details[task][input.dataset.field] = v;
        else if (input.required) mark(input, s("required", {field: input.labels[0].textContent.replace(/ \*$/, "")}));
      });
    });
    var followUps = [];
    $("f-followups").querySelectorAll("li").forEach(function (row) {
      var action = row.querySelector(".fu-action"), due = row.querySelector(".fu-due");
      if (!action.value.trim() && !due.value) return;
      if (!action.value.trim() || !due.value) { mark(action.value.trim() ? due : action, s("followup_incomplete")); return; }
      followUps.push({action: action.value.trim(), due_on: due.value});
    });
    var kind = form.querySelector("input[name=kind]:checked").value;
    var body = {
      id: state.id, group: group, kind: kind, title: kind === "kegiatan" ? $("f-title").value.trim() : "",
      place: $("f-place").value.trim(), started_at: started && !isNaN(started) ? isoWithOffset(started) : "",
      duration_minutes: duration, lat: null, lon: null, accuracy_m: null, roles: roles, tasks: tasks,
      details: details, notes: $("f-notes").value.trim(), innovation: innovation,
      attendance: values("attendance").map(Number), follow_ups: followUps, indicators: indicators(group),
      photos: state.photos.map(function (p) { return {id: p.id, size: p.size, sha256: p.sha256, content_type: p.content_type}; }),
    };
    if (state.gps) Object.assign(body, state.gps);
    return {body: body, errors: errors};
  }

  function showErrors(errors) {
    var box = $("form-errors");
    box.textContent = "";
    box.hidden = !errors.length;
    if (!errors.length) return;
    box.appendChild(h("ul", {}, errors.map(function (e) { return h("li", {text: e}); })));
    box.focus();
  }

  async function submit(event) {
    event.preventDefault();
    var read = collect();
    showErrors(read.errors);
    if (read.errors.length) return;
    var blobs = {};
    state.photos.forEach(function (p) { if (p.blob) blobs[p.id] = p.blob; });
    var group = groupById(read.body.group);
    // The names of those present, for an edit after some of them have left the group.
    var attendees = {};
    form.querySelectorAll("input[name=attendance]:checked").forEach(function (b) {
      attendees[b.value] = b.parentNode.textContent.trim().replace(/ \([^)]*\)$/, "");
    });
    var label = {group: group ? group.name : (state.item && state.item.label.group) || String(read.body.group),
                 started_at: read.body.started_at, kind: read.body.kind, title: read.body.title, attendees: attendees};
    $("save").disabled = true;
    try {
      await L.outbox.save(read.body, blobs, label);
    } finally {
      $("save").disabled = false;
    }
    start(null);
    L.app.saved();
  }

  async function addPhoto() {
    var input = $("f-photo"), file = input.files && input.files[0];
    if (!file) return;
    var max = L.bootstrap.limits.max_photos;
    if (state.photos.length >= max) { $("photo-status").textContent = s("photo_too_many", {max: max}); return; }
    $("photo-status").textContent = s("photo_busy");
    try {
      state.photos.push(await L.photos.prepare(file, L.bootstrap.limits.max_photo_bytes));
      drawPhotos();
    } catch (error) {
      $("photo-status").textContent = s(error && error.key ? error.key : "photo_bad");
    } finally {
      input.value = "";
    }
  }

  // --- starting a visit -------------------------------------------------------------------------

  function fill(body, item) {
    drawGroups(body.group);
    drawMembers(body.attendance);
    form.querySelector("input[name=kind][value=" + (body.kind || "kunjungan") + "]").checked = true;
    $("f-title").value = body.title || "";
    $("f-place").value = body.place || "";
    $("f-started").value = body.started_at ? localInput(new Date(body.started_at)) : localInput(new Date());
    $("f-duration").value = body.duration_minutes || 60;
    $("f-notes").value = body.notes || "";
    $("f-innovation").value = body.innovation || "";
    form.querySelectorAll("input[name=roles]").forEach(function (b) { b.checked = (body.roles || []).indexOf(b.value) >= 0; });
    form.querySelectorAll("input[name=tasks]").forEach(function (b) { b.checked = (body.tasks || []).indexOf(b.value) >= 0; });
    form.querySelectorAll("[data-field]").forEach(function (input) {
      var d = (body.details || {})[input.dataset.task] || {}, v = d[input.dataset.field];
      input.value = v === undefined || v === null ? "" : v;
    });
    $("f-followups").textContent = "";
    (body.follow_ups || []).forEach(followUpRow);
    if (!(body.follow_ups || []).length) followUpRow();
    var ind = body.indicators || {};
    $("f-indicators").querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") input.checked = !!ind[input.name];
      else input.value = ind[input.name] === undefined || ind[input.name] === null ? "" : ind[input.name];
    });
    $("f-indicators").open = !!body.indicators;
    state.indicatorsId = body.indicators ? body.indicators.id : null;
    state.indicatorsGroup = body.group || null;
    state.indicators = null;
    if (body.indicators) { state.indicators = {}; Object.keys(body.indicators).forEach(function (k) { if (k !== "id") state.indicators[k] = body.indicators[k]; }); }
    state.photos = (body.photos || []).map(function (p) {
      return Object.assign({}, p, {blob: item && item.blobs[p.id] || null});
    });
    state.gps = body.lat !== null && body.lat !== undefined ? {lat: body.lat, lon: body.lon, accuracy_m: body.accuracy_m} : null;
    toggles();
    drawPhotos();
    showErrors([]);
  }

  // A new visit (to `groupId` when the TKS came from that group's card).
  function start(groupId) {
    state.item = null;
    state.id = crypto.randomUUID();
    form.reset();
    fill({group: groupId, kind: "kunjungan"}, null);
    $("cancel-edit").hidden = true;
    $("h-form").textContent = L.config.strings.record;
    capturePosition();
  }

  function edit(item) {
    state.item = item;
    state.id = item.id;
    form.reset();
    fill(item.body, item);
    $("cancel-edit").hidden = false;
    $("h-form").textContent = s("editing", {label: item.label.group});
    $("gps-status").textContent = state.gps ? s("gps_ok", {lat: state.gps.lat, lon: state.gps.lon, acc: Math.round(state.gps.accuracy_m || 0)})
                                            : s("gps_none");
    if (item.errors) showErrors(item.errors.map(function (e) { return (e.field ? e.field + ": " : "") + e.msg; }));
  }

  // The server's copy of a visit (GET shape) as a body this form can edit again.
  // Only what the API takes back: the server adds review fields, and knows a photo's size but not
  // its declared hash, which the phone kept.
  var INDICATORS = ["id", "turnover", "capital", "active_members", "new_workers", "products", "price",
                    "aid_spent_tools", "aid_spent_materials", "lpj_done"];
  function bodyFromServer(server, mine) {
    var body = {};
    Object.keys(mine).forEach(function (k) { body[k] = server[k] === undefined ? mine[k] : server[k]; });
    if (body.group && typeof body.group === "object") body.group = body.group.id;
    if (server.indicators) {
      body.indicators = {};
      INDICATORS.forEach(function (k) { body.indicators[k] = server.indicators[k]; });
    }
    body.follow_ups = (body.follow_ups || []).map(function (f) { return {action: f.action, due_on: f.due_on}; });
    var known = {};
    (mine.photos || []).forEach(function (p) { known[p.id] = p; });
    body.photos = (server.photos || mine.photos).map(function (p) {
      var k = known[p.id] || {};
      return {id: p.id, size: p.size, sha256: p.sha256 || k.sha256, content_type: p.content_type || k.content_type};
    });
    return body;
  }

  function init() {
    form = $("visit-form");
    drawCatalogue();
    form.addEventListener("change", function (event) {
      if (event.target.id === "f-group") drawMembers([]);
      if (event.target.id === "f-photo") addPhoto();
      toggles();
    });
    form.addEventListener("submit", submit);
    $("add-followup").addEventListener("click", function () { followUpRow(); });
    $("gps-retry").addEventListener("click", capturePosition);
    $("cancel-edit").addEventListener("click", function () { start(null); L.app.show("queue"); });
    start(null);
  }

  // Called again when fresher groups arrive; a form being filled keeps what was typed.
  function refresh() {
    if (!form) { init(); return; }
    var group = $("f-group").value, present = Array.from(form.querySelectorAll("input[name=attendance]:checked"),
                                                          function (b) { return Number(b.value); });
    drawGroups(group ? Number(group) : null);
    drawMembers(present);
  }

  L.form = {refresh: refresh, start: start, edit: edit, bodyFromServer: bodyFromServer, h: h, s: s};
})(window.Lapangan = window.Lapangan || {});
