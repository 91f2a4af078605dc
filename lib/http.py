from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data for a POST (even an empty one, so it gets validation errors), else None."""
    return request.POST if request.method == "POST" else None
