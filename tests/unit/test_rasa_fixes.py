"""The cached validation of action server responses checks what Rasa's own check does."""

import dataclasses

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain

from assistant.rasa_fixes.action_response_validation import _validate_action_result


def _rasa_events():
    """One event of each type Rasa's schema knows, as Rasa serialises it (the two legacy form
    events as older SDKs send them)."""
    from datetime import datetime

    from rasa.shared.core import events

    return [
        event.as_dict()
        for event in (
            events.UserUttered("bonjour", {"name": "greet", "confidence": 0.9}, []),
            events.ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0),
            events.SlotSet("answered_topics", ["irm.overview"]),
            events.EntitiesAdded([{"entity": "examen", "value": "irm"}]),
            events.DefinePrevUserUtteredFeaturization(False),
            events.ReminderCancelled(name="r"),
            events.ReminderScheduled("EXTERNAL_x", datetime(2026, 1, 1)),
            events.ActionExecutionRejected("action_x"),
            events.LoopInterrupted(True),
            events.ActiveLoop("triage_form"),
            events.AllSlotsReset(),
            events.ConversationResumed(),
            events.ConversationPaused(),
            events.FollowupAction("action_x"),
            events.StoryExported(),
            events.Restarted(),
            events.ActionReverted(),
            events.UserUtteranceReverted(),
            events.BotUttered("Bonjour", {"buttons": []}),
            events.SessionStarted(),
            events.AgentUttered("x"),
        )
    ] + [{"event": "form", "name": "triage_form"}, {"event": "form_validation", "validate": True}]


@pytest.mark.parametrize(
    "response",
    [
        {"events": [], "responses": []},
        {},
        {
            "events": [{"event": "slot", "name": "answered_topics", "value": ["irm.overview"]}],
            "responses": [{"text": "x"}],
        },
        {"events": _rasa_events(), "responses": [{"text": "x"}]},
        {"events": [{"event": "not_an_event"}], "responses": []},
        {"events": "not a list", "responses": []},
        {"events": [{"name": "x", "value": 1}]},
        {"events": [{"event": 3}]},
        {"events": ["slot"]},
        {"events": [{"event": "slot", "name": "x"}]},
        {"events": [{"event": "slot", "name": 3, "value": 1}]},
        {"events": [{"event": "user", "text": 3}]},
        {"events": [{"event": "user", "parse_data": {"intent": {"confidence": "high"}}}]},
        {"events": [{"event": "action", "name": "x", "confidence": "1"}]},
        {"events": [{"event": "entities"}]},
        {"events": [{"event": "bot", "timestamp": "today"}]},
        {"events": [{"event": "restart", "metadata": []}]},
        {"events": [], "responses": ["not an object"]},
        ["not", "an", "object"],
    ],
)
def test_the_cached_validation_agrees_with_rasa(response):
    try:
        jsonschema.validate(response, RemoteAction.action_response_format_spec())
        rasa_accepts = True
    except jsonschema.ValidationError:
        rasa_accepts = False
    try:
        ours_accepts = _validate_action_result(None, response)
    except jsonschema.ValidationError:
        ours_accepts = False
    assert ours_accepts == rasa_accepts


def test_each_event_type_of_rasas_schema_is_accepted_by_its_own_branch():
    events = _rasa_events()
    jsonschema.validate({"events": events}, RemoteAction.action_response_format_spec())
    assert _validate_action_result(None, {"events": events, "responses": []})
    assert len({event["event"] for event in events}) == len(
        RemoteAction.action_response_format_spec()["properties"]["events"]["items"]["oneOf"]
    )


def test_event_classes_are_found_as_rasa_finds_them():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    from assistant.rasa_fixes.event_types import _resolve_by_type

    for cls in all_subclasses(Event):
        assert _resolve_by_type(cls.type_name) is Event.resolve_by_type(cls.type_name)
    assert _resolve_by_type("nothing", default=Event) is Event


def test_the_fixes_refuse_a_rasa_version_they_were_not_measured_on():
    from assistant.rasa_fixes import MEASURED_ON_RASA, UnsupportedRasaVersionError, apply

    with pytest.raises(UnsupportedRasaVersionError, match=MEASURED_ON_RASA):
        apply(version="3.7.0")


def test_the_fixes_were_measured_on_the_installed_rasa():
    import rasa

    from assistant.rasa_fixes import MEASURED_ON_RASA

    assert rasa.__version__ == MEASURED_ON_RASA


async def _serve_counting_connections(calls):
    """An HTTP endpoint that records each request's client port, headers and query."""
    from aiohttp import web

    async def webhook(request):
        calls.append(
            {
                "port": request.transport.get_extra_info("peername")[1],
                "auth": request.headers.get("Authorization"),
                "custom": request.headers.get("X-Custom"),
                "token": request.query.get("token"),
                "body": await request.json(),
            }
        )
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


def _endpoint_calls(pooled: bool, requests: int = 5):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    from assistant.rasa_fixes import action_connections

    calls = []

    async def scenario():
        runner, port = await _serve_counting_connections(calls)
        endpoint = EndpointConfig(
            f"http://127.0.0.1:{port}/webhook",
            headers={"X-Custom": "yes"},
            basic_auth={"username": "u", "password": "p"},
            token="secret",
        )
        if pooled:
            endpoint.session = action_connections._session.__get__(endpoint)
        answers = [await endpoint.request(json={"n": n}) for n in range(requests)]
        if pooled:
            for session in vars(endpoint)[action_connections._SESSIONS].values():
                await session.close()
        await runner.cleanup()
        return answers

    answers = asyncio.run(scenario())
    return answers, calls


def test_pooled_action_connections_send_what_rasa_sends_over_one_connection():
    rasa_answers, rasa_calls = _endpoint_calls(pooled=False)
    our_answers, our_calls = _endpoint_calls(pooled=True)
    assert our_answers == rasa_answers == [{"events": [], "responses": []}] * 5
    strip = [{k: v for k, v in c.items() if k != "port"} for c in rasa_calls]
    assert [{k: v for k, v in c.items() if k != "port"} for c in our_calls] == strip
    assert len({c["port"] for c in rasa_calls}) == 5  # Rasa: a new connection per request
    assert len({c["port"] for c in our_calls}) == 1


def test_pooled_sessions_are_configured_as_rasas():
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    from assistant.rasa_fixes.action_connections import new_session

    endpoint = EndpointConfig(
        "http://x", headers={"A": "b"}, basic_auth={"username": "u", "password": "p"}
    )

    async def compare():
        rasas, ours = endpoint.session(), new_session(endpoint)
        try:
            assert dict(ours.headers) == dict(rasas.headers)
            assert ours.auth == rasas.auth
            assert ours.timeout == rasas.timeout
        finally:
            await rasas.close()
            await ours.close()

    asyncio.run(compare())


class _Adder:
    """A graph component adding its config's value to what it receives."""

    calls: list = []
    in_a_run: list = []  # whether each call was inside a prediction run (policy_states)


def _graph():
    from rasa.engine.graph import GraphComponent, GraphSchema, SchemaNode

    class Adder(GraphComponent):
        @classmethod
        def create(cls, config, model_storage, resource, execution_context):
            return cls(config)

        def __init__(self, config):
            self.value = config["value"]

        def add(self, **received):
            from assistant.rasa_fixes import policy_states

            _Adder.calls.append(self.value)
            _Adder.in_a_run.append(policy_states._in_run.get())
            if self.value == "boom":
                raise ValueError("component failed")
            return self.value + sum(received.values())

    def node(value, **needs):
        return SchemaNode(
            needs=needs, uses=Adder, fn="add", constructor_name="create", config={"value": value}
        )

    return GraphSchema(
        {
            "a": node(1, x="__message__"),
            "b": node(10, a="a"),
            "c": node(100, a="a", x="__message__"),
            "d": node(1000, c="c", b="b"),
            "unused": node(5, a="a"),
            "e": node(0, d="d"),
        }
    )


def _run(runner_class, schema, **kwargs):
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    _Adder.calls = []
    runner = runner_class(schema, LocalModelStorage("."), ExecutionContext(schema, "test"))
    try:
        return runner.run(**kwargs), list(_Adder.calls)
    except Exception as error:
        return type(error), list(_Adder.calls)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"inputs": {"__message__": 2}, "targets": ["e"]},
        {"inputs": {"__message__": 2}, "targets": ["b", "d"]},
        {"inputs": {"__message__": 3}, "targets": ["c"]},
        {"inputs": {"__message__": "a"}, "targets": ["e"]},  # clashes with a node name
        {"inputs": {"__message__": 2, "b": 7}, "targets": ["d"]},  # an input replaces a node
        {"inputs": {}, "targets": ["a"]},  # a missing input
    ],
)
def test_the_ordered_graph_runner_gives_what_rasas_dask_runner_gives(kwargs):
    from rasa.engine.runner.dask import DaskGraphRunner

    from assistant.rasa_fixes.graph_runner import OrderedGraphRunner

    schema = _graph()
    rasas, rasa_calls = _run(DaskGraphRunner, schema, **kwargs)
    ours, our_calls = _run(OrderedGraphRunner, schema, **kwargs)
    assert ours == rasas
    assert sorted(our_calls) == sorted(rasa_calls)  # the same nodes, each once


def test_the_nodes_of_an_ordered_run_keep_the_policies_states():
    from assistant.rasa_fixes import policy_states
    from assistant.rasa_fixes.graph_runner import OrderedGraphRunner

    _Adder.in_a_run = []
    _run(OrderedGraphRunner, _graph(), inputs={"__message__": 2}, targets=["e"])
    assert _Adder.in_a_run and all(_Adder.in_a_run)
    assert not policy_states._in_run.get()  # Rasa's own states after the run


def test_the_ordered_graph_runner_raises_what_rasas_raises():
    from rasa.engine.graph import GraphSchema
    from rasa.engine.runner.dask import DaskGraphRunner

    from assistant.rasa_fixes.graph_runner import OrderedGraphRunner

    nodes = dict(_graph().nodes)
    nodes["a"] = dataclasses.replace(nodes["a"], config={"value": "boom"})
    schema = GraphSchema(nodes)
    kwargs = {"inputs": {"__message__": 2}, "targets": ["e"]}
    assert _run(OrderedGraphRunner, schema, **kwargs) == _run(DaskGraphRunner, schema, **kwargs)
    assert _run(OrderedGraphRunner, schema, **kwargs)[0] is not dict


def test_the_ordered_runner_replaces_rasas_in_the_message_processor():
    import rasa.core.processor
    from rasa.engine.runner.dask import DaskGraphRunner

    from assistant.rasa_fixes import graph_runner

    try:
        graph_runner.apply()
        assert rasa.core.processor.DaskGraphRunner is graph_runner.OrderedGraphRunner
    finally:
        rasa.core.processor.DaskGraphRunner = DaskGraphRunner


def test_the_action_endpoint_carries_the_action_servers_secret(tmp_path, monkeypatch):
    from rasa.core.utils import AvailableEndpoints

    from actions.caller_check import ENV_VARIABLE, HEADER
    from assistant.rasa_fixes import action_token

    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text('action_endpoint:\n  url: "http://127.0.0.1:5055/webhook"\n')
    monkeypatch.setenv(ENV_VARIABLE, "secret")
    monkeypatch.setattr(AvailableEndpoints, "read_endpoints", AvailableEndpoints.read_endpoints)
    action_token.apply()
    assert AvailableEndpoints.read_endpoints(str(endpoints)).action.headers == {HEADER: "secret"}


def _tracker_payload():
    """What Rasa sends the action server for a conversation with every kind of event."""
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    events = [Event.from_parameters(event) for event in _rasa_events()]
    tracker = DialogueStateTracker.from_events("patient", [e for e in events if e], slots=[])
    payload = tracker.current_state(EventVerbosity.ALL)
    payload["extra"] = {"accents": "é/ü «»\u2028", "float": 1 / 3, "tiny": 1e-7, "big": 2**70}
    return payload


@pytest.mark.parametrize("special", [None, float("nan"), float("inf"), -(2**80), "\ud800"])
def test_the_faster_serialiser_writes_what_json_writes(special):
    import json

    from assistant.rasa_fixes.action_connections import serialise

    payload = _tracker_payload()
    payload["special"] = special
    assert len(payload["events"]) == len(_rasa_events())
    assert json.dumps(json.loads(serialise(payload))) == json.dumps(payload)


@pytest.mark.parametrize("refused", [{1, 2}, b"bytes", object()])
def test_the_faster_serialiser_refuses_sets_bytes_and_objects_as_json_does(refused):
    import json

    from assistant.rasa_fixes.action_connections import serialise

    with pytest.raises(TypeError):
        json.dumps({"slot": refused})
    with pytest.raises(TypeError):
        serialise({"slot": refused})


def test_is_empty_answers_as_rasa():
    from assistant.rasa_fixes import domain_empty
    from content import DOMAIN_DIR

    for domain in (
        Domain.load(str(DOMAIN_DIR)),
        Domain.empty(),
        Domain.from_dict({}),
        Domain.from_dict({"intents": ["greet"]}),
        Domain.from_dict({"session_config": {"session_expiration_time": 5}}),
    ):
        # Rasa 3.6's own definition
        assert domain_empty._is_empty(domain) == (domain.as_dict() == Domain.empty().as_dict())
    assert domain_empty._is_empty(Domain.empty())
    assert not domain_empty._is_empty(Domain.from_dict({"intents": ["greet"]}))


def test_every_fix_of_the_package_is_applied(monkeypatch):
    import pkgutil

    from assistant import rasa_fixes

    modules = [m.name for m in pkgutil.iter_modules(rasa_fixes.__path__) if m.name != "__main__"]
    applied = []
    for name in modules:
        module = __import__(f"assistant.rasa_fixes.{name}", fromlist=["apply"])
        monkeypatch.setattr(module, "apply", lambda name=name: applied.append(name))
    rasa_fixes.apply()
    assert sorted(applied) == sorted(modules)
