"""Video links from the sites residents use: which site a link points to."""

from urllib.parse import urlsplit


def video_host(url: str) -> str:
    """The bare host of an https link ("youtube.com" for https://m.youtube.com/…), or "" for a
    link that is not https or hides a user name or port."""
    parts = urlsplit((url or "").strip())
    if parts.scheme != "https" or parts.username or parts.port:
        return ""
    return (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
