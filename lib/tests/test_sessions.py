"""The session store reads sessions with plain SQL exactly as Django's database store does."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from lib.sessions import SessionStore


def test_the_session_store_reads_a_live_session_and_not_an_expired_one(cast):
    client = Client()
    client.force_login(cast.officer)
    key = client.cookies["sessionid"].value
    assert SessionStore(key).load()["_auth_user_id"] == str(cast.officer.pk)
    assert client.get("/can-bo/").status_code == 200  # the middleware reads it the same way
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key is made on the next save
    assert SessionStore("no-such-session-key").load() == {}
