"""Loudspeaker radio: scripts, real audio with chimes, uploads, the broadcast log, access."""

import datetime as dt
import io
import shutil
import subprocess
import wave
from array import array

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import AuditEntry
from communications import radio
from communications.models import Article, Broadcast, Bulletin, ScamAlert

LIST = "/can-bo/truyen-thanh/"
NEW = LIST + "moi/"
LOG = LIST + "nhat-ky/"
SENTENCE = "Ngày 10/12 UBND xã tổ chức tập huấn kỹ năng số lúc 19h30 tại nhà văn hóa."

needs_espeak = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")


def url(bulletin, tail: str = "") -> str:
    return f"{LIST}{bulletin.pk}/{tail}"


@pytest.fixture
def bulletin(cast):
    return radio.bulletin_save(
        actor=cast.coordinator, commune=cast.commune, title="Bản tin tuần", script=SENTENCE
    )


@pytest.fixture
def bulletin2(cast):
    return radio.bulletin_save(
        actor=cast.coordinator2, commune=cast.commune2, title="Bản tin xã khác", script=SENTENCE
    )


@pytest.fixture
def espeak(settings):
    settings.SPEECH_ENGINE = "espeak"


def wav_samples(data: bytes) -> tuple[array, int]:
    with wave.open(io.BytesIO(data)) as reader:
        return array("h", reader.readframes(reader.getnframes())), reader.getframerate()


# Script ------------------------------------------------------------------------------------


def test_draft_assembles_chosen_items_between_an_opening_and_a_closing(cast):
    notice = Article.objects.create(
        commune=cast.commune,
        kind=Article.Kind.ANNOUNCEMENT,
        title="Lịch cấp căn cước",
        slug="lich",
        body="Công an xã làm **căn cước** vào thứ Bảy.",
        status=Article.Status.PUBLISHED,
    )
    alert = ScamAlert.objects.create(
        commune=cast.commune,
        title="Giả danh công an gọi điện",
        body="Không chuyển tiền cho người lạ.",
        published_at=timezone.now(),
    )
    script = radio.bulletin_draft(
        cast.commune, radio.BulletinItems(announcements=[notice], scam_alert=alert)
    )
    assert script.startswith(f"Đây là Đài truyền thanh {cast.commune.name}")
    assert "Lịch cấp căn cước" in script and "**" not in script
    assert "Cảnh báo lừa đảo. Giả danh công an gọi điện." in script
    assert script.rstrip().endswith("xin hẹn gặp lại.")


def test_a_coordinator_assembles_a_bulletin_from_items(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(NEW, {"title": "Bản tin số 1", "sessions": "on"})
    bulletin = Bulletin.objects.get(commune=cast.commune)
    assert response.status_code == 302
    assert response["Location"] == url(bulletin, "sua/")
    assert "Bình dân học vụ số" in bulletin.script


def test_an_over_long_script_is_refused_and_nothing_is_saved(client, cast, bulletin):
    client.force_login(cast.coordinator)
    response = client.post(
        url(bulletin, "sua/"), {"title": "Dài quá", "script": "Bà con chú ý. " * 1500}
    )
    assert response.status_code == 200
    assert "quá giới hạn 10.000 ký tự" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.title == "Bản tin tuần" and bulletin.script == SENTENCE
    with pytest.raises(radio.ValidationError):
        radio.bulletin_save(
            actor=cast.coordinator, commune=cast.commune, title="x", script="a" * 20_001
        )
    assert Bulletin.objects.count() == 1


# Audio -------------------------------------------------------------------------------------


@needs_espeak
def test_bulletin_audio_has_chimes_around_the_speech_and_a_normalised_level(cast, bulletin, espeak):
    speech = radio.speech_audio(SENTENCE, with_chime=False, fmt="wav")
    chimed = radio.speech_audio(SENTENCE, fmt="wav")
    samples, rate = wav_samples(chimed.data)
    speech_samples, _ = wav_samples(speech.data)
    assert len(samples) / rate >= len(speech_samples) / rate + 2 * 1.05
    # The chime opens the bulletin: the first 0.3 s are not silent.
    assert max(abs(s) for s in samples[: int(0.3 * rate)]) > 3000
    assert max(abs(s) for s in samples) <= radio.PEAK_TARGET * 32767 + 1
    # The voice is brought to the loudness target unless that would push its peak too high.
    voiced = [s for s in speech_samples if abs(s) > 327]
    rms = (sum(s * s for s in voiced) / len(voiced)) ** 0.5 / 32767
    peak = max(abs(s) for s in speech_samples) / 32767
    assert rms == pytest.approx(radio.RMS_TARGET, rel=0.1) or peak == pytest.approx(
        radio.PEAK_TARGET, rel=0.01
    )


@needs_espeak
def test_requesting_audio_stores_a_real_mp3(
    client, cast, bulletin, espeak, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(bulletin, "tao-ban-doc/"))
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.audio_status == Bulletin.AudioStatus.READY, bulletin.audio_note
    assert bulletin.audio_type == "audio/mpeg" and not bulletin.recorded_upload
    audio = client.get(url(bulletin, "am-thanh/"))
    assert audio["Content-Type"] == "audio/mpeg"
    if shutil.which("sox"):
        path = tmp_path / "b.mp3"
        path.write_bytes(audio.content)
        seconds = float(
            subprocess.run(
                ["sox", "--i", "-D", str(path)], capture_output=True, text=True, check=True
            ).stdout
        )
        assert 5 < seconds < 40


def test_without_an_engine_the_bulletin_audio_fails_with_a_reason(cast, bulletin):
    radio.bulletin_audio_request(actor=cast.coordinator, bulletin=bulletin)
    assert radio.bulletin_audio_build(bulletin.pk, bulletin.audio_version) == "failed"
    bulletin.refresh_from_db()
    assert bulletin.audio_status == Bulletin.AudioStatus.FAILED
    assert "SPEECH_ENGINE=none" in bulletin.audio_note


# tts_say -----------------------------------------------------------------------------------


@needs_espeak
@pytest.mark.skipif(not shutil.which("sox"), reason="sox not installed")
def test_tts_say_writes_an_mp3_of_plausible_length(espeak, tmp_path):
    out = tmp_path / "out.mp3"
    call_command("tts_say", "Ngày 10/12 UBND xã tổ chức tập huấn", str(out), stdout=io.StringIO())
    assert out.read_bytes()[:3] == b"ID3" or out.read_bytes()[0] == 0xFF
    seconds = float(
        subprocess.run(["sox", "--i", "-D", str(out)], capture_output=True, text=True).stdout
    )
    assert 2 < seconds < 30


@needs_espeak
def test_tts_say_writes_wav_for_a_wav_name(espeak, tmp_path):
    out = tmp_path / "out.wav"
    call_command("tts_say", "Ngày 10/12 UBND xã tổ chức tập huấn", str(out), stdout=io.StringIO())
    samples, rate = wav_samples(out.read_bytes())
    assert 2 < len(samples) / rate < 30


def test_tts_say_without_an_engine_fails_with_a_vietnamese_message(tmp_path):
    out = tmp_path / "out.mp3"
    with pytest.raises(CommandError, match="Không đọc được: Chưa bật đọc bài tự động"):
        call_command("tts_say", "Xin chào", str(out))
    assert not out.exists()


# Uploads -----------------------------------------------------------------------------------


def test_an_uploaded_recording_replaces_the_synthesised_audio(client, cast, bulletin):
    client.force_login(cast.coordinator)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1), writer.setsampwidth(2), writer.setframerate(8000)
        writer.writeframes(bytes(1600))
    upload = SimpleUploadedFile("doc.wav", buffer.getvalue(), content_type="audio/wav")
    response = client.post(url(bulletin, "tai-ban-ghi-am/"), {"recording": upload})
    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.recorded_upload and bulletin.audio_type == "audio/wav"
    assert bulletin.audio_status == Bulletin.AudioStatus.READY
    # A synthesis requested before the upload is now stale and leaves it alone.
    assert radio.bulletin_audio_build(bulletin.pk, bulletin.audio_version - 1) == "stale"


def test_a_non_audio_upload_is_refused_with_a_clear_message(client, cast, bulletin):
    client.force_login(cast.coordinator)
    upload = SimpleUploadedFile("doc.mp3", b"%PDF-1.4 not audio", content_type="audio/mpeg")
    response = client.post(url(bulletin, "tai-ban-ghi-am/"), {"recording": upload})
    assert response.status_code == 400
    assert "không phải bản ghi âm" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.audio is None and not bulletin.recorded_upload


# Broadcast log -----------------------------------------------------------------------------


def test_broadcasts_are_logged_and_counted_per_month_for_the_commune_only(
    client, cast, bulletin, bulletin2
):
    aired = timezone.now() - dt.timedelta(hours=1)
    radio.broadcast_record(
        actor=cast.coordinator, bulletin=bulletin, aired_at=aired, hamlets=[cast.hamlet]
    )
    radio.broadcast_record(
        actor=cast.coordinator2, bulletin=bulletin2, aired_at=aired, hamlets=[cast.hamlet2]
    )
    month = timezone.localtime(aired).month
    counts = radio.broadcast_counts_by_month(cast.commune, year=timezone.localtime(aired).year)
    assert counts[month] == 1
    client.force_login(cast.leader)
    page = client.get(LOG).content.decode()
    assert "Bản tin tuần" in page and "Bản tin xã khác" not in page


def test_a_hamlet_of_another_commune_cannot_be_logged(client, cast, bulletin):
    client.force_login(cast.coordinator)
    response = client.post(
        url(bulletin, "da-phat/"),
        {"aired_at": "01/01/2025 06:30", "hamlets": [cast.hamlet2.pk]},
    )
    assert response.status_code == 200
    assert not Broadcast.objects.exists()


def test_the_broadcast_form_records_an_airing(client, cast, bulletin):
    client.force_login(cast.coordinator)
    response = client.post(
        url(bulletin, "da-phat/"),
        {"aired_at": "01/01/2025 06:30", "hamlets": [cast.hamlet.pk, cast.other_hamlet.pk]},
    )
    assert response.status_code == 302
    assert Broadcast.objects.get().hamlets.count() == 2


@pytest.mark.parametrize("hamlet", ["99999999999999999999", "abc"])
def test_a_hamlet_that_is_no_id_is_refused_with_a_vietnamese_message(
    client, cast, bulletin, hamlet
):
    client.force_login(cast.coordinator)
    response = client.post(
        url(bulletin, "da-phat/"), {"aired_at": "01/01/2025 06:30", "hamlets": [hamlet]}
    )
    assert response.status_code == 200
    assert f"Hãy chọn trong danh sách: “{hamlet}” không phải là một lựa chọn." in (
        response.content.decode()
    )
    assert not Broadcast.objects.exists()


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["volunteer", "resident", "officer"])
def test_volunteers_residents_and_officers_get_403(client, cast, bulletin, who):
    client.force_login(cast.users()[who])
    assert client.get(LIST).status_code == 403
    assert client.get(url(bulletin)).status_code == 403


def test_the_leader_reads_but_cannot_write(client, cast, bulletin):
    client.force_login(cast.leader)
    assert client.get(LIST).status_code == 200
    assert client.get(url(bulletin)).status_code == 200
    assert client.get(NEW).status_code == 403
    assert client.post(url(bulletin, "tao-ban-doc/")).status_code == 403


def test_another_communes_bulletin_answers_404(client, cast, bulletin2):
    client.force_login(cast.coordinator)
    for tail in ["", "sua/", "am-thanh/", "tai-ban-ghi-am/", "da-phat/"]:
        assert client.get(url(bulletin2, tail)).status_code == 404
    assert client.post(url(bulletin2, "tao-ban-doc/")).status_code == 404


def test_a_future_time_plans_an_airing_that_is_not_counted_until_it_happens(cast):
    import datetime as dt

    from django.utils import timezone

    from communications.models import Bulletin
    from communications.radio import broadcast_counts_by_month, broadcast_record

    bulletin = Bulletin.objects.create(commune=cast.commune, title="Bản tin", script="Xin chào.")
    soon = timezone.now() + dt.timedelta(days=2)
    broadcast_record(
        actor=cast.coordinator, bulletin=bulletin, aired_at=soon, hamlets=[cast.hamlet]
    )
    past = timezone.now() - dt.timedelta(hours=1)
    broadcast_record(
        actor=cast.coordinator, bulletin=bulletin, aired_at=past, hamlets=[cast.hamlet]
    )

    counts = broadcast_counts_by_month(cast.commune, year=timezone.localtime(past).year)
    assert sum(counts.values()) == 1
    assert bulletin.broadcasts.count() == 2


def test_an_airing_planned_too_far_ahead_is_refused(cast):
    import datetime as dt

    import pytest
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from communications.models import Bulletin
    from communications.radio import broadcast_record

    bulletin = Bulletin.objects.create(commune=cast.commune, title="Bản tin", script="Xin chào.")
    with pytest.raises(ValidationError, match="90 ngày"):
        broadcast_record(
            actor=cast.coordinator,
            bulletin=bulletin,
            aired_at=timezone.now() + dt.timedelta(days=200),
            hamlets=[cast.hamlet],
        )
    assert bulletin.broadcasts.count() == 0


# Themes ------------------------------------------------------------------------------------


def test_a_coordinator_edits_a_quarterly_theme(client, cast):
    theme = radio.radio_theme_save(
        actor=cast.coordinator, commune=cast.commune, year=2026, quarter=1, title="Dịch vụ công"
    )
    client.force_login(cast.coordinator)
    edit = f"{LIST}chuyen-de/{theme.pk}/sua/"
    assert "Dịch vụ công" in client.get(edit).content.decode()
    assert f'href="{edit}"' in client.get(LIST).content.decode()
    response = client.post(
        edit,
        {"year": 2026, "quarter": 2, "title": "Thanh toán không dùng tiền mặt", "description": ""},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.quarter, theme.title) == (2, "Thanh toán không dùng tiền mặt")
    assert AuditEntry.objects.filter(action="update", target_id=str(theme.pk)).exists()
    bad = client.post(edit, {"year": 2026, "quarter": 7, "title": "Sai quý"})
    assert bad.status_code == 200
    theme.refresh_from_db()
    assert theme.quarter == 2


def test_theme_editing_is_for_editors_of_the_same_commune(client, cast):
    theme = radio.radio_theme_save(
        actor=cast.coordinator, commune=cast.commune, year=2026, quarter=1, title="Dịch vụ công"
    )
    edit = f"{LIST}chuyen-de/{theme.pk}/sua/"
    assert client.get(edit).status_code == 302  # anonymous: to the login page
    for who, status in (("leader", 403), ("volunteer", 403), ("coordinator2", 404)):
        client.force_login(cast.users()[who])
        assert client.post(edit, {"year": 2026, "quarter": 3, "title": "X"}).status_code == status
    theme.refresh_from_db()
    assert theme.title == "Dịch vụ công"


# The HTTP voice ----------------------------------------------------------------------------


def _tone_mp3(rate: int = 16_000) -> bytes:
    """0.5 s silence, 2 s of a quiet 220 Hz tone, 0.5 s silence: a stand-in for a paid voice."""
    import math

    import lameenc

    quiet = [0] * (rate // 2)
    tone = [int(1500 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(2 * rate)]
    pcm = array("h", quiet + tone + quiet).tobytes()
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(rate)
    encoder.set_bit_rate(32)
    return bytes(encoder.encode(pcm) + encoder.flush())


@pytest.fixture
def http_voice(settings):
    """A fake commercial voice on loopback speaking HttpEngine's contract."""
    import http.server
    import json
    import threading

    requests = []
    mp3 = _tone_mp3()

    class Voice(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            requests.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(200)
            self.send_header("Content-Type", "audio/mpeg")
            self.send_header("Content-Length", str(len(mp3)))
            self.end_headers()
            self.wfile.write(mp3)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Voice)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SPEECH_ENGINE = "http"
    settings.SPEECH_HTTP_URL = f"http://127.0.0.1:{server.server_port}/tts"
    settings.SPEECH_HTTP_API_KEY = "test-key"
    yield requests
    server.shutdown()
    server.server_close()


def _decoded(data: bytes, tmp_path) -> tuple[array, int]:
    """An MP3 decoded by the sox command line, independently of the code under test."""
    path = tmp_path / "out.mp3"
    path.write_bytes(data)
    wav = tmp_path / "out.wav"
    subprocess.run(["sox", str(path), "-b", "16", "-c", "1", str(wav)], check=True)
    return wav_samples(wav.read_bytes())


def test_the_http_voice_gets_the_chime_and_the_loudness_too(cast, http_voice, tmp_path):
    audio = radio.speech_audio("Ngày 10/12 UBND xã tổ chức tập huấn.")
    assert http_voice[0][0] == "Bearer test-key"
    assert http_voice[0][1]["text"].startswith("Ngày mười tháng mười hai Ủy ban nhân dân")
    assert audio.content_type == "audio/mpeg" and audio.data != _tone_mp3()
    samples, rate = _decoded(audio.data, tmp_path)
    seconds = len(samples) / rate
    chime_seconds = 1.05 + radio.GAP_SECONDS
    assert seconds >= 3.0 + 2 * chime_seconds - 0.1  # the voice's 3 s plus two chimes
    # The voice started with half a second of silence; now a chime opens and closes it.
    assert max(abs(s) for s in samples[: int(0.3 * rate)]) > 3000
    assert max(abs(s) for s in samples[-int(0.9 * rate) : -int(0.3 * rate)]) > 1000
    # The quiet tone (RMS ≈ 0.03 of full scale) is brought up to the loudness target.
    middle = samples[int((chime_seconds + 1.0) * rate) : int((chime_seconds + 2.0) * rate)]
    voiced = [s for s in middle if abs(s) > 327]  # measured as normalise_loudness does
    rms = (sum(s * s for s in voiced) / len(voiced)) ** 0.5 / 32767
    assert rms == pytest.approx(radio.RMS_TARGET, rel=0.15)
    assert max(abs(s) for s in samples) <= 32767 * 0.95


def test_the_http_voice_can_be_written_as_wav_for_tts_say(cast, http_voice, tmp_path):
    out = tmp_path / "out.wav"
    call_command("tts_say", "Xin chào bà con", str(out), "--chime")
    samples, rate = wav_samples(out.read_bytes())
    assert rate == radio.DECODE_RATE and len(samples) / rate > 3.0 + 2 * 1.05


def test_without_sox_the_http_voice_is_passed_through(cast, http_voice, monkeypatch):
    monkeypatch.setattr(radio.shutil, "which", lambda name: None)
    audio = radio.speech_audio("Xin chào bà con")
    assert audio.data == _tone_mp3() and audio.content_type == "audio/mpeg"
