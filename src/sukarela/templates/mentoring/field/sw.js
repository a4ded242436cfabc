// The field app's service worker: the shell opens with no network. Static files are cache-first
// (their names change with their contents in production, and the cache name changes with every
// deploy: version {{ version }}); the page and the bootstrap data are network-first, falling back to
// the cached copy, so a TKS with signal always gets fresh groups and a fresh CSRF token.
// Visits and photos are never handled here: the page's outbox sends them (sync needs to know each
// answer), so POST/PUT pass straight through.
//
// A phone may be shared. The page and the groups are one account's, so they are kept per account
// ("?user=<id>" in the cache key: the server names the account in a header on the page and in the
// bootstrap's body). Offline, the page served is the one of the account the browser is signed in
// to now (the readable cookie the site sets at login and removes at logout; where this worker
// cannot read cookies, the account last served). The page checks that cookie again before it
// starts. Logging out also clears this worker and its caches (Clear-Site-Data).
"use strict";
const CACHE = "lapangan-{{ version }}";
const SHELL = "{{ shell|escapejs }}";
const BOOTSTRAP = "{{ bootstrap|escapejs }}";
const PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const USER_COOKIE = "{{ cookie|escapejs }}";
const USER_HEADER = "{{ user_header|escapejs }}";
const LAST_USER = SHELL + "__account";  // a cache entry: the account of the last page from the network
const NOT_STORED = "{{ not_stored|escapejs }}";

// Only a real, final answer is worth keeping: not a redirect to the login page, not an error.
function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function keyFor(url, user) {
  return url + "?user=" + encodeURIComponent(user);
}

// Which account a page or bootstrap answer belongs to ("" when it does not say).
async function ownerOf(url, response) {
  if (url === SHELL) return response.headers.get(USER_HEADER) || "";
  try { return String((await response.clone().json()).user.id); } catch (e) { return ""; }
}

async function keep(cache, url, response) {
  if (!keepable(response)) return response;
  const user = await ownerOf(url, response);
  if (!user) return response;
  await cache.put(keyFor(url, user), response.clone());
  if (url === SHELL) await cache.put(LAST_USER, new Response(user));
  return response;
}

async function signedIn(cache) {
  if (self.cookieStore) {
    try {
      const cookie = await self.cookieStore.get(USER_COOKIE);
      return cookie ? cookie.value : "";
    } catch (e) { /* no cookie access here: fall back */ }
  }
  const last = await cache.match(LAST_USER);
  return last ? last.text() : "";
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    // The page and the groups are the caller's own: fetched with the session, kept if they came.
    for (const url of [SHELL, BOOTSTRAP]) {
      try { await keep(cache, url, await fetch(url, {credentials: "same-origin", cache: "no-store"})); }
      catch (e) { /* offline while installing: the page caches itself on its next load */ }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("lapangan-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function stale(cached) {
  // Say so, for the page to tell the TKS how old its data is.
  const headers = new Headers(cached.headers);
  headers.set("X-Sukarela-Cache", "stale");
  return new Response(cached.body, {status: cached.status, statusText: cached.statusText, headers});
}

// `user`: whose copy the caller wants when the network fails (the bootstrap request names it; for
// the page it is the account signed in now).
async function networkFirst(request, url, user) {
  const cache = await caches.open(CACHE);
  try {
    return await keep(cache, url, await fetch(request));
  } catch (error) {
    const who = user === null ? await signedIn(cache) : user;
    const cached = who ? await cache.match(keyFor(url, who)) : null;
    if (cached) return stale(cached);
    if (url !== SHELL) throw error;
    const text = NOT_STORED.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    return new Response("<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
                        "<p id=not-stored style='font:16px sans-serif;padding:1rem'>" + text + "</p>",
                        {status: 503, headers: {"Content-Type": "text/html; charset=utf-8"}});
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (keepable(response)) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(networkFirst(request, SHELL, null));
  } else if (url.pathname === BOOTSTRAP) {
    event.respondWith(networkFirst(request, BOOTSTRAP, url.searchParams.get("user") || ""));
  } else if (PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
