// The field app's shell: three views (my groups, the visit form, the outbox queue), the groups
// cached in IndexedDB, the service worker registered, and the outbox sent on load, when the
// network returns, every 30 s and on "Kirim sekarang".
(function (L) {
  "use strict";
  L.config = JSON.parse(document.getElementById("field-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var s = L.form.s, h = L.form.h, strings = L.config.strings;
  var VIEWS = {kelompok: "groups", catat: "form", antrean: "queue"};
  var HASHES = {groups: "kelompok", form: "catat", queue: "antrean"};
  var lang = document.documentElement.lang || "id";

  function when(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleString(lang, {day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit"});
  }
  function clock(ms) { return new Date(ms).toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit", second: "2-digit"}); }

  function show(view) {
    Object.keys(HASHES).forEach(function (v) { $("view-" + v).hidden = v !== view; });
    document.querySelectorAll(".tabs a").forEach(function (a) {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    if (location.hash !== "#" + HASHES[view]) history.replaceState(null, "", "#" + HASHES[view]);
    window.scrollTo(0, 0);
  }

  function notice(text) {
    $("notice").textContent = text;
    $("notice").hidden = !text;
  }

  // --- groups -----------------------------------------------------------------------------------

  function name(value) { return value && typeof value === "object" ? value.name : value; }

  function drawGroups(source) {
    var list = $("groups");
    list.textContent = "";
    if (!L.bootstrap) { $("groups-source").textContent = strings.groups_missing; return; }
    $("groups-source").textContent = source;
    if (!L.bootstrap.groups.length) list.appendChild(h("li", {"class": "card", text: strings.groups_none}));
    L.bootstrap.groups.forEach(function (g) {
      var record = h("button", {type: "button", text: strings.record});
      record.addEventListener("click", function () { L.form.start(g.id); show("form"); });
      var ind = g.last_indicators;
      list.appendChild(h("li", {"class": "card"}, [
        h("h2", {text: g.name}),
        h("p", {text: [name(g.sector), name(g.village), s("members", {n: g.members.length})].filter(Boolean).join(" · ")}),
        ind ? h("p", {"class": "help", text: s("last_indicators", {
          date: ind.recorded_on || "", turnover: ind.turnover === null || ind.turnover === undefined ? "—" : Number(ind.turnover).toLocaleString(lang),
          active: ind.active_members === null || ind.active_members === undefined ? "—" : ind.active_members})}) : null,
        record,
      ]));
    });
  }

  async function loadGroups() {
    var key = "bootstrap:" + L.config.user.id, cached = await L.db.get("kv", key);
    var source = cached ? s("groups_cached", {time: when(cached.at)}) : "";
    if (cached) L.bootstrap = cached.data;
    if (navigator.onLine) {
      try {
        // `user` tells the service worker whose cached copy to fall back on (it keeps one per account).
        var response = await L.api.get("field/bootstrap?user=" + encodeURIComponent(L.config.user.id));
        var mine = response.status === 200 && response.data && response.data.user &&
          response.data.user.id === L.config.user.id;
        // The service worker answers from its cache when the network fails: not fresher than ours.
        if (mine && !(response.stale && cached)) {
          L.bootstrap = response.data;
          await L.db.put("kv", {data: response.data, at: new Date().toISOString()}, key);
          source = strings.groups_fresh;
        } else if (response.status === 200 && !mine) {
          L.outbox.status.otherAccount = true;  // signed in as somebody else since this page loaded
        } else if (response.status === 401) {
          L.outbox.status.sessionExpired = true;
        }
      } catch (error) { /* no network after all: the cached copy stands */ }
    }
    $("save").disabled = !L.bootstrap;
    drawGroups(source);
    if (L.bootstrap) L.form.refresh();
  }

  // --- the queue --------------------------------------------------------------------------------

  function label(item) {
    var kind = strings.kinds[item.label.kind] || item.label.kind;
    return item.label.group + " · " + (item.label.title || kind);
  }

  function shown(key, value) {
    if (value === null || value === undefined || value === "") return "—";
    if (key === "started_at") return when(value);
    if (key === "roles" || key === "tasks") {
      var cat = L.bootstrap ? L.bootstrap.catalogue[key] : [];
      return value.map(function (v) { var c = cat.filter(function (x) { return x.value === v; })[0]; return c ? c.label : v; }).join(", ");
    }
    if (Array.isArray(value)) return value.map(function (v) { return typeof v === "object" ? Object.values(v).join(" ") : v; }).join("; ");
    if (typeof value === "object") return JSON.stringify(value);
    if (typeof value === "boolean") return value ? strings.yes : strings.no;
    return String(value);
  }

  function versions(item) {
    var server = item.server, rows = [];
    var mine = item.body, theirs = L.form.bodyFromServer(server, mine);
    Object.keys(mine).forEach(function (k) {
      if (k === "id" || JSON.stringify(mine[k]) === JSON.stringify(theirs[k])) return;
      rows.push(h("tr", {}, [h("th", {scope: "row", text: strings.fields[k] || k}),
                             h("td", {text: shown(k, mine[k])}), h("td", {text: shown(k, theirs[k])})]));
    });
    if (server.status) {
      rows.push(h("tr", {}, [h("th", {scope: "row", text: strings.fields.status || "status"}), h("td", {text: "—"}),
                             h("td", {text: (strings.statuses[server.status] || server.status) +
                                            (server.review_comment ? ": " + server.review_comment : "")})]));
    }
    return h("table", {"class": "versions"}, [
      h("thead", {}, [h("tr", {}, [h("th", {}), h("th", {scope: "col", text: strings.mine}), h("th", {scope: "col", text: strings.theirs})])]),
      h("tbody", {}, rows)]);
  }

  function button(text, cls, action) {
    var b = h("button", {type: "button", "class": cls, text: text});
    b.addEventListener("click", action);
    return b;
  }

  function card(item) {
    var photos = item.body.photos.length, done = item.body.photos.filter(function (p) {
      return !item.blobs[p.id] || (item.received[p.id] || 0) >= p.size;
    }).length;
    var parts = [
      h("h3", {text: label(item)}),
      h("p", {}, [document.createTextNode(when(item.body.started_at) + " "),
                  h("span", {"class": "state state-" + item.state, text: strings.states[item.state]}),
                  photos ? document.createTextNode(" " + s("photos_progress", {done: item.state === "terkirim" ? photos : done, total: photos})) : null]),
    ];
    if (item.state === "menunggu" && item.last_error && item.next_try > Date.now()) {
      parts.push(h("p", {"class": "help", text: s("retry", {reason: item.last_error, time: clock(item.next_try)})}));
    }
    if (item.state === "ditolak") {
      parts.push(h("p", {text: strings.rejected}));
      parts.push(h("ul", {"class": "msgs"}, (item.errors || []).map(function (e) {
        return h("li", {text: (e.field ? e.field + ": " : "") + e.msg});
      })));
    }
    if (item.state === "konflik") {
      parts.push(h("p", {text: strings.conflict + (item.detail ? " (" + item.detail + ")" : "")}));
      parts.push(h("div", {"class": "scroll"}, [versions(item)]));
      parts.push(h("p", {"class": "actions"}, [
        button(strings.keep_mine, "", function () { L.outbox.keepMine(item.id); }),
        button(strings.take_theirs, "secondary", function () { L.outbox.takeTheirs(item.id); })]));
    }
    if (item.state === "terkirim") {
      parts.push(h("p", {"class": "help", text: item.note || s("sent_at", {
        time: when(item.received_at || item.sent_at), version: item.version,
        status: strings.statuses[item.status] || item.status || ""})}));
      if (item.review_comment) parts.push(h("p", {"class": "notice", text: item.review_comment}));
    }
    var actions = [];
    if (item.state !== "mengirim" && item.status !== "disetujui" && L.bootstrap) {
      actions.push(button(strings.edit, "secondary", function () { L.form.edit(item); show("form"); }));
    }
    if (item.state !== "mengirim") {
      actions.push(button(item.state === "terkirim" ? strings.remove : strings.delete, "danger", function () {
        if (item.state === "terkirim" || window.confirm(strings.confirm_delete)) L.outbox.remove(item.id);
      }));
    }
    parts.push(h("p", {"class": "actions"}, actions));
    return h("li", {"class": "card", "data-id": item.id, "data-state": item.state}, parts);
  }

  function syncText(pending) {
    var st = L.outbox.status;
    if (st.sessionExpired || st.otherAccount) return null;
    if (st.running) return strings.sync_running;
    if (pending) return s("sync_waiting", {n: pending});
    return st.lastDone ? s("sync_done", {time: clock(st.lastDone)}) : strings.sync_idle;
  }

  var drawing = false, again = false;
  async function drawQueue() {
    if (drawing) { again = true; return; }
    drawing = true;
    try {
      var items = await L.outbox.mine();
      var others = await L.outbox.othersWaiting();
      $("kept-aside").hidden = !others;
      $("kept-aside").textContent = others ? s("kept_aside", {n: others}) : "";
      var pending = items.filter(function (i) { return i.state !== "terkirim"; });
      var sent = items.filter(function (i) { return i.state === "terkirim"; }).reverse();
      $("queue").replaceChildren.apply($("queue"), pending.map(card));
      $("history").replaceChildren.apply($("history"), sent.map(card));
      $("queue-count").textContent = pending.length;
      var waiting = pending.filter(function (i) { return L.outbox.PENDING[i.state]; }).length;
      var text = syncText(waiting), status = $("sync-status");
      status.textContent = "";
      if (text === null && L.outbox.status.otherAccount) {
        status.append(strings.other_account + " ", h("a", {href: L.config.urls.shell + "#antrean", text: strings.reload}));
      } else if (text === null) {
        status.append(strings.session_expired + " ", h("a", {href: L.config.urls.login + "?next=" + encodeURIComponent(L.config.urls.shell + "#antrean"), text: strings.login}));
      } else {
        status.textContent = text;
      }
    } finally {
      drawing = false;
    }
    if (again) { again = false; drawQueue(); }
  }

  // --- network and service worker ---------------------------------------------------------------

  function drawNet() {
    $("net").textContent = navigator.onLine ? strings.online : strings.offline;
    $("net").classList.toggle("off", !navigator.onLine);
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    var ready = function () { if (navigator.serviceWorker.controller) document.documentElement.dataset.offline = "ready"; };
    navigator.serviceWorker.addEventListener("controllerchange", ready);
    navigator.serviceWorker.register(L.config.urls.sw, {scope: L.config.urls.shell}).catch(function (error) {
      if (window.console) console.warn("service worker", error);
    });
    ready();
  }

  L.app = {
    show: show,
    saved: function () {
      notice(strings.saved);
      show("queue");
      L.outbox.sync();
    },
  };

  // --- whose app this is -----------------------------------------------------------------------

  // The account this browser is signed in to now (the site's readable cookie; "" after a logout).
  function signedIn() {
    var pair = document.cookie.split("; ").filter(function (c) { return c.indexOf(L.config.cookie + "=") === 0; })[0];
    return pair ? decodeURIComponent(pair.slice(L.config.cookie.length + 1)) : "";
  }

  // A page kept for another account (or from before a logout) never starts: it would show that
  // person's groups and queue, and send their visits with whoever's session the browser now has.
  function refuse() {
    document.querySelector(".tabs").hidden = true;
    document.querySelectorAll("#main > section").forEach(function (v) { v.hidden = true; });
    $("logout").hidden = true;
    $("notice").textContent = "";
    $("notice").append(strings.not_you + " ", h("a", {href: L.config.urls.login + "?next=" + encodeURIComponent(L.config.urls.shell), text: strings.login}));
    $("notice").hidden = false;
    document.documentElement.dataset.app = "refused";
  }

  // Logging out clears what this site keeps on the phone (the server says so: Clear-Site-Data),
  // queued visits included: say how many of this account's would go. Visits another account left
  // waiting here are never wiped by this one: then nothing is cleared but the cached pages.
  async function logout(form) {
    var others = await L.outbox.othersWaiting();
    form.querySelector("input[name=clear_storage]").value = others ? "0" : "1";
    var unsent = (await L.outbox.mine()).filter(function (i) { return i.state !== "terkirim"; }).length;
    if (!others && unsent && !window.confirm(s("logout_unsent", {n: unsent}))) return;
    form.querySelector("input[name=csrfmiddlewaretoken]").value = L.config.csrf;  // perhaps renewed since
    form.submit();
  }

  async function boot() {
    drawNet();
    if (signedIn() !== String(L.config.user.id)) { refuse(); return; }
    registerWorker();
    document.querySelectorAll(".tabs a").forEach(function (a) {
      a.addEventListener("click", function (event) { event.preventDefault(); notice(""); show(a.dataset.view); });
    });
    window.addEventListener("hashchange", function () { show(VIEWS[location.hash.slice(1)] || "groups"); });
    window.addEventListener("lapangan:outbox", drawQueue);
    window.addEventListener("online", function () { drawNet(); loadGroups(); L.outbox.sync(); });
    window.addEventListener("offline", function () { drawNet(); drawQueue(); });
    $("send-now").addEventListener("click", function () { L.outbox.sendNow(); });
    $("logout").addEventListener("submit", function (event) {
      event.preventDefault();  // the outbox is read asynchronously: the form goes after that
      logout(event.target);
    });
    show(VIEWS[location.hash.slice(1)] || "groups");
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    await loadGroups();
    await drawQueue();
    document.documentElement.dataset.app = "ready";
    L.outbox.sync();
    setInterval(function () { L.outbox.sync(); }, 30000);
  }

  boot();
})(window.Lapangan = window.Lapangan || {});
