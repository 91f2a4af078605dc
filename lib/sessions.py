"""Django's database session store, reading the session (every request of a signed-in user)
with one plain query instead of building the same ORM query each time (see lib.plainsql)."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from lib import plainsql

_READ_SQL = (
    f"SELECT {plainsql.select_list(Session, ['session_key', 'session_data', 'expire_date'])} "
    f"FROM {plainsql.table(Session)} WHERE {plainsql.column(Session, 'session_key')} = %s "
    f"AND {plainsql.column(Session, 'expire_date')} > %s"
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_READ_SQL, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as the ORM version does: a fresh key on the next save
            return None
        return plainsql.instance(Session, row)
