// Renkei's service worker: keeps the app shell so the app starts without a network.
//
// - Pages: network first; without a network, the cached shell (`/offline`), which starts the
//   app client-side on the same URL.
// - The shell's files: network first too (so an online visit always runs the newest app),
//   falling back to the cache; every successful fetch refreshes the cache.
// - The API is never cached: data lives in the app's own storage (the outbox, the copy).
//
// The version below changes with every build of the app, so the browser installs the new
// worker and its cache; the app's stored outbox is not touched by an update.
const VERSION = '__VERSION__';
const CACHE = `renkei-${VERSION}`;
const SHELL = ['/offline', '/boot.js', '/pkg/renkei.js', '/pkg/renkei.wasm', '/pkg/renkei.css', '/favicon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith('renkei-') && k !== CACHE).map((k) => caches.delete(k)),
      ))
      .then(() => self.clients.claim()),
  );
});

async function networkThenCache(request, fallbackPath) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && fallbackPath !== '/offline') {
      cache.put(fallbackPath, response.clone());
    }
    return response;
  } catch (offline) {
    const cached = await cache.match(fallbackPath);
    if (cached) {
      return cached;
    }
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(networkThenCache(request, '/offline'));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(networkThenCache(request, url.pathname));
  }
});
