"""make eval-nlu: trains the NLU pipeline on 80% of the training data and tests it on the
other 20% (a fixed random split), then prints per-intent F1. Rasa writes the confusion
matrix to results/nlu_eval/intent_confusion_matrix.png."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "results"
RASA = str(REPO / ".venv" / "bin" / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONWARNINGS": "ignore"}


def run(*args: str) -> None:
    subprocess.run([RASA, *args], cwd=REPO, env=ENV, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    split = RESULTS / "nlu_split"
    run("data", "split", "nlu", "--nlu", "data/nlu", "--training-fraction", "0.8",
        "--random-seed", "42", "--out", str(split))
    run("train", "nlu", "--nlu", str(split / "training_data.yml"), "--out", str(RESULTS / "nlu_models"),
        "--fixed-model-name", "heldout")
    run("test", "nlu", "--model", str(RESULTS / "nlu_models" / "heldout.tar.gz"),
        "--nlu", str(split / "test_data.yml"), "--out", str(RESULTS / "nlu_eval"))
    report = json.loads((RESULTS / "nlu_eval" / "intent_report.json").read_text())
    print(f"{'intent':32} {'F1':>6} {'precision':>10} {'recall':>8} {'support':>8}")
    for intent, scores in sorted(report.items()):
        if isinstance(scores, dict) and "f1-score" in scores and intent not in ("macro avg", "weighted avg", "micro avg"):
            print(f"{intent:32} {scores['f1-score']:6.3f} {scores['precision']:10.3f} {scores['recall']:8.3f} {scores['support']:8}")
    for average in ("accuracy", "macro avg", "weighted avg"):
        value = report.get(average)
        if isinstance(value, dict):
            print(f"{average:32} {value['f1-score']:6.3f}")
        elif value is not None:
            print(f"{average:32} {value:6.3f}")
    print(f"confusion matrix: {RESULTS / 'nlu_eval' / 'intent_confusion_matrix.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
