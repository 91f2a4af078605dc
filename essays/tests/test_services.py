"""The rules of an essay contest, at the service level: nothing half-saved, clear refusals."""

import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from essays.models import Entry, EntryPhoto, Score, Vote
from essays.selectors import jury_ranking
from essays.services import (
    CriterionRow,
    EssayRefused,
    entry_moderate,
    entry_submit,
    judge_add,
    results_publish,
    rubric_set,
    scores_save,
    video_provider,
    vote_cast,
    word_count,
)
from essays.tests.conftest import STORY, agree, png, points, submit


def test_words_are_counted_the_vietnamese_way():
    assert word_count("Bà Lành  học gọi video, rất vui!") == 7
    assert word_count("   ") == 0


@pytest.mark.parametrize(
    "url, provider",
    [
        ("https://www.youtube.com/watch?v=abcdef123", "YouTube"),
        ("https://youtu.be/abcdef123", "YouTube"),
        ("https://www.facebook.com/reel/123", "Facebook"),
        ("https://zalo.me/video/1", "Zalo"),
        ("https://www.tiktok.com/@ba.lanh/video/1", "TikTok"),
    ],
)
def test_video_links_from_the_four_sites_are_accepted(url, provider):
    assert video_provider(url) == provider


@pytest.mark.parametrize(
    "url",
    [
        "http://youtube.com/watch?v=abc",
        "https://youtube.com.evil.vn/x",
        "javascript:alert(1)",
        "https://example.com/video",
        "https://user@youtube.com/x",
    ],
)
def test_other_video_links_are_refused(url):
    with pytest.raises(EssayRefused, match="YouTube, Facebook, Zalo hoặc TikTok"):
        video_provider(url)


def test_the_rubric_weights_must_add_up_to_100(cast, contest):
    with pytest.raises(EssayRefused, match="Tổng trọng số phải bằng 100%, hiện là 90%"):
        rubric_set(
            actor=cast.coordinator,
            contest=contest,
            rows=[CriterionRow("A", "", 50, 10), CriterionRow("B", "", 40, 10)],
        )
    assert [c.weight for c in contest.criteria.all()] == [60, 40]  # unchanged


def test_the_rubric_is_locked_once_scoring_starts(cast, contest, approved):
    scores_save(judge=cast.officer, entry=approved, points=points(contest, 8, 4))
    with pytest.raises(EssayRefused, match="không đổi tiêu chí"):
        rubric_set(actor=cast.coordinator, contest=contest, rows=[CriterionRow("A", "", 100, 10)])


def test_a_resident_submits_once_and_a_retry_returns_the_same_entry(cast, contest):
    agree(cast.resident)
    key = uuid.uuid4()
    first = submit(contest, cast.resident, client_key=key, photos=[png(), png()])
    again = submit(contest, cast.resident, client_key=key)
    assert first.pk == again.pk
    assert Entry.objects.count() == 1
    assert EntryPhoto.objects.filter(entry=first).count() == 2
    assert first.word_count == word_count(STORY) and not first.is_assisted
    with pytest.raises(EssayRefused, match="Mỗi người chỉ gửi một bài"):
        submit(contest, cast.resident, title="Bài thứ hai")


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"text": "  "}, "để trống"),
        ({"text": "chữ " * 61}, "61 chữ, quá giới hạn 60"),
        ({"title": " "}, "cần có tiêu đề"),
        ({"video_url": "https://example.com/v"}, "Đường link video chưa đúng"),
        ({"photos": [b"x"] * 4}, "tối đa 3 ảnh"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_saved(cast, contest, extra, message):
    agree(cast.resident)
    with pytest.raises(EssayRefused, match=message):
        submit(contest, cast.resident, **extra)
    assert not Entry.objects.exists() and not EntryPhoto.objects.exists()


def test_no_entry_without_contest_consent_or_after_the_deadline(cast, contest):
    with pytest.raises(EssayRefused, match="chưa đồng ý"):
        submit(contest, cast.resident)
    agree(cast.resident)
    contest.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    contest.opens_at = contest.closes_at - timezone.timedelta(days=3)
    contest.save(update_fields=["closes_at", "opens_at"])
    with pytest.raises(EssayRefused, match="hết hạn nhận bài"):
        submit(contest, cast.resident)
    assert not Entry.objects.exists()


def test_a_resident_of_another_commune_cannot_enter(cast, contest):
    agree(cast.resident2)
    with pytest.raises(EssayRefused, match="không thuộc xã"):
        submit(contest, cast.resident2)


def test_a_volunteer_entry_is_recorded_as_assisted(cast, contest):
    agree(cast.resident)
    entry, created = entry_submit(
        contest=contest,
        entered_by=cast.volunteer,
        resident=cast.resident,
        title="Bác Lành kể",
        text=STORY,
        client_key=uuid.uuid4(),
    )
    assert created and entry.is_assisted and entry.resident == cast.resident


def test_rejecting_needs_a_reason(cast, entry):
    with pytest.raises(EssayRefused, match="cần ghi lý do"):
        entry_moderate(actor=cast.coordinator, entry=entry, approve=False)
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    entry_moderate(actor=cast.coordinator, entry=entry, approve=False, note="Bài chép trên mạng")
    entry.refresh_from_db()
    assert (entry.status, entry.moderation_note) == ("rejected", "Bài chép trên mạng")


def test_scores_are_checked_all_or_nothing(cast, contest, approved):
    with pytest.raises(EssayRefused, match="phải từ 0 đến 5"):
        scores_save(judge=cast.officer, entry=approved, points=points(contest, 8, 6))
    assert not Score.objects.exists()
    with pytest.raises(EssayRefused, match="đủ tất cả các tiêu chí"):
        scores_save(
            judge=cast.officer,
            entry=approved,
            points={contest.criteria.first().pk: Decimal(3)},
        )
    with pytest.raises(EssayRefused, match="không có tên trong ban giám khảo"):
        scores_save(judge=cast.volunteer, entry=approved, points=points(contest, 8, 4))
    assert not Score.objects.exists()


def test_a_judge_edits_scores_and_the_combined_score_is_the_weighted_mean(cast, contest, approved):
    judge_add(actor=cast.coordinator, contest=contest, user=cast.volunteer)
    scores_save(judge=cast.officer, entry=approved, points=points(contest, 5, 5))
    scores_save(judge=cast.officer, entry=approved, points=points(contest, 10, 5))  # edit
    assert Score.objects.filter(judge=cast.officer).count() == 2
    row = jury_ranking(contest)[0]
    assert (row["score"], row["complete"]) == (Decimal("100.00"), False)
    # volunteer: 6/10*60 + 2.5/5*40 = 36 + 20 = 56; mean of 100 and 56 is 78
    scores_save(judge=cast.volunteer, entry=approved, points=points(contest, 6, "2.5"))
    row = jury_ranking(contest)[0]
    assert (row["score"], row["judges_done"], row["complete"]) == (Decimal("78.00"), 2, True)


def test_publishing_freezes_ranking_prizes_and_scores(cast, contest, approved):
    agree(cast.neighbour)
    second = submit(contest, cast.neighbour, title="Tôi trả tiền điện qua điện thoại")
    second = entry_moderate(actor=cast.coordinator, entry=second, approve=True)
    scores_save(judge=cast.officer, entry=approved, points=points(contest, 7, 4))
    with pytest.raises(EssayRefused, match="Chưa hết hạn nộp bài"):
        results_publish(actor=cast.coordinator, contest=contest, prizes={"nhat": 1})
    contest.opens_at = timezone.now() - timezone.timedelta(days=5)
    contest.closes_at = timezone.now() - timezone.timedelta(minutes=1)
    contest.save(update_fields=["opens_at", "closes_at"])
    with pytest.raises(EssayRefused, match="chưa được chấm đủ"):
        results_publish(actor=cast.coordinator, contest=contest, prizes={"nhat": 1})
    scores_save(judge=cast.officer, entry=second, points=points(contest, 9, 5))
    winners = results_publish(actor=cast.coordinator, contest=contest, prizes={"nhat": 1, "kk": 1})
    assert [(w.title, w.prize) for w in winners] == [
        ("Tôi trả tiền điện qua điện thoại", "nhat"),
        ("Tôi gọi video cho cháu", "kk"),
    ]
    approved.refresh_from_db()
    assert (approved.rank, approved.final_score) == (2, Decimal("74.00"))
    with pytest.raises(EssayRefused, match="không sửa điểm"):
        scores_save(judge=cast.officer, entry=approved, points=points(contest, 10, 5))


def test_one_vote_per_person_per_contest_and_a_retry_counts_once(cast, contest, approved):
    agree(cast.neighbour)
    other = submit(contest, cast.neighbour, title="Bài khác")
    other = entry_moderate(actor=cast.coordinator, entry=other, approve=True)
    _, created = vote_cast(entry=approved, voter="r1", ip="10.0.0.1")
    _, again = vote_cast(entry=approved, voter="r1", ip="10.0.0.1")
    assert (created, again) == (True, False)
    with pytest.raises(EssayRefused, match="đã bình chọn cho bài “Tôi gọi video cho cháu”"):
        vote_cast(entry=other, voter="r1")
    assert Vote.objects.count() == 1
    assert Vote.objects.get().ip_hash != "10.0.0.1"  # only a salted hash is kept


def test_anonymous_votes_from_one_address_are_capped_per_day(cast, contest, approved, settings):
    from essays import services

    for n in range(services.VOTE_IP_DAILY_LIMIT):
        vote_cast(entry=approved, voter=f"ctoken{n}", ip="10.0.0.9")
    with pytest.raises(EssayRefused, match="quá nhiều lượt bình chọn"):
        vote_cast(entry=approved, voter="cnewcomer", ip="10.0.0.9")
    vote_cast(entry=approved, voter="r99", ip="10.0.0.9")  # a signed-in resident still can


def test_no_votes_outside_the_window_or_for_unapproved_entries(cast, contest, entry):
    with pytest.raises(EssayRefused, match="bài đã được duyệt"):
        vote_cast(entry=entry, voter="r1")
    contest.voting_closes_at = timezone.now() - timezone.timedelta(minutes=1)
    contest.save(update_fields=["voting_closes_at"])
    entry.refresh_from_db()
    with pytest.raises(EssayRefused, match="không mở bình chọn"):
        vote_cast(entry=entry, voter="r1")
    assert not Vote.objects.exists()
