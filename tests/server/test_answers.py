"""The judged answer evaluation (tests/answers) through the REST channel: the guarantees hold on
both parts; the accuracy figures are printed and recorded in docs/nlu.md."""

import pytest

from actions.knowledge_base import KnowledgeBase
from tools.answer_eval import SETS, evaluate_answers, side_by_side

KNOWLEDGE = KnowledgeBase.load()


@pytest.fixture(scope="module")
def reports(client):
    found = {name: evaluate_answers(client, name) for name in SETS}
    print("\n" + side_by_side(list(found.values()), KNOWLEDGE))
    return found


@pytest.mark.parametrize("name", SETS)
def test_no_information_question_raises_an_alarm(reports, name):
    assert not reports[name].alarms(), [o.text for o in reports[name].alarms()]


@pytest.mark.parametrize("name", SETS)
def test_no_answer_is_repeated_back_to_back(reports, name):
    assert reports[name].repeats == 0


@pytest.mark.parametrize("name", SETS)
def test_the_sets_are_large_enough(reports, name):
    conversations = {o.case_id.split("#")[0] for o in reports[name].outcomes if "#" in o.case_id}
    assert len(reports[name].outcomes) >= 100 and len(conversations) >= 15


def test_the_development_part_holds_its_measured_figures(reports):
    # Floors under the figures of docs/nlu.md, so that a change that loses answers is seen; the
    # blind part's figures are printed and recorded, not asserted (a gate would be tuned on).
    hits, total = reports["dev"].accuracy(KNOWLEDGE)
    assert hits / total >= 0.8
    gaps, gap_total = reports["dev"].gap_rate(KNOWLEDGE)
    assert gaps / gap_total >= 0.9
