// The field API over fetch with the browser session. The CSRF cookie is HttpOnly here, so the
// token comes from the page; a token gone stale (the TKS signed in again elsewhere) is fetched
// afresh from the shell once and the request repeated (only if the shell is still this account's).
(function (L) {
  "use strict";

  function NetworkError(reason) { this.reason = reason; this.transient = true; }

  async function freshToken() {
    var response = await fetch(L.config.urls.shell, {credentials: "same-origin", cache: "no-store"});
    if (!response.ok || response.redirected) return null;
    var doc = new DOMParser().parseFromString(await response.text(), "text/html");
    var node = doc.getElementById("field-config"), config = node ? JSON.parse(node.textContent) : null;
    if (!config) return null;
    // Signed in as somebody else meanwhile: their token must not carry this page's requests.
    if (config.user.id !== L.config.user.id) { L.outbox.status.otherAccount = true; return null; }
    return config.csrf;
  }

  async function send(method, path, body, headers, retried) {
    var init = {method: method, credentials: "same-origin", cache: "no-store",
                // The API follows Accept-Language; the app speaks the page's language (the user's choice).
                headers: Object.assign({"Accept": "application/json", "Accept-Language": document.documentElement.lang,
                                        "X-CSRFToken": L.config.csrf}, headers || {})};
    if (body !== undefined) {
      if (body instanceof Blob) init.body = body;
      else { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
    }
    var response;
    try {
      response = await fetch(L.config.urls.api + path, init);
    } catch (error) {
      throw new NetworkError(error && error.message || "network");
    }
    var data = null;
    try { data = await response.json(); } catch (error) { data = null; }
    if (response.status === 403 && !retried && data && /csrf/i.test(String(data.detail))) {
      var token = await freshToken().catch(function () { return null; });
      if (token) { L.config.csrf = token; return send(method, path, body, headers, true); }
    }
    if (response.status >= 500 || response.status === 408 || response.status === 429) {
      throw new NetworkError("HTTP " + response.status);
    }
    return {status: response.status, data: data, stale: response.headers.get("X-Sukarela-Cache") === "stale"};
  }

  L.api = {
    NetworkError: NetworkError,
    get: function (path) { return send("GET", path); },
    post: function (path, body) { return send("POST", path, body); },
    put: function (path, body, headers) { return send("PUT", path, body, headers); },
  };
})(window.Lapangan = window.Lapangan || {});
