from django.urls import path

from communications.views import posters

POSTERS = "can-bo/ap-phich/"
SLOGANS = POSTERS + "khau-hieu/"

urlpatterns = [
    path(POSTERS, posters.poster_list, name="poster_list"),
    path(POSTERS + "moi/", posters.poster_create_view, name="poster_create"),
    path(POSTERS + "<int:poster_id>/", posters.poster_detail, name="poster_detail"),
    path(POSTERS + "<int:poster_id>/tai-pdf/", posters.poster_download, name="poster_pdf"),
    path(
        POSTERS + "<int:poster_id>/noi-treo/moi/",
        posters.poster_placement_create,
        name="poster_placement_create",
    ),
    path(SLOGANS, posters.slogan_list, name="slogan_list"),
    path(SLOGANS + "moi/", posters.slogan_create_view, name="slogan_create"),
    path(SLOGANS + "mau/", posters.slogan_defaults, name="slogan_defaults"),
    path(SLOGANS + "<int:slogan_id>/sua/", posters.slogan_edit, name="slogan_edit"),
    path(
        SLOGANS + "<int:slogan_id>/ngung/", posters.slogan_deactivate_view, name="slogan_deactivate"
    ),
]
