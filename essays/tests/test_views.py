"""Essay contests through the pages: submit, moderate, judge, vote, publish, read results."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Purpose
from essays.models import Entry, EntryPhoto, EssayContest, Score, Vote
from essays.services import scores_save
from essays.tests.conftest import STORY, agree, client_for, png, points, submit


def photo(name="anh.png", data=None):
    return SimpleUploadedFile(name, data or png(), content_type="image/png")


def entry_post(**extra):
    data = {"title": "Tôi học gọi video", "text": STORY, "client_key": str(uuid.uuid4())}
    data.update(extra)
    return data


def test_a_resident_submits_from_the_phone_with_photos_and_sees_it_waiting(cast, contest):
    agree(cast.resident)
    client = client_for(cast.resident.user)
    form = client.get(f"/cuoc-thi-viet/{contest.pk}/gui-bai/")
    assert form.status_code == 200 and "Tối đa 60 chữ" in form.content.decode()
    response = client.post(
        f"/cuoc-thi-viet/{contest.pk}/gui-bai/",
        entry_post(photos=[photo(), photo("b.png")], video_url="https://youtu.be/abcdef123"),
    )
    entry = Entry.objects.get()
    assert response["Location"] == f"/cuoc-thi-viet/{contest.pk}/bai/{entry.pk}/"
    assert entry.entered_by == cast.resident.user and entry.video_provider == "YouTube"
    assert EntryPhoto.objects.filter(entry=entry).count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "Chờ duyệt" in page and "youtube-nocookie.com/embed/abcdef123" in page
    assert "<iframe" not in page  # nothing external loads until tapped
    # Not approved yet: neither the public nor its photos.
    assert Client().get(response["Location"]).status_code == 403
    assert Client().get(f"/cuoc-thi-viet/anh/{entry.photos.first().pk}/").status_code == 403
    assert client.get(f"/cuoc-thi-viet/anh/{entry.photos.first().pk}/")["Content-Type"] == (
        "image/webp"
    )
    again = client.get(f"/cuoc-thi-viet/{contest.pk}/gui-bai/")
    assert again.status_code == 302  # one entry per person: back to their entry


def test_bad_entries_get_clear_messages_and_nothing_is_saved(cast, contest, settings):
    agree(cast.resident)
    client = client_for(cast.resident.user)
    url = f"/cuoc-thi-viet/{contest.pk}/gui-bai/"
    settings.LESSON_UPLOAD_MAX_BYTES = 2000
    cases = [
        (entry_post(text="   "), "Bài viết đang để trống"),
        (entry_post(text="chữ " * 61), "61 chữ, quá giới hạn 60 chữ"),
        (entry_post(video_url="https://vimeo.com/1"), "Chỉ nhận link YouTube, Facebook"),
        (entry_post(photos=[photo(str(i)) for i in range(4)]), "tối đa 3 ảnh, bạn đã chọn 4"),
        (entry_post(photos=[photo("a.txt", b"not an image")]), "không phải là ảnh"),
        (entry_post(photos=[photo("lon.png", b"\x89PNG" + b"0" * 3000)]), "quá lớn"),
        (entry_post(client_key="cũ"), "Trang này đã cũ"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert not Entry.objects.exists() and not EntryPhoto.objects.exists()


def test_who_may_open_the_submit_page(cast, contest):
    url = f"/cuoc-thi-viet/{contest.pk}/gui-bai/"
    assert Client().get(url)["Location"].startswith("/dang-nhap/")
    no_consent = client_for(cast.resident.user).get(url)
    assert no_consent.status_code == 403 and "/toi/quyen-rieng-tu/" in no_consent.content.decode()
    assert client_for(cast.volunteer).get(url).status_code == 403
    agree(cast.resident2)
    assert client_for(cast.resident2.user).get(url).status_code == 404  # another commune


def test_an_entry_after_the_deadline_is_refused_clearly(cast, contest):
    agree(cast.resident)
    contest.opens_at = timezone.now() - timezone.timedelta(days=3)
    contest.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    contest.save(update_fields=["opens_at", "closes_at"])
    response = client_for(cast.resident.user).post(
        f"/cuoc-thi-viet/{contest.pk}/gui-bai/", entry_post()
    )
    assert response.status_code == 400 and "hết hạn nhận bài" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_volunteer_types_in_an_entry_for_a_resident_of_their_hamlet(cast, contest):
    agree(cast.resident)
    agree(cast.neighbour)
    client = client_for(cast.volunteer)
    url = f"/can-bo/cuoc-thi-viet/{contest.pk}/nhap-bai/"
    outside = client.post(url, entry_post(resident=cast.neighbour.pk))
    assert "không thuộc phạm vi" in outside.content.decode()
    forged = client.post(url, entry_post(resident=cast.resident2.pk))
    assert "không thuộc phạm vi" in forged.content.decode()
    key = str(uuid.uuid4())
    assert (
        client.post(url, entry_post(resident=cast.resident.pk, client_key=key)).status_code == 302
    )
    assert (
        client.post(url, entry_post(resident=cast.resident.pk, client_key=key)).status_code == 302
    )
    entry = Entry.objects.get()
    assert entry.resident == cast.resident and entry.entered_by == cast.volunteer
    assert entry.is_assisted
    assert client_for(cast.volunteer2).get(url).status_code == 404


def test_the_coordinator_approves_and_rejects_with_a_reason(cast, contest, entry):
    client = client_for(cast.coordinator)
    queue = client.get(f"/can-bo/cuoc-thi-viet/{contest.pk}/duyet/").content.decode()
    assert entry.title in queue
    url = f"/can-bo/cuoc-thi-viet/bai/{entry.pk}/duyet/"
    page = client.post(url, {"decision": "reject"}, follow=True).content.decode()
    assert "cần ghi lý do" in page
    entry.refresh_from_db()
    assert entry.status == "submitted"
    client.post(url, {"decision": "approve"})
    entry.refresh_from_db()
    assert entry.status == "approved" and entry.moderated_by == cast.coordinator
    assert AuditEntry.objects.filter(actor=cast.coordinator, target_id=str(entry.pk)).exists()
    assert client_for(cast.coordinator2).post(
        url, {"decision": "reject", "note": "x"}
    ).status_code == (404)
    entry.refresh_from_db()
    assert entry.status == "approved"


def test_a_judge_scores_every_criterion_on_one_screen(cast, contest, approved):
    client = client_for(cast.officer)
    url = f"/can-bo/cuoc-thi-viet/bai/{approved.pk}/cham/"
    page = client.get(url).content.decode()
    assert "Nội dung thiết thực" in page and "Cách kể dễ hiểu" in page
    assert cast.resident.full_name not in page  # judges read entries without the author's name
    fields = {f"c{c.pk}": v for c, v in zip(contest.criteria.all(), ["9", "6"], strict=True)}
    over = client.post(url, fields)
    assert over.status_code == 400 and "tối đa là 5" in over.content.decode()
    assert not Score.objects.exists()
    fields[f"c{contest.criteria.last().pk}"] = "4.5"
    assert client.post(url, fields)["Location"] == url
    page = client.get(url).content.decode()
    assert '<span class="combined">90,00</span>' in page  # 9/10*60 + 4.5/5*40
    listing = client.get(f"/can-bo/cuoc-thi-viet/{contest.pk}/cham/").content.decode()
    assert "Bạn đã chấm" in listing


def test_only_the_panel_may_score(cast, contest, approved):
    url = f"/can-bo/cuoc-thi-viet/bai/{approved.pk}/cham/"
    fields = {f"c{c.pk}": "1" for c in contest.criteria.all()}
    assert client_for(cast.volunteer).post(url, fields).status_code == 403
    assert client_for(cast.coordinator).get(url).status_code == 403
    assert client_for(cast.resident.user).get(url).status_code == 403
    assert client_for(cast.coordinator2).get(url).status_code == 404
    assert Client().get(url)["Location"].startswith("/dang-nhap/")
    assert client_for(cast.volunteer).get(
        f"/can-bo/cuoc-thi-viet/{contest.pk}/cham/"
    ).status_code == (403)
    assert not Score.objects.exists()


def test_an_entry_not_yet_approved_cannot_be_scored(cast, contest, entry):
    assert client_for(cast.officer).get(
        f"/can-bo/cuoc-thi-viet/bai/{entry.pk}/cham/"
    ).status_code == (403)


def test_anonymous_votes_use_a_signed_cookie_and_count_once(cast, contest, approved):
    visitor = Client()
    entry_url = f"/cuoc-thi-viet/{contest.pk}/bai/{approved.pk}/"
    vote_url = entry_url + "binh-chon/"
    no_cookie = visitor.post(vote_url)
    assert no_cookie.status_code == 400 and "cookie" in no_cookie.content.decode()
    assert not Vote.objects.exists()
    assert "Bình chọn cho bài này" in visitor.get(entry_url).content.decode()
    assert visitor.post(vote_url).status_code == 302
    assert visitor.post(vote_url).status_code == 302  # a retry
    assert Vote.objects.count() == 1 and Vote.objects.get().voter.startswith("c")
    forged = Client()
    forged.cookies["essay_voter"] = "khong-co-chu-ky"
    assert forged.post(vote_url).status_code == 400
    agree(cast.neighbour)
    client_for(cast.neighbour.user).post(vote_url)
    assert Vote.objects.count() == 2
    assert Vote.objects.filter(voter=f"r{cast.neighbour.pk}").exists()


def test_results_show_prizes_names_only_with_consent_and_the_public_vote_apart(
    cast, contest, approved
):
    agree(cast.neighbour, Purpose.CONTEST, Purpose.PUBLIC_NAME)
    second = submit(contest, cast.neighbour, title="Trả tiền điện không phải đi xa")
    client = client_for(cast.coordinator)
    client.post(f"/can-bo/cuoc-thi-viet/bai/{second.pk}/duyet/", {"decision": "approve"})
    second.refresh_from_db()
    scores_save(judge=cast.officer, entry=approved, points=points(contest, 6, 3))
    scores_save(judge=cast.officer, entry=second, points=points(contest, 9, 5))
    Client().get(f"/cuoc-thi-viet/{contest.pk}/ket-qua/")
    visitor = Client()
    visitor.get(f"/cuoc-thi-viet/{contest.pk}/bai/{approved.pk}/")
    visitor.post(f"/cuoc-thi-viet/{contest.pk}/bai/{approved.pk}/binh-chon/")
    EssayContest.objects.filter(pk=contest.pk).update(
        opens_at=timezone.now() - timezone.timedelta(days=5),
        closes_at=timezone.now() - timezone.timedelta(minutes=1),
    )
    response = client.post(
        f"/can-bo/cuoc-thi-viet/{contest.pk}/cong-bo/", {"nhat": 1, "nhi": 1, "ba": 0, "kk": 0}
    )
    assert response["Location"] == f"/cuoc-thi-viet/{contest.pk}/ket-qua/"
    page = Client().get(response["Location"]).content.decode()
    assert "Giải Nhất: Trả tiền điện không phải đi xa" in page
    assert "Trần Văn Bình (Xóm Yên Mỹ)" in page  # agreed to show the name
    assert "Giải Nhì: Tôi gọi video cho cháu" in page
    assert cast.resident.full_name not in page and "Tác giả giấu tên" in page
    assert "Giải bình chọn của khán giả" in page and "1 lượt bình chọn" in page
    scores = client_for(cast.officer).post(
        f"/can-bo/cuoc-thi-viet/bai/{approved.pk}/cham/",
        {f"c{c.pk}": "1" for c in contest.criteria.all()},
    )
    assert "không sửa điểm" in scores.content.decode() or scores.status_code == 400
    assert Score.objects.filter(entry=approved, points=1).count() == 0


def test_an_organiser_creates_a_contest_sets_the_rubric_and_a_panel(cast):
    client = client_for(cast.coordinator)
    now = timezone.localtime()
    response = client.post(
        "/can-bo/cuoc-thi-viet/tao/",
        {
            "title": "Viết về chuyển đổi số ở xóm em",
            "kind": "essay",
            "audience": "residents",
            "rules": "Bài viết tay hoặc gõ máy.",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timezone.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "max_words": 1000,
        },
    )
    contest = EssayContest.objects.get(title="Viết về chuyển đổi số ở xóm em")
    assert response["Location"] == f"/can-bo/cuoc-thi-viet/{contest.pk}/tieu-chi/"
    rubric = {
        "tc-TOTAL_FORMS": 2,
        "tc-INITIAL_FORMS": 0,
        "tc-0-name": "Nội dung",
        "tc-0-weight": 70,
        "tc-0-max_points": 10,
        "tc-1-name": "Hình thức",
        "tc-1-weight": 20,
        "tc-1-max_points": 10,
    }
    bad = client.post(response["Location"], rubric)
    assert bad.status_code == 400 and "hiện là 90%" in bad.content.decode()
    assert not contest.criteria.exists()
    rubric["tc-1-weight"] = 30
    assert client.post(response["Location"], rubric).status_code == 302
    assert [c.weight for c in contest.criteria.all()] == [70, 30]
    client.post(f"/can-bo/cuoc-thi-viet/{contest.pk}/giam-khao/", {"user": cast.officer.pk})
    forged = client.post(f"/can-bo/cuoc-thi-viet/{contest.pk}/giam-khao/", {"user": cast.admin2.pk})
    assert forged.status_code == 200 and "không phải cán bộ của xã" in forged.content.decode()
    assert list(contest.judges.values_list("user", flat=True)) == [cast.officer.pk]
    assert Client().get("/cuoc-thi-viet/").content.decode().count(contest.title) == 0  # draft
    client.post(f"/can-bo/cuoc-thi-viet/{contest.pk}/phat-dong/")
    contest.refresh_from_db()
    assert contest.status == "announced"
    assert contest.title in Client().get("/cuoc-thi-viet/").content.decode()


def test_bad_contest_dates_are_form_errors(cast):
    response = client_for(cast.coordinator).post(
        "/can-bo/cuoc-thi-viet/tao/",
        {
            "title": "X",
            "kind": "essay",
            "audience": "residents",
            "opens_at": "2026-05-10T08:00",
            "closes_at": "2026-05-01T08:00",
            "max_words": 10,
            "voting_enabled": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hạn nộp bài phải sau" in page and "cần ghi lúc bắt đầu" in page
    assert not EssayContest.objects.filter(title="X").exists()


def test_a_staff_member_off_the_panel_is_told_why(cast, contest, approved):
    response = client_for(cast.volunteer).get(f"/can-bo/cuoc-thi-viet/bai/{approved.pk}/cham/")
    assert response.status_code == 403
    assert "không có tên trong ban giám khảo" in response.content.decode()


def test_an_official_enters_a_contest_for_officials_as_the_author(cast, contest):
    EssayContest.objects.filter(pk=contest.pk).update(audience="officials")
    client = client_for(cast.volunteer)
    response = client.post(f"/cuoc-thi-viet/{contest.pk}/gui-bai/", entry_post())
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert (entry.staff_author, entry.resident, entry.is_assisted) == (cast.volunteer, None, False)
    agree(cast.resident)
    refused = client_for(cast.resident.user).get(f"/cuoc-thi-viet/{contest.pk}/gui-bai/")
    assert refused.status_code == 403 and "dành cho cán bộ" in refused.content.decode()


def test_a_vote_from_another_commune_is_not_found(cast, contest, approved):
    url = f"/cuoc-thi-viet/{contest.pk}/bai/{approved.pk}/binh-chon/"
    assert client_for(cast.resident2.user).post(url).status_code == 404
    assert not Vote.objects.exists()


def test_list_pages_use_the_same_number_of_queries_for_more_entries(cast, contest, approved):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from essays.services import entry_moderate

    organiser = client_for(cast.coordinator)
    judge = client_for(cast.officer)
    pages = [
        (Client(), f"/cuoc-thi-viet/{contest.pk}/"),
        (organiser, f"/can-bo/cuoc-thi-viet/{contest.pk}/"),
        (judge, f"/can-bo/cuoc-thi-viet/{contest.pk}/cham/"),
    ]

    def counts():
        result = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    agree(cast.neighbour, Purpose.CONTEST, Purpose.PUBLIC_NAME)
    extra = submit(contest, cast.neighbour, title="Bài thêm", photos=[png()])
    extra = entry_moderate(actor=cast.coordinator, entry=extra, approve=True)
    scores_save(judge=cast.officer, entry=extra, points=points(contest, 5, 5))
    assert counts() == before  # one more entry (named, with a photo and scores): no new query
