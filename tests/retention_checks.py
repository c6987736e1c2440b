"""Shared by the SQLite and PostgreSQL retention tests: real conversations, some of them
made old, then `metastases-purge`."""

import subprocess

import sqlalchemy as sa

from assistant.channels.sessions import namespaced
from deploy.settings import PROJECT, VENV_BIN
from tools.client import new_sender


def make_conversations(client, count):
    senders = [new_sender("retention") for _ in range(count)]
    for sender in senders:
        client.send("quels sont les symptômes ?", sender)
    # The conversation ids the REST channel stores.
    return [namespaced("rest", sender) for sender in senders]


def age(engine, senders, days):
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE events SET timestamp = timestamp - :seconds WHERE sender_id IN :senders"
            ).bindparams(sa.bindparam("senders", expanding=True)),
            {"seconds": days * 86400, "senders": senders},
        )


def stored_senders(engine, senders):
    query = sa.text("SELECT DISTINCT sender_id FROM events WHERE sender_id IN :senders").bindparams(
        sa.bindparam("senders", expanding=True)
    )
    with engine.connect() as connection:
        return {row[0] for row in connection.execute(query, {"senders": senders})}


def purge(endpoints, days, env):
    return subprocess.run(
        [str(VENV_BIN / "metastases-purge"), "--days", str(days), "--endpoints", str(endpoints)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def check_retention(client, engine, endpoints, env):
    old = make_conversations(client, 3)
    recent = make_conversations(client, 2)
    age(engine, old, 400)
    output = purge(endpoints, 365, env)
    assert "3 conversation(s)" in output
    assert stored_senders(engine, old + recent) == set(recent)
