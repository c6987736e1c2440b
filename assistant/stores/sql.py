"""Rasa's SQL tracker store, with cheap queries and recovering by itself when its database
restarts. Both profiles use it (endpoints.yml with SQLite, endpoints.prod.yml with PostgreSQL).

- Rasa 3.6 builds its ORM queries anew for each message, and SQLAlchemy then computes their
  cache keys: 12% of a server's CPU under load (py-spy, docs/benchmarks.md). The same queries
  are written here once, as SQL text, on the same `events` table: the latest session's
  events, how many of them are stored, and one insert of the new ones.
- With an event broker, Rasa reads the whole conversation back at each save to find the new
  events to publish; the new events are known here already, so they are published directly.
- Rasa finds the events to write by counting the stored ones. When a message outlives its lock
  (TICKET_LOCK_LIFETIME, on an overloaded machine) and another server handles the next message
  of the same conversation meanwhile, the count includes the other server's events and a
  message is silently lost. A tracker read here remembers how many of its events are stored,
  and writes exactly the ones it gained: both servers' events are kept. A tracker that was not
  read here (a new conversation) is counted as Rasa counts.
- Rasa pools its connections without checking them, so after a PostgreSQL restart the first
  message on each stale connection fails. A pre-ping on checkout replaces dead connections.
- SQLite (the embedded profile) waited for the disk at every commit, with the server's only
  thread blocked: 22% of its time under load (make profile). Its file is kept in write-ahead-log
  mode, synced at checkpoints: an application crash loses nothing, a power cut may lose the
  last commits, never the file. PostgreSQL (production) keeps its own durability settings.

tests/unit/test_sql_store.py checks that Rasa's own store and this one read and write the same
rows, sessions included.
"""

from __future__ import annotations

import json
from typing import Any, Dict

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# Rasa's `_event_query`: the events after the latest `session_started` (all of them if there
# is none), in the order they were stored.
_LATEST_SESSION = """
FROM events
WHERE sender_id = :sender_id
  AND (timestamp >= (SELECT max(timestamp) FROM events
                     WHERE sender_id = :sender_id AND type_name = :session_started)
       OR (SELECT max(timestamp) FROM events
           WHERE sender_id = :sender_id AND type_name = :session_started) IS NULL)
"""
_SESSION_EVENTS = sa.text(f"SELECT data {_LATEST_SESSION} ORDER BY id")
_ALL_EVENTS = sa.text("SELECT data FROM events WHERE sender_id = :sender_id ORDER BY id")
_STORED_IN_SESSION = sa.text(f"SELECT count(*) {_LATEST_SESSION}")
# How many of a tracker's events are in the store, on the tracker read or saved here.
_STORED_ATTRIBUTE = "_metastases_events_stored"
_INSERT = sa.text(
    "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
    "VALUES (:sender_id, :type_name, :timestamp, :intent_name, :action_name, :data)"
)


class ResilientSQLTrackerStore(SQLTrackerStore):
    """Named `assistant.stores.sql.ResilientSQLTrackerStore` in the endpoints files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]  # set by Rasa untyped
        url = engine.url
        engine.dispose()
        options: Dict[str, Any] = {"pool_pre_ping": True, **create_engine_kwargs(url)}
        if url.get_backend_name() == "sqlite":
            # One connection kept open per thread: closing the last one checkpoints the log.
            options["poolclass"] = sa.pool.SingletonThreadPool
        self.engine = sa.create_engine(url, **options)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _write_ahead_log)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _parameters(self, sender_id: str) -> Dict[str, str]:
        return {"sender_id": sender_id, "session_started": SessionStarted.type_name}

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        query = _ALL_EVENTS if fetch_events_from_all_sessions else _SESSION_EVENTS
        with self.engine.connect() as connection:
            rows = connection.execute(query, self._parameters(sender_id)).fetchall()
        events = [json.loads(data) for (data,) in rows]
        if not (self.domain and events):
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        setattr(tracker, _STORED_ATTRIBUTE, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        events = list(tracker.events)
        stored = getattr(tracker, _STORED_ATTRIBUTE, None)
        with self.engine.begin() as connection:
            if stored is None or stored > len(events):
                stored = connection.execute(
                    _STORED_IN_SESSION, self._parameters(tracker.sender_id)
                ).scalar_one()
            new = [event.as_dict() for event in events[stored:]]
            if new:
                connection.execute(_INSERT, [_row(tracker.sender_id, data) for data in new])
        setattr(tracker, _STORED_ATTRIBUTE, len(events))
        if self.event_broker:
            for data in new:
                self.event_broker.publish({"sender_id": tracker.sender_id, **data})


def _write_ahead_log(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _row(sender_id: str, data: Dict[str, Any]) -> Dict[str, Any]:
    """The columns Rasa's SQLTrackerStore.save writes for an event."""
    return {
        "sender_id": sender_id,
        "type_name": data["event"],
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }
