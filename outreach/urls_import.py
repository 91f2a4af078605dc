from django.urls import path

from outreach.views import importer

# Residents from a hamlet's Excel list: template, upload and preview, confirm, result.
BASE = "can-bo/nhap-danh-sach/"

urlpatterns = [
    path(BASE, importer.import_start, name="import_start"),
    path(BASE + "mau.xlsx", importer.import_template, name="import_template"),
    path(BASE + "xac-nhan/", importer.import_confirm, name="import_confirm"),
    path(BASE + "da-nhap/<str:token>/", importer.import_done, name="import_done"),
]
