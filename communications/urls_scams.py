from django.urls import path

from communications.views import scams

urlpatterns = [
    path("bao-lua-dao/", scams.report, name="scam_report"),
    path("bao-lua-dao/cam-on/", scams.thanks, name="scam_thanks"),
    path("canh-bao/", scams.alert_list, name="scam_alerts"),
    path("canh-bao/<int:alert_id>/", scams.alert_detail, name="scam_alert"),
    path("can-bo/lua-dao/", scams.review, name="scam_review"),
    path("can-bo/lua-dao/bao-giup/", scams.report_assist, name="scam_report_assist"),
    path("can-bo/lua-dao/canh-bao-moi/", scams.alert_create, name="scam_alert_create"),
    path("can-bo/lua-dao/<int:report_id>/bo-qua/", scams.dismiss, name="scam_dismiss"),
    path("can-bo/lua-dao/<int:report_id>/anh.webp", scams.report_photo, name="scam_photo"),
]
