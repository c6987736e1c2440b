"""Rasa's SQL tracker store, recovering by itself when its database restarts.

Rasa 3.6 pools its connections without checking them, so after a PostgreSQL restart the
first message on each stale connection fails. A pre-ping on checkout replaces dead
connections before use.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class ResilientSQLTrackerStore(SQLTrackerStore):
    """Named `assistant.stores.sql.ResilientSQLTrackerStore` in endpoints.prod.yml."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        engine: sa.engine.Engine = self.engine  # type: ignore[has-type]  # set by Rasa untyped
        url = engine.url
        engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
