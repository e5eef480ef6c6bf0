"""Web-shaped patterns tuned on the dev set, each on a short article written for it (invented people,
real places): page dates in their many shapes, meeting dates beside a page's meta lines, names,
organizers, regions, upstream meetings, people and credits."""
from jiyao.run.extractor import Extractor
from jiyao.read.document import from_text
from jiyao.recognise.meeting import meeting_name
from jiyao.recognise.people import find_people
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


# --- meeting.name and organizer ------------------------------------------------------------------

def test_an_ordinal_name_is_read_in_full_with_its_body():
    # the headline says 第七次常务会议; the body names the whole meeting (year inside the name kept)
    text = ("县政府召开2024年第7次常务会议\n发布日期:2024-04-11\n"
            "    4月10日上午,县委副书记、县长骆明川主持召开县政府2024年第7次常务会议。副县长葛一鸣出席会议。\n"
            "    会议传达学习了某某市政府2024年第7次常务会议精神。")
    m = _rec(text).meeting
    assert (m.name, m.organizer) == ("县政府2024年第7次常务会议", "县政府")


def test_a_bare_ordinal_name_is_completed_from_a_later_mention():
    # a scraped title line read as the first sentence: 召开第7次常务会议 says not whose meeting it is
    body = ("县政府召开第7次常务会议\n    4月10日上午,县长骆明川主持召开县政府第7次常务会议。\n"
            "    会议传达学习了某某市政府第7次常务会议精神。")
    assert meeting_name(body, 0, None).value == "县政府第7次常务会议"
    body = "县政协举行预备会议\n    1月8日下午,政协沁县第九届委员会第二次会议预备会议召开。"
    assert meeting_name(body, 0, None).value == "政协沁县第九届委员会第二次会议预备会议"


def test_a_session_s_preparatory_meeting_keeps_the_session_name():
    text = ("县政协九届二次会议举行预备会议\n"
            "    1月8日下午,政协沁县第九届委员会第二次会议预备会议召开。县政协主席郝文彬主持会议。")
    m = _rec(text).meeting
    assert (m.name, m.organizer) == ("政协沁县第九届委员会第二次会议预备会议", "政协沁县第九届委员会")


def test_organizer_of_combined_and_termed_meetings():
    m = _rec("  3月2日,县长路云峰主持召开县政府党组会议暨理论学习中心组学习会议。副县长葛一鸣出席会议。").meeting
    assert m.organizer == "县政府党组"
    m = _rec("  5月6日,县委书记尚立军主持召开十四届县委第12次常委会会议。县委副书记葛一鸣出席会议。").meeting
    assert m.organizer == "县委"
    m = _rec("  1月5日上午,某乡第十八届人民代表大会第三次会议开幕。主席团常务主席宁海波主持会议。"
             .replace("某乡", "龙华乡")).meeting
    assert m.organizer == "龙华乡第十八届人民代表大会"


def test_organizer_convening_at_a_venue_and_named_in_full_later():
    m = _rec("  6月3日下午,城关街道党工委在二楼会议室召开安全生产推进会。街道党工委书记米晓东主持会议。").meeting
    assert m.organizer == "城关街道党工委"
    text = ("区党工委理论学习中心组召开集中学习会议\n"
            "    本报讯 3月1日,高新区党工委理论学习中心组召开集中学习会议,区党工委书记龚立平主持会议。")
    assert _rec(text).meeting.organizer == "高新区党工委理论学习中心组"
    # an ordinal session of a body the name does not state is nobody's
    m = _rec("  9月13日,龙华乡召开第十二届人民代表大会第四次会议。乡党委书记宁海波主持会议。").meeting
    assert m.organizer is None


# --- region --------------------------------------------------------------------------------------

def _region(text: str):
    r = _rec(text).meeting.region
    return (r.name, r.admin_code) if r else None


def test_region_of_a_city_body_that_holds_the_meeting():
    text = "  6月20日傍晚,兴义市防汛抗旱指挥部召开防汛会商会议。市防汛抗旱指挥部指挥长班立新主持会议。"
    assert _region(text) == ("兴义市", "522301")


def test_region_of_a_town_whose_session_it_is():
    text = "  1月5日上午,龙华乡第十八届人民代表大会第三次会议在乡政府会议室开幕。主席团常务主席宁海波主持会议。"
    assert _region(text) == ("龙华乡", None)


def test_region_the_one_division_of_the_body_s_level_the_text_names():
    # 区政府 and no 我区, no outlet: the one district the text names in full; the relayed city meeting
    # names the city, which is not this meeting's
    text = ("  5月22日下午,区长司马立主持召开区政府第9次常务会议。副区长韦一丹出席会议。\n"
            "  会议传达学习了南宁市政府第10次常务会议精神,研究了青秀区老旧小区改造等工作。")
    assert _region(text) == ("青秀区", "450103")
    # two districts named: which one is not said
    assert _region(text.replace("等工作", "和兴宁区供水等工作")) is None


# --- upstream meetings ---------------------------------------------------------------------------

def _up(text: str):
    return _rec(text).upstream_meetings


def test_upstream_meetings_each_with_its_own_spirit():
    text = ("  1月12日上午,县委书记孟立新主持召开县委常委会会议,传达学习中央政治局常务委员会会议精神和"
            "省委常委会扩大会议精神。县委副书记石岩出席会议。")
    assert _up(text) == ["中央政治局常务委员会会议", "省委常委会扩大会议"]


def test_the_own_combined_name_relays_nothing():
    # 理论学习中心组学习会议 inside the article's own name is no 学习 of a meeting
    text = ("  3月27日,县长韦立主持召开县政府党组会议暨理论学习中心组学习会议,传达学习州政府党组"
            "理论学习中心组学习会议精神。副县长吴一峰出席会议。")
    assert _up(text) == ["州政府党组理论学习中心组学习会议"]


def test_a_speech_at_a_collective_study_session():
    text = ("  8月5日上午,市委理论学习中心组集体学习会在市委常委会议室召开。市委书记黄立坚主持会议。"
            "会议集中学习了习近平总书记在中央政治局第十五次集体学习时的重要讲话精神。")
    assert _up(text) == ["中央政治局第十五次集体学习"]


def test_the_meeting_held_before_is_named_in_a_title_line():
    # the title names the provincial meeting right before 后; the body only says 会议结束后
    text = ("今天上午,全省森林防火视频调度会后,我市随即召开森林防火工作调度会\n"
            "  本报讯 今天上午,全省森林防火视频调度会召开。市长段立在分会场参加会议。"
            "会议结束后,我市随即召开森林防火工作调度会,副市长成一军主持。")
    assert _up(text) == ["全省森林防火视频调度会"]


# --- people and roles ----------------------------------------------------------------------------

def _people(text: str):
    return {p.name: (p.titles, p.roles) for p in _rec(text).people}


def test_a_title_after_the_name_then_a_verb():
    text = ("  5月17日下午,市长潘志远主持召开市政府常务会议。副市长霍一华出席会议。\n"
            "  潘志远市长强调,要对老旧管网开展排查。霍一华副市长就农机调度作了安排。")
    got = _people(text)
    assert got["潘志远"][1] == ["chair", "speaker"] and got["霍一华"][1] == ["speaker"]
    # the title-and-name reading 潘志远市长 + 强调 is no person
    assert [p.name for p in find_people("潘志远市长强调,燃气安全事关千家万户,要开展排查。", use_ner=False)] == []


def test_a_group_heading_is_no_title():
    text = ("  8月5日,市委书记黄立坚主持召开市委理论学习中心组学习会。\n"
            "  会议要求,各级领导班子要以学促改,对照检视问题。")
    assert set(_people(text)) == {"黄立坚"}


def test_a_comma_list_of_titled_names_shares_the_predicate():
    text = ("  4月18日,县委书记柯立斌主持召开县委理论学习中心组学习会议。"
            "县委常委、县纪委书记晏一飞,县委常委、常务副县长宋家佳作交流发言。")
    got = _people(text)
    assert got["晏一飞"][1] == ["speaker"] and got["宋家佳"][1] == ["speaker"]


def test_lecturers_and_study_leaders_attend():
    # 作专题辅导 and 领学 take part without a role (labelling decisions); 讲话精神 studied is no speech
    text = ("  4月18日,县委书记柯立斌主持召开县委理论学习中心组学习会议。\n"
            "  会上,县委常委、宣传部部长伍一琪领学了省委书记在省委全会上的讲话精神;"
            "市委党校教授范立君就中心组学习的组织方式作专题辅导。")
    got = _people(text)
    assert got["伍一琪"] == (["县委常委", "宣传部部长"], [])
    assert got["范立君"] == (["市委党校教授"], [])


# --- credits -------------------------------------------------------------------------------------

def test_credits_on_lines_of_their_own_and_empty_labels():
    from jiyao.recognise.source import credits
    # a byline line before a second report and a 本版 editor at the bottom
    text = ("  本报讯 6月1日,区委召开会议。\n(辛明远 井小禾)\n  又讯 同日,区政府召开会议。\n本版责任编辑:欧阳兰")
    assert credits(text) == {"reporters": ["辛明远", "井小禾"], "photographers": [], "editors": ["欧阳兰"]}
    # the writer's unit before the name and 供稿 after it, furniture below
    text = "  会议要求做好防汛。\n(市水务局 岑一玲 供稿)\n06.19 市政府召开常务会议"
    assert credits(text)["reporters"] == ["岑一玲"]
    # credits on a meta line of any shape (no 来源, the line opens with a date)
    line = "|| 2022-03-23 11:18:04 编辑: 柳言 审核人:叶一玲 阅读次数:2236 |\n会议要求做好工作。"
    assert credits(line)["editors"] == ["柳言", "叶一玲"]
    # an empty 作者 slot: the next label (时间) is no name
    assert credits("来源:上饶日报  作者:  时间:2022-11-25 06:30:00  点击:")["reporters"] == []


def test_a_credited_participant_stays_a_person():
    text = ("  6月16日下午,湖滨街道党工委召开推进会。街道党工委副书记、办事处主任孔一嘉,"
            "街道纪工委书记上官清出席会议。\n审核领导:孔一嘉 编辑:骆晨")
    got = _people(text)
    assert got["孔一嘉"] == (["街道党工委副书记", "办事处主任"], [])
    assert _rec(text).source.editors == ["孔一嘉", "骆晨"]


# --- slogans and venue ---------------------------------------------------------------------------

def test_a_quoted_event_is_no_slogan():
    text = ("  3月27日,县长韦立主持召开县政府常务会议,传达学习全国“两会”精神。副县长吴一峰出席会议。\n"
            "  会议要求,要紧盯“四新”主攻“四化”,确保一季度“开门红”。")
    assert _rec(text).slogans == ["四新", "四化", "开门红"]


def test_an_adverb_before_the_verb_is_not_the_venue():
    text = "  1月6日上午,龙华乡第十八届人民代表大会第三次会议在乡政府大会议室隆重开幕。主席团常务主席宁海波主持会议。"
    assert _rec(text).meeting.venue == "乡政府大会议室"


def test_a_second_report_gives_no_people_or_roles():
    text = ("  本报讯 6月1日,开发区党工委理论学习中心组召开集中学习会议,区党工委书记晏东立主持会议。"
            "区党工委副书记桑一丽,党工委委员鄢志强分别领学了有关篇目。\n"
            "  又讯 同日,开发区党工委领导小组召开第三次会议。区党工委副书记桑一丽主持会议并讲话,"
            "区党工委委员鄢志强通报了推进情况。")
    got = _people(text)
    assert got["桑一丽"] == (["区党工委副书记"], [])
    assert got["鄢志强"] == (["党工委委员"], [])


def test_outlet_from_a_reprint_notice():
    text = ("  6月16日下午,湖滨街道党工委召开推进会。街道党工委书记贝一凡主持会议。\n"
            "《湖滨街道召开推进会》由浙江新闻网提供,转载请注明出处,谢谢合作!")
    assert _rec(text).source.outlet == "浙江新闻网"


def test_a_party_committee_named_with_中共_and_a_term():
    text = "  1月5日,区委书记赵一岭主持召开中共临河区第十四届委员会第16次常委会。区委副书记安一哲参加会议。"
    m = _rec(text).meeting
    assert (m.organizer, m.region.name) == ("中共临河区第十四届委员会", "临河区")
    m = _rec("  3月20日,二届市委召开第108次常委会会议。市委书记余一祥主持会议并讲话。").meeting
    assert m.organizer == "市委"


def test_a_relayed_list_goes_on_over_commas():
    text = ("  2月28日上午,县长王一卿主持召开县政府常务会议。副县长邱一枫参加会议。\n"
            "  会议传达学习了全省农业农村工作会议精神,2月19日省委常委会会议精神及2月20日市委农村工作会议精神,"
            "研究了春耕生产工作。")
    assert _up(text) == ["全省农业农村工作会议", "省委常委会会议", "市委农村工作会议"]
