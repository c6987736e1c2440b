"""The deterministic warning-sign detector on sentences written for these tests (the
evaluation vignettes live in tests/vignettes and are checked end to end)."""

import pytest

from assistant.safety.detector import (
    CURRENT,
    GENERAL,
    HISTORY,
    HYPOTHETICAL,
    NEGATED,
    RESOLVED,
    RedFlagDetector,
)
from assistant.safety.levels import URGENCE_24H, URGENCE_IMMEDIATE, VERIFY
from assistant.safety.lexicon import load_lexicon


@pytest.fixture(scope="module")
def detector():
    return RedFlagDetector(load_lexicon())


@pytest.fixture
def analyse(detector, nlp):
    def run(text):
        return detector.analyse(nlp(text)).findings

    return run


def current_levels(findings):
    return {f.level for f in findings if f.status == CURRENT}


@pytest.mark.parametrize(
    "text, category",
    [
        ("Depuis ce matin mes jambes lâchent quand je me lève", "deficit_moteur"),
        ("mon père ne peut plus se lever du fauteuil", "deficit_moteur"),
        ("jarrive plu a marché depuis hier", "deficit_moteur"),
        ("g des fourmis ds les jambes", "trouble_sensitif"),
        ("je ne sens plus rien entre les cuisses", "trouble_sensitif"),
        ("ma femme n'arrive plus à faire pipi depuis ce matin", "trouble_sphincterien"),
        ("je fais pipi sur moi sans m'en rendre compte", "trouble_sphincterien"),
        ("j'ai une douleur qui descend dans la jambe gauche", "douleur_radiculaire"),
        ("ça me serre autour du thorax comme une ceinture", "douleur_radiculaire"),
        ("quand je penche la tête j'ai des décharges électriques dans le dos", "signe_lhermitte"),
        ("je suis tt engourdi", "trouble_sensitif"),
        ("mes jambe sont en coton et lourde", "deficit_moteur"),
        ("il a une faiblese dans la jambe droite", "deficit_moteur"),
    ],
)
def test_neurological_signs_are_immediate(analyse, text, category):
    findings = analyse(text)
    assert URGENCE_IMMEDIATE in current_levels(findings), findings
    assert category in {f.category for f in findings if f.status == CURRENT}


@pytest.mark.parametrize(
    "text, category",
    [
        ("j'ai mal au dos la nuit, ça me réveille", "douleur_suspecte"),
        ("la douleur entre les omoplates est de pire en pire", "douleur_suspecte"),
        ("quand je tousse ça me lance dans le dos", "douleur_suspecte"),
        ("j'ai entendu un crac dans le dos en soulevant un carton", "fracture_possible"),
        ("je n'arrive plus à me redresser depuis ma chute", "fracture_possible"),
        ("ma mère a le dos qui s'arrondit depuis un mois", "fracture_possible"),
        ("j'ai tout le temps soif et je suis confuse", "hypercalcemie"),
        ("je vomis et je suis constipé depuis trois jours", "hypercalcemie"),
    ],
)
def test_other_warning_signs_are_seen_within_24_hours(analyse, text, category):
    findings = analyse(text)
    assert current_levels(findings) & {URGENCE_24H}, findings
    assert category in {f.category for f in findings if f.status == CURRENT}


@pytest.mark.parametrize(
    "text, status",
    [
        ("je n'ai pas de faiblesse dans les jambes", NEGATED),
        ("pas de souci pour uriner", NEGATED),
        ("aucune perte de sensibilité", NEGATED),
        ("mes jambes ne lâchent pas", NEGATED),
        ("est-ce que je risque la paralysie ?", HYPOTHETICAL),
        ("que faire si un jour mes jambes lâchent ?", HYPOTHETICAL),
        ("les métastases peuvent-elles donner des troubles urinaires ?", HYPOTHETICAL),
        ("est-ce que je peux devenir incontinent avec des métastases ?", HYPOTHETICAL),
        ("les fractures sont-elles fréquentes avec des métastases vertébrales ?", GENERAL),
        ("l'hypercalcémie c'est grave ?", GENERAL),
        ("j'ai eu des fourmis dans les jambes il y a deux ans, c'est passé", RESOLVED),
        ("ma voisine avait été paralysée par une métastase il y a des années", RESOLVED),
        ("mon oncle avait eu une compression de la moelle, il est décédé depuis", HISTORY),
        # a condition already diagnosed and in care
        ("pourquoi on me met un corset après mon tassement ?", HISTORY),
        ("elle rentre après une hospitalisation pour un tassement, qui peut l'aider ?", HISTORY),
        ("on m'a trouvé une fracture sur une vertèbre, stable et connue depuis des mois", HISTORY),
        ("hypercalcemie késako", GENERAL),
        ("compression de la moelle ?? expliquez moi svp", GENERAL),
    ],
)
def test_denied_asked_or_past_signs_are_not_current(analyse, text, status):
    findings = analyse(text)
    assert findings, "the mention itself must still be found"
    assert not current_levels(findings) & {URGENCE_IMMEDIATE, URGENCE_24H}, findings
    assert status in {f.status for f in findings}


@pytest.mark.parametrize(
    "text, level",
    [
        # A negation that is part of the sign is not a denial.
        ("je ne peux plus marcher", URGENCE_IMMEDIATE),
        ("mes jambes ne me portent plus", URGENCE_IMMEDIATE),
        # Doubt keeps the sign (caution).
        ("je ne sais pas si c'est grave mais je ne sens plus mes pieds", URGENCE_IMMEDIATE),
        # A question that reports a current sign.
        ("est-ce grave si je ne sens plus mes pieds depuis hier ?", URGENCE_IMMEDIATE),
        # A relative's current sign counts.
        ("mon mari ne sent plus ses jambes depuis cette nuit", URGENCE_IMMEDIATE),
        # A resolved sign does not hide a new one.
        (
            "j'ai eu des fourmis il y a deux ans mais depuis hier mes jambes lâchent",
            URGENCE_IMMEDIATE,
        ),
        # A condition in care that comes back or gets worse now is a sign again.
        (
            "mon tassement traité le mois dernier me fait de nouveau très mal depuis hier",
            URGENCE_24H,
        ),
        ("depuis hier j'ai un tassement, on me met un corset ?", URGENCE_24H),
        # A fracture after a fall is a report, not a known condition.
        ("fracture de vertèbre après une chute hier ?", URGENCE_24H),
    ],
)
def test_current_signs_survive_their_context(analyse, text, level):
    assert level in current_levels(analyse(text))


def test_tingling_fingers_on_chemotherapy_asks_the_questions(analyse):
    findings = analyse("j'ai des fourmillements dans les doigts depuis la chimio")
    assert current_levels(findings) == {VERIFY}


def test_one_common_sign_of_hypercalcaemia_asks_the_questions(analyse):
    assert current_levels(analyse("je vomis depuis deux jours")) == {VERIFY}


@pytest.mark.parametrize(
    "text",
    [
        "on a des fourmis dans la cuisine",
        "je marche une heure par jour sans problème",
        "je me suis levé du bon pied ce matin",
        "je bois une tasse de café le matin",
        "merci pour ces informations",
    ],
)
def test_near_misses_find_nothing_urgent(analyse, text):
    assert not current_levels(analyse(text)) & {URGENCE_IMMEDIATE, URGENCE_24H}


def test_a_sign_inside_a_10000_character_message_is_found(analyse):
    filler = "Je vous écris pour avoir des informations sur mon traitement. " * 90
    text = (filler + "Depuis ce matin je ne sens plus mes jambes. " + filler)[:10_000]
    assert len(text) == 10_000
    assert URGENCE_IMMEDIATE in current_levels(analyse(text))


@pytest.mark.parametrize(
    "text, general",
    [
        ("et ça fait mal ?", True),
        ("c'est long une radiothérapie ?", True),
        ("j'ai mal au dos, c'est grave ?", False),
        ("ma mère a mal, ça peut attendre ?", False),
        ("depuis ce matin ça fait mal ?", False),
        ("ça fait mal", False),
        ("le corset, il doit le porter même pour dormir ?", True),
        ("depuis la radiothérapie il ne dort plus, c'est normal ?", False),
        # "est ce que" without its hyphen, as often written
        ("est ce que tousser augmente la douleur d'une métastase en général ?", True),
        ("est ce que c'est grave, j'ai mal au dos depuis hier", False),
    ],
)
def test_a_question_with_nobody_and_no_time_in_it_is_general(detector, nlp, text, general):
    assert detector.analyse(nlp(text)).general_question is general


def test_a_comparison_that_makes_light_of_it_is_no_worse_pain(analyse):
    assert not current_levels(analyse("C'est seulement une douleur, j'ai connu pire."))


def test_a_pulling_pain_high_in_the_back_is_a_24h_sign(analyse):
    findings = analyse("ça tire en haut du dos au niveau des omoplates depuis des jours")
    assert URGENCE_24H in current_levels(findings)


def test_a_pain_between_the_neck_and_the_shoulders_is_a_24h_sign(analyse):
    findings = analyse("j'ai mal, c'est entre le cou et les omoplates, depuis une semaine")
    assert URGENCE_24H in current_levels(findings)


def test_an_emotional_collapse_is_no_fracture(analyse):
    text = "le cancer de mon père s'est étendu aux os, je suis effondrée"
    assert not current_levels(analyse(text))


def test_sleeping_as_a_purpose_is_no_sleepiness(analyse):
    text = "le corset, il doit le porter tout le temps, même pour dormir ?"
    assert not current_levels(analyse(text))
