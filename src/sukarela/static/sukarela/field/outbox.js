// The outbox: every recorded visit is written to IndexedDB first (photos as Blobs), then sent in
// the order it was recorded whenever there is a network. The visit's UUID, made on the phone, makes
// a resend harmless: the server stores it once and answers as the first time, so a request cut off
// mid-way is simply sent again. Photos go up in parts and resume where the server says it stopped.
//
// An item's state: menunggu (waiting) → mengirim (sending) → terkirim (sent; kept a while as
// history) or ditolak (the server refused it, naming the field; the TKS edits and saves again) or
// konflik (the server's copy changed meanwhile; the TKS keeps theirs or takes the server's).
// A network or server failure (5xx) leaves the item waiting and retries with a growing pause;
// the items after it wait too, so the server always sees them in order.
//
// The outbox holds each item with the account that recorded it. On a shared phone only the
// signed-in account's items are shown and sent, and only after the server has confirmed, at the
// start of each pass, that the session is still that account's: a visit is never sent with
// somebody else's session. The others' items stay on the phone until their owner signs in again.
(function (L) {
  "use strict";
  var PENDING = {menunggu: true, mengirim: true};
  var HISTORY = 20;
  var status = {running: false, sessionExpired: false, otherAccount: false, lastDone: null, retryAt: null, reason: null};
  var MARGIN = 5 * 60000;  // the history is re-read this far back: a change committed late is not missed
  var rerun = false, timer = null, counter = 0;

  function changed() { window.dispatchEvent(new CustomEvent("lapangan:outbox")); }

  async function mine() {
    var all = await L.db.all("outbox");
    return all.filter(function (i) { return i.user === L.config.user.id; })
      .sort(function (a, b) { return a.seq - b.seq; });
  }

  // Waiting items recorded by other accounts on this phone (kept aside, never sent by this one).
  async function othersWaiting() {
    return (await L.db.all("outbox")).filter(function (i) { return i.user !== L.config.user.id && i.state !== "terkirim"; }).length;
  }

  async function update(id, change) {
    var item = await L.db.change("outbox", id, function (i) {
      if (i) change(i);
      return i;
    });
    if (item) changed();
    return item;
  }

  // body: the visit as the API takes it (photos declared by id/size/sha256/content_type);
  // blobs: {photoId: Blob} of the photos new in this save.
  async function save(body, blobs, label) {
    // One transaction with the read: a sync answer landing meanwhile is either seen here or waits.
    var saved = await L.db.change("outbox", body.id, function (item) {
      if (!item) {
        item = {id: body.id, user: L.config.user.id, seq: Date.now() * 1000 + (counter++ % 1000), mode: "post",
                base_version: null, version: null, blobs: {}, received: {}, created: new Date().toISOString(), rev: 0};
      } else if (item.version !== null || item.server) {
        // It reached the server once (or the server holds another copy): this save is an edit of it.
        item.mode = "put";
        item.base_version = item.server ? item.server.version : item.version;
      }
      var declared = {};
      body.photos.forEach(function (p) { declared[p.id] = true; });
      Object.keys(item.blobs).forEach(function (id) { if (!declared[id]) delete item.blobs[id]; });
      Object.assign(item.blobs, blobs);
      return Object.assign(item, {body: body, label: label, state: "menunggu", errors: null, server: null,
                                  detail: null, attempts: 0, next_try: 0, note: null, restarts: {}, rev: item.rev + 1});
    });
    changed();
    return saved;
  }

  async function remove(id) { await L.db.remove("outbox", id); changed(); }

  // A refusal's {loc, msg} list → [{field, msg}] with the field named as the form names it.
  function describe(data) {
    var s = L.config.strings, cat = (L.bootstrap && L.bootstrap.catalogue) || {tasks: []};
    if (!data || !Array.isArray(data.detail)) return [{field: "", msg: String(data && data.detail || "")}];
    return data.detail.map(function (e) {
      var loc = (e.loc || []).filter(function (p) { return p !== "body"; }), names = [];
      var head = loc[0];
      if (head !== undefined) names.push(s.fields[head] || s.indicator_fields[head] || head);
      if (head === "details" && loc[1]) {
        var task = cat.tasks.filter(function (t) { return t.value === loc[1]; })[0];
        names.push(task ? task.label : loc[1]);
        var field = task && loc[2] ? task.fields.filter(function (f) { return f.name === loc[2]; })[0] : null;
        if (loc[2]) names.push(field ? field.label : loc[2]);
      } else if (head === "indicators" && loc[1]) {
        names.push(s.indicator_fields[loc[1]] || loc[1]);
      } else if (typeof loc[1] === "number") {
        names.push(String(loc[1] + 1));
        if (loc[2]) names.push(s[loc[2]] || loc[2]);
      }
      return {field: names.join(" · "), msg: e.msg};
    });
  }

  function Stop(kind, data) { this.kind = kind; this.data = data; }

  function check(response) {
    if (response.status === 401) throw new Stop("auth");
    if (response.status === 409 && response.data && response.data.server) throw new Stop("konflik", response.data);
    if (response.status >= 400) throw new Stop("ditolak", response.data);
    return response.data;
  }

  // The server refused a complete photo on its final check (size, SHA-256, a real image)?
  function finalCheckFailed(response) {
    return response.status === 422 && response.data && Array.isArray(response.data.detail) &&
      response.data.detail.some(function (e) { return (e.loc || [])[e.loc.length - 1] === "photo"; });
  }

  // Photo `k` of the body sent, from byte `from`. The server's `received` is the truth: a 409 says
  // where it stands (0 when it lost the part file in a crash: the photo starts over). A photo that
  // fails the final check was discarded there; bytes damaged on the way fail the SHA-256 and a
  // second copy usually passes, so it is sent again from byte 0 once; a second refusal stops the
  // item ("ditolak"), naming the photo.
  async function uploadPhoto(id, photo, k, from) {
    var item = await L.db.get("outbox", id), blob = item && item.blobs[photo.id];
    if (!blob) throw new Stop("ditolak", {detail: [{loc: ["body", "photos", k], msg: L.config.strings.photo_lost}]});
    var chunk = (L.bootstrap && L.bootstrap.limits.chunk_bytes) || 262144;
    var parts = Math.ceil(photo.size / chunk), offset = from, guard = 2 * parts + 8;
    var at = function (n) { return update(id, function (i) { i.received[photo.id] = n; }); };
    while (offset < photo.size) {
      if (guard-- <= 0) throw new L.api.NetworkError("upload did not advance");
      var end = Math.min(offset + chunk, photo.size);
      var response = await L.api.put("field/photos/" + photo.id, blob.slice(offset, end), {
        "Content-Type": "application/octet-stream", "Content-Range": "bytes " + offset + "-" + (end - 1) + "/" + photo.size});
      if (response.status === 409 && response.data && typeof response.data.received === "number") {
        offset = response.data.received;  // the server has more (or less: then from there, maybe from 0)
        if (response.data.complete) offset = photo.size;
        await at(offset);
        continue;
      }
      if (finalCheckFailed(response)) {
        var msg = response.data.detail.map(function (e) { return e.msg; }).join(" ");
        var tried = ((await L.db.get("outbox", id)).restarts || {})[photo.id] || 0;
        if (tried >= 1) {
          throw new Stop("ditolak", {detail: [{loc: ["body", "photos", k], msg: L.form.s("photo_refused", {msg: msg})}]});
        }
        await update(id, function (i) { i.restarts = i.restarts || {}; i.restarts[photo.id] = tried + 1; i.received[photo.id] = 0; });
        offset = 0;
        guard = 2 * parts + 8;
        continue;
      }
      var state = check(response);
      offset = state.received;
      await at(state.complete ? photo.size : offset);
      if (state.complete) return;
    }
  }

  // The visit first (unless the server already has this very revision of it: then only the photos
  // are left, resumed from what we last heard; a 409 corrects us if the server has more), then
  // each photo of the revision sent that is not complete. An edit saved meanwhile stops the
  // photos: its own visit (which declares any new photo) goes first on the next pass, so a photo
  // is never sent before the server knows it.
  async function send(item) {
    item = await update(item.id, function (i) { i.state = "mengirim"; });
    if (!item) return;  // removed meanwhile
    var rev = item.rev, sent = item.body, answer = null;
    if (item.stored_rev !== rev) {
      var body = Object.assign({}, sent);
      if (item.mode === "put") {
        body.base_version = item.base_version;
        answer = check(await L.api.put("field/visits/" + item.id, body));
      } else {
        answer = check(await L.api.post("field/visits", body));
      }
      item = await update(item.id, function (i) {
        Object.assign(i, {version: answer.version, mode: "put", base_version: answer.version, stored_rev: rev,
                          status: answer.status, received_at: answer.received_at});
        (answer.photos || []).forEach(function (p) { i.received[p.id] = p.complete ? p.size : p.received; });
      });
      if (!item) return;
    }
    for (var k = 0; k < sent.photos.length; k++) {
      var now = await L.db.get("outbox", item.id);
      if (!now || now.rev !== rev) break;
      var photo = sent.photos[k], from = now.received[photo.id] || 0;
      if (from < photo.size) await uploadPhoto(item.id, photo, k, from);
    }
    await update(item.id, function (i) {
      if (i.rev !== rev) { i.state = "menunggu"; return; }  // edited while it was sending: send the edit next
      Object.assign(i, {state: "terkirim", blobs: {}, errors: null, attempts: 0, sent_at: new Date().toISOString()});
    });
  }

  function backoff(attempts) {
    var ms = Math.min(300000, 5000 * Math.pow(2, attempts - 1));
    return Math.round(ms * (0.75 + Math.random() * 0.5));
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(function () { sync(); }, ms);
  }

  async function prune() {
    var sent = (await mine()).filter(function (i) { return i.state === "terkirim"; });
    sent.sort(function (a, b) { return (b.sent_at || "").localeCompare(a.sent_at || ""); });
    for (var i = HISTORY; i < sent.length; i++) await L.db.remove("outbox", sent[i].id);
  }

  // Whether the session is still this page's account (the server says who it is).
  async function sameAccount() {
    var response = await L.api.get("me");
    if (response.status === 401) throw new Stop("auth");
    if (response.status === 200 && response.data && response.data.id !== L.config.user.id) status.otherAccount = true;
    return response.status === 200 && !status.otherAccount;
  }

  async function pass(force) {
    var all = await mine(), items = all.filter(function (i) { return PENDING[i.state]; });
    status.retryAt = null;
    if (!items.length && !all.some(function (i) { return i.state === "terkirim"; })) return;  // nothing to ask
    try {
      if (!(await sameAccount())) return;
    } catch (error) {
      if (error instanceof Stop) { status.sessionExpired = true; return; }
      if (!error.transient) throw error;
      status.reason = error.reason;
      return;  // no network after all: the next pass asks again
    }
    for (var n = 0; n < items.length; n++) {
      var item = items[n];
      if (!force && item.next_try > Date.now()) { status.retryAt = item.next_try; schedule(item.next_try - Date.now()); return; }
      try {
        await send(item);
      } catch (error) {
        if (error instanceof Stop && (error.kind === "ditolak" || error.kind === "konflik")) {
          await update(item.id, function (i) {
            i.state = error.kind;
            if (error.kind === "konflik") { i.server = error.data.server; i.detail = error.data.detail; }
            else i.errors = describe(error.data);
          });
          continue;  // the next visit does not depend on this one
        }
        await update(item.id, function (i) { i.state = "menunggu"; });
        if (error instanceof Stop && error.kind === "auth") { status.sessionExpired = true; return; }
        if (!error.transient) throw error;
        var wait = backoff(item.attempts + 1);
        await update(item.id, function (i) { i.attempts += 1; i.next_try = Date.now() + wait; i.last_error = error.reason; });
        status.retryAt = Date.now() + wait;
        status.reason = error.reason;
        schedule(wait);
        return;  // keep the order: the rest wait for this one
      }
    }
    status.sessionExpired = false;
    status.lastDone = new Date();
    await prune();
    await refreshHistory().catch(function () { /* the history can wait for the next pass */ });
  }

  // The supervisor's review reaches the phone through the history: a returned visit shows the
  // comment and is edited from the server's current version. The server lists changes oldest
  // first by (updated_at, id); the phone reads page after page, each starting right after the
  // last row read (the page's `next`), until a page is short. The next refresh starts a few
  // minutes before the last change read: a change whose transaction committed late carries an
  // earlier time, and reading one twice is harmless.
  async function refreshHistory() {
    var sent = (await mine()).filter(function (i) { return i.state === "terkirim"; });
    if (!sent.length) return;
    var key = "since:" + L.config.user.id, since = await L.db.get("kv", key);
    if (!since) {
      var first = Math.min.apply(null, sent.map(function (i) { return Date.parse(i.received_at || i.sent_at); }));
      since = new Date(first - MARGIN).toISOString();
    }
    var limit = L.config.history_page || 100, after = null, latest = null;
    for (var pages = 0; pages < 100; pages++) {
      var response = await L.api.get("field/visits?limit=" + limit + "&since=" + encodeURIComponent(since) +
                                     (after ? "&after=" + encodeURIComponent(after) : ""));
      if (response.status !== 200) break;
      var items = response.data.items;
      for (var v of items) {
        latest = Date.parse(v.updated_at);
        await update(v.id, function (i) {
          if (i.state !== "terkirim") return;
          Object.assign(i, {status: v.status, review_comment: v.review_comment});
          if (v.version > (i.version || 0)) {
            Object.assign(i, {version: v.version, base_version: v.version, body: L.form.bodyFromServer(v, i.body),
                              stored_rev: i.rev});
          }
        });
      }
      if (items.length < limit || !response.data.next) break;
      after = response.data.next;
    }
    if (latest !== null) await L.db.put("kv", new Date(latest - MARGIN).toISOString(), key);
  }

  // Runs one pass at a time in this tab and, where the browser has Web Locks, across tabs.
  async function sync(force) {
    if (!navigator.onLine || status.otherAccount) { changed(); return; }
    if (status.running) { rerun = true; return; }
    status.running = true;
    changed();
    try {
      var locked = navigator.locks
        ? navigator.locks.request("sukarela-lapangan-sync", {ifAvailable: true}, function (lock) { return lock && pass(force); })
        : pass(force);
      await locked;
    } catch (error) {
      status.reason = String(error && error.message || error);
      if (window.console) console.error(error);
    } finally {
      status.running = false;
      changed();
    }
    if (rerun) { rerun = false; sync(force); }
  }

  async function sendNow() {
    for (var item of await mine()) {
      if (PENDING[item.state] && item.next_try) await update(item.id, function (i) { i.next_try = 0; });
    }
    status.sessionExpired = false;
    return sync(true);
  }

  async function keepMine(id) {
    await update(id, function (i) {
      Object.assign(i, {mode: "put", base_version: i.server.version, state: "menunggu", server: null, detail: null,
                        next_try: 0});
    });
    return sync(true);
  }

  // The server's copy may declare photos it has not got in full yet (their upload was cut off
  // before this clash): the phone keeps those photos and finishes them; nothing else is sent.
  async function takeTheirs(id) {
    var unfinished = false;
    await update(id, function (i) {
      var server = i.server, blobs = {};
      (server.photos || []).forEach(function (p) {
        i.received[p.id] = p.complete ? p.size : p.received;
        if (!p.complete && i.blobs[p.id]) { blobs[p.id] = i.blobs[p.id]; unfinished = true; }
      });
      Object.assign(i, {state: unfinished ? "menunggu" : "terkirim", version: server.version, mode: "put",
                        base_version: server.version, stored_rev: i.rev,
                        body: L.form.bodyFromServer(server, i.body), blobs: blobs, server: null, detail: null,
                        note: L.config.strings.took_theirs, status: server.status, attempts: 0, next_try: 0,
                        restarts: {}, sent_at: new Date().toISOString()});
    });
    if (unfinished) return sync(true);
  }

  L.outbox = {mine: mine, othersWaiting: othersWaiting, save: save, remove: remove, sync: sync, sendNow: sendNow, keepMine: keepMine,
              takeTheirs: takeTheirs, status: status, PENDING: PENDING};
})(window.Lapangan = window.Lapangan || {});
