"""What the metrics count, from Rasa's own events, and that no label carries patient text."""

import asyncio
import socket
import urllib.request

import pytest
from prometheus_client import REGISTRY, generate_latest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.utils.endpoints import EndpointConfig

from assistant.metrics.broker import MetricsEventBroker, serve_metrics
from assistant.metrics.counters import counted


def value(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def publish(broker, sender, events):
    for event in events:
        broker.publish({"sender_id": sender, **event.as_dict()})


@pytest.fixture()
def broker():
    return asyncio.run(MetricsEventBroker.from_endpoint_config(EndpointConfig(type="x")))


def test_urgent_referrals_are_counted_by_the_triage_level_set(broker):
    before = {
        level: value("metastases_urgent_referrals_total", level=level)
        for level in ("urgence_immediate", "urgence_24h")
    }
    publish(
        broker,
        "p1",
        [
            UserUttered("mes jambes ne me portent plus", {"name": "report_neuro_deficit"}),
            SlotSet("triage", "urgence_immediate"),
            BotUttered("URGENCE", metadata={"utter_action": "utter_urgence_moelle"}),
            SlotSet("triage", "urgence_24h"),
            SlotSet("triage", "non_urgent"),
            SlotSet("triage", None),
            SlotSet("warning_weakness", "urgence_immediate"),
        ],
    )
    assert value("metastases_urgent_referrals_total", level="urgence_immediate") == (
        before["urgence_immediate"] + 1
    )
    assert value("metastases_urgent_referrals_total", level="urgence_24h") == (
        before["urgence_24h"] + 1
    )
    assert value("metastases_urgent_referrals_total", level="non_urgent") == 0


def test_fallbacks_honest_gaps_and_action_server_errors_by_response(broker):
    names = (
        "metastases_fallbacks_total",
        "metastases_honest_gap_answers_total",
        "metastases_action_server_errors_total",
    )
    before = [value(name) for name in names]
    publish(
        broker,
        "p2",
        [
            BotUttered("Je n'ai pas compris", metadata={"utter_action": "utter_default"}),
            BotUttered("Je ne peux répondre qu'aux", metadata={"utter_action": "utter_hors_sujet"}),
            BotUttered(
                "problème technique", metadata={"utter_action": "utter_service_indisponible"}
            ),
            BotUttered(
                "problème technique", metadata={"utter_action": "utter_service_indisponible"}
            ),
            BotUttered("Bonjour", metadata={"utter_action": "utter_salut"}),
            BotUttered("texte libre"),
            ActionExecuted("utter_default"),  # counted from the message, not the action
        ],
    )
    assert [value(name) - b for name, b in zip(names, before, strict=True)] == [1, 1, 2]


def test_the_responses_counted_come_from_the_broker_settings():
    broker = asyncio.run(
        MetricsEventBroker.from_endpoint_config(
            EndpointConfig(type="x", honest_gap_responses=["utter_pas_dans_article"])
        )
    )
    before = value("metastases_honest_gap_answers_total")
    publish(broker, "p3", [BotUttered("x", metadata={"utter_action": "utter_pas_dans_article"})])
    publish(broker, "p3", [BotUttered("x", metadata={"utter_action": "utter_hors_sujet"})])
    assert value("metastases_honest_gap_answers_total") == before + 1


def test_messages_are_counted_and_timed_by_channel_even_when_handling_fails():
    calls = []

    async def handle(message):
        calls.append(message)
        if message == "boom":
            raise RuntimeError("tracker store down")

    handler = counted(handle, "rest")
    before = value("metastases_messages_total", channel="rest")
    timed = value("metastases_reply_seconds_count", channel="rest")
    asyncio.run(handler("bonjour"))
    with pytest.raises(RuntimeError):
        asyncio.run(handler("boom"))
    assert calls == ["bonjour", "boom"]
    assert value("metastases_messages_total", channel="rest") == before + 2
    assert value("metastases_reply_seconds_count", channel="rest") == timed + 2


def test_no_patient_text_or_sender_in_the_exposition(broker):
    secret = "Je m'appelle Jeanne Dupont et je ne sens plus mes jambes"
    publish(
        broker,
        "jeanne.dupont@example.org",
        [
            UserUttered(secret, {"name": "report_neuro_deficit"}),
            SlotSet("triage", secret),
            BotUttered(secret, metadata={"utter_action": secret}),
        ],
    )
    asyncio.run(counted(lambda m: asyncio.sleep(0), "socketio")(secret))
    exposition = generate_latest(REGISTRY).decode()
    assert "Jeanne" not in exposition and "jeanne" not in exposition
    assert "metastases_messages_total" in exposition


def test_metrics_are_served_on_their_own_port_and_a_busy_port_is_not_fatal():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert serve_metrics(str(port), "127.0.0.1")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        assert b"metastases_urgent_referrals_total" in response.read()
    assert not serve_metrics(str(port), "127.0.0.1")  # already taken: logged, not raised
    assert not serve_metrics(None, "127.0.0.1")
    assert not serve_metrics("not-a-port", "127.0.0.1")


def test_an_honest_gap_of_the_knowledge_base_is_counted_from_its_kind_of_answer(broker):
    before = value("metastases_honest_gap_answers_total")
    publish(
        broker,
        "p4",
        [
            SlotSet("answer_kind", "gap"),
            SlotSet("answer_kind", "fact"),
            SlotSet("answer_kind", "repeat"),
        ],
    )
    assert value("metastases_honest_gap_answers_total") == before + 1
