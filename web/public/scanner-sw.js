/* The door scanner's service worker (scope /scanner/): it keeps the app's page and files so the
   scanner opens with no network once it has been loaded. The page is asked of the network first
   (a new deployment shows at once when online) and answered from the cache when the network
   does not answer within a moment; hashed files under /assets/ never change, so the cache
   answers them. API calls (/v1/) are never touched: the app decides what to do offline. */
const CACHE = "scanner-shell-v1";
const SHELL = "/scanner/";
const NETWORK_WAIT_MS = 3000;
// the edge answers with "Vary: Origin"; a module script's request carries an Origin header that
// the worker's own fetch did not, so matches ignore Vary (the files are the same for everyone)

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const page = await fetch(SHELL, { cache: "no-store" });
  if (!page.ok) throw new Error(`the scanner page answered ${page.status}`);
  const html = await page.clone().text();
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  // the entry script names the chunks it loads lazily (the scanner's own code among them)
  for (const script of files.filter((name) => name.endsWith(".js"))) {
    const code = await (await fetch(script)).text();
    for (const m of code.matchAll(/["'`]assets\/([\w.-]+\.(?:js|css))["'`]/g)) files.push(`/assets/${m[1]}`);
  }
  await cache.addAll([...new Set([...files, "/scanner.webmanifest", "/scanner-icon-192.png"])]);
  await cache.put(SHELL, page);
}

self.addEventListener("install", (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), NETWORK_WAIT_MS);
    const answer = await fetch(request, { signal: controller.signal, cache: "no-store" });
    clearTimeout(timer);
    if (answer.ok) {
      await cache.put(SHELL, answer.clone());
      return answer;
    }
    return (await cache.match(SHELL, { ignoreVary: true })) ?? answer;
  } catch {
    const kept = await cache.match(SHELL, { ignoreVary: true });
    if (kept) return kept;
    throw new Error("offline and the scanner was never loaded");
  }
}

async function fresh(request) {
  const cache = await caches.open(CACHE);
  try {
    const answer = await fetch(request, { cache: "no-cache" });
    if (answer.ok) await cache.put(request, answer.clone());
    return answer;
  } catch {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    throw new Error("offline and not kept");
  }
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const answer = await fetch(request);
  if (answer.ok) await cache.put(request, answer.clone());
  return answer;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (event.request.mode === "navigate" && url.pathname.startsWith("/scanner")) {
    event.respondWith(page(event.request));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(file(event.request));
  } else if (url.pathname.startsWith("/scanner")) {
    event.respondWith(fresh(event.request)); // the manifest and its icons
  }
});
