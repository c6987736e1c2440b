"""make test-dialogues [URL=...]: plays the staff's test dialogues (tests/dialogues/*.yml).

Without --url, starts the trained model with its action server on free ports (SQLite in a
temporary folder) and stops them afterwards; with --url, talks to a live server (the token
comes from --token, RASA_AUTH_TOKEN or .env). Writes results/dialogues/report.html, prints a
summary and exits 1 if any dialogue failed, 2 if a dialogue file cannot be read."""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from actions.knowledge_base import KnowledgeBase
from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT, read_dotenv
from tools.client import RestClient
from tools.staff.dialogue_report import html_report, terminal_summary
from tools.staff.dialogue_runner import play_all
from tools.staff.dialogues import DialogueFileError, known_response_names, load_folder


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a live assistant, e.g. https://staging.example.org")
    parser.add_argument("--token", help="its HTTP API token (default: RASA_AUTH_TOKEN or .env)")
    parser.add_argument("--dialogues", type=Path, default=PROJECT / "tests" / "dialogues")
    parser.add_argument(
        "--report", type=Path, default=PROJECT / "results" / "dialogues" / "report.html"
    )
    args = parser.parse_args()

    known = known_response_names(KnowledgeBase.load().cell_ids())
    try:
        dialogues = load_folder(args.dialogues, known)
    except DialogueFileError as error:
        print(f"Fichier de dialogues à corriger : {error}", file=sys.stderr)
        return 2
    if not dialogues:
        print(f"No dialogue in {args.dialogues}", file=sys.stderr)
        return 2

    if args.url:
        token = (
            args.token or os.environ.get("RASA_AUTH_TOKEN") or read_dotenv().get("RASA_AUTH_TOKEN")
        )
        if not token:
            print(
                "The HTTP API token is needed to read the triage level: --token or RASA_AUTH_TOKEN",
                file=sys.stderr,
            )
            return 2
        target = args.url.rstrip("/")
        results = play_all(RestClient(target, token), dialogues)
    else:
        with Assistant(
            current_model(), work_dir=Path(tempfile.mkdtemp(prefix="dialogues-"))
        ) as assistant:
            target = f"modèle local {assistant.model.name}"
            results = play_all(RestClient(assistant.url, assistant.token), dialogues)

    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(html_report(results, target), encoding="utf-8")
    print(terminal_summary(results))
    print(f"report: {args.report}")
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
