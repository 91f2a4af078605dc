"""Read-aloud audio: espeak-ng for real (CI installs it), a fake paid voice on loopback."""

import io
import json
import shutil
import socket
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from learning.speech import (
    Audio,
    EspeakEngine,
    HttpEngine,
    NoEngine,
    SpeechUnavailable,
    get_engine,
    speakable,
)

SENTENCE = "Đăng ký khai sinh cho con qua Cổng dịch vụ công, không cần ra xã."

PARAGRAPH = (
    "Trên màn hình điện thoại, bác tìm biểu tượng hình tam giác nhiều màu có chữ CH Play. "
    "Chạm một lần vào đó. Gõ tên ứng dụng, ví dụ Zalo, rồi bấm nút kính lúp trên bàn phím. "
    "Chọn đúng ứng dụng có tên nhà phát hành quen thuộc. Chạm nút màu xanh Cài đặt. "
    "Chờ vòng tròn chạy hết; nếu dùng 3G, việc này có thể mất vài phút. "
    "Không bao giờ đọc mã xác thực cho người lạ qua điện thoại, kể cả người xưng là công an.\n"
)
LESSON = PARAGRAPH * (3000 // len(PARAGRAPH) + 1)  # a whole lesson: a little over 3,000 chars

# The 3G budget for lesson audio: 32 kbps at most (the default is 24 kbps).
BUDGET_BYTES_PER_SECOND = 32_000 / 8


def is_mp3(data: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame sync (eleven 1 bits: 0xFFE…)."""
    return data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def wav_seconds(wav_bytes: bytes) -> float:
    """Duration from the frames really present (espeak-ng's streamed header overstates it)."""
    with wave.open(io.BytesIO(wav_bytes)) as reader:
        frame = reader.getsampwidth() * reader.getnchannels()
        pcm = reader.readframes(reader.getnframes())
        return len(pcm) // frame / reader.getframerate()


@pytest.fixture
def espeak_installed() -> None:
    # Not a skip: CI installs espeak-ng, and a machine without it must say so loudly.
    assert shutil.which("espeak-ng"), "espeak-ng is not installed: apt-get install espeak-ng"


# --- espeak-ng ------------------------------------------------------------------------------


def test_espeak_check_passes_when_espeak_ng_and_its_vietnamese_voice_are_installed(
    espeak_installed,
):
    engine = EspeakEngine()
    engine.check()
    assert "vi" in engine.voices()
    assert engine.name == "espeak-ng"


def test_espeak_reads_a_vietnamese_sentence_with_diacritics_into_a_valid_mp3(espeak_installed):
    audio = EspeakEngine().synthesize(SENTENCE)

    assert isinstance(audio, Audio)
    assert (audio.content_type, audio.extension) == ("audio/mpeg", "mp3")
    assert is_mp3(audio.data)
    assert audio.seconds is not None and 2 < audio.seconds < 15
    assert len(audio.data) > 2_000  # real speech, not an empty frame or two


def test_a_whole_lesson_of_3000_characters_is_read_in_full_within_the_3g_bit_rate_budget(
    espeak_installed,
):
    assert len(LESSON) >= 3000
    engine = EspeakEngine()

    seconds = wav_seconds(engine.wav(LESSON))
    audio = engine.synthesize(LESSON)

    assert seconds > 120  # all of it was read (about 2.5 minutes at the slow rate)
    assert audio.seconds == pytest.approx(seconds)
    assert is_mp3(audio.data)
    assert len(audio.data) / seconds < BUDGET_BYTES_PER_SECOND
    # The default 24 kbps, give or take the last partial frame.
    assert len(audio.data) / seconds == pytest.approx(24_000 / 8, rel=0.02)


def test_the_bit_rate_setting_sets_the_size_of_the_mp3(espeak_installed, settings):
    settings.SPEECH_MP3_BITRATE = 16
    audio = EspeakEngine().synthesize(SENTENCE)

    assert audio.seconds
    assert len(audio.data) / audio.seconds == pytest.approx(16_000 / 8, rel=0.1)


def test_the_speech_rate_setting_makes_the_same_text_slower_or_faster(espeak_installed, settings):
    settings.SPEECH_RATE = 100
    slow = EspeakEngine().synthesize(SENTENCE)
    settings.SPEECH_RATE = 250
    fast = EspeakEngine().synthesize(SENTENCE)

    assert slow.seconds and fast.seconds
    assert slow.seconds > 1.5 * fast.seconds


def test_the_default_rate_is_slow_for_elderly_listeners():
    assert EspeakEngine().rate == 140


def test_a_missing_espeak_binary_gives_staff_a_vietnamese_reason_with_the_install_command(
    settings,
):
    settings.SPEECH_ESPEAK_BINARY = "/khong-co/espeak-ng"
    engine = EspeakEngine()

    with pytest.raises(SpeechUnavailable) as checked:
        engine.check()
    with pytest.raises(SpeechUnavailable) as spoken:
        engine.synthesize(SENTENCE)

    for reason in (checked.value.reason, spoken.value.reason):
        assert "chưa cài espeak-ng" in reason
        assert "apt-get install espeak-ng" in reason
        assert len(reason) <= 300  # fits the lesson's audio note


def test_espeak_hidden_from_an_empty_path_is_reported_as_not_installed(monkeypatch):
    monkeypatch.setenv("PATH", "")

    with pytest.raises(SpeechUnavailable, match="Máy chủ chưa cài espeak-ng"):
        EspeakEngine().check()


def test_a_voice_espeak_ng_does_not_have_is_reported_in_vietnamese(espeak_installed, settings):
    settings.SPEECH_ESPEAK_VOICE = "vi-khong-co"  # espeak-ng itself would fall back to "vi"
    with pytest.raises(SpeechUnavailable, match="không có giọng tiếng Việt “vi-khong-co”"):
        EspeakEngine().check()

    settings.SPEECH_ESPEAK_VOICE = "zz"  # no fallback at all: espeak-ng fails
    with pytest.raises(SpeechUnavailable, match="không có giọng tiếng Việt “zz”"):
        EspeakEngine().synthesize(SENTENCE)


def test_the_southern_voice_can_be_chosen(espeak_installed, settings):
    settings.SPEECH_ESPEAK_VOICE = "vi-vn-x-south"
    engine = EspeakEngine()
    engine.check()
    assert is_mp3(engine.synthesize("Xin chào bà con.").data)


def test_empty_text_is_a_programming_error_not_an_outage():
    with pytest.raises(ValueError):
        EspeakEngine().synthesize("  \n")


@pytest.mark.parametrize(
    ("name", "value"),
    [("SPEECH_RATE", "nhanh"), ("SPEECH_RATE", 20), ("SPEECH_MP3_BITRATE", 25)],
)
def test_a_wrong_espeak_setting_stops_with_improperly_configured(settings, name, value):
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        EspeakEngine()


# --- the paid voice over HTTP, faked on loopback ----------------------------------------------


@dataclass
class FakeVoice:
    """A stand-in for the commercial API: records requests, answers with `reply`."""

    url: str
    status: int = 200
    content_type: str = "audio/mpeg"
    body: bytes = b"\xff\xf3\x64\xc4" + b"\x00" * 400
    extra_headers: dict[str, str] = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)


@pytest.fixture
def fake_voice() -> Iterator[FakeVoice]:
    voice = FakeVoice(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            voice.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)}
            )
            self.send_response(voice.status)
            self.send_header("Content-Type", voice.content_type)
            self.send_header("Content-Length", str(len(voice.body)))
            for name, value in voice.extra_headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(voice.body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    voice.url = f"http://127.0.0.1:{server.server_port}/v1/tts"
    try:
        yield voice
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def http_settings(settings, fake_voice):
    settings.SPEECH_HTTP_URL = fake_voice.url
    settings.SPEECH_HTTP_API_KEY = "khoa-bi-mat-123"
    settings.SPEECH_HTTP_VOICE = "nu-mien-bac"
    settings.SPEECH_TIMEOUT = 5
    return settings


def test_http_engine_posts_the_text_as_json_with_the_bearer_key_and_returns_the_audio(
    http_settings, fake_voice
):
    audio = HttpEngine().synthesize(SENTENCE)

    assert audio.data == fake_voice.body
    assert (audio.content_type, audio.extension) == ("audio/mpeg", "mp3")
    [request] = fake_voice.requests
    assert request["path"] == "/v1/tts"
    assert request["headers"]["Authorization"] == "Bearer khoa-bi-mat-123"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert json.loads(request["body"].decode("utf-8")) == {
        "text": SENTENCE,
        "voice": "nu-mien-bac",
        "format": "mp3",
    }


def test_http_engine_leaves_out_the_voice_when_none_is_configured(http_settings, fake_voice):
    http_settings.SPEECH_HTTP_VOICE = ""
    HttpEngine().synthesize("Xin chào.")

    assert json.loads(fake_voice.requests[0]["body"]) == {"text": "Xin chào.", "format": "mp3"}


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (401, "từ chối khóa API"),
        (429, "hết hạn mức"),
        (500, "đang gặp sự cố"),
        (400, "không nhận yêu cầu"),
    ],
)
def test_http_engine_turns_an_error_status_into_a_vietnamese_reason(
    http_settings, fake_voice, status, words
):
    fake_voice.status = status
    fake_voice.content_type = "application/json"
    fake_voice.body = b'{"error": "bad"}'

    with pytest.raises(SpeechUnavailable, match=words) as raised:
        HttpEngine().synthesize(SENTENCE)
    assert f"mã lỗi {status}" in raised.value.reason
    assert "khoa-bi-mat-123" not in raised.value.reason


def test_http_engine_rejects_a_reply_that_is_not_audio(http_settings, fake_voice):
    fake_voice.content_type = "text/html"
    fake_voice.body = b"<html>Trang dang nhap</html>"

    with pytest.raises(SpeechUnavailable, match="không trả về tệp MP3"):
        HttpEngine().synthesize(SENTENCE)


def test_http_engine_rejects_an_empty_audio_reply(http_settings, fake_voice):
    fake_voice.body = b""

    with pytest.raises(SpeechUnavailable, match="rỗng"):
        HttpEngine().synthesize(SENTENCE)


def test_http_engine_never_follows_a_redirect_so_the_key_cannot_leak(http_settings, fake_voice):
    fake_voice.status = 302
    fake_voice.extra_headers = {"Location": fake_voice.url + "/elsewhere"}

    with pytest.raises(SpeechUnavailable, match="chuyển sang địa chỉ khác"):
        HttpEngine().synthesize(SENTENCE)
    assert len(fake_voice.requests) == 1


def test_http_engine_reports_a_server_that_cannot_be_reached(settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SPEECH_HTTP_URL = f"http://127.0.0.1:{port}/tts"
    settings.SPEECH_HTTP_API_KEY = "khoa"

    with pytest.raises(SpeechUnavailable, match="Không kết nối được dịch vụ đọc bài"):
        HttpEngine().synthesize(SENTENCE)


@pytest.mark.parametrize(
    ("url", "key", "words"),
    [
        ("", "khoa", "thiếu địa chỉ SPEECH_HTTP_URL"),
        ("https://tts.example.vn/v1", "", "thiếu khóa SPEECH_HTTP_API_KEY"),
        ("file:///etc/passwd", "khoa", "SPEECH_HTTP_URL không hợp lệ"),
    ],
)
def test_http_engine_check_refuses_a_missing_or_wrong_configuration_without_any_network(
    settings, url, key, words
):
    settings.SPEECH_HTTP_URL = url
    settings.SPEECH_HTTP_API_KEY = key
    engine = HttpEngine()

    with pytest.raises(SpeechUnavailable, match=words):
        engine.check()
    with pytest.raises(SpeechUnavailable, match=words):
        engine.synthesize(SENTENCE)


def test_http_engine_check_passes_on_configuration_alone(settings):
    settings.SPEECH_HTTP_URL = "https://tts.example.vn/v1/speak"  # never contacted
    settings.SPEECH_HTTP_API_KEY = "khoa"
    HttpEngine().check()


# --- switched off, and choosing -------------------------------------------------------------


def test_no_engine_always_says_read_aloud_is_switched_off():
    engine = NoEngine()
    with pytest.raises(SpeechUnavailable) as raised:
        engine.check()
    assert raised.value.reason == "Chưa bật đọc bài tự động (SPEECH_ENGINE=none)."
    with pytest.raises(SpeechUnavailable):
        engine.synthesize("Xin chào.")


@pytest.mark.parametrize(
    ("value", "engine_class"),
    [("espeak", EspeakEngine), ("http", HttpEngine), ("none", NoEngine), (" HTTP ", HttpEngine)],
)
def test_get_engine_picks_the_engine_the_setting_names(settings, value, engine_class):
    settings.SPEECH_ENGINE = value
    assert isinstance(get_engine(), engine_class)


def test_get_engine_uses_espeak_when_nothing_is_set(settings):
    del settings.SPEECH_ENGINE
    assert isinstance(get_engine(), EspeakEngine)


def test_get_engine_rejects_an_unknown_engine(settings):
    settings.SPEECH_ENGINE = "foo"
    with pytest.raises(ImproperlyConfigured, match="SPEECH_ENGINE"):
        get_engine()


# --- text meant to be heard -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "heard"),
    [
        ("Chạm nút **Cài đặt** rồi chờ.", "Chạm nút Cài đặt rồi chờ."),
        ("Mở trang [Cổng dịch vụ công](https://dichvucong.gov.vn).", "Mở trang Cổng dịch vụ công."),
        ("![Màn hình CH Play](ch-play.svg)\nChạm vào CH Play.", "Chạm vào CH Play."),
        ("## Mở CH Play {phone-only}\nChạm một lần.", "Mở CH Play.\nChạm một lần."),
        ("# Đăng ký khai sinh?", "Đăng ký khai sinh?"),
        ("Nhập mã OTP gồm 6 số.", "Nhập mã xác thực gồm 6 số."),
        ("OTP chỉ dùng một lần.", "mã xác thực chỉ dùng một lần."),
        ("Quét mã QR trên tờ rơi.", "Quét mã quy a trên tờ rơi."),
        ("Mã QR ở góc phải.", "Mã quy a ở góc phải."),
        ("Bấm nút quét QR.", "Bấm nút quét mã quy a."),
        ("Mở ứng dụng VNeID.", "Mở ứng dụng Vi en ê ai đi."),
        ("70% người dân, 90 % năm 2030.", "70 phần trăm người dân, 90 phần trăm năm 2030."),
        ("Gọi Zalo cho con.", "Gọi Zalo cho con."),
        ("Hạn là ngày 10/01/2026, phí 25.000 đồng.", "Hạn là ngày 10/01/2026, phí 25.000 đồng."),
        ("- Mở Zalo\n- Bấm *Gọi*", "Mở Zalo.\nBấm Gọi."),
        ("1. Mở Zalo\n2. Bấm `Gọi`", "Mở Zalo.\nBấm Gọi."),
        ("Dòng một\ncùng đoạn.\n\nĐoạn hai", "Dòng một cùng đoạn.\nĐoạn hai."),
        ("> Cảnh giác với kẻ gian!\n\n---", "Cảnh giác với kẻ gian!"),
        ("Bước 1. Mở CH Play?.", "Bước 1. Mở CH Play?"),
        ('+++\ntitle = "Bài"\n+++\n\nNội dung.', "Nội dung."),
        ("Chữ <b>đậm</b> cũ.", "Chữ đậm cũ."),
    ],
)
def test_speakable_turns_lesson_markdown_into_what_people_must_hear(markdown, heard):
    assert speakable(markdown) == heard


def test_speakable_of_only_images_and_headings_markup_is_empty():
    assert speakable("![Hình](a.svg)\n\n---\n") == ""
