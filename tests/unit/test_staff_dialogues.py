"""The staff's dialogue format, the checks of each turn and the HTML report, on real Rasa
event shapes."""

from pathlib import Path

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from actions.knowledge_base import KnowledgeBase
from tools.staff.dialogue_report import html_report, terminal_summary
from tools.staff.dialogue_runner import DialogueResult, TurnResult, check, turn_events
from tools.staff.dialogues import (
    Dialogue,
    DialogueFileError,
    Turn,
    known_response_names,
    load_dialogues,
    load_folder,
)

REPO = Path(__file__).resolve().parents[2]
KNOWN = known_response_names(KnowledgeBase.load().cell_ids())


def write(tmp_path: Path, text: str, name: str = "essai.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_dialogue_file_reads_like_a_transcript(tmp_path):
    path = write(
        tmp_path,
        """
dialogues:
  - nom: IRM
    tours:
      - patient: c'est quoi une IRM ?
        reponse: irm.overview
        contient: [IRM, examen]
        triage: aucun
      - bouton: Oui
        reponse: [utter_ask_warning_numbness]
        pas_de_reponse: utter_urgence_fracture
        ne_contient_pas: <script>
""",
    )
    [dialogue] = load_dialogues(path, KNOWN)
    assert dialogue.name == "IRM" and dialogue.source == "essai.yml"
    first, second = dialogue.turns
    assert first == Turn(
        "c'est quoi une IRM ?", None, ("irm.overview",), ("IRM", "examen"), "aucun"
    )
    assert second.button == "Oui" and second.said == "[bouton] Oui"
    assert second.absent_responses == ("utter_urgence_fracture",) and second.absent_phrases == (
        "<script>",
    )


@pytest.mark.parametrize(
    "body, complaint",
    [
        (
            "dialogues:\n  - nom: x\n    tours:\n      - patient: a\n        reponse: utter_inexistant\n",
            "réponse inconnue",
        ),
        (
            "dialogues:\n  - nom: x\n    tours:\n      - patient: a\n        triage: grave\n",
            "triage « grave » inconnu",
        ),
        (
            "dialogues:\n  - nom: x\n    tours:\n      - patient: a\n        reponce: irm.overview\n",
            "clé inconnue",
        ),
        (
            "dialogues:\n  - nom: x\n    tours:\n      - patient: a\n        bouton: Oui\n",
            "soit « patient », soit « bouton »",
        ),
        ("dialogues:\n  - nom: x\n", "il faut un « nom » et une liste de « tours »"),
        ("tours: []\n", "commence par « dialogues: »"),
        ("dialogues: [\n", "YAML illisible"),
    ],
)
def test_mistakes_in_a_file_are_explained_before_anything_runs(tmp_path, body, complaint):
    with pytest.raises(DialogueFileError, match=complaint):
        load_dialogues(write(tmp_path, body), KNOWN)


def test_two_dialogues_cannot_share_a_name(tmp_path):
    body = "dialogues:\n  - nom: pareil\n    tours:\n      - patient: bonjour\n"
    write(tmp_path, body, "a.yml")
    write(tmp_path, body, "b.yml")
    with pytest.raises(DialogueFileError, match="déjà pris"):
        load_folder(tmp_path, KNOWN)


def test_the_shipped_dialogues_load():
    assert len(load_folder(REPO / "tests" / "dialogues", KNOWN)) >= 40


def tracker_events():
    return [
        ActionExecuted("action_session_start").as_dict(),
        BotUttered("Bienvenue", metadata={"utter_action": "utter_bienvenue"}).as_dict(),
        ActionExecuted("action_listen").as_dict(),
        UserUttered("bonjour", {"name": "greet", "confidence": 0.99}).as_dict(),
        BotUttered("Bonjour !", metadata={"utter_action": "utter_salut"}).as_dict(),
        ActionExecuted("action_listen").as_dict(),
        UserUttered("c'est quoi une IRM ?", {"name": "ask_exams", "confidence": 0.87}).as_dict(),
        ActionExecuted("action_answer_from_knowledge").as_dict(),
        BotUttered("L'IRM est un examen…", data={"buttons": []}).as_dict(),
        SlotSet("answered_topics", ["irm.overview"]).as_dict(),
        ActionExecuted("action_listen").as_dict(),
    ]


def test_a_turn_is_read_from_the_events_since_the_previous_turn():
    first, second = tracker_events()[:6], tracker_events()[6:]
    assert turn_events(first) == {
        "intent": "greet",
        "confidence": 0.99,
        "responses": ["utter_bienvenue", "utter_salut"],
    }
    assert turn_events(second) == {
        "intent": "ask_exams",
        "confidence": 0.87,
        "responses": ["irm.overview"],
    }


def one_turn_dialogue(name: str, patient: str) -> Dialogue:
    return Dialogue(name=name, source="essai.yml", turns=(Turn(patient, None),))


def turn_result(turn: Turn, **actual) -> TurnResult:
    result = TurnResult(turn, sent=turn.said, **actual)
    result.failures = check(result)
    return result


def test_expectations_are_checked_in_words_staff_understand():
    turn = Turn("ma jambe lâche", None, ("utter_urgence_moelle",), ("15",), "urgence_immediate")
    met = turn_result(
        turn,
        replies=["Appelez le 15 ou le 112 maintenant."],
        responses=["utter_urgence_moelle"],
        triage="urgence_immediate",
    )
    assert met.passed
    missed = turn_result(
        turn, replies=["Je n'ai pas bien compris."], responses=["utter_default"], triage="aucun"
    )
    assert missed.failures == [
        "réponse attendue « utter_urgence_moelle », obtenue ['utter_default']",
        "la réponse ne contient pas « 15 »",
        "triage attendu « urgence_immediate », obtenu « aucun »",
    ]


def test_what_must_not_come_is_checked_too():
    turn = Turn(
        "<script>alert(1)</script>",
        None,
        absent_responses=("utter_urgence_moelle",),
        absent_phrases=("<script>",),
    )
    assert turn_result(turn, replies=["Je n'ai pas compris."], responses=["utter_default"]).passed
    echoed = turn_result(
        turn, replies=["<script>alert(1)</script>"], responses=["utter_urgence_moelle"]
    )
    assert echoed.failures == [
        "réponse « utter_urgence_moelle » donnée alors qu'elle ne devait pas l'être",
        "la réponse contient « <script> », qui ne devait pas y être",
    ]


def test_phrases_ignore_case_apostrophes_and_spacing_and_include_button_titles():
    turn = Turn("a", None, (), ("l'équipe d'oncologie", "oui"), None)
    assert turn_result(
        turn, replies=["Contactez  L\u2019ÉQUIPE d\u2019oncologie."], buttons=["Oui", "Non"]
    ).passed


def test_the_report_puts_failures_first_and_escapes_what_was_said():
    ok = DialogueResult(one_turn_dialogue("réussi", "bonjour"))
    ok.turns.append(turn_result(ok.dialogue.turns[0], replies=["Bonjour"], triage="non_urgent"))
    ko = DialogueResult(one_turn_dialogue("échoué", "<script>alert(1)</script>"))
    ko.turns.append(turn_result(Turn("<script>alert(1)</script>", None, ("utter_bot",), (), None)))
    page = html_report([ok, ko], "local")
    assert page.index("<h2>échoué") < page.index("<h2>réussi")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "triage : non_urgent" in page
    summary = terminal_summary([ok, ko])
    assert summary.splitlines()[0] == "2 dialogues: 1 passed, 1 failed"
    assert "FAILED essai.yml: échoué" in summary and "réponse attendue « utter_bot »" in summary
    assert "réussi" not in summary
