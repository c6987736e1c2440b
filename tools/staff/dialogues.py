"""The staff's test dialogues: plain YAML files in tests/dialogues/, read like a transcript.

    dialogues:
      - nom: Une question sur l'IRM
        tours:
          - patient: c'est quoi une IRM ?
            reponse: irm.overview          # a domain response (utter_...) or a knowledge entry id
            contient: champ magnétique # a phrase the bot's reply must contain
            triage: aucun              # urgence_immediate, urgence_24h, non_urgent or aucun
          - bouton: Oui                # clicks the button with this title in the last reply
            pas_de_reponse: utter_ask_warning_bladder_bowel  # a response that must not come
            ne_contient_pas: "<script>"                     # a phrase that must not appear

Every expectation is optional and takes one value or a list. Mistakes in a file
(an unknown key, a response name that does not exist) are reported before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Sequence

import yaml

from content import read_domain

TRIAGE_LEVELS = ("urgence_immediate", "urgence_24h", "non_urgent", "aucun")
TURN_KEYS = {
    "patient",
    "bouton",
    "reponse",
    "contient",
    "triage",
    "pas_de_reponse",
    "ne_contient_pas",
}


class DialogueFileError(ValueError):
    """A test dialogue file that cannot be run, with a message staff can act on."""


@dataclass(frozen=True)
class Turn:
    patient: str | None  # what the patient types, or
    button: str | None  # the title of the button the patient clicks
    responses: Sequence[str] = ()
    phrases: Sequence[str] = ()
    triage: str | None = None
    absent_responses: Sequence[str] = ()
    absent_phrases: Sequence[str] = ()

    @property
    def said(self) -> str:
        return self.patient if self.patient is not None else f"[bouton] {self.button}"


@dataclass(frozen=True)
class Dialogue:
    name: str
    source: str  # file name, for the report
    turns: Sequence[Turn] = field(default_factory=tuple)


def _as_list(value: Any) -> List[str]:
    if value is None:
        return []
    return [str(item) for item in (value if isinstance(value, list) else [value])]


def _turn(raw: Any, where: str, known_responses: set | None) -> Turn:
    if not isinstance(raw, dict):
        raise DialogueFileError(f"{where}: un tour s'écrit « - patient: ... » suivi des attentes")
    unknown = set(raw) - TURN_KEYS
    if unknown:
        raise DialogueFileError(
            f"{where}: clé inconnue {sorted(unknown)}; clés possibles : {sorted(TURN_KEYS)}"
        )
    if ("patient" in raw) == ("bouton" in raw):
        raise DialogueFileError(f"{where}: chaque tour a soit « patient », soit « bouton »")
    triage = raw.get("triage")
    if triage is not None and triage not in TRIAGE_LEVELS:
        raise DialogueFileError(
            f"{where}: triage « {triage} » inconnu; valeurs possibles : {', '.join(TRIAGE_LEVELS)}"
        )
    responses = _as_list(raw.get("reponse"))
    absent_responses = _as_list(raw.get("pas_de_reponse"))
    if known_responses is not None:
        missing = [name for name in responses + absent_responses if name not in known_responses]
        if missing:
            raise DialogueFileError(
                f"{where}: réponse inconnue {missing} (ni dans content/domain, ni dans la base de connaissances)"
            )
    patient = raw.get("patient")
    return Turn(
        patient=None if patient is None else str(patient),
        button=None if raw.get("bouton") is None else str(raw["bouton"]),
        responses=tuple(responses),
        phrases=tuple(_as_list(raw.get("contient"))),
        triage=triage,
        absent_responses=tuple(absent_responses),
        absent_phrases=tuple(_as_list(raw.get("ne_contient_pas"))),
    )


def load_dialogues(path: Path, known_responses: set | None = None) -> List[Dialogue]:
    """The dialogues of one file; `known_responses` checks the response names when given."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DialogueFileError(f"{path.name}: YAML illisible ({error})") from error
    if not isinstance(content, dict) or not isinstance(content.get("dialogues"), list):
        raise DialogueFileError(
            f"{path.name}: le fichier commence par « dialogues: » suivi d'une liste"
        )
    dialogues = []
    for number, raw in enumerate(content["dialogues"], start=1):
        if (
            not isinstance(raw, dict)
            or not raw.get("nom")
            or not isinstance(raw.get("tours"), list)
            or not raw["tours"]
        ):
            raise DialogueFileError(
                f"{path.name}, dialogue {number}: il faut un « nom » et une liste de « tours »"
            )
        where = f"{path.name}, « {raw['nom']} »"
        turns = tuple(
            _turn(turn, f"{where}, tour {index}", known_responses)
            for index, turn in enumerate(raw["tours"], start=1)
        )
        dialogues.append(Dialogue(name=str(raw["nom"]), source=path.name, turns=turns))
    return dialogues


def load_folder(folder: Path, known_responses: set | None = None) -> List[Dialogue]:
    """Every dialogue of every .yml file in a folder, in file order; names must be unique."""
    dialogues = [
        d for path in sorted(folder.glob("*.yml")) for d in load_dialogues(path, known_responses)
    ]
    seen = set()
    for dialogue in dialogues:
        if dialogue.name in seen:
            raise DialogueFileError(
                f"{dialogue.source}: le nom « {dialogue.name} » est déjà pris par un autre dialogue"
            )
        seen.add(dialogue.name)
    return dialogues


def known_response_names(knowledge_ids: Sequence[str]) -> set:
    """What a turn may name in `reponse`: the domain's responses and the knowledge entries."""
    return set(read_domain().get("responses", {})) | set(knowledge_ids)
