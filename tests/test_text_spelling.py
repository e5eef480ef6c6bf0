"""Issue 20, finding 23: a grounded value is written as the article writes it, not as the model
spelled it (`廖 蓝 蕾`, `“李秋玥”` → 廖蓝蕾, 李秋玥); what grounding drops is recorded in bounded size
(a 100,000-character invented name leaves a short pointer, not itself)."""
import asyncio

from jiyao.agent.llm import EndpointConfig
from jiyao.ground.spans import ground
from jiyao.read.document import from_text
from jiyao.run.extractor import Extractor
from jiyao.schema import ExtractedReport

from fakeserver import FakeServer, Script

ARTICLE = """全市安全生产工作会议召开
3月5日上午，市委副书记、市长周明远主持召开全市安全生产工作会议，强调要守牢“安全底线”。
副市长韩素梅出席会议。
（记者 廖蓝蕾 李秋玥）
"""
INVENTED = "张" * 100_000


def _answer() -> dict:
    """A model's spelling of the article's values: spaced, quoted, full-width, traditional."""
    return {"headline": "全市安全生產工作會議召開",
            "source": {"outlet": None, "reporters": ["廖 蓝 蕾", "“李秋玥”"], "photographers": [], "editors": [],
                       "published_date": None},
            "meeting": {"name": "全市安全生产工作会议", "date": None, "time_of_day": "上午", "format": None,
                        "venue": None, "region": None, "organizer": None},
            "people": [{"name": "周 明 远", "titles": ["市委副书记", "市長"], "roles": ["chair"]},
                       {"name": "「韩素梅」", "titles": ["副市长"], "roles": []},
                       {"name": INVENTED, "titles": [], "roles": []}],
            "upstream_meetings": [], "slogans": ["安全 底线", "“" + "假" * 5000 + "”"], "directives": []}


def _check(rec: dict) -> None:
    assert rec["source"]["reporters"] == ["廖蓝蕾", "李秋玥"]
    assert [p["name"] for p in rec["people"]] == ["周明远", "韩素梅"]
    assert rec["people"][0]["titles"] == ["市委副书记", "市长"]
    assert rec["slogans"] == ["安全底线"] and rec["headline"] == "全市安全生产工作会议召开"
    dropped = rec["diagnostics"]["dropped_ungrounded"]
    assert len(dropped) == 2 and all(len(d) <= 100 for d in dropped), [d[:80] for d in dropped]
    assert dropped[0].startswith("/people/张张") and dropped[1].startswith("/slogans/")


def test_grounding_writes_values_as_the_text_does():
    doc = from_text(ARTICLE, "a")
    res = ground(ExtractedReport.model_validate(_answer()), doc)
    rec = res.report.model_dump()
    rec["diagnostics"] = {"dropped_ungrounded": res.dropped}
    _check(rec)


def test_the_llm_backend_records_the_texts_spelling():
    with FakeServer(Script([_answer()])) as s:
        cfg = EndpointConfig(model="scripted", base_url=s.base_url, api_key="k", mode="tools", validation_retries=0,
                             backoff_initial_s=0.01)
        ex = Extractor("llm", cfg)

        async def go():
            try:
                return await ex.aextract(from_text(ARTICLE, "a"))
            finally:
                await ex.aclose()
        rec = asyncio.run(go()).model_dump()
    _check(rec)
