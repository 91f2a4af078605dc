"""Turn a photo or drawing a coordinator uploads into a small WebP for lessons on 3G.

Only JPEG, PNG and WebP decoders are tried (Pillow's other plugins, such as EPS through
Ghostscript, never see uploaded bytes). Metadata (EXIF, GPS position) is dropped.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_WIDTH = 800
MAX_HEIGHT = 1600  # a tall screenshot stays readable; WebP itself stops at 16,383 px
# Refused before decoding: a 50-megapixel photo is the largest a phone camera makes; past
# that a small file that claims huge dimensions is a decompression bomb.
MAX_PIXELS = 50_000_000
QUALITIES = (80, 70, 60, 50, 40, 30, 20)
SHRINK = 0.75  # when even the lowest quality is too big, shrink the picture and try again
MIN_SIDE = 16

NOT_AN_IMAGE = "Tệp này không phải là ảnh. Hãy chọn ảnh JPG, PNG hoặc WebP."
TOO_MANY_PIXELS = (
    "Ảnh này quá lớn (quá nhiều điểm ảnh) nên không xử lý được. "
    "Hãy chụp lại hoặc thu nhỏ ảnh rồi tải lên."
)
CANNOT_FIT = "Không nén được ảnh này xuống dưới {kb} KB. Hãy chọn ảnh đơn giản hơn."


def webp_from_upload(data: bytes, *, max_bytes: int = settings.LESSON_IMAGE_MAX_BYTES) -> bytes:
    """A WebP of at most max_bytes, at most 800 px wide, upright, RGB on white.

    Raises ValidationError (Vietnamese) for anything that is not a real JPEG/PNG/WebP image,
    for decompression bombs, and when no quality or size fits max_bytes.
    """
    image = _decode(data)
    image.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    while True:
        for quality in QUALITIES:
            out = io.BytesIO()
            image.save(out, format="WEBP", quality=quality, method=4)
            if out.tell() <= max_bytes:
                return out.getvalue()
        width, height = image.size
        if max(width, height) <= MIN_SIDE:
            raise ValidationError(CANNOT_FIT.format(kb=max_bytes // 1024), code="too_big")
        image = image.resize(
            (max(1, int(width * SHRINK)), max(1, int(height * SHRINK))),
            Image.Resampling.LANCZOS,
        )


def _decode(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
        # JPEG can decode straight at 1/2, 1/4 or 1/8 scale: far less memory for big photos.
        image.draft("RGB", (MAX_WIDTH, MAX_HEIGHT))
        image.load()
        image = ImageOps.exif_transpose(image)
        return _on_white(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limit (the warning is an error when warnings are errors, as in tests).
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except Exception:  # Pillow raises many types on hostile bytes; all mean "not an image"
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None


def _on_white(image: Image.Image) -> Image.Image:
    """RGB, with transparent parts white rather than black."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
