"""The scorer on hand-made cases with known answers."""
import copy

from jiyao.eval.metrics import field_summary, paired_difference
from jiyao.eval.score import char_f1, score_article, score_set


def _rec(people, slogans=("动态清零",)):
    return {"doc_id": "d", "headline": "我区召开会议", "source": {}, "meeting": {"name": "疫情防控工作会议", "date": "--09-28"},
            "people": people, "upstream_meetings": [], "slogans": list(slogans)}


GOLD = _rec([{"name": "尹久辉", "titles": ["区委副书记", "区长"], "roles": ["chair", "speaker"]},
             {"name": "符宝嵩", "titles": ["区领导"], "roles": []}])


def test_perfect_prediction_scores_one():
    per = score_set({"d": GOLD}, {"d": copy.deepcopy(GOLD)})
    for f in ("people.name", "people.titles", "people.roles", "slogans", "meeting.name", "meeting.date"):
        assert field_summary(per, f)["strict"]["f1"] == 1.0


def test_one_missed_person_gives_exact_counts():
    pred = _rec([GOLD["people"][0]])
    c = score_article(GOLD, pred)
    assert (c["people.name"].tp, c["people.name"].fp, c["people.name"].fn) == (1, 0, 1)
    assert (c["people.titles"].tp, c["people.titles"].fn) == (2, 1)
    assert (c["people.roles"].tp, c["people.roles"].fn) == (2, 0)


def test_title_on_the_wrong_person_is_not_credited():
    pred = _rec([{"name": "尹久辉", "titles": ["区领导"], "roles": ["chair", "speaker"]},
                 {"name": "符宝嵩", "titles": ["区委副书记", "区长"], "roles": []}])
    c = score_article(GOLD, pred)
    assert c["people.titles"].tp == 0 and c["people.titles"].fp == 3 and c["people.titles"].fn == 3


def test_partial_scores_are_character_f1():
    assert abs(char_f1("疫情防控工作会议", "疫情防控会议") - 2 * 6 / 14) < 1e-9
    pred = _rec(GOLD["people"])
    pred["meeting"] = {"name": "疫情防控会议", "date": "--09-28"}
    s = field_summary(score_set({"d": GOLD}, {"d": pred}), "meeting.name")
    assert s["strict"]["f1"] == 0.0 and abs(s["partial"]["f1"] - 6 / 7) < 1e-3


def test_normalisation_in_comparison():
    pred = _rec(GOLD["people"], slogans=("“動態清零”",))
    assert score_article(GOLD, pred)["slogans"].tp == 1


def test_paired_difference_sign():
    worse = _rec([GOLD["people"][0]])
    gold = {"a": GOLD, "b": copy.deepcopy(GOLD) | {"doc_id": "b"}}
    a = score_set(gold, {"a": worse, "b": worse})
    b = score_set(gold, {"a": GOLD, "b": GOLD})
    d = paired_difference(a, b)["people.name"]
    assert d["diff"] > 0
