"""make bench: the performance figures of docs/benchmarks.md, measured in one run.

- one Rasa server with the action server in the loop (embedded profile): latency per message
  at 1, 10 and 50 concurrent conversations, throughput, start-up time, memory per process;
- /model/parse alone at the same concurrencies: what NLU costs, to compare with dialogue
  management and actions on top;
- training: cold (from scratch) and again with nothing changed (the content-hash cache);
- the production profile: 2 Rasa servers behind nginx, 100 concurrent conversations of 10
  turns over REST and socket.io, with the PostgreSQL check that nothing was lost.
"""

import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from assistant.stores.retention import engine_for, events_by_sender
from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT, VENV_BIN, production_env, quiet_env
from tools.load import check_store, run_load, settled_events

PARSE_TEXT = "quels sont les traitements des métastases vertébrales ?"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?"
    )
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(
        int(line.split()[1]) // 1024 // 1024 for line in meminfo if line.startswith("MemTotal")
    )
    python = platform.python_version()
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM, {platform.platform()}, Python {python}"
    )


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children."""
    total = 0
    for line in subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True
    ).stdout.split():
        total += int(line)
    return total / 1024


async def parse_load(url: str, token: str, concurrency: int, per_worker: int = 20):
    latencies = []

    async def worker(http):
        for _ in range(per_worker):
            started = time.perf_counter()
            async with http.post(
                f"{url}/model/parse", params={"token": token}, json={"text": PARSE_TEXT}
            ) as r:
                await r.read()
                assert r.status == 200
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)], len(ordered) / wall


def single_server(model: Path) -> None:
    started = time.perf_counter()
    with Assistant(model) as assistant:
        print(
            f"start-up (action server + Rasa, model loaded): {time.perf_counter() - started:.1f} s"
        )
        print(
            f"memory: Rasa {rss_mib(assistant.rasa.pid):.0f} MiB, "
            f"action server {rss_mib(assistant.actions.pid):.0f} MiB"
        )
        asyncio.run(run_load(assistant.url, conversations=5, turns=4, socketio_share=0))  # warm-up
        for concurrency in (1, 10, 50):
            turns = 20 if concurrency == 1 else 10
            report = asyncio.run(
                run_load(assistant.url, conversations=concurrency, turns=turns, socketio_share=0)
            )
            print("  " + report.format(f"1 server, {concurrency} concurrent REST conversations"))
        for concurrency in (1, 10, 50):
            p50, p95, rate = asyncio.run(parse_load(assistant.url, assistant.token, concurrency))
            print(
                f"  /model/parse alone, {concurrency} concurrent: p50 {p50 * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, {rate:.1f} requests/s"
            )


def training() -> None:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [
                str(VENV_BIN / "rasa"),
                "train",
                "--force",
                "--domain",
                "content/domain",
                "--out",
                out,
            ],
            cwd=PROJECT,
            check=True,
            capture_output=True,
            env={**os.environ, **quiet_env()},
        )
        print(f"cold training (rasa train --force): {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    subprocess.run(
        [str(PROJECT / "tools/make/train_if_needed.sh")],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    print(
        f"training with nothing changed (content-hash cache): {time.perf_counter() - started:.1f} s"
    )


def production(model: Path) -> None:
    settings = {
        **production_env(),
        "POSTGRES_DB": f"metastases_bench_{uuid.uuid4().hex[:6]}",
        "REDIS_DB": "3",
    }
    with Assistant(
        model, servers=2, endpoints=PROJECT / "endpoints.prod.yml", extra_env=settings
    ) as deployment:
        asyncio.run(run_load(deployment.url, conversations=10, turns=3))  # warm-up
        report = asyncio.run(run_load(deployment.url, conversations=100, turns=10))
        print("  " + report.format("2 servers behind nginx, 100 conversations, REST + socket.io"))
        os.environ.update(settings)  # engine_for reads endpoints.prod.yml's variables
        engine = engine_for(PROJECT / "endpoints.prod.yml")
        assert engine is not None, "endpoints.prod.yml names an SQL tracker store"
        senders = [c.sender for c in report.conversations]
        check = check_store(report, settled_events(lambda s: events_by_sender(engine, s), senders))
        print(f"  PostgreSQL check: {check}")
        engine.dispose()
    _drop_database(settings)


def _drop_database(settings: dict) -> None:
    subprocess.run(
        [
            "psql",
            "-h",
            settings["POSTGRES_HOST"],
            "-U",
            settings["POSTGRES_USER"],
            "-d",
            "postgres",
            "-c",
            f'DROP DATABASE IF EXISTS "{settings["POSTGRES_DB"]}" WITH (FORCE)',
        ],
        check=False,
        capture_output=True,
    )


def main() -> int:
    print(f"machine: {machine()}")
    model = current_model()
    print("\n# Single server, embedded profile (SQLite), action server in the loop")
    single_server(model)
    print("\n# Training")
    training()
    print("\n# Production profile")
    production(model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
