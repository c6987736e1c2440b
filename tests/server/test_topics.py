"""Realistic patient questions written apart from the training data (tests/topics) get the
answer of the right knowledge-base subject, through the REST channel. (Whether the answer is
the entry written for the question is measured by `make eval-answers`, tests/answers.)"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from tools.client import new_sender

QUESTIONS = yaml.safe_load((Path(__file__).parents[1] / "topics" / "questions.yml").read_text())[
    "questions"
]


def test_at_least_95_percent_of_questions_get_the_right_topic(client):
    def answered(question):
        sender = new_sender("topic")
        client.send(question["text"], sender)
        entries = client.slot(sender, "answered_topics") or []
        return question, [entry.partition(".")[0] for entry in entries]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(answered, QUESTIONS))
    wrong = [(q["text"], q["topic"], topics) for q, topics in results if q["topic"] not in topics]
    accuracy = 1 - len(wrong) / len(results)
    print(f"\ntopic accuracy {len(results) - len(wrong)}/{len(results)} = {accuracy:.1%}")
    for text, expected, got in wrong:
        print(f"  {expected} <- got {got}: {text}")
    assert len(results) >= 200
    assert accuracy >= 0.95
