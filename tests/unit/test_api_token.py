"""The HTTP API token: from the environment rather than the command line, and accepted as a
Bearer header."""

import asyncio
from types import SimpleNamespace

import pytest

from assistant.rasa_fixes import api_token


def test_the_token_is_added_inside_the_process_only_when_the_api_is_on():
    env = {"RASA_AUTH_TOKEN": "secret"}
    assert api_token.with_token_from(env, ["rasa", "run", "--enable-api"])[-2:] == [
        "--auth-token",
        "secret",
    ]
    assert api_token.with_token_from(env, ["rasa", "run"]) == ["rasa", "run"]
    given = ["rasa", "run", "--enable-api", "--auth-token=x"]
    assert api_token.with_token_from(env, given) == given
    assert api_token.with_token_from({}, ["rasa", "--enable-api"]) == ["rasa", "--enable-api"]


@pytest.mark.parametrize(
    "headers, args, allowed",
    [
        ({"Authorization": "Bearer secret"}, {}, True),
        ({"Authorization": "bearer secret"}, {}, True),
        ({"Authorization": "Bearer wrong"}, {}, False),
        ({"Authorization": "Basic secret"}, {}, False),
        ({}, {"token": "secret"}, True),
        ({}, {}, False),
    ],
)
def test_bearer_or_parameter(headers, args, allowed):
    def original(app, token):
        def decorator(handler):
            async def checked(request, *a, **k):
                if request.args.get("token") == token:
                    return await handler(request, *a, **k)
                return "401"

            return checked

        return decorator

    async def handler(request):
        return "ok"

    api_token._original, saved = original, api_token._original
    try:
        decorated = api_token._requires_auth(None, "secret")(handler)
        request = SimpleNamespace(headers=headers, args=args)
        assert (asyncio.run(decorated(request)) == "ok") is allowed
    finally:
        api_token._original = saved
