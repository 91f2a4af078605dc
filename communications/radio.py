"""Loudspeaker radio (đài truyền thanh): bulletins, their audio, and the broadcast log.

Admin and coordinator write; the leader reads. A bulletin's script is assembled from chosen
items (bulletin_draft), edited by hand, then read aloud by the project's speech engine in the
background (bulletin_audio_request → communications.tasks): the script goes through
speech_vi.for_speech(), the voice is brought to one loudness (RMS, peak-limited), a soft
two-tone chime is added at start and end, and the result is MP3 (lameenc) or WAV if encoding
fails. The HTTP voice answers with MP3: it is decoded with sox (libsox-fmt-mp3) so it gets
the same chime and loudness. A recorded reading can be uploaded instead. Every write is
audited and runs in one transaction.
"""

import datetime as dt
import io
import logging
import math
import shutil
import subprocess
import tempfile
import wave
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import lameenc
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from communications.models import Article, Broadcast, Bulletin, RadioTheme, ScamAlert, Story
from communications.speech_vi import for_speech
from communications.stories import public_stories_qs
from learning.models import Lesson
from learning.speech import MP3_SAMPLE_RATE, Audio, SpeechUnavailable, get_engine, speakable
from outreach.models import Session
from outreach.teams import public_sessions, vn_when
from places.models import Commune, Hamlet

logger = logging.getLogger(__name__)

RADIO_EDITORS = (Role.ADMIN, Role.COORDINATOR)
RADIO_VIEWERS = (Role.ADMIN, Role.COORDINATOR, Role.LEADER)

MAX_SCRIPT_CHARS = 10_000  # ≈ 15 minutes read slowly: longer is two bulletins
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
PEAK_TARGET = 0.89  # −1 dBFS
CHIME_PEAK = 0.5  # the chime sits under the voice
GAP_SECONDS = 0.35
UPCOMING_DAYS = 7

TOO_LONG = (
    "Lời đọc dài {n} ký tự, quá giới hạn {limit} ký tự (khoảng 15 phút đọc). "
    "Hãy rút gọn hoặc chia thành hai bản tin."
)


# Reads ------------------------------------------------------------------------------------


def bulletins_for_user(user: User) -> QuerySet[Bulletin]:
    if user.role not in RADIO_VIEWERS or not user.commune_id:
        return Bulletin.objects.none()
    return Bulletin.objects.filter(commune_id=user.commune_id).select_related("theme")


def get_bulletin_for_user(user: User, bulletin_id: int) -> Bulletin:
    return get_object_or_404(bulletins_for_user(user), pk=bulletin_id)


def themes_for_user(user: User) -> QuerySet[RadioTheme]:
    if user.role not in RADIO_VIEWERS or not user.commune_id:
        return RadioTheme.objects.none()
    return RadioTheme.objects.filter(commune_id=user.commune_id)


def broadcasts_for_user(user: User) -> QuerySet[Broadcast]:
    if user.role not in RADIO_VIEWERS or not user.commune_id:
        return Broadcast.objects.none()
    return (
        Broadcast.objects.filter(commune_id=user.commune_id)
        .select_related("bulletin")
        .prefetch_related("hamlets")
    )


def broadcast_counts_by_month(commune: Commune, *, year: int) -> dict[int, int]:
    """Airings per month (1–12) of the commune's bulletins in `year`, for the monthly report.

    Only airings that have happened count; planned ones are still in the schedule.
    """
    aired = Broadcast.objects.filter(
        commune=commune, aired_at__year=year, aired_at__lte=timezone.now()
    ).values_list("aired_at", flat=True)
    counts = Counter(timezone.localtime(when).month for when in aired)
    return {month: counts.get(month, 0) for month in range(1, 13)}


def item_choices(commune: Commune) -> dict[str, QuerySet]:
    """What a bulletin can be assembled from: published items of this commune only (stories
    only while their person agrees to be named)."""
    published = Article.objects.published().filter(commune=commune)
    return {
        "announcements": published.filter(kind=Article.Kind.ANNOUNCEMENT)[:30],
        "stories": public_stories_qs(commune).defer("photo").order_by("-published_at")[:30],
        "lessons": Lesson.objects.filter(commune=commune, status=Lesson.Status.PUBLISHED)
        .only("id", "title")
        .order_by("title"),
        "scam_alerts": ScamAlert.objects.filter(commune=commune, published_at__isnull=False)[:30],
    }


def upcoming_sessions(commune: Commune, *, days: int = UPCOMING_DAYS) -> list[Session]:
    now = timezone.now()
    return list(
        public_sessions(commune)
        .filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=days))
        .select_related("hamlet")
        .prefetch_related("topics")
        .order_by("starts_at", "id")[:20]
    )


# Script -----------------------------------------------------------------------------------


@dataclass
class BulletinItems:
    announcements: list[Article] = field(default_factory=list)
    sessions: bool = False
    lesson: Lesson | None = None
    scam_alert: ScamAlert | None = None
    story: Story | None = None


def _paragraph(text: str) -> str:
    return speakable(text).replace("\n", " ")


def bulletin_draft(commune: Commune, items: BulletinItems) -> str:
    """A script to be heard: opening, the chosen items in a fixed order, closing."""
    name = commune.name
    parts = [
        f"Đây là Đài truyền thanh {name}. Kính thưa bà con nhân dân! "
        "Sau đây là bản tin Bình dân học vụ số."
    ]
    for article in items.announcements:
        parts.append(f"Thông báo. {article.title}. {_paragraph(article.body)}")
    if items.sessions:
        sessions = upcoming_sessions(commune)
        if sessions:
            lines = ["Lịch hướng dẫn kỹ năng số trong tuần tới."]
            for s in sessions:
                topics = ", ".join(t.title for t in s.topics.all())
                about = f", hướng dẫn: {topics}" if topics else ""
                lines.append(f"{vn_when(s.starts_at)}, tại {s.place}, {s.hamlet.name}{about}.")
            lines.append("Bà con nhớ mang theo điện thoại và căn cước công dân gắn chíp.")
            parts.append(" ".join(lines))
    if items.lesson:
        lesson = items.lesson
        parts.append(
            f"Mỗi tuần một kỹ năng: {lesson.title}. {_paragraph(lesson.why)} "
            f"Thử ngay. {_paragraph(lesson.practice)}"
        )
    if items.scam_alert:
        alert = items.scam_alert
        parts.append(f"Cảnh báo lừa đảo. {alert.title}. {_paragraph(alert.body)}")
    if items.story:
        parts.append(f"Gương điển hình. {items.story.title}. {_paragraph(items.story.body)}")
    parts.append(
        f"Bản tin đến đây là hết. Cảm ơn bà con đã lắng nghe. "
        f"Đài truyền thanh {name} xin hẹn gặp lại."
    )
    return "\n\n".join(parts)


def _clean_script(script: str) -> str:
    script = script.replace("\r\n", "\n").strip()
    if not script:
        raise ValidationError("Lời đọc đang trống. Hãy viết nội dung bản tin.")
    if len(script) > MAX_SCRIPT_CHARS:
        raise ValidationError(
            TOO_LONG.format(n=f"{len(script):,}".replace(",", "."), limit="10.000")
        )
    return script


def _check_theme(commune: Commune, theme: RadioTheme | None) -> None:
    if theme is not None and theme.commune_id != commune.pk:
        raise ValidationError("Chuyên đề này không thuộc xã của bạn.")


# Writes -----------------------------------------------------------------------------------


@transaction.atomic
def bulletin_save(
    *, actor: User, commune: Commune, title: str, script: str, theme: RadioTheme | None = None
) -> Bulletin:
    script = _clean_script(script)
    _check_theme(commune, theme)
    bulletin = Bulletin.objects.create(
        commune=commune, theme=theme, title=title.strip(), script=script, created_by=actor
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=bulletin)
    return bulletin


@transaction.atomic
def bulletin_edit(
    *, actor: User, bulletin: Bulletin, title: str, script: str, theme: RadioTheme | None = None
) -> Bulletin:
    script = _clean_script(script)
    _check_theme(bulletin.commune, theme)
    before = {"title": bulletin.title, "chars": len(bulletin.script)}
    bulletin.title, bulletin.script, bulletin.theme = title.strip(), script, theme
    bulletin.save(update_fields=["title", "script", "theme", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=bulletin,
        before=before,
        after={"title": bulletin.title, "chars": len(script)},
    )
    return bulletin


def bulletin_audio_request(*, actor: User | None, bulletin: Bulletin) -> None:
    """Read the script aloud again, in the background; a newer request makes older ones stale."""
    _clean_script(bulletin.script)
    from communications.tasks import bulletin_audio_generate

    version = bulletin.audio_version + 1
    Bulletin.objects.filter(pk=bulletin.pk).update(
        audio_version=version, audio_status=Bulletin.AudioStatus.PENDING, audio_note=""
    )
    bulletin.audio_version, bulletin.audio_status = version, Bulletin.AudioStatus.PENDING
    if actor is not None:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, target=bulletin)
    transaction.on_commit(lambda: bulletin_audio_generate.enqueue(bulletin.pk, version))


# Uploaded recordings: recognised by their first bytes, never by name or browser claim.
def sniff_audio(head: bytes) -> tuple[str, str] | None:
    """(content type, label) of MP3, WAV, OGG or M4A data, else None."""
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg", "MP3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav", "WAV"
    if head.startswith(b"OggS"):
        return "audio/ogg", "OGG"
    if head[4:8] == b"ftyp":
        return "audio/mp4", "M4A"
    return None


@transaction.atomic
def bulletin_upload_recording(*, actor: User, bulletin: Bulletin, data: bytes) -> Bulletin:
    if not data:
        raise ValidationError("Tệp ghi âm rỗng. Hãy chọn lại tệp.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"Tệp ghi âm nặng {len(data) // (1024 * 1024)} MB, quá giới hạn 20 MB. "
            "Hãy ghi ở chất lượng thấp hơn (MP3 64 kbps là đủ cho loa)."
        )
    kind = sniff_audio(data[:16])
    if kind is None:
        raise ValidationError(
            "Tệp này không phải bản ghi âm. Hãy tải lên tệp MP3, WAV, OGG hoặc M4A."
        )
    content_type, label = kind
    version = bulletin.audio_version + 1  # any reading still being made is now stale
    Bulletin.objects.filter(pk=bulletin.pk).update(
        audio=data,
        audio_type=content_type,
        audio_status=Bulletin.AudioStatus.READY,
        audio_note=f"Bản ghi âm tải lên ({label}, {max(1, len(data) // 1024)} KB)",
        audio_version=version,
        recorded_upload=True,
    )
    bulletin.refresh_from_db()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, target=bulletin)
    return bulletin


SCHEDULE_DAYS = 90  # a time in the future is a planned airing; the past is the log


@transaction.atomic
def broadcast_record(
    *, actor: User, bulletin: Bulletin, aired_at: dt.datetime, hamlets: Iterable[Hamlet]
) -> Broadcast:
    hamlets = list(hamlets)
    if not hamlets:
        raise ValidationError("Hãy chọn ít nhất một xóm có cụm loa đã phát.")
    if any(h.commune_id != bulletin.commune_id for h in hamlets):
        raise ValidationError("Có xóm không thuộc xã của bản tin.")
    if aired_at > timezone.now() + dt.timedelta(days=SCHEDULE_DAYS):
        raise ValidationError(f"Chỉ lên lịch phát trong vòng {SCHEDULE_DAYS} ngày tới.")
    broadcast = Broadcast.objects.create(
        commune_id=bulletin.commune_id, bulletin=bulletin, aired_at=aired_at, recorded_by=actor
    )
    broadcast.hamlets.set(hamlets)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=bulletin,
        after={
            "aired_at": f"{timezone.localtime(aired_at):%d/%m/%Y %H:%M}",
            "hamlets": len(hamlets),
        },
    )
    return broadcast


@transaction.atomic
def radio_theme_save(
    *, actor: User, commune: Commune, year: int, quarter: int, title: str, description: str = ""
) -> RadioTheme:
    theme = RadioTheme.objects.create(
        commune=commune, year=year, quarter=quarter, title=title.strip(), description=description
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=theme)
    return theme


@transaction.atomic
def radio_theme_update(
    *, actor: User, theme: RadioTheme, year: int, quarter: int, title: str, description: str = ""
) -> RadioTheme:
    before = {"year": theme.year, "quarter": theme.quarter, "title": theme.title}
    theme.year, theme.quarter = year, quarter
    theme.title, theme.description = title.strip(), description
    theme.full_clean()
    theme.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=theme,
        before=before,
        after={"year": year, "quarter": quarter, "title": theme.title},
    )
    return theme


def get_theme_for_editor(user: User, theme_id: int) -> RadioTheme:
    return get_object_or_404(themes_for_user(user), pk=theme_id)


# Audio ------------------------------------------------------------------------------------


def chime(sample_rate: int) -> array:
    """A soft two-tone "ding-dong" (E5 then C5), each note with a gentle attack and decay."""
    samples = array("h")
    peak = CHIME_PEAK * 32767
    for freq, seconds in ((659.25, 0.45), (523.25, 0.6)):
        n = int(sample_rate * seconds)
        attack = int(sample_rate * 0.015)
        for i in range(n):
            t = i / sample_rate
            envelope = min(1.0, i / attack) * math.exp(-3.5 * t / seconds)
            tone = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
            samples.append(int(peak * envelope * tone / 1.25))
    return samples


def normalise_peak(samples: array, target: float = PEAK_TARGET) -> array:
    """Scale 16-bit samples so the loudest one is at `target` of full scale."""
    loudest = max((abs(s) for s in samples), default=0)
    if loudest == 0:
        return samples
    gain = target * 32767 / loudest
    return array("h", (max(-32768, min(32767, int(s * gain))) for s in samples))


RMS_TARGET = 0.1  # −20 dBFS over the voiced part: every bulletin sounds equally loud


def normalise_loudness(samples: array, *, rms_target: float = RMS_TARGET) -> array:
    """Bring the voiced part to `rms_target`, never pushing the peak past PEAK_TARGET."""
    voiced = [s for s in samples if abs(s) > 327]  # ignore pauses below −40 dBFS
    if not voiced:
        return samples
    rms = math.sqrt(sum(s * s for s in voiced) / len(voiced))
    loudest = max(abs(s) for s in voiced)
    gain = min(rms_target * 32767 / rms, PEAK_TARGET * 32767 / loudest)
    return array("h", (max(-32768, min(32767, int(s * gain))) for s in samples))


def encode_mp3(pcm: bytes, sample_rate: int, bitrate: int = 32) -> bytes:
    encoder = lameenc.Encoder()
    encoder.silence()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(MP3_SAMPLE_RATE)
    encoder.set_bit_rate(bitrate)
    encoder.set_quality(5)
    return bytes(encoder.encode(pcm) + encoder.flush())


def encode_wav(pcm: bytes, sample_rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm)
    return out.getvalue()


DECODE_RATE = 22_050  # Hz: what a decoded MP3 is resampled to before chime and loudness
DECODE_TIMEOUT = 120  # seconds


def decode_mp3(data: bytes) -> tuple[bytes, int]:
    """Mono 16-bit PCM and its sample rate from MP3 bytes, decoded by sox (libsox-fmt-mp3).

    Raises SpeechUnavailable when sox is missing or cannot read the data.
    """
    sox = shutil.which("sox")
    if sox is None:
        raise SpeechUnavailable("Máy chủ chưa cài sox để xử lý âm thanh (apt-get install sox).")
    with tempfile.TemporaryDirectory(prefix="hocvuso-mp3-") as folder:
        source = Path(folder) / "in.mp3"
        source.write_bytes(data)
        args = [sox, "-q", "-t", "mp3", str(source), "-t", "raw", "-e", "signed-integer"]
        args += ["-b", "16", "-L", "-c", "1", "-r", str(DECODE_RATE), "-"]
        try:
            done = subprocess.run(args, capture_output=True, timeout=DECODE_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechUnavailable(f"Không giải mã được âm thanh MP3: {exc}") from None
    pcm = done.stdout[: len(done.stdout) - len(done.stdout) % 2]
    if done.returncode != 0 or not pcm:
        detail = done.stderr.decode("utf-8", "replace").strip()[:120]
        raise SpeechUnavailable(f"Không giải mã được âm thanh MP3 ({detail or 'rỗng'}).")
    return pcm, DECODE_RATE


def _engine_pcm(engine, spoken: str) -> tuple[bytes, int] | Audio:
    """The engine's reading as PCM; a finished MP3 that cannot be decoded comes back as is."""
    from learning.speech import _pcm_mono_16bit

    if hasattr(engine, "wav"):  # espeak-ng: PCM straight away
        pcm, rate, _ = _pcm_mono_16bit(engine.wav(spoken))
        return pcm, rate
    audio = engine.synthesize(spoken)  # the HTTP voice: finished MP3
    try:
        return decode_mp3(audio.data)
    except SpeechUnavailable as exc:
        logger.warning("bulletin audio without chime or normalisation: %s", exc.reason)
        return audio


def speech_audio(text: str, *, with_chime: bool = True, fmt: str = "mp3") -> Audio:
    """`text` normalised for speech, read by the configured engine, chimed and normalised.

    espeak-ng gives PCM; the HTTP voice's MP3 is decoded with sox first, so both get the same
    loudness and chime before being encoded again. Should decoding fail (no sox), the HTTP
    voice's MP3 is passed through as is. Raises SpeechUnavailable.
    """
    spoken = for_speech(text)
    engine = get_engine()
    engine.check()
    reading = _engine_pcm(engine, spoken)
    if isinstance(reading, Audio):
        return reading
    pcm, rate = reading
    samples = normalise_loudness(array("h", pcm))
    if with_chime:
        ding = chime(rate)
        gap = array("h", bytes(2 * int(rate * GAP_SECONDS)))
        samples = ding + gap + samples + gap + ding  # both already within PEAK_TARGET
    data = samples.tobytes()
    seconds = len(samples) / rate
    if fmt == "mp3":
        try:
            return Audio(encode_mp3(data, rate), "audio/mpeg", "mp3", seconds)
        except Exception:
            pass
    return Audio(encode_wav(data, rate), "audio/wav", "wav", seconds)


def bulletin_audio_build(bulletin_id: int, version: int, *, fmt: str = "mp3") -> str:
    """The body of the background task: make the audio unless the bulletin changed since."""
    bulletin = Bulletin.objects.filter(pk=bulletin_id, audio_version=version).first()
    if bulletin is None:
        return "stale"
    current = Bulletin.objects.filter(pk=bulletin_id, audio_version=version)
    try:
        audio = speech_audio(bulletin.script, fmt=fmt)
    except SpeechUnavailable as exc:
        current.update(audio_status=Bulletin.AudioStatus.FAILED, audio_note=exc.reason[:300])
        return "failed"
    length = f", {audio.seconds:.0f} giây" if audio.seconds else ""
    current.update(
        audio=audio.data,
        audio_type=audio.content_type,
        audio_status=Bulletin.AudioStatus.READY,
        audio_note=f"Đọc tự động ({audio.extension.upper()}{length}, {len(audio.data) // 1024} KB)",
        recorded_upload=False,
    )
    return "ready"
