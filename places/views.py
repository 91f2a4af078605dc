from django.shortcuts import render

from communications.calendar import round_items
from communications.models import Article
from communications.news import latest_articles
from communications.stories import public_stories
from outreach.teams import public_schedule
from places.selectors import public_commune

HOME_NEWS = 3
HOME_STORIES = 2
HOME_SESSIONS = 3
HOME_ROUNDS = 2


def home(request):
    commune = public_commune()
    if commune is None:
        return render(request, "places/no_commune.html", status=503)
    news_kinds = [Article.Kind.NEWS, Article.Kind.ANNOUNCEMENT]
    return render(
        request,
        "places/home.html",
        {
            "commune": commune,
            "news": latest_articles(commune, kinds=news_kinds, limit=HOME_NEWS),
            "stories": public_stories(commune, limit=HOME_STORIES),
            "sessions": public_schedule(commune)[:HOME_SESSIONS],
            "rounds": round_items(commune, limit=HOME_ROUNDS),
        },
    )
