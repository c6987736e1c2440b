"""Scripted conversations for the staff dashboard's tests (tests/unit/test_dashboard.py checks
every figure against them; tests/browser/test_dashboard_page.py shows them): real Rasa events,
saved by Rasa's own SQLTrackerStore on SQLite or on the machine's PostgreSQL."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from content import DOMAIN_DIR
from deploy.settings import production_env
from tools.staff.pseudonyms import pseudonym

KEY = b"dashboard-test-key"
FORM = "warning_signs_form"


def at(day, hour, minute=0, second=0):
    return datetime(2026, 3, day, hour, minute, second).timestamp()


def session(timestamp):
    return [
        ActionExecuted("action_session_start", timestamp=timestamp),
        BotUttered("Bonjour.", None, {"utter_action": "utter_bienvenue"}, timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
    ]


def user(text, intent, confidence, timestamp, channel):
    parse_data = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [],
        "text": text,
    }
    return UserUttered(text, parse_data=parse_data, timestamp=timestamp, input_channel=channel)


def says(response, timestamp, text="…"):
    return [
        ActionExecuted(response, timestamp=timestamp),
        BotUttered(text, None, {"utter_action": response}, timestamp=timestamp),
    ]


def knowledge(timestamp, entries, kind):
    return [
        ActionExecuted("action_answer_from_knowledge", timestamp=timestamp),
        BotUttered("Réponse de la base.", None, {}, timestamp=timestamp),
        SlotSet("answered_topics", entries, timestamp=timestamp),
        SlotSet("answer_kind", kind, timestamp=timestamp),
    ]


def fallback(timestamp):
    return [
        ActionExecuted("action_default_fallback", timestamp=timestamp),
        BotUttered(
            "Je n'ai pas bien compris.",
            None,
            {"utter_action": "utter_default"},
            timestamp=timestamp,
        ),
    ]


# The referral texts of a family at each level (content/domain/safety.yml).
REFERRAL_RESPONSE = {
    "urgence_immediate": "utter_urgence_moelle",
    "urgence_24h": "utter_urgence_fracture",
}


def referral(level, timestamp):
    return [
        SlotSet("triage", level, timestamp=timestamp),
        *says(REFERRAL_RESPONSE[level], timestamp),
    ]


def questionnaire(timestamp):
    return [
        *says("utter_questionnaire_intro", timestamp),
        ActionExecuted(FORM, timestamp=timestamp),
        ActiveLoop(FORM, timestamp=timestamp),
        BotUttered(
            "1/5", None, {"utter_action": "utter_ask_warning_weakness"}, timestamp=timestamp
        ),
    ]


def form_ends(timestamp):
    return [ActionExecuted(FORM, timestamp=timestamp), ActiveLoop(None, timestamp=timestamp)]


WEB, MESSENGER, REST = "socketio", "facebook", "rest"
SENDERS = ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "hugo", "ida", "jack"]
CONVERSATIONS = {
    # Two knowledge answers on 10 March, and a second session on the 20th.
    "alice": [
        *session(at(10, 9)),
        user("c'est quoi une IRM ?", "ask_exams", 0.95, at(10, 9, 1), WEB),
        *knowledge(at(10, 9, 1), ["irm.overview"], "fact"),
        user("et la scintigraphie ?", "ask_exams", 0.9, at(10, 9, 5), WEB),
        *knowledge(at(10, 9, 5), ["scintigraphie.overview"], "fact"),
        *session(at(20, 14)),
        user("merci", "thanks", 0.99, at(20, 14, 1), WEB),
        *says("utter_de_rien", at(20, 14, 1)),
    ],
    # A warning sign, then nothing more: the conversation ended after the referral.
    "bob": [
        *session(at(11, 10)),
        user("je n'arrive plus à marcher", "report_neuro_deficit", 0.98, at(11, 10, 1), MESSENGER),
        *referral("urgence_immediate", at(11, 10, 1)),
    ],
    # Not understood; unsure; then the honest "no information" answer.
    "carol": [
        *session(at(12, 11)),
        user("<script>alert('x')</script>", "nlu_fallback", 0.35, at(12, 11, 1), REST),
        *fallback(at(12, 11, 1)),
        user("=1+1", "greet", 0.5, at(12, 11, 2), REST),
        *says("utter_salut", at(12, 11, 2)),
        user("c quoi une scintigrafie", "ask_exams", 0.9, at(12, 11, 4), REST),
        *knowledge(at(12, 11, 4), [], "gap"),
    ],
    # The questionnaire: a yes to the first question is urgent; the patient writes again after.
    "dave": [
        *session(at(12, 12)),
        user("j'ai mal au dos", "report_back_pain", 0.97, at(12, 12, 1), WEB),
        *questionnaire(at(12, 12, 1)),
        user("/affirm", "affirm", 1.0, at(12, 12, 2), WEB),
        *form_ends(at(12, 12, 2)),
        *referral("urgence_immediate", at(12, 12, 2)),
        user("merci, j'appelle le 15", "thanks", 0.4, at(12, 12, 3), WEB),
        *says("utter_de_rien", at(12, 12, 3)),
    ],
    # The questionnaire stopped by the patient.
    "erin": [
        *session(at(12, 13)),
        user("mal au dos la nuit", "report_back_pain", 0.93, at(12, 13, 1), WEB),
        *questionnaire(at(12, 13, 1)),
        user("/stop", "stop", 1.0, at(12, 13, 2), WEB),
        *form_ends(at(12, 13, 2)),
        *says("utter_questionnaire_interrompu", at(12, 13, 2)),
    ],
    # The questionnaire left unanswered.
    "frank": [
        *session(at(13, 8)),
        user("douleur dans le dos", "report_back_pain", 0.91, at(13, 8, 1), MESSENGER),
        *questionnaire(at(13, 8, 1)),
    ],
    # A sign to see within 24 h, then a question not understood.
    "gina": [
        *session(at(13, 9)),
        user("j'ai très soif et je vomis", "report_hypercalcemia_signs", 0.96, at(13, 9, 1), WEB),
        *referral("urgence_24h", at(13, 9, 1)),
        user("c'est grave ?", "nlu_fallback", 0.3, at(13, 9, 3), WEB),
        *fallback(at(13, 9, 3)),
    ],
    # The questionnaire to its end: no warning sign.
    "hugo": [
        *session(at(13, 10)),
        user("mal au dos", "report_back_pain", 0.95, at(13, 10, 1), REST),
        *questionnaire(at(13, 10, 1)),
        *[
            event
            for minute in range(2, 7)
            for event in (
                user("/deny", "deny", 1.0, at(13, 10, minute), REST),
                ActionExecuted(FORM, timestamp=at(13, 10, minute)),
            )
        ],
        ActiveLoop(None, timestamp=at(13, 10, 6)),
        SlotSet("triage", "non_urgent", timestamp=at(13, 10, 6)),
        *says("utter_triage_non_urgent", at(13, 10, 6)),
    ],
    # The widget opened, nothing written: not a conversation.
    "ida": session(at(12, 14)),
    # The same question as carol's gap, in other words, not understood.
    "jack": [
        *session(at(13, 11)),
        user("c'est quoi la scintigraphie ?", "nlu_fallback", 0.4, at(13, 11, 1), WEB),
        *fallback(at(13, 11, 1)),
    ],
}


def name(sender):
    return pseudonym(sender, KEY)


def save(store, domain):
    """Saves every scripted conversation into `store`, in a thread of its own: the browser
    tests' Playwright already runs an event loop in this one."""

    async def save_all():
        for sender, events in CONVERSATIONS.items():
            await store.save(DialogueStateTracker.from_events(sender, events, slots=domain.slots))

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, save_all()).result()
    store.engine.dispose()


def sqlite_store(folder, domain=None):
    """A SQLite store of the conversations in `folder`: its endpoints' tracker_store section."""
    domain = domain or Domain.load(str(DOMAIN_DIR))
    database = folder / "trackers.db"
    save(SQLTrackerStore(domain, dialect="sqlite", db=str(database)), domain)
    return {"type": "SQL", "dialect": "sqlite", "db": str(database)}


def postgresql_store(domain, database):
    """The conversations in a new PostgreSQL database: its endpoints' tracker_store section."""
    settings = production_env()
    options = {
        "dialect": "postgresql",
        "host": settings["POSTGRES_HOST"],
        "port": int(settings["POSTGRES_PORT"]),
        "db": database,
        "username": settings["POSTGRES_USER"],
        "password": settings["POSTGRES_PASSWORD"],
    }
    # The machine's PostgreSQL, as the production profile's tests use it: said at once if absent.
    server = sa.engine.URL.create(
        "postgresql",
        options["username"],
        options["password"] or None,
        options["host"],
        options["port"],
        "postgres",
    )
    try:
        with sa.create_engine(server).connect():
            pass
    except sa.exc.OperationalError as error:
        raise RuntimeError(
            f"PostgreSQL is not reachable at {options['host']}:{options['port']} "
            f"(POSTGRES_* of deploy/settings.py): {error.orig}"
        ) from error
    # login_db: Rasa creates the database.
    save(SQLTrackerStore(domain, login_db="postgres", **options), domain)
    return {"type": "SQL", **{("url" if k == "host" else k): v for k, v in options.items()}}


def endpoints_file(folder: Path, store: dict) -> Path:
    """An endpoints file naming this tracker store."""
    path = folder / "endpoints.yml"
    path.write_text(yaml.safe_dump({"tracker_store": store}))
    return path
