// Renkei's service worker: keeps this build's files so the app starts, and every area of it
// opens, without a network.
//
// - Install: fetches every file of the build — all the split parts, not only those the first
//   page needed — into this build's cache, in the background of the first online visit.
// - Pages: network first; without a network, this build's cached shell (`/offline`), which
//   starts the app client-side on the same URL — or, for the fair tablet's page (`/fair`),
//   this build's copy of that page, which starts the tablet's own module.
// - `/pkg` files: names carrying content hashes are answered cache first (this build's cache
//   or the previous one, so a page still running the previous build loads its own parts,
//   never a mix of two builds), then the network. The split loader's name is not a content
//   hash: network first, then this build's copy.
// - The shell, the tablet's page (`/fair`) and their boot modules (`/boot.js`, `/tablet.js`):
//   network first, this build's copies without a network.
// - The API is never cached: data lives in the app's own storage (the outbox, the copy).
// - Activate: this build's cache and the one before it are kept, older ones deleted.
//
// The version and file list below are this build's (the server writes them in); the app's
// stored outbox is not touched by an update.
const VERSION = '__VERSION__';
const CACHE = `renkei-${VERSION}`;
const FILES = '__FILES__';
// `stem.<hash>.ext`, not the split loader (its name is not a hash of its final content).
const HASHED = /\/(?!__wasm_split\.)[^/.]+\.[A-Za-z0-9_-]{16,}\.(js|wasm|css)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // From the server, not the browser's HTTP cache: a copy kept there could be another
      // build's file under a name that did not change.
      .then((cache) => cache.addAll(FILES.map((f) => new Request(f, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    // Cache names come back in the order they were made: the last complete other one is the
    // build that pages opened before this update may still be running (an install that
    // failed leaves an incomplete cache, never kept in its place).
    const others = (await caches.keys()).filter((k) => k.startsWith('renkei-') && k !== CACHE);
    const complete = [];
    for (const k of others) {
      if (await (await caches.open(k)).match('/offline')) complete.push(k);
    }
    const previous = complete[complete.length - 1];
    const stale = others.filter((k) => k !== previous);
    await Promise.all(stale.map((k) => caches.delete(k)));
    await self.clients.claim();
  })());
});

// The network, else this build's copy (stored at install; nothing is written at run time,
// so another build's file never lands in this build's cache).
async function networkThenCache(request, path) {
  try {
    return await fetch(request);
  } catch (offline) {
    const cached = await (await caches.open(CACHE)).match(path);
    if (cached) {
      return cached;
    }
    throw offline;
  }
}

async function builtFile(request, path) {
  if (HASHED.test(path)) {
    const kept = await caches.match(request, { ignoreSearch: true });
    if (kept) {
      return kept;
    }
  }
  return networkThenCache(request, path);
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
    const tablet = url.pathname === '/fair' && FILES.includes('/fair');
    event.respondWith(networkThenCache(request, tablet ? '/fair' : '/offline'));
  } else if (url.pathname.startsWith('/pkg/')) {
    event.respondWith(builtFile(request, url.pathname));
  } else if (FILES.includes(url.pathname)) {
    event.respondWith(networkThenCache(request, url.pathname));
  }
});
