"""The national-story labelled sets (evals/national/) stay consistent: every story listed in
ids.txt has a gold record and back, every record validates and names its story, and every string
it labels can be found in that story's text.

The story text is third-party and never in the repository: it is read from ../shared/data through
tools/national_articles.py, and the whole module skips when that data is absent. This test never
runs the extractor (the blind set must stay blind); it reads the stories only to find the labelled
values in them. A set whose gold/ is not written yet is skipped.
"""
import importlib.util
import json
import re
from functools import lru_cache

import pytest

from jiyao.eval.report import load_gold
from jiyao.schema import MeetingReport
from jiyao.text import normalise, normalise_value

from helpers import ROOT, gold_strings


def _load_tool():
    spec = importlib.util.spec_from_file_location("national_articles", ROOT / "tools" / "national_articles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_TOOL = _load_tool()
if not _TOOL.DATA.exists():
    pytest.skip(f"{_TOOL.DATA} is absent: the national sets' stories live in ../shared/data", allow_module_level=True)

NATIONAL = ROOT / "evals" / "national"
SETS = ("dev", "dev2", "dev3", "blind")
ISO_OR_MONTH_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2}|--\d{2}-\d{2})$")
# SPEC v1.1: a body that convenes an unnamed meeting (中共中央政治局召开会议) names it body + 会议;
# that composed name is written nowhere as such, so it is found by the phrase it comes from.
_MEETING_WORDS = ("专题会议", "全体成员会议", "全体会议", "扩大会议", "常务会议", "会议")


def _gold_dir(which: str):
    return NATIONAL / which / "gold"


def _ids(which: str) -> list[str]:
    return _TOOL.story_ids(NATIONAL / which)


@lru_cache(maxsize=None)
def _texts(which: str) -> dict[str, str]:
    """story id → normalised story text with whitespace removed (the harness's comparison form)."""
    return {sid: "".join(normalise(t).text.split()) for sid, t in _TOOL.articles(_ids(which)).items()}


def _gold(which: str, sid: str) -> dict:
    return json.loads((_gold_dir(which) / f"{sid}.json").read_text("utf-8"))


def _occurs(field: str, value: str, text: str) -> bool:
    v = "".join(value.split())
    if v in text:
        return True
    if field != "meeting.name":
        return False
    if any(v.endswith(w) and re.search(re.escape(v[: -len(w)]) + "(?:召开|举行)了?" + re.escape(w), text)
           for w in _MEETING_WORDS if len(v) > len(w)):
        return True
    # issue 18: a body and its numbered sitting split by the verb (十三届全国人大常委会举行第一百三十六次
    # 委员长会议) name one meeting, the body's words joined to the sitting's
    return any(v[i] == "第" and re.search(re.escape(v[:i]) + "(?:召开|举行)了?" + re.escape(v[i:]), text)
               for i in range(1, len(v)))


def _skip_unlabelled(which: str) -> None:
    if not _gold_dir(which).is_dir():
        pytest.skip(f"evals/national/{which} has no gold/ yet")


CASES = [(s, sid) for s in SETS if _gold_dir(s).is_dir() for sid in _ids(s)]


@pytest.mark.parametrize("which", SETS)
def test_every_id_has_gold_and_back(which):
    _skip_unlabelled(which)
    ids = _ids(which)
    assert len(ids) == len(set(ids)), "ids.txt lists a story twice"
    stems = {p.stem for p in _gold_dir(which).glob("*.json")}
    assert stems == set(ids), f"gold without id: {sorted(stems - set(ids))}; id without gold: {sorted(set(ids) - stems)}"
    assert set(load_gold(_gold_dir(which))) == set(ids), "the harness reads the records under other ids"


@pytest.mark.parametrize("which,sid", CASES)
def test_gold_validates_and_occurs_in_story(which, sid):
    g = _gold(which, sid)
    rec = MeetingReport.model_validate(g)
    assert rec.schema_version == "1" and rec.evidence == {} and rec.doc_id == sid
    text = _texts(which)[sid]
    for field, value in gold_strings(g):
        # names keep inner quotes (全国"扫黄打非"工作…会议); slogans are written without them
        written = normalise_value(value) if field == "slogans" else normalise(value).text.strip()
        assert value == written, f"{field} {value!r} is not written in normalised form"
        assert _occurs(field, value, text), f"{field} {value!r} does not occur in the story"
    m = g["meeting"]
    if m is None:
        assert g["people"] == [], "no meeting, so nobody takes part"
        assert g["upstream_meetings"] == [], "no meeting, so nothing is relayed at one"
        return
    if m["date"] is not None:
        assert ISO_OR_MONTH_DAY.match(m["date"]), m["date"]
    if m["region"] is not None and m["region"]["name"] == "中国":
        assert m["region"]["admin_code"] is None, "national bodies carry no division code"


@pytest.mark.parametrize("which,sid", CASES)
def test_people_are_unique_and_roles_sorted(which, sid):
    g = _gold(which, sid)
    names = [p["name"] for p in g["people"]]
    assert len(names) == len(set(names)), "a person is labelled twice"
    for p in g["people"]:
        assert p["roles"] == sorted(set(p["roles"])) and set(p["roles"]) <= {"chair", "speaker"}, p
        assert len(p["titles"]) == len(set(p["titles"])), p
    assert len(g["slogans"]) == len(set(g["slogans"]))
    assert len(g["upstream_meetings"]) == len(set(g["upstream_meetings"]))


def test_the_sets_share_no_story_and_the_later_sets_are_recent():
    # tools/select_national.py --set NAME excludes every story of the other sets and draws from
    # --since on (dev2: 25 from 2022, dev3: 16 from 2019)
    seen: dict[str, str] = {}
    for which in SETS:
        for sid in _ids(which):
            assert sid not in seen, f"{sid} is in {seen[sid]} and {which}"
            seen[sid] = which
    for which, n, since in (("dev2", 25, "2022"), ("dev3", 16, "2019")):
        dates = [line.split("\t")[2] for line in (NATIONAL / which / "ids.txt").read_text("utf-8").splitlines() if line.strip()]
        assert len(dates) == n and min(dates) >= since, which
