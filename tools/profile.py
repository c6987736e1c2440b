"""make profile: where a Rasa server spends its CPU under load (the profile of
docs/benchmarks.md). Starts the embedded profile, runs 10 concurrent REST conversations, samples
the Rasa process with py-spy (from .venv-tools) and prints the share of the samples in each
part; the raw stacks are kept in results/profile/."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT
from tools.load import run_load

PY_SPY = PROJECT / ".venv-tools" / "bin" / "py-spy"
OUTPUT = PROJECT / "results" / "profile"

# (part, what a stack of that part holds, whether only the innermost frame counts); py-spy
# names a frame "function (path:line)". A sample counts in every part its stack matches.
PARTS: List[Tuple[str, Tuple[str, ...], bool]] = [
    ("NLU graph (parse_message)", ("parse_message (",), False),
    ("  spaCy pipeline", ("(spacy/language.py",), False),
    ("  DIET", ("(rasa/nlu/classifiers/diet_classifier.py",), False),
    ("  our matchers (red flags, topics)", ("(assistant/matching/", "(assistant/safety/"), False),
    ("policies (prediction loop)", ("_run_prediction_loop (",), False),
    ("tracker store: retrieve", ("retrieve (rasa/core/tracker_store.py",), False),
    ("tracker store: save", ("save (rasa/core/tracker_store.py",), False),
    ("  of which SQLite/PostgreSQL commit", ("do_commit (sqlalchemy",), True),
    ("SQLAlchemy, anywhere", ("(sqlalchemy/",), False),
    ("HTTP client (action server)", ("(aiohttp/client.py", "(aiohttp/connector.py"), False),
    ("dask's own code (graph scheduling)", ("(dask/",), True),
    ("lock store", ("(rasa/core/lock_store.py",), False),
    ("JSON", ("(json/",), False),
]


def shares(folded: Path) -> Tuple[int, Dict[str, float]]:
    """Samples in a py-spy raw (folded) file, and each part's share of them."""
    total = 0
    counts: Counter = Counter()
    for line in folded.read_text(errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        samples = int(number)
        total += samples
        innermost = stack.rsplit(";", 1)[-1]
        for part, needles, leaf_only in PARTS:
            where = innermost if leaf_only else stack
            if any(needle in where for needle in needles):
                counts[part] += samples
    return total, {part: counts[part] / total if total else 0.0 for part, _, _ in PARTS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--conversations", type=int, default=10)
    args = parser.parse_args()
    if not PY_SPY.exists():
        print(f"{PY_SPY} is missing: make tools-venv", file=sys.stderr)
        return 1
    OUTPUT.mkdir(parents=True, exist_ok=True)
    folded = OUTPUT / "rasa.folded"
    with Assistant(current_model()) as assistant:
        asyncio.run(run_load(assistant.url, conversations=5, turns=4, socketio_share=0))
        done = threading.Event()

        def load() -> None:
            while not done.is_set():
                asyncio.run(
                    run_load(
                        assistant.url, conversations=args.conversations, turns=10, socketio_share=0
                    )
                )

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        subprocess.run(
            [str(PY_SPY), "record", "-r", "50", "-f", "raw", "-o", str(folded)]
            + ["-d", str(args.seconds), "-p", str(assistant.rasa.pid), "--nonblocking"],
            check=True,
            capture_output=True,
        )
        done.set()
        loader.join()
    total, by_part = shares(folded)
    print(f"{total} samples of the Rasa server under {args.conversations} concurrent conversations")
    for part, share in by_part.items():
        print(f"  {part:40} {share * 100:5.1f}%")
    print(f"stacks: {folded}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
