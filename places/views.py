from django.shortcuts import render

from places.selectors import public_commune


def home(request):
    commune = public_commune()
    if commune is None:
        return render(request, "places/no_commune.html", status=503)
    return render(request, "places/home.html", {"commune": commune})
