"""Offline: a lesson opened once reopens with no connection, and answers given offline wait
on the phone, are sent when the connection returns, and are counted exactly once."""

import re

import pytest
from playwright.sync_api import expect

from browser_tests.conftest import PHONE_VIEWPORT
from learning.models import Attempt, Lesson
from learning.services import lessons_load

pytestmark = pytest.mark.browser

SLUG = "cai-ung-dung-tu-ch-play"
TITLE = "Cài ứng dụng từ CH Play"

# True once the service worker holds the lesson page and every step image.
LESSON_CACHED_JS = """async () => {
    const urls = [location.href, ...[...document.querySelectorAll(".step img")].map(i => i.src)];
    const hits = await Promise.all(urls.map(u => caches.match(u, {ignoreVary: true})));
    return urls.length > 1 && hits.every(Boolean);
}"""

# Step images are lazy: ask for all of them, then check every one really decoded.
IMAGES_LOADED_JS = """() => {
    const images = [...document.querySelectorAll(".step img")];
    images.forEach(i => { i.loading = "eager"; });
    return images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0);
}"""

# The records waiting in the outbox (IndexedDB "hvs-outbox"), oldest first.
OUTBOX_JS = """() => new Promise((ok, fail) => {
    const o = indexedDB.open("hvs-outbox", 1);
    o.onerror = () => fail(o.error);
    o.onsuccess = () => {
        const r = o.result.transaction("q").objectStore("q").getAll();
        r.onsuccess = () => { o.result.close(); ok(r.result); };
    };
})"""

# Put a record back into the outbox, as if the phone had never heard the server's answer.
REQUEUE_JS = """record => new Promise((ok, fail) => {
    const o = indexedDB.open("hvs-outbox", 1);
    o.onsuccess = () => {
        const t = o.result.transaction("q", "readwrite");
        t.objectStore("q").add(record);
        t.oncomplete = () => { o.result.close(); ok(); };
        t.onabort = () => fail(t.error);
    };
})"""


def wait_until(page, async_predicate: str) -> None:
    """Wait until an async JS predicate resolves truthy (wait_for_function only awaits sync ones).

    Each poll starts the predicate and reads the answer the previous one left behind.
    """
    page.evaluate("window.__hvsWait = false")
    page.wait_for_function(
        f"() => {{ ({async_predicate})().then(v => {{ window.__hvsWait = !!v; }}, () => {{}});"
        " return window.__hvsWait; }",
        polling=50,
    )


def test_lesson_reopens_offline_and_answers_are_sent_once(page, cast, screenshot):
    lessons_load(commune=cast.commune)
    lesson = Lesson.objects.get(commune=cast.commune, slug=SLUG)
    context = page.context

    # Online: find the lesson the way a resident would, without typing the accents.
    page.goto("/hoc/")
    page.get_by_label("Tìm bài học").fill("ch play")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name=re.compile(TITLE)).click()
    expect(page).to_have_url(re.compile(rf"/hoc/{SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # The service worker is served from the root with the headers the browser needs.
    worker = page.request.get("/sw.js")
    assert worker.headers["content-type"].startswith("application/javascript")
    assert worker.headers["service-worker-allowed"] == "/"
    assert worker.headers["cache-control"] == "no-cache"

    # Wait until the worker is active, reload once so that it controls the page.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)") == "activated"
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    wait_until(page, LESSON_CACHED_JS)

    # No connection: the lesson still opens, with its title and every step image.
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.wait_for_function(IMAGES_LOADED_JS)
    assert page.evaluate("navigator.onLine") is False
    # The copy from the cache carries an old client_key; the page gets a fresh one, so a
    # later attempt is not mistaken for a replay of this one.
    cached = page.evaluate("caches.match(location.href, {ignoreVary: true}).then(r => r.text())")
    key = page.locator('input[name="client_key"]').input_value()
    assert re.fullmatch(r"[0-9a-f-]{36}", key) and key not in cached

    # Answer offline: the answers wait on the phone and the bar counts them.
    answer_all(page, lesson)
    expect(page.locator("form[data-outbox] .msg")).to_contain_text("đang chờ gửi")
    bar = page.locator("#hvs-outbox.outbox")
    expect(bar).to_have_text("Còn 1 bài trả lời chờ gửi")
    screenshot("offline-answer-waiting")
    assert Attempt.objects.filter(lesson=lesson).count() == 0
    [record] = page.evaluate(OUTBOX_JS)
    assert record["url"].endswith(f"/hoc/{SLUG}/tra-loi/")
    assert "client_key=" in record["body"] and "csrfmiddlewaretoken=" in record["body"]

    # Another tab: a page never opened gets the short offline page, which lists the
    # lessons kept on the phone; the lesson opened from there shows the waiting answer too.
    other = context.new_page()
    other.goto("/chung-nhan/KHONGCO/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Chưa có mạng")
    other.get_by_role("link", name=TITLE).click()
    expect(other.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(other.locator("#hvs-outbox")).to_have_text("Còn 1 bài trả lời chờ gửi")
    other.close()

    # The connection returns: the answer is sent by itself, and the result is shown.
    context.set_offline(False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Giỏi quá! Bác đã học xong bài")
    expect(bar).to_have_count(0)
    assert page.evaluate(OUTBOX_JS) == []
    attempt = Attempt.objects.get(lesson=lesson)
    assert attempt.passed
    assert f"client_key={attempt.client_key}" in record["body"]

    # The same record replayed again (say the phone never heard the answer) changes nothing.
    page.evaluate(REQUEUE_JS, record)
    page.reload()
    wait_until(page, f"() => ({OUTBOX_JS})().then(records => records.length === 0)")
    assert Attempt.objects.filter(lesson=lesson).count() == 1
    expect(bar).to_have_count(0)


def answer_all(page, lesson) -> None:
    for question in lesson.questions.all():
        page.locator(f'input[name="q{question.pk}"][value="{question.answer}"]').check()
    page.get_by_role("button", name="Nộp bài").click()


def test_online_answer_posts_and_a_failed_send_waits(browser, live_server, cast):
    """Without a service worker: online the result shows as after a normal post; when the
    send fails although the phone thinks it is online, the answer waits and goes later."""
    lessons_load(commune=cast.commune)
    lesson = Lesson.objects.get(commune=cast.commune, slug=SLUG)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE_VIEWPORT, service_workers="block"
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        page.goto(f"/hoc/{SLUG}/")
        answer_all(page, lesson)
        expect(page.get_by_role("heading", level=1)).to_have_text("Giỏi quá! Bác đã học xong bài")
        expect(page).to_have_url(re.compile(rf"/hoc/{SLUG}/$"))  # reloading shows the lesson
        assert Attempt.objects.filter(lesson=lesson).count() == 1

        # Weak 3G: the request dies on the way. The answer is kept, not lost.
        page.goto(f"/hoc/{SLUG}/")
        page.route("**/tra-loi/", lambda route: route.abort("internetdisconnected"))
        answer_all(page, lesson)
        expect(page.locator("form[data-outbox] .msg")).to_contain_text("đang chờ gửi")
        expect(page.locator("#hvs-outbox")).to_have_text("Còn 1 bài trả lời chờ gửi")
        assert Attempt.objects.filter(lesson=lesson).count() == 1

        page.unroute("**/tra-loi/")
        page.evaluate("dispatchEvent(new Event('online'))")
        expect(page.get_by_role("heading", level=1)).to_have_text("Giỏi quá! Bác đã học xong bài")
        expect(page.locator("#hvs-outbox")).to_have_count(0)
        assert Attempt.objects.filter(lesson=lesson).count() == 2  # a second, separate try
    finally:
        context.close()
