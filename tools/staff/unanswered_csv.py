"""The messages the bot could not answer well (fallback, honest "no information", low
confidence), grouped by similar wording, as a CSV for the content team to label: one row a
message, the groups in the dashboard's order. Written for Excel in French, like the
transcripts' CSV (tools/staff/transcript_csv.py)."""

from __future__ import annotations

from typing import Dict, List

from tools.staff.dashboard_stats import REASONS, WordingGroup
from tools.staff.transcript_csv import confidence_text, local_time, spreadsheet_text

CSV_NAME = "unanswered.csv"
COLUMNS = [
    "groupe",
    "messages_du_groupe",
    "formulation_du_groupe",
    "date",
    "conversation",
    "message",
    "raisons",
    "intention_predite",
    "confiance",
    "intention_correcte",
    "commentaire",
]


def unanswered_rows(groups: List[WordingGroup], reason_labels: Dict[str, str]) -> List[List[str]]:
    return [
        [
            str(number),
            str(len(group.messages)),
            spreadsheet_text(group.wording),
            local_time(item.message.timestamp),
            item.pseudonym,
            spreadsheet_text(item.message.text),
            ", ".join(reason_labels[r] for r in REASONS if r in item.message.reasons),
            item.message.intent or "",
            confidence_text(item.message.confidence),
            "",
            "",
        ]
        for number, group in enumerate(groups, start=1)
        for item in group.messages
    ]
