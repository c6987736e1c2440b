"""Combines the two detection layers into what the dialogue sees: entities for warning
signs, and an intent that no longer depends on the NLU model's confidence.

- A current urgent mention from the lexicon always wins.
- A symptom-report intent, when the lexicon found no mention at all, is the second layer:
  confident and in a message without denial, question or past, it takes its category's
  level; otherwise it asks the warning-sign questions.
- A mention that is denied, asked about or in the past turns a symptom-report intent into
  a question about the warning signs; one named in a question about the disease in general
  ("les fractures sont-elles fréquentes ?") into a question about the symptoms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List

from assistant.matching.text_normalization import fold
from assistant.safety.conversation_signals import OTHER_LANGUAGE, ConversationSignals
from assistant.safety.detector import CURRENT, GENERAL, OTHER_CAUSE, Analysis, Finding
from assistant.safety.levels import URGENCE_IMMEDIATE, URGENT_LEVELS, VERIFY
from assistant.safety.lexicon import ENTITY_RED_FLAG, Category, Lexicon

ANSWER_INTENTS = frozenset({"affirm", "deny", "dont_know"})
ASK_WARNING_SIGNS = "ask_warning_signs"
ASK_SYMPTOMS = "ask_symptoms"

ENTITY_TO_VERIFY = "signe_a_verifier"
ENTITY_DISCARDED = "signe_alerte_ecarte"
ENTITY_REACTION = "reaction"
ENTITY_WRITER = "ecrit_pour"
ENTITY_CANCER = "cancer_connu"
ENTITY_LANGUAGE = "langue"
OTHER_LANGUAGE_INTENT = "other_language"
# A message that opens with these answers the question asked, whatever it adds.
LEADING_ANSWERS = {"non": "deny", "nan": "deny", "no": "deny", "oui": "affirm", "ouais": "affirm"}
# Below this share of words the bot knows, a message is in a language it cannot read.
UNREADABLE_SHARE = 0.25
EXTRACTOR = "RedFlagDetector"
# Cues that put a whole message elsewhere, or in the past unless it also says "now": the
# learned layer stays out of it ("il marche normalement" does not end a pain "depuis une semaine").
ELSEWHERE = frozenset({"death", "animal_fiction", "exclusions"})
PAST = frozenset({"resolved", "distant_past", "past_perfect", "managed"})


@dataclass(frozen=True)
class Signal:
    intent: str | None  # the intent to set, or None to keep the NLU model's
    entities: List[Dict[str, Any]]
    level: str | None  # the most urgent level found, VERIFY, or None


def combine(
    analysis: Analysis,
    lexicon: Lexicon,
    text: str,
    intent: str | None,
    confidence: float,
    scores: Dict[str, float] | None = None,
) -> Signal:
    findings = (
        analysis.findings
        + _from_report_intent(analysis, lexicon, text, intent, confidence)
        + _from_classifier(analysis, lexicon, text, scores or {})
    )
    urgent = [f for f in findings if f.status == CURRENT and f.level in URGENT_LEVELS]
    to_verify = [f for f in findings if f.status == CURRENT and f.level == VERIFY]
    discarded = [f for f in findings if f.status != CURRENT]
    entities = (
        [_entity(ENTITY_RED_FLAG, f) for f in urgent]
        + [_entity(ENTITY_TO_VERIFY, f) for f in to_verify]
        + [_entity(ENTITY_DISCARDED, f) for f in discarded]
        + _conversation_entities(analysis.conversation, text, intent)
    )

    if urgent:
        top = min(urgent, key=lambda f: URGENT_LEVELS.index(f.level))
        # An answer to a questionnaire question keeps its intent, unless it must stop it.
        keep = intent in ANSWER_INTENTS and top.level != URGENCE_IMMEDIATE
        answer = _leading_answer(text)
        if not keep and answer and top.level != URGENCE_IMMEDIATE:
            # "non, mais j'ai tout le temps soif": the answer to the question, and the sign
            return Signal(answer, entities, top.level)
        return Signal(None if keep else top.intent, entities, top.level)
    reports = lexicon.report_intent_categories
    if intent == OTHER_LANGUAGE_INTENT and _unreadable_report(text, lexicon):
        verify = next(i for i, c in reports.items() if lexicon.categories[c].level == VERIFY)
        return Signal(verify, entities, VERIFY)
    if to_verify and intent not in ANSWER_INTENTS:
        # A current sign to verify gets the questions, whatever else the message asks or the
        # model read ("depuis ma chimio j'ai des fourmillements au bout des doigts").
        return Signal(to_verify[0].intent, entities, VERIFY)
    discarded_here = [f for f in discarded if f.intent == intent]
    if intent in reports and discarded_here:
        general = all(f.status == GENERAL for f in discarded_here)
        return Signal(ASK_SYMPTOMS if general else ASK_WARNING_SIGNS, entities, None)
    return Signal(None, entities, VERIFY if to_verify else None)


def _leading_answer(text: str) -> str | None:
    """The yes or no a message opens with, as its answer intent."""
    words = re.findall(r"\w+", text.lower())
    first = fold(words[0]) if words else ""
    return LEADING_ANSWERS.get(first)


def _unreadable_report(text: str, lexicon: Lexicon) -> bool:
    """A long message mostly in words of no language the bot reads (French, English, Spanish,
    Portuguese): it may report a sign that the bot cannot see."""
    words = [fold(w) for w in re.findall(r"\w+", text.lower())]
    if len(words) < lexicon.unreadable_message_words:
        return False
    vocabularies = [lexicon.french_words, *lexicon.language_words.values()]
    known = sum(any(w in vocabulary for vocabulary in vocabularies) for w in words)
    return known / len(words) < UNREADABLE_SHARE


def _from_report_intent(
    analysis: Analysis, lexicon: Lexicon, text: str, intent: str | None, confidence: float
) -> List[Finding]:
    name = lexicon.report_intent_categories.get(intent or "")
    if name is None or analysis.findings:
        return []
    category = lexicon.categories[name]
    trusted = confidence >= lexicon.report_intent_threshold and not analysis.cues
    return [_whole_message_finding(category, category.level if trusted else VERIFY, text, "nlu")]


def _from_classifier(
    analysis: Analysis, lexicon: Lexicon, text: str, scores: Dict[str, float]
) -> List[Finding]:
    """The learned layer: a level the lexicon did not find, when its categories are probable
    enough and the message is not about the past, someone else or an animal, nor a supposition
    or a denial with nothing anchored now, nor a question with nobody in it ("et ça fait
    mal ?"). (A negation in a message that says "depuis hier" or "ce matin" does not stop it:
    "je ne veux pas déranger, depuis ce matin mes jambes...".)"""
    if not scores or analysis.cues & ELSEWHERE or analysis.general_question:
        return []  # elsewhere, or a question about the disease in general
    if analysis.cues & (PAST | {"hypothetical", "negation"}) and not analysis.now:
        return []  # the past, a supposition or a denial, with nothing anchored now
    if any(f.status != CURRENT and f.level in URGENT_LEVELS for f in analysis.findings):
        return []  # the lexicon read the sign in another context: it knows better
    found = {f.level for f in analysis.findings if f.status == CURRENT}
    explained = {  # families of signs the message puts down to another cause
        lexicon.categories[f.category].family for f in analysis.findings if f.source == OTHER_CAUSE
    }
    for level in URGENT_LEVELS:  # the most urgent first
        if level in found:
            return []
        categories = [c for c in lexicon.categories.values() if c.level == level]
        probability = sum(scores.get(c.name, 0.0) for c in categories)
        if probability >= lexicon.classifier_thresholds[level]:
            top = max(categories, key=lambda c: scores.get(c.name, 0.0))
            return (
                []
                if top.family in explained
                else [_whole_message_finding(top, level, text, "classifier")]
            )
    return []


def _whole_message_finding(category: Category, level: str, text: str, source: str) -> Finding:
    """A finding of a layer that reads the whole message (the NLU intent, the classifier)."""
    return Finding(
        category=category.name,
        level=level,
        role=category.role,
        intent=category.intent,
        status=CURRENT,
        start_char=0,
        end_char=len(text),
        text=text,
        source=source,
    )


def _conversation_entities(
    signals: ConversationSignals, text: str, intent: str | None
) -> List[Dict[str, Any]]:
    """The writer's reaction to an alert, who writes, a known cancer and the language, as
    entities that fill their slots (content/domain/safety.yml)."""
    language = signals.language or (OTHER_LANGUAGE if intent == OTHER_LANGUAGE_INTENT else None)
    values = {
        ENTITY_REACTION: signals.reaction,
        ENTITY_WRITER: signals.writer,
        ENTITY_CANCER: signals.cancer,
        ENTITY_LANGUAGE: language,
    }
    return [
        {
            "entity": name,
            "value": value,
            "start": 0,
            "end": len(text),
            "confidence_entity": 1.0,
            "extractor": EXTRACTOR,
        }
        for name, value in values.items()
        if value is not None
    ]


def _entity(name: str, finding: Finding) -> Dict[str, Any]:
    entity = {
        "entity": name,
        "value": finding.category,
        "start": finding.start_char,
        "end": finding.end_char,
        "confidence_entity": 1.0,
        "extractor": EXTRACTOR,
        "level": finding.level,
        "status": finding.status,
        "source": finding.source,
    }
    if name == ENTITY_RED_FLAG:
        # The role says which warning-sign question the sign answers (domain slot mappings).
        entity["role"] = finding.role
    return entity
