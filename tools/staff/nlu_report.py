"""Turns Rasa's NLU evaluation files (intent_report.json, intent_errors.json) into what staff
read: a per-intent F1 table (weakest first), the misclassified examples (most confident
mistakes first) as CSV, and one French HTML page with the confusion matrix and histogram."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Dict, List

AVERAGES = ("accuracy", "macro avg", "weighted avg", "micro avg")
CONFUSION_MATRIX = "intent_confusion_matrix.png"
HISTOGRAM = "intent_histogram.png"


@dataclass(frozen=True)
class IntentScore:
    intent: str
    f1: float
    precision: float
    recall: float
    support: int
    confused_with: Dict[str, int]


@dataclass(frozen=True)
class Misclassified:
    text: str
    expected: str
    predicted: str
    confidence: float


def intent_scores(report: Dict) -> List[IntentScore]:
    """Per-intent scores, weakest F1 first."""
    scores = [
        IntentScore(
            name,
            values["f1-score"],
            values["precision"],
            values["recall"],
            int(values["support"]),
            dict(values.get("confused_with") or {}),
        )
        for name, values in report.items()
        if name not in AVERAGES and isinstance(values, dict) and "f1-score" in values
    ]
    return sorted(scores, key=lambda score: (score.f1, score.intent))


def misclassified(errors: List[Dict]) -> List[Misclassified]:
    """The examples given the wrong intent, the most confident mistakes first."""
    found = [
        Misclassified(
            error["text"],
            error["intent"],
            (error.get("intent_prediction") or {}).get("name") or "?",
            float((error.get("intent_prediction") or {}).get("confidence") or 0.0),
        )
        for error in errors
    ]
    return sorted(found, key=lambda error: -error.confidence)


def accuracy(report: Dict) -> float:
    return float(report.get("accuracy", 0.0))


def f1_table(scores: List[IntentScore]) -> str:
    """A Markdown table, readable in a terminal and in a merge request."""
    lines = [
        "| intention | F1 | précision | rappel | exemples | confondue avec |",
        "|---|---|---|---|---|---|",
    ]
    for score in scores:
        confusion = ", ".join(f"{name} ({count})" for name, count in score.confused_with.items())
        lines.append(
            f"| {score.intent} | {score.f1:.3f} | {score.precision:.3f} | {score.recall:.3f} "
            f"| {score.support} | {confusion} |"
        )
    return "\n".join(lines)


def write_misclassified_csv(errors: List[Misclassified], path: Path) -> None:
    # Excel opens UTF-8 with a BOM correctly (French accents).
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["exemple", "intention_attendue", "intention_predite", "confiance"])
        for error in errors:
            writer.writerow(
                [error.text, error.expected, error.predicted, f"{error.confidence:.3f}"]
            )


def html_page(
    report: Dict, scores: List[IntentScore], errors: List[Misclassified], method: str
) -> str:
    """`method` says how the examples were tested (cross-validation or a held-out split)."""
    rows = "".join(
        f'<tr class="{"weak" if s.f1 < 0.9 else ""}"><td>{escape(s.intent)}</td><td>{s.f1:.3f}</td>'
        f"<td>{s.precision:.3f}</td><td>{s.recall:.3f}</td><td>{s.support}</td>"
        f"<td>{escape(', '.join(f'{n} ({c})' for n, c in s.confused_with.items()))}</td></tr>"
        for s in scores
    )
    mistakes = "".join(
        f"<tr><td>{escape(e.text)}</td><td>{escape(e.expected)}</td><td>{escape(e.predicted)}</td>"
        f"<td>{e.confidence:.2f}</td></tr>"
        for e in errors
    )
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Qualité de la compréhension (NLU)</title><style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 75rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; margin: 1rem 0; font-size: .92rem; }}
th, td {{ border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; }} th {{ background: #f2f2f2; }}
tr.weak td {{ background: #fde8ea; }} img {{ max-width: 100%; border: 1px solid #ddd; }}
</style></head><body>
<h1>Qualité de la compréhension des messages</h1>
<p>{escape(method)} : chaque exemple testé l'est par un modèle qui ne l'a pas appris.
Exactitude globale : <strong>{accuracy(report):.1%}</strong>,
{len(errors)} exemple(s) mal classé(s). En rouge : les intentions dont le F1 est sous 0,90.</p>
<h2>Par intention (les plus faibles d'abord)</h2>
<table><thead><tr><th>Intention</th><th>F1</th><th>Précision</th><th>Rappel</th><th>Exemples</th>
<th>Confondue avec</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Exemples mal classés (les erreurs les plus sûres d'elles d'abord)</h2>
<table><thead><tr><th>Exemple</th><th>Attendue</th><th>Prédite</th><th>Confiance</th></tr></thead>
<tbody>{mistakes}</tbody></table>
<h2>Matrice de confusion</h2><img src="{CONFUSION_MATRIX}" alt="Matrice de confusion des intentions">
<h2>Histogramme des confiances</h2>
<img src="{HISTOGRAM}" alt="Histogramme des confiances, bonnes et mauvaises prédictions">
</body></html>"""
