"""Faults of the production profile, each with real processes and servers."""

import asyncio
import subprocess
import threading
import time

import pytest
import redis
import requests

from assistant.stores.retention import events_by_sender
from tools.client import new_sender, texts
from tools.load import check_store, run_load, settled_events

PG_CLUSTER = subprocess.run(
    ["ls", "/etc/postgresql"], capture_output=True, text=True
).stdout.split()
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def test_killing_one_server_during_the_load_loses_no_event(production, database):
    """REST conversations: nginx sends them to the other server. (A socket.io client of the
    killed server reconnects; the widget's browser tests cover that.)"""
    outcome = {}
    load = threading.Thread(
        target=lambda: outcome.update(
            report=asyncio.run(run_load(production.url, 60, 10, socketio_share=0))
        )
    )
    load.start()
    time.sleep(4)
    production.servers[1].stop(kill=True)
    try:
        load.join()
    finally:
        production.servers[1].start()
        production.wait_for_rasa(index=1)
    report = outcome["report"]
    print("\n" + report.format("one of two servers killed after 4 s"))
    senders = [c.stored_as for c in report.conversations]
    check = check_store(report, settled_events(lambda s: events_by_sender(database, s), senders))
    print(f"stored: {check}")
    assert report.errors == []
    assert check.nothing_lost


def test_the_urgent_path_does_not_need_the_action_server(production, client):
    production.stop_actions()
    try:
        sender = new_sender()
        reply = texts(client.send("depuis ce matin je ne sens plus mes jambes", sender))
        assert "112" in reply and client.slot(sender, "triage") == "urgence_immediate"
        assert "problème technique" in texts(client.send("quels sont les traitements ?"))
    finally:
        production.start_actions()
    assert "chirurgie" in texts(client.send("quels sont les traitements ?")).lower()


@pytest.mark.skipif(len(PG_CLUSTER) != 1, reason="needs the machine's one PostgreSQL cluster")
def test_the_bot_recovers_by_itself_after_a_postgresql_restart(production, client):
    sender = new_sender()
    client.send("bonjour", sender)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_CLUSTER[0], "main", "restart"], check=True
    )
    for text in ("quels sont les symptômes ?", "quel spécialiste consulter ?", "merci"):
        assert client.send(text, sender)
    user_turns = [e for e in client.tracker(sender)["events"] if e["event"] == "user"]
    assert len(user_turns) == 4


def test_redis_down_is_a_clear_failure_not_a_silent_one(production, client):
    sender = new_sender()
    client.send("bonjour", sender)
    before = len(client.tracker(sender)["events"])
    redis.Redis(host="127.0.0.1", port=6379).shutdown(nosave=True)
    try:
        response = requests.post(
            f"{production.url}/webhooks/rest/webhook",
            json={"sender": sender, "message": "quels examens ?"},
            timeout=60,
        )
        assert response.status_code == 503
        assert "problème technique" in response.json()[-1]["text"]
    finally:
        subprocess.run(REDIS_START, check=True)
        _wait_for_redis()
    assert len(client.tracker(sender)["events"]) == before  # nothing half-written
    assert "scanner" in texts(client.send("quels examens ?", sender)).lower()


def _wait_for_redis(timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if redis.Redis(host="127.0.0.1", port=6379).ping():
                return
        except redis.ConnectionError:
            time.sleep(0.2)
    raise TimeoutError("Redis did not come back")
