"""One assistant (action server + Rasa, SQLite tracker store in a temporary folder) for all
the server tests, started as `make run` starts it, its Messenger Send API calls recorded."""

import pytest

from deploy.processes import Assistant, current_model
from tests.server.graph_api import GraphApiRecorder
from tools.client import RestClient


@pytest.fixture(scope="session")
def graph_api():
    recorder = GraphApiRecorder()
    yield recorder
    recorder.close()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, graph_api):
    work_dir = tmp_path_factory.mktemp("assistant")
    with Assistant(
        current_model(), work_dir=work_dir, extra_env={"FB_GRAPH_API_URL": graph_api.url}
    ) as running:
        yield running


@pytest.fixture(scope="session")
def client(assistant):
    return RestClient(assistant.url, assistant.token)
