"""Bytes a resident's phone downloads per page, gzip-compressed, images excluded.

Starts its own server on a free loopback port with a throwaway SQLite database and the
Bạch Ngọc demo, then for every resident page type measures the first visit (HTML plus
every stylesheet and script it links) and a repeat visit (HTML again; assets revalidated
with If-None-Match / If-Modified-Since, so only changed bytes count). Lesson images are
reported separately against their own budget. Everything is removed afterwards.

Budgets (DESIGN.md): <= 60 KB per page, <= 40 KB per image.
Run: .venv/bin/python bench/page_weight.py
"""

import gzip
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_BUDGET = 60 * 1024
IMAGE_BUDGET = 40 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A tiny phone: keeps cookies and remembers validators of what it downloaded."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.validators: dict[str, dict[str, str]] = {}

    def get(self, path: str, data: bytes | None = None, revalidate: bool = False):
        """(decoded body, bytes on the wire) for a request."""
        headers = {"Accept-Encoding": "gzip"}
        if revalidate:
            headers.update(self.validators.get(path, {}))
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            response = self.opener.open(request)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return b"", 0
            raise
        with response:
            raw = response.read()
            gzipped = response.headers.get("Content-Encoding") == "gzip"
            saved = {}
            if etag := response.headers.get("ETag"):
                saved["If-None-Match"] = etag
            if modified := response.headers.get("Last-Modified"):
                saved["If-Modified-Since"] = modified
            self.validators[path] = saved
        body = gzip.decompress(raw) if gzipped else raw
        return body, len(raw) if gzipped else len(gzip.compress(raw))

    def post_form(self, path: str, fields: dict, form_page: str | None = None) -> bytes:
        page, _ = self.get(form_page or path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.decode(), **fields}).encode()
        body, _ = self.get(path, data)
        return body


def assets_of(html: bytes) -> set[str]:
    return {a.decode() for a in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)}


def images_of(html: bytes) -> set[str]:
    return {a.decode() for a in re.findall(rb'src="(/hoc/anh/[^"]+)"', html)}


def measure(browser: Browser, path: str) -> tuple[int, int, set[str]]:
    html, html_bytes = browser.get(path)
    first = html_bytes + sum(browser.get(a)[1] for a in assets_of(html))
    html2, html2_bytes = browser.get(path)
    repeat = html2_bytes + sum(browser.get(a, revalidate=True)[1] for a in assets_of(html2))
    return first, repeat, images_of(html)


def main() -> None:
    tmp = tempfile.TemporaryDirectory()
    env = {
        **os.environ,
        "DATA_DIR": tmp.name,
        "DEBUG": "true",
        "TASK_BACKEND": "immediate",
        "SPEECH_ENGINE": "none",
    }
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [py, "manage.py", "demo_load"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    port = free_port()
    server = subprocess.Popen(
        [py, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows, images = [], {}
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        for _ in range(200):
            try:
                browser.get("/")
                break
            except OSError:
                time.sleep(0.1)
        lessons, _ = browser.get("/hoc/")
        slug = re.search(rb'href="/hoc/([a-z0-9-]+)/"', lessons).group(1).decode()
        pages = [
            ("trang chủ", "/"),
            ("danh sách bài học", "/hoc/"),
            ("tìm bài học", "/hoc/?q=zalo"),
            ("bài học + câu hỏi", f"/hoc/{slug}/"),
            ("đăng nhập", "/dang-nhap/dien-thoai/"),
            ("đăng ký", "/dang-ky/"),
            ("tin tức", "/tin-tuc/"),
            ("lịch sự kiện", "/lich/su-kien/"),
            ("lịch hướng dẫn", "/lich/"),
            ("cảnh báo lừa đảo", "/canh-bao/"),
            ("báo lừa đảo", "/bao-lua-dao/"),
            ("gương điển hình", "/guong-dien-hinh/"),
            ("cuộc thi trắc nghiệm", "/cuoc-thi/"),
            ("cuộc thi viết", "/cuoc-thi-viet/"),
        ]
        for name, path in pages:
            first, repeat, found = measure(browser, path)
            rows.append((name, path, first, repeat))
            images.update(dict.fromkeys(found))
        news, _ = browser.get("/tin-tuc/")
        article = re.search(rb'href="(/tin-tuc/[a-z0-9-]+/)"', news).group(1).decode()
        first, repeat, _ = measure(browser, article)
        rows.append(("bài tin tức", article, first, repeat))
        lesson_page, _ = browser.get(f"/hoc/{slug}/")
        fields = dict(re.findall(rb'name="(q\d+)" value="(\d+)"', lesson_page))
        key = re.search(rb'name="client_key" value="([^"]+)"', lesson_page).group(1).decode()
        answers = {k.decode(): v.decode() for k, v in fields.items()} | {"client_key": key}
        result = browser.post_form(f"/hoc/{slug}/tra-loi/", answers, f"/hoc/{slug}/")
        rows.append(("kết quả bài học", f"/hoc/{slug}/tra-loi/", len(gzip.compress(result)), 0))
        browser.post_form("/dang-nhap/dien-thoai/", {"phone": "0912000001", "pin": "2580"})
        for name, path in [
            ("trang của tôi", "/toi/"),
            ("quyền riêng tư", "/toi/quyen-rieng-tu/"),
            ("chứng nhận của tôi", "/toi/chung-nhan/"),
        ]:
            first, repeat, _ = measure(browser, path)
            rows.append((name, path, first, repeat))
        for image in images:
            images[image] = len(browser.get(image)[0])
    finally:
        server.terminate()
        server.wait()
        tmp.cleanup()

    print(f"{'trang':22} {'đường dẫn':34} {'lần đầu':>9} {'lần sau':>9}   (byte, nén gzip)")
    for name, path, first, repeat in rows:
        flag = "" if first <= PAGE_BUDGET else "  VƯỢT 60 KB"
        print(f"{name:22} {path[:34]:34} {first:9d} {repeat:9d}{flag}")
    biggest = max(images.values(), default=0)
    print(f"{len(images)} hình trong bài, lớn nhất {biggest} byte (giới hạn {IMAGE_BUDGET})")
    first_kb = max(r[2] for r in rows) / 1024
    repeat_kb = max(r[3] for r in rows) / 1024
    print(f"max_image_kb={biggest / 1024:.1f}")
    print(
        f"max_first_visit_kb={first_kb:.1f} max_repeat_visit_kb={repeat_kb:.1f} pages={len(rows)}"
    )


if __name__ == "__main__":
    main()
