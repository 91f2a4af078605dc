// Service worker for Học vụ số, served at /sw.js so that it covers the whole site.
// Cache-first: static files, lesson pages with their images, lesson audio once played
// (or small). Network-first with a cached copy as fallback: every other GET.
// Never cached: POSTs and account pages (staff, "my page", admin, login, QR card links),
// except a session's attendance page, which a volunteer opens in a room with no signal.
// Change VERSION to drop every old copy on the phones.
const VERSION = "hvs-v1";
const KEEP = { ignoreVary: true };
const PRIVATE = /^\/(can-bo|toi|quan-tri|dang-nhap|dang-xuat|dang-ky|the|tinh|trang-cua-toi)\//;
const ATTENDANCE = /^\/can-bo\/buoi-huong-dan\/\d+\/diem-danh\/$/; // network-first, kept
const LESSON = /^\/hoc\/[\w-]+\/$/; // one segment: /hoc/anh/1/x.svg is an image
const IMAGE = /^\/hoc\/anh\//;
const AUDIO = /^\/hoc\/[\w-]+\/doc-\d+\.mp3$/;
const HASHED = /\.[0-9a-f]{12}\.\w+$/; // names from ManifestStaticFilesStorage never change
const SMALL_AUDIO = 300 * 1024; // audio this small is kept with the lesson before it is played

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== VERSION).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const path = url.pathname;
  if (url.origin !== location.origin) return;
  if (request.method !== "GET") return; // POSTs go to the network; offline.js queues them
  if (PRIVATE.test(path) && !(ATTENDANCE.test(path) && !url.search)) {
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  const cacheFirst =
    path.startsWith("/static/") || LESSON.test(path) || IMAGE.test(path) || AUDIO.test(path);
  event.respondWith((cacheFirst ? fromCache : fromNetwork)(event, request, path));
});

// Cache-first. Lesson pages and unversioned static files are refreshed in the background,
// so the next visit shows edits; images and audio keep their copy.
async function fromCache(event, request, path) {
  const hit = await caches.match(request, KEEP);
  if (!hit) return keep(event, request, path).catch(() => fallback(request));
  const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("Range") || "");
  if (range && AUDIO.test(path)) return part(await hit.arrayBuffer(), +range[1], range[2]);
  if (LESSON.test(path) || (path.startsWith("/static/") && !HASHED.test(path))) {
    event.waitUntil(keep(event, request, path).catch(() => {}));
  }
  return hit;
}

async function fromNetwork(event, request, path) {
  try {
    return await keep(event, request, path);
  } catch {
    return (await caches.match(request, KEEP)) || fallback(request);
  }
}

// Fetch from the network and keep a copy of a complete, public answer. Audio passes
// here only when the page plays it (preload="none"), which is when it is kept.
async function keep(event, request, path) {
  const response = await fetch(request);
  const control = response.headers.get("Cache-Control") || "";
  if (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    !/no-store|private/.test(control)
  ) {
    const cache = await caches.open(VERSION);
    const copy = AUDIO.test(path) ? plain(response.clone()) : response.clone();
    event.waitUntil(Promise.resolve(copy).then((c) => cache.put(request, c)).catch(() => {}));
    if (LESSON.test(path)) {
      event.waitUntil(response.clone().text().then((html) => keepParts(cache, html)).catch(() => {}));
    }
  } else if (response.status === 404) {
    event.waitUntil(caches.open(VERSION).then((cache) => cache.delete(request, KEEP))); // unpublished
  }
  return response;
}

// A lesson's images load lazily, so the page alone would leave most of them out:
// fetch the missing ones now, one at a time to spare a weak connection.
async function keepParts(cache, html) {
  const urls = new Set(html.match(/\/hoc\/(?:anh\/[^"'\s<>]+|[\w-]+\/doc-\d+\.mp3)/g));
  for (const url of urls) {
    if (await cache.match(url, KEEP)) continue;
    const abort = new AbortController();
    const response = await fetch(url, { signal: abort.signal }).catch(() => null);
    if (!response || !response.ok || response.redirected) continue;
    const size = Number(response.headers.get("Content-Length") || Infinity);
    if (IMAGE.test(url)) await cache.put(url, response).catch(() => {});
    else if (size <= SMALL_AUDIO) await cache.put(url, await plain(response)).catch(() => {});
    else abort.abort(); // long audio waits until it is played
  }
}

// The stored body is decoded, but a gzip answer keeps the compressed Content-Length, which
// media players trust for the duration and seeking: store audio with its real length.
async function plain(response) {
  const body = await response.blob();
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding");
  headers.set("Content-Length", body.size);
  return new Response(body, { status: response.status, headers });
}

// The piece of a kept audio file the player asked for, so that it can jump back and forth.
function part(buffer, start, last) {
  const end = Math.min(last ? +last : Infinity, buffer.byteLength - 1);
  if (start > end) return new Response(null, { status: 416 });
  return new Response(buffer.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": "audio/mpeg",
      "Content-Range": `bytes ${start}-${end}/${buffer.byteLength}`,
      "Content-Length": String(end - start + 1),
    },
  });
}

function fallback(request) {
  return request.mode === "navigate" ? offlinePage() : Response.error();
}

// Shown for a page never opened with a connection: a short note and the saved lessons.
async function offlinePage() {
  const cache = await caches.open(VERSION);
  let links = "";
  for (const request of await cache.keys()) {
    if (!LESSON.test(new URL(request.url).pathname)) continue;
    const html = await (await cache.match(request, KEEP)).text();
    const title = (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || request.url;
    links += `<li><a href="${request.url}">${title.split(" · ")[0]}</a></li>`;
  }
  const body = `<!doctype html><html lang="vi"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chưa có mạng · Học vụ số</title>
<style>body{font:1.15rem/1.5 system-ui,sans-serif;margin:1rem;color:#111}a{color:#0b4f9c}</style>
<h1>Chưa có mạng</h1>
<p>Trang này chưa được lưu trên điện thoại. Bác chờ có mạng rồi mở lại nhé.</p>
${links ? `<h2>Bài học xem được khi không có mạng</h2><ul>${links}</ul>` : ""}
<p><a href="">Thử lại</a></p>`;
  return new Response(body, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
