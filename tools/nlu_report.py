"""make report: Rasa's NLU evaluation with cross-validation on data/nlu; make eval-nlu: the
same on a fixed held-out split (80% to train, 20% to test, seed 42). Both write to their
folder: the confusion matrix and confidence histogram (PNG), a per-intent F1 table
(Markdown), the misclassified examples (CSV) and index.html gathering them."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from deploy.settings import PROJECT, VENV_BIN, quiet_env
from tools.staff.nlu_report import (
    accuracy,
    f1_table,
    html_page,
    intent_scores,
    misclassified,
    write_misclassified_csv,
)


def rasa(*args: str) -> None:
    subprocess.run(
        [str(VENV_BIN / "rasa"), *args],
        cwd=PROJECT,
        env={**os.environ, **quiet_env()},
        check=True,
        stdout=subprocess.DEVNULL,
    )


def evaluate_held_out(out: Path) -> str:
    split = out / "split"
    rasa(
        "data",
        "split",
        "nlu",
        "--nlu",
        "data/nlu",
        "--training-fraction",
        "0.8",
        "--random-seed",
        "42",
        "--out",
        str(split),
    )
    rasa(
        "train",
        "nlu",
        "--config",
        "config.yml",
        "--nlu",
        str(split / "training_data.yml"),
        "--out",
        str(out / "model"),
        "--fixed-model-name",
        "held-out",
    )
    rasa(
        "test",
        "nlu",
        "--model",
        str(out / "model" / "held-out.tar.gz"),
        "--nlu",
        str(split / "test_data.yml"),
        "--out",
        str(out),
    )
    return "held-out split: 80% trained, 20% tested (seed 42)"


def cross_validate(out: Path, folds: int) -> str:
    rasa(
        "test",
        "nlu",
        "--nlu",
        "data/nlu",
        "--config",
        "config.yml",
        "--cross-validation",
        "--folds",
        str(folds),
        "--out",
        str(out),
    )
    return f"{folds}-fold cross-validation"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--held-out", action="store_true", help="a fixed 80/20 split instead of cross-validation"
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or PROJECT / "results" / ("nlu_eval" if args.held_out else "nlu_report")
    out.mkdir(parents=True, exist_ok=True)

    method = evaluate_held_out(out) if args.held_out else cross_validate(out, args.folds)
    report = json.loads((out / "intent_report.json").read_text())
    errors_file = out / "intent_errors.json"
    scores = intent_scores(report)
    errors = misclassified(json.loads(errors_file.read_text()) if errors_file.exists() else [])

    table = f1_table(scores)
    (out / "intent_f1.md").write_text(table + "\n", encoding="utf-8")
    write_misclassified_csv(errors, out / "misclassified.csv")
    (out / "index.html").write_text(html_page(report, scores, errors, method), encoding="utf-8")

    print(table)
    print(f"\naccuracy {accuracy(report):.3f} ({method}), {len(errors)} misclassified")
    print(f"confusion matrix: {out / 'intent_confusion_matrix.png'}")
    print(f"report: {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
