"""Focused hybrid (agent/questions.py): questions a small model answers well — a choice by letter
among candidates the text offers, yes/no about a quoted sentence, names from two or three
sentences — aimed at the fields the rules are unsure of, all sharing one system prompt and one
tiny answer schema, answered through the real openai client and the same fusion as any answer."""
import asyncio

from jiyao.agent.llm import EndpointConfig
from jiyao.agent.evidence import Evidence
from jiyao.agent.questions import ASKS, Question, Reply, plan
from jiyao.ground.spans import ground
from jiyao.read.document import from_text
from jiyao.recognise import recognise
from jiyao.run.extractor import Extractor

from fakeserver import FakeServer, Script
from scripted import DATA, reply

# a dateline the rules take no outlet from (an app's name without an outlet word: 江津头条消息), a venue of one character
# (在渝), no region named but in the outlet's name
TEXT = ("全市安全生产工作会议在渝召开 刘志远出席\n江津头条消息 全市安全生产工作会议5日在渝召开。副市长刘志远出席会议并讲话。"
        "市应急局局长陈思远,市住建委主任何立新参加会议。\n会议强调,要坚持“安全第一、预防为主”,压实各方责任。\n")
GOLD = {"headline": "全市安全生产工作会议在渝召开 刘志远出席", "source": {"outlet": "江津头条"},
        "meeting": {"name": "安全生产工作会议", "date": "--05-05", "venue": "渝", "region": {"name": "江津区"}},
        "people": [{"name": "刘志远", "titles": ["副市长"], "roles": ["speaker"]}]}


def _doc():
    return from_text(TEXT, "x")


def _rules(doc):
    return ground(recognise(doc.norm.text, doc.page_date, doc.page_title), doc).report


def _focused(doc, script):
    async def go(base_url):
        cfg = EndpointConfig(model="scripted", base_url=base_url, api_key="k", mode="json", validation_retries=0,
                             api_retries=0)
        ex = Extractor("hybrid", cfg, strategy="focused")
        try:
            return (await ex.aextract(doc)).model_dump()
        finally:
            await ex.aclose()
    with FakeServer(script) as s:
        return asyncio.run(go(s.base_url))


def test_plan_asks_by_letter_about_the_fields_the_rules_left_empty():
    doc = _doc()
    qs = {q.field: q for q in plan(_rules(doc), doc)}
    assert {"source.outlet", "meeting.region"} <= set(qs) and "headline" not in qs and "meeting.name" not in qs
    q = qs["source.outlet"]
    assert q.kind == "choice" and q.options == ("江津头条",) and "A. 江津头条" in q.text and "N. none" in q.text
    assert all(len(x) < 120 for x in q.sentences) and len(q.sentences) <= 3


def test_the_rules_value_is_always_an_option_and_a_sure_value_is_not_asked():
    doc = _doc()
    rules = _rules(doc)
    rules.meeting.venue = "渝召开"  # grounded, but not what 在…召开 encloses: unsure
    q = next(q for q in plan(rules, doc) if q.field == "meeting.venue")
    assert q.options[0] == "渝召开" and "渝" in q.options
    rules.meeting.venue = "渝"  # the evidence holds: nothing to ask
    assert all(q.field != "meeting.venue" for q in plan(rules, doc))


def test_replies_are_read_in_whatever_shape_a_small_model_gives():
    q = Question("choice", "meeting.venue", ASKS["meeting.venue"], options=("区行政中心", "渝"))
    for answer, want in (("B", "渝"), ("b", "渝"), ("B. 渝", "渝"), (["B"], "渝"), ("渝", "渝"), ("N", None),
                         ("none", None), (None, None), ("Z", None), (2, None)):
        assert q.read(Reply.model_validate({"answer": answer})) == want, answer
    many = Question("choices", "upstream_meetings", ASKS["upstream_meetings"], options=("甲会议", "乙会议", "丙会议"))
    assert many.read(Reply(answer=["A", "C"])) == ["甲会议", "丙会议"] and many.read(Reply(answer="A, C")) == ["甲会议", "丙会议"]
    yes = Question("yes_no", "meeting.format", ASKS["meeting.format"])
    assert [yes.read(Reply.model_validate({"answer": a})) for a in ("yes", "是", True, "no", None)] == ["yes"] * 3 + ["no"] * 2
    names = Question("names", "people.name", ASKS["people.name"])
    assert names.read(Reply(answer="张三、李四")) == ["张三", "李四"] and names.read(Reply(answer=["张三"])) == ["张三"]


def test_focused_answers_fill_the_gaps_through_grounding_and_fusion():
    doc = _doc()
    script = Script(default=lambda req: reply(req, GOLD))
    rec = _focused(doc, script)
    assert rec["source"]["outlet"] == "江津头条" and rec["meeting"]["region"]["name"] == "江津区"
    assert rec["confidence"]["/source/outlet"]["source"] == "model"
    # the rules' sure values stand whatever the model picks
    assert rec["meeting"]["name"] == "安全生产工作会议" and [p["name"] for p in rec["people"]][0] == "刘志远"
    # a model that answers none everywhere leaves the rules' record as it was
    lazy = _focused(doc, Script(default={"answer": "N"}))
    assert lazy["source"]["outlet"] is None and lazy["meeting"]["region"] is None


def test_every_question_shares_one_system_prompt_and_schema_and_stays_short():
    doc = _doc()
    script = Script(default=lambda req: reply(req, GOLD))
    _focused(doc, script)
    assert len(script.requests) >= 2
    systems = {r["messages"][0]["content"] for r in script.requests}
    assert len(systems) == 1  # one prefix for the server's cache: prompt, then the one answer schema
    for r in script.requests:
        user = r["messages"][-1]["content"]
        assert len(user) < 400 and DATA.findall(user)


# the rules take the chair but not the speakers listed after the meeting sentence
SPEAKERS = ("全市民营经济座谈会召开\n江津网讯 全市民营经济座谈会5日召开。市长刘志远主持会议并讲话。\n"
            "座谈会上,企业家代表周海川、林晓梅先后发言。\n")


def test_a_sentence_with_titled_names_the_rules_did_not_take_is_asked_about_and_its_people_added(monkeypatch):
    doc = from_text(SPEAKERS, "x")
    rules = _rules(doc)
    rules.people = [p for p in rules.people if p.name == "刘志远"]  # as if the rules missed the list
    monkeypatch.setattr("jiyao.run.extractor.recognise", lambda *a: rules)
    q = next(q for q in plan(rules, doc) if q.field == "people.name")
    assert q.kind == "names" and any("周海川" in s for s in q.sentences)
    rec = _focused(doc, Script(default=lambda req: {"answer": ["周海川", "林晓梅"]} if "named individuals" in req["messages"][-1]["content"] else {"answer": "N"}))
    got = {p["name"]: rec["confidence"][f"/people/{i}/name"]["source"] for i, p in enumerate(rec["people"])}
    assert got == {"刘志远": "rules", "周海川": "model", "林晓梅": "model"}


def test_a_pages_video_tag_is_no_video_meeting_to_ask_about():
    """[视频] before a headline says the page carries a video, not that the meeting was held by one."""
    doc = from_text("[视频]县人大常委会召开第十四次会议\n昨天,县人大常委会召开第十四次会议。主任马建国主持会议。\n", "x")
    rules = _rules(doc)
    assert rules.meeting.format is None and all(q.field != "meeting.format" for q in plan(rules, doc))
    assert not Evidence(doc).scalar("meeting.format", "video", [], [])
