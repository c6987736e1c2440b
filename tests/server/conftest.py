"""One assistant (action server + Rasa, SQLite tracker store in a temporary folder) for all
the server tests, started as `make run` starts it."""

import pytest

from harness.client import RestClient
from harness.servers import Assistant, current_model


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    with Assistant(current_model(), work_dir=tmp_path_factory.mktemp("assistant")) as running:
        yield running


@pytest.fixture(scope="session")
def client(assistant):
    return RestClient(assistant.url, assistant.token)
