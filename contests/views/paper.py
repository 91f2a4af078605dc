"""Paper entry: print question sheets for people without a phone, key in the circled letters."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.access import residents_for_user, role_required
from contests.forms import SheetKeyForm, SheetPrintForm
from contests.models import Contest, PaperSheet, Question, Round
from contests.selectors import PAPER_HELPERS
from contests.services import (
    PAPER_GRACE,
    ContestRefused,
    normalize_sheet_code,
    paper_sheet_issue,
    paper_sheet_key,
)
from contests.sheet_pdf import Sheet, sheets_pdf
from lib.http import posted
from lib.vntext import fold

MAX_SHEETS = 200  # per print job


def _round_for_helper(user, round_id: int) -> Round:
    rounds = Round.objects.filter(
        commune_id=user.commune_id, contest__audience=Contest.Audience.RESIDENTS
    ).select_related("contest", "commune")
    return get_object_or_404(rounds, pk=round_id)


@role_required(*PAPER_HELPERS)
def sheets(request, round_id: int):
    """Pick residents (search by name), print one sheet each as one PDF."""
    round_ = _round_for_helper(request.user, round_id)
    query = (request.GET.get("q") or "")[:100]
    people = residents_for_user(request.user).order_by("hamlet__name", "name_folded")
    chosen = people
    if query:
        chosen = people.filter(name_folded__contains=fold(query))
    form = SheetPrintForm(posted(request), residents=people if request.method == "POST" else [])
    if form.is_valid():
        ids = form.cleaned_data["residents"][:MAX_SHEETS]
        try:
            issued = [
                paper_sheet_issue(actor=request.user, round_=round_, resident=resident)
                for resident in people.filter(pk__in=ids)
            ]
        except ContestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _pdf(round_, issued)
    printed = {
        resident_id: (code, attempt_id is not None)
        for resident_id, code, attempt_id in round_.paper_sheets.filter(
            resident__in=people
        ).values_list("resident_id", "code", "attempt_id")
    }
    return render(
        request,
        "contests/staff/paper_sheets.html",
        {
            "round": round_,
            "form": form,
            "query": query,
            "people": [(p, printed.get(p.pk)) for p in chosen[:100]],
            "closed": timezone.now() >= round_.closes_at,
        },
    )


def _pdf(round_: Round, issued: list[PaperSheet]) -> HttpResponse:
    ids = {qid for sheet in issued for qid in sheet.question_ids}
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids)}
    data = sheets_pdf(
        [
            Sheet(
                code=sheet.code,
                name=sheet.resident.full_name,
                birth_year=sheet.resident.birth_year,
                hamlet=sheet.resident.hamlet.name,
                questions=[
                    (questions[qid].text, [questions[qid].options[i] for i in order])
                    for qid, order in zip(sheet.question_ids, sheet.option_orders, strict=True)
                ],
            )
            for sheet in issued
        ],
        commune=round_.commune.name,
        contest=round_.contest.title,
        round_label=f"Đợt {round_.number}",
        closes=timezone.localtime(round_.closes_at).strftime("%H:%M ngày %d/%m/%Y"),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-thi-dot-{round_.number}.pdf"'
    return response


@role_required(*PAPER_HELPERS)
def key(request):
    """One screen: the sheet code and the circled letters. Keyed twice, counted once."""
    form = SheetKeyForm(posted(request))
    if form.is_valid():
        code = normalize_sheet_code(form.cleaned_data["code"])
        sheet = (
            PaperSheet.objects.filter(
                code=code,
                commune_id=request.user.commune_id,
                resident__in=residents_for_user(request.user),
            )
            .select_related("round__contest", "resident")
            .first()
        )
        if sheet is None:
            form.add_error("code", f"Không có phiếu mã {code} trong phạm vi của bạn.")
        else:
            try:
                attempt, created = paper_sheet_key(
                    actor=request.user,
                    sheet=sheet,
                    letters=form.cleaned_data["letters"],
                    prediction=form.cleaned_data["prediction"],
                    consent_on_sheet=form.cleaned_data["consent_on_sheet"],
                )
            except ContestRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                total = len(attempt.question_ids)
                text = f"{sheet.resident.full_name}: {attempt.score}/{total} câu đúng."
                if created:
                    messages.success(request, f"Đã nhập phiếu {sheet.code}. {text}")
                else:
                    messages.info(request, f"Phiếu {sheet.code} đã nhập trước đó. {text}")
                return redirect("contests:staff_paper_key")
    now = timezone.now()
    rounds = Round.objects.filter(
        commune_id=request.user.commune_id,
        contest__audience=Contest.Audience.RESIDENTS,
        is_practice=False,
        opens_at__lte=now,
        closes_at__gt=now - PAPER_GRACE,
    ).select_related("contest")
    return render(request, "contests/staff/paper_key.html", {"form": form, "rounds": rounds})
