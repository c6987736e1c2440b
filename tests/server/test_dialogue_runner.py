"""The staff's dialogue runner, as a staff member uses it: a new file with two right dialogues
and one wrong expectation; the runner must report exactly the wrong one, against the live
server and against the trained model it starts itself."""

import subprocess

import pytest

from deploy.settings import PROJECT, VENV_BIN

DIALOGUES = """\
dialogues:
  - nom: Une question sur l'IRM
    tours:
      - patient: c'est quoi une IRM ?
        reponse: irm.overview
        contient: IRM
        triage: aucun
  - nom: Les jambes qui ne portent plus
    tours:
      - patient: depuis ce matin je ne sens plus mes jambes
        reponse: utter_urgence_moelle
        contient: ["15", "112"]
        triage: urgence_immediate
  - nom: Une attente fausse
    tours:
      - patient: bonjour
        reponse: utter_au_revoir
"""


@pytest.fixture
def dialogue_folder(tmp_path):
    folder = tmp_path / "dialogues"
    folder.mkdir()
    (folder / "nouveau.yml").write_text(DIALOGUES, encoding="utf-8")
    return folder


def run_dialogues(folder, *options):
    report = folder.parent / "report.html"
    completed = subprocess.run(
        [
            str(VENV_BIN / "metastases-test-dialogues"),
            "--dialogues",
            str(folder),
            "--report",
            str(report),
            *options,
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return completed, report.read_text(encoding="utf-8")


def assert_only_the_wrong_one_fails(completed, page):
    assert completed.returncode == 1, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0] == "3 dialogues: 2 passed, 1 failed"
    assert [line for line in lines if "FAILED" in line] == [
        "  FAILED nouveau.yml: Une attente fausse"
    ]
    assert "réponse attendue « utter_au_revoir »" in completed.stdout
    assert "<strong>1 échoués</strong>" in page
    assert page.index("Une attente fausse") < page.index("Une question sur l&#x27;IRM")
    assert "triage : urgence_immediate" in page


def test_against_the_live_server(assistant, dialogue_folder):
    completed, page = run_dialogues(
        dialogue_folder, "--url", assistant.url, "--token", assistant.token
    )
    assert_only_the_wrong_one_fails(completed, page)


def test_against_the_trained_model(dialogue_folder):
    completed, page = run_dialogues(dialogue_folder)
    assert_only_the_wrong_one_fails(completed, page)


def test_a_live_server_that_does_not_answer_is_a_failure_not_a_crash(dialogue_folder):
    completed, page = run_dialogues(dialogue_folder, "--url", "http://127.0.0.1:9", "--token", "x")
    assert completed.returncode == 1
    assert "3 dialogues: 0 passed, 3 failed" in completed.stdout
    assert "le serveur n&#x27;a pas répondu" in page
