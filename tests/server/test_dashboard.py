"""make dashboard after a batch of real conversations with the running bot: its figures are
compared with counts made straight from the events of its SQLite tracker store (every
conversation of the store today, those of the other server tests included)."""

import csv
import json
import os
import subprocess
from collections import Counter
from datetime import date, datetime, time

import sqlalchemy as sa

from assistant.channels.sessions import namespaced
from assistant.stores.retention import engine_for
from content import read_domain
from deploy.settings import PROJECT, VENV_BIN
from tools.client import new_sender
from tools.staff.pseudonyms import pseudonym

# Words in no language the model has seen: the NLU cannot guess an intent.
NONSENSE = "ꙮꙮ ꙮꙮ"

KEY = "server-dashboard-key"
CHANNELS = {"socketio": "web", "facebook": "messenger", "rest": "rest"}
URGENT = ("urgence_immediate", "urgence_24h")
# The urgent responses and their level (content/domain/safety.yml, `metadata.triage`).
URGENT_RESPONSES = {
    name: variations[0]["metadata"]["triage"]
    for name, variations in read_domain()["responses"].items()
    if name.startswith("utter_urgence_")
}


def store_counts(engine, since: float) -> dict:
    """Counted from the stored events alone: the conversations (sessions in which the patient
    wrote) started since `since`, their messages, referrals, verdicts and channels."""
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sender_id, data FROM events ORDER BY id"))
        by_sender: dict = {}
        for sender, data in rows:
            by_sender.setdefault(sender, []).append(json.loads(data))
    counts: Counter = Counter()
    for events in by_sender.values():
        sessions: list = [[]]
        for event in events:
            if event["event"] == "action" and event["name"] == "action_session_start":
                sessions.append([])
            sessions[-1].append(event)
        for session in sessions:
            users = [e for e in session if e["event"] == "user"]
            if not users or users[0]["timestamp"] < since:
                continue
            counts["conversations"] += 1
            counts["messages"] += len(users)
            counts[CHANNELS.get(users[0].get("input_channel"), "autre")] += 1
            for event in session:
                if (
                    event["event"] == "slot"
                    and event["name"] == "triage"
                    and event["value"] in URGENT
                ):
                    counts[event["value"]] += 1
                if event["event"] == "slot" and event["name"] == "answered_topics":
                    counts.update(f"entry:{entry}" for entry in event["value"] or [])
                if event["event"] == "bot":
                    response = (event.get("metadata") or {}).get("utter_action")
                    counts[response] += 1
                    if response in URGENT_RESPONSES:
                        counts["said_" + URGENT_RESPONSES[response]] += 1
    return counts


def test_the_dashboard_counts_what_the_store_holds(assistant, client, tmp_path):
    question, warning, nonsense, no_sign, stopped = (new_sender("dashboard") for _ in range(5))
    client.send("c'est quoi une IRM ?", question)
    client.send("je n'arrive plus à marcher et mes jambes sont engourdies", warning)
    client.send(NONSENSE, nonsense)
    client.send("j'ai un peu mal en bas du dos depuis quelques jours", no_sign)
    for _ in range(5):
        client.send("/deny", no_sign)
    client.send("j'ai mal au dos depuis hier", stopped)
    client.send("j'en ai assez des questions, on arrête", stopped)
    assert client.slot(warning, "triage") == "urgence_immediate"
    assert client.slot(no_sign, "triage") == "non_urgent"

    out = tmp_path / "dashboard"
    run = subprocess.run(
        [
            str(VENV_BIN / "metastases-dashboard"),
            "--endpoints",
            str(assistant.endpoints),
            "--out",
            str(out),
            "--from",
            date.today().isoformat(),
        ],
        cwd=PROJECT,
        env={**os.environ, "TRANSCRIPT_PSEUDONYM_KEY": KEY},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    figures = json.loads((out / "dashboard.json").read_text(encoding="utf-8"))
    store = store_counts(
        engine_for(assistant.endpoints), datetime.combine(date.today(), time.min).timestamp()
    )

    assert figures["conversations"] == store["conversations"] >= 5
    assert figures["messages"] == store["messages"] >= 11
    assert sum(figures["conversations_per_day"].values()) == store["conversations"]
    assert sum(figures["messages_per_day"].values()) == store["messages"]
    # Each referral is the triage slot set to an urgent level, and one urgent message.
    for level in URGENT:
        assert figures["referrals"][level] == store[level] == store[f"said_{level}"]
    assert figures["referrals"]["urgence_immediate"] >= 1
    assert figures["questionnaires"]["non_urgent"] == store["utter_triage_non_urgent"] >= 1
    assert figures["questionnaires"]["interrompu"] == store["utter_questionnaire_interrompu"] >= 1
    assert figures["channels"] == {
        channel: store[channel] for channel in ("web", "messenger", "rest")
    } | ({"autre": store["autre"]} if store["autre"] else {})
    # The panel lists the most given entries, each with the store's count: this test's IRM answer
    # among them, unless as many others were given more often by the other server tests.
    listed = figures["entries"]
    assert listed and all(store[f"entry:{entry}"] == n for entry, n in listed.items())
    assert store["entry:irm.overview"] >= 1
    assert "irm.overview" in listed or min(listed.values()) >= store["entry:irm.overview"]

    name = pseudonym(namespaced("rest", warning), KEY.encode())
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{name}.html">{name}</a>' in page
    assert "je n&#x27;arrive plus à marcher" in (out / f"{name}.html").read_text(encoding="utf-8")
    with (out / "unanswered.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    (row,) = [
        row
        for row in rows
        if row["conversation"] == pseudonym(namespaced("rest", nonsense), KEY.encode())
    ]
    assert (row["message"], row["intention_predite"]) == (NONSENSE, "nlu_fallback")
    assert "Incompréhension" in row["raisons"]
    assert figures["unanswered"]["messages"] == len(rows)
    for path in out.iterdir():
        if path.suffix != ".png":
            text = path.read_text(encoding="utf-8-sig")
            assert not any(
                sender in text for sender in (question, warning, nonsense, no_sign, stopped)
            )
