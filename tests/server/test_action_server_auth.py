"""The action server answers only calls that carry Rasa's shared secret; Rasa sends it."""

import requests

from actions.caller_check import ENV_VARIABLE, HEADER
from tools.client import new_sender, texts

CALL = {"next_action": "action_answer_knowledge", "tracker": {}, "domain": {}}


def test_a_call_without_the_secret_is_refused(assistant):
    url = f"{assistant.action_url}/webhook"
    assert requests.post(url, json=CALL, timeout=10).status_code == 401
    wrong = {HEADER: "wrong"}
    assert requests.post(url, json=CALL, headers=wrong, timeout=10).status_code == 401
    assert requests.get(f"{assistant.action_url}/health", timeout=10).status_code == 200


def test_a_call_with_the_secret_is_served(assistant):
    headers = {HEADER: assistant.env[ENV_VARIABLE]}
    answer = requests.post(
        f"{assistant.action_url}/webhook", json=CALL, headers=headers, timeout=10
    )
    assert answer.status_code != 401


def test_rasa_reaches_the_actions_with_it(client):
    assert "IRM" in texts(client.send("c'est quoi une IRM ?", new_sender()))
