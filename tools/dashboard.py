# ruff: noqa: E402 - the imports follow the warnings setting on purpose.
"""make dashboard: a static HTML page for the staff from the tracker store, with PNG charts:
conversations and messages per day, what patients ask, urgent referrals per day with links to
their transcripts, the questions the bot could not answer grouped by wording (and a CSV to
label), the warning-sign questionnaire's outcomes, the channels. Pseudonymised like the
transcripts. Reads the embedded store (endpoints.yml, SQLite) unless told otherwise."""

import argparse
import json
import os
import sys
import warnings
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Dict, List, Sequence

# Staff read the summary, not the deprecation warnings of Rasa's libraries (as make transcripts).
warnings.showwarning = lambda *args, **kwargs: None

from assistant.stores.retention import engine_for
from deploy.settings import PROJECT, production_env
from tools.staff import dashboard_plots as plots
from tools.staff.dashboard_data import Session, read_sessions
from tools.staff.dashboard_labels import CHANNELS, LEVELS, OUTCOMES, REASONS, entry_titles
from tools.staff.dashboard_page import (
    ACTIVITY_PNG,
    CHANNELS_PNG,
    ENTRIES_PNG,
    INTENTS_PNG,
    QUESTIONNAIRE_PNG,
    REFERRALS_PNG,
    dashboard_page,
)
from tools.staff.dashboard_stats import Stats, compute
from tools.staff.pseudonyms import MissingKeyError, pseudonym_key
from tools.staff.transcript_csv import write_csv
from tools.staff.transcript_pages import conversation_page, decimal
from tools.staff.transcripts import (
    LOW_CONFIDENCE,
    Conversation,
    StoreError,
    check_store,
    day_bounds,
)
from tools.staff.unanswered_csv import COLUMNS, CSV_NAME, unanswered_rows
from tools.transcripts import day

JSON_NAME = "dashboard.json"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--from", dest="first", type=day, metavar="YYYY-MM-DD", help="conversations from this day"
    )
    parser.add_argument(
        "--to", dest="last", type=day, metavar="YYYY-MM-DD", help="conversations up to this day"
    )
    parser.add_argument(
        "--low-confidence",
        type=float,
        default=LOW_CONFIDENCE,
        metavar="THRESHOLD",
        help=f"confidence under which a message is listed (default {LOW_CONFIDENCE})",
    )
    parser.add_argument(
        "--endpoints",
        type=Path,
        default=Path("endpoints.yml"),
        help="endpoints file naming the tracker store (endpoints.prod.yml: PostgreSQL)",
    )
    parser.add_argument("--out", type=Path, default=Path("results/dashboard"), help="output folder")
    args = parser.parse_args(argv)
    if args.first and args.last and args.first > args.last:
        parser.error("--from is after --to")
    return args


def filters(args: argparse.Namespace) -> List[str]:
    described = []
    if args.first:
        described.append(f"depuis le {args.first:%d/%m/%Y}")
    if args.last:
        described.append(f"jusqu'au {args.last:%d/%m/%Y}")
    return described


def referral_transcripts(sessions: List[Session]) -> Dict[str, Conversation]:
    """The transcripts of the conversations with an urgent referral, one page a patient."""
    entries: Dict[str, list] = defaultdict(list)
    for session in sessions:
        if session.referrals:
            entries[session.pseudonym].extend(session.conversation.entries)
    return {name: Conversation(name, lines) for name, lines in entries.items()}


def draw(stats: Stats, out: Path, titles: Dict[str, str]) -> None:
    plots.activity(out / ACTIVITY_PNG, stats.conversations_per_day, stats.messages_per_day)
    if stats.intents:
        plots.ranking(out / INTENTS_PNG, "Intentions les plus fréquentes", stats.intents)
    if stats.entries:
        named = [(titles.get(entry, entry), count) for entry, count in stats.entries]
        plots.ranking(out / ENTRIES_PNG, "Fiches les plus données", named)
    if stats.referrals:
        plots.referrals(out / REFERRALS_PNG, stats.referrals_per_day, LEVELS)
    if any(stats.questionnaires.values()):
        outcomes = [(OUTCOMES[name], count) for name, count in stats.questionnaires.items()]
        plots.ranking(out / QUESTIONNAIRE_PNG, "Fin des questionnaires", outcomes, plots.GREY)
    channels = [(CHANNELS[name], count) for name, count in stats.channels.items()]
    plots.ranking(out / CHANNELS_PNG, "Conversations par canal", channels)


def write_dashboard(
    out: Path,
    sessions: List[Session],
    first: date | None,
    last: date | None,
    threshold: float,
    described_filters: List[str],
    now: datetime | None = None,
) -> Stats:
    """Writes the dashboard of these conversations into `out`; returns its figures."""
    stats = compute(sessions, first, last)
    titles = entry_titles()
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)  # health data
    # What an earlier export wrote may show conversations purged since.
    for old in [*out.glob("patient-*.html"), *out.glob("*.png")]:
        old.unlink()
    if stats.conversations:
        draw(stats, out, titles)
    transcripts = referral_transcripts(sessions)
    for name, conversation in transcripts.items():
        (out / f"{name}.html").write_text(
            conversation_page(conversation, threshold, back="Tableau de bord"), encoding="utf-8"
        )
    write_csv(out / CSV_NAME, unanswered_rows(stats.unanswered, REASONS), COLUMNS)
    (out / JSON_NAME).write_text(json.dumps(stats.as_dict(), indent=2) + "\n", encoding="utf-8")
    page = dashboard_page(stats, described_filters, threshold, titles, transcripts, now)
    (out / "index.html").write_text(page, encoding="utf-8")
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # endpoints.prod.yml names its database through these variables.
    for name, value in production_env().items():
        os.environ.setdefault(name, value)
    engine = engine_for(PROJECT / args.endpoints)
    if engine is None:
        print(
            f"{args.endpoints} : pas de base SQL des conversations (il faut un tracker_store SQL)",
            file=sys.stderr,
        )
        return 2
    try:
        key = pseudonym_key()
        check_store(engine)
        start, end = day_bounds(args.first, args.last)
        sessions = list(read_sessions(engine, key, start, end, args.low_confidence))
    except (MissingKeyError, StoreError) as error:
        print(f"{args.endpoints} : {error}", file=sys.stderr)
        return 2

    out = args.out  # relative to the repository, like --endpoints
    stats = write_dashboard(
        out, sessions, args.first, args.last, args.low_confidence, filters(args)
    )
    print(
        f"Tableau de bord : {out}/index.html ({stats.conversations} conversation(s), "
        f"{stats.messages} message(s) ; filtres : {', '.join(filters(args)) or 'aucun'})"
    )
    print(
        f"  {len(stats.referrals)} orientation(s) urgente(s) dans {stats.with_referral} conversation(s) ;"
        f" {stats.unanswered_count()} message(s) sans bonne réponse en {len(stats.unanswered)} groupe(s)"
        f" (confiance faible : sous {decimal(args.low_confidence)}) : {out / CSV_NAME}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
