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
