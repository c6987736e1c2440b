"""The French names the staff dashboard gives to what it counts."""

from __future__ import annotations

from typing import Dict

from actions.knowledge_base import KnowledgeBase
from assistant.safety.levels import NON_URGENT, URGENCE_24H, URGENCE_IMMEDIATE
from tools.staff.dashboard_data import GAP, STOPPED, UNFINISHED
from tools.staff.transcript_pages import LEVELS
from tools.staff.transcripts import FALLBACK, UNSURE

__all__ = ["ANSWER_KINDS", "CHANNELS", "LEVELS", "OUTCOMES", "REASONS", "entry_titles"]

OUTCOMES = {
    URGENCE_IMMEDIATE: "Urgence immédiate",
    URGENCE_24H: "À voir dans les 24 h",
    NON_URGENT: "Pas de signe d'alerte",
    STOPPED: "Arrêté par le patient",
    UNFINISHED: "Sans fin (patient parti)",
}
CHANNELS = {
    "web": "Web (widget)",
    "messenger": "Messenger",
    "rest": "REST (API)",
    "autre": "Autre (terminal…)",
}
REASONS = {
    FALLBACK: "Incompréhension",
    GAP: "Pas d'information",
    UNSURE: "Confiance faible",
}
# The `answer_kind` slot of action_answer_from_knowledge.
ANSWER_KINDS = {
    "fact": "Réponse de la base",
    GAP: "Pas d'information (renvoi vers l'équipe)",
    "support": "Soutien",
    "simpler": "Réponse plus simple",
    "repeat": "Réponse répétée",
}


def entry_titles() -> Dict[str, str]:
    """Knowledge entry id (reviewed or honest gap) -> "subject — aspect", from content/."""
    knowledge = KnowledgeBase.load()
    return {
        cell: f"{knowledge.subjects[entry.subject].title} — {entry.title}"
        for cell in knowledge.cell_ids()
        if (entry := knowledge.entry_by_id(cell))
    }
