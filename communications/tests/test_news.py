"""News and videos: what residents see, the editor, covers, the Atom feed, permissions."""

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from communications.models import Article, Video
from communications.news import article_save, slug_from_title

ATOM = "{http://www.w3.org/2005/Atom}"


def _article(cast, title="Xã tổ chức ngày hội chuyển đổi số", **extra) -> Article:
    data = {
        "kind": Article.Kind.NEWS,
        "title": title,
        "summary": "Bà con đến dự đông vui.",
        "body": "## Ngày hội\n\nHơn **200** bà con đã cài VNeID.",
        "audience": ["elderly"],
        "topic": "",
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() - dt.timedelta(hours=1),
    }
    data.update(extra)
    return article_save(actor=cast.coordinator, commune=cast.commune, article=None, data=data)


def _png(size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


def _form(**extra) -> dict:
    data = {
        "kind": "announcement",
        "title": "Thông báo lịch cài VNeID",
        "summary": "",
        "body": "Mời bà con đến **nhà văn hóa**.",
        "audience": ["elderly", "middle"],
        "topic": "",
        "status": "published",
        "publish_at": "05/12/2026 07:00",
        "action": "save",
    }
    data.update(extra)
    return data


def test_a_slug_is_the_folded_title():
    assert slug_from_title("Đăng ký khai sinh trực tuyến!") == "dang-ky-khai-sinh-truc-tuyen"


def test_a_published_article_shows_on_the_list_and_its_page(client, cast):
    article = _article(cast)
    assert article.slug == "xa-to-chuc-ngay-hoi-chuyen-doi-so"
    page = client.get("/tin-tuc/").content.decode()
    assert "Xã tổ chức ngày hội chuyển đổi số" in page
    detail = client.get(f"/tin-tuc/{article.slug}/").content.decode()
    assert "<strong>200</strong>" in detail
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Ftin-tuc%2F" in (
        detail
    )
    assert "Sao chép đường link" in detail and "Zalo" in detail


def test_a_draft_is_hidden_from_residents(client, cast):
    article = _article(cast, status=Article.Status.DRAFT)
    assert article.title not in client.get("/tin-tuc/").content.decode()
    assert client.get(f"/tin-tuc/{article.slug}/").status_code == 404


def test_a_scheduled_article_is_hidden_until_its_time(client, cast):
    article = _article(cast, publish_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(f"/tin-tuc/{article.slug}/").status_code == 404
    assert article.title not in client.get("/").content.decode()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(1))
    assert client.get(f"/tin-tuc/{article.slug}/").status_code == 200


def test_the_list_filters_by_kind_audience_and_topic(client, cast):
    _article(cast, title="Tin cho người cao tuổi")
    _article(cast, title="Tin cho người trẻ", kind=Article.Kind.NEWS, audience=["young"])
    _article(cast, title="Lịch họp", kind=Article.Kind.ANNOUNCEMENT, audience=["young"])
    notices = client.get("/tin-tuc/?loai=announcement").content.decode()
    assert "Lịch họp" in notices and "Tin cho người cao tuổi" not in notices
    young = client.get("/tin-tuc/?doi-tuong=young").content.decode()
    assert "Tin cho người trẻ" in young and "Tin cho người cao tuổi" not in young


def test_the_news_list_runs_a_bounded_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    for n in range(12):
        _article(cast, title=f"Tin số {n}")
    with django_assert_max_num_queries(4):
        assert client.get("/tin-tuc/").status_code == 200


def test_the_atom_feed_parses_and_has_vietnamese_entries(client, cast):
    _article(cast)
    _article(cast, title="Bản nháp bí mật", status=Article.Status.DRAFT)
    response = client.get("/tin-tuc/atom.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}id") is not None and root.find(f"{ATOM}updated") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Xã tổ chức ngày hội chuyển đổi số"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/tin-tuc/")
    assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text


def test_a_cover_is_stored_as_small_webp_and_served_with_a_long_cache(client, cast):
    client.force_login(cast.coordinator)
    cover = SimpleUploadedFile("bia.png", _png(), content_type="image/png")
    response = client.post(
        "/can-bo/tin-tuc/moi/", _form(publish_at="01/01/2025 07:00", cover=cover)
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert bytes(article.cover)[8:12] == b"WEBP" and len(article.cover) <= 40 * 1024
    image = client.get(f"/tin-tuc/{article.slug}/anh-bia.webp")
    assert image["Content-Type"] == "image/webp"
    assert "max-age=31536000" in image["Cache-Control"]


def test_an_unsupported_cover_is_refused_in_vietnamese_and_nothing_is_saved(client, cast):
    client.force_login(cast.coordinator)
    cover = SimpleUploadedFile("bia.gif", b"GIF89a not really", content_type="image/gif")
    response = client.post("/can-bo/tin-tuc/moi/", _form(cover=cover))
    assert response.status_code == 200
    assert "Tệp này không phải là ảnh" in response.content.decode()
    assert not Article.objects.exists()


def test_the_editor_previews_without_saving_with_and_without_htmx(client, cast):
    client.force_login(cast.coordinator)
    page = client.post("/can-bo/tin-tuc/moi/", _form(action="preview", body="**Đậm**"))
    assert "<strong>Đậm</strong>" in page.content.decode()
    fragment = client.post(
        "/can-bo/tin-tuc/xem-truoc/", {"body": "# Tiêu đề"}, HTTP_HX_REQUEST="true"
    )
    assert "<h1>Tiêu đề</h1>" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert not Article.objects.exists()


def test_editing_keeps_the_slug_of_a_published_article(client, cast):
    article = _article(cast)
    client.force_login(cast.coordinator)
    response = client.post(f"/can-bo/tin-tuc/{article.pk}/", _form(title="Tên mới hoàn toàn"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tên mới hoàn toàn"
    assert article.slug == "xa-to-chuc-ngay-hoi-chuyen-doi-so"


@pytest.mark.parametrize("url", ["/can-bo/tin-tuc/", "/can-bo/tin-tuc/moi/", "/can-bo/video/"])
@pytest.mark.parametrize("who", ["volunteer", "officer", "leader", "resident"])
def test_only_admins_and_coordinators_reach_the_news_staff_pages(client, cast, url, who):
    client.force_login(cast.users()[who])
    assert client.get(url).status_code == 403


def test_another_communes_article_answers_404_to_an_editor(client, cast):
    article = _article(cast)
    client.force_login(cast.coordinator2)
    assert client.get(f"/can-bo/tin-tuc/{article.pk}/").status_code == 404
    client.force_login(cast.coordinator)
    assert client.get(f"/can-bo/tin-tuc/{article.pk}/").status_code == 200


def test_videos_load_nothing_from_outside_until_tapped(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(
        "/can-bo/video/",
        {"title": "Cài VNeID trong 3 phút", "url": "https://youtu.be/abcDEF12345", "topic": ""},
    )
    assert response.status_code == 302
    assert Video.objects.get().provider == Video.Provider.YOUTUBE
    bad = client.post("/can-bo/video/", {"title": "Lạ", "url": "https://example.com/v"})
    assert "Chỉ nhận đường link video" in bad.content.decode()
    client.logout()
    page = client.get("/video/").content.decode()
    assert "Bấm để xem" in page and 'href="https://youtu.be/abcDEF12345"' in page
    assert "<iframe" not in page and "<img" not in page
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abcDEF12345' in page


def test_a_video_of_another_commune_cannot_be_removed(client, cast):
    video = Video.objects.create(
        commune=cast.commune, title="Clip", url="https://youtu.be/x", provider="youtube"
    )
    client.force_login(cast.coordinator2)
    assert client.post(f"/can-bo/video/{video.pk}/xoa/").status_code == 404
    client.force_login(cast.coordinator)
    assert client.post(f"/can-bo/video/{video.pk}/xoa/").status_code == 302
    assert not Video.objects.exists()


def test_the_home_page_shows_latest_news(client, cast):
    _article(cast, title="Thông báo cài VNeID", kind=Article.Kind.ANNOUNCEMENT)
    page = client.get("/").content.decode()
    assert "Thông báo cài VNeID" in page
    assert 'href="/canh-bao/"' in page and 'href="/tin-tuc/"' in page
