"""The service worker, served from the site root so that its scope is the whole site."""

import hashlib

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe


def _source() -> bytes:
    path = finders.find("js/sw.js") or settings.BASE_DIR / "static" / "js" / "sw.js"
    with open(path, "rb") as file:
        return file.read()


@require_safe
def service_worker(request):
    body = _source()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="application/javascript; charset=utf-8"
    )
    # The browser checks for a new worker on every visit; a 304 keeps that check small.
    response["ETag"] = etag
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
