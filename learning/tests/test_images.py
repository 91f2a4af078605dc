"""Uploaded pictures become small, upright WebP files; anything else is refused in Vietnamese."""

import io
import os
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from learning.images import NOT_AN_IMAGE, TOO_MANY_PIXELS, webp_from_upload

LIMIT = 40 * 1024


def photo(width: int = 3000, height: int = 2000) -> Image.Image:
    """A photo-like picture: smooth gradients with sensor noise, hard to compress."""
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.frombytes("L", (width, height), os.urandom(width * height))
    return Image.merge("RGB", (gradient, Image.blend(gradient, noise, 0.3), noise))


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_big_photo_becomes_a_webp_at_most_800_px_wide_and_40_kb(fmt):
    result = webp_from_upload(encoded(photo(), fmt), max_bytes=LIMIT)

    image = opened(result)
    assert len(result) <= LIMIT
    assert image.format == "WEBP"
    assert image.size == (800, 533)


def test_the_default_limit_is_the_lesson_image_setting(settings):
    assert settings.LESSON_IMAGE_MAX_BYTES == LIMIT
    assert len(webp_from_upload(encoded(photo(), "PNG"))) <= LIMIT


def test_a_small_picture_is_not_enlarged():
    result = webp_from_upload(encoded(photo(300, 200), "PNG"))
    assert opened(result).size == (300, 200)


def test_a_phone_photo_taken_sideways_is_turned_upright_and_loses_its_location():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {2: (21.0, 1.0, 0.0)}  # a GPS position
    data = encoded(photo(1200, 900), "JPEG", exif=exif)

    image = opened(webp_from_upload(data))

    assert image.width < image.height  # now portrait, as the phone showed it
    assert not image.getexif()


def test_transparent_parts_become_white_not_black():
    picture = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    picture.paste((200, 0, 0, 255), (25, 25, 75, 75))

    image = opened(webp_from_upload(encoded(picture, "PNG"))).convert("RGB")

    corner = image.getpixel((2, 2))
    assert all(channel > 240 for channel in corner)
    assert image.getpixel((50, 50))[0] > 150


def test_a_tighter_limit_is_met_by_lowering_quality_and_then_the_size():
    result = webp_from_upload(encoded(photo(), "PNG"), max_bytes=3000)

    assert len(result) <= 3000
    assert opened(result).format == "WEBP"


def test_an_impossible_limit_is_refused_in_vietnamese():
    with pytest.raises(ValidationError) as caught:
        webp_from_upload(encoded(photo(64, 64), "PNG"), max_bytes=10)
    assert "Không nén được ảnh này" in caught.value.messages[0]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "Đây là một tệp chữ, không phải ảnh.\n".encode() * 50,
        encoded(photo(64, 64), "PNG")[:200],  # cut off while downloading
        encoded(photo(64, 64), "BMP"),  # a real image, but not a format we take
        encoded(photo(64, 64), "GIF"),
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",  # never handed to Ghostscript
    ],
    ids=["empty", "text", "truncated", "bmp", "gif", "eps"],
)
def test_anything_but_a_real_jpeg_png_or_webp_is_refused_with_the_vietnamese_message(data):
    with pytest.raises(ValidationError) as caught:
        webp_from_upload(data)
    assert caught.value.messages == [NOT_AN_IMAGE]


@pytest.mark.parametrize("size", [(8_000, 7_000), (40_000, 40_000)], ids=["56-mp", "1600-mp"])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(size):
    with pytest.raises(ValidationError) as caught:
        webp_from_upload(png_claiming(*size))
    assert caught.value.messages == [TOO_MANY_PIXELS]


SMALL_PNG = encoded(photo(40, 30), "PNG")
SMALL_JPEG = encoded(photo(40, 30), "JPEG")


@st.composite
def damaged_images(draw) -> bytes:
    """A real small PNG or JPEG with a few bytes changed, cut short or extended."""
    data = bytearray(draw(st.sampled_from([SMALL_PNG, SMALL_JPEG])))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[:cut]) + draw(st.binary(max_size=64))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=2048), damaged_images()), max_bytes=st.integers(1, LIMIT))
@example(data=SMALL_PNG, max_bytes=LIMIT)
@example(data=SMALL_JPEG, max_bytes=50)
def test_any_bytes_are_refused_or_become_a_webp_within_the_limit(data, max_bytes):
    try:
        result = webp_from_upload(data, max_bytes=max_bytes)
    except ValidationError as exc:
        assert exc.messages and all(isinstance(m, str) and m for m in exc.messages)
        return
    assert len(result) <= max_bytes
    assert opened(result).format == "WEBP"
