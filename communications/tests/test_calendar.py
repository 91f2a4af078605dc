"""The event calendar: merged pages, iCalendar export, announcement texts, permissions."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from communications.calendar import (
    event_announcement,
    ics_escape,
    ics_fold,
    session_announcement,
    spoken_when,
)
from communications.models import Event
from outreach.models import Session

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _session(cast, *, days=3, hamlet=None, public=True) -> Session:
    return Session.objects.create(
        commune=cast.commune,
        hamlet=hamlet or cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa xóm",
        starts_at=timezone.now() + dt.timedelta(days=days),
        is_public=public,
    )


def _event(cast, *, days=2, hamlet=None, **extra) -> Event:
    data = {
        "title": "Ngày hội kỹ năng số",
        "place": "Sân vận động xã",
        "starts_at": timezone.now() + dt.timedelta(days=days),
        "description": "Có quà cho người cao tuổi; mang theo điện thoại, căn cước.\nDòng hai",
    }
    data.update(extra)
    return Event.objects.create(commune=cast.commune, hamlet=hamlet, **data)


def _unfold(text: str) -> list[str]:
    lines = text.split("\r\n")
    assert lines[-1] == ""
    out: list[str] = []
    for line in lines[:-1]:
        assert len(line.encode()) <= 75, line
        if line.startswith(" "):
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def test_a_known_date_reads_the_way_it_is_said():
    when = dt.datetime(2026, 12, 5, 19, 30, tzinfo=VN)
    assert (
        spoken_when(when, today=dt.date(2026, 11, 1)) == "19 giờ 30 tối thứ Bảy, ngày 05 tháng 12"
    )
    morning = dt.datetime(2027, 3, 7, 7, 0, tzinfo=VN)
    assert spoken_when(morning, today=dt.date(2026, 11, 1)) == (
        "7 giờ sáng Chủ nhật, ngày 07 tháng 3 năm 2027"
    )


def test_a_session_announcement_is_ready_for_the_loudspeaker(cast):
    session = _session(cast)
    session.starts_at = dt.datetime(2026, 12, 5, 19, 30, tzinfo=VN)
    session.save()
    text = session_announcement(session, ["Cài VNeID"])
    assert text.startswith("Thông báo: 19 giờ 30 tối thứ Bảy, ngày 05 tháng 12")
    assert (
        "tại Nhà văn hóa xóm Ngọc Lâm, Tổ công nghệ số cộng đồng hướng dẫn bà con cài VNeID."
        in (text)
    )
    assert text.endswith("Mời bà con mang theo điện thoại và căn cước.")


def test_an_event_announcement_names_the_place_and_reads_its_first_line(cast):
    event = _event(cast, starts_at=dt.datetime(2026, 12, 6, 7, 30, tzinfo=VN))
    text = event_announcement(event)
    assert text.startswith("Thông báo: 7 giờ 30 sáng Chủ nhật, ngày 06 tháng 12")
    assert "tại Sân vận động xã diễn ra Ngày hội kỹ năng số. Có quà cho người cao tuổi;" in text
    assert "Dòng hai" not in text and text.endswith("Mời bà con đến dự.")


def test_the_commune_calendar_merges_events_and_public_sessions_by_date(client, cast):
    _session(cast, days=3)
    _session(cast, days=1, hamlet=cast.other_hamlet)
    _session(cast, days=4, public=False)
    _event(cast, days=2)
    _event(cast, days=-5, title="Đã qua")
    page = client.get("/lich/su-kien/").content.decode()
    page = page[page.index("<article") :]
    first = page.index("Xóm Yên Mỹ")
    assert first < page.index("Ngày hội kỹ năng số") < page.index("Xóm Ngọc Lâm</a>")
    assert "Đã qua" not in page
    assert page.count("<article") == 3
    assert "Sao chép" in page and "Thông báo: " in page


def test_a_hamlet_calendar_shows_its_sessions_and_commune_wide_events(client, cast):
    _session(cast, days=3, hamlet=cast.other_hamlet)
    _event(cast, days=2)
    _event(cast, days=2, hamlet=cast.other_hamlet, title="Họp xóm Yên Mỹ")
    _event(cast, days=2, hamlet=cast.hamlet, title="Họp xóm Ngọc Lâm")
    page = client.get(f"/lich/su-kien/xom/{cast.hamlet.pk}/").content.decode()
    assert "Ngày hội kỹ năng số" in page and "Họp xóm Ngọc Lâm" in page
    assert "Họp xóm Yên Mỹ" not in page
    assert client.get(f"/lich/su-kien/xom/{cast.hamlet2.pk}/").status_code == 404


def test_calendar_pages_run_a_bounded_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    for days in range(1, 15):
        _session(cast, days=days)
        _event(cast, days=days)
    with django_assert_max_num_queries(7):
        assert client.get("/lich/su-kien/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/lich/su-kien/xom/{cast.hamlet.pk}/").status_code == 200


def test_ics_escapes_text_values():
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_ics_folding_never_splits_a_vietnamese_letter():
    line = "DESCRIPTION:" + "Ủy ban nhân dân xã Bạch Ngọc " * 10
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line


def test_the_ics_export_parses_line_by_line(client, cast):
    _session(cast, days=3)
    event = _event(
        cast,
        days=2,
        title="Vòng 1, cuộc thi; “Tìm hiểu chuyển đổi số” \\ trực tuyến",
        ends_at=timezone.now() + dt.timedelta(days=2, hours=3),
    )
    response = client.get("/lich/su-kien.ics")
    assert response["Content-Type"].startswith("text/calendar")
    lines = _unfold(response.content.decode())
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    props = [line.split(":", 1)[0] for line in lines]
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION"):
        assert props.count(name) == 2, name
    start = f"DTSTART:{event.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    assert start in lines
    for line in lines:
        if line.startswith(("DTSTART", "DTEND", "DTSTAMP")):
            assert line.endswith("Z") and len(line.split(":")[1]) == 16
    assert "SUMMARY:Vòng 1\\, cuộc thi\\; “Tìm hiểu chuyển đổi số” \\\\ trực tuyến" in lines
    description = next(x for x in lines if x.startswith("DESCRIPTION:Có quà"))
    assert "\\n" in description and "\n" not in description


def test_a_hamlet_ics_holds_only_that_hamlets_items(client, cast):
    _session(cast, days=3, hamlet=cast.other_hamlet)
    _event(cast, days=2, hamlet=cast.hamlet, title="Họp xóm")
    lines = _unfold(client.get(f"/lich/su-kien/xom/{cast.hamlet.pk}.ics").content.decode())
    assert lines.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Họp xóm" in lines


def test_a_coordinator_adds_an_event_to_the_calendar(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(
        "/can-bo/su-kien/",
        {
            "title": "Vòng 1 cuộc thi trực tuyến",
            "hamlet": "",
            "place": "Hội trường UBND xã",
            "starts_at": "05/12/2030 07:30",
            "ends_at": "05/12/2030 06:00",
        },
    )
    assert "Giờ kết thúc phải sau giờ bắt đầu" in response.content.decode()
    assert not Event.objects.exists()
    response = client.post(
        "/can-bo/su-kien/",
        {"title": "Vòng 1 cuộc thi", "hamlet": "", "starts_at": "05/12/2030 07:30"},
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert timezone.localtime(event.starts_at).hour == 7 and event.hamlet is None


def test_an_event_cannot_be_placed_in_another_communes_hamlet(client, cast):
    client.force_login(cast.coordinator)
    client.post(
        "/can-bo/su-kien/",
        {"title": "Sai xóm", "hamlet": cast.hamlet2.pk, "starts_at": "05/12/2030 07:30"},
    )
    assert not Event.objects.exists()


@pytest.mark.parametrize("who", ["volunteer", "officer", "resident"])
def test_only_admins_and_coordinators_manage_events(client, cast, who):
    client.force_login(cast.users()[who])
    assert client.get("/can-bo/su-kien/").status_code == 403


def test_another_communes_event_cannot_be_deleted(client, cast):
    event = _event(cast)
    client.force_login(cast.coordinator2)
    assert client.post(f"/can-bo/su-kien/{event.pk}/xoa/").status_code == 404
    assert Event.objects.exists()


def test_the_home_page_shows_upcoming_sessions(client, cast):
    _session(cast, days=2)
    page = client.get("/").content.decode()
    assert "Sắp diễn ra" in page and "Buổi hướng dẫn tại nhà văn hóa xóm" in page
    assert 'href="/lich/su-kien/"' in page


# Contest rounds ----------------------------------------------------------------------------


def _round(cast, *, opens, closes, practice=False, number=1, commune=None, audience="residents"):
    from contests.models import Contest, Round

    commune = commune or cast.commune
    contest, _ = Contest.objects.get_or_create(
        commune=commune, title="Tìm hiểu chuyển đổi số", defaults={"audience": audience}
    )
    return Round.objects.create(
        commune=commune,
        contest=contest,
        number=number,
        opens_at=opens,
        closes_at=closes,
        minutes=15,
        is_practice=practice,
    )


def test_an_official_contest_round_is_in_the_commune_and_hamlet_calendars(client, cast):
    now = timezone.now()
    _round(cast, opens=now + dt.timedelta(days=2), closes=now + dt.timedelta(days=9))
    _round(
        cast,
        number=2,
        practice=True,
        opens=now + dt.timedelta(days=1),
        closes=now + dt.timedelta(days=3),
    )
    _round(
        cast,
        commune=cast.commune2,
        opens=now + dt.timedelta(days=1),
        closes=now + dt.timedelta(days=3),
    )
    _round(cast, number=3, opens=now - dt.timedelta(days=9), closes=now - dt.timedelta(days=2))
    for url in ("/lich/su-kien/", f"/lich/su-kien/xom/{cast.hamlet.pk}/"):
        page = client.get(url).content.decode()
        assert "Tìm hiểu chuyển đổi số – đợt 1" in page
        assert "đợt 2" not in page and "đợt 3" not in page  # practice; closed
        assert page.count("Tìm hiểu chuyển đổi số – đợt") == 1  # not the other commune's
        assert 'href="/cuoc-thi/"' in page and "Đóng: " in page


def test_a_round_in_the_ics_runs_from_opening_to_closing(client, cast):
    opens = dt.datetime(2030, 12, 5, 7, 0, tzinfo=VN)
    closes = dt.datetime(2030, 12, 12, 21, 0, tzinfo=VN)
    round_ = _round(cast, opens=opens, closes=closes)
    lines = _unfold(client.get("/lich/su-kien.ics").content.decode())
    start = lines.index(f"UID:round-{round_.pk}-{cast.commune.code}@hocvuso")
    vevent = lines[start : lines.index("END:VEVENT", start)]
    assert "DTSTART:20301205T000000Z" in vevent  # 07:00 in Việt Nam is 00:00 UTC
    assert "DTEND:20301212T140000Z" in vevent
    assert "SUMMARY:Tìm hiểu chuyển đổi số – đợt 1" in vevent
    assert "LOCATION:Thi trực tuyến" in vevent
    hamlet = _unfold(client.get(f"/lich/su-kien/xom/{cast.hamlet.pk}.ics").content.decode())
    assert f"UID:round-{round_.pk}-{cast.commune.code}@hocvuso" in hamlet


def test_a_round_announcement_reads_naturally(cast):
    from communications.calendar import round_announcement

    opens = dt.datetime(2030, 12, 5, 7, 0, tzinfo=VN)
    closes = dt.datetime(2030, 12, 12, 21, 0, tzinfo=VN)
    round_ = _round(cast, opens=opens, closes=closes)
    text = round_announcement(round_, now=opens - dt.timedelta(days=3))
    assert text.startswith(
        "Thông báo: Cuộc thi “Tìm hiểu chuyển đổi số”, đợt 1 mở từ "
        "7 giờ sáng thứ Năm, ngày 05 tháng 12 năm 2030 đến "
        "21 giờ tối thứ Năm, ngày 12 tháng 12 năm 2030."
    )
    assert "thời gian làm bài 15 phút." in text
    assert "được giúp thi trên giấy" in text and text.endswith("Mời bà con tham gia.")
    running = round_announcement(round_, now=opens + dt.timedelta(days=1))
    assert "đợt 1 đang mở, hạn cuối là 21 giờ tối thứ Năm, ngày 12 tháng 12 năm 2030." in running
    round_.contest.title = "Cuộc thi tìm hiểu kỹ năng số năm 2030"
    assert round_announcement(round_, now=opens).startswith(
        "Thông báo: Cuộc thi tìm hiểu kỹ năng số năm 2030, đợt 1 đang mở"
    )
    round_.contest.audience = "officials"
    assert round_announcement(round_, now=opens).endswith("Mời cán bộ, công chức tham gia đầy đủ.")


def test_the_home_page_shows_open_and_coming_contest_rounds(client, cast):
    now = timezone.now()
    _round(cast, opens=now - dt.timedelta(days=1), closes=now + dt.timedelta(days=5))
    _round(cast, number=2, practice=True, opens=now, closes=now + dt.timedelta(days=5))
    page = client.get("/").content.decode()
    page = page[page.index("Sắp diễn ra") :]
    assert "Tìm hiểu chuyển đổi số – đợt 1" in page and "đợt 2" not in page
    assert 'href="/cuoc-thi/">Vào thi' in page
