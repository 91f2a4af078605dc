"""The question bank: Excel import (checked row by row, all or nothing), edit and delete."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEntry
from contests.importer import COLUMNS, EXAMPLE, template_workbook
from contests.models import Question, Round
from contests.tests.helpers import start

HEADER = [header for _, header, _ in COLUMNS]


def xlsx(*rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ngân hàng câu hỏi"])
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("cau-hoi.xlsx", out.getvalue())


def good(n: int, topic="An toàn trên mạng"):
    return [
        f"Câu hỏi mới số {n}?",
        "Phương án một",
        "Phương án hai",
        "Phương án ba",
        "",
        "B",
        topic,
        "Dễ",
    ]


@pytest.fixture
def organiser(cast) -> Client:
    client = Client()
    client.force_login(cast.coordinator)
    return client


def upload(client, contest, file):
    return client.post(f"/can-bo/cuoc-thi/{contest.pk}/nhap-cau-hoi/", {"file": file})


def test_the_template_has_the_headers_and_an_example(cast, organiser):
    response = organiser.get("/can-bo/cuoc-thi/mau-cau-hoi.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == HEADER
    assert [c.value or "" for c in sheet[3]] == EXAMPLE


def test_a_good_file_is_previewed_then_imported_once(cast, contest, organiser):
    before = contest.questions.count()
    preview = upload(organiser, contest, xlsx(EXAMPLE, good(1), good(2, "Dịch vụ công")))
    page = preview.content.decode()
    assert "Tất cả 2 câu hỏi đều hợp lệ" in page
    assert contest.questions.count() == before  # nothing written by the preview
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    url = f"/can-bo/cuoc-thi/{contest.pk}/nhap-cau-hoi/xac-nhan/"
    first = organiser.post(url, {"token": token})
    second = organiser.post(url, {"token": token})  # a double click
    assert first["Location"] == second["Location"] == f"/can-bo/cuoc-thi/{contest.pk}/"
    assert contest.questions.count() == before + 2
    imported = contest.questions.get(text="Câu hỏi mới số 2?")
    assert (imported.options, imported.answer, imported.topic, imported.difficulty) == (
        ["Phương án một", "Phương án hai", "Phương án ba"],
        1,
        "Dịch vụ công",
        "easy",
    )
    assert AuditEntry.objects.filter(target_type="cuộc thi", action="update").exists()


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_imported(cast, contest, organiser):
    before = contest.questions.count()
    file = xlsx(
        good(1),  # row 3: fine
        ["", "a", "b", "", "", "A", "", ""],  # row 4: no text
        ["Chỉ một phương án?", "a", "", "", "", "A", "", ""],  # row 5
        ["Đáp án lạ?", "a", "b", "c", "", "D", "", ""],  # row 6: D is empty
        ["Độ khó lạ?", "a", "b", "", "", "B", "", "rất khó"],  # row 7
        good(1),  # row 8: same as row 3
        ["câu hỏi số 0?", "x", "y", "", "", "A", "", ""],  # row 9: already in the bank
        ["Đáp án chữ E?", "a", "b", "", "", "E", "", ""],  # row 10
    )
    page = upload(organiser, contest, file).content.decode()
    assert "Chưa nhập câu nào" in page
    for expected in (
        "Dòng 4, cột A (Câu hỏi): chưa có nội dung câu hỏi",
        "Dòng 5, cột C (Phương án B): cần ít nhất 2 phương án",
        "Dòng 6, cột F (Đáp án đúng (A, B, C, D)): đáp án D nhưng Phương án D để trống",
        "Dòng 7, cột H (Độ khó (Dễ, Trung bình, Khó)): “rất khó” không hợp lệ",
        "Dòng 8, cột A (Câu hỏi): trùng với câu hỏi ở dòng 3",
        "Dòng 9, cột A (Câu hỏi): câu hỏi này đã có trong ngân hàng câu hỏi",
        "Dòng 10, cột F (Đáp án đúng (A, B, C, D)): “E” không phải A, B, C hoặc D",
    ):
        assert expected in page, expected
    assert "Dòng 3" not in page
    assert 'name="token"' not in page
    assert contest.questions.count() == before


def test_files_that_cannot_be_read_are_refused_clearly(cast, contest, organiser):
    cases = [
        (SimpleUploadedFile("cau-hoi.csv", b"a,b"), "Chỉ nhận tệp Excel đuôi .xlsx"),
        (SimpleUploadedFile("cau-hoi.xlsx", b"not a zip"), "Không đọc được tệp"),
        (xlsx(good(1), header=["Tên", "Tuổi"]), "Không tìm thấy dòng tiêu đề"),
        (xlsx(EXAMPLE), "chưa có câu hỏi nào"),
    ]
    for file, message in cases:
        response = upload(organiser, contest, file)
        assert response.status_code == 200
        assert message in response.content.decode(), message


def test_a_question_added_since_the_preview_blocks_the_whole_import(cast, contest, organiser):
    page = upload(organiser, contest, xlsx(good(1), good(2))).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    Question.objects.create(
        commune=cast.commune,
        contest=contest,
        text="CÂU HỎI MỚI SỐ 2?",
        options=["a", "b"],
        answer=0,
    )
    before = contest.questions.count()
    response = organiser.post(
        f"/can-bo/cuoc-thi/{contest.pk}/nhap-cau-hoi/xac-nhan/", {"token": token}, follow=True
    )
    assert "Chưa nhập câu nào" in response.content.decode()
    assert contest.questions.count() == before


def test_another_communes_contest_cannot_be_imported_into(cast, contest):
    client = Client()
    client.force_login(cast.coordinator2)
    assert upload(client, contest, xlsx(good(1))).status_code == 404
    assert (
        client.post(f"/can-bo/cuoc-thi/{contest.pk}/nhap-cau-hoi/xac-nhan/", {"token": "x"})
    ).status_code == 404


def test_a_question_is_edited_and_an_unused_one_deleted(cast, contest, organiser):
    question = contest.questions.first()
    response = organiser.post(
        f"/can-bo/cuoc-thi/cau-hoi/{question.pk}/sua/",
        {
            "text": "Câu đã sửa?",
            "option_1": "Một",
            "option_2": "Hai",
            "answer": 2,
            "topic": "Thanh toán",
            "difficulty": "hard",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.options, question.answer) == ("Câu đã sửa?", ["Một", "Hai"], 1)
    response = organiser.post(f"/can-bo/cuoc-thi/cau-hoi/{question.pk}/xoa/")
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert AuditEntry.objects.filter(action="delete", target_type="câu hỏi thi").exists()


def test_a_question_or_round_with_attempts_cannot_be_deleted(cast, contest, round_, player):
    attempt = start(player, round_)
    organiser = Client()
    organiser.force_login(cast.coordinator)
    used = Question.objects.get(pk=attempt.question_ids[0])
    page = organiser.post(f"/can-bo/cuoc-thi/cau-hoi/{used.pk}/xoa/", follow=True)
    assert "Không xóa được câu hỏi đã có người làm" in page.content.decode()
    assert Question.objects.filter(pk=used.pk).exists()
    page = organiser.post(f"/can-bo/cuoc-thi/dot/{round_.pk}/xoa/", follow=True)
    assert "Không xóa được đợt thi đã có người dự thi" in page.content.decode()
    assert Round.objects.filter(pk=round_.pk).exists()
    # Changing the key of a question someone has answered is refused too.
    response = organiser.post(
        f"/can-bo/cuoc-thi/cau-hoi/{used.pk}/sua/",
        {
            "text": used.text,
            "option_1": used.options[0],
            "option_2": used.options[1],
            "option_3": used.options[2],
            "option_4": used.options[3],
            "answer": 1,
            "difficulty": "medium",
        },
    )
    assert "không đổi được đáp án" in response.content.decode()
    used.refresh_from_db()
    assert used.answer == 1


def test_a_round_is_edited_and_an_empty_one_deleted(cast, contest, round_):
    organiser = Client()
    organiser.force_login(cast.coordinator)
    response = organiser.post(
        f"/can-bo/cuoc-thi/dot/{round_.pk}/sua/",
        {
            "number": 1,
            "opens_at": "2026-01-01T07:00",
            "closes_at": "2099-01-01T07:00",
            "minutes": 20,
            "questions_per_attempt": 6,
            "attempts_allowed": 1,
            "shares": "an-toan: 3\ndich-vu-cong: 2",
            "prize_list": "Giải Nhất: 1\nGiải Nhì: 2",
        },
    )
    assert response.status_code == 302, response.content.decode()
    round_.refresh_from_db()
    assert (round_.minutes, round_.topic_shares) == (20, {"an-toan": 3, "dich-vu-cong": 2})
    assert round_.prizes == [{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 2}]
    assert organiser.post(f"/can-bo/cuoc-thi/dot/{round_.pk}/xoa/").status_code == 302
    assert not Round.objects.filter(pk=round_.pk).exists()


def test_other_roles_and_communes_cannot_edit_the_bank(cast, contest, round_):
    question = contest.questions.first()
    urls = [
        f"/can-bo/cuoc-thi/cau-hoi/{question.pk}/sua/",
        f"/can-bo/cuoc-thi/dot/{round_.pk}/sua/",
        f"/can-bo/cuoc-thi/{contest.pk}/sua/",
        f"/can-bo/cuoc-thi/{contest.pk}/nhap-cau-hoi/",
    ]
    posts = [
        f"/can-bo/cuoc-thi/cau-hoi/{question.pk}/xoa/",
        f"/can-bo/cuoc-thi/dot/{round_.pk}/xoa/",
    ]
    for who, status in (("volunteer", 403), ("officer", 403), ("resident", 403), ("admin2", 404)):
        client = Client()
        client.force_login(cast.users()[who])
        for url in urls:
            assert client.get(url).status_code == status, (who, url)
        for url in posts:
            assert client.post(url).status_code == status, (who, url)
    for url in urls:
        assert Client().get(url).status_code == 302
    assert Question.objects.filter(pk=question.pk).exists()
    assert Round.objects.filter(pk=round_.pk).exists()


def test_the_template_downloads_for_organisers_only(cast):
    client = Client()
    client.force_login(cast.volunteer)
    assert client.get("/can-bo/cuoc-thi/mau-cau-hoi.xlsx").status_code == 403
    assert template_workbook()[:2] == b"PK"
