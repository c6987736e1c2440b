"""The staff dashboard (make dashboard) on tracker stores filled with scripted conversations,
written by Rasa's own SQLTrackerStore with real Rasa events, on SQLite and on the machine's
PostgreSQL: every figure is checked exactly against the conversations of
tests/dashboard_conversations.py."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import uuid
from datetime import date

import pytest
import sqlalchemy as sa
import yaml
from rasa.shared.core.domain import Domain

import tools.dashboard
from assistant.stores.retention import engine_for
from content import DOMAIN_DIR
from deploy.settings import PROJECT, VENV_BIN
from tests.dashboard_conversations import (
    KEY,
    SENDERS,
    endpoints_file,
    name,
    postgresql_store,
    sqlite_store,
)
from tools.staff.dashboard_data import Message, read_sessions
from tools.staff.dashboard_labels import REASONS
from tools.staff.dashboard_page import GROUPS_SHOWN, dashboard_page
from tools.staff.dashboard_stats import Stats, UnansweredMessage, WordingGroup, compute
from tools.staff.transcripts import day_bounds
from tools.staff.unanswered_csv import COLUMNS, unanswered_rows


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def endpoints(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    domain = Domain.load(str(DOMAIN_DIR))
    database = f"metastases_dashboard_{uuid.uuid4().hex[:8]}"
    sqlite = request.param == "sqlite"
    store = sqlite_store(folder, domain) if sqlite else postgresql_store(domain, database)
    path = endpoints_file(folder, store)
    yield path
    if not sqlite:
        admin = engine_for(path).url.set(database="postgres")
        with sa.create_engine(admin, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def engine(endpoints):
    return engine_for(endpoints)


@pytest.fixture(scope="module")
def stats(engine):
    return compute(read_sessions(engine, KEY))


def march(day):
    return date(2026, 3, day)


def test_conversations_and_messages_per_day(stats):
    # Ten conversations: alice's two sessions count apart, ida wrote nothing.
    assert (stats.conversations, stats.messages) == (10, 22)
    assert (stats.first_day, stats.last_day) == (march(10), march(20))
    assert stats.conversations_per_day == {
        march(10): 1,
        march(11): 1,
        march(12): 3,
        march(13): 4,
        **{march(day): 0 for day in range(14, 20)},
        march(20): 1,
    }
    assert stats.messages_per_day == {
        march(10): 2,
        march(11): 1,
        march(12): 8,
        march(13): 10,
        **{march(day): 0 for day in range(14, 20)},
        march(20): 1,
    }
    # Messages: 1, 1, 1, 1, 2, 2, 2, 3, 3, 6; minutes from the first message to the last event:
    # 0, 0, 0, 0, 1, 2, 2, 3, 4, 5.
    assert stats.median_messages == 2
    assert stats.median_minutes == 1.5


def test_what_patients_ask(stats):
    # Not the questionnaire's answers (/affirm, /stop, /deny), not the messages not understood.
    assert dict(stats.intents) == {
        "ask_exams": 3,
        "report_back_pain": 4,
        "thanks": 2,
        "report_neuro_deficit": 1,
        "greet": 1,
        "report_hypercalcemia_signs": 1,
    }
    assert stats.intents[0] == ("report_back_pain", 4)
    assert stats.entries == [("irm.overview", 1), ("scintigraphie.overview", 1)]
    assert stats.answer_kinds == [("fact", 2), ("gap", 1)]


def test_urgent_referrals(stats):
    assert [(r.level, conversation) for conversation, r in stats.referrals] == [
        ("urgence_immediate", name("bob")),
        ("urgence_immediate", name("dave")),
        ("urgence_24h", name("gina")),
    ]
    per_day = {
        day: counts for day, counts in stats.referrals_per_day.items() if any(counts.values())
    }
    assert per_day == {
        march(11): {"urgence_immediate": 1, "urgence_24h": 0},
        march(12): {"urgence_immediate": 1, "urgence_24h": 0},
        march(13): {"urgence_immediate": 0, "urgence_24h": 1},
    }
    # Only bob wrote nothing after his referral.
    assert (stats.with_referral, stats.ended_after_referral) == (3, 1)


def test_messages_not_answered_well_grouped_by_wording(stats):
    groups = [
        [(m.pseudonym, m.message.text, m.message.reasons) for m in g.messages]
        for g in stats.unanswered
    ]
    assert groups == [
        [
            (name("carol"), "c quoi une scintigrafie", ("gap",)),
            (name("jack"), "c'est quoi la scintigraphie ?", ("fallback", "low-confidence")),
        ],
        [(name("carol"), "<script>alert('x')</script>", ("fallback", "low-confidence"))],
        [(name("carol"), "=1+1", ("low-confidence",))],
        [(name("dave"), "merci, j'appelle le 15", ("low-confidence",))],
        [(name("gina"), "c'est grave ?", ("fallback", "low-confidence"))],
    ]
    counts = [
        stats.unanswered_count(reason) for reason in (None, "fallback", "gap", "low-confidence")
    ]
    assert counts == [6, 3, 1, 5]


def test_questionnaire_outcomes_and_channels(stats):
    assert stats.questionnaires == {
        "urgence_immediate": 1,
        "urgence_24h": 0,
        "non_urgent": 1,
        "interrompu": 1,
        "sans_fin": 1,
    }
    assert stats.channels == {"web": 6, "messenger": 2, "rest": 2}


def test_a_period_keeps_the_conversations_started_in_it(engine):
    one_day = compute(
        read_sessions(engine, KEY, *day_bounds(march(12), march(12))), march(12), march(12)
    )
    assert (one_day.conversations, one_day.messages) == (3, 8)
    assert one_day.conversations_per_day == {march(12): 3}
    assert [conversation for conversation, _ in one_day.referrals] == [name("dave")]
    assert one_day.questionnaires["interrompu"] == 1 and one_day.channels == {
        "web": 2,
        "messenger": 0,
        "rest": 1,
    }
    since = compute(read_sessions(engine, KEY, *day_bounds(march(13), None)), march(13))
    assert since.conversations == 5 and since.first_day == march(13)
    assert compute(read_sessions(engine, KEY, *day_bounds(march(21), None))).conversations == 0


def dashboard(endpoints, out, *options):
    return subprocess.run(
        [
            str(VENV_BIN / "metastases-dashboard"),
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


def test_the_cli_writes_the_page_its_charts_the_csv_and_the_figures(endpoints, tmp_path):
    out = tmp_path / "dashboard"
    run = dashboard(endpoints, out)
    assert run.returncode == 0, run.stderr
    assert "(10 conversation(s), 22 message(s)" in run.stdout
    assert (
        "3 orientation(s) urgente(s) dans 3 conversation(s) ; 6 message(s) sans bonne réponse en 5 groupe(s)"
        in (run.stdout)
    )
    referred = sorted(f"{name(sender)}.html" for sender in ("bob", "dave", "gina"))
    charts = [
        "activite.png",
        "canaux.png",
        "fiches.png",
        "intentions.png",
        "orientations_urgentes.png",
    ]
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [*charts, "questionnaire.png", "dashboard.json", "index.html", "unanswered.csv", *referred]
    )
    for chart in [*charts, "questionnaire.png"]:
        assert (out / chart).read_bytes().startswith(b"\x89PNG")

    figures = json.loads((out / "dashboard.json").read_text(encoding="utf-8"))
    assert (figures["conversations"], figures["messages"]) == (10, 22)
    assert figures["referrals"] == {"urgence_immediate": 1 + 1, "urgence_24h": 1}
    assert figures["unanswered"] == {
        "messages": 6,
        "groups": 5,
        "fallback": 3,
        "gap": 1,
        "low-confidence": 5,
    }
    assert figures["ended_after_referral"] == 1 and figures["conversations_with_referral"] == 3
    assert figures["channels"] == {"web": 6, "messenger": 2, "rest": 2}
    assert figures["conversations_per_day"]["2026-03-13"] == 4

    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "<script" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    for sender in ("bob", "dave", "gina"):
        assert f'<a href="{name(sender)}.html">{name(sender)}</a>' in page
    assert (
        "1 des 3 conversations avec une orientation urgente (33,33 %) se sont terminées juste après"
        in page
    )
    assert "soit 10 % des 10 conversations" in page
    assert "<td>Sans fin (patient parti)</td><td><span" in page  # the questionnaire's table
    assert 'alt="Graphique : conversations et messages des patients par jour.' in page
    transcript = (out / f"{name('bob')}.html").read_text(encoding="utf-8")
    assert "← Tableau de bord" in transcript and "je n&#x27;arrive plus à marcher" in transcript

    with (out / "unanswered.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0] == COLUMNS
    assert [row[:3] + row[5:9] for row in rows[1:]] == [
        [
            "1",
            "2",
            "c quoi une scintigrafie",
            "c quoi une scintigrafie",
            "Pas d'information",
            "ask_exams",
            "0,900",
        ],
        [
            "1",
            "2",
            "c quoi une scintigrafie",
            "c'est quoi la scintigraphie ?",
            "Incompréhension, Confiance faible",
            "nlu_fallback",
            "0,400",
        ],
        [
            "2",
            "1",
            "<script>alert('x')</script>",
            "<script>alert('x')</script>",
            "Incompréhension, Confiance faible",
            "nlu_fallback",
            "0,350",
        ],
        ["3", "1", "'=1+1", "'=1+1", "Confiance faible", "greet", "0,500"],
        [
            "4",
            "1",
            "merci, j'appelle le 15",
            "merci, j'appelle le 15",
            "Confiance faible",
            "thanks",
            "0,400",
        ],
        [
            "5",
            "1",
            "c'est grave ?",
            "c'est grave ?",
            "Incompréhension, Confiance faible",
            "nlu_fallback",
            "0,300",
        ],
    ]
    assert all(row[9] == row[10] == "" for row in rows[1:])
    for path in out.iterdir():
        if path.suffix != ".png":
            assert not any(
                sender in path.read_text(encoding="utf-8-sig")
                for sender in SENDERS
                if len(sender) > 3
            )


def test_an_empty_period_and_bad_input_get_clear_answers(endpoints, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRANSCRIPT_PSEUDONYM_KEY", KEY.decode())
    out = tmp_path / "empty"

    def run(endpoints, *options):
        return tools.dashboard.main(["--endpoints", str(endpoints), "--out", str(out), *options])

    assert run(endpoints, "--from", "2027-01-01") == 0
    assert "(0 conversation(s), 0 message(s)" in capsys.readouterr().out
    assert "Aucune conversation sur la période." in (out / "index.html").read_text(encoding="utf-8")
    assert not list(out.glob("*.png"))

    for options, message in [
        (("--from", "31/01/2026"), "date attendue au format AAAA-MM-JJ"),
        (("--from", "2026-03-13", "--to", "2026-03-12"), "--from is after --to"),
    ]:
        with pytest.raises(SystemExit) as exit:
            run(endpoints, *options)
        assert exit.value.code == 2 and message in capsys.readouterr().err

    missing = tmp_path / "missing.yml"
    missing.write_text(
        yaml.safe_dump(
            {"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "none.db")}}
        )
    )
    assert run(missing) == 2 and "n'existe pas" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    monkeypatch.delenv("TRANSCRIPT_PSEUDONYM_KEY")
    monkeypatch.setattr("tools.staff.pseudonyms.read_dotenv", lambda: {})
    assert (
        run(endpoints) == 2
        and "TRANSCRIPT_PSEUDONYM_KEY est introuvable" in capsys.readouterr().err
    )


def test_a_long_list_of_groups_is_cut_on_the_page_not_in_the_csv(tmp_path):
    messages = [
        UnansweredMessage(
            "patient-0", Message(0.0, f"question {n}", "nlu_fallback", 0.2, "rest", ("fallback",))
        )
        for n in range(GROUPS_SHOWN + 2)
    ]
    stats = Stats(conversations=1, messages=len(messages), first_day=march(1), last_day=march(1))
    stats.unanswered = [WordingGroup([message]) for message in messages]
    page = dashboard_page(stats, [], 0.6, {}, [])
    assert f"({GROUPS_SHOWN} premiers ; les 2 autres sont dans unanswered.csv)" in page
    assert (
        f"<li>question {GROUPS_SHOWN - 1}</li>" in page
        and f"<li>question {GROUPS_SHOWN}</li>" not in page
    )
    assert len(unanswered_rows(stats.unanswered, REASONS)) == GROUPS_SHOWN + 2
