"""The tracker store's SQL text reads and writes what Rasa's own SQLTrackerStore does."""

import asyncio
from typing import Any, Dict, List

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.sql import ResilientSQLTrackerStore

DOMAIN = Domain.from_dict(
    {
        "intents": ["greet", "ask_symptoms"],
        "slots": {"triage": {"type": "text", "mappings": [{"type": "custom"}]}},
        "responses": {"utter_salut": [{"text": "Bonjour"}]},
    }
)


class RecordingBroker(EventBroker):
    def __init__(self) -> None:
        self.published: List[Dict[str, Any]] = []

    def publish(self, event: Dict[str, Any]) -> None:
        self.published.append(event)


def _turn(text: str, intent: str, timestamp: float) -> list:
    return [
        UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=timestamp),
        ActionExecuted("utter_salut", timestamp=timestamp + 0.1),
        BotUttered("Bonjour", metadata={"utter_action": "utter_salut"}, timestamp=timestamp + 0.1),
        SlotSet("triage", "urgence_24h", timestamp=timestamp + 0.2),
        ActionExecuted("action_listen", timestamp=timestamp + 0.3),
    ]


def _session(timestamp: float) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
        ActionExecuted("action_listen", timestamp=timestamp),
    ]


def _rows(database) -> list:
    engine = sa.create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                "FROM events ORDER BY id"
            )
        ).fetchall()
    engine.dispose()
    return [tuple(row) for row in rows]


async def _play(store, sender: str) -> DialogueStateTracker:
    """Two sessions, saved turn by turn and read back between turns, as Rasa's processor does."""
    steps = [
        _session(1.0),
        _turn("bonjour", "greet", 2.0),
        _turn("symptômes ?", "ask_symptoms", 3.0),
    ]
    steps += [_session(10.0), _turn("re", "greet", 11.0)]
    for events in steps:
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, DOMAIN.slots)
        for event in events:
            tracker.update(event)
        await store.save(tracker)
    return await store.retrieve(sender)


@pytest.mark.parametrize("sender", ["patient-1", "l'autre ; DROP TABLE events; --"])
def test_it_writes_the_same_rows_as_rasa(tmp_path, sender):
    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    ours = ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    rasa_tracker = asyncio.run(_play(rasas, sender))
    our_tracker = asyncio.run(_play(ours, sender))
    assert _rows(tmp_path / "ours.db") == _rows(tmp_path / "rasa.db")
    assert our_tracker.current_state() == rasa_tracker.current_state()
    assert len(our_tracker.events) == 8  # the latest session only


def test_each_reads_what_the_other_wrote(tmp_path):
    database = str(tmp_path / "shared.db")
    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=database)
    ours = ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=database)
    asyncio.run(_play(rasas, "written-by-rasa"))
    asyncio.run(_play(ours, "written-by-us"))
    for sender in ("written-by-rasa", "written-by-us"):
        for full in (False, True):
            theirs = asyncio.run(rasas._retrieve(sender, fetch_events_from_all_sessions=full))
            mine = asyncio.run(ours._retrieve(sender, fetch_events_from_all_sessions=full))
            assert mine.events == theirs.events
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_only_the_new_events_are_published(tmp_path):
    broker = RecordingBroker()
    store = ResilientSQLTrackerStore(
        DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), event_broker=broker
    )
    asyncio.run(_play(store, "patient-2"))
    published = [(e["sender_id"], e["event"]) for e in broker.published]
    assert len(published) == 2 * 3 + 3 * 5
    assert published[:4] == [
        ("patient-2", "action"),
        ("patient-2", "session_started"),
        ("patient-2", "action"),
        ("patient-2", "user"),
    ]
    assert [e["value"] for e in broker.published if e["event"] == "slot"] == ["urgence_24h"] * 3


def test_sqlite_keeps_a_write_ahead_log_synced_at_checkpoints(tmp_path):
    store = ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "wal.db"))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


async def _race(store_class, database, second_saves_first: bool = False) -> list:
    """Two servers handle two messages of one conversation at once (the first one's lock
    expired): both read the conversation, then each saves its turn."""
    first, second = (store_class(DOMAIN, dialect="sqlite", db=database) for _ in range(2))
    await _play(first, "racing")
    one, other = await first.retrieve("racing"), await second.retrieve("racing")
    for event in _turn("premier message", "greet", 20.0):
        one.update(event)
    for event in _turn("second message", "ask_symptoms", 20.5):
        other.update(event)
    for store, tracker in [(first, one), (second, other)][:: -1 if second_saves_first else 1]:
        await store.save(tracker)
    tracker = await first.retrieve("racing")
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_two_servers_racing_on_a_conversation_lose_no_message(tmp_path):
    rasas = asyncio.run(_race(SQLTrackerStore, str(tmp_path / "rasa.db")))
    ours = asyncio.run(_race(ResilientSQLTrackerStore, str(tmp_path / "ours.db")))
    assert "second message" not in rasas  # Rasa's count-based save loses it
    assert ours[-2:] == ["premier message", "second message"]
    reverse = asyncio.run(
        _race(ResilientSQLTrackerStore, str(tmp_path / "reverse.db"), second_saves_first=True)
    )
    assert reverse[-2:] == ["second message", "premier message"]  # both kept


def test_a_tracker_saved_twice_writes_each_event_once(tmp_path):
    store = ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    asyncio.run(_play(store, "twice"))
    tracker = asyncio.run(store.retrieve("twice"))
    asyncio.run(store.save(tracker))
    tracker.update(SlotSet("triage", "urgence_immediate", timestamp=30.0))
    asyncio.run(store.save(tracker))
    asyncio.run(store.save(tracker))
    assert len(_rows(tmp_path / "t.db")) == 2 * 3 + 3 * 5 + 1
