"""The safety path does not need the action server; other answers say it is unavailable
and come back when it restarts. Runs last in this folder: it stops the action server."""

from tools.client import new_sender, texts


def test_warning_signs_still_get_their_referral_with_the_action_server_down(assistant, client):
    assistant.stop_actions()
    try:
        for message, level in (
            ("mes jambes ne me portent plus depuis ce matin", "urgence_immediate"),
            ("je n'arrive plus à uriner depuis hier", "urgence_immediate"),
            ("j'ai entendu un crac dans le dos en me baissant", "urgence_24h"),
        ):
            sender = new_sender()
            reply = texts(client.send(message, sender))
            assert "15" in reply
            assert client.slot(sender, "triage") == level

        sender = new_sender()
        first = texts(client.send("j'ai mal au dos", sender))
        assert "1/5" in first
        assert "URGENCE" in texts(client.send("oui", sender))
        assert client.slot(sender, "triage") == "urgence_immediate"

        unavailable = texts(client.send("quels sont les traitements ?"))
        assert "problème technique" in unavailable and "15" in unavailable

        # The conversation around an alert needs no action server either.
        sender = new_sender()
        client.send("mes jambes ne me portent plus depuis ce matin", sender)
        kept = texts(client.send("c'est pas si grave, j'attendrai lundi", sender))
        assert "ne peut pas attendre" in kept and "d'accord" not in kept.lower()
        why = texts(client.send("pourquoi ?", sender))
        assert "vous m'avez signalé" in why.lower()
        reminded = texts(client.send("quels examens on fait ?", sender))
        assert "problème technique" in reminded and "Rappel" in reminded
        assert client.slot(sender, "triage") == "urgence_immediate"
    finally:
        assistant.start_actions()
    assert "chirurgie" in texts(client.send("quels sont les traitements ?")).lower()
