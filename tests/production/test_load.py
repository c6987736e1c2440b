"""100 concurrent conversations of 10 turns, over REST and socket.io, through nginx to two
Rasa servers; then every message and reply is looked up in PostgreSQL."""

import asyncio

from assistant.stores.retention import events_by_sender
from tools.load import check_store, run_load, settled_events


def test_a_hundred_conversations_lose_nothing(production, database):
    report = asyncio.run(run_load(production.url, conversations=100, turns=10))
    print("\n" + report.format("2 servers behind nginx, REST + socket.io"))
    senders = [c.stored_as for c in report.conversations]
    check = check_store(report, settled_events(lambda s: events_by_sender(database, s), senders))
    print(f"stored: {check}")
    assert report.errors == []
    assert report.messages == 1000
    assert check.nothing_lost and check.duplicated_messages == 0
