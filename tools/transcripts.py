# ruff: noqa: E402 - the imports follow the warnings setting on purpose.
"""make transcripts: exports the stored conversations as HTML pages for staff to review (one a
conversation and an index), with a CSV of the messages the bot was unsure of. Sender ids are
pseudonymised. Reads the embedded store (endpoints.yml, SQLite) unless told otherwise."""

import argparse
import os
import sys
import warnings
from datetime import date
from pathlib import Path

# Staff read the summary: not the deprecation warnings of Rasa's libraries, which Rasa turns
# back on while it loads; so this comes before the imports below.
warnings.showwarning = lambda *args, **kwargs: None

from assistant.stores.retention import engine_for
from deploy.settings import PROJECT, production_env
from tools.staff.pseudonyms import MissingKeyError, pseudonym_key
from tools.staff.transcript_csv import unsure_rows, write_csv
from tools.staff.transcript_pages import CSV_NAME, conversation_page, decimal, index_page
from tools.staff.transcripts import (
    FALLBACK,
    LOW_CONFIDENCE,
    URGENT,
    StoreError,
    check_store,
    day_bounds,
    read_conversations,
    selected,
    with_marker,
)


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} : date attendue au format AAAA-MM-JJ, par exemple 2026-01-31"
        ) from error


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--from",
        dest="first",
        type=day,
        metavar="YYYY-MM-DD",
        help="only conversations active on or after this day",
    )
    parser.add_argument(
        "--to",
        dest="last",
        type=day,
        metavar="YYYY-MM-DD",
        help="only conversations active on or before this day",
    )
    parser.add_argument(
        "--urgent-only", action="store_true", help="only conversations with an urgent referral"
    )
    parser.add_argument(
        "--fallback-only", action="store_true", help="only conversations with a fallback"
    )
    parser.add_argument(
        "--low-confidence",
        type=float,
        default=LOW_CONFIDENCE,
        metavar="THRESHOLD",
        help=f"confidence under which a message is marked (default {LOW_CONFIDENCE})",
    )
    parser.add_argument(
        "--endpoints",
        type=Path,
        default=Path("endpoints.yml"),
        help="endpoints file naming the tracker store (endpoints.prod.yml: PostgreSQL)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("results/transcripts"), help="output folder"
    )
    args = parser.parse_args()
    if args.first and args.last and args.first > args.last:
        parser.error("--from is after --to")
    return args


def filters(args: argparse.Namespace) -> list[str]:
    """The filters in use, in French, for the index and the summary."""
    described = []
    if args.first:
        described.append(f"depuis le {args.first:%d/%m/%Y}")
    if args.last:
        described.append(f"jusqu'au {args.last:%d/%m/%Y}")
    if args.urgent_only:
        described.append("orientations urgentes seulement")
    if args.fallback_only:
        described.append("incompréhensions seulement")
    return described


def main() -> int:
    args = parse_args()
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
        conversations = [
            conversation
            for conversation in read_conversations(engine, key, start, end, args.low_confidence)
            if selected(conversation, args.urgent_only, args.fallback_only)
        ]
    except (MissingKeyError, StoreError) as error:
        print(f"{args.endpoints} : {error}", file=sys.stderr)
        return 2

    out = args.out  # relative to the repository, like --endpoints
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)  # health data
    # Pages of an earlier export may show conversations filtered out now, or purged since.
    for old in out.glob("patient-*.html"):
        old.unlink()
    for conversation in conversations:
        (out / f"{conversation.pseudonym}.html").write_text(
            conversation_page(conversation, args.low_confidence), encoding="utf-8"
        )
    rows = unsure_rows(conversations)
    write_csv(out / CSV_NAME, rows)
    (out / "index.html").write_text(
        index_page(conversations, filters(args), args.low_confidence, len(rows)), encoding="utf-8"
    )

    urgent, fallback = with_marker(conversations, URGENT), with_marker(conversations, FALLBACK)
    print(
        f"{len(conversations)} conversation(s) exportée(s) dans {out}/index.html"
        f" (filtres : {', '.join(filters(args)) or 'aucun'})"
    )
    print(f"  {urgent} avec une orientation urgente, {fallback} avec une incompréhension")
    print(
        f"  {len(rows)} message(s) à relire (confiance sous {decimal(args.low_confidence)} ou incompréhension)"
        f" : {out / CSV_NAME}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
