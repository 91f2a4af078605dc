"""Posters, banners and the slogan library: the PDFs, the pages, who may do what."""

import io
import subprocess
import unicodedata

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from communications.models import Poster, PosterPlacement, Slogan
from communications.poster_pdf import FORMATS, poster_pdf
from communications.posters import DEFAULT_SLOGANS, poster_create, slogans_ensure_defaults

SLOGAN = "Chuyển đổi số không khó, ai cũng học được!"
MM = 72 / 25.4


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode()).split())


def _page(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


# --- the PDFs -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["a4", "a3", "banner"])
def test_each_format_is_one_page_of_its_size_with_the_slogan_readable(fmt, tmp_path):
    pdf = poster_pdf(
        slogan=unicodedata.normalize("NFD", SLOGAN),  # decomposed input is normalised
        fmt=fmt,
        subtitle="Tối thứ Bảy, 19 giờ, tại nhà văn hóa xóm",
        commune_name="Xã Bạch Ngọc",
        qr_url="https://hocvuso.example/bai-hoc/vneid/",
    )
    assert pdf.startswith(b"%PDF")
    box = _page(pdf).mediabox
    width, height = FORMATS[fmt]
    assert float(box.width) == pytest.approx(width * MM, abs=0.5)
    assert float(box.height) == pytest.approx(height * MM, abs=0.5)
    text = _text(pdf, tmp_path)
    assert SLOGAN in text
    assert "Bình dân học vụ số" in text
    assert "UBND XÃ BẠCH NGỌC" in text
    assert "Tối thứ Bảy, 19 giờ, tại nhà văn hóa xóm" in text
    assert "Quét mã để học" in text


def test_fonts_are_embedded(tmp_path):
    pdf = poster_pdf(slogan=SLOGAN, commune_name="Xã Bạch Ngọc", qr_url="https://a.example/")
    out = tmp_path / "p.pdf"
    out.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, check=True).stdout.decode()
    assert "DejaVuSansBold" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # emb column


def test_a_200_character_slogan_still_fits_on_one_page(tmp_path):
    words = "Bà con hãy cùng học cách dùng điện thoại để làm thủ tục trên VNeID, trả tiền điện"
    slogan = (words + ", ") * 3
    slogan = slogan[:200].rstrip(", ")
    assert len(slogan) >= 195
    for fmt in FORMATS:
        pdf = poster_pdf(
            slogan=slogan, fmt=fmt, commune_name="Xã Bạch Ngọc", qr_url="https://a.example/"
        )
        _page(pdf)
        text = _text(pdf, tmp_path)
        assert slogan in text
        assert "Bình dân học vụ số" in text


def test_the_qr_code_is_drawn(tmp_path):
    """Drawn as vector squares: the page content holds hundreds of filled rectangles."""
    pdf = poster_pdf(slogan=SLOGAN, commune_name="Xã Bạch Ngọc", qr_url="https://a.example/")
    content = _page(pdf).get_contents().get_data()
    assert content.count(b" re") > 100


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        poster_pdf(slogan=SLOGAN, fmt="a0", commune_name="Xã Bạch Ngọc", qr_url="https://a/")


@pytest.mark.parametrize("fmt", ["a4", "a3", "banner"])
def test_poster_pdf_command_writes_a_demo_poster(fmt, tmp_path, db):
    out = tmp_path / "out.pdf"
    call_command("poster_pdf", str(out), "--demo", "--format", fmt, stdout=io.StringIO())
    pdf = out.read_bytes()
    _page(pdf)
    text = _text(pdf, tmp_path)
    assert DEFAULT_SLOGANS[0] in text
    assert "Bình dân học vụ số" in text
    if fmt != "banner":  # posters print the address under the code, for typing by hand
        assert "127.0.0.1:8000" in text


def test_poster_pdf_command_refuses_an_unknown_format(tmp_path, db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Khổ in không đúng"):
        call_command("poster_pdf", str(tmp_path / "x.pdf"), "--demo", "--format", "a0")
    assert not (tmp_path / "x.pdf").exists()


# --- slogans --------------------------------------------------------------------------------


def test_default_slogans_load_once(cast):
    assert slogans_ensure_defaults(cast.commune) == len(DEFAULT_SLOGANS)
    assert slogans_ensure_defaults(cast.commune) == 0
    texts = list(Slogan.objects.filter(commune=cast.commune).values_list("text", flat=True))
    assert "Không chia sẻ mã xác thực (OTP) cho bất kỳ ai" in texts
    assert all(len(t) <= 80 for t in texts)


def test_coordinator_adds_edits_and_deactivates_a_slogan(client, cast):
    client.force_login(cast.coordinator)
    r = client.post(reverse("communications:slogan_create"), {"text": "  Học số   để sống số  "})
    assert r.status_code == 302
    slogan = Slogan.objects.get(commune=cast.commune)
    assert slogan.text == "Học số để sống số"
    r = client.post(
        reverse("communications:slogan_edit", args=[slogan.pk]),
        {"text": "Học số để sống tốt", "active": "on"},
    )
    assert r.status_code == 302
    client.post(reverse("communications:slogan_deactivate", args=[slogan.pk]))
    slogan.refresh_from_db()
    assert (slogan.text, slogan.active) == ("Học số để sống tốt", False)


def test_an_empty_slogan_is_refused_in_vietnamese(client, cast):
    client.force_login(cast.coordinator)
    r = client.post(reverse("communications:slogan_create"), {"text": "   "})
    assert r.status_code == 200
    assert "Hãy nhập khẩu hiệu." in r.content.decode()
    assert not Slogan.objects.exists()


def test_leader_reads_slogans_but_cannot_add(client, cast):
    slogans_ensure_defaults(cast.commune)
    client.force_login(cast.leader)
    r = client.get(reverse("communications:slogan_list"))
    assert r.status_code == 200
    assert DEFAULT_SLOGANS[1] in r.content.decode()
    assert client.post(reverse("communications:slogan_create"), {"text": "X y"}).status_code == 403
    assert client.post(reverse("communications:slogan_defaults")).status_code == 403


def test_slogan_of_another_commune_is_404(client, cast):
    other = Slogan.objects.create(commune=cast.commune2, text="Khẩu hiệu xã bạn")
    client.force_login(cast.coordinator)
    assert client.get(reverse("communications:slogan_edit", args=[other.pk])).status_code == 404


# --- posters --------------------------------------------------------------------------------


@pytest.fixture
def slogan(cast):
    return Slogan.objects.create(commune=cast.commune, text=SLOGAN)


def _poster_data(slogan, **extra):
    return {
        "slogan": slogan.pk,
        "format": "a3",
        "subtitle": "Tối thứ Bảy tại nhà văn hóa",
        "qr_url": "https://hocvuso.example/bai-hoc/",
        **extra,
    }


def test_coordinator_creates_a_poster_and_downloads_its_pdf(client, cast, slogan, tmp_path):
    client.force_login(cast.coordinator)
    r = client.post(reverse("communications:poster_create"), _poster_data(slogan))
    poster = Poster.objects.get()
    assert r.status_code == 302
    assert (poster.format, poster.created_by) == ("a3", cast.coordinator)
    r = client.get(reverse("communications:poster_pdf", args=[poster.pk]))
    assert r["Content-Type"] == "application/pdf"
    pdf = r.content
    assert float(_page(pdf).mediabox.width) == pytest.approx(297 * MM, abs=0.5)
    assert SLOGAN in _text(pdf, tmp_path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"format": "a0"}, "Khổ in không đúng"),
        ({"qr_url": "ftp://hocvuso.example/"}, "phải bắt đầu bằng http:// hoặc https://"),
        ({"qr_url": "javascript:alert(1)"}, "phải bắt đầu bằng http:// hoặc https://"),
        ({"qr_url": ""}, "Hãy nhập đường link cho mã QR."),
    ],
)
def test_bad_poster_input_is_refused_and_nothing_saved(client, cast, slogan, extra, message):
    client.force_login(cast.coordinator)
    r = client.post(reverse("communications:poster_create"), _poster_data(slogan, **extra))
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Poster.objects.exists()


def test_a_slogan_of_another_commune_cannot_be_used(client, cast):
    other = Slogan.objects.create(commune=cast.commune2, text="Khẩu hiệu xã bạn")
    client.force_login(cast.coordinator)
    r = client.post(reverse("communications:poster_create"), _poster_data(other))
    assert r.status_code == 200
    assert not Poster.objects.exists()


@pytest.mark.parametrize("who", ["resident", "volunteer", "officer", "leader", "province"])
def test_only_admin_and_coordinator_create_posters(client, cast, slogan, who):
    client.force_login(cast.users()[who])
    r = client.post(reverse("communications:poster_create"), _poster_data(slogan))
    assert r.status_code == 403
    assert not Poster.objects.exists()


@pytest.fixture
def poster(cast, slogan):
    return poster_create(
        actor=cast.coordinator,
        commune=cast.commune,
        slogan=slogan,
        format="a4",
        qr_url="https://hocvuso.example/",
    )


def test_poster_of_another_commune_is_404(client, cast, poster):
    client.force_login(cast.admin2)
    for name in ("poster_detail", "poster_pdf", "poster_placement_create"):
        assert client.get(reverse(f"communications:{name}", args=[poster.pk])).status_code == 404


def test_resident_cannot_see_posters(client, cast, poster):
    client.force_login(cast.resident.user)
    assert client.get(reverse("communications:poster_list")).status_code == 403


def test_volunteer_records_a_placement_in_their_hamlet(client, cast, poster):
    client.force_login(cast.volunteer)
    r = client.post(
        reverse("communications:poster_placement_create", args=[poster.pk]),
        {
            "place": "cultural_house",
            "hamlet": cast.hamlet.pk,
            "put_up_on": "05/01/2026",
            "note": "Bảng tin",
        },
    )
    assert r.status_code == 302
    placement = PosterPlacement.objects.get()
    assert (placement.place, placement.hamlet, placement.commune) == (
        "cultural_house",
        cast.hamlet,
        cast.commune,
    )
    assert placement.put_up_on.isoformat() == "2026-01-05"
    page = client.get(reverse("communications:poster_detail", args=[poster.pk])).content.decode()
    assert "Nhà văn hóa xóm" in page and cast.hamlet.name in page


def test_volunteer_cannot_record_in_another_hamlet(client, cast, poster):
    client.force_login(cast.volunteer)
    r = client.post(
        reverse("communications:poster_placement_create", args=[poster.pk]),
        {"place": "school", "hamlet": cast.other_hamlet.pk, "put_up_on": "05/01/2026"},
    )
    assert r.status_code == 200
    assert "Xóm này không thuộc phạm vi của bạn." in r.content.decode()
    assert not PosterPlacement.objects.exists()


def test_officer_records_a_commune_wide_placement(client, cast, poster):
    client.force_login(cast.officer)
    r = client.post(
        reverse("communications:poster_placement_create", args=[poster.pk]),
        {"place": "road", "hamlet": "", "put_up_on": "05/01/2026"},
    )
    assert r.status_code == 302
    assert PosterPlacement.objects.get().hamlet is None


def test_placement_without_place_is_refused(client, cast, poster):
    client.force_login(cast.coordinator)
    r = client.post(
        reverse("communications:poster_placement_create", args=[poster.pk]),
        {"place": "", "put_up_on": "05/01/2026"},
    )
    assert "Hãy chọn nơi treo." in r.content.decode()
    assert not PosterPlacement.objects.exists()


def test_leader_reads_posters_but_cannot_record_placements(client, cast, poster):
    client.force_login(cast.leader)
    assert client.get(reverse("communications:poster_list")).status_code == 200
    assert client.get(reverse("communications:poster_detail", args=[poster.pk])).status_code == 200
    url = reverse("communications:poster_placement_create", args=[poster.pk])
    assert client.post(url, {"place": "road"}).status_code == 403
