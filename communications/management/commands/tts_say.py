"""Read Vietnamese text aloud into a file: `manage.py tts_say "Ngày 10/12 UBND xã…" out.mp3`.

The text is normalised for speech first (dates, times, numbers, abbreviations), then read by
the configured engine (SPEECH_ENGINE). A name ending in .wav writes WAV, anything else MP3.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communications.speech_vi import for_speech
from learning.speech import SpeechUnavailable


class Command(BaseCommand):
    help = "Đọc một câu tiếng Việt thành tệp âm thanh (MP3, hoặc WAV nếu tên tệp đuôi .wav)."

    def add_arguments(self, parser):
        parser.add_argument("text", help="câu cần đọc")
        parser.add_argument("output", help="tệp ghi ra: .mp3 hoặc .wav")
        parser.add_argument("--chime", action="store_true", help="thêm nhạc hiệu đầu và cuối")

    def handle(self, *args, text: str, output: str, chime: bool, **options):
        from communications.radio import speech_audio

        if not text.strip():
            raise CommandError("Câu cần đọc đang trống.")
        path = Path(output)
        fmt = "wav" if path.suffix.lower() == ".wav" else "mp3"
        try:
            audio = speech_audio(text, with_chime=chime, fmt=fmt)
        except SpeechUnavailable as exc:
            raise CommandError(f"Không đọc được: {exc.reason}") from None
        if audio.extension != fmt:
            self.stderr.write(f"Ghi tệp {audio.extension.upper()} thay vì {fmt.upper()}.")
        try:
            path.write_bytes(audio.data)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror}") from None
        length = f", {audio.seconds:.1f} giây" if audio.seconds else ""
        self.stdout.write(f"Đã ghi {path} ({len(audio.data) // 1024} KB{length}).")
        self.stdout.write(f"Lời đọc: {for_speech(text)}")
