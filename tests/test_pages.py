"""Shapes that fresh real pages still broke (issue 18, round three), one test per rule, each on a
short article written for it in our own words (invented people, real places): headlines, meeting
names, outlets, credits, dates and times, regions, people and relayed meetings."""
from pathlib import Path

import pytest

from jiyao.read.document import from_text, read_file
from jiyao.recognise.source import published_date
from jiyao.run.extractor import Extractor


def _rec(text: str):
    return Extractor("offline").extract_offline(from_text(text, "x"))


def _when(text: str):
    m = _rec(text).meeting
    return m.date, m.time_of_day


# --- date and time of day ------------------------------------------------------------------------

@pytest.mark.parametrize("when, tod", [
    ("7月20日中午", "中午"), ("7月20日凌晨", "上午"), ("7月20日晚", "晚上"),       # the words (SPEC v1.2)
    ("7月20日15时", "下午"), ("7月20日8:30", "上午"), ("7月20日十二时", "中午"),   # a clock time alone
    ("7月20日19时30分", "晚上"), ("7月20日(星期一)下午3:00", "下午"),            # a weekday between
    ("7月20日上午11:30", "上午"),                                                  # the word wins
])
def test_time_of_day_from_words_and_clock_times(when, tod):
    assert _when(f"{when},县委常委会召开会议。县委书记邹和平主持会议。") == ("--07-20", tod)


def test_a_dateline_s_date_is_not_the_meeting_s():
    text = "某某网5月18日讯(通讯员 罗明华)5月17日下午,板桥镇召开防汛工作会议。镇党委书记龚立新主持会议。"
    assert _when(text) == ("--05-17", "下午")


@pytest.mark.parametrize("published, expected", [("2022-01-04", "2021-12-30"), ("2022-05-04", "2021-12-30"),
                                                 ("2021-12-31", "2021-12-30")])
def test_the_year_is_that_of_the_latest_such_date_not_after_publication(published, expected):
    text = f"县委常委会召开会议\n发布时间:{published}\n12月30日,县委常委会召开会议。县委书记邹和平主持会议。"
    assert _when(text)[0] == expected


@pytest.mark.parametrize("line, expected", [
    ("2022年01月04日 10:12", "2022-01-04"),          # a stamp under the title
    ("20.04.2016 13:06", "2016-04-20"),              # day first
    ("时政 2024-12-28 12:34 上海", "2024-12-28"),     # a column and a province around it
    ("2018-08-30 16:50:50 28", "2018-08-30"),         # a view count after it
    ("某某融媒 2024/8/30 9:58:03", "2024-08-30"),     # an app's name before it
])
def test_the_publication_date_from_an_unlabelled_stamp_in_the_page_head(line, expected):
    text = f"县委常委会召开会议\n{line}\n12月27日,县委常委会召开会议。县委书记邹和平主持会议。"
    assert published_date(text) == expected
    assert _rec(text).source.published_date == expected  # and grounded where the page writes it


def test_a_stamp_on_the_title_line_or_above_it_dates_the_page():
    text = "板桥镇召开防汛工作会议 2023-08-22 10:13:05\n8月21日,板桥镇召开防汛工作会议。镇党委书记龚立新主持会议。"
    assert (_rec(text).source.published_date, _when(text)[0]) == ("2023-08-22", "2023-08-21")
    text = "2023-08-22\n板桥镇召开防汛工作会议\n8月21日,板桥镇召开防汛工作会议。镇党委书记龚立新主持会议。"
    r = _rec(text)
    assert (r.headline, r.source.published_date, r.meeting.date) == ("板桥镇召开防汛工作会议", "2023-08-22", "2023-08-21")


def test_a_dated_sentence_in_the_body_is_no_page_stamp():
    assert published_date("县委常委会召开会议\n2022年1月4日,县委常委会召开会议。") is None


def test_a_notice_s_signature_date_is_no_page_stamp():
    text = "关于做好汛期安全工作的通告\n为做好汛期安全工作,现通告如下:\n一、加强巡查。\n特此通告。\n某某县防汛办\n2022年6月1日"
    assert published_date(text) is None


# --- headline ------------------------------------------------------------------------------------

@pytest.mark.parametrize("title_line", ["县十五届人大常委会第三十次会议胜利召开 |", "| 县十五届人大常委会第三十次会议胜利召开 | ||",
                                        "县十五届人大常委会第三十次会议胜利召开 2023-05-10 09:12:40"])
def test_pipes_and_a_stamp_around_the_title_are_not_the_headline(title_line):
    text = f"{title_line}\n来源:县人大办\n5月9日,县十五届人大常委会第三十次会议召开。县人大常委会主任魏长林主持会议。"
    assert _rec(text).headline == "县十五届人大常委会第三十次会议胜利召开"


def test_a_forum_post_header_is_no_title():
    text = "河畔小编 发表于 2023-8-22 10:13\n8月21日,板桥镇召开防汛工作会议。镇党委书记龚立新主持会议并讲话。"
    r = _rec(text)
    assert (r.headline, r.source.published_date) == (None, "2023-08-22")


@pytest.mark.parametrize("first_line", ["近日,板桥镇召开防汛工作会议", "为进一步做好防汛工作,", "据平山县消息,板桥镇召开防汛工作会议",
                                        "镇党委书记龚立新讲话", "会议现场", "记者 邓小川", "本篇文章215字,读完约1分钟"])
def test_an_opening_sentence_a_caption_or_a_byline_is_no_title(first_line):
    text = f"{first_line}\n5月17日下午,板桥镇召开防汛工作会议。镇党委书记龚立新主持会议并讲话,要求各村做好准备。"
    assert _rec(text).headline is None


def test_a_document_title_wrapped_after_its_issuing_body_is_one_headline():
    text = ("平山县人民政府办公室\n\n关于印发平山县森林防火应急预案的通知\n\n各乡镇人民政府,县政府各部门:\n\n"
            "《平山县森林防火应急预案》已经县政府研究同意,现印发给你们,请认真贯彻落实。\n")
    assert _rec(text).headline == "平山县人民政府办公室关于印发平山县森林防火应急预案的通知"


def test_a_labelled_title_row_names_the_title():
    # a disclosure table's 标  题 row, and a content farm's trailer after the body
    table = ("索 引 号: 11340000/2023-00112 信息分类: 通知公告\n标  题: 平山县防汛抗旱指挥部关于加强汛期值守的通知\n"
             "各乡镇、县直各单位:为做好汛期值守工作,现就有关事项通知如下。\n")
    assert _rec(table).headline == "平山县防汛抗旱指挥部关于加强汛期值守的通知"
    farm = ("本篇文章188字,读完约1分钟\n\n据平山县消息,5月9日,板桥镇召开防汛工作动员会。镇党委书记龚立新主持会议。\n\n"
            "来源:某某热线新闻网\n\n标题:板桥镇召开防汛工作动员会\n\n地址:http://example.cn/a/1.html")
    assert _rec(farm).headline == "板桥镇召开防汛工作动员会"


def test_a_breadcrumb_above_a_long_notice_title_is_skipped():
    text = ("首页 > 通知公告\n平山县防汛抗旱指挥部办公室关于进一步做好强降雨天气防范应对和水库山塘巡查值守的通告\n"
            "发布时间:2023-06-01 来源:县应急局\n为做好防汛工作,现就有关事项通告如下。")
    assert _rec(text).headline == "平山县防汛抗旱指挥部办公室关于进一步做好强降雨天气防范应对和水库山塘巡查值守的通告"


# --- page furniture that names people ------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "pages"


def _page(name: str):
    return Extractor("offline").extract_offline(read_file(FIXTURES / name))


def test_a_teaser_paragraph_under_the_article_gives_no_field():
    # 新闻推荐 with a paragraph about another meeting after it: its chair and attendees are not people
    r = _page("teaser_block.txt")
    assert [p.name for p in r.people] == ["祝明远", "葛丽君", "潘文海"]
    assert r.source.reporters == ["郑晓楠"]


def test_caption_lines_are_not_the_title_and_give_no_field():
    r = _page("captions.txt")
    assert r.headline == "鼓楼街道召开一季度工作讲评会"
    assert r.source.published_date == "2024-04-09"
    assert [(p.name, p.roles) for p in r.people] == [("梁秋实", ["chair", "speaker"]), ("邢思远", ["speaker"])]


# --- outlet --------------------------------------------------------------------------------------

_BODY = "5月17日下午,板桥镇召开防汛工作会议。镇党委书记龚立新主持会议。"


@pytest.mark.parametrize("text, outlet", [
    (f"{_BODY}\n(张家界在线编辑:邓小川)", "张家界在线"),                              # a sign-off naming its outlet
    (f"红网时刻新闻5月18日讯(通讯员 罗明华){_BODY}", "红网时刻"),                       # a portal's brand, a date before 讯
    (f"红网时刻新闻记者 邓小川 通讯员 罗明华 平山报道\n{_BODY}", "红网时刻"),             # a byline dateline
    (f"云上孝昌讯(通讯员 罗明华){_BODY}", "云上孝昌"),                                 # a county app
    (f"云上孝昌报道(通讯员 罗明华){_BODY}", "云上孝昌"),
    (f"溧水发布讯 {_BODY}", "溧水发布"),                                               # a 发布 account
    (f"板桥镇召开防汛工作会议\n来源:法制周刊 发布时间:2023-05-18\n{_BODY}", "法制周刊"),   # a paper named 周刊
    (f"板桥镇召开防汛工作会议\n新化融媒 2023/3/16 9:41:27\n{_BODY}", "新化融媒"),         # an app's stamp under the title
    (f"平山晚报数字报 2023年05月18日\n第2版:要闻\n板桥镇召开防汛工作会议\n本报讯 {_BODY}", None),  # a masthead: unnamed
    (f"板桥镇召开防汛工作会议\n来源:平山县人民政府 发布时间:2023-05-18\n{_BODY}", None),  # a government is no outlet
])
def test_outlet_shapes(text, outlet):
    assert _rec(text).source.outlet == outlet


# --- credits -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, reporters, photographers, editors", [
    (f"■记者 邓小川 通讯员 罗明华\n{_BODY}", ["邓小川", "罗明华"], [], []),            # bulleted credits above the body
    (f"{_BODY}\n■邓小川", ["邓小川"], [], []),                                        # a bulleted bare byline
    (f"{_BODY}\n(平山县板桥镇 邓小川)", ["邓小川"], [], []),                           # a unit, a space, the writer
    (f"{_BODY}\n(平山县板桥镇邓小川)", ["邓小川"], [], []),                            # the unit glued to the name
    (f"{_BODY}\n(板桥镇人民政府 邓小川)", ["邓小川"], [], []),
    (f"{_BODY}\n(县委办 刘静怡)\n推荐新闻", ["刘静怡"], [], []),                       # the byline is the last line left
    (f"{_BODY}(杨浩、林云帆)", ["杨浩", "林云帆"], [], []),                             # names joined by 、
    (f"{_BODY}(商德仁/文)", ["商德仁"], [], []),                                       # name/文
    (f"{_BODY}\n(张欣怡 郑 珩) |", ["张欣怡", "郑珩"], [], []),                         # a pipe after the byline
    (f"{_BODY}\n图:罗明华 文:邓小川", ["邓小川"], ["罗明华"], []),                      # 图:/文: on one line
    (f"{_BODY}\n记者:邓小川罗明华", ["邓小川", "罗明华"], [], []),                      # two names glued in one credit
    (f"{_BODY}\n通讯员 吕守军报道", ["吕守军"], [], []),                                # 报道 glued to the name
    (f"{_BODY}\n太平街道人大工委 林可欣", ["林可欣"], [], []),                          # a unit's sign-off line
    (f"{_BODY}\n初审:徐若愚 复审:闫新杰 终审:冯玉亭", [], [], ["徐若愚", "闫新杰", "冯玉亭"]),  # a review chain
    (f"{_BODY}\n(记者 付婉清)", ["付婉清"], [], []),                                    # 付 is a common surname
])
def test_credit_shapes(text, reporters, photographers, editors):
    s = _rec(text).source
    assert (s.reporters, s.photographers, s.editors) == (reporters, photographers, editors)


def test_a_place_before_报道_is_no_reporter():
    assert _rec(f"红网时刻新闻记者 邓小川 通讯员 罗明华 平山报道\n{_BODY}").source.reporters == ["邓小川", "罗明华"]


# --- meeting name and organizer ------------------------------------------------------------------

@pytest.mark.parametrize("sentence, name, organizer", [
    ("县十五届人大常委会召开第36次会议", "县十五届人大常委会第36次会议", "县十五届人大常委会"),   # body + ordinal split by 召开
    ("十七届县人民政府召开第五次全体会议", "十七届县人民政府第五次全体会议", "县人民政府"),
    ("区人大常委会召开党组(扩大)会议", "区人大常委会党组(扩大)会议", "区人大常委会"),  # the body as written
    ("区委常委会召开会议", "区委常委会会议", "区委常委会"),                                        # SPEC v1.1
])
def test_a_body_and_its_session_split_by_召开_are_one_name(sentence, name, organizer):
    r = _rec(f"3月25日,{sentence}。县人大常委会主任魏长林出席会议。")
    assert (r.meeting.name, r.meeting.organizer) == (name, organizer)
    assert r.evidence["/meeting/name"]  # grounded on the whole phrase


@pytest.mark.parametrize("name, organizer", [
    ("县政协十一届二十次常委会会议", "县政协"),                           # the session's ordinal is no part of the body
    ("政协盐城市九届十一次常委会议", "政协盐城市"),
    ("太平街道第三届民主议政会第二次会议", "太平街道第三届民主议政会"),      # a body holding numbered meetings
    ("段莘乡第十八届人民代表大会第三次会议主席团第二次会议", "段莘乡第十八届人民代表大会第三次会议主席团"),
])
def test_organizer_of_sessions(name, organizer):
    assert _rec(f"1月4日,{name}召开。县政协主席甘永祥主持会议。").meeting.organizer == organizer


def test_a_meeting_held_afterwards_is_not_the_record():
    # a continuation page: the body names only the meeting held after the reported one
    text = ("市政协召开五届十五次常委会会议\n(紧接第1版)邹景明强调,市政协五届四次全会即将召开,要把各界力量凝聚起来。\n"
            "会后,还召开市政协五届四十一次主席会议,审议通过分组名单。")
    m = _rec(text).meeting
    assert (m.name, m.organizer) == ("五届十五次常委会会议", "市政协")


def test_a_year_being_planned_is_not_the_meeting_s_year():
    text = "12月28日下午,曹家渡街道召开2024年工作思路研讨会。街道党工委副书记夏一鸣主持会议。"
    assert _rec(text).meeting.date == "--12-28"
    text = "11月18日下午,区长邓晓东主持召开2024年区政府第18次常务会议。"
    assert _rec(text).meeting.date == "2024-11-18"  # the year of an ordinal is the meeting's


# --- region ---------------------------------------------------------------------------------------

def _region_of(text: str):
    r = _rec(text).meeting.region
    return (r.name, r.admin_code) if r else None


@pytest.mark.parametrize("sentence, region", [
    ("平山县板桥镇召开防汛工作会议", ("板桥镇", None)),                  # the lowest unit of 县+镇
    ("平山县板桥镇党委召开防汛工作会议", ("板桥镇", None)),
    ("县委第三巡察组正式进驻板桥镇并召开巡察工作动员会", ("板桥镇", None)),  # no verb inside the place
    ("召开板桥镇防汛工作会议", ("板桥镇", None)),                        # named only in the meeting's name
    ("板桥镇防汛工作会议召开", ("板桥镇", None)),
    ("茶山街道丽华二村社区召开居民代表大会", ("茶山街道", None)),          # a community: its street
    ("凝心聚力谋新篇!曹家渡街道召开工作思路研讨会", ("曹家渡街道", None)),   # a name jieba reads as characters
    ("全县各乡镇召开防汛工作会议", None),                                # no one town
    ("县委召开美丽乡村建设推进会", None),                                # 乡 inside 乡村 is no town
])
def test_the_town_or_street_whose_meeting_it_is(sentence, region):
    assert _region_of(f"5月17日下午,{sentence}。镇党委书记龚立新主持会议。") == region


def test_a_town_after_在_is_where_not_whose():
    text = "5月17日下午,我县在板桥镇召开防汛工作现场会。县委书记龚立新主持会议。\n来源:平山县融媒体中心"
    assert _region_of(text) == ("平山县", "130131")


# --- people --------------------------------------------------------------------------------------

def _people(text: str):
    return [(p.name, p.titles, p.roles) for p in _rec(text).people]


_MEETING = "5月17日下午,县委常委会召开会议。"


def test_a_name_after_和_ends_the_list():
    assert _people(f"{_MEETING}县委副书记邵一平、孔令秋和韩彦明出席会议。") == [
        ("邵一平", ["县委副书记"], []), ("孔令秋", ["县委副书记"], []), ("韩彦明", ["县委副书记"], [])]
    # a title of its own after 和, and no region 和县 read from 和县长
    r = _rec(f"{_MEETING}县委书记冯启明和县长邵一平出席会议。")
    assert [(p.name, p.titles) for p in r.people] == [("冯启明", ["县委书记"]), ("邵一平", ["县长"])]
    assert r.meeting.region is None
    assert _people(f"{_MEETING}县政协副主席蒋澜清、唐晓帆和秘书长柯文博出席会议。")[1:] == [
        ("唐晓帆", ["县政协副主席"], []), ("柯文博", ["秘书长"], [])]


def test_a_leader_cited_through_a_speech_at_another_meeting_is_no_person():
    r = _rec(f"{_MEETING}县委书记冯启明主持会议。会议指出,省委书记王东明在省委经济工作会议上强调,要压实责任。")
    assert [p.name for p in r.people] == ["冯启明"]
    assert r.upstream_meetings == ["省委经济工作会议"]  # the meeting he spoke at is relayed
    # at this meeting (its own name, or 在会上) he takes part
    r = _rec("5月17日下午,县委召开全县防汛工作会议。县委书记冯启明在全县防汛工作会议上强调,要压实责任。")
    assert [(p.name, p.roles) for p in r.people] == [("冯启明", ["speaker"])]


def test_a_report_given_to_the_meeting_makes_its_speaker_a_person():
    text = ("3月7日下午,太平街道第三届民主议政会第二次会议召开。会议听取和审议了街道办事处主任陈立峰所作的办事处工作报告。"
            "社区党委书记、居委会主任顾晓雯向议政代表作社区工作情况通报。")
    assert _people(text) == [("陈立峰", ["街道办事处主任"], []), ("顾晓雯", ["社区党委书记", "居委会主任"], [])]


@pytest.mark.parametrize("sentence", ["各居民区书记、相关职能部门负责人参加会议", "镇领导、和各村支部书记参加会议",
                                      "会议传达了国家副主席的讲话", "院长郑重地说明了情况"])
def test_everyday_words_are_no_names(sentence):
    assert _people(f"{_MEETING}县委书记冯启明主持会议。{sentence}。") == [("冯启明", ["县委书记"], ["chair"])]


def test_a_model_span_ending_in_a_title_or_a_joiner_is_no_name():
    from jiyao.recognise.names import Names
    from jiyao.recognise.ner import Entity
    names = Names([Entity(0, 3, "江主席", "PER"), Entity(4, 8, "胡德平等", "PER"), Entity(9, 12, "胡德平", "PER")])
    assert names.model_names == {"胡德平"}


def test_a_digest_of_briefs_gives_the_first_brief_only():
    text = ("榆社县数字报\n第1907期 / 第2版:综合\n2023年09月28日\n\n要闻简报\n\n"
            "  ◆9月26日,我县在县政府三楼会议室召开重点工作调度会。副县长郝立川出席并讲话,各乡镇分管负责人参加会议。"
            "会议要求对照“三保障”逐户排查。\n"
            "  ◆9月25日,县直机关“迎国庆”羽毛球联赛开赛。县人大常委会副主任温丽娟,副县长侯宝忠出席开赛仪式。\n")
    r = _rec(text)
    assert ([p.name for p in r.people], r.slogans) == (["郝立川"], ["三保障"])


def test_names_listed_after_a_titled_name_after_和_share_its_title():
    text = f"{_MEETING}县委党校副校长龚立新和驻县单位负责人徐自强、侯树德、马凤林等出席会议。"
    assert _people(text)[1:] == [("徐自强", ["驻县单位负责人"], []), ("侯树德", ["驻县单位负责人"], []),
                                 ("马凤林", ["驻县单位负责人"], [])]


@pytest.mark.parametrize("sentence, expected", [
    # titles met in the labelled newswire benchmark (benchmarks/bench_people_ner.py)
    ("国务院副总理兼外长甄立平、特别助理柯文博出席会议", [("甄立平", ["国务院副总理兼外长"]), ("柯文博", ["特别助理"])]),
    ("中国驻某国大使沈允衡出席会议", [("沈允衡", ["中国驻某国大使"])]),
    # a time word between the name and the verb
    ("最高人民法院院长任建华今天在会上作报告", [("任建华", ["最高人民法院院长"])]),
    # a heading of 有关/相关 before names names people
    ("有关方面负责人朱光远、周光明等出席会议", [("朱光远", ["有关方面负责人"]), ("周光明", ["有关方面负责人"])]),
    # an honorific after a foreign name, no 的 inside one
    ("公司董事长盖瑞·吐克先生一行出席会议", [("盖瑞·吐克", ["公司董事长"])]),
])
def test_titled_names_in_newswire_shapes(sentence, expected):
    from jiyao.recognise.people import find_people
    assert [(p.name, p.titles) for p in find_people(sentence)] == expected


def test_a_dotted_name_holds_no_的():
    from jiyao.recognise.names import is_dotted
    assert is_dotted("迈克·盖尔") and not is_dotted("英国的迈克·盖尔")


# --- upstream meetings ---------------------------------------------------------------------------

@pytest.mark.parametrize("relayed, expected", [
    # a level list: one meeting per level, a 委 on the last level is every level's (issue 18)
    ("省、市经济工作会议精神", ["省经济工作会议", "市经济工作会议"]),
    ("省、市、县委常委会(扩大)会议精神", ["省委常委会(扩大)会议", "市委常委会(扩大)会议", "县委常委会(扩大)会议"]),
    ("中央、省委、市委经济工作会议及省委十一届七次全会精神",
     ["中央经济工作会议", "省委经济工作会议", "市委经济工作会议", "省委十一届七次全会"]),
    # the name ends before 关于; a bare 关于…的会议 names none
    ("市委常委会会议关于防汛工作的会议精神", ["市委常委会会议"]),
    ("中央、省、市关于防汛工作的会议精神", []),
])
def test_relayed_meetings_by_level_and_about(relayed, expected):
    r = _rec(f"5月17日下午,县委常委会召开会议,传达学习{relayed}。县委书记冯启明主持会议。")
    assert r.upstream_meetings == expected  # and each grounded (the expanded names on the list's span)


def test_a_relayed_meeting_in_a_speech_without_its_verb_or_a_leading_comma():
    r = _rec(f"{_MEETING}会议强调,要深入学习、全面贯彻落实中央经济工作会议精神。")
    assert r.upstream_meetings == ["中央经济工作会议"]


@pytest.mark.parametrize("head", [
    "平山晚报数字报\n2023年11月17日 星期五\n第A01版:要闻\n\n政协平山县九届十一次常委会议召开",   # an issue date with its weekday
    "凝心聚力谋新篇!政协平山县九届十一次常委会议召开\n\n时政   2023-11-17 18:20   河北",       # a title with a ! over its stamp
    "政协平山县九届十一次常委会议召开 2023-11-17 09:12 |",                                 # a stamp and a pipe on the title line
])
def test_the_page_s_stamp_dates_yesterday(head):
    text = (f"{head}\n本报讯 昨日下午,政协平山县九届十一次常委会议召开。县政协主席邵承远主持会议并讲话。\n"
            "(县政协办 柏文祺)\n推荐新闻\n11月15日,县政府召开常务会议。县长罗一舟主持会议。")
    r = _rec(text)
    assert (r.source.published_date, r.meeting.date) == ("2023-11-17", "2023-11-16")


def test_a_tabbed_page_s_title_under_its_tag_and_menu():
    text = ("2023-06-15\n• 会议题目 • 区长宋立文主持召开区政府第11次常务会议\n  • 会议内容\n  • 提纲速读\n  • 视频报道\n\n"
            "6月15日上午,区委副书记、区长宋立文主持召开区政府第11次常务会议,研究部署安全生产等工作,区领导孔繁林出席会议。\n"
            "  • 2022\n  • 2023\n")
    r = _rec(text)
    assert (r.headline, r.source.published_date) == ("区长宋立文主持召开区政府第11次常务会议", "2023-06-15")


def test_a_breadcrumb_with_spaces_and_an_app_stamp_above_the_body():
    text = ("首页 资讯 新化资讯 县委书记带队调研重点项目建设\n县委书记带队调研重点项目建设\n新化融媒 2023/3/16 9:41:27\n"
            "3月15日,县委书记龙启华带队深入经开区调研重点项目建设情况。县委常委、常务副县长伍嘉平陪同调研。\n")
    r = _rec(text)
    assert (r.headline, r.source.outlet, r.source.published_date) == ("县委书记带队调研重点项目建设", "新化融媒", "2023-03-16")


def test_an_app_stamp_above_the_title_is_kept():
    text = ("当前位置: 首页 > 要闻\n平山融媒 2018/8/30 16:50\n板桥镇召开防汛工作会议\n"
            "8月29日,板桥镇召开防汛工作会议。镇党委书记龚立新主持会议并讲话,要求各村做好准备。\n")
    assert (_rec(text).source.published_date, _rec(text).source.outlet) == ("2018-08-30", "平山融媒")


# --- broken scrapes (read/repair.py) -------------------------------------------------------------

def test_a_watermark_glued_to_every_paragraph_is_removed():
    r = _page("watermark.txt")
    assert r.headline == "市政协召开五届三十次主席会议"
    assert [(p.name, p.titles) for p in r.people] == [("韦崇岭", ["市政协主席"]), ("蒋澜青", ["市政协副主席"]),
                                                       ("秦玉芬", ["市政协副主席"])]


def test_a_hard_wrapped_paragraph_is_read_as_one_and_lost_indents_go():
    # the meeting's date ends one line and its name starts the next; 近日 dates the rain, not the meeting
    m = _page("wrapped_trad.txt").meeting
    assert (m.name, m.date, m.time_of_day, m.region.name) == ("白音寺镇防汛工作调度会", "--07-28", "上午", "白音寺镇")
    text = read_file(FIXTURES / "wrapped_trad.txt").norm.text
    assert "\n?" not in text and "召开白音寺镇" in text


def test_an_html_page_s_heading_is_its_title_less_the_site_and_its_link_items_give_nobody():
    r = _page("heading_links.html")
    assert r.headline == "全县森林防火工作会议召开"
    assert [p.name for p in r.people] == ["甄立平", "柯文博"]


def test_a_notice_s_salutation_is_no_part_of_its_title():
    text = ("|\n华富街道领导干部联系群众活动公告 居民朋友们、辖区单位:\n按照区委统一部署,每月第二个周三下午定为街道领导干部联系群众活动日。"
            "现将本月活动安排告知如下:\n一、活动时间\n12月13日(周三)下午3:00-5:00\n")
    assert _rec(text).headline == "华富街道领导干部联系群众活动公告"


def test_a_digital_paper_s_masthead_is_no_title():
    text = ("平山县数字报\n第1907期 / 第2版:综合\n2023年09月28日\n\n要闻简报\n\n"
            "  ◆9月26日,我县在县政府三楼会议室召开重点工作调度会。副县长郝立川出席并讲话,各乡镇分管负责人参加会议。\n"
            "  ◆9月25日,县直机关羽毛球联赛开赛。副县长侯宝忠出席开赛仪式。\n")
    assert _rec(text).headline == "要闻简报"


def test_a_unit_glued_to_a_credited_name_a_venue_before_组织召开_and_no_body_in_党组织():
    text = ("10月20日下午,东湖路街道党工委在翠苑社区会议室组织召开区域化党建联席会议。街道党工委书记陶晓峰主持会议。\n"
            "图文:东湖路街道武雯 审核领导:刘雅琴 编辑:刘子航")
    r = _rec(text)
    assert (r.source.reporters, r.source.photographers) == (["武雯"], ["武雯"])
    assert r.meeting.venue == "翠苑社区会议室"
    m = _rec("节前,湖滨街道召开社区党组织书记述职评议会,各社区党组织书记参加会议。").meeting
    assert m.organizer is None  # 党组 inside 党组织 is no body


def test_a_time_is_no_venue_a_term_names_no_body_and_宣传_is_no_part_of_a_relayed_name():
    r = _rec("1月5日,县委书记申文华主持召开县委常委(扩大)会。申文华指出,市委四届八次全会是在关键节点召开的一次重要会议,"
             "要把学习宣传贯彻落实市委四届八次全会精神作为当前的重要政治任务。")
    assert (r.meeting.venue, r.upstream_meetings) == (None, ["市委四届八次全会"])
    m = _rec("12月3日上午,西演镇召开十八届人民代表大会第五次会议,镇人大代表出席会议。").meeting
    assert m.organizer is None


def test_a_higher_leader_who_only_speaks_at_a_local_meeting_is_relayed_not_present():
    r = _rec("5月17日下午,县委常委会召开会议,传达学习全省经济工作会议精神。省委书记王东明强调,要稳中求进。"
             "县委书记冯启明主持会议并讲话。")
    assert [p.name for p in r.people] == ["冯启明"]
    # taking part (出席, 到会) keeps them; so does a meeting of their own level
    assert [p.name for p in _rec("5月17日下午,全县防汛工作会议召开。省防指副总指挥王东明到会指导,县委书记冯启明主持会议。").people] \
        == ["王东明", "冯启明"]
    assert [p.name for p in _rec("5月17日下午,省委常委会召开会议。省委书记王东明强调,要稳中求进。").people] == ["王东明"]


def test_an_instruction_sent_in_is_no_taking_part():
    r = _rec("3月26日,国务院在河北召开全国春季农业生产工作会议。国务院总理李克华作出重要批示,强调要抓好春耕。"
             "国务院副总理回良宇出席会议并讲话。")
    assert [p.name for p in r.people] == ["回良宇"]
