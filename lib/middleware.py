from django.http import Http404, HttpResponseBadRequest

# The largest value a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
LARGEST_ID = 2**63 - 1


class RejectNulMiddleware:
    """Refuse requests carrying NUL characters: PostgreSQL cannot store them, and no
    honest form or link contains one. One check here instead of one in every view.
    Also answers 404 for an id in the address too big for any database column."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (
                request.method == "POST"
                and request.content_type != "multipart/form-data"
                and _has_nul(request.POST)
            )
        ):
            return HttpResponseBadRequest(
                "Yêu cầu có ký tự không hợp lệ. Hãy kiểm tra lại rồi gửi lại.".encode(),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """An id in the address too big for any database column names nothing: 404, where
        SQLite would raise OverflowError from the lookup."""
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not -LARGEST_ID <= value <= LARGEST_ID:
                raise Http404("Không có mục này.")
        return None


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
