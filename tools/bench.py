"""make bench: the performance figures of docs/benchmarks.md, measured in one run.

- one Rasa server with the action server in the loop (embedded profile): latency per message
  at 1, 10 and 50 concurrent conversations, throughput, start-up time, memory per process,
  and latency at an open-loop rate of 20 messages/s;
- with BASELINE=<commit> (`make bench BASELINE=main`), the same single-server figures for that
  commit's code, from a `git worktree` of it with the same virtualenv: both servers run at
  once and are measured in turn, three rounds, then compared side by side;
- /model/parse alone at the same concurrencies: what NLU costs, to compare with dialogue
  management and actions on top;
- what counting for /metrics costs per message;
- training: cold (from scratch) and again with nothing changed (the content-hash cache);
- the production profile: 2 Rasa servers behind nginx, 100 concurrent conversations of 10
  turns over REST and socket.io, with the PostgreSQL check that nothing was lost.
"""

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Tuple

import aiohttp

from assistant.stores.retention import engine_for, events_by_sender
from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT, VENV_BIN, production_env, quiet_env
from tools.load import check_store, run_load, run_open_loop, settled_events

PARSE_TEXT = "quels sont les traitements des métastases vertébrales ?"
OPEN_LOOP_RATE = 20  # messages/s, the acceptance rate of the issue "Twice the messages per core"


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


Figures = Dict[str, float]


def _closed_loop(concurrency: int) -> Callable[[Assistant], Tuple[str, Figures]]:
    def measure(assistant: Assistant) -> Tuple[str, Figures]:
        turns = 20 if concurrency == 1 else 10
        report = asyncio.run(
            run_load(assistant.url, conversations=concurrency, turns=turns, socketio_share=0)
        )
        line = report.format(f"1 server, {concurrency} concurrent REST conversations")
        return line, {
            f"msg/s at {concurrency}": report.messages / report.wall_seconds,
            f"p50 ms at {concurrency}": report.percentile(50) * 1000,
            f"p95 ms at {concurrency}": report.percentile(95) * 1000,
            "errors": len(report.errors),
        }

    return measure


def _open_loop(assistant: Assistant) -> Tuple[str, Figures]:
    report = asyncio.run(run_open_loop(assistant.url, rate=OPEN_LOOP_RATE, seconds=15))
    line = report.format(f"1 server, open loop at {OPEN_LOOP_RATE} messages/s")
    return line, {
        f"p95 ms at {OPEN_LOOP_RATE} msg/s open loop": report.percentile(95) * 1000,
        "errors": len(report.errors),
    }


def _parse_only(concurrency: int) -> Callable[[Assistant], Tuple[str, Figures]]:
    def measure(assistant: Assistant) -> Tuple[str, Figures]:
        p50, p95, rate = asyncio.run(parse_load(assistant.url, assistant.token, concurrency))
        line = (
            f"/model/parse alone, {concurrency} concurrent: p50 {p50 * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, {rate:.1f} requests/s"
        )
        return line, {f"parse/s at {concurrency}": rate}

    return measure


SCENARIOS = [
    _closed_loop(1),
    _closed_loop(10),
    _closed_loop(50),
    _open_loop,
    _parse_only(1),
    _parse_only(10),
    _parse_only(50),
]


def single_servers(variants: Dict[str, Tuple[Path, Path]], rounds: int) -> Dict[str, Figures]:
    """The single-server figures of each variant (label: its project folder and model).
    Every variant's server runs at once; each measurement is taken for one variant after
    the other, `rounds` times, so that the other work on the machine weighs on all of them
    alike. Each figure is the median of its rounds (errors: the sum)."""
    samples: Dict[str, Dict[str, List[float]]] = {label: {} for label in variants}
    with ExitStack() as stack:
        running: Dict[str, Assistant] = {}
        for label, (project, model) in variants.items():
            started = time.perf_counter()
            running[label] = stack.enter_context(Assistant(model, project=project))
            startup = time.perf_counter() - started
            memory = rss_mib(running[label].rasa.pid)
            print(f"[{label}] start-up (action server + Rasa, model loaded): {startup:.1f} s")
            print(
                f"[{label}] memory: Rasa {memory:.0f} MiB, "
                f"action server {rss_mib(running[label].actions.pid):.0f} MiB"
            )
            samples[label] = {"start-up s": [startup], "Rasa MiB": [memory]}
        for assistant in running.values():  # warm-up
            asyncio.run(run_load(assistant.url, conversations=5, turns=4, socketio_share=0))
        for measure in SCENARIOS:
            for _ in range(rounds):
                for label, assistant in running.items():
                    line, figures = measure(assistant)
                    print(f"  [{label}] {line}")
                    for key, value in figures.items():
                        samples[label].setdefault(key, []).append(value)
    return {
        label: {
            key: sum(values) if key == "errors" else statistics.median(values)
            for key, values in figures.items()
        }
        for label, figures in samples.items()
    }


@contextmanager
def checkout(commit: str) -> Iterator[Path]:
    """A `git worktree` of `commit` sharing this project's virtualenv and local settings."""
    folder = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / "checkout"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), commit],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    )
    try:
        for shared in (".venv", ".env"):
            (folder / shared).symlink_to(PROJECT / shared)
        yield folder
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(folder)], cwd=PROJECT, check=False
        )
        shutil.rmtree(folder.parent, ignore_errors=True)


def baseline_model(folder: Path) -> Path:
    """The checkout's model, trained once: this project's models folder keeps it under its
    content hash for the next run (hard links, no copies)."""
    ours, theirs = PROJECT / "models", folder / "models"
    ours.mkdir(exist_ok=True)
    theirs.mkdir(exist_ok=True)
    for model in ours.glob("model-*.tar.gz"):
        os.link(model, theirs / model.name)
    model = current_model(folder)
    if not (ours / model.name).exists():
        os.link(model, ours / model.name)
    return model


def side_by_side(commit: str, before: Dict[str, float], after: Dict[str, float]) -> None:
    print(f"\n# Side by side: {commit} -> this checkout")
    print(f"  {'':34} {'baseline':>10} {'now':>10} {'ratio':>7}")
    for key, old in before.items():
        new = after.get(key, float("nan"))
        ratio = f"{new / old:.2f}x" if old else "-"
        print(f"  {key:34} {old:10.1f} {new:10.1f} {ratio:>7}")


def metrics_cost(turns: int = 20000) -> None:
    """What counting a message costs: the channel's timer and counter, and the event broker
    reading the turn's stored events (an urgent referral, the bot's reply, the listen)."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    from assistant.metrics.broker import MetricsEventBroker
    from assistant.metrics.counters import counted

    broker = MetricsEventBroker()
    turn = [
        {"sender_id": "bench", **event.as_dict()}
        for event in (
            UserUttered("mes jambes ne me portent plus", {"name": "report_neuro_deficit"}),
            ActionExecuted("utter_urgence_moelle"),
            BotUttered("URGENCE", metadata={"utter_action": "utter_urgence_moelle"}),
            SlotSet("triage", "urgence_immediate"),
            ActionExecuted("action_listen"),
        )
    ]

    async def nothing(message: object) -> None:
        return None

    handler = counted(nothing, "rest")

    async def run() -> float:
        started = time.perf_counter()
        for _ in range(turns):
            await handler(None)
            for event in turn:
                broker.publish(event)
        bare = time.perf_counter()
        for _ in range(turns):
            await nothing(None)
        return (bare - started) - (time.perf_counter() - bare)

    seconds = asyncio.run(run())
    print(f"counting one message for /metrics: {seconds / turns * 1e6:.1f} µs")


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
        senders = [c.stored_as for c in report.conversations]
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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", help="a commit to measure side by side (single server)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="measurements per variant with --baseline"
    )
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--skip-production", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print(f"load average before: {os.getloadavg()[0]:.2f} (other work on the same cores)")
    if args.baseline:
        with checkout(args.baseline) as folder:
            print(f"\n# Single server: {args.baseline} and this checkout side by side")
            variants = {
                args.baseline: (folder, baseline_model(folder)),
                "now": (PROJECT, current_model()),
            }
            figures = single_servers(variants, rounds=args.rounds)
        side_by_side(args.baseline, figures[args.baseline], figures["now"])
    else:
        print("\n# Single server, embedded profile (SQLite), action server in the loop")
        single_servers({"now": (PROJECT, current_model())}, rounds=1)
    print("\n# Metrics")
    metrics_cost()
    if not args.skip_training:
        print("\n# Training")
        training()
    if not args.skip_production:
        print("\n# Production profile")
        production(current_model())
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
