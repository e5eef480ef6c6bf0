"""The web-shaped labelled sets (evals/webshaped/, evals/webshaped3/, evals/webshaped4/) stay consistent: every
gold record validates, names its article, and every string it labels can be found in that
article's text.

This test never runs the extractor: the blind set must stay blind. It reads the articles only
to check that they decode and that the gold values occur in them.
"""
import html
import re
from pathlib import Path

import pytest

from jiyao.eval.report import load_gold
from jiyao.read.document import read_file
from jiyao.schema import MeetingReport
from jiyao.text import normalise, normalise_value

from helpers import ROOT, gold_strings

# Each page-shaped collection and the smallest size of each of its sets. A blind set written on
# another branch joins when it is present: this file checks it without ever running the extractor.
MIN_ARTICLES = {("webshaped", "blind"): 10, ("webshaped", "dev"): 15,
                ("webshaped3", "dev"): 20, ("webshaped3", "blind"): 10, ("webshaped4", "dev"): 20}
SETS = [f"{c}/{w}" for c, w in MIN_ARTICLES if (ROOT / "evals" / c / w / "gold").is_dir()]
ISO_OR_MONTH_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2}|--\d{2}-\d{2})$")
# A region may appear in the text by a short form: 临朐 for 临朐县, 云山 for 云山街道,
# 迪庆州 for 迪庆藏族自治州 (its first characters and its level).
_REGION_SUFFIX = re.compile(r"(?:街道|[省市区县镇乡州旗])$")


# A national body's meeting has region 中国 (SPEC v1.2) whether or not the text says 中国.
_NATIONAL = {"中国", "全国", "中共中央", "国务院", "中央"}


def _region_forms(name: str) -> set[str]:
    if name == "中国":
        return _NATIONAL
    forms = {name, _REGION_SUFFIX.sub("", name)}
    if "自治" in name:
        forms |= {name[:k] + name[-1] for k in range(2, name.index("族"))}
    return {f for f in forms if len(f) >= 2}


def _dir(which: str) -> Path:
    return ROOT / "evals" / which


def _articles(which: str) -> dict[str, Path]:
    return {p.stem: p for p in sorted((_dir(which) / "articles").iterdir()) if p.is_file()}


def _searchable(path: Path) -> str:
    """Normalised article text with whitespace removed (a title wrapped over two lines still
    matches); an HTML page's tags and entities removed."""
    text = read_file(path).original
    if path.suffix.lower() in (".html", ".htm"):
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "".join(normalise(text).text.split())


CASES = [(s, stem) for s in SETS for stem in _articles(s)]


def test_sets_are_big_enough():
    assert {"webshaped/blind", "webshaped3/dev", "webshaped4/dev"} <= set(SETS)
    for which in SETS:
        assert len(_articles(which)) >= MIN_ARTICLES[tuple(which.split("/"))], which


@pytest.mark.parametrize("which", SETS)
def test_every_article_has_gold_and_back(which):
    gold = load_gold(_dir(which) / "gold")
    assert set(gold) == set(_articles(which))
    for stem in gold:
        assert (_dir(which) / "gold" / f"{stem}.json").is_file(), f"doc_id {stem} is not its file stem"


@pytest.mark.parametrize("which,stem", CASES)
def test_gold_validates_and_occurs_in_article(which, stem):
    g = load_gold(_dir(which) / "gold")[stem]
    rec = MeetingReport.model_validate(g)
    assert rec.schema_version == "1" and rec.evidence == {} and rec.doc_id == stem
    text = _searchable(_articles(which)[stem])
    for field, value in gold_strings(g):
        # names keep inner quotes (“清廉社区”建设推进会); slogans are written without them
        written = normalise_value(value) if field == "slogans" else normalise(value).text.strip()
        assert value == written, f"{field} {value!r} is not written in normalised form"
        assert "".join(value.split()) in text or (field == "upstream_meetings" and _level_listed(value, text)) \
            or (field == "meeting.name" and _split_by_verb("".join(value.split()), text)), \
            f"{field} {value!r} does not occur in the article"
    m = g["meeting"]
    if m is None:
        assert g["people"] == [], "no meeting, so nobody takes part"
        return
    if m["date"] is not None:
        assert ISO_OR_MONTH_DAY.match(m["date"]), m["date"]
    if m["region"] is not None:
        name = m["region"]["name"]
        assert any(f in text for f in _region_forms(name)), f"region {name} not in the article"
        if name.endswith(("镇", "乡", "街道")):
            assert m["region"]["admin_code"] is None, "towns and streets have no division code"


def _split_by_verb(name: str, text: str) -> bool:
    """A body and its sitting split by the verb (县十八届人大常委会召开第二十三次会议 → 县十八届人大常委会
    第二十三次会议): the name is the two together, as SPEC's 市委常委会召开会议 → 市委常委会会议."""
    return any(name[:k] + verb + name[k:] in text for k in range(2, len(name) - 1) for verb in ("召开", "举行"))


def _level_listed(name: str, text: str) -> bool:
    """An upstream meeting named in a list of levels (`省、市、县委常委会(扩大)会议` → 市委常委会(扩大)会议):
    its level character, then 、-joined levels, then the rest of its name."""
    level, rest = name[0], name[1:]
    return re.search(re.escape(level) + r"(?:、[\u4e00-\u9fff]{1,2})*、?[\u4e00-\u9fff]?" + re.escape(rest), text) is not None \
        and re.search(r"[\u4e00-\u9fff]、[^,。]*" + re.escape(rest), text) is not None


@pytest.mark.parametrize("which,stem", CASES)
def test_people_are_unique_and_roles_sorted(which, stem):
    g = load_gold(_dir(which) / "gold")[stem]
    names = [p["name"] for p in g["people"]]
    assert len(names) == len(set(names))
    for p in g["people"]:
        assert p["roles"] == sorted(set(p["roles"])) and set(p["roles"]) <= {"chair", "speaker"}
    assert len(g["slogans"]) == len(set(g["slogans"]))
