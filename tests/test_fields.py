"""Region, upstream meetings, format and time, credits: one test per pattern met on real pages,
on short articles written for these tests (invented people, real places)."""
from pathlib import Path

import pytest

from jiyao.eval.metrics import field_summary
from jiyao.eval.report import load_gold
from jiyao.eval.score import score_set
from jiyao.run.extractor import Extractor
from jiyao.read.document import from_text, read_file
from jiyao.recognise import region
from jiyao.recognise.mentions import upstream_meetings
from jiyao.recognise.source import source

FIXTURES = Path(__file__).parent / "fixtures" / "fields"


def _rec(text: str):
    return Extractor("offline").extract_offline(from_text(text, "x"))


def _region(text: str):
    r = _rec(text).meeting.region
    return (r.name, r.admin_code) if r else None


# --- Region -------------------------------------------------------------------------------------

def test_region_from_the_outlet_when_the_text_names_no_place():
    text = ("全县林业工作调度会召开\n9月3日,全县林业工作调度会召开。县长白立群出席会议并讲话。\n"
            "来源:江华融媒体中心\n编辑:何小川")
    assert _region(text) == ("江华瑶族自治县", "431129")


def test_region_from_the_dateline():
    text = "区委常委会召开会议\n大观新闻网讯(记者 徐可馨)5月6日,区委常委会召开会议。区委书记孔德明主持会议。"
    assert _region(text) == ("大观区", "340803")
    # a dateline without an outlet word names the place just as well
    assert _region("江华讯 6月1日,全县防汛工作会议召开。县长白立群主持会议。") == ("江华瑶族自治县", "431129")


def test_region_of_a_town_or_street_has_no_code():
    text = "板桥镇召开安全生产工作会议\n2月20日,板桥镇召开安全生产工作会议。镇党委书记龚立新主持会议并讲话。"
    assert _region(text) == ("板桥镇", None)
    street = "11月3日下午,长乐西路街道组织全体干部传达学习区委全会精神。街道党工委书记王丽蓉主持会议。"
    assert _region(street) == ("长乐西路街道", None)


@pytest.mark.parametrize("phrase", ["要抓好航海安全", "县公安局通报了近期案件", "确保社会长治久安", "深化平安建设",
                                    "委员们就光明前景建言"])
def test_a_short_place_name_inside_another_word_is_no_place(phrase):
    text = f"我市召开专题会议\n4月2日,我市召开专题会议。市长高远主持会议。会议强调,{phrase}。"
    assert _region(text) is None


@pytest.mark.parametrize("level, phrase, expected", [
    ("市", "宜宾地处长江上游", ("宜宾市", "511500")),   # a word jieba tags as a place
    ("县", "要讲好会泽故事", ("会泽县", "530326")),     # a rare word jieba tags as a noun
    ("区", "推动龙马潭高质量发展", ("龙马潭区", "510504")),  # no word of its own, none across its edges
])
def test_a_short_place_name_standing_as_a_word_is_a_place(level, phrase, expected):
    text = f"我{level}召开防汛工作会议\n6月12日,我{level}召开防汛工作会议。会议由高远主持。{phrase},防汛任务重。"
    assert _region(text) == expected


def test_outlet_and_a_level_word_pick_the_city_over_the_county():
    # 吉安 is 吉安市 and 吉安县; 市政协 says which
    text = "市政协召开常委会议\n5月9日,市政协召开常委会议。市政协主席柯永安主持会议。\n来源:吉安新闻网"
    assert _region(text) == ("吉安市", "360800")


def test_gazetteer_has_no_exception_list():
    # the rule is general: every county's short form is an alias, judged in context
    assert region.lookup("公安") and region.lookup("海安") and region.lookup("永安")


# --- Upstream meetings --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # precision: attendance clauses, the text's own meeting and unnamed groups are no meetings
    ("区委书记鲁文博主持会议,中心组成员等出席会议。会议要求学习好此次会议精神和其他各项会议精神。", []),
    ("区委理论学习中心组举行第1次集体学习会议,传达学习中央经济工作会议精神。", ["中央经济工作会议"]),
    # a speech at a named meeting, with or without a verb before it
    ("会议学习了习近平总书记在中央政治局民主生活会上的重要讲话精神。", ["中央政治局民主生活会"]),
    ("中心组成员围绕在全省组织工作会议上的讲话精神开展研讨。", ["全省组织工作会议"]),
    # the spirit as an object, a date inside the relayed phrase, and an earlier relayed thing
    ("会议对中央、省、市经济工作会议精神进行传达。", ["中央经济工作会议", "省经济工作会议", "市经济工作会议"]),
    ("会议传达学习3月6日省生态环境保护委员会会议精神。", ["省生态环境保护委员会会议"]),
    ("传达学习习近平总书记重要指示精神及省委十三届九次全会精神。", ["省委十三届九次全会"]),
    ("会议传达学习了全市招商引资动员会和乡村振兴现场推进会精神。", ["全市招商引资动员会", "乡村振兴现场推进会"]),
    # levels listed before one name are one meeting each (issue 18: the level applies to each); a relayed
    # thing that is no meeting ends the list
    ("会议传达学习了中央、省、市安全生产推进会议和全市消防工作推进会议精神。",
     ["中央安全生产推进会议", "省安全生产推进会议", "市安全生产推进会议", "全市消防工作推进会议"]),
    ("会议传达学习贯彻全国防汛工作电视电话会议和市分会场精神。", ["全国防汛工作电视电话会议"]),
])
def test_upstream_meetings(text, expected):
    assert [f.value for f in upstream_meetings(text, 0, None)] == expected


def test_a_meeting_written_twice_and_a_collective_re_mention_are_one_and_none():
    text = ("会议学习了在中央政治局民主生活会上的重要讲话精神,要求学习领会中央政治局民主生活会会议精神。"
            "会议传达学习了省委防汛工作专题会议、市防汛调度会议精神,要求落实好省、市防汛会议精神。")
    assert [f.value for f in upstream_meetings(text, 0, None)] == ["中央政治局民主生活会", "省委防汛工作专题会议",
                                                                   "市防汛调度会议"]
    # the only relayed meetings, written with their levels, stay: one for each level
    only = "在收听收看省、市防汛工作领导小组会议暨视频调度会议后,我县立即召开会议。"
    assert [f.value for f in upstream_meetings(only, 0, None)] == ["省防汛工作领导小组会议暨视频调度会议",
                                                                   "市防汛工作领导小组会议暨视频调度会议"]


def test_a_meeting_right_before_this_one_is_upstream_and_this_one_is_the_record():
    text = ("我市召开全市森林防火工作会议\n3月5日下午,全省森林防火工作电视电话会议召开。会议结束后,我市随即召开全市"
            "森林防火工作会议,传达贯彻全省会议精神。市长高远出席并讲话,副市长钟晓主持会议。")
    rec = _rec(text)
    assert rec.meeting.name == "森林防火工作会议"
    assert rec.upstream_meetings == ["全省森林防火工作电视电话会议"]
    assert rec.meeting.format is None  # the 电视电话会议 was the province's
    assert {p.name for p in rec.people} == {"高远", "钟晓"}


def test_a_meeting_after_another_one_was_held():
    rec = _rec("我市召开防汛工作会议\n6月1日,全省防汛工作视频会议召开后,我市立即召开防汛工作会议。市长高远主持会议。")
    assert (rec.meeting.name, rec.upstream_meetings, rec.meeting.format) == ("防汛工作会议", ["全省防汛工作视频会议"], None)


def test_an_unnamed_continuation_keeps_the_first_meeting():
    # seed 004's structure: the local part after a video meeting has no name of its own
    text = ("5月10日下午,荆门市疫情防控指挥部电视电话会议召开。视频会议结束后,副市长钟晓对我市工作作出部署。")
    rec = _rec(text)
    assert rec.meeting.name == "荆门市疫情防控指挥部电视电话会议" and rec.upstream_meetings == []


# --- Format and time ----------------------------------------------------------------------------

def test_the_place_that_holds_the_meeting_not_a_self_reference_inside_a_relayed_name():
    # 全市 belongs to the relayed meeting; 清水县 holds this one
    text = "7月7日晚,在收听收看全市防汛工作视频调度会议后,清水县立即召开防汛工作会议。县委书记汪志诚主持会议。"
    assert _region(text) == ("清水县", "620521")
    before = ("5月20日,四川省召开防汛视频会议。会议结束后,我县随即召开防汛工作会议。县长白立群主持会议。"
              "会议要求,讲好汶川故事。")
    assert _region(before) == ("汶川县", "513221")


def test_a_relayed_video_meeting_sets_no_format_but_this_meetings_own_video_does():
    relayed = ("我县传达贯彻全市防汛工作视频调度会议精神\n7月7日晚,在收听收看全市防汛工作视频调度会议后,清水县立即召开"
               "防汛工作会议。县委书记汪志诚主持会议并讲话。")
    assert _rec(relayed).meeting.format is None
    own = relayed + "\n会议以视频形式召开,各乡镇设分会场。"
    assert _rec(own).meeting.format == "video"
    # a relayed meeting named by no upstream name: its clause says it is relayed
    unnamed = "我县召开防汛工作会议\n7月7日,县领导组织收听收看视频会议后,我县立即召开防汛工作会议。县长白立群主持会议。"
    assert _rec(unnamed).meeting.format is None
    # the city watched the province's meeting at its branch venue, then held its own
    branch = ("3月5日下午,全省森林防火工作电视电话会议召开。我市在市分会场收听收看。会议结束后,我市随即召开森林防火"
              "工作会议。市长高远主持会议。")
    assert _rec(branch).meeting.format is None


@pytest.mark.parametrize("first_line, date, tod", [
    ("今天上午,市长魏长青主持召开市政府第25次常务会议。", "2022-09-14", "上午"),
    ("本报讯 昨天下午,市长魏长青主持召开市政府第25次常务会议。", "2022-09-13", "下午"),
    ("今天(9月14日)上午,市长魏长青主持召开市政府第25次常务会议。", "2022-09-14", "上午"),
    ("17日傍晚,市长魏长青主持召开市政府第25次常务会议。", None, "晚上"),
    ("日前,市长魏长青主持召开市政府第25次常务会议,传达学习9月6日全省会议精神。", None, None),
])
def test_relative_and_partial_dates(first_line, date, tod):
    text = f"市政府召开第25次常务会议\n发布时间:2022-09-14 18:30\n{first_line}"
    m = _rec(text).meeting
    assert (m.date, m.time_of_day) == (date, tod)


def test_a_year_attached_to_the_name_dates_the_meeting_but_a_work_year_does_not():
    m = _rec("11月18日下午,区长邓晓东主持召开2024年区政府第18次常务会议。").meeting
    assert m.date == "2024-11-18"
    m = _rec("1月20日,板桥镇召开2022年度民主生活会。镇党委书记龚立新主持会议。").meeting
    assert m.date == "--01-20"  # 2022年度 meetings are held the next January


def test_relative_date_without_publication_date_is_null():
    m = _rec("全县防汛工作会议召开\n昨天下午,全县防汛工作会议召开。县长白立群主持会议。").meeting
    assert (m.date, m.time_of_day) == (None, "下午")


# --- Credits and outlet -------------------------------------------------------------------------

@pytest.mark.parametrize("text, reporters, photographers, editors", [
    ("正文。\n撰稿:蒙小芸 摄影:韦立", ["蒙小芸"], ["韦立"], []),
    ("正文。\n作者:盘晓燕\n编辑:赵一帆\n一审:李丹 二审:邓海 三审:唐文", ["盘晓燕"], [], ["赵一帆", "李丹", "邓海", "唐文"]),
    ("正文。\n(文/图 周晓彤 责编 林静 审核 黄志远)", ["周晓彤"], ["周晓彤"], ["林静", "黄志远"]),
    ("正文。\n县融媒体中心记者:陈庆斌\n编 辑:苏 伟\n一 审:魏 倩", ["陈庆斌"], [], ["苏伟", "魏倩"]),
    ("正文。\n记 者 | 张子鹤 赵 鑫", ["张子鹤", "赵鑫"], [], []),
    ("本网讯(记者:晋小鑫 摄影:魏执中)10月5日上午", ["晋小鑫"], ["魏执中"], []),
    ("正文。\n(图文:高永奎 审核:张素伟)", ["高永奎"], ["高永奎"], ["张素伟"]),
    ("正文。\n实习生 谢雨萱", ["谢雨萱"], [], []),
    ("正文。\n(朱小旭 李得春)", ["朱小旭", "李得春"], [], []),  # a byline of bare names
    ("会议还研究了其他事项。\n(扩大)", [], [], []),
    ("新闻发布会上,记者要深入一线采访报道群众关心的问题。", [], [], []),
])
def test_credits(text, reporters, photographers, editors):
    s = source(text)
    assert (s.reporters, s.photographers, s.editors) == (reporters, photographers, editors)


@pytest.mark.parametrize("text, outlet", [
    ("大观新闻网讯(记者 徐可馨)3月2日", "大观新闻网"),
    ("本报讯(记者 徐可馨)3月2日", None),
    ("正文。\n来源:江华融媒体中心", "江华融媒体中心"),
    ("正文。\n发布日期:2020-07-21 来源:县融媒体中心", None),  # a bare level names no outlet
    ("正文。\n信息来源:济南日报", "济南日报"),
])
def test_outlets(text, outlet):
    assert source(text).outlet == outlet


@pytest.mark.parametrize("text, published", [
    ("正文。\n发布时间:2022-09-14 18:30  来源:韶关日报", "2022-09-14"),
    ("当前位置:首页\n2021-11-08 15:14:10  来源:县融媒体中心  责任编辑:\n正文。", "2021-11-08"),  # unlabelled, on a meta line
    ("会议要求2021-11-08前完成整改。", None),  # a date in the body is no publication date
])
def test_publication_date(text, published):
    assert source(text).published_date == published


# --- Names: self-references and a leading year are dropped (SPEC v1.1) ---------------------------

def test_self_reference_and_leading_year_are_dropped_from_the_name():
    rec = _rec("2月20日,板桥镇召开2017年全镇农业农村工作会议。镇长杜明远主持会议。")
    assert rec.meeting.name == "农业农村工作会议"


def test_venue_of_a_meeting_someone_chairs_there():
    rec = _rec("9月13日,区长秦立新在区会议中心3号会议室主持召开区政府第27次常务会议。")
    assert (rec.meeting.name, rec.meeting.venue) == ("区政府第27次常务会议", "区会议中心3号会议室")


def test_a_congress_that_opens_is_held():
    rec = _rec("1月8日上午,政协第十一届宜宾市委员会第三次会议在市会议中心开幕。市政协主席王建明主持开幕会。")
    assert (rec.meeting.name, rec.meeting.venue) == ("政协第十一届宜宾市委员会第三次会议", "市会议中心")


# --- The written fixture set --------------------------------------------------------------------

def test_fixture_articles_score_on_the_fields_of_this_module():
    gold = load_gold(FIXTURES / "gold")
    ex = Extractor("offline")
    recs = {p.stem: ex.extract_offline(read_file(p)).model_dump() for p in sorted((FIXTURES / "articles").iterdir())}
    per = score_set(gold, recs)
    for f in ("source.outlet", "source.reporters", "source.photographers", "source.editors", "meeting.name",
              "meeting.date", "meeting.time_of_day", "meeting.format", "meeting.region", "upstream_meetings"):
        assert field_summary(per, f)["strict"]["f1"] == 1.0, (f, field_summary(per, f)["strict"])
