from django_tasks import task

from communications.radio import bulletin_audio_build


@task()
def bulletin_audio_generate(bulletin_id: int, version: int) -> str:
    """Read a bulletin aloud (chime, speech, chime) unless it has been edited since."""
    return bulletin_audio_build(bulletin_id, version)
