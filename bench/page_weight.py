"""Bytes a resident's phone downloads on a first visit, gzip-compressed, images excluded.

Starts its own server on loopback with a throwaway SQLite database and the demo data,
fetches each page and every stylesheet/script it links, then removes everything.
Budget (DESIGN.md): <= 60 KB per page.   Run: .venv/bin/python bench/page_weight.py
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
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 60 * 1024
PAGES = ["/", "/dang-nhap/dien-thoai/", "/dang-ky/", "/toi/", "/toi/quyen-rieng-tu/"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(opener, url: str, data: bytes | None = None) -> tuple[bytes, int]:
    request = urllib.request.Request(url, data=data, headers={"Accept-Encoding": "gzip"})
    with opener.open(request) as response:
        raw = response.read()
        wire = len(raw) if response.headers.get("Content-Encoding") == "gzip" else None
        body = gzip.decompress(raw) if wire is not None else raw
        return body, wire if wire is not None else len(gzip.compress(raw))


def main() -> None:
    tmp = tempfile.TemporaryDirectory()
    env = {**os.environ, "DATA_DIR": tmp.name, "DEBUG": "true"}
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
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        for _ in range(100):
            try:
                fetch(opener, base + "/")
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for path in PAGES:
            if path == "/toi/":  # log in as the demo resident first
                page, _ = fetch(opener, base + "/dang-nhap/dien-thoai/")
                token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
                form = {"csrfmiddlewaretoken": token.decode(), "phone": "0912000001", "pin": "2580"}
                fetch(
                    opener, base + "/dang-nhap/dien-thoai/", urllib.parse.urlencode(form).encode()
                )
            html, html_wire = fetch(opener, base + path)
            assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
            asset_wire = sum(fetch(opener, base + a.decode())[1] for a in set(assets))
            rows.append((path, html_wire, asset_wire, html_wire + asset_wire))
    finally:
        server.terminate()
        server.wait()
        tmp.cleanup()
    print(f"{'page':28} {'html':>8} {'css+js':>8} {'total':>8}  budget 60 KB")
    for path, h, a, t in rows:
        mark = "ok" if t <= BUDGET else "OVER"
        print(f"{path:28} {h:8d} {a:8d} {t:8d}  {mark}")
    worst = max(t for *_, t in rows)
    print(
        f"pages={len(rows)} max_bytes={worst} budget_bytes={BUDGET} within_budget={worst <= BUDGET}"
    )


if __name__ == "__main__":
    main()
