"""Exemplary stories: consent before publishing, withdrawal, public pages, radio, access."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import AuditEntry, Purpose
from accounts.services import consent_set, resident_erase
from communications import radio
from communications.models import Story
from communications.stories import story_save

STAFF = "/can-bo/guong-dien-hinh/"
NEW = STAFF + "moi/"
TITLE = "Bà Lành 68 tuổi tự gọi video cho con"


def agree(resident, granted=True, actor=None):
    consent_set(
        resident=resident, purpose=Purpose.PUBLIC_NAME, granted=granted, actor=actor, method="self"
    )


def form(**extra) -> dict:
    data = {
        "title": TITLE,
        "summary": "Từ chỗ chỉ biết nghe gọi.",
        "category": "elderly_smartphone",
        "resident": "",
        "person_name": "",
        "consent_form": "",
        "body": "Bà học **gọi video** mỗi tuần một buổi.",
        "status": "published",
    }
    data.update(extra)
    return data


def published(cast, resident=None, **extra) -> Story:
    data = {
        "title": TITLE,
        "summary": "",
        "body": "Bà học gọi video.",
        "category": "elderly_smartphone",
        "resident": resident,
        "person_name": "" if resident else "Tổ công nghệ số xóm Ngọc Lâm",
        "status": Story.Status.PUBLISHED,
    }
    data.update(extra)
    return story_save(
        actor=cast.coordinator,
        commune=cast.commune,
        story=None,
        data=data,
        consent_form="" if resident else "oral",
    )


def jpeg(size=(2400, 1600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="JPEG", quality=95)
    return out.getvalue()


def test_publishing_a_story_about_a_resident_needs_their_public_name_consent(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(NEW, form(resident=cast.resident.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chưa đăng được: Nguyễn Thị Lành chưa đồng ý hiện tên công khai" in page
    assert TITLE in page  # what was typed is kept
    assert not Story.objects.exists()
    # As a draft it may be written before the consent is asked.
    response = client.post(NEW, form(resident=cast.resident.pk, status="draft"))
    story = Story.objects.get()
    assert response.status_code == 302 and story.status == Story.Status.DRAFT
    assert client.get(f"/guong-dien-hinh/{story.slug}/").status_code == 404
    agree(cast.resident)
    response = client.post(f"{STAFF}{story.pk}/", form(resident=cast.resident.pk))
    story.refresh_from_db()
    assert response.status_code == 302 and story.status == Story.Status.PUBLISHED
    assert story.published_at is not None
    assert AuditEntry.objects.filter(target_id=str(story.pk), action="update").exists()


def test_a_story_about_a_person_named_in_free_text_needs_a_recorded_agreement(client, cast):
    client.force_login(cast.coordinator)
    data = form(person_name="Chị Lương Thị Mơ", category="online_seller")
    response = client.post(NEW, data)
    assert "hãy ghi nhận Chị Lương Thị Mơ đã đồng ý" in response.content.decode()
    assert not Story.objects.exists()
    response = client.post(NEW, {**data, "consent_form": "written"})
    story = Story.objects.get()
    assert response.status_code == 302 and story.status == Story.Status.PUBLISHED
    assert story.consent_recorded_by == cast.coordinator and story.consent_recorded_at
    page = client.get(f"{STAFF}{story.pk}/").content.decode()
    assert "Đồng ý bằng văn bản, do" in page and "Dieuphoi" in page


def test_a_story_names_one_person_only(client, cast):
    client.force_login(cast.coordinator)
    page = client.post(NEW, form(resident=cast.resident.pk, person_name="Ai đó")).content
    assert "Chỉ chọn một trong hai" in page.decode()
    page = client.post(NEW, form()).content.decode()
    assert "Hãy chọn người dân được nói tới, hoặc ghi tên người đó." in page
    assert not Story.objects.exists()


def test_a_resident_of_another_commune_cannot_be_chosen(client, cast):
    client.force_login(cast.coordinator)
    client.post(NEW, form(resident=cast.resident2.pk, status="draft"))
    assert not Story.objects.exists()


def test_the_photo_is_resized_and_a_non_image_is_refused(client, cast):
    client.force_login(cast.coordinator)
    fake = SimpleUploadedFile("anh.jpg", b"not an image at all", content_type="image/jpeg")
    data = form(person_name="Tổ công nghệ số", consent_form="oral", photo=fake)
    page = client.post(NEW, data).content.decode()
    assert "Chưa lưu" in page and not Story.objects.exists()
    photo = SimpleUploadedFile("anh.jpg", jpeg(), content_type="image/jpeg")
    client.post(NEW, {**data, "photo": photo})
    story = Story.objects.get()
    image = Image.open(io.BytesIO(bytes(story.photo)))
    assert image.format == "WEBP" and image.width <= 800 and len(story.photo) <= 40 * 1024
    client.logout()
    response = client.get(f"/guong-dien-hinh/{story.slug}/anh.webp")
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"


def test_published_stories_are_on_the_commune_page_and_in_the_news_area(client, cast):
    agree(cast.resident)
    story = published(cast, cast.resident)
    draft = published(cast, title="Bản nháp chưa đăng", status=Story.Status.DRAFT)
    for url in ("/", "/tin-tuc/", "/guong-dien-hinh/"):
        page = client.get(url).content.decode()
        assert TITLE in page and f'href="/guong-dien-hinh/{story.slug}/"' in page, url
        assert draft.title not in page
    detail = client.get(f"/guong-dien-hinh/{story.slug}/").content.decode()
    assert "Bà học gọi video." in detail and "Người cao tuổi biết dùng điện thoại" in detail


def test_withdrawing_consent_unpublishes_the_residents_stories(client, cast):
    agree(cast.resident)
    story = published(cast, cast.resident)
    other = published(cast, title="Tổ công nghệ số xóm Ngọc Lâm đi từng ngõ")
    assert client.get(f"/guong-dien-hinh/{story.slug}/").status_code == 200
    agree(cast.resident, granted=False, actor=cast.volunteer)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT
    assert "người dân rút lại sự đồng ý" in story.status_note
    assert client.get(f"/guong-dien-hinh/{story.slug}/").status_code == 404
    assert TITLE not in client.get("/").content.decode()
    other.refresh_from_db()
    assert other.status == Story.Status.PUBLISHED  # nobody else's story moves
    client.force_login(cast.coordinator)
    page = client.get(STAFF).content.decode()
    assert "Bản nháp" in page and "rút lại sự đồng ý" in page
    # Agreeing again does not republish by itself: the coordinator decides.
    agree(cast.resident)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_every_public_read_checks_consent_again(client, cast):
    """Consents removed without a new row: the read-time check still hides the story."""
    agree(cast.resident)
    story = published(cast, cast.resident)
    cast.resident.consents.all().delete()
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED  # no consent row was saved…
    assert client.get(f"/guong-dien-hinh/{story.slug}/").status_code == 404  # …still hidden
    assert TITLE not in client.get("/guong-dien-hinh/").content.decode()
    assert story not in radio.item_choices(cast.commune)["stories"]


def test_erasure_deletes_the_stories_about_the_resident(cast):
    agree(cast.resident)
    story = published(cast, cast.resident)
    resident_erase(actor=cast.admin, resident=cast.resident)
    assert not Story.objects.filter(pk=story.pk).exists()


def test_a_published_story_can_be_picked_for_a_radio_bulletin(client, cast):
    agree(cast.resident)
    story = published(cast, cast.resident, body="Bà học **gọi video** cho con ở xa.")
    client.force_login(cast.coordinator)
    page = client.get("/can-bo/truyen-thanh/moi/").content.decode()
    assert TITLE in page
    client.post("/can-bo/truyen-thanh/moi/", {"title": "Bản tin tuần", "story": story.pk})
    script = radio.Bulletin.objects.get().script
    assert f"Gương điển hình. {TITLE}. Bà học gọi video cho con ở xa." in script
    agree(cast.resident, granted=False)
    assert TITLE not in client.get("/can-bo/truyen-thanh/moi/").content.decode()


def test_story_pages_are_for_editors_of_the_same_commune(client, cast):
    story = published(cast)
    edit = f"{STAFF}{story.pk}/"
    for url in (STAFF, NEW, edit):
        assert client.get(url).status_code == 302  # anonymous: to the login page
    for who in ("leader", "officer", "volunteer", "resident"):
        client.force_login(cast.users()[who])
        assert client.get(edit).status_code == 403, who
        assert client.post(NEW, form(person_name="X", consent_form="oral")).status_code == 403
    client.force_login(cast.coordinator2)
    assert client.get(edit).status_code == 404
    assert client.post(edit, form(person_name="X", consent_form="oral")).status_code == 404
    assert TITLE not in client.get(STAFF).content.decode()
    story.refresh_from_db()
    assert story.person_name == "Tổ công nghệ số xóm Ngọc Lâm"
    assert Story.objects.count() == 1


@pytest.mark.parametrize("url", ["/", "/tin-tuc/", "/guong-dien-hinh/"])
def test_public_pages_with_stories_run_a_bounded_number_of_queries(
    client, cast, url, django_assert_max_num_queries
):
    agree(cast.resident)
    for n in range(6):
        published(cast, cast.resident, title=f"Gương số {n}")
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_published_stories_are_in_the_atom_feed(client, cast):
    import xml.etree.ElementTree as ET

    agree(cast.resident)
    story = published(cast, cast.resident)
    published(cast, title="Bản nháp", status=Story.Status.DRAFT)
    root = ET.fromstring(client.get("/tin-tuc/atom.xml").content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == [TITLE]
    link = entries[0].find(f"{atom}link").get("href")
    assert link == f"http://testserver/guong-dien-hinh/{story.slug}/"
