"""What residents and visitors see: contests, entries, the submit form, votes and results.

Lists, entries and results are public (the visitor's own commune when signed in, else the
public commune). Submitting needs a signed-in resident who agreed to take part in contests
(or an official, for a contest for officials). Everything works without JavaScript; a video
is a plain link until tapped.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.models import STAFF_ROLES, Role
from communications.news import youtube_embed
from essays import selectors
from essays.forms import EntryForm
from essays.models import EssayContest
from essays.services import (
    EssayRefused,
    entry_submit,
    has_contest_consent,
    is_open_for_entries,
    is_voting_open,
    vote_cast,
    voter_for,
)
from lib.http import posted

VOTER_COOKIE = "essay_voter"
VOTER_SALT = "essays.vote"
VOTER_MAX_AGE = 60 * 60 * 24 * 365


def refused(request, message: str, *, contest=None, status: int = 400):
    return render(
        request, "essays/refused.html", {"message": message, "contest": contest}, status=status
    )


@require_GET
def contest_list(request):
    commune = selectors.viewer_commune(request.user)
    contests = selectors.public_contests(commune)
    return render(request, "essays/contest_list.html", {"contests": contests, "commune": commune})


@require_GET
def contest_detail(request, contest_id: int):
    commune = selectors.viewer_commune(request.user)
    contest = selectors.get_public_contest(commune, contest_id)
    entries = list(selectors.public_entries(contest).select_related("resident__hamlet"))
    names = selectors.author_names(entries)
    votes = selectors.vote_counts(contest) if contest.voting_enabled else {}
    return render(
        request,
        "essays/contest_detail.html",
        {
            "commune": commune,
            "contest": contest,
            "criteria": contest.criteria.all(),
            "rows": [
                {"entry": e, "name": names[e.pk], "votes": votes.get(e.pk, 0)} for e in entries
            ],
            "mine": selectors.own_entry(request.user, contest),
            "open": is_open_for_entries(contest),
            "voting_open": is_voting_open(contest),
        },
    )


def _author_refusal(user, contest: EssayContest) -> str:
    """Why this signed-in user cannot submit to this contest themselves ('' if they can)."""
    if contest.audience == EssayContest.Audience.OFFICIALS:
        if user.role not in STAFF_ROLES:
            return "Cuộc thi này dành cho cán bộ, công chức."
        return ""
    if user.role != Role.RESIDENT or getattr(user, "resident", None) is None:
        return (
            "Trang gửi bài dành cho người dân đăng nhập bằng tài khoản của mình. "
            "Tình nguyện viên nhập bài giúp người dân trong khu cán bộ."
        )
    return ""


def submit(request, contest_id: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    commune = selectors.viewer_commune(request.user)
    contest = selectors.get_public_contest(commune, contest_id)
    if message := _author_refusal(request.user, contest):
        return refused(request, message, contest=contest, status=403)
    resident = getattr(request.user, "resident", None) if request.user.is_resident else None
    if resident is not None and not has_contest_consent(resident):
        return render(request, "essays/need_consent.html", {"contest": contest}, status=403)
    if mine := selectors.own_entry(request.user, contest):
        messages.info(request, "Bạn đã gửi bài cho cuộc thi này. Mỗi người gửi một bài.")
        return redirect("essays:essay_entry", contest.pk, mine.pk)
    if not is_open_for_entries(contest):
        return refused(request, "Cuộc thi chưa mở hoặc đã hết hạn nhận bài.", contest=contest)
    form = EntryForm(posted(request), request.FILES or None, contest=contest)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry, _ = entry_submit(
                contest=contest,
                entered_by=request.user,
                resident=resident,
                title=data["title"],
                text=data["text"],
                video_url=data["video_url"],
                photos=data["photos"],
                client_key=data["client_key"],
            )
        except EssayRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "Đã gửi bài dự thi. Ban tổ chức sẽ duyệt bài trước khi đăng công khai."
            )
            return redirect("essays:essay_entry", contest.pk, entry.pk)
    return render(request, "essays/submit.html", {"contest": contest, "form": form})


def _video(entry) -> str:
    return youtube_embed(entry.video_url) if entry.video_provider == "YouTube" else ""


@require_GET
def entry_detail(request, contest_id: int, entry_id: int):
    commune = selectors.viewer_commune(request.user)
    contest = selectors.get_public_contest(commune, contest_id)
    entry = selectors.get_entry_for_viewer(request.user, contest, entry_id)
    voting_open = is_voting_open(contest)
    response = render(
        request,
        "essays/entry.html",
        {
            "contest": contest,
            "entry": entry,
            "name": selectors.author_names([entry])[entry.pk],
            "photos": entry.photos.values_list("id", flat=True),
            "embed": _video(entry),
            "voting_open": voting_open and entry.status == entry.Status.APPROVED,
            "votes": entry.votes.count() if contest.voting_enabled else None,
        },
    )
    if voting_open and not request.user.is_authenticated and not _voter_cookie(request):
        _set_voter_cookie(response)
    return response


def _voter_cookie(request) -> str:
    return request.get_signed_cookie(VOTER_COOKIE, default="", salt=VOTER_SALT)


def _set_voter_cookie(response) -> None:
    response.set_signed_cookie(
        VOTER_COOKIE,
        secrets.token_urlsafe(18),
        salt=VOTER_SALT,
        max_age=VOTER_MAX_AGE,
        httponly=True,
        samesite="Lax",
    )


@require_POST
def vote(request, contest_id: int, entry_id: int):
    commune = selectors.viewer_commune(request.user)
    contest = selectors.get_public_contest(commune, contest_id)
    entry = selectors.get_entry_for_viewer(request.user, contest, entry_id)
    voter = voter_for(user=request.user, cookie_token=_voter_cookie(request))
    try:
        _, created = vote_cast(entry=entry, voter=voter, ip=request.META.get("REMOTE_ADDR", ""))
    except EssayRefused as refusal:
        response = refused(request, str(refusal), contest=contest)
        if not voter:
            _set_voter_cookie(response)
        return response
    if created:
        messages.success(request, "Cảm ơn bạn đã bình chọn cho bài này.")
    else:
        messages.info(request, "Bạn đã bình chọn cho bài này rồi; phiếu chỉ tính một lần.")
    return redirect("essays:essay_entry", contest.pk, entry.pk)


@require_GET
def photo(request, photo_id: int):
    item = selectors.get_photo_for_viewer(request.user, photo_id)
    response = HttpResponse(bytes(item.image), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def results(request, contest_id: int):
    commune = selectors.viewer_commune(request.user)
    contest = selectors.get_public_contest(commune, contest_id)
    winners = selectors.published_results(contest) if contest.results_published else []
    winners = [e for e in winners if e.prize]
    names = selectors.author_names(winners)
    popular = (
        selectors.popular_ranking(contest, limit=3)
        if contest.voting_enabled and (contest.results_published or not is_voting_open(contest))
        else []
    )
    return render(
        request,
        "essays/results.html",
        {
            "contest": contest,
            "winners": [{"entry": e, "name": names[e.pk]} for e in winners],
            "popular": popular,
        },
    )
