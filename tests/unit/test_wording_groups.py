"""Grouping the messages the bot could not answer by similar wording (the dashboard's list for
the content team): paraphrases, typos and SMS spellings of one question go together, other
questions do not; the order is the most frequent first, and every message is in one group."""

from hypothesis import given
from hypothesis import strategies as st

from tools.staff.wording_groups import content_words, group_by_wording

MESSAGES = [
    "c'est quoi une scintigraphie ?",  # 0
    "est-ce que je peux conduire ?",  # 1
    "c quoi la scintigrafie",  # 2
    "Puis-je conduire ma voiture ?",  # 3
    "qu'est ce qu'une SCINTIGRAPHIE osseuse",  # 4
    "mon chat est malade",  # 5
    "c'est quoi une scintigraphie ?",  # 6
    "et alors ?",  # 7
    "Et alors",  # 8
    "?!",  # 9
    "combien coûte une IRM",  # 10
]


def texts(groups):
    return [[MESSAGES[i] for i in group] for group in groups]


def test_content_words_drop_case_accents_stop_words_and_endings():
    assert content_words("Qu'est-ce qu'une SCINTIGRAPHIE osseuse ?") == ("osseus", "scintigraph")
    assert (
        content_words("mes jambes lâchent") == content_words("ma jambe lache") == ("jamb", "lach")
    )
    assert content_words("et alors ?") == ("alors", "et")  # stop words only: kept
    assert content_words("?!") == ()


def test_paraphrases_and_misspellings_go_together_the_most_frequent_first():
    assert texts(group_by_wording(MESSAGES)) == [
        [
            "c'est quoi une scintigraphie ?",
            "c'est quoi une scintigraphie ?",
            "c quoi la scintigrafie",
            "qu'est ce qu'une SCINTIGRAPHIE osseuse",
        ],
        ["est-ce que je peux conduire ?", "Puis-je conduire ma voiture ?"],
        ["et alors ?", "Et alors"],
        ["mon chat est malade"],
        ["?!"],
        ["combien coûte une IRM"],
    ]


def test_a_stricter_threshold_splits_more():
    assert len(group_by_wording(MESSAGES, threshold=0.95)) > len(group_by_wording(MESSAGES))
    assert group_by_wording([]) == []


@given(st.lists(st.text(max_size=40), max_size=30))
def test_every_message_is_in_exactly_one_group(messages):
    groups = group_by_wording(messages)
    assert sorted(i for group in groups for i in group) == list(range(len(messages)))
    assert [len(g) for g in groups] == sorted((len(g) for g in groups), reverse=True)
    assert group_by_wording(messages) == groups  # deterministic
