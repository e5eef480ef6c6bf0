"""Web-shaped patterns tuned on the dev set, each on a short article written for it (invented people,
real places): page dates in their many shapes, meeting dates beside a page's meta lines, names,
organizers, regions, upstream meetings, people and credits."""
from jiyao.pipeline import Extractor
from jiyao.read import from_text
from jiyao.recognise.source import published_date


def _rec(text: str):
    return Extractor("offline").extract_offline(from_text(text, "x"))


# --- published_date ---------------------------------------------------------------------------

def test_published_date_from_forum_paper_and_disclosure_lines():
    # a forum's post line, a digital paper's issue line, a date before 来源, a spaced 上载日期
    assert published_date("2023-4-9 08:15| 发布者: 河畔小编| 查看: 211| 评论: 0") == "2023-04-09"
    assert published_date("某某晚报数字报 2020年09月14日 第A02版:综合") == "2020-09-14"
    assert published_date("2019年3月2日 10:20    来源:某某日报") == "2019-03-02"
    assert published_date("发表于 2021-7-30 21:04") == "2021-07-30"
    # the disclosure page's upload date, not the document's own date
    meta = "发 文 日 期 2024-01-05\n文   号 某政办发〔2024〕3号    上 载 日 期 2024-01-08"
    assert published_date(meta) == "2024-01-08"
    assert published_date("成文日期:2024-01-05") is None
    assert published_date("会议时间:2024年1月5日") is None  # a meeting's time, not the page's


# --- meeting.date --------------------------------------------------------------------------------

def test_meeting_date_is_not_the_meta_lines_date():
    text = ("市应急管理局召开防汛会商会议\n发布时间:2023年07月02日    来源:市应急管理局\n"
            "    7月1日傍晚,市应急管理局召开防汛会商会议。局长钟立新主持会议并讲话。")
    m = _rec(text).meeting
    assert (m.date, m.time_of_day) == ("2023-07-01", "晚上")


def test_yesterday_counts_back_from_a_date_first_meta_line():
    text = ("全市统计工作会议召开\n2021年3月10日 08:12    来源:某某日报\n"
            "    本报讯 昨日下午,全市统计工作会议召开。副市长苗建华出席并讲话。")
    m = _rec(text).meeting
    assert (m.date, m.time_of_day) == ("2021-03-09", "下午")
