from django.urls import path

from communications.views import radio

RADIO = "can-bo/truyen-thanh/"
BULLETIN = RADIO + "<int:bulletin_id>/"

urlpatterns = [
    path(RADIO, radio.radio_bulletin_list, name="radio_bulletin_list"),
    path(RADIO + "moi/", radio.radio_bulletin_create, name="radio_bulletin_create"),
    path(RADIO + "nhat-ky/", radio.radio_broadcast_log, name="radio_broadcast_log"),
    path(RADIO + "chuyen-de/moi/", radio.radio_theme_create, name="radio_theme_create"),
    path(RADIO + "chuyen-de/<int:theme_id>/sua/", radio.radio_theme_edit, name="radio_theme_edit"),
    path(BULLETIN, radio.radio_bulletin_detail, name="radio_bulletin_detail"),
    path(BULLETIN + "sua/", radio.radio_bulletin_edit, name="radio_bulletin_edit"),
    path(
        BULLETIN + "tao-ban-doc/",
        radio.radio_bulletin_audio_request,
        name="radio_bulletin_audio_request",
    ),
    path(BULLETIN + "am-thanh/", radio.radio_bulletin_audio, name="radio_bulletin_audio"),
    path(BULLETIN + "tai-ban-ghi-am/", radio.radio_bulletin_upload, name="radio_bulletin_upload"),
    path(BULLETIN + "da-phat/", radio.radio_broadcast_record, name="radio_broadcast_record"),
]
