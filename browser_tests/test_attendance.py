"""Attendance on a volunteer's phone: one tap per attendee from the hamlet list, cards, search,
walk-ins and skill ticks; with no signal the taps wait on the phone and are sent once."""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Consent, Resident
from accounts.services import resident_issue_card, resident_register
from browser_tests.conftest import PHONE_VIEWPORT
from browser_tests.test_journeys import staff_login
from browser_tests.test_offline import OUTBOX_JS, REQUEUE_JS, wait_until
from outreach.models import Attendance, Session, SkillTick

pytestmark = pytest.mark.browser

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đào", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Minh"]

# Nothing waits: no record in the outbox and no row marked "chờ gửi".
ALL_SENT_JS = """() => !document.getElementById("hvs-outbox")
    && document.querySelectorAll("#att-done li[data-key]").length === 0"""


def hamlet_people(cast, count: int) -> None:
    """count residents in the volunteer's hamlet, besides the cast's own Nguyễn Thị Lành."""
    for i in range(count):
        name = f"{FAMILY[i % 10]} {MIDDLE[i % 4]} {GIVEN[i % 11]}"
        resident_register(
            actor=cast.volunteer,
            hamlet=cast.hamlet,
            full_name=name,
            birth_year=1940 + i,
            sex="nu" if i % 2 else "nam",
            allow_same_name=True,
        )


def make_session(cast) -> Session:
    return Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa Xóm Ngọc Lâm",
        starts_at=timezone.now(),
        organiser=cast.organisation,
        planned_participants=40,
    )


def open_attendance(page, cast, session) -> None:
    staff_login(page, cast.volunteer.username)
    page.goto(f"/can-bo/buoi-huong-dan/{session.pk}/diem-danh/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Điểm danh")
    page.wait_for_function("!!window.hvsOutbox")  # offline.js is running


def test_forty_attendees_take_forty_taps(page, cast):
    hamlet_people(cast, 39)
    session = make_session(cast)
    open_attendance(page, cast, session)
    roll = page.locator("#att-roll li[data-id] button")
    expect(roll).to_have_count(40)

    taps = 0
    started = time.perf_counter()
    for _ in range(40):
        roll.first.click()  # the next name is always at the top of what is left
        taps += 1
    tapped_in = time.perf_counter() - started

    expect(roll).to_have_count(0)
    expect(page.locator("#att-n")).to_have_text("40")
    expect(page.locator("#att-done-n")).to_have_text("40")
    page.wait_for_function(ALL_SENT_JS)
    assert taps == 40
    assert Attendance.objects.filter(session=session).count() == 40
    assert set(Attendance.objects.values_list("method", flat=True)) == {"list"}
    assert page.evaluate(OUTBOX_JS) == []
    print(
        f"\nattendance: {taps} taps for 40 attendees = {taps / 40:g} tap per attendee "
        f"(taps made in {tapped_in:.1f} s by the test driver)"
    )


def test_offline_taps_wait_on_the_phone_and_are_sent_once(page, cast, screenshot):
    hamlet_people(cast, 5)
    session = make_session(cast)
    context = page.context
    open_attendance(page, cast, session)

    # One visit is enough: once the service worker runs, the page and its files are kept.
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    wait_until(
        page,
        """async () => {
            const js = document.querySelector("script[src*='attendance']").src;
            const hits = await Promise.all([location.href, js].map(
                u => caches.match(u, {ignoreVary: true})));
            return hits.every(Boolean);
        }""",
    )

    # No signal in the cultural house: the page still opens.
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Điểm danh")
    page.wait_for_function("!!window.hvsOutbox && navigator.onLine === false")
    roll = page.locator("#att-roll li[data-id] button")
    expect(roll).to_have_count(6)
    names = [roll.nth(i).locator(".att-name").inner_text() for i in range(3)]
    for _ in range(3):
        roll.first.click()
    bar = page.locator("#hvs-outbox")
    expect(bar).to_have_text("Còn 3 lượt điểm danh chờ gửi")
    expect(page.locator("#att-done li[data-key] .att-wait")).to_have_count(3)
    expect(page.locator("#att-n")).to_have_text("3")
    screenshot("attendance-offline")
    assert Attendance.objects.count() == 0
    records = page.evaluate(OUTBOX_JS)
    assert len(records) == 3 and all("client_key=" in r["body"] for r in records)

    # A reload while still offline keeps them, shown as waiting.
    page.reload()
    expect(bar).to_have_text("Còn 3 lượt điểm danh chờ gửi")
    expect(page.locator("#att-done li[data-key]")).to_have_count(3)
    expect(roll).to_have_count(3)

    # Signal again: they go by themselves, once, in the order they were made.
    context.set_offline(False)
    page.wait_for_function(ALL_SENT_JS)
    expect(bar).to_have_count(0)
    rows = Attendance.objects.filter(session=session).order_by("id")
    assert [a.resident.full_name for a in rows] == names
    assert {str(a.client_key) for a in rows} == {
        re.search(r"client_key=([0-9a-f-]+)", r["body"]).group(1) for r in records
    }

    # The phone never heard the answers and sends everything again: still three.
    for record in records:
        page.evaluate(REQUEUE_JS, record)
    page.reload()
    wait_until(page, f"() => ({OUTBOX_JS})().then(records => records.length === 0)")
    page.wait_for_function(ALL_SENT_JS)
    assert Attendance.objects.filter(session=session).count() == 3
    expect(page.locator("#att-n")).to_have_text("3")


def test_card_search_walk_in_and_skills(page, cast, screenshot, live_server):
    hamlet_people(cast, 6)
    with_phone = resident_register(
        actor=None,
        hamlet=cast.hamlet,
        full_name="Đinh Thị Ánh",
        birth_year=1958,
        sex="nu",
        phone="0987111222",
    )
    token = resident_issue_card(actor=cast.admin, resident=cast.resident)
    session = make_session(cast)
    open_attendance(page, cast, session)
    done = page.locator("#att-done")

    # No camera API in this Chromium: no scan button, the card's code goes in the field.
    expect(page.locator("#att-scan")).to_be_hidden()
    page.get_by_label("Mã trên thẻ").fill(f"{live_server.url}/the/{token}/")
    page.get_by_role("button", name="Điểm danh", exact=True).click()
    expect(done.locator("li[data-id]", has_text="Nguyễn Thị Lành")).to_have_count(1)
    expect(page.locator("#att-note")).to_have_text("Đã điểm danh: Nguyễn Thị Lành.")

    # Search by part of the phone number, then by name without diacritics.
    page.get_by_label("Tìm tên hoặc số điện thoại").fill("0987 111")
    page.locator("#att-results").get_by_role("button", name=re.compile("Đinh Thị Ánh")).click()
    expect(done.locator(f'li[data-id="{with_phone.pk}"]')).to_have_count(1)
    page.get_by_label("Tìm tên hoặc số điện thoại").fill("dinh thi anh")
    expect(page.locator("#att-results")).to_contain_text("đã điểm danh")

    # A walk-in, registered on their behalf with their own consent choices, present at once.
    page.get_by_text("+ Người mới").click()
    walk_in = page.locator("form[data-att=walk_in]")
    walk_in.get_by_label("Họ và tên").fill("Phạm Văn Mới")
    walk_in.get_by_label("Năm sinh").fill("1949")
    walk_in.get_by_label("Nam", exact=True).check()
    walk_in.get_by_label("Số điện thoại (nếu có)").fill("0912000001")  # already registered
    walk_in.get_by_label("Lưu quá trình học tập").check()
    walk_in.get_by_label(re.compile("Tôi đã đọc và giải thích")).check()
    walk_in.get_by_role("button", name="Đăng ký và điểm danh").click()
    # The server refuses the phone number: the form comes back, filled, with the reason.
    expect(walk_in.locator(".error")).to_contain_text("Số điện thoại này đã được đăng ký")
    expect(walk_in.get_by_label("Họ và tên")).to_have_value("Phạm Văn Mới")
    walk_in.get_by_label("Số điện thoại (nếu có)").fill("")
    walk_in.get_by_label(re.compile("Tôi đã đọc và giải thích")).check()
    walk_in.get_by_role("button", name="Đăng ký và điểm danh").click()
    newcomer = done.locator("li", has_text="Phạm Văn Mới")
    expect(newcomer).to_have_attribute("data-id", re.compile(r"\d+"))
    resident = Resident.objects.get(full_name="Phạm Văn Mới")
    assert Consent.objects.get(resident=resident).method == "assisted"

    # Skills the newcomer practised in the session.
    newcomer.get_by_text("Kỹ năng đã thực hành").click()
    newcomer.get_by_label("Dùng được Zalo").check()
    newcomer.get_by_label("Quét được mã QR").check()
    newcomer.get_by_role("button", name="Lưu kỹ năng").click()
    expect(newcomer.locator(".att-sk-n")).to_have_text("2")
    page.wait_for_function(ALL_SENT_JS)
    wait_until(page, f"() => ({OUTBOX_JS})().then(records => records.length === 0)")
    assert set(
        SkillTick.objects.filter(resident=resident, session=session, source="verified").values_list(
            "skill", flat=True
        )
    ) == {"zalo", "qr"}
    assert dict(Attendance.objects.values_list("resident__full_name", "method")) == {
        "Nguyễn Thị Lành": "card",
        "Đinh Thị Ánh": "search",
        "Phạm Văn Mới": "walk_in",
    }

    # A double tap marks one person, not also the next one who moves up under the finger.
    page.locator("#att-roll li[data-id] button").first.dblclick()
    expect(page.locator("#att-roll li[data-id]")).to_have_count(5)
    page.get_by_label("Tìm tên hoặc số điện thoại").fill("")
    page.wait_for_function(ALL_SENT_JS)
    page.reload()
    expect(page.locator("#att-n")).to_have_text("4")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("attendance")


def test_without_javascript_each_tap_posts_and_comes_back(browser, live_server, cast):
    hamlet_people(cast, 2)
    session = make_session(cast)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE_VIEWPORT, java_script_enabled=False
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        staff_login(page, cast.volunteer.username)
        page.goto(f"/can-bo/buoi-huong-dan/{session.pk}/diem-danh/")
        expect(page.locator("#att-scan")).to_be_hidden()
        page.locator("#att-roll li[data-id] button").first.click()
        expect(page.get_by_role("status").first).to_contain_text("Đã điểm danh:")
        expect(page.locator("#att-done li[data-id]")).to_have_count(1)
        expect(page.locator("#att-roll li[data-id]")).to_have_count(2)
        page.get_by_label("Tìm tên hoặc số điện thoại").fill("nguyen thi lanh")
        page.get_by_role("button", name="Tìm").click()
        page.locator("#att-results").get_by_role("button", name=re.compile("Lành")).click()
        expect(page.locator("#att-done li[data-id]")).to_have_count(2)
        assert Attendance.objects.filter(session=session).count() == 2
    finally:
        context.close()
