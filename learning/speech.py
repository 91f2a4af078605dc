"""Read-aloud audio for lessons: a small, pluggable text-to-speech layer.

Engines (chosen by the SPEECH_ENGINE setting, see get_engine()):

- "espeak" (default): Debian's espeak-ng with its Vietnamese voice, fully offline. Its WAV
  output is encoded to a small mono MP3 (24 kbps, 16 kHz by default) with lameenc, so a whole
  lesson (~3,000 characters, ~2.5 minutes of speech) is about 0.5 MB over 3G.
- "http": a commercial Vietnamese voice behind an HTTP API key (see HttpEngine for the contract).
- "none": read-aloud switched off.

Every engine has `check()` (cheap: is it usable at all?) and `synthesize(text) -> Audio`. Both
raise SpeechUnavailable with a short Vietnamese `reason` a staff member can act on; a wrong
setting raises ImproperlyConfigured. `speakable()` turns lesson Markdown into text meant to be
heard.

Settings (all optional, read with getattr so they have defaults):
SPEECH_ENGINE, SPEECH_RATE, SPEECH_MP3_BITRATE, SPEECH_TIMEOUT, SPEECH_ESPEAK_BINARY,
SPEECH_ESPEAK_VOICE, SPEECH_HTTP_URL, SPEECH_HTTP_API_KEY, SPEECH_HTTP_VOICE.
"""

from __future__ import annotations

import http.client
import io
import json
import re
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import lameenc
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_RATE = 140  # words per minute: slow and clear for elderly listeners (espeak's own is 175)
DEFAULT_BITRATE = 24  # kbps, mono: ~3 KB per second of speech
DEFAULT_TIMEOUT = 60  # seconds, per synthesis
MP3_SAMPLE_RATE = 16_000  # Hz: enough for speech (8 kHz bandwidth); LAME resamples espeak's 22050
# Constant bit rates MPEG-2 Layer III allows at 16 kHz that make sense for speech.
ALLOWED_BITRATES = (8, 16, 24, 32, 40, 48, 56, 64)
HTTP_MAX_BYTES = 20 * 1024 * 1024  # refuse absurd replies rather than filling memory

INSTALL_ESPEAK = "apt-get install espeak-ng"


@dataclass
class Audio:
    data: bytes
    content_type: str
    extension: str
    # Length of the audio in seconds when the engine knows it (espeak does; HTTP may not).
    seconds: float | None = None


class SpeechUnavailable(Exception):
    """Speech cannot be produced now; `reason` is Vietnamese, short, and says what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Engine(Protocol):
    name: str

    def check(self) -> None: ...

    def synthesize(self, text: str) -> Audio: ...


# --- settings -------------------------------------------------------------------------------


def _int_setting(name: str, default: int, minimum: int, maximum: int) -> int:
    raw = getattr(settings, name, default)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, got {value}")
    return value


def _str_setting(name: str, default: str = "") -> str:
    raw = getattr(settings, name, default)
    return default if raw is None else str(raw).strip()


def _bitrate_setting() -> int:
    value = _int_setting("SPEECH_MP3_BITRATE", DEFAULT_BITRATE, 1, 320)
    if value not in ALLOWED_BITRATES:
        allowed = ", ".join(map(str, ALLOWED_BITRATES))
        raise ImproperlyConfigured(f"SPEECH_MP3_BITRATE must be one of {allowed}, got {value}")
    return value


def _timeout_setting() -> int:
    return _int_setting("SPEECH_TIMEOUT", DEFAULT_TIMEOUT, 1, 3600)


def _require_text(text: str) -> str:
    if not text or not text.strip():
        raise ValueError("nothing to read: the text is empty")
    return text


# --- espeak-ng ------------------------------------------------------------------------------


class EspeakEngine:
    """Offline Vietnamese speech with espeak-ng (Debian package `espeak-ng`), encoded to MP3.

    The text goes to espeak-ng on stdin (never through a shell), the WAV comes back on stdout.
    espeak-ng streams, so its WAV header claims a huge length: the real length is whatever
    arrived. The PCM is encoded by LAME (lameenc) to constant-bit-rate mono MP3 at 16 kHz;
    LAME does the resampling from espeak's 22050 Hz.
    """

    name = "espeak-ng"

    def __init__(
        self,
        *,
        binary: str | None = None,
        voice: str | None = None,
        rate: int | None = None,
        bitrate: int | None = None,
        timeout: int | None = None,
    ) -> None:
        self.binary = binary or _str_setting("SPEECH_ESPEAK_BINARY", "espeak-ng") or "espeak-ng"
        self.voice = voice or _str_setting("SPEECH_ESPEAK_VOICE", "vi") or "vi"
        self.rate = rate or _int_setting("SPEECH_RATE", DEFAULT_RATE, 80, 450)
        self.bitrate = bitrate or _bitrate_setting()
        self.timeout = timeout or _timeout_setting()

    def _missing(self) -> SpeechUnavailable:
        where = "" if self.binary == "espeak-ng" else f" (không thấy “{self.binary}”)"
        return SpeechUnavailable(
            f"Máy chủ chưa cài espeak-ng{where}, nên bài học chưa có bản đọc. "
            f"Quản trị viên cài bằng lệnh: {INSTALL_ESPEAK}"
        )

    def _run(self, args: list[str], stdin: bytes | None, timeout: int) -> bytes:
        try:
            done = subprocess.run(
                [self.binary, *args],
                input=stdin,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            raise self._missing() from None
        except subprocess.TimeoutExpired:
            raise SpeechUnavailable(
                f"espeak-ng chạy quá {timeout} giây mà chưa xong (bài quá dài hoặc máy chủ "
                "đang bận). Thử lại sau, hoặc tăng SPEECH_TIMEOUT."
            ) from None
        except OSError as exc:
            raise SpeechUnavailable(f"Không chạy được espeak-ng: {exc}") from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip()[:120]
            if "voice does not exist" in detail:
                raise self._no_voice()
            raise SpeechUnavailable(f"espeak-ng báo lỗi (mã {done.returncode}): {detail}")
        return done.stdout

    def _no_voice(self, available: list[str] | None = None) -> SpeechUnavailable:
        have = f" Giọng tiếng Việt có sẵn: {', '.join(available)}." if available else ""
        return SpeechUnavailable(
            f"espeak-ng trên máy chủ không có giọng tiếng Việt “{self.voice}”.{have} "
            "Quản trị viên cài lại bằng lệnh: apt-get install --reinstall espeak-ng espeak-ng-data"
        )

    def voices(self) -> list[str]:
        """Vietnamese voices espeak-ng knows (`espeak-ng --voices=vi`), e.g. vi, vi-vn-x-south."""
        listing = self._run(["--voices=vi"], None, timeout=min(self.timeout, 15))
        found = []
        for line in listing.decode("utf-8", "replace").splitlines()[1:]:  # skip the header
            columns = line.split()
            if len(columns) >= 2:
                found.append(columns[1].lower())
        return found

    def check(self) -> None:
        available = self.voices()
        if self.voice.lower() not in available:
            raise self._no_voice(available)

    def wav(self, text: str) -> bytes:
        """The raw WAV espeak-ng makes for `text` (its header length is not to be trusted)."""
        _require_text(text)
        args = ["-v", self.voice, "-s", str(self.rate), "-b", "1", "--stdout"]
        return self._run(args, text.encode("utf-8", "replace"), timeout=self.timeout)

    def synthesize(self, text: str) -> Audio:
        pcm, sample_rate, seconds = _pcm_mono_16bit(self.wav(text))
        encoder = lameenc.Encoder()
        encoder.silence()
        encoder.set_channels(1)
        encoder.set_in_sample_rate(sample_rate)
        encoder.set_out_sample_rate(MP3_SAMPLE_RATE)
        encoder.set_bit_rate(self.bitrate)
        encoder.set_quality(5)  # 2 best … 7 fastest; 5 is LAME's default trade-off
        data = bytes(encoder.encode(pcm) + encoder.flush())
        return Audio(data=data, content_type="audio/mpeg", extension="mp3", seconds=seconds)


def _pcm_mono_16bit(wav_bytes: bytes) -> tuple[bytes, int, float]:
    """PCM frames of a WAV as mono 16-bit little-endian, its sample rate and duration."""
    try:
        with wave.open(io.BytesIO(wav_bytes)) as reader:
            channels = reader.getnchannels()
            width = reader.getsampwidth()
            sample_rate = reader.getframerate()
            # The header of a streamed WAV claims ~1 billion frames; read what is really there.
            pcm = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as exc:
        raise SpeechUnavailable(f"espeak-ng trả về âm thanh hỏng ({exc}).") from None
    if width != 2:
        raise SpeechUnavailable(f"espeak-ng trả về âm thanh {8 * width} bit, cần 16 bit.")
    frame = width * channels
    pcm = pcm[: len(pcm) - len(pcm) % frame]
    if not pcm:
        raise SpeechUnavailable("espeak-ng không tạo ra âm thanh nào cho bài này.")
    if channels > 1:
        # espeak-ng speaks in mono; should a WAV ever be stereo, keep its first channel.
        samples = array("h", pcm)
        pcm = samples[0::channels].tobytes()
    return pcm, sample_rate, len(pcm) / 2 / sample_rate


# --- commercial voice over HTTP -------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow redirects: urllib would resend the Authorization header to the new host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


class HttpEngine:
    """A commercial Vietnamese voice behind an HTTP API, configured by API key.

    Contract (providers whose API differs need a small proxy that speaks this):

        POST <SPEECH_HTTP_URL>
        Authorization: Bearer <SPEECH_HTTP_API_KEY>
        Content-Type: application/json; charset=utf-8
        Accept: audio/mpeg

        {"text": "<text to read>", "voice": "<SPEECH_HTTP_VOICE>", "format": "mp3"}

    ("voice" is sent only when SPEECH_HTTP_VOICE is set.) A success is status 200 with
    Content-Type audio/mpeg and the MP3 as the body. Any other status, a non-audio body, a
    redirect (never followed, so the key cannot leak to another host), a timeout
    (SPEECH_TIMEOUT) or a network error raises SpeechUnavailable. `check()` only validates the
    configuration; it makes no network call (and spends no paid quota).
    """

    name = "http"

    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        voice: str | None = None,
        timeout: int | None = None,
    ) -> None:
        self.url = _str_setting("SPEECH_HTTP_URL") if url is None else url.strip()
        self.api_key = _str_setting("SPEECH_HTTP_API_KEY") if api_key is None else api_key.strip()
        self.voice = _str_setting("SPEECH_HTTP_VOICE") if voice is None else voice.strip()
        self.timeout = timeout or _timeout_setting()

    def check(self) -> None:
        if not self.url:
            raise SpeechUnavailable(
                "Chưa cấu hình dịch vụ đọc bài qua mạng: thiếu địa chỉ SPEECH_HTTP_URL."
            )
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in {"https", "http"} or not parts.hostname:
            raise SpeechUnavailable(
                "Địa chỉ SPEECH_HTTP_URL không hợp lệ: phải bắt đầu bằng https:// "
                f"(đang là “{self.url[:80]}”)."
            )
        if not self.api_key:
            raise SpeechUnavailable(
                "Chưa cấu hình dịch vụ đọc bài qua mạng: thiếu khóa SPEECH_HTTP_API_KEY "
                "(khóa API do nhà cung cấp giọng đọc cấp)."
            )

    def synthesize(self, text: str) -> Audio:
        _require_text(text)
        self.check()
        payload: dict[str, str] = {"text": text, "format": "mp3"}
        if self.voice:
            payload["voice"] = self.voice
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "audio/mpeg",
            },
        )
        host = urllib.parse.urlsplit(self.url).hostname
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get_content_type()
                data = response.read(HTTP_MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SpeechUnavailable(_http_status_reason(exc.code)) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            detail = getattr(exc, "reason", exc)
            if isinstance(detail, TimeoutError):
                raise SpeechUnavailable(
                    f"Dịch vụ đọc bài ({host}) không trả lời sau {self.timeout} giây. Thử lại sau."
                ) from None
            raise SpeechUnavailable(
                f"Không kết nối được dịch vụ đọc bài ({host}): {detail}. "
                "Kiểm tra mạng của máy chủ và SPEECH_HTTP_URL."
            ) from None
        if content_type not in {"audio/mpeg", "audio/mp3"}:
            raise SpeechUnavailable(
                f"Dịch vụ đọc bài không trả về tệp MP3 (nhận được “{content_type}”). "
                "Kiểm tra SPEECH_HTTP_URL có đúng địa chỉ đọc bài không."
            )
        if not data:
            raise SpeechUnavailable("Dịch vụ đọc bài trả về tệp âm thanh rỗng.")
        if len(data) > HTTP_MAX_BYTES:
            raise SpeechUnavailable("Dịch vụ đọc bài trả về tệp âm thanh quá lớn (trên 20 MB).")
        return Audio(data=data, content_type="audio/mpeg", extension="mp3")


def _http_status_reason(code: int) -> str:
    if code in {401, 403}:
        return (
            f"Dịch vụ đọc bài từ chối khóa API (mã lỗi {code}). "
            "Kiểm tra SPEECH_HTTP_API_KEY còn hạn và đúng."
        )
    if code == 429:
        return (
            "Dịch vụ đọc bài báo đã dùng hết hạn mức (mã lỗi 429). "
            "Thử lại sau hoặc kiểm tra gói cước."
        )
    if 300 <= code < 400:
        return (
            f"Dịch vụ đọc bài chuyển sang địa chỉ khác (mã {code}). "
            "Đặt SPEECH_HTTP_URL đúng địa chỉ cuối cùng."
        )
    if code >= 500:
        return f"Dịch vụ đọc bài đang gặp sự cố (mã lỗi {code}). Thử lại sau."
    return f"Dịch vụ đọc bài không nhận yêu cầu (mã lỗi {code}). Kiểm tra SPEECH_HTTP_URL."


# --- switched off ---------------------------------------------------------------------------


class NoEngine:
    """Read-aloud switched off (SPEECH_ENGINE=none)."""

    name = "none"
    reason = "Chưa bật đọc bài tự động (SPEECH_ENGINE=none)."

    def check(self) -> None:
        raise SpeechUnavailable(self.reason)

    def synthesize(self, text: str) -> Audio:
        raise SpeechUnavailable(self.reason)


ENGINES: dict[str, Callable[[], Engine]] = {
    "espeak": EspeakEngine,
    "http": HttpEngine,
    "none": NoEngine,
}


def get_engine() -> Engine:
    """The engine SPEECH_ENGINE names: "espeak" (default), "http" or "none"."""
    raw = getattr(settings, "SPEECH_ENGINE", "espeak")
    name = (str(raw) if raw is not None else "").strip().lower() or "espeak"
    if name not in ENGINES:
        raise ImproperlyConfigured(
            f"SPEECH_ENGINE must be one of {', '.join(ENGINES)}, got {raw!r}"
        )
    return ENGINES[name]()


# --- text meant to be heard -----------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A\s*\+\+\+\n.*?\n\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE = re.compile(r"^(```|~~~)")
_RULE = re.compile(r"^([-*_])(\s*\1){2,}$")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")  # "## Step {phone-only}"
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"^(?:>\s?)+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"
)
_CODE = re.compile(r"`+([^`]*)`+")
_OTP = re.compile(r"\b(?:(mã)\s+)?OTP\b", re.IGNORECASE)
_QR = re.compile(r"\b(?:(mã)\s+)?QR\b", re.IGNORECASE)
_VNEID = re.compile(r"\bVNeID\b", re.IGNORECASE)
_PERCENT = re.compile(r"\s*%")
_DOUBLE_STOP = re.compile(r"([.!?…:;])[ \t]*\.")
_SPACES = re.compile(r"[ \t]+")
_ENDS_SENTENCE = (".", "!", "?", "…", ":", ";")


def _inline(text: str) -> str:
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    # Words people must hear right.
    text = _OTP.sub(lambda m: (m.group(1) or "mã") + " xác thực", text)
    text = _QR.sub(lambda m: (m.group(1) or "mã") + " quy a", text)
    text = _VNEID.sub("Vi en ê ai đi", text)
    text = _PERCENT.sub(" phần trăm", text)
    return _SPACES.sub(" ", text).strip()


def _sentence(text: str) -> str:
    return text if not text or text.endswith(_ENDS_SENTENCE) else text + "."


def speakable(text: str) -> str:
    """Lesson Markdown as text to be read aloud: one paragraph (or heading, list item) a line.

    Markdown syntax goes (links keep their text, images are dropped, headings and list items
    become sentences ending with "."), TOML front matter between +++ lines is skipped, and a
    few words are spelled out the way people must hear them (OTP, QR, VNeID, %). Numbers stay
    digits: espeak-ng reads them in Vietnamese.
    """
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[str] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append(_sentence(_inline(" ".join(paragraph))))
            paragraph.clear()

    in_code = False
    for raw in text.split("\n"):
        line = raw.strip()
        if _FENCE.match(line):
            end_paragraph()
            in_code = not in_code
            continue
        if in_code or not line or _RULE.match(line):
            end_paragraph()
            continue
        line = _QUOTE.sub("", line)
        heading = _HEADING.match(line)
        item = _LIST_ITEM.match(line)
        if heading or item:
            end_paragraph()
            content = _ATTRIBUTES.sub("", heading.group(1)) if heading else line[item.end() :]
            blocks.append(_sentence(_inline(content)))
        else:
            paragraph.append(line)
    end_paragraph()
    spoken = "\n".join(block for block in blocks if block.strip(" ."))
    return _DOUBLE_STOP.sub(r"\1", spoken)
