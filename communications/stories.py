"""Exemplary stories (gương điển hình): written by the coordinator, public only with consent.

A story is about a resident of the commune (linked) or a person named in free text. Publishing
is refused unless that person agreed to be named in public:

- a linked resident: their latest PUBLIC_NAME consent is a yes (accounts.Consent);
- a person named in free text: the coordinator ticks that the person agreed in writing or by
  word of mouth; who ticked it and when is kept.

Consent can be withdrawn at any time. Two guards keep a story off the public pages then:
a `post_save` receiver on Consent (see communications.apps) turns the resident's published
stories back into drafts with a note, and every public read checks the current consent again
(covering erasure, which deletes consents, and any write that bypasses the service).
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuditEntry, Consent, Purpose, Resident, Role, User
from accounts.selectors import granted_purposes
from accounts.services import audit_record
from communications.models import Story
from learning.images import webp_from_upload
from lib.vntext import fold
from places.models import Commune

EDITORS = (Role.ADMIN, Role.COORDINATOR)
PHOTO_MAX_BYTES = 40 * 1024
PUBLIC_LIMIT = 30
STORY_FIELDS = ["title", "summary", "body", "category", "resident", "person_name", "status"]
LIST_DEFER = ("body", "photo")

NO_PERSON = "Hãy chọn người dân được nói tới, hoặc ghi tên người đó."
BOTH_PERSONS = "Chỉ chọn một trong hai: người dân trong danh sách, hoặc ghi tên người khác."
NO_RESIDENT_CONSENT = (
    "Chưa đăng được: {name} chưa đồng ý hiện tên công khai. Hãy hỏi ý kiến và ghi nhận sự "
    "đồng ý “Hiện tên trên bảng xếp hạng và danh sách khen thưởng” ở hồ sơ người dân trước, "
    "rồi đăng lại; hoặc chọn “Bản nháp” để lưu bài mà chưa đăng."
)
NO_FREE_TEXT_CONSENT = (
    "Chưa đăng được: hãy ghi nhận {name} đã đồng ý (bằng văn bản hoặc bằng lời nói) cho đăng "
    "câu chuyện của mình; hoặc chọn “Bản nháp” để lưu bài mà chưa đăng."
)
WITHDRAWN = "Đã gỡ khỏi trang của xã ngày {day}: người dân rút lại sự đồng ý hiện tên."


# Reads ------------------------------------------------------------------------------------


def _latest_public_name_consent():
    latest = Consent.objects.filter(
        resident_id=OuterRef("resident_id"), purpose=Purpose.PUBLIC_NAME
    ).order_by("-recorded_at", "-id")
    return Subquery(latest.values("granted")[:1])


def _with_has_photo(qs: QuerySet[Story]) -> QuerySet[Story]:
    return qs.annotate(
        has_photo=Case(
            When(photo__isnull=True, then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        )
    )


def public_stories_qs(commune: Commune) -> QuerySet[Story]:
    """Published stories whose person agrees now; checked in the query, at every read."""
    agreed = Q(resident__isnull=True, consent_form__gt="") | Q(
        resident__isnull=False, resident__anonymised_at__isnull=True, consent_now=True
    )
    return (
        Story.objects.filter(commune=commune, status=Story.Status.PUBLISHED)
        .annotate(consent_now=_latest_public_name_consent())
        .filter(agreed)
        .select_related("resident")
    )


def public_stories(commune: Commune, *, limit: int = PUBLIC_LIMIT) -> list[Story]:
    qs = _with_has_photo(public_stories_qs(commune).defer(*LIST_DEFER))
    return list(qs.order_by("-published_at", "-id")[:limit])


def get_public_story(commune: Commune, slug: str) -> Story:
    return get_object_or_404(_with_has_photo(public_stories_qs(commune).defer("photo")), slug=slug)


def public_photo(commune: Commune, slug: str) -> bytes:
    story = get_object_or_404(
        public_stories_qs(commune).filter(photo__isnull=False).select_related(None).only("photo"),
        slug=slug,
    )
    return bytes(story.photo)


def stories_for_editor(user: User) -> QuerySet[Story]:
    if user.role not in EDITORS or not user.commune_id:
        return Story.objects.none()
    return Story.objects.filter(commune_id=user.commune_id).select_related(
        "resident", "consent_recorded_by"
    )


def get_story_for_editor(user: User, story_id: int) -> Story:
    return get_object_or_404(_with_has_photo(stories_for_editor(user)).defer("photo"), pk=story_id)


def story_residents(commune: Commune) -> QuerySet[Resident]:
    return Resident.objects.active().filter(commune=commune).order_by("name_folded", "id")


def story_state(story: Story) -> str:
    if story.status == Story.Status.DRAFT:
        return "Bản nháp"
    if not consent_ok(story):
        return "Đang ẩn: người được nói tới chưa (hoặc không còn) đồng ý"
    return "Đã đăng"


def consent_ok(story: Story) -> bool:
    if story.resident_id:
        resident = story.resident
        return resident.anonymised_at is None and Purpose.PUBLIC_NAME in granted_purposes(resident)
    return bool(story.person_name and story.consent_form)


# Writes -----------------------------------------------------------------------------------


def _slug(commune: Commune, title: str, *, exclude_id: int | None) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:100].rstrip("-") or "guong"
    taken = set(
        Story.objects.filter(commune=commune, slug__startswith=base)
        .exclude(pk=exclude_id)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _snapshot(story: Story) -> dict:
    return {
        "title": story.title,
        "category": story.category,
        "resident_id": story.resident_id,
        "person_name": story.person_name,
        "consent_form": story.consent_form,
        "status": story.status,
        "body": f"{len(story.body)} ký tự",
    }


def story_save(
    *,
    actor: User,
    commune: Commune,
    story: Story | None,
    data: dict,
    consent_form: str = "",
    photo: bytes | None = None,
    remove_photo: bool = False,
) -> Story:
    """Create or update a story. Publishing is checked against consent; a refusal raises
    ValidationError and saves nothing (the form keeps what was typed)."""
    webp = webp_from_upload(photo, max_bytes=PHOTO_MAX_BYTES) if photo else None
    resident = data.get("resident")
    person_name = " ".join((data.get("person_name") or "").split())
    if resident is not None and person_name:
        raise ValidationError(BOTH_PERSONS, code="person")
    if resident is None and not person_name:
        raise ValidationError(NO_PERSON, code="person")
    if resident is not None and resident.commune_id != commune.pk:
        raise ValidationError("Người dân này không thuộc xã của bạn.", code="person")
    with transaction.atomic():
        before = _snapshot(story) if story else None
        if story is None:
            story = Story(commune=commune, created_by=actor)
        was_published = story.pk and story.status == Story.Status.PUBLISHED
        for name in STORY_FIELDS:
            if name in data:
                setattr(story, name, data[name])
        story.person_name = person_name
        if resident is not None or not consent_form:  # a resident's own consent governs
            story.consent_form, story.consent_recorded_by, story.consent_recorded_at = (
                "",
                None,
                None,
            )
        elif consent_form != story.consent_form:
            story.consent_form = consent_form
            story.consent_recorded_by, story.consent_recorded_at = actor, timezone.now()
        if story.status == Story.Status.PUBLISHED:
            _check_consent(story)
            if not was_published:
                story.published_at = timezone.now()
                story.status_note = ""
        if not was_published:  # a shared link never breaks once the story is out
            story.slug = _slug(commune, story.title, exclude_id=story.pk)
        if webp is not None:
            story.photo = webp
        elif remove_photo:
            story.photo = None
        story.full_clean(exclude=["photo", "created_by", "consent_recorded_by"])
        story.save()
        after = _snapshot(story)
        if webp is not None or remove_photo:
            after["photo"] = "mới" if webp is not None else "đã gỡ"
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
            target=story,
            before=before,
            after=after,
        )
    return story


def _check_consent(story: Story) -> None:
    if story.resident_id:
        if not consent_ok(story):
            name = story.resident.full_name or "người dân này"
            raise ValidationError(NO_RESIDENT_CONSENT.format(name=name), code="consent")
    elif not story.consent_form:
        raise ValidationError(
            NO_FREE_TEXT_CONSENT.format(name=story.person_name or "người được nói tới"),
            code="consent",
        )


def stories_unpublish_for_resident(*, resident: Resident, actor: User | None) -> int:
    """Turn the resident's published stories back into drafts (consent withdrawn)."""
    note = WITHDRAWN.format(day=f"{timezone.localdate():%d/%m/%Y}")
    count = 0
    with transaction.atomic():
        for story in Story.objects.select_for_update().filter(
            resident=resident, status=Story.Status.PUBLISHED
        ):
            story.status, story.status_note = Story.Status.DRAFT, note
            story.save(update_fields=["status", "status_note", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                target=story,
                before={"status": Story.Status.PUBLISHED},
                after={"status": Story.Status.DRAFT, "lý do": "rút đồng ý hiện tên"},
            )
            count += 1
    return count


def on_consent_saved(sender, instance: Consent, created: bool, **kwargs) -> None:
    """post_save receiver: a withdrawn PUBLIC_NAME consent unpublishes the person's stories."""
    if created and instance.purpose == Purpose.PUBLIC_NAME and not instance.granted:
        stories_unpublish_for_resident(resident=instance.resident, actor=instance.recorded_by)
