"""The staff's NLU report, from files in the shape `rasa test nlu` writes."""

import csv

from tools.staff.nlu_report import (
    f1_table,
    html_page,
    intent_scores,
    misclassified,
    write_misclassified_csv,
)

REPORT = {
    "greet": {
        "precision": 0.9,
        "recall": 1.0,
        "f1-score": 0.947,
        "support": 9,
        "confused_with": {},
    },
    "stop": {
        "precision": 0.5,
        "recall": 0.4,
        "f1-score": 0.444,
        "support": 5,
        "confused_with": {"affirm": 2},
    },
    "accuracy": 0.82,
    "macro avg": {"precision": 0.7, "recall": 0.7, "f1-score": 0.7, "support": 14},
    "weighted avg": {"precision": 0.7, "recall": 0.7, "f1-score": 0.7, "support": 14},
}
ERRORS = [
    {
        "text": "ça suffit",
        "intent": "stop",
        "intent_prediction": {"name": "affirm", "confidence": 0.21},
    },
    {
        "text": "<b>oublie</b>",
        "intent": "stop",
        "intent_prediction": {"name": "affirm", "confidence": 0.93},
    },
]


def test_the_weakest_intents_come_first_and_averages_are_left_out():
    scores = intent_scores(REPORT)
    assert [s.intent for s in scores] == ["stop", "greet"]
    assert scores[0].confused_with == {"affirm": 2}
    table = f1_table(scores).splitlines()
    assert table[2] == "| stop | 0.444 | 0.500 | 0.400 | 5 | affirm (2) |"


def test_confident_mistakes_come_first_in_a_csv_excel_reads(tmp_path):
    errors = misclassified(ERRORS)
    assert [e.confidence for e in errors] == [0.93, 0.21]
    path = tmp_path / "misclassified.csv"
    write_misclassified_csv(errors, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["exemple", "intention_attendue", "intention_predite", "confiance"]
    assert rows[1] == ["<b>oublie</b>", "stop", "affirm", "0.930"]


def test_the_page_is_french_escaped_and_shows_both_pictures():
    page = html_page(
        REPORT, intent_scores(REPORT), misclassified(ERRORS), "5-fold cross-validation"
    )
    assert '<html lang="fr">' in page and "82.0%" in page
    assert "<b>oublie</b>" not in page and "&lt;b&gt;oublie&lt;/b&gt;" in page
    assert 'src="intent_confusion_matrix.png"' in page and 'src="intent_histogram.png"' in page
    assert '<tr class="weak"><td>stop</td>' in page
