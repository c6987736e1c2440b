"""The reviewed content: every text a patient reads and every word list the bot matches.

Reviewers edit only the YAML files of this folder; code finds them through these paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import yaml

CONTENT_DIR = Path(__file__).resolve().parent
# The Rasa domain, split by topic: intents, slots, the warning-sign form and every fixed
# message, the urgent ones included (`rasa train --domain content/domain`).
DOMAIN_DIR = CONTENT_DIR / "domain"
# The knowledge base: subjects, each with an entry per aspect the article covers, each entry
# naming its source passage.
KNOWLEDGE_DIR = CONTENT_DIR / "knowledge"
# What a question asks about a subject, and the honest gap when the article says nothing on it.
ASPECTS = CONTENT_DIR / "aspects.yml"
# Warning signs: the clinical categories, and the linguistic cues apart (other reviewers).
WARNING_SIGNS = CONTENT_DIR / "safety" / "warning_signs.yml"
CONTEXT_CUES = CONTENT_DIR / "safety" / "context_cues.yml"
# How a writer reacts to an alert, who writes, a known cancer, the language.
CONVERSATION_CUES = CONTENT_DIR / "safety" / "conversation_cues.yml"
# Paraphrases naming an exam, a treatment or a symptom.
TOPIC_PATTERNS = CONTENT_DIR / "topic_patterns.yml"
# The chat widget's own texts (labels, banners, the offline notice).
WIDGET_TEXTS = CONTENT_DIR / "widget.yml"
# The channels' JSON error messages (assistant/channels/).
CHANNEL_ERRORS = CONTENT_DIR / "channel_errors.yml"


def read_yaml(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read_domain(directory: Path = DOMAIN_DIR) -> Dict[str, Any]:
    """The domain files merged as Rasa merges them: lists joined, mappings updated."""
    merged: Dict[str, Any] = {}
    for path in sorted(directory.glob("*.yml")):
        for key, value in (read_yaml(path) or {}).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged


def question_intents() -> Dict[str, str]:
    """Entity type (exam, treatment, symptom) -> the question intent that asks about it."""
    return dict(read_yaml(TOPIC_PATTERNS)["question_intents"])


def knowledge_intents() -> List[str]:
    """The intents the knowledge base answers with a subject of their own: each subject's, and
    those asking about a named exam, treatment or symptom (not the follow-up, whose subject is
    the previous answer's)."""
    subjects = [
        raw for path in sorted(KNOWLEDGE_DIR.glob("*.yml")) for raw in read_yaml(path)["subjects"]
    ]
    own = [raw["asked_by"]["intent"] for raw in subjects if "intent" in raw["asked_by"]]
    named = [intent for kind, intent in question_intents().items() if kind != "aspect"]
    return sorted(set(own) | set(named))


def response_text(name: str, domain: Dict[str, Any] | None = None) -> str:
    """The first text variant of a domain response, on one line."""
    variants = (domain or read_domain())["responses"][name]
    return " ".join(variants[0]["text"].split())
