"""The production profile as `make run-prod` starts it: nginx in front of two Rasa servers on
endpoints.prod.yml, the real PostgreSQL and Redis of the machine, a database of its own."""

import uuid

import pytest
import sqlalchemy as sa

from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT, production_env
from tools.client import RestClient

DATABASE = f"metastases_test_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def production_settings():
    # The load tests send from one address: the per-client limit is tested on its own proxy
    # (test_security.py).
    return {
        **production_env(),
        "POSTGRES_DB": DATABASE,
        "REDIS_DB": "2",
        "WEBHOOK_RATE": "10000r/s",
        "WEBHOOK_BURST": "10000",
    }


@pytest.fixture(scope="session")
def database(production_settings):
    s = production_settings
    admin = sa.create_engine(
        f"postgresql://{s['POSTGRES_USER']}:{s['POSTGRES_PASSWORD']}@{s['POSTGRES_HOST']}:{s['POSTGRES_PORT']}/postgres",
        isolation_level="AUTOCOMMIT",
    )
    # Pre-ping: a test restarts PostgreSQL.
    yield sa.create_engine(admin.url.set(database=DATABASE), pool_pre_ping=True)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def production(tmp_path_factory, production_settings, database):
    deployment = Assistant(
        current_model(),
        servers=2,
        endpoints=PROJECT / "endpoints.prod.yml",
        work_dir=tmp_path_factory.mktemp("production"),
        extra_env=production_settings,
    )
    with deployment:
        yield deployment


@pytest.fixture(scope="session")
def client(production):
    return RestClient(production.url, production.token)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test shows the end of each server's log: CI leaves nothing else to read."""
    outcome = yield
    report = outcome.get_result()
    deployment = item.funcargs.get("production")
    if report.when == "call" and report.failed and deployment is not None:
        processes = [deployment.actions, *deployment.servers, deployment.proxy.process]
        for process in processes:
            report.sections.append((f"log of {process.name}", process.log_tail(30)))
        nginx_errors = deployment.proxy.prefix / "error.log"
        if nginx_errors.exists():
            report.sections.append(
                ("nginx error.log", nginx_errors.read_text(errors="replace")[-3000:])
            )
