"""Grounding follows the record format's own value normalisation (text.value_key): a value written
with or without inner quotes, with `,` or `，`, with full-width digits is found, costs no re-ask and
gets evidence that covers the original characters. Model strings outside the text or a closed set
(regions, admin codes, directive speakers and categories) never reach the record."""
import asyncio
import json

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiyao.ground.checks import answer_problems
from jiyao.eval.report import load_gold
from jiyao.eval.score import key, score_article
from jiyao.ground.spans import Locator, ground, to_record
from jiyao.agent.llm import EndpointConfig
from jiyao.run.extractor import Extractor
from jiyao.read.document import from_text, read_file
from jiyao.schema import ExtractedReport
from jiyao.text import QUOTES, normalise_value, value_key

from fakeserver import FakeServer, Script
from helpers import SETS, answer_from_gold

# ---------------------------------------------------------------- one normalisation, everywhere

_NOT_COPIED = {"date", "published_date", "time_of_day", "format", "roles", "admin_code", "category"}


def _map_strings(obj, f, field=None):
    """Every copied string of an answer through f (dates, enums and codes left as they are)."""
    if isinstance(obj, str):
        return obj if field in _NOT_COPIED else f(obj)
    if isinstance(obj, list):
        return [_map_strings(v, f, field) for v in obj]
    if isinstance(obj, dict):
        return {k: _map_strings(v, f, k) for k, v in obj.items()}
    return obj


def _full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


VARIANTS = {
    "as_gold": lambda s: s,                                   # inner quotes kept (the gold's form)
    "quotes_stripped": lambda s: s.translate({ord(q): None for q in QUOTES}),  # the format's rule read literally
    "fullwidth_commas": lambda s: s.replace(",", "，"),
    "fullwidth_ascii": _full_width,                           # ２６, （扩大）, ３.０
    "traditional": opencc.OpenCC("s2t").convert,              # copied from a traditional page as written
}


def test_value_key_is_the_one_comparison_form():
    assert value_key("“五一”期间部署会议") == value_key("五一期间部署会议") == value_key("「五一」期间 部署会议")
    assert value_key("外防输入，内防反弹") == value_key("外防输入,内防反弹") == value_key("外防输入,,内防反弹")
    assert value_key("第２６届") == value_key("第26届")
    assert value_key("範(fàn)波") == value_key("范波")
    assert value_key("外防输入、内防反弹") != value_key("外防输入,内防反弹")  # 、 is kept
    # the written form keeps inner quotes and strips the outer ones
    assert normalise_value(" “双胜利” ") == "双胜利"
    assert normalise_value("“五一”期间部署会议") == "“五一”期间部署会议"


def test_scorer_accepts_both_forms():
    assert key("“五一”期间部署会议") == key("五一期间部署会议")
    gold = {"meeting": {"name": "“五一”期间部署会议"}, "slogans": ["外防输入,内防反弹"], "people": []}
    pred = {"meeting": {"name": "五一期间部署会议"}, "slogans": ["“外防输入，内防反弹”"], "people": []}
    scores = score_article(gold, pred)
    assert scores["meeting.name"].tp == 1 and scores["slogans"].tp == 1


# ---------------------------------------------------------------- the locator

def _doc(text: str):
    return from_text(text, "t")


def _original(doc, span):
    return doc.original[span[0]:span[1]]


def test_locator_span_covers_the_quotes_the_text_has():
    doc = _doc("4月29日下午,我市召开“五一”期间重大活动部署会议,确保“双胜利”。")
    loc = Locator(doc)
    for value in ("五一期间重大活动部署会议", "“五一”期间重大活动部署会议"):
        assert _original(doc, loc.original_span(value)) == "“五一”期间重大活动部署会议"
    # a slogan's own quotes are not part of it
    for value in ("双胜利", "“双胜利”"):
        assert _original(doc, loc.original_span(value)) == "双胜利"


def test_locator_width_punctuation_and_spaces():
    doc = _doc("第２６届自贡国际恐龙灯会开幕。坚持外防输入，，内防反弹。高新区 党工委主要负责同志")
    loc = Locator(doc)
    assert _original(doc, loc.original_span("第26届自贡国际恐龙灯会")) == "第２６届自贡国际恐龙灯会"
    assert _original(doc, loc.original_span("外防输入,内防反弹")) == "外防输入，，内防反弹"
    assert _original(doc, loc.original_span("外防输入，内防反弹")) == "外防输入，，内防反弹"
    assert loc.original_span("外防输入、内防反弹") is None
    assert _original(doc, loc.original_span("高新区党工委")) == "高新区 党工委"


def test_locator_maps_traditional_and_pinyin_back_to_the_original():
    doc = _doc("市委書記範(fàn)波出席會(huì)議並講話,強調“戰時”狀態。")
    loc = Locator(doc)
    span = loc.original_span("范波")
    assert _original(doc, span) == "範(fàn)波" and value_key(_original(doc, span)) == "范波"
    assert _original(doc, loc.original_span("出席会议")) == "出席會(huì)議"
    assert _original(doc, loc.original_span("战时")) == "戰時"


def test_locator_near_and_explain():
    doc = _doc("市长何树平主持。会后,市长何树平强调。")
    loc = Locator(doc)
    first, second = loc.find("何树平"), loc.find("何树平", near=8)
    assert first[0] < 8 <= second[0]
    assert "'何树平'" in loc.explain("何树平书记") and "not what follows" in loc.explain("何树平书记")
    assert loc.explain("王小二") == "no part of it is in the article"


_PIECES = st.sampled_from(list("会议市长何树平五一期间双胜利ABC２６3“”「」‘’\"',，、。:；  \n") + ["，，", ",、", "“五一”"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=40).map("".join), st.data())
def test_every_piece_of_a_text_is_found_and_its_span_normalises_to_it(text, data):
    # any stretch of the text from one word character to another, as the model might copy it
    word = [i for i, c in enumerate(text) if c.isalnum()]
    if not word:
        return
    a = data.draw(st.sampled_from(word))
    b = data.draw(st.sampled_from([i for i in word if i >= a])) + 1
    doc = _doc(text)
    span = Locator(doc).original_span(text[a:b])
    assert span is not None
    assert value_key(doc.original[span[0]:span[1]]) == value_key(text[a:b])


# ---------------------------------------------------------------- every gold value, every form

def _cfg(server):
    return EndpointConfig(model="scripted", base_url=server.base_url, api_key="sk-test", mode="tools",
                          backoff_initial_s=0.01)


def _articles():
    """Every labelled article (text and HTML pages) with its gold."""
    out = []
    for articles, gold_dir in SETS.values():  # the blind set stays out of every test
        gold = load_gold(gold_dir)
        out += [(p, gold[p.stem]) for p in sorted(articles.glob("*.*")) if p.stem in gold]
    return out


def _valid_evidence(rec, doc) -> list[str]:
    """Pointers whose original characters do not normalise to the value (derived fields aside)."""
    data = rec.model_dump()
    bad = []
    for pointer, (s, e) in rec.evidence.items():
        if pointer.endswith(("/date", "published_date", "region/name")):
            continue  # written differently on purpose: 4月29日, 自贡 for 自贡市
        cur = data
        for part in pointer.strip("/").split("/"):
            cur = cur[int(part)] if isinstance(cur, list) else cur[part]
        if not (0 <= s < e <= len(doc.original)) or value_key(doc.original[s:e]) != value_key(cur):
            bad.append(f"{pointer}: {cur!r} vs {doc.original[s:e]!r}")
    return bad


@pytest.mark.parametrize("backend", ["llm", "hybrid"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_gold_value_in_every_form_is_grounded_first_time(variant, backend):
    articles = _articles()
    assert len(articles) >= 5
    current = {}
    script = Script(default=lambda req: current["answer"])
    with FakeServer(script) as s:
        ex = Extractor(backend, _cfg(s))

        async def go():
            out = []
            try:
                for path, g in articles:
                    current["answer"] = _map_strings(answer_from_gold(g), VARIANTS[variant])
                    doc = read_file(path)
                    out.append((doc, g, await ex.aextract(doc)))
            finally:
                await ex.aclose()
            return out
        results = asyncio.run(go())
    assert len(script.requests) == len(articles)  # one call per article: nothing re-asked
    for doc, g, rec in results:
        assert rec.usage.calls == 1, doc.doc_id
        assert rec.diagnostics.dropped_ungrounded == [], (doc.doc_id, rec.diagnostics.dropped_ungrounded)
        assert _valid_evidence(rec, doc) == [], doc.doc_id
        strict = score_article(g, json.loads(rec.model_dump_json()))
        assert {f: c.tp for f, c in strict.items() if c.fn or c.fp} == {}, doc.doc_id


# ---------------------------------------------------------------- closed sets (issue 11 item 7)

ARTICLE = ("自贡网讯(记者 廖青)4月29日下午,自贡市召开安全生产工作会议。市委书记范付军主持会议并讲话,"
           "强调要压实各级安全生产责任。市长何树平出席。云溪镇、高新区党工委负责同志参加会议。")


def _answer(**meeting):
    m = {"name": "安全生产工作会议", "date": "--04-29", "region": {"name": "自贡市", "admin_code": "510300"}}
    m.update(meeting)
    return ExtractedReport.model_validate({
        "source": {"outlet": "自贡网", "reporters": ["廖青"]}, "meeting": m,
        "people": [{"name": "范付军", "titles": ["市委书记"], "roles": ["chair", "speaker"]},
                   {"name": "何树平", "titles": ["市长"], "roles": []}]})


def test_invented_region_inside_a_persons_name_is_dropped():
    doc = _doc(ARTICLE)
    res = ground(_answer(region={"name": "范付省", "admin_code": None}), doc)
    assert res.report.meeting.region is None and "/meeting/region/name" in res.dropped
    assert any("范付省" in p for p in answer_problems(_answer(region={"name": "范付省"}), Locator(doc)))


def test_a_real_division_named_only_inside_a_persons_name_is_dropped():
    # 南川 (南川区's short form) occurs only inside the chair's name 李南川
    doc = _doc(ARTICLE.replace("自贡市召开", "召开").replace("范付军", "李南川"))
    a = _answer(region={"name": "南川区", "admin_code": "500119"})
    a.people[0].name = "李南川"
    assert ground(a, doc).report.meeting.region is None
    assert any("南川区" in p for p in answer_problems(a, Locator(doc)))  # re-asked by the same rule
    doc = _doc(ARTICLE.replace("范付军", "李南川").replace("自贡市召开", "南川区召开"))
    assert ground(a, doc).report.meeting.region.name == "南川区"


def test_town_named_in_the_text_is_a_region_without_code():
    doc = _doc(ARTICLE)
    res = ground(_answer(region={"name": "云溪镇", "admin_code": "510300"}), doc)
    assert res.report.meeting.region.name == "云溪镇" and res.report.meeting.region.admin_code is None
    assert any("town" in n for n in res.notes)
    assert ground(_answer(region={"name": "白石镇"}), doc).report.meeting.region is None


def test_wrong_admin_code_is_corrected_and_noted():
    doc = _doc(ARTICLE)
    rec = to_record(doc, _answer(region={"name": "自贡市", "admin_code": "999999"}))
    assert rec.meeting.region.admin_code == "510300"
    assert any("999999" in w and "510300" in w for w in rec.diagnostics.warnings)
    right = ground(_answer(), doc)
    assert right.report.meeting.region.admin_code == "510300" and not right.notes
    short = ground(_answer(region={"name": "自贡", "admin_code": None}), doc).report.meeting.region
    assert short.name == "自贡市"


def test_directives_speaker_text_and_category_are_checked():
    doc = _doc(ARTICLE)
    a = _answer()
    a.directives = ExtractedReport.model_validate({"directives": [
        {"speaker": "赵无名", "text": "要压实各级安全生产责任", "category": "safety"},
        {"speaker": "范付军", "text": "要压实各级安全生产责任", "category": "world_peace"},
        {"speaker": "范付军", "text": "要全面完成全年目标任务", "category": None}]}).directives
    res = ground(a, doc)
    d = res.report.directives
    assert [x.speaker for x in d] == [None, "范付军"]  # the invented third directive is gone
    assert d[0].category == "safety" and d[1].category is None
    assert "/directives/0/speaker/赵无名" in res.dropped and any("world_peace" in n for n in res.notes)
    assert "/directives/1/speaker" in res.evidence and "/directives/0/text" in res.evidence
    problems = " ".join(answer_problems(a, Locator(doc)))
    assert "directives[0].speaker = '赵无名'" in problems and "directives[2].text" in problems


def test_invented_region_is_reasked_with_the_reason():
    good = _answer().model_dump()
    bad = _answer(region={"name": "范付省", "admin_code": None}).model_dump()
    script = Script([bad, good])
    with FakeServer(script) as s:
        ex = Extractor("llm", _cfg(s))

        async def go():
            try:
                return await ex.aextract(_doc(ARTICLE))
            finally:
                await ex.aclose()
        rec = asyncio.run(go())
    assert rec.usage.calls == 2 and rec.meeting.region.name == "自贡市"
    assert "范付省" in str(script.requests[1]["messages"]) and "neither an administrative division" in str(script.requests[1]["messages"])


def test_reask_says_which_value_and_why():
    doc = _doc(ARTICLE)
    a = _answer()
    a.slogans = ["压实安全生产责任"]
    problems = " ".join(answer_problems(a, Locator(doc)))
    assert "slogans[0] = '压实安全生产责任'" in problems
    assert "even ignoring quotes" in problems and "the article has '压实'" in problems


# ---------------------------------------------------------------- dates and the page's source line

@pytest.mark.parametrize("text, iso, written", [
    ("发布时间: 2022-5-18 07:52", "2022-05-18", "2022-5-18"),
    ("2022/05/18 来源:本站", "2022-05-18", "2022/05/18"),
    ("２０２２年５月１８日上午", "2022-05-18", "２０２２年５月１８日"),
    ("5月18号下午,全县召开会议", "--05-18", "5月18号"),
    ("12月5日召开;2月5日下午召开会议", "--02-05", "2月5日"),  # not the 2月5日 inside 12月5日
])
def test_dates_are_found_in_the_forms_the_text_uses(text, iso, written):
    text += "会议"
    field, pointer = ({"meeting": {"name": "会议", "date": iso}}, "/meeting/date") if iso.startswith("--") \
        else ({"source": {"published_date": iso}}, "/source/published_date")
    s, e = ground(ExtractedReport.model_validate(field), _doc(text)).evidence[pointer]
    assert (s, e) == (text.rfind(written), text.rfind(written) + len(written))  # rfind: not inside 12月5日


def test_a_day_not_in_the_text_is_dropped_and_5_1_is_not_found_in_5_18():
    res = ground(ExtractedReport.model_validate({"meeting": {"name": "会议", "date": "--05-01"}}), _doc("5月18日召开会议"))
    assert res.report.meeting.date is None and "/meeting/date" in res.dropped


def test_relative_day_counts_back_from_the_publication_date():
    text = "2021年11月26日 来源:金华日报\n本报讯 昨日下午,全市理论学习中心组工作会议召开。"
    a = ExtractedReport.model_validate({"source": {"published_date": "2021-11-26"},
                                        "meeting": {"name": "全市理论学习中心组工作会议", "date": "2021-11-25"}})
    res = ground(a, _doc(text))
    # the day from 昨日, its year (and month) from the publication line: two spans
    (s, e), (ys, ye) = res.evidence["/meeting/date"]
    assert text[s:e] == "昨日" and text[ys:ye] == "2021年11月26日" and res.dropped == []
    a.meeting.date = "2021-11-20"  # no word of the text means that day
    assert ground(a, _doc(text)).report.meeting.date is None


def test_html_source_line_with_full_width_colon_grounds_outlet_and_reporter(tmp_path):
    page = ("<html><head><title>我区召开疫情防控会议</title></head><body><h1>我区召开疫情防控会议</h1>"
            "<div class='attr'>日期：2022-03-15　来源：临淄区融媒体中心　作者：于明哲</div><div class='content'>"
            "<p>3月14日晚,我区召开疫情防控工作会议。区委书记庄立诚出席会议并讲话。</p>"
            "<p>庄立诚要求,全区各级各部门要坚持“早发现、早报告”,把防控措施落到每个卡口。</p></div></body></html>")
    (tmp_path / "p.html").write_text(page, "utf-8")
    doc = read_file(tmp_path / "p.html")
    res = ground(ExtractedReport.model_validate({"source": {"outlet": "临淄区融媒体中心", "reporters": ["于明哲"]}}), doc)
    assert res.dropped == []
    s, e = res.evidence["/source/outlet"]
    assert doc.original[s:e] == "临淄区融媒体中心"


# ---------------------------------------------------------------- values the format composes

@pytest.mark.parametrize("text, name, parts", [
    ("县十五届人大常委会召开第36次会议\n5月18日,县十五届人大常委会召开第36次会议。", "县十五届人大常委会第36次会议",
     ["县十五届人大常委会", "第36次会议"]),
    ("区委常委会召开会议\n区委常委会3月2日召开会议,研究近期工作。", "区委常委会会议", ["区委常委会", "会议"]),
    ("中共中央政治局召开会议 分析研究当前经济形势\n中共中央政治局4月28日召开会议。", "中共中央政治局会议",
     ["中共中央政治局", "会议"]),
])
def test_a_name_composed_from_two_places_is_grounded_by_both_spans(text, name, parts):
    doc = _doc(text)
    a = ExtractedReport.model_validate({"meeting": {"name": name}})
    res = ground(a, doc)
    assert res.report.meeting.name == name and res.dropped == []
    assert [_original(doc, s) for s in res.evidence["/meeting/name"]] == parts
    assert Locator(doc)(name)  # the answer validator accepts it too: no re-ask for a correct name


def test_composition_needs_a_convening_verb_within_the_sentence():
    loc = Locator(_doc("区委常委会强调,要抓好落实。会议要求各地加强值守。县人大常委会。之后召开第3次会议。"))
    assert loc.composed("区委常委会会议") is None  # no 召开 between body and 会议
    assert loc.composed("县人大常委会第3次会议") is None  # the verb is in the next sentence


def test_an_ungrounded_name_drops_the_name_not_the_meeting():
    doc = _doc("全区召开安全生产会议\n3月2日上午,全区安全生产工作会议在区行政中心召开。区长刘春明出席会议并讲话。")
    a = ExtractedReport.model_validate({"meeting": {"name": "全区安全生产大会战部署会", "date": "--03-02",
                                                    "time_of_day": "上午", "venue": "区行政中心"},
                                        "people": [{"name": "刘春明", "titles": ["区长"], "roles": ["speaker"]}]})
    res = ground(a, doc)
    m = res.report.meeting
    assert m is not None and m.name is None and "/meeting/name" in res.dropped
    assert (m.date, m.time_of_day, m.venue) == ("--03-02", "上午", "区行政中心")
    assert [p.name for p in res.report.people] == ["刘春明"] and "/meeting/date" in res.evidence


def test_a_date_without_its_year_is_grounded_with_the_publication_line():
    text = "来源:某某日报 2022年5月19日\n5月18日下午,县委召开常委会会议。"
    doc = _doc(text)
    a = ExtractedReport.model_validate({"source": {"published_date": "2022-05-19"},
                                        "meeting": {"name": "常委会会议", "date": "2022-05-18"}})
    (s, e), (ys, ye) = ground(a, doc).evidence["/meeting/date"]
    assert text[s:e] == "5月18日" and text[ys:ye] == "2022年5月19日"
    # written with its year: one span, as before
    doc2 = _doc("2022年5月18日下午,县委召开常委会会议。")
    s, e = ground(a, doc2).evidence["/meeting/date"]
    assert doc2.original[s:e] == "2022年5月18日"


def test_a_national_meeting_has_region_china_grounded_by_its_national_body():
    text = "国务院召开常务会议\n国务院总理李强3月8日主持召开国务院常务会议。"
    doc = _doc(text)
    a = ExtractedReport.model_validate({"meeting": {"name": "国务院常务会议", "region": {"name": "中国", "admin_code": "100000"}}})
    res = ground(a, doc)
    assert res.report.meeting.region.name == "中国" and res.report.meeting.region.admin_code is None
    assert _original(doc, res.evidence["/meeting/region/name"]) == "国务院"
    assert answer_problems(a, Locator(doc)) == []  # no re-ask for the country
    # a county meeting that names no national body gets no 中国
    local = _doc("县委召开常委会会议\n县委书记王强主持会议。")
    assert ground(a, local).report.meeting.region is None
