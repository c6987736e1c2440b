"""make transcripts on real conversations with the running bot, from its SQLite tracker store."""

import csv
import os
import subprocess
from datetime import date, timedelta

from assistant.channels.sessions import namespaced
from assistant.stores.retention import engine_for, senders_between
from deploy.settings import PROJECT, VENV_BIN
from tools.client import new_sender
from tools.staff.pseudonyms import pseudonym
from tools.staff.transcript_pages import decimal

# Words in no language the model has seen: the NLU cannot guess an intent.
NONSENSE = "ꙮꙮ ꙮꙮ"

KEY = "server-test-key"


def export(endpoints, out, *options):
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
        env={**os.environ, "TRANSCRIPT_PSEUDONYM_KEY": KEY},
        capture_output=True,
        text=True,
    )


def stored(sender):
    """The conversation id the REST channel stores for `sender`."""
    return namespaced("rest", sender)


def page(out, sender):
    return (out / f"{pseudonym(stored(sender), KEY.encode())}.html").read_text(encoding="utf-8")


def test_real_conversations_are_exported_for_review(assistant, client, tmp_path):
    question, warning, nonsense = (new_sender("review") for _ in range(3))
    client.send("c'est quoi une IRM ?", question)
    client.send("je n'arrive plus à marcher et mes jambes sont engourdies", warning)
    client.send(NONSENSE, nonsense)
    asked = client.tracker(question)["latest_message"]["intent"]
    assert client.slot(warning, "triage") == "urgence_immediate"
    assert client.tracker(nonsense)["latest_message"]["intent"]["name"] == "nlu_fallback"

    out = tmp_path / "transcripts"
    run = export(assistant.endpoints, out)
    assert run.returncode == 0, run.stderr
    assert "exportée(s)" in run.stdout

    shown = page(out, question)
    assert "c&#x27;est quoi une IRM ?" in shown
    assert (
        f"intention <code>{asked['name']}</code><br>confiance {decimal(asked['confidence'])}"
        in shown
    )
    assert (
        'class="marker marker-urgent"' not in shown
        and 'class="marker marker-fallback"' not in shown
    )
    urgent = page(out, warning)
    assert "je n&#x27;arrive plus à marcher et mes jambes sont engourdies" in urgent
    assert "Niveau de triage : " in urgent and "Urgence immédiate" in urgent
    assert 'class="marker marker-urgent"' in urgent and "utter_urgence_moelle" in urgent
    not_understood = page(out, nonsense)
    assert NONSENSE in not_understood and "<code>nlu_fallback</code>" in not_understood
    assert 'class="marker marker-fallback"' in not_understood

    index = (out / "index.html").read_text(encoding="utf-8")
    for sender in (question, warning, nonsense):
        assert f'href="{pseudonym(stored(sender), KEY.encode())}.html"' in index
    with (out / "low_confidence.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    row = next(
        row for row in rows if row["conversation"] == pseudonym(stored(nonsense), KEY.encode())
    )
    assert (row["message"], row["intention_predite"]) == (NONSENSE, "nlu_fallback")
    assert all(row["intention_correcte"] == "" for row in rows)

    # No sender id of the store, in any exported file.
    senders = senders_between(engine_for(assistant.endpoints))
    assert {stored(question), stored(warning), stored(nonsense)} <= set(senders)
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8-sig")
        assert not any(sender in text for sender in senders), path.name


def test_filters_by_urgent_referral_fallback_and_date(assistant, client, tmp_path):
    warning, nonsense = new_sender("review"), new_sender("review")
    client.send("je n'arrive plus à marcher et mes jambes sont engourdies", warning)
    client.send(NONSENSE, nonsense)

    def exported(*options):
        out = tmp_path / "-".join(options)
        assert export(assistant.endpoints, out, *options).returncode == 0
        return {path.name for path in out.glob("patient-*.html")}

    warning_page, nonsense_page = (
        f"{pseudonym(stored(sender), KEY.encode())}.html" for sender in (warning, nonsense)
    )
    assert warning_page in exported("--urgent-only") - exported("--fallback-only")
    assert nonsense_page in exported("--fallback-only") - exported("--urgent-only")
    today, yesterday = date.today(), date.today() - timedelta(days=1)
    assert {warning_page, nonsense_page} <= exported(
        "--from", today.isoformat(), "--to", today.isoformat()
    )
    assert not {warning_page, nonsense_page} & exported("--to", yesterday.isoformat())
