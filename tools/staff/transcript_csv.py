"""The patients' messages the bot was unsure of, as a CSV for staff to label: they fill in the
right intent, and the rows become new training examples. Written for Excel in French: UTF-8
with a BOM (accents), `;` between columns and a decimal comma."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Iterable, List, Sequence

from tools.staff.transcripts import Conversation

# A cell starting with one of these is a formula to Excel; a patient's message never should be.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "date",
    "conversation",
    "message",
    "intention_predite",
    "confiance",
    "autre_intention_possible",
    "intention_correcte",
]


def spreadsheet_text(text: str) -> str:
    """A patient's text as a cell that Excel shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def confidence_text(confidence: float | None) -> str:
    return f"{confidence:.3f}".replace(".", ",") if confidence is not None else ""


def local_time(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def unsure_rows(conversations: Iterable[Conversation]) -> List[List[str]]:
    """One row a message with low confidence or answered by a fallback, the least confident first."""
    found = [
        (conversation, entry)
        for conversation in conversations
        for entry in conversation.unsure_messages()
    ]
    found.sort(
        key=lambda pair: (
            pair[1].confidence if pair[1].confidence is not None else 0.0,
            pair[1].timestamp,
        )
    )
    return [
        [
            local_time(entry.timestamp),
            conversation.pseudonym,
            spreadsheet_text(entry.text),
            entry.intent or "",
            confidence_text(entry.confidence),
            entry.runner_up or "",
            "",
        ]
        for conversation, entry in found
    ]


def write_csv(path: Path, rows: List[List[str]], columns: Sequence[str] = COLUMNS) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(columns)
        writer.writerows(rows)
