"""The retention rule for health data: conversations whose last event is older than N days
are deleted from the SQL tracker store (SQLite or PostgreSQL), every event of them. Also reads
stored conversations back, for benchmarks and the staff's conversation review."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Dict, List

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import read_endpoint_config

_EVENTS = sa.table(
    "events", sa.column("sender_id"), sa.column("timestamp"), sa.column("data"), sa.column("id")
)


def engine_for(endpoints: Path) -> sa.engine.Engine | None:
    """The tracker store database of an endpoints file, or None if it is not an SQL store."""
    config = read_endpoint_config(str(endpoints), "tracker_store")
    if config is None or "dialect" not in config.kwargs:
        return None
    options = config.kwargs
    url = SQLTrackerStore.get_db_url(
        options["dialect"],
        config.url,
        options.get("port"),
        options.get("db", "rasa.db"),
        options.get("username"),
        options.get("password"),
    )
    return sa.create_engine(url)


def purge(engine: sa.engine.Engine, days: float, now: float | None = None) -> int:
    """Deletes the conversations idle for more than `days` days; returns how many."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    stale = (
        sa.select(_EVENTS.c.sender_id)
        .group_by(_EVENTS.c.sender_id)
        .having(sa.func.max(_EVENTS.c.timestamp) < cutoff)
    )
    with engine.begin() as connection:
        senders = [row[0] for row in connection.execute(stale)]
        for start in range(0, len(senders), 500):
            batch = senders[start : start + 500]
            connection.execute(sa.delete(_EVENTS).where(_EVENTS.c.sender_id.in_(batch)))
    return len(senders)


def senders_between(
    engine: sa.engine.Engine, start: float | None = None, end: float | None = None
) -> List[str]:
    """The conversations with an event from `start` to before `end` (epoch seconds; None for no
    bound), the earliest first."""
    query = (
        sa.select(_EVENTS.c.sender_id)
        .group_by(_EVENTS.c.sender_id)
        .order_by(sa.func.min(_EVENTS.c.timestamp))
    )
    if start is not None:
        query = query.where(_EVENTS.c.timestamp >= start)
    if end is not None:
        query = query.where(_EVENTS.c.timestamp < end)
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(query)]


def events_by_sender(engine: sa.engine.Engine, senders: List[str]) -> Dict[str, List[dict]]:
    """The stored events of these conversations, in order."""
    import json

    found: Dict[str, List[dict]] = {sender: [] for sender in senders}
    query = (
        sa.select(_EVENTS.c.sender_id, _EVENTS.c.data)
        .where(_EVENTS.c.sender_id.in_(senders))
        .order_by(_EVENTS.c.id)
    )
    with engine.connect() as connection:
        for sender, data in connection.execute(query):
            found[sender].append(json.loads(data))
    return found
