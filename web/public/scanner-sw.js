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

/** The files a page of the app needs: its scripts and styles, and the chunks its scripts load
 * lazily (the scanner's own code among them). The last page's are remembered: every
 * navigation would otherwise fetch its scripts again to read them. */
let lastFiles = { html: "", files: [] };

async function filesOf(html) {
  if (html === lastFiles.html) return lastFiles.files;
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  for (const script of files.filter((name) => name.endsWith(".js"))) {
    const code = await (await fetch(script)).text();
    for (const m of code.matchAll(/["'`]assets\/([\w.-]+\.(?:js|css))["'`]/g)) files.push(`/assets/${m[1]}`);
  }
  lastFiles = { html, files: [...new Set([...files, "/scanner.webmanifest", "/scanner-icon-192.png"])] };
  return lastFiles.files;
}

/** Keep ``page`` as the shell the scanner opens offline, once every file it needs is kept too:
 * a new deployment's page kept before its files, on a door's patchy Wi-Fi, opened blank offline
 * for the rest of the night. Files no kept page needs any more are dropped. */
async function keepShellNow(page) {
  const cache = await caches.open(CACHE);
  const files = await filesOf(await page.clone().text());
  const missing = [];
  for (const name of files) if (!(await cache.match(name, { ignoreVary: true }))) missing.push(name);
  await cache.addAll(missing); // all or none: a failure keeps the shell there was
  await cache.put(SHELL, page);
  const needed = new Set(files.map((name) => new URL(name, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.startsWith("/assets/") && !needed.has(request.url)) await cache.delete(request);
  }
}

/** ``keepShellNow``, one page at a time: two reloads during a deployment ran two at once, and
 * the older page's pruning deleted the files of the newer one it had just kept. */
let keeping = Promise.resolve();

function keepShell(page) {
  const run = keeping.then(() => keepShellNow(page));
  keeping = run.catch(() => undefined);
  return run;
}

async function cacheShell() {
  const page = await fetch(SHELL, { cache: "no-store" });
  if (!page.ok) throw new Error(`the scanner page answered ${page.status}`);
  await keepShell(page);
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

async function page(event) {
  const cache = await caches.open(CACHE);
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), NETWORK_WAIT_MS);
    const answer = await fetch(event.request, { signal: controller.signal, cache: "no-store" });
    clearTimeout(timer);
    if (answer.ok) {
      event.waitUntil(keepShell(answer.clone()).catch(() => undefined)); // the old one stays
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
    event.respondWith(page(event));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(file(event.request));
  } else if (url.pathname.startsWith("/scanner")) {
    event.respondWith(fresh(event.request)); // the manifest and its icons
  }
});
