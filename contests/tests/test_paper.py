"""Paper entry: a printed sheet per participant, keyed fast by a volunteer, counted as assisted."""

import shutil
import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Consent, Purpose
from accounts.selectors import granted_purposes
from contests.models import Attempt, PaperSheet, Question
from contests.services import PAPER_GRACE, attempt_start
from contests.tests.conftest import RIGHT, agree


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def print_sheet(client, round_, *residents):
    return client.post(
        f"/can-bo/cuoc-thi/dot/{round_.pk}/phieu-giay/", {"residents": [r.pk for r in residents]}
    )


def letters_for(sheet: PaperSheet, correct: int) -> str:
    """The letters a participant circles: the first `correct` right, then wrong ones."""
    marks = []
    pairs = zip(sheet.question_ids, sheet.option_orders, strict=True)
    for number, (qid, order) in enumerate(pairs, start=1):
        right = order.index(Question.objects.get(pk=qid).answer)
        marks.append("ABCD"[right if number <= correct else (right + 1) % len(order)])
    return " ".join(marks)


def key(client, sheet, letters, **extra):
    data = {"code": sheet.code.lower().replace("-", " "), "letters": letters, **extra}
    return client.post("/can-bo/cuoc-thi/nhap-phieu-giay/", data, follow=True)


@pytest.fixture
def volunteer(cast) -> Client:
    return client_for(cast.volunteer)


def test_a_volunteer_prints_a_sheet_with_the_drawn_questions_and_no_key(cast, round_, volunteer):
    response = print_sheet(volunteer, round_, cast.resident)
    assert response["Content-Type"] == "application/pdf"
    sheet = PaperSheet.objects.get(round=round_, resident=cast.resident)
    assert len(sheet.question_ids) == 5 and sheet.printed_by == cast.volunteer
    again = print_sheet(volunteer, round_, cast.resident)  # a reprint is the same sheet
    assert PaperSheet.objects.filter(round=round_).count() == 1
    assert again["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True
        ).stdout.decode()
        flat = " ".join(text.split())
        assert sheet.code in flat and "Nguyễn Thị Lành" in flat and "Xóm Ngọc Lâm" in flat
        assert "bao nhiêu người trả lời đúng tất cả" in flat
        assert "Tôi đồng ý tham gia cuộc thi" in flat
        for qid in sheet.question_ids:
            assert Question.objects.get(pk=qid).text in flat
        assert "(đúng)" not in flat and "Đáp án" not in flat
        # The right option sits at its shuffled place like any other.
        assert flat.count(RIGHT) == 5
    page = volunteer.get(f"/can-bo/cuoc-thi/dot/{round_.pk}/phieu-giay/").content.decode()
    assert f"đã in phiếu {sheet.code}" in page
    keying = volunteer.get("/can-bo/cuoc-thi/nhap-phieu-giay/").content.decode()
    assert f"/can-bo/cuoc-thi/dot/{round_.pk}/phieu-giay/" in keying  # how a volunteer gets here
    assert "/can-bo/cuoc-thi/nhap-phieu-giay/" in volunteer.get("/can-bo/").content.decode()


def test_a_keyed_sheet_is_graded_once_and_counted_as_assisted(cast, round_, volunteer):
    agree(cast.resident)
    print_sheet(volunteer, round_, cast.resident)
    sheet = PaperSheet.objects.get(round=round_)
    page = key(volunteer, sheet, letters_for(sheet, 3), prediction=12).content.decode()
    assert f"Đã nhập phiếu {sheet.code}" in page and "3/5" in page
    attempt = Attempt.objects.get(round=round_, resident=cast.resident)
    assert (attempt.score, attempt.prediction, attempt.assisted_by) == (3, 12, cast.volunteer)
    assert attempt.duration_seconds == round_.minutes * 60
    assert AuditEntry.objects.filter(target_type="lượt thi", actor=cast.volunteer).count() == 1
    listing = volunteer.get(f"/can-bo/cuoc-thi/dot/{round_.pk}/phieu-giay/").content.decode()
    assert f"đã in phiếu {sheet.code}, đã nhập bài" in listing
    repeat = key(volunteer, sheet, letters_for(sheet, 5)).content.decode()
    assert "đã nhập trước đó" in repeat
    attempt.refresh_from_db()
    assert attempt.score == 3
    assert Attempt.objects.filter(round=round_).count() == 1
    # The resident sees it as their one attempt.
    player = client_for(cast.resident.user)
    start = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert start["Location"] == f"/cuoc-thi/lam-bai/{attempt.pk}/ket-qua/"


def test_blank_answers_bad_letters_and_wrong_counts_are_refused_or_kept(cast, round_, volunteer):
    agree(cast.resident)
    print_sheet(volunteer, round_, cast.resident)
    sheet = PaperSheet.objects.get(round=round_)
    assert "Phiếu có 5 câu nhưng bạn nhập 3 chữ" in key(volunteer, sheet, "A B C").content.decode()
    assert "không phải phương án" in key(volunteer, sheet, "A B C D E").content.decode()
    assert not Attempt.objects.exists()
    letters = letters_for(sheet, 5).split()
    letters[0] = "-"
    key(volunteer, sheet, "".join(letters))
    attempt = Attempt.objects.get()
    assert attempt.score == 4 and str(sheet.question_ids[0]) not in attempt.answers


def test_consent_is_needed_on_the_sheet(cast, round_, volunteer):
    print_sheet(volunteer, round_, cast.resident)
    sheet = PaperSheet.objects.get(round=round_)
    page = key(volunteer, sheet, letters_for(sheet, 5)).content.decode()
    assert "chưa đồng ý tham gia cuộc thi" in page
    assert not Attempt.objects.exists()
    key(volunteer, sheet, letters_for(sheet, 5), consent_on_sheet="on")
    assert Attempt.objects.get().score == 5
    assert Purpose.CONTEST in granted_purposes(cast.resident)
    consent = Consent.objects.get(resident=cast.resident, purpose=Purpose.CONTEST)
    assert (consent.method, consent.recorded_by) == ("assisted", cast.volunteer)


def test_a_sheet_is_refused_after_the_grace_period(cast, round_, volunteer):
    agree(cast.resident)
    print_sheet(volunteer, round_, cast.resident)
    sheet = PaperSheet.objects.get(round=round_)
    round_.opens_at = timezone.now() - timezone.timedelta(days=10)
    round_.closes_at = timezone.now() - timezone.timedelta(hours=1)
    round_.save(update_fields=["opens_at", "closes_at"])
    assert key(volunteer, sheet, letters_for(sheet, 5)).status_code == 200
    assert Attempt.objects.count() == 1  # within the grace period
    Attempt.objects.all().delete()
    PaperSheet.objects.update(attempt=None)
    round_.closes_at = timezone.now() - PAPER_GRACE - timezone.timedelta(minutes=1)
    round_.save(update_fields=["closes_at"])
    page = key(volunteer, sheet, letters_for(sheet, 5)).content.decode()
    assert "Đã quá hạn nhập phiếu thi giấy" in page
    assert not Attempt.objects.exists()


def test_someone_who_took_part_by_phone_gets_no_paper_count(cast, round_, volunteer):
    agree(cast.resident)
    print_sheet(volunteer, round_, cast.resident)
    sheet = PaperSheet.objects.get(round=round_)
    online = attempt_start(round_=round_, resident=cast.resident)
    page = key(volunteer, sheet, letters_for(sheet, 5)).content.decode()
    assert "đã dự thi đợt này trên điện thoại" in page
    assert list(Attempt.objects.all()) == [online]
    # And no new sheet is printed for someone who already took part by phone.
    agree(cast.neighbour)
    attempt_start(round_=round_, resident=cast.neighbour)
    page = print_sheet(client_for(cast.coordinator), round_, cast.neighbour).content.decode()
    assert "đã dự thi đợt này trên điện thoại" in page


def test_paper_pages_are_scoped(cast, round_, volunteer):
    # A volunteer prints only for their hamlet; another commune sees nothing.
    response = print_sheet(volunteer, round_, cast.neighbour)
    assert "không thuộc phạm vi của bạn" in response.content.decode()
    assert not PaperSheet.objects.exists()
    print_sheet(client_for(cast.coordinator), round_, cast.neighbour)
    sheet = PaperSheet.objects.get()
    page = key(volunteer, sheet, letters_for(sheet, 5)).content.decode()
    assert "Không có phiếu mã" in page
    page = key(client_for(cast.volunteer2), sheet, letters_for(sheet, 5)).content.decode()
    assert "Không có phiếu mã" in page
    assert not Attempt.objects.exists()
    url = f"/can-bo/cuoc-thi/dot/{round_.pk}/phieu-giay/"
    assert client_for(cast.admin2).get(url).status_code == 404
    for who in ("officer", "leader", "resident", "province"):
        assert client_for(cast.users()[who]).get(url).status_code == 403, who
    assert Client().get(url).status_code == 302
