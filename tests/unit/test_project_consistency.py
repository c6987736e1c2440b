"""The pieces that must agree: domain, lexicon, config, training data and vignettes."""

import itertools
import re
import unicodedata

import pytest
import yaml

from assistant.safety.levels import VERDICTS
from assistant.safety.lexicon import load_lexicon
from assistant.safety.triage_flow import questionnaire_for
from assistant.safety.turn import (
    FINAL_FIXED_RESPONSES,
    TRIAGE_SLOT,
    keep_response,
    urgent_response,
    why_response,
)
from content import read_domain
from deploy.settings import PROJECT as REPO

DOMAIN = read_domain()
LEXICON = load_lexicon()


def test_each_warning_sign_question_is_asked_and_a_yes_takes_the_level_of_its_signs():
    questionnaire = questionnaire_for(LEXICON, DOMAIN["slots"])
    levels = {q.role: q.level_if_yes for q in questionnaire.questions}
    # Neurological signs outrank everything (red_flags.md); pain and calcium are for today.
    assert levels == {
        "weakness": "urgence_immediate",
        "numbness": "urgence_immediate",
        "bladder_bowel": "urgence_immediate",
        "pain_pattern": "urgence_24h",
        "hypercalcemia": "urgence_24h",
    }
    for question in questionnaire.questions:
        assert f"utter_ask_{question.slot}" in DOMAIN["responses"]


def test_the_triage_slot_holds_the_three_levels():
    assert DOMAIN["slots"][TRIAGE_SLOT]["values"] == list(VERDICTS)


FAMILIES = sorted({c.family for c in LEXICON.categories.values()})
LEVEL_OF_FAMILY = {
    c.family: c.level
    for c in LEXICON.categories.values()
    if c.level in ("urgence_immediate", "urgence_24h")
}


def test_every_response_the_safety_path_says_is_in_the_domain():
    responses = set(FINAL_FIXED_RESPONSES)
    for family in FAMILIES:
        responses |= {urgent_response(family), keep_response(family), why_response(family)}
    assert responses <= set(DOMAIN["responses"])


def variations_for(name, slots):
    """The variations Rasa can choose for these slot values (conditional ones first)."""
    variations = DOMAIN["responses"][name]
    matching = [
        v
        for v in variations
        if v.get("condition") and all(slots.get(c["name"]) == c["value"] for c in v["condition"])
    ]
    return matching or [v for v in variations if not v.get("condition")]


CONTEXTS = [
    dict(zip(("langue", "ecrit_pour", "cancer_connu"), values, strict=True))
    for values in itertools.product(("fr", "en"), ("patient", "proche"), ("oui", "non"))
]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("context", CONTEXTS, ids=lambda c: "-".join(c.values()))
def test_each_urgent_message_has_one_variant_that_fits_who_writes(family, context):
    [variation] = variations_for(urgent_response(family), context)
    text = variation["text"]
    assert variation["metadata"]["triage"] == LEVEL_OF_FAMILY[family]
    assert "15" in text and (family != "moelle" or "112" in text)
    if context["langue"] == "en":
        assert "call" in text.lower()
        return
    if context["cancer_connu"] == "non":
        assert "oncolog" not in text  # no "votre équipe d'oncologie" when none is known
    if context["ecrit_pour"] == "proche":
        assert "pour elle ou pour lui" in text.lower() and "votre proche" in text


def test_only_the_spinal_cord_advice_says_to_lie_flat():
    for family in FAMILIES:
        for variation in DOMAIN["responses"][urgent_response(family)]:
            assert ("allongé" in variation["text"]) == (family == "moelle")


def test_the_writer_context_slots_start_with_the_cautious_values():
    slots = DOMAIN["slots"]
    assert (
        slots["ecrit_pour"]["initial_value"],
        slots["cancer_connu"]["initial_value"],
        slots["langue"]["initial_value"],
    ) == ("patient", "non", "fr")


def test_every_category_names_a_domain_intent_and_role():
    roles = set(
        next(e for e in DOMAIN["entities"] if isinstance(e, dict) and "signe_alerte" in e)[
            "signe_alerte"
        ]["roles"]
    )
    for category in LEXICON.categories.values():
        assert category.intent in DOMAIN["intents"]
        assert category.role in roles
    assert set(LEXICON.report_intent_categories) <= set(DOMAIN["intents"])


def normalised(text):
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def training_examples():
    examples = set()
    for path in (REPO / "data/nlu").glob("*.yml"):
        for item in yaml.safe_load(path.read_text()).get("nlu", []):
            for line in item.get("examples", "").splitlines():
                line = re.sub(
                    r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}",
                    lambda m: m.group(1) or m.group(2),
                    line.strip()[2:],
                )
                examples.add(normalised(line))
    return examples


def evaluation_texts():
    """Every message of the evaluation sets (warning signs and answers), development and blind."""
    texts = []
    for name in ("dev", "blind"):
        answers = yaml.safe_load((REPO / "tests/answers" / f"{name}.yml").read_text())
        texts += [q["text"] for q in answers["questions"]]
        texts += [t["user"] for c in answers["conversations"] for t in c["turns"]]
    for name in ("dev", "blind"):
        folder = REPO / "tests/vignettes" / name
        messages = yaml.safe_load((folder / "messages.yml").read_text())["messages"]
        texts += [m["text"] for m in messages]
        if (folder / "conversations.yml").exists():
            conversations = yaml.safe_load((folder / "conversations.yml").read_text())[
                "conversations"
            ]
            texts += [t["user"] for c in conversations for t in c["turns"]]
    return texts


def test_no_evaluation_message_is_a_training_example():
    examples = training_examples()
    assert len(examples) > 1000
    # One- and two-word formulas ("ok", "merci beaucoup", "au revoir") have one natural form:
    # the model must learn them, and an evaluation must ask them.
    shared = [
        text
        for text in evaluation_texts()
        if normalised(text) in examples and len(normalised(text).split()) > 2
    ]
    assert not shared, shared


def test_the_nlu_and_the_actions_agree_on_which_intent_asks_about_an_entity():
    from actions.knowledge_base import QUESTION_INTENTS

    assert set(QUESTION_INTENTS.values()) <= set(DOMAIN["intents"])


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in DOMAIN["responses"]
        if n.startswith(("utter_maintien_", "utter_pourquoi_", "utter_rappel_", "utter_conseil_"))
    ],
)
@pytest.mark.parametrize("context", CONTEXTS, ids=lambda c: "-".join(c.values()))
@pytest.mark.parametrize(
    "level, family", [("urgence_immediate", "moelle"), ("urgence_24h", "fracture")]
)
def test_each_safety_reply_has_one_variant_for_each_writer(name, context, level, family):
    slots = {**context, "triage": level, "alerte_famille": family}
    [variation] = variations_for(name, slots)
    if (
        context["ecrit_pour"] == "proche"
        and context["langue"] == "fr"
        and variation.get("condition")
    ):
        assert "votre proche" in variation["text"]
