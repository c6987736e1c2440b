"""The conversation review (make transcripts) on a real SQLite tracker store written by Rasa's
own SQLTrackerStore with real Rasa events."""

import asyncio
import csv
import os
import re
import subprocess
from datetime import date, datetime

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.stores.retention import engine_for
from content import DOMAIN_DIR
from deploy.settings import PROJECT, VENV_BIN
from tools.staff.pseudonyms import pseudonym
from tools.staff.transcript_csv import COLUMNS, unsure_rows, write_csv
from tools.staff.transcript_pages import conversation_page, index_page
from tools.staff.transcripts import (
    FALLBACK,
    UNSURE,
    URGENT,
    StoreError,
    check_store,
    day_bounds,
    read_conversations,
    selected,
)

KEY = b"test-key"
ALICE, BOB, CAROL, DAVE = "alice-7f1e2d", "bob-93ac55", "carol-0b4d11", "dave-5e6f70"


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute).timestamp()


def user(text, intent, confidence, timestamp, ranking=()):
    parse_data = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": name, "confidence": value} for name, value in ranking],
        "entities": [],
        "text": text,
    }
    return UserUttered(text, parse_data=parse_data, timestamp=timestamp)


def bot(text, response, timestamp, buttons=()):
    data = (
        {"buttons": [{"title": title, "payload": f"/{title}"} for title in buttons]}
        if buttons
        else None
    )
    return BotUttered(
        text, data, {"utter_action": response} if response else {}, timestamp=timestamp
    )


def session(timestamp):
    """A session start as Rasa stores it: the action, its welcome message, then the event."""
    return [
        ActionExecuted("action_session_start", timestamp=timestamp),
        bot("Bonjour, je suis l'assistant.", "utter_bienvenue", timestamp),
        SessionStarted(timestamp=timestamp),
    ]


CONVERSATIONS = {
    # A question on 10 March, and another session ten days later.
    ALICE: [
        *session(at(10, 9)),
        user("c'est quoi une IRM ?", "ask_exam", 0.95, at(10, 9, 1)),
        # A custom action's answer: no response name.
        ActionExecuted("action_answer_from_knowledge", timestamp=at(10, 9, 1)),
        bot("L'IRM est un examen…", None, at(10, 9, 1), buttons=("Autre question", "Merci")),
        *session(at(20, 14)),
        user("merci", "thanks", 0.99, at(20, 14, 1)),
        bot("Avec plaisir.", "utter_thanks", at(20, 14, 1)),
    ],
    # A warning sign on 11 March.
    BOB: [
        *session(at(11, 10)),
        user("je n'arrive plus à marcher", "report_neuro_deficit", 0.98, at(11, 10, 1)),
        SlotSet("triage", "urgence_immediate", timestamp=at(11, 10, 1)),
        bot("⚠️ URGENCE. Appelez le 15.", "utter_urgence_moelle", at(11, 10, 1)),
    ],
    # A message not understood (the fallback marks it and its answer), then an unsure one, on 12 March.
    CAROL: [
        *session(at(12, 11)),
        user(
            "<script>alert('x')</script>",
            "nlu_fallback",
            0.35,
            at(12, 11, 1),
            ranking=(("nlu_fallback", 0.35), ("greet", 0.2), ("thanks", 0.1)),
        ),
        bot("Je n'ai pas bien compris votre message.", "utter_default", at(12, 11, 1)),
        user("=1+1", "greet", 0.5, at(12, 11, 2)),
        bot("Bonjour !", "utter_greet", at(12, 11, 2)),
    ],
    # The widget opened, the welcome shown, nothing written: nothing to review.
    DAVE: session(at(12, 12)),
}


def sqlite_endpoints(folder, database):
    """An endpoints file naming this SQLite tracker store."""
    path = folder / f"{database.stem}-endpoints.yml"
    path.write_text(
        yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(database)}})
    )
    return path


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    domain = Domain.load(str(DOMAIN_DIR))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(folder / "trackers.db"))
    for sender, events in CONVERSATIONS.items():
        asyncio.run(
            store.save(DialogueStateTracker.from_events(sender, events, slots=domain.slots))
        )
    store.engine.dispose()
    return sqlite_endpoints(folder, folder / "trackers.db")


@pytest.fixture(scope="module")
def engine(endpoints):
    return engine_for(endpoints)


@pytest.fixture(scope="module")
def conversations(engine):
    return {
        conversation.pseudonym: conversation for conversation in read_conversations(engine, KEY)
    }


def test_pseudonyms_are_stable_keyed_and_hide_the_sender():
    name = pseudonym(ALICE, KEY)
    assert re.fullmatch(r"patient-[0-9a-f]{12}", name)
    assert pseudonym(ALICE, KEY) == name
    assert pseudonym(ALICE, b"another key") != name
    assert pseudonym(BOB, KEY) != name
    assert "alice" not in name


def test_conversations_are_read_in_order_with_intents_and_answers(conversations):
    assert list(conversations) == [pseudonym(sender, KEY) for sender in (ALICE, BOB, CAROL)]
    alice = conversations[pseudonym(ALICE, KEY)]
    kinds = ["session", "bot", "patient", "bot"]
    assert [entry.kind for entry in alice.entries] == kinds + kinds
    question, answer = alice.entries[2:4]
    assert (question.text, question.intent, question.confidence) == (
        "c'est quoi une IRM ?",
        "ask_exam",
        0.95,
    )
    assert (answer.response, answer.buttons) == (
        "action_answer_from_knowledge",
        ("Autre question", "Merci"),
    )
    assert (alice.messages("patient"), alice.messages("bot")) == (2, 4)
    assert alice.triage is None and not any(
        alice.count(marker) for marker in (URGENT, FALLBACK, UNSURE)
    )


def test_markers_on_urgent_referrals_fallbacks_and_low_confidence(conversations, engine):
    bob, carol = conversations[pseudonym(BOB, KEY)], conversations[pseudonym(CAROL, KEY)]
    assert bob.triage == "urgence_immediate"
    assert [entry.markers for entry in bob.entries if entry.kind == "triage"] == [(URGENT,)]
    assert (bob.count(URGENT), bob.count(FALLBACK), bob.count(UNSURE)) == (1, 0, 0)
    not_understood, default_answer = carol.entries[2:4]
    assert not_understood.markers == (FALLBACK, UNSURE) and not_understood.runner_up == "greet"
    assert default_answer.markers == (FALLBACK,)
    # The message and its default answer are one fallback.
    assert (carol.count(URGENT), carol.count(FALLBACK), carol.count(UNSURE)) == (0, 1, 2)
    stricter = {c.pseudonym: c for c in read_conversations(engine, KEY, threshold=0.4)}
    assert stricter[carol.pseudonym].count(UNSURE) == 1


def test_filters_by_dates_urgent_referrals_and_fallbacks(engine, conversations):
    def names(first=None, last=None, urgent_only=False, fallback_only=False):
        found = read_conversations(engine, KEY, *day_bounds(first, last))
        return [c.pseudonym for c in found if selected(c, urgent_only, fallback_only)]

    alice, bob, carol = (pseudonym(sender, KEY) for sender in (ALICE, BOB, CAROL))
    assert names(date(2026, 3, 11), date(2026, 3, 11)) == [bob]
    assert names(date(2026, 3, 11)) == [bob, carol, alice]  # Alice wrote again on 20 March
    assert names(last=date(2026, 3, 10)) == [alice]
    assert names(urgent_only=True) == [bob]
    assert names(fallback_only=True) == [carol]
    assert names(urgent_only=True, fallback_only=True) == []
    # Only the sessions active in the range are shown.
    first_session = next(
        read_conversations(engine, KEY, *day_bounds(date(2026, 3, 10), date(2026, 3, 10)))
    )
    assert [entry.kind for entry in first_session.entries] == ["session", "bot", "patient", "bot"]
    assert first_session.entries[2].text == "c'est quoi une IRM ?"
    assert len(conversations[alice].entries) == 8


def test_pages_are_french_self_contained_and_escape_what_patients_type(conversations):
    carol = conversations[pseudonym(CAROL, KEY)]
    page = conversation_page(carol, 0.6)
    assert '<html lang="fr">' in page
    assert "<script" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<link" not in page and "src=" not in page and "http" not in page
    assert "nlu_fallback" in page and "confiance 0,35" in page and "utter_default" in page
    assert (
        'class="marker marker-fallback"' in page and 'class="marker marker-low-confidence"' in page
    )
    bob = conversation_page(conversations[pseudonym(BOB, KEY)], 0.6)
    assert 'class="marker marker-urgent"' in bob and "Urgence immédiate" in bob
    index = index_page(list(conversations.values()), ["depuis le 01/03/2026"], 0.6, 2)
    for name in conversations:
        assert f'href="{name}.html"' in index
    for page in (index, bob, conversation_page(conversations[pseudonym(ALICE, KEY)], 0.6)):
        assert not any(sender in page for sender in CONVERSATIONS)


def test_csv_lists_the_unsure_messages_for_labelling(conversations, tmp_path):
    path = tmp_path / "low_confidence.csv"
    write_csv(path, unsure_rows(conversations.values()))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    carol = pseudonym(CAROL, KEY)
    assert rows == [
        COLUMNS,
        [
            "2026-03-12 11:01:00",
            carol,
            "<script>alert('x')</script>",
            "nlu_fallback",
            "0,350",
            "greet",
            "",
        ],
        # Not a formula for Excel.
        ["2026-03-12 11:02:00", carol, "'=1+1", "greet", "0,500", "", ""],
    ]


def test_store_errors_are_clear_and_create_nothing(tmp_path):
    missing = sqlite_endpoints(tmp_path, tmp_path / "none.db")
    with pytest.raises(StoreError, match="n'existe pas"):
        check_store(engine_for(missing))
    assert not (tmp_path / "none.db").exists()
    (tmp_path / "none.db").touch()
    with pytest.raises(StoreError, match="pas de table `events`"):
        check_store(engine_for(missing))


def test_the_cli_exports_pseudonymised_pages_and_fails_clearly(endpoints, tmp_path):
    out = tmp_path / "export"

    def export(endpoints, *options):
        return subprocess.run(
            [
                str(VENV_BIN / "metastases-transcripts"),
                "--endpoints",
                str(endpoints),
                "--out",
                str(out),
                *options,
            ],
            cwd=PROJECT,
            env={**os.environ, "TRANSCRIPT_PSEUDONYM_KEY": KEY.decode()},
            capture_output=True,
            text=True,
        )

    assert "3 conversation(s) exportée(s)" in export(endpoints).stdout
    run = export(endpoints, "--urgent-only")
    assert run.returncode == 0, run.stderr
    assert "1 conversation(s) exportée(s)" in run.stdout
    # The pages of the earlier export are gone.
    expected = ["index.html", "low_confidence.csv", f"{pseudonym(BOB, KEY)}.html"]
    assert sorted(path.name for path in out.iterdir()) == expected
    for path in out.iterdir():
        assert not any(sender in path.read_text(encoding="utf-8-sig") for sender in CONVERSATIONS)

    run = export(sqlite_endpoints(tmp_path, tmp_path / "none.db"))
    assert run.returncode == 2 and "n'existe pas" in run.stderr
