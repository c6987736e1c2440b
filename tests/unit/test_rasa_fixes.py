"""The cached validation of action server responses checks what Rasa's own check does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from assistant.rasa_fixes.action_response_validation import _validate_action_result


@pytest.mark.parametrize(
    "response",
    [
        {"events": [], "responses": []},
        {
            "events": [{"event": "slot", "name": "answered_topics", "value": ["exam_irm"]}],
            "responses": [{"text": "x"}],
        },
        {"events": [{"event": "not_an_event"}], "responses": []},
        {"events": "not a list", "responses": []},
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
