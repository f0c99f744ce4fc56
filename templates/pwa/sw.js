/* cop service worker {{ version }} (cop/pwa/views.py renders it; docs/notifications.md).
 *
 * - static files: from the cache first (their URLs carry a content hash);
 * - pages: from the network first; a page whose response says X-Offline-Cache: page
 *   (a logged-in member's topic, meeting, resource, chat) is kept for offline reading,
 *   at most {{ max_pages }}; without a connection the kept copy, else the offline page;
 * - nothing else is kept: a logged-out visitor's pages never carry the header, and the
 *   page cache is emptied at logout (static/js/pwa.js sends "clear-pages");
 * - Web Push: shows the notification and opens its link when tapped.
 */
"use strict";

const VERSION = {{ version|tojson }};
const STATIC = "cop-static-" + VERSION;
const PAGES = "cop-pages";
const OFFLINE = {{ offline|tojson }};
const PRECACHE = {{ ([offline] + assets)|tojson }};
const MAX_PAGES = {{ max_pages|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("cop-static-") && n !== STATIC).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

async function keepPage(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MAX_PAGES))) await cache.delete(old);
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.get("X-Offline-Cache") === "page") {
      await keepPage(request, response.clone());
    }
    return response;
  } catch (offline) {
    const kept = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
    return kept || (await caches.match(OFFLINE, { cacheName: STATIC })) || Response.error();
  }
}

async function staticFile(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).searchParams.has("v")) {
    (await caches.open(STATIC)).put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { title: event.data.text() }; }
  event.waitUntil(
    self.registration.showNotification("cop", {
      body: data.title || "",
      tag: data.tag,
      data: { url: data.url || "/notifications/" },
      icon: {{ icon|tojson }},
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
