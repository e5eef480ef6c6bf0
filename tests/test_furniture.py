"""Page furniture in plain-text page dumps (issue 9, item 1): the article's title and body are found
inside a scraped page; breadcrumbs, banners, menus, toolbars, link lists, comments and footers feed
no field; the 来源/发布日期 line and the credits still feed `source`; evidence points into the
original file. Fixtures (tests/fixtures/furniture/) are written here, one per page structure."""
from pathlib import Path

import pytest

from jiyao.read.furniture import find_article, title_bounds
from jiyao.run.extractor import Extractor
from jiyao.read.document import from_text, read_file
from jiyao.recognise.meeting import headline
from jiyao.text import normalise
from jiyao.schema import evidence_spans

from helpers import HELDOUT, SEEDS

FIXTURES = Path(__file__).parent / "fixtures" / "furniture"

# fixture → (headline, strings that appear only in the page's furniture)
CASES = {
    "breadcrumb": ("县委召开防汛抗旱工作专题会议", ["青川新闻网", "要闻", "政务公开", "工作动态"]),
    "banner": ("区政府召开第十二次常务会议", ["和平县政务信息网", "精品资源", "办事服务"]),
    "split_title": ("镇党委召开理论学习中心组学习会 传达学习省委十二届三次全会精神", []),
    "date_prefix": ("市政府召开春节前安全生产工作会议", []),
    "prev_next": ("区委常委会召开会议研究部署乡村振兴工作",
                  ["邵立强", "招商引资", "全市安全生产电视电话会议", "第二十次常务会议", "主席会议"]),
    "comments": ("县政府召开秋冬季森林防火工作会议", ["局长", "韦德胜", "接地气", "游客"]),
    "footer": ("街道党工委召开安全生产专题会议", ["海宁", "硖石", "隐私声明", "ICP"]),
    "portal_header": ("市委召开巡察工作动员部署会", ["兰溪信息网", "兰溪新闻网"]),
    "menu_lines": ("白沙镇召开秸秆禁烧工作推进会", ["城东镇", "石门乡", "信息速递", "正文"]),
    "kicker_paper": ("区委理论学习中心组召开2022年第7次集中学习会议", ["凝心聚力"]),
    "forum_split_meta": ("县政协十一届二次会议胜利召开", ["东坡生活网", "局长", "小城故事", "聚焦两会", "Discuz", "8 Q1"]),
    "wrapped_verb": ("县防汛抗旱指挥部召开防汛工作紧急调度会议",
                     ["县委常委会召开会议研究防汛工作", "第9次常务会议", "主任会议", "部门动态", "08.03"]),
    "forum_thread": ("县委召开经济工作会议 部署明年工作", ["局长", "骆小军", "项目攻坚", "宜州论坛", "Discuz"]),
    "traditional": ("县委召开疫情防控工作调度会议", ["新闻中心", "县长”", "匿名"]),
}


@pytest.fixture(scope="module")
def records():
    ex = Extractor("offline")
    out = {}
    for name in CASES:
        doc = read_file(FIXTURES / f"{name}.txt")
        out[name] = (doc, ex.extract_offline(doc).model_dump())
    return out


def _values(rec: dict) -> list[str]:
    """Every string a record took from the text, but the source (its meta line is kept on purpose)."""
    m = rec["meeting"] or {}
    out = [rec["headline"] or "", m.get("name") or "", m.get("venue") or "", m.get("organizer") or ""]
    out += [(m.get("region") or {}).get("name") or ""]
    out += [p["name"] for p in rec["people"]] + [t for p in rec["people"] for t in p["titles"]]
    return out + rec["upstream_meetings"] + rec["slogans"]


@pytest.mark.parametrize("name", CASES)
def test_headline_is_the_title_and_furniture_feeds_no_field(records, name):
    doc, rec = records[name]
    title, furniture_only = CASES[name]
    assert rec["headline"] == title
    assert rec["meeting"] is not None and rec["people"], "the article itself is still read"
    for word in furniture_only:
        assert not any(word in v for v in _values(rec)), (word, _values(rec))
        assert word not in doc.norm.text, word  # nor can grounding find it: it is not article text


@pytest.mark.parametrize("name", CASES)
def test_every_evidence_span_points_at_its_value_in_the_original_file(records, name):
    doc, rec = records[name]
    assert rec["evidence"]
    for pointer, entry in rec["evidence"].items():
        cur = rec
        for part in pointer.strip("/").split("/"):
            cur = cur[int(part)] if isinstance(cur, list) else cur[part]
        # a composed meeting name (县委常委会 + 会议) is its parts joined
        got = "".join("".join(normalise(doc.original[s:e]).text.split()) for s, e in evidence_spans(entry))
        if pointer.endswith("date"):
            assert any(c.isdigit() for c in got), (pointer, got)
        elif pointer.endswith("region/name"):
            assert cur.startswith(got), (pointer, got)
        else:
            assert got == "".join(cur.split()), (pointer, got, cur)


def test_a_wrapped_title_is_joined_and_grounded_on_both_lines(records):
    doc, rec = records["split_title"]
    s, e = rec["evidence"]["/headline"]
    assert doc.original[s:e] == "镇党委召开理论学习中心组学习会 传达学习省委十二届三次全会\n精神"
    assert doc.norm.text.split("\n")[0] == rec["headline"]
    assert any("title joined from 2 lines" in w for w in rec["diagnostics"]["warnings"])


def test_a_title_wrapped_before_a_particle_is_joined():
    text = ("\n当前位置: 首页 > 要闻\n县委常委会召开会议 传达学习省委书记在全省经济工作会议上\n的讲话精神\n"
            "12月3日,县委书记陈立主持召开县委常委会会议,传达学习省委书记在全省经济工作会议上的讲话精神。\n")
    rec = Extractor("offline").extract_offline(from_text(text, "x"))
    assert rec.headline == "县委常委会召开会议 传达学习省委书记在全省经济工作会议上的讲话精神"
    assert text[slice(*rec.evidence["/headline"])].endswith("会议上\n的讲话精神")


def test_a_forum_threads_first_post_is_the_article_and_its_replies_are_comments(records):
    doc, rec = records["forum_thread"]
    assert "发表于 2023-12-21 10:02" in doc.norm.text  # the first post's header: the page's date line
    assert "2#" not in doc.norm.text and "支持" not in doc.norm.text
    assert [p["name"] for p in rec["people"]] == ["严国华", "柏文"]


def test_meta_lines_under_the_title_are_kept_but_are_not_the_body(records):
    # a paper's page header keeps its issue date out of the meeting date; a meta line split over two
    # lines (发布时间: / 2024-01-18) is still the publication date and not the title
    assert records["kicker_paper"][1]["meeting"]["date"].endswith("-09-13")  # the year may come from the issue date
    assert records["forum_split_meta"][1]["source"]["published_date"] == "2024-01-18"
    assert records["forum_split_meta"][1]["meeting"]["date"] == "2024-01-17"
    # a title that reports the meeting before the verb names it (X会议胜利召开)
    assert records["forum_split_meta"][1]["meeting"]["name"] == "县政协十一届二次会议"


def test_a_title_over_its_subtitle_is_not_joined():
    text = "抓紧抓实各项防汛工作\n确保全县安全度汛万无一失\n6月2日,县委召开防汛工作会议,县委书记陈立主持会议并讲话。\n会议强调,要压实责任。\n"
    doc = from_text(text, "x")
    assert Extractor("offline").extract_offline(doc).headline == "抓紧抓实各项防汛工作"


def test_source_lines_still_feed_source(records):
    assert records["breadcrumb"][1]["source"]["outlet"] == "青川日报"
    assert records["breadcrumb"][1]["source"]["published_date"] == "2023-06-12"
    assert records["breadcrumb"][1]["source"]["editors"] == ["孙晓岚"]
    assert records["banner"][1]["source"]["outlet"] == "和平县融媒体中心"
    assert records["portal_header"][1]["source"]["published_date"] == "2023-02-28"
    assert records["traditional"][1]["source"]["outlet"] == "黔西县融媒体中心"
    assert records["footer"][1]["source"]["editors"] == ["汪丽"]


def test_comment_sections_feed_nothing(records):
    doc, rec = records["comments"]
    assert rec["slogans"] == ["预防为主、积极消灭"]
    assert [p["name"] for p in rec["people"]] == ["钱国栋", "姚文斌"]
    assert "网友评论" not in doc.norm.text and "局长" not in doc.norm.text
    assert any(w.startswith("page furniture: dropped") and "comments" in w for w in rec["diagnostics"]["warnings"])


def test_kept_characters_map_to_the_same_characters_of_the_original(records):
    doc, _ = records["breadcrumb"]
    assert doc.norm.text.startswith("县委召开防汛抗旱工作专题会议\n来源:青川日报")
    for i, c in enumerate(doc.norm.text):
        if c not in "\n:":
            assert doc.original[doc.norm.starts[i]] == c, (i, c)
    for doc, _ in records.values():  # page order kept: original offsets only grow
        assert list(doc.norm.starts) == sorted(doc.norm.starts)


def test_a_meta_line_above_the_title_stays_where_it_is():
    text = "当前位置: 首页 > 要闻\n发布时间:2023-03-02  来源:石门日报\n县委召开春耕备耕工作会议\n3月1日,县委书记韦立新主持召开春耕备耕工作会议。\n"
    doc = from_text(text, "x")
    rec = Extractor("offline").extract_offline(doc)
    assert doc.norm.text.startswith("发布时间:2023-03-02")
    assert (rec.headline, rec.source.outlet, rec.source.published_date) == ("县委召开春耕备耕工作会议", "石门日报", "2023-03-02")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt"))[1:2] + sorted((HELDOUT / "dev" / "articles").glob("*.txt")))
def test_a_clean_article_passes_untouched(path):
    norm = normalise(path.read_text("utf-8"))
    page = find_article(norm)
    assert page.norm is norm and page.warnings == ()


@pytest.mark.parametrize("line,title", [
    ("01.24 市政府召开春节前安全生产工作会议", "市政府召开春节前安全生产工作会议"),
    ("2023-05-06 县委召开常委会会议", "县委召开常委会会议"),
    ("县委召开常委会会议 2023-05-06", "县委召开常委会会议"),
    ("市委召开巡察工作动员部署会_兰溪信息网", "市委召开巡察工作动员部署会"),
    ("县长主持召开专题会议 - 和平县人民政府", "县长主持召开专题会议"),
    ("县长主持召开专题会议_新闻中心_和平县人民政府", "县长主持召开专题会议"),
    ("2023年全县农业农村工作会议召开", "2023年全县农业农村工作会议召开"),
    ("党建引领 | 凝心聚力谋发展", "党建引领 | 凝心聚力谋发展"),
])
def test_title_bounds_strip_dates_and_site_names_only(line, title):
    a, b = title_bounds(line)
    assert line[a:b] == title


def test_html_title_suffix_is_not_part_of_the_headline():
    found = headline([(0, "市委召开巡察工作动员部署会_兰溪信息网"), (22, "2月27日,市委召开巡察工作动员部署会。")])
    assert (found.value, found.start) == ("市委召开巡察工作动员部署会", 0)


def test_a_site_name_is_no_headline():
    from jiyao.recognise import recognise
    text = "和平县人民政府\n4月19日上午,区长梁振华主持召开区政府常务会议,研究城市更新工作。\n"
    assert recognise(text, page_title="和平县人民政府").headline is None
    assert recognise("织密织牢疫情防控网\n" + text.split("\n", 1)[1]).headline == "织密织牢疫情防控网"


def test_a_list_heading_inside_the_body_does_not_end_the_article():
    text = ("区政府召开防汛工作会议\n6月1日,区长韩立主持召开防汛工作会议,部署汛期各项工作。副区长吴明出席会议。\n"
            "会议通报了近期雨情水情和各街道隐患排查整改情况。\n图片新闻\n"
            "会议现场,各街道负责人汇报了隐患排查情况,区长韩立逐一点评并提出整改要求。\n韩立强调,要坚持“人民至上、生命至上”。\n")
    rec = Extractor("offline").extract_offline(from_text(text, "x"))
    assert rec.slogans == ["人民至上、生命至上"]
    assert [p.name for p in rec.people] == ["韩立", "吴明"]
