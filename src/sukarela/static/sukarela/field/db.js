// IndexedDB, the phone's durable store: "kv" keeps the groups (bootstrap) per user, "outbox" the
// recorded visits with their photos as Blobs until the server has them all. localStorage would
// not hold Blobs and is too small for photos.
(function (L) {
  "use strict";
  var opened = null;

  function open() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var req = indexedDB.open("sukarela-lapangan", 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore("kv");
          req.result.createObjectStore("outbox", {keyPath: "id"});
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return opened;
  }

  // One transaction per call; resolves once it has committed, so a saved visit is really on disk.
  async function run(store, mode, work) {
    var db = await open();
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(store, mode), result;
      var req = work(tx.objectStore(store));
      if (req) req.onsuccess = function () { result = req.result; };
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }

  L.db = {
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    put: function (store, value, key) {
      return run(store, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); });
    },
    remove: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    // Read one record, let `change` (synchronous) return it changed, and write it back, all in one
    // transaction: read-write transactions on a store run one at a time, so the sync marking a visit
    // sent and the TKS saving an edit of it can no longer each write over the other's change.
    // Resolves with what was written (null when `change` returned nothing: no write).
    change: function (store, key, change) {
      var written = null;
      return run(store, "readwrite", function (s) {
        s.get(key).onsuccess = function (event) {
          written = change(event.target.result) || null;
          if (written) s.put(written);
        };
      }).then(function () { return written; });
    },
  };
})(window.Lapangan = window.Lapangan || {});
