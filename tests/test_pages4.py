"""Shapes of round four's pages (evals/webshaped/PATTERNS.md, R4-*) that the rules missed on
evals/webshaped4/dev before any tuning: one test per rule, each on a short article written for it in
our own words (invented people, real places), some of them under tests/fixtures/pages4/."""
from pathlib import Path

import pytest

from jiyao.read.document import from_text, read_file
from jiyao.recognise import recognise
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
    (f"{_BODY}\n(图/文:县新闻中心 唐一升)", ["唐一升"], ["唐一升"], []),                       # 图/文 is both
    (f"{_BODY}\n图文:胡一泽(县融媒体中心)", ["胡一泽"], ["胡一泽"], []),                       # the unit after the name
    (f"{_BODY}\n供稿人:陈一园", ["陈一园"], [], []),
    (f"本网四川达州讯(杜一宇 邓一冬 李一西){_BODY}", ["杜一宇", "邓一冬", "李一西"], [], []),    # names after a dateline
    (f"四川新闻网眉山9月4日讯(彭一洪 李一军 图/文){_BODY}", ["彭一洪", "李一军"], ["彭一洪", "李一军"], []),
    (f"{_BODY}\n沂水县道托镇王一军\n|", ["王一军"], [], []),                                   # a unit glued, no brackets
], ids=["shu", "tibetan", "office", "town", "tu-wen", "unit-after", "gonggaoren", "dateline", "dateline-tuwen", "glued"])
def test_credit_shapes_of_round_four(text, reporters, photographers, editors):
    s = _rec(text).source
    assert (s.reporters, s.photographers, s.editors) == (reporters, photographers, editors)


# --- page furniture, headline and outlet ---------------------------------------------------------

def test_a_share_button_under_the_title_is_no_part_of_it():
    r = _rec("院党委理论学习中心组举行专题学习会\n\n分享\n\n发布时间:2018-04-20\n\n"
             "本网讯 4月18日下午,院党委理论学习中心组举行第四次专题学习会。党委书记严卫东主持会议。")
    assert r.headline == "院党委理论学习中心组举行专题学习会"


def test_a_forum_thread_s_counters_and_copy_link_are_no_title():
    r = _file("forum_thread.txt")
    assert r.headline == "县政协十一届二次会议提案交办会召开"
    assert r.source.published_date == "2023-03-02"


def test_a_county_app_s_name_on_the_first_line_is_the_outlet():
    r = _file("app_page.txt")
    assert (r.source.outlet, r.headline) == ("涟水发布", "全县安全生产工作会议召开")
    assert "640" not in read_file(FIXTURES / "app_page.txt").norm.text  # 640 (1).jpg is an image line
    # a column's name in that place is no outlet
    assert _rec("权威发布\n全县安全生产工作会议召开\n5月7日下午,全县安全生产工作会议召开。").source.outlet is None


def test_a_新媒_brand_in_the_source_line_is_an_outlet():
    r = _rec("州委召开常委会会议\n时间:2023-05-16 21:02:37    来源:海北新媒    作者:\n"
             "5月15日,州委召开常委会会议。州委书记索南才让主持会议。")
    assert r.source.outlet == "海北新媒"


def test_承办单位_in_a_sentence_is_no_footer():
    r = _rec("县政协召开提案交办会\n3月1日下午,县政协召开提案交办会。县政协副主席周玉兰主持会议,各承办单位负责人参加会议。\n"
             "周玉兰要求,要把提案办理作为密切联系群众的重要途径,主动与提案委员沟通,在办理前问需求、办理中通进度、"
             "办理后听意见,按时办结、及时答复,不能以文件代替落实,更不能只答复不办理,确保每一件提案都落到实处、"
             "取得实效,让委员满意、让群众满意。")
    assert [p.name for p in r.people] == ["周玉兰"] and r.meeting.date == "--03-01"


# --- meeting name and organizer ------------------------------------------------------------------

@pytest.mark.parametrize("sentence, name, organizer", [
    ("阿克苏地委召开第十二次委员(扩大)会议", "阿克苏地委第十二次委员(扩大)会议", "阿克苏地委"),     # a prefecture's 地委
    ("南陵县委第二巡察组在许镇镇政府三楼会议室召开巡察情况反馈会议", "巡察情况反馈会议", "南陵县委第二巡察组"),
    ("市纪委常委(扩大)会议暨全市纪检监察工作推进会在市行政中心召开",
     "市纪委常委(扩大)会议暨全市纪检监察工作推进会", "市纪委"),                                   # a discipline commission
], ids=["diwei", "xuncha", "jiwei"])
def test_bodies_of_round_four_convene_meetings(sentence, name, organizer):
    m = _rec(f"1月7日,{sentence}。会议由施德仁主持。").meeting
    assert (m.name, m.organizer) == (name, organizer)


# --- region --------------------------------------------------------------------------------------

def _region(text: str):
    m = _rec(text).meeting
    return m.region.name if m and m.region else None


@pytest.mark.parametrize("text, region", [
    ("4月18日下午,宜宾市第二人民医院党委理论学习中心组在行政楼会议室举行第四次专题学习会。党委书记严卫东主持会议。",
     "宜宾市"),                                                           # a hospital named after its city
    ("8月29日下午,苍溪中学在学术报告厅召开秋季学期开学工作会议。党委书记、校长蒲一鸣主持会议。", "苍溪县"),  # a school
    ("8月2日下午,巢湖经开区党工委第五次(扩大)会议召开。全区上半年工业产值保持增长。党工委书记郜一平主持会议。",
     "巢湖市"),                                                           # a development zone: 全区 is the zone
], ids=["hospital", "school", "zone"])
def test_a_unit_s_meeting_is_the_place_its_name_carries(text, region):
    assert _region(text) == region


def test_a_prefecture_s_地委_names_the_prefecture():
    text = "1月7日,阿克苏地委召开第十二次委员(扩大)会议,地委书记樊一林主持会议并讲话。"
    assert _rec(text).meeting.region.model_dump() == {"name": "阿克苏地区", "admin_code": "652900"}


def test_a_town_holding_a_meeting_at_several_venues_at_once():
    text = "4月29日上午9点,赵化镇分三个会场同时召开安全生产隐患排查整治部署会,各村支部书记参会。"
    assert _region(text) == "赵化镇"


def test_a_county_named_only_by_its_short_form_beside_its_bare_level():
    text = ("县委常委、常务副县长甄一伟组织召开招商引资项目推进会\n7月22日上午,县委常委、常务副县长甄一伟主持召开招商引资项目推进会。"
            "甄一伟强调,周边县区都在抢项目,临泉慢一步就会失一片。")
    assert _region(text) == "临泉县"


# --- people --------------------------------------------------------------------------------------

def _people(text: str):
    return [(p.name, p.titles, p.roles) for p in _rec(text).people]


def test_a_tibetan_name_without_a_surname_is_read_in_a_list():
    text = ("5月15日,州委召开常委会会议。州委副书记、州长马一成,州委副书记、政法委书记拉毛措,"
            "州委常委、常务副州长韩一新参加会议。")
    assert [p[0] for p in _people(text)] == ["马一成", "拉毛措", "韩一新"]


@pytest.mark.parametrize("sentence, person", [
    ("县委第二巡察组组长施一仁反馈了巡察发现的问题", ("施一仁", ["县委第二巡察组组长"], [])),   # 反馈: attends
    ("街道党工委书记蔡一哲逐一点评,肯定了各社区的亮点", ("蔡一哲", ["街道党工委书记"], ["speaker"])),  # 点评 speaks
    ("副校长敬晓东、罗一芳先后就分管的德育、教学工作作了具体安排",
     ("敬晓东", ["副校长"], ["speaker"])),                                                # 敬 is a surname
    ("党委书记、校长蒲一远以《守正创新 再攀新高》为题作了讲话", ("蒲一远", ["党委书记", "校长"], ["speaker"])),
], ids=["fankui", "dianping", "jing", "book-title-space"])
def test_verbs_and_names_of_round_four(sentence, person):
    text = f"4月6日下午,县委召开工作会议。{sentence}。会议由县委副书记龚一新主持。"
    assert person in _people(text)


def test_the_one_who_leads_others_in_a_discussion_neither_speaks_nor_takes_在_into_the_title():
    text = ("12月29日下午,玫瑰镇召开专题研讨会,会议由镇党委书记钮一燕主持。会议学习了县委主要领导的讲话精神,"
            "并在镇长祁一飞带领下,班子成员逐一结合分管工作进行研讨,纷纷表态发言。"
            "钮一燕指出,镇里每个班子成员都要对号入座,不做旁观者。")
    assert _people(text) == [("钮一燕", ["镇党委书记"], ["chair", "speaker"]), ("祁一飞", ["镇长"], [])]


def test_a_name_wrapped_in_quotes_is_the_name_and_what_it_studies_is_relayed():
    r = _rec("12月29日下午,玫瑰镇召开“学习县委经济工作会议暨全县优化营商环境大会精神专题研讨会”,"
             "会议由镇党委书记钮一燕主持。钮一燕要求,要围绕“一朵玫瑰富一方”做文章。")
    assert (r.meeting.name, r.meeting.organizer) == ("学习县委经济工作会议暨全县优化营商环境大会精神专题研讨会", None)
    assert r.upstream_meetings == ["县委经济工作会议暨全县优化营商环境大会"]
    assert r.slogans == ["一朵玫瑰富一方"]  # the quoted name is no slogan


def test_a_body_on_the_first_title_line_and_its_sitting_on_the_second():
    r = _file("two_line_title.txt")
    assert r.headline == "丰顺县防汛抗旱指挥部办公室第二次汛期会商研判"
    m = r.meeting  # no 召开…会议 anywhere: 会议由某某主持召开 reports it, the headline names it
    assert (m.name, m.organizer, m.date, m.time_of_day, m.region.name) == (
        "第二次汛期会商研判", "丰顺县防汛抗旱指挥部办公室", "2024-05-20", "上午", "丰顺县")
    # a title on both sides of a name (指挥长某某副县长), the later short form adding nothing
    assert [(p.name, p.titles, p.roles) for p in r.people] == [
        ("邬一华", ["丰顺县防汛抗旱指挥部副指挥长"], ["chair"]),
        ("钟一明", ["丰顺县防汛抗旱指挥部指挥长", "副县长"], ["speaker"])]


def test_和_between_two_groups_starts_no_name_before_a_title():
    text = ("4月6日下午,县委召开工作会议。会议由县委副书记龚一新主持,各村(社区)党组织书记和驻村工作队队长参加会议,"
            "各村书记和护林员代表参会。")
    assert [p[0] for p in _people(text)] == ["龚一新"]


def test_an_office_before_a_name_and_a_title_after_it():
    text = ("12月29日下午,玫瑰镇召开专题研讨会,县纪委监委第三监督检查室副主任韦一林、县委组织部干部一科武建科长到会督导,"
            "会议由镇党委书记钮一燕主持。")
    assert ("武建", ["县委组织部干部一科", "科长"], []) in _people(text)
    text = "12月16日,县人大常委会召开动员会。县人大城建环保工委和执法检查组成员参加会议,县人大常委会主任岳一海主持会议。"
    assert [p[0] for p in _people(text)] == ["岳一海"]  # 和 joins two groups


def test_a_school_holding_a_meeting_is_its_organizer():
    m = _rec("8月29日下午,苍溪中学在学术报告厅召开秋季学期开学工作会议。党委书记、校长蒲一远主持会议。").meeting
    assert m.organizer == "苍溪中学"
    # the school a meeting sat in is not who held it
    assert _rec("8月29日下午,县教育局在苍溪中学召开秋季开学工作会议。局长蒲一远主持会议。").meeting.organizer != "苍溪中学"


def test_an_outlet_named_a_网站():
    assert _rec(f"中国水利网站8月29日讯 {_BODY}").source.outlet == "中国水利网站"


def test_a_leader_convening_the_meeting_takes_part():
    for text in ("7月14日下午、15日上午,县委常委、常务副县长冉一龙分批召开全县招商引资调度会。",
                 "8月20日上午,县委常委冉一龙组织召开招商引资推进会,对在谈项目逐项研究。"):
        assert [p[0] for p in _people(text)] == ["冉一龙"]
    assert _rec("7月14日下午、15日上午,县委常委冉一龙分批召开全县招商引资调度会。").meeting.date == "--07-14"


def test_a_study_session_of_a_中心组_is_a_meeting():
    r = _rec("党委理论学习中心组开展集中学习\n发布时间:2022/6/1 14:53:22 / 浏览量: / 【关闭】\n"
             "5月23日,医院党委理论学习中心组开展集中学习。党委书记、院长邢一生主持。")
    assert r.meeting is not None and r.meeting.date == "2022-05-23"
    assert [(p.name, p.roles) for p in r.people] == [("邢一生", ["chair"])]


def test_a_session_holding_its_presidium_s_meeting_names_it():
    m = _rec("2月4日上午,区十九届人大五次会议举行主席团第三次会议,区人大常委会副主任刘一伟主持会议。").meeting
    assert m.name == "区十九届人大五次会议主席团第三次会议"


@pytest.mark.parametrize("lead", ["本网讯 ", "本网讯\u3000", "本报讯(记者 王小川)", "本报讯 记者王小川 ", "江津网讯 ",
                                  "(江津网 记者 王小川)", "【江津网】", "江津网消息 ", "(记者 王小川 通讯员 李四)",
                                  "记者 王小川 报道 "])
def test_a_dateline_glued_to_the_meeting_sentence_is_no_part_of_the_name(lead):
    """本报讯(记者 某某)全市…会议5日在…召开 with no comma after the dateline: the name starts after it."""
    text = "全市安全生产工作会议召开\n" + lead + "全市安全生产工作会议5日在渝北会展中心召开。副市长刘志远出席会议并讲话。\n"
    doc = from_text(text, "x")
    assert recognise(doc.norm.text, doc.page_date, doc.page_title).meeting.name == "安全生产工作会议"


def test_a_name_with_brackets_inside_keeps_them():
    text = "理论学习中心组工作会议召开\n全市党委(党组)理论学习中心组工作会议5日召开。市委常委倪嘉禾出席并讲话。\n"
    doc = from_text(text, "x")
    assert recognise(doc.norm.text, doc.page_date, doc.page_title).meeting.name == "党委(党组)理论学习中心组工作会议"


def _found(text):
    doc = from_text(text, "x")
    return recognise(doc.norm.text, doc.page_date, doc.page_title)


@pytest.mark.parametrize("lead, names", [("本报讯 记者王小川 ", ["王小川"]), ("本报讯 记者 王小川 通讯员 李思远 ", ["王小川", "李思远"]),
                                         ("本报讯 通讯员 李思远 ", ["李思远"])])
def test_a_dateline_byline_without_brackets_credits_its_writers(lead, names):
    """本报讯 记者 某某 通讯员 某某 5月5日,…: the names before the first sentence, and nothing of it."""
    for day in ("5月5日,县召开防汛工作会议。", "全县防汛工作会议5日召开。"):
        r = _found("县召开防汛工作会议\n" + lead + day + "县长王海主持会议。\n")
        assert r.source.reporters == names and r.meeting.name == "防汛工作会议"


def test_a_notice_of_a_meeting_to_come_reports_no_meeting():
    """关于召开…的通知 / 定于…召开: a meeting to come is no meeting reported."""
    r = _found("关于召开全县防汛工作会议的通知\n各乡镇:经研究,定于5月8日在县政府五楼会议室召开全县防汛工作会议。\n")
    assert r.meeting is None


def test_a_relayed_meeting_ends_before_what_it_was_about():
    """…会议关于防汛工作的会议精神: the relayed meeting's name ends before 关于, 会议 included."""
    r = _found("县召开防汛工作会议\n5月5日,县召开防汛工作会议,传达学习全省防汛工作会议关于防汛工作的会议精神。县长王海主持会议。\n")
    assert r.upstream_meetings == ["全省防汛工作会议"]
