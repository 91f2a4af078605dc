// Offline support: registers the service worker, keeps answers made offline in IndexedDB
// "hvs-outbox", replays them in order later. Without it, forms still post normally.
(() => {
  if (!window.indexedDB || !window.fetch) return;
  navigator.serviceWorker?.register("/sw.js").catch(() => {});

  // One store; the auto-increment id keeps records in the order they were made.
  const db = (mode, fn) => new Promise((ok, fail) => {
    const o = indexedDB.open("hvs-outbox", 1);
    o.onupgradeneeded = () => o.result.createObjectStore("q", { keyPath: "id", autoIncrement: true });
    o.onerror = () => fail(o.error);
    o.onsuccess = () => {
      const t = o.result.transaction("q", mode), r = fn(t.objectStore("q"));
      t.oncomplete = () => ok(r.result);
      t.onabort = () => fail(t.error);
    };
  });
  const all = () => db("readonly", (s) => s.getAll());

  // A status line; id "hvs-outbox" is the bar shown while answers wait.
  const note = (cls, text) => {
    const p = document.createElement("p");
    p.className = cls;
    p.setAttribute("role", "status");
    p.textContent = text;
    return p;
  };
  // Records queued through hvsOutbox.queue name what they are ("lượt điểm danh"); the
  // rest are lesson answers.
  const bar = (records) => {
    const b = document.getElementById("hvs-outbox") || Object.assign(note("outbox"), { id: "hvs-outbox" });
    const kinds = new Map();
    for (const r of records) kinds.set(r.kind || "bài trả lời", (kinds.get(r.kind || "bài trả lời") || 0) + 1);
    b.textContent = `Còn ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")} chờ gửi`;
    records.length ? document.body.append(b) : b.remove();
  };
  const count = () => all().then(bar, () => {});

  // Django's CSRF cookie: a page from the cache may hold an outdated form token.
  const csrf = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1];
  const post = (url, body) => {
    const t = csrf();
    if (t) body.set("csrfmiddlewaretoken", t);
    return fetch(url, { method: "POST", body, credentials: "same-origin" });
  };

  // Put the server's answer on screen as if the form had posted normally.
  const show = (html, url) => {
    const d = new DOMParser().parseFromString(html, "text/html");
    document.title = d.title;
    document.body.replaceWith(d.body);
    if (url) history.replaceState(null, "", url);
    scrollTo(0, 0);
    count();
  };

  let mine, busy, again;
  const replay = async () => {
    if (busy) again = true; // records queued meanwhile go in the same run
    if (busy || !navigator.onLine) return count();
    busy = true;
    try {
      run: do {
        again = false;
        for (const r of await all()) {
          const body = new URLSearchParams(r.body), res = await post(r.url, body).catch(() => 0);
          const s = res.status;
          // Keep it (and the rest, in order) when offline, on server trouble, a CSRF refusal
          // (no cookie to take a token from) or a login page; other answers mean done.
          if (!res || s >= 500 || (s === 403 && !csrf()) || /\/dang-nhap\//.test(res.url)) break run;
          await db("readwrite", (st) => st.delete(r.id));
          if (r.id === mine && s === 200) show(await res.text());
          // A page that queued a record hears the server's answer to it.
          else if (r.kind) {
            const text = await res.text().catch(() => "");
            document.dispatchEvent(new CustomEvent("hvs-outbox-sent", { detail: { record: r, status: s, text } }));
          }
          await count();
        }
      } while (again);
    } finally {
      busy = false;
    }
    count();
  };

  // For pages that record taps in the background (attendance): queue a POST, in order with
  // everything else, and send it now if there is a connection. kind names it in the bar.
  window.hvsOutbox = {
    queue: async (url, fields, kind) => {
      const id = await db("readwrite", (s) => s.add({ url, body: `${new URLSearchParams(fields)}`, kind, queued_at: new Date().toISOString() }));
      count();
      replay();
      return id;
    },
    pending: all,
  };

  document.addEventListener("submit", async (e) => {
    const f = e.target;
    if (!f.matches("form[data-outbox]") || e.defaultPrevented) return;
    e.preventDefault();
    const body = new URLSearchParams(new FormData(f, e.submitter)), url = f.action;
    if (e.submitter) e.submitter.disabled = true; // no second tap while it is sent
    if (navigator.onLine) {
      const res = await post(url, body).catch(() => 0); // 0: no connection after all
      if (res && res.status < 502) return show(await res.text(), res.redirected && res.url);
    }
    mine = await db("readwrite", (s) => s.add({ url, body: `${body}`, queued_at: new Date().toISOString() }));
    f.append(note("msg", "Chưa có mạng. Bài trả lời đã lưu trên điện thoại, đang chờ gửi: khi có mạng, máy sẽ tự gửi."));
    count();
  });

  // A cached page repeats its client_key: give every page view a new one.
  addEventListener("pageshow", () => {
    for (const i of document.querySelectorAll("[data-outbox] [name=client_key]")) {
      if (crypto.randomUUID) i.value = crypto.randomUUID();
    }
  });
  addEventListener("online", replay);
  replay();
})();
