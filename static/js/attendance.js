// Attendance on the volunteer's phone. Each tap shows at once and becomes a record in the
// shared outbox (offline.js: IndexedDB, replayed in order), sent now or when the connection
// returns. Every record carries its own client_key, so a replay is never counted twice.
// Without this file (or without IndexedDB) every button is a small form that posts normally.
(() => {
  const root = document.getElementById("att");
  if (!root) return;
  const $ = (sel) => root.querySelector(sel);
  const roll = $("#att-roll"), done = $("#att-done"), note = $("#att-note");
  const results = $("#att-results"), q = $("#att-q"), tpl = $("#att-skills-tpl");
  const base = root.dataset.page; // this page's path; every action posts below it
  const ATTEND = "lượt điểm danh", SKILL = "lượt ghi kỹ năng";

  const uuid = () =>
    crypto.randomUUID
      ? crypto.randomUUID() // secure pages only; a commune server on plain http gets the other
      : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
          (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  const fold = (s) =>
    s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  const sha256 = async (text) => {
    if (!crypto.subtle) return null;
    const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  const action = (url) => new URL(url, location.href).pathname.slice(base.length); // "co-mat/"…
  const ours = (record) => new URL(record.url, location.href).pathname.startsWith(base);

  // A note floating at the bottom, so that the list never moves under the finger. Good news
  // goes after a few seconds; a refusal stays until it is tapped or the next one comes.
  let camNote = null, hide; // camNote: the status line on the camera screen, while open
  const say = (text, bad) => {
    note.textContent = text;
    note.className = bad ? "msg error" : "msg";
    if (camNote) camNote.textContent = text;
    clearTimeout(hide);
    if (!bad) hide = setTimeout(() => { note.textContent = ""; }, 4000);
  };
  note.addEventListener("click", () => { note.textContent = ""; });

  const counts = () => {
    $("#att-n").textContent = $("#att-done-n").textContent = done.children.length;
    $("#att-left").textContent = roll.querySelectorAll("li[data-id]").length;
  };

  // A row of the "Đã điểm danh" list; its skill checklist once the person is known.
  const skillsFor = (id) => {
    const d = tpl.content.querySelector("details").cloneNode(true);
    d.querySelector("[name=resident]").value = id;
    return d;
  };
  const row = (id, name, meta) => {
    const li = document.createElement("li");
    li.innerHTML = '<div class="att-row"><span class="att-name"></span><span class="att-meta"></span></div>';
    li.querySelector(".att-name").textContent = name || "";
    li.querySelector(".att-meta").textContent = meta || "";
    if (id) {
      li.dataset.id = id;
      li.append(skillsFor(id));
    }
    return li;
  };
  const waiting = (li, key) => {
    li.dataset.key = key;
    const w = document.createElement("span");
    w.className = "att-wait";
    w.textContent = "chờ gửi";
    li.querySelector(".att-row").append(w);
    return li;
  };
  const sent = (li) => {
    delete li.dataset.key;
    li.querySelector(".att-wait")?.remove();
  };

  // Move someone to "Đã điểm danh" (from the hamlet list if they are in it).
  const present = (id, name, meta, key) => {
    const already = done.querySelector(`:scope > li[data-id="${id}"]`);
    if (already) return already;
    const listed = roll.querySelector(`li[data-id="${id}"]`);
    if (listed) {
      name = listed.querySelector(".att-name").textContent;
      meta = listed.querySelector(".att-meta").textContent;
      listed.remove();
    }
    const li = row(id, name, meta);
    if (key) waiting(li, key);
    done.prepend(li);
    counts();
    return li;
  };

  // Keep the record on the phone and let the outbox send it. The csrf token comes from the
  // cookie when it is sent; "js" asks the server for a short JSON answer.
  const queue = (form, fields, kind) => {
    const key = uuid();
    fields.delete("csrfmiddlewaretoken");
    fields.set("client_key", key);
    fields.set("js", "1");
    window.hvsOutbox.queue(form.action, fields, kind).catch(() =>
      say("Điện thoại không lưu được lượt này. Hãy tải lại trang rồi bấm lại.", true));
    return key;
  };

  const handlers = {
    // One tap on a name: present, no question asked.
    mark(form) {
      const fields = new URLSearchParams(new FormData(form));
      const name = form.querySelector(".att-name")?.textContent || "";
      fields.set("name", name); // only for this phone's list while it waits
      const fromSearch = !!form.closest("#att-results");
      present(fields.get("resident"), name, form.querySelector(".att-meta")?.textContent, queue(form, fields, ATTEND));
      if (fromSearch) {
        q.value = "";
        results.textContent = "";
      }
      say(`Đã điểm danh: ${name}`);
    },

    async card(form) {
      const input = form.querySelector("[name=token]");
      const text = input.value.trim();
      const token = (/\/the\/([A-Za-z0-9_-]{8,100})\/?(?:[?#].*)?$/.exec(text) || [])[1] ||
        (/^[A-Za-z0-9_-]{8,100}$/.test(text) ? text : null);
      input.value = "";
      if (!token) return say("Mã thẻ không đúng. Hãy quét lại, hoặc tìm người dân theo tên.", true);
      // Only the hash waits on the phone: the token itself would log the resident in.
      const fields = new URLSearchParams();
      const hash = await sha256(token).catch(() => null);
      fields.set(hash ? "token_hash" : "token", hash || token);
      const key = queue(form, fields, ATTEND);
      done.prepend(waiting(row(null, "Thẻ vừa quét", `…${token.slice(-4)}`), key));
      counts();
      say("Đã nhận thẻ.");
    },

    walk_in(form) {
      const errors = checkWalkIn(form);
      if (Object.keys(errors).length) return showErrors(form, errors);
      showErrors(form, {});
      const fields = new URLSearchParams(new FormData(form));
      fields.set("full_name", fields.get("full_name").trim().replace(/\s+/g, " "));
      const key = queue(form, fields, ATTEND);
      done.prepend(waiting(row(null, fields.get("full_name"), "người mới"), key));
      counts();
      form.reset();
      $("#att-walk").open = false;
      say(`Đã ghi người mới: ${fields.get("full_name")}`);
    },

    skills(form) {
      const boxes = [...form.querySelectorAll("[name=skill]:checked:not(:disabled)")];
      if (!boxes.length) return say("Chưa chọn kỹ năng nào.", true);
      const fields = new URLSearchParams({ resident: form.querySelector("[name=resident]").value });
      for (const b of boxes) fields.append("skill", b.value);
      queue(form, fields, SKILL);
      for (const b of boxes) b.disabled = true;
      const details = form.closest("details");
      details.querySelector(".att-sk-n").textContent = form.querySelectorAll("[name=skill]:checked").length;
      details.open = false;
      say(`Đã ghi ${boxes.length} kỹ năng cho ${form.closest("li").querySelector(".att-name").textContent}`);
    },
  };

  // The list moves up under the finger after each tap: the second tap of a double tap would
  // mark the next person. Only single taps count.
  root.addEventListener("click", (e) => {
    if (e.detail > 1 && e.target.closest(".att-tap")) e.preventDefault();
  }, true);

  root.addEventListener("submit", (e) => {
    const form = e.target, handler = handlers[form.dataset.att];
    if (!handler || !window.hvsOutbox || e.defaultPrevented) return; // a normal post
    e.preventDefault();
    handler(form);
  });

  // The walk-in form, checked on the phone by the same rules as the server (which decides).
  const checkWalkIn = (f) => {
    const errors = {}, now = new Date().getFullYear();
    const required = "Trường này là bắt buộc.";
    const name = f.full_name.value.trim().replace(/\s+/g, " ");
    if (!name) errors.full_name = required;
    else if (name.split(" ").length < 2) errors.full_name = "Hãy nhập đủ họ và tên, ví dụ: Nguyễn Thị Lan.";
    else if (/\d/.test(name)) errors.full_name = "Họ và tên không được có chữ số.";
    const year = Number(f.birth_year.value);
    if (!f.birth_year.value) errors.birth_year = required;
    else if (!(Number.isInteger(year) && year >= now - 120 && year <= now)) {
      errors.birth_year = `Năm sinh phải từ ${now - 120} đến ${now}.`;
    }
    if (!f.querySelector("[name=sex]:checked")) errors.sex = required;
    const phone = f.phone.value.replace(/[\s.\-()]/g, "").replace(/^\+84/, "0").replace(/^84(?=\d{9}$)/, "0");
    if (phone && !/^0[35789][0-9]{8}$/.test(phone)) {
      errors.phone = "Số điện thoại không hợp lệ. Hãy nhập 10 chữ số, bắt đầu bằng 0, ví dụ 0912 345 678.";
    }
    if (!f.explained.checked) errors.explained = "Hãy giải thích cho người dân trước khi ghi nhận.";
    // The same name and birth year already in this hamlet: most likely the same person.
    const same = name && !errors.birth_year && !f.querySelector("[name=same_name_confirmed]:checked") &&
      [...root.querySelectorAll("#att-roll li[data-fold], #att-done li[data-fold]")].find((li) =>
        li.dataset.fold === fold(name) && li.querySelector(".att-meta").textContent.startsWith(String(year)));
    if (same) {
      errors.__all__ = `Xóm đã có người tên ${name}, sinh năm ${year}. Nếu đúng người đó, hãy chạm vào tên trong danh sách. Nếu là người khác trùng tên, hãy đánh dấu “Đây là người khác”.`;
    }
    return errors;
  };
  const showErrors = (form, errors) => {
    for (const old of form.querySelectorAll(".error, .errors")) old.remove();
    for (const [name, messages] of Object.entries(errors)) {
      const p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      p.textContent = [].concat(messages).join(" ");
      if (name === "__all__") {
        form.prepend(p);
        if (p.textContent.includes("người khác")) offerSameName(form);
      } else (form.querySelector(`[name=${name}]`)?.closest(".field") || form).append(p);
    }
    form.querySelector(".error")?.scrollIntoView({ block: "center" });
  };
  const offerSameName = (form) => {
    const hidden = form.querySelector("input[type=hidden][name=same_name_confirmed]");
    if (!hidden) return;
    const label = document.createElement("label");
    label.className = "check";
    label.innerHTML = '<input type="checkbox" name="same_name_confirmed"> Đây là người khác, chỉ trùng họ tên và năm sinh';
    hidden.replaceWith(label);
    form.querySelector("button:last-of-type").before(label);
  };
  // A walk-in the server refused (say, a phone number already registered): back into the form.
  const restoreWalkIn = (fields, errors) => {
    const form = root.querySelector("form[data-att=walk_in]");
    form.reset();
    for (const [name, value] of fields) {
      for (const input of form.querySelectorAll(`[name="${name}"]`)) {
        if (input.type === "checkbox" || input.type === "radio") input.checked ||= input.value === value || value === "on";
        else if (input.type !== "hidden") input.value = value;
      }
    }
    $("#att-walk").open = true;
    showErrors(form, errors);
  };

  // The server's answer to each record of this page, whenever the outbox sends it.
  document.addEventListener("hvs-outbox-sent", (e) => {
    const { record, text } = e.detail;
    if (!ours(record)) return;
    const fields = new URLSearchParams(record.body), what = action(record.url);
    let answer = {};
    try {
      answer = JSON.parse(text);
    } catch {
      answer = {};
    }
    const li = done.querySelector(`li[data-key="${fields.get("client_key")}"]`);
    if (what === "ky-nang/") {
      if (!answer.ok) say(answer.message || "Có một lượt ghi kỹ năng không lưu được.", true);
      return;
    }
    if (answer.ok && answer.resident) {
      const { id, name, meta } = answer.resident;
      const known = done.querySelector(`:scope > li[data-id="${id}"]`);
      if (li && known && known !== li) li.remove(); // a card of someone already marked
      const target = known || li;
      if (!target) present(id, name, meta);
      else if (!target.dataset.id) {
        target.dataset.id = id;
        target.querySelector(".att-name").textContent = name;
        target.querySelector(".att-meta").textContent = meta;
        target.append(skillsFor(id));
      }
      if (target) sent(target);
      roll.querySelector(`li[data-id="${id}"]`)?.remove();
      if (what !== "co-mat/") say(answer.message);
      counts();
      refresh();
      return;
    }
    li?.remove();
    counts();
    say(answer.message || "Có một lượt điểm danh không lưu được. Hãy kiểm tra lại danh sách.", true);
    if (what === "nguoi-moi/") restoreWalkIn(fields, answer.errors || {});
  });

  // Records still on the phone (the page may come from the cache): show them as waiting.
  addEventListener("DOMContentLoaded", () => {
    window.hvsOutbox?.pending().then((records) => {
      for (const r of records.filter(ours)) {
        const f = new URLSearchParams(r.body), key = f.get("client_key"), what = action(r.url);
        if (done.querySelector(`li[data-key="${key}"]`)) continue;
        if (what === "co-mat/") {
          if (!done.querySelector(`:scope > li[data-id="${f.get("resident")}"]`)) present(f.get("resident"), f.get("name"), "", key);
        } else if (what === "the/") done.prepend(waiting(row(null, "Thẻ vừa quét", ""), key));
        else if (what === "nguoi-moi/") done.prepend(waiting(row(null, f.get("full_name"), "người mới"), key));
      }
      counts();
    }, () => {});
  });

  // Search: the server's results when online; offline, the hamlet list on the phone.
  let timer, asked = 0;
  const localSearch = (text) => {
    const t = fold(text);
    const hits = [...roll.querySelectorAll("li[data-id]")].filter((li) => li.dataset.fold.includes(t)).slice(0, 20);
    results.textContent = "";
    const p = document.createElement("p");
    p.className = "small muted";
    p.textContent = hits.length
      ? "Chưa có mạng: kết quả trong danh sách xóm."
      : `Chưa có mạng: không thấy ai tên “${text}” trong danh sách xóm. Có mạng mới tìm được theo số điện thoại và ở xóm khác.`;
    results.append(p);
    if (!hits.length) return;
    const ul = document.createElement("ul");
    ul.className = "att-list";
    for (const li of hits) {
      const copy = li.cloneNode(true);
      copy.querySelector("[name=method]").value = "search";
      ul.append(copy);
    }
    results.append(ul);
  };
  const search = async () => {
    const text = q.value.trim(), n = ++asked;
    if (fold(text).length < 2 && !/\d{3}/.test(text)) return void (results.textContent = "");
    let html = null;
    if (navigator.onLine) {
      const url = `${root.dataset.search}?q=${encodeURIComponent(text)}`;
      const res = await fetch(url, { credentials: "same-origin" }).catch(() => null);
      if (res && res.ok && !res.redirected) html = await res.text();
    }
    if (n !== asked) return; // a newer search is on its way
    if (html === null) localSearch(text);
    else results.innerHTML = html;
  };
  q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  $("#att-search").addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    search();
  });

  // Scan a printed card with the camera (Chrome on Android has BarcodeDetector). Elsewhere
  // the button stays hidden and the card's code can be typed or pasted into the field.
  const scan = $("#att-scan"), cardForm = root.querySelector("form[data-att=card]");
  if ("BarcodeDetector" in window && navigator.mediaDevices?.getUserMedia) {
    BarcodeDetector.getSupportedFormats().then((formats) => {
      if (formats.includes("qr_code")) scan.hidden = false;
    }, () => {});
  }
  scan.addEventListener("click", async () => {
    const screen = document.createElement("div");
    screen.className = "att-cam";
    screen.innerHTML = '<video playsinline muted></video><p role="status">Đưa mã QR trên thẻ vào giữa khung hình.</p><button type="button" class="button big">Xong</button>';
    document.body.append(screen);
    const video = screen.querySelector("video");
    let stream = null, open = true, last = "", lastAt = 0;
    const close = () => {
      open = false;
      camNote = null;
      stream?.getTracks().forEach((t) => t.stop());
      screen.remove();
    };
    screen.querySelector("button").addEventListener("click", close);
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      await video.play();
    } catch {
      close();
      return say("Không mở được máy ảnh. Hãy gõ mã trên thẻ, hoặc tìm theo tên.", true);
    }
    camNote = screen.querySelector("p");
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    // Card after card until "Xong"; the same card held in view is read once.
    const look = async () => {
      if (!open) return;
      const [code] = await detector.detect(video).catch(() => []);
      if (code && (code.rawValue !== last || Date.now() - lastAt > 5000)) {
        last = code.rawValue;
        lastAt = Date.now();
        cardForm.querySelector("[name=token]").value = code.rawValue;
        cardForm.requestSubmit();
      }
      setTimeout(look, 200);
    };
    look();
  });

  // Keep this page on the phone, so that it opens in a room with no signal. The first visit
  // happens before the service worker runs: fetch it (and its files) again once it does.
  let refreshing;
  const refresh = (files) => {
    clearTimeout(refreshing);
    refreshing = setTimeout(() => {
      if (!navigator.serviceWorker?.controller || !navigator.onLine) return;
      fetch(base, { credentials: "same-origin" }).catch(() => {});
      if (!files) return;
      for (const el of document.querySelectorAll("link[rel=stylesheet], script[src]")) {
        fetch(el.href || el.src).catch(() => {});
      }
    }, files ? 0 : 1500);
  };
  navigator.serviceWorker?.addEventListener("controllerchange", () => refresh(true));
})();
