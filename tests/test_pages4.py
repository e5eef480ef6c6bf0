"""Shapes of round four's pages (evals/webshaped/PATTERNS.md, R4-*) that the rules missed on
evals/webshaped4/dev before any tuning: one test per rule, each on a short article written for it in
our own words (invented people, real places), some of them under tests/fixtures/pages4/."""
from pathlib import Path

import pytest

from jiyao.read.document import from_text, read_file
from jiyao.recognise.source import published_date
from jiyao.run.extractor import Extractor

FIXTURES = Path(__file__).parent / "fixtures" / "pages4"


def _rec(text: str):
    return Extractor("offline").extract_offline(from_text(text, "x"))


def _file(name: str):
    return Extractor("offline").extract_offline(read_file(FIXTURES / name))


# --- dates ---------------------------------------------------------------------------------------

def test_a_stamp_whose_day_runs_into_its_time_dates_the_page():
    text = ("县人大常委会召开第九次会议\n发布日期: 2024-12-2716:40:11  浏览次数:\n"
            "12月26日上午,县人大常委会召开第九次会议。县人大常委会主任魏长林主持会议。")
    assert published_date(text) == "2024-12-27"
    assert _rec(text).meeting.date == "2024-12-26"


def test_今日_opening_an_outlet_s_name_is_no_day():
    m = _rec("2016-03-28 10:12\n今日竹山网消息 3月26日下午4点,宝丰镇召开春季森林防火工作会议。"
             "镇长钟平川主持会议。").meeting
    assert (m.date, m.time_of_day) == ("2016-03-26", "下午")


def test_a_glued_stamp_grounds_the_publication_date():
    text = ("县人大常委会召开第九次会议\n发布日期: 2024-12-2716:40:11\n"
            "12月26日上午,县人大常委会召开第九次会议。县人大常委会主任魏长林主持会议。")
    assert _rec(text).source.published_date == "2024-12-27"


# --- credits -------------------------------------------------------------------------------------

_BODY = "3月25日,县委常委会召开会议。县委书记邹和平主持会议。"


@pytest.mark.parametrize("text, reporters, photographers, editors", [
    (f"作者:韩书瑶  核稿:邝志远   编发:党委宣传部\n{_BODY}", ["韩书瑶"], [], ["邝志远"]),  # 书 in a credited name
    (f"{_BODY}\n来源:县委办\n摄影:旦增尼玛\n编辑(一审):央金卓嘎\n责编(二审):郑佳蕊\n审核(三审):次仁罗布",
     [], ["旦增尼玛"], ["央金卓嘎", "郑佳蕊", "次仁罗布"]),                                  # Tibetan names, 一审 in brackets
    (f"2024-08-30 09:47 来源:苍溪县教育局 作者:教科局办公室 浏览:\n{_BODY}", [], [], []),  # an office is nobody
    (f"{_BODY}\n  (许镇镇 李文娟)", ["李文娟"], [], []),                                 # a town writes the byline
], ids=["shu", "tibetan", "office", "town"])
def test_credit_shapes_of_round_four(text, reporters, photographers, editors):
    s = _rec(text).source
    assert (s.reporters, s.photographers, s.editors) == (reporters, photographers, editors)
