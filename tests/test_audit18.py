"""Probes for the categories of misses collected in issue 18: one tiny page-shaped article per
case (invented people, real places), run through the offline backend. Each checks the one value
the case is about (SPEC v1.2, LABELLING.md, webshaped/README.md)."""
import pytest

from jiyao.read.document import from_text
from jiyao.run.extractor import Extractor


def _rec(text: str):
    return Extractor("offline").extract_offline(from_text(text, "x"))


def _people(r):
    return {p.name: p for p in r.people}


def _region(r):
    return r.meeting.region.name if r.meeting and r.meeting.region else None


PROBES = {
    # --- headline ---------------------------------------------------------------------------
    "headline/pipe": (
        "灵武市第九届人大常委会第十二次会议胜利召开 |\n"
        "5月11日,灵武市第九届人民代表大会常务委员会第十二次会议召开。市人大常委会主任马志清主持会议。",
        lambda r: r.headline == "灵武市第九届人大常委会第十二次会议胜利召开"),
    "headline/pipe-site": (
        "平遥县召开防汛工作会议 | 平遥县人民政府\n7月20日,平遥县召开防汛工作会议。县长孙立民主持会议。",
        lambda r: r.headline == "平遥县召开防汛工作会议"),
    "headline/with-date": (
        "临潭县召开安全生产工作会议 2023-06-14 09:12\n"
        "6月13日上午,临潭县召开安全生产工作会议。县长杨振华出席会议并讲话。",
        lambda r: r.headline == "临潭县召开安全生产工作会议"),
    "headline/with-cn-date": (
        "临潭县召开安全生产工作会议 2023年06月14日\n"
        "6月13日上午,临潭县召开安全生产工作会议。县长杨振华出席会议并讲话。",
        lambda r: r.headline == "临潭县召开安全生产工作会议" and r.source.published_date == "2023-06-14"),
    "headline/forum-user": (
        "清风细雨 发表于 2023-8-22 10:13\n"
        "8月21日下午,平遥县东泉镇召开秋季防火工作会议。镇党委书记韩志刚主持会议并讲话。",
        lambda r: r.headline is None and r.source.published_date == "2023-08-22"),
    "headline/notice": (
        "柘城县人民政府关于二〇二四年春节期间城区禁止燃放烟花爆竹的通告\n"
        "为保障人民群众生命财产安全,根据有关法律法规,现就有关事项通告如下。\n一、禁放区域为城区全域。",
        lambda r: r.headline == "柘城县人民政府关于二〇二四年春节期间城区禁止燃放烟花爆竹的通告"),
    "headline/opening-sentence": (
        "3月5日上午,平遥县召开春季植树造林动员会。县长孙立民主持会议并讲话,副县长郭海燕出席。\n"
        "会议要求,各乡镇要抓住有利时机,全力推进植树造林。",
        lambda r: r.headline is None),
    # --- meeting.name ------------------------------------------------------------------------
    "name/composed-session": (
        "新化县人大常委会召开第36次会议\n8月3日,县十五届人大常委会召开第36次会议。县人大常委会主任罗建平主持会议。",
        lambda r: r.meeting.name == "县十五届人大常委会第36次会议"),
    "name/government-sitting": (
        "县政府召开第12次常务会议\n5月6日,县政府召开第12次常务会议。县长孔德明主持会议并讲话。",
        lambda r: r.meeting.name == "县政府第12次常务会议"),
    "name/committee-sitting": (
        "区委召开第8次常委会会议\n5月6日,区委召开第8次常委会会议。区委书记孔德明主持会议并讲话。",
        lambda r: r.meeting.name == "第8次常委会会议"),  # as webshaped wd13 is labelled (州委召开第108次…)
    "name/body-plus-meeting": (
        "区委常委会召开会议\n5月6日,区委常委会召开会议。区委书记孔德明主持会议并讲话。",
        lambda r: r.meeting.name == "区委常委会会议"),
    "name/headline-only-weekly": (
        "沁源县召开安全生产周一例会\n9月4日,县委副书记、县长王立军主持召开会议,听取各部门安全生产工作汇报。",
        lambda r: r.meeting.name == "安全生产周一例会"),
    "name/headline-only-jointname": (
        "全区秸秆禁烧工作推进会暨集体约谈会召开\n10月8日,区政府召开会议,副区长陈晓东出席会议并讲话。",
        lambda r: r.meeting.name == "秸秆禁烧工作推进会暨集体约谈会"),
    "name/inner-word": (
        "灵丘县召开县级领导干部会议\n2月6日,我县召开县级领导干部会议。县委书记胡志强主持会议并讲话。",
        lambda r: r.meeting.name == "县级领导干部会议"),
    # --- source.outlet -----------------------------------------------------------------------
    "outlet/signoff-online": (
        "南川区召开防汛工作会议\n6月2日,南川区召开防汛工作会议。区长刘海波出席会议并讲话。\n(南川在线编辑:周小梅)",
        lambda r: r.source.outlet == "南川在线"),
    "outlet/dateline-brand": (
        "衡阳县召开防汛工作会议\n红网时刻新闻6月2日讯(记者 刘海生)6月1日,衡阳县召开防汛工作会议。县长谢建新出席并讲话。",
        lambda r: r.source.outlet == "红网时刻"),
    "outlet/dateline-app": (
        "通城县召开防汛工作会议\n云上通城讯(记者 刘海生)6月1日,通城县召开防汛工作会议。县长谢建新出席并讲话。",
        lambda r: r.source.outlet == "云上通城"),
    "outlet/dateline-fabu": (
        "涟水县召开防汛工作会议\n涟水发布讯 6月1日,涟水县召开防汛工作会议。县长谢建新出席并讲话。",
        lambda r: r.source.outlet == "涟水发布"),
    "outlet/dateline-fabu-space": (
        "平遥县召开防汛工作会议\n平遥发布 6月1日,平遥县召开防汛工作会议。县长谢建新出席并讲话。",
        lambda r: r.source.outlet == "平遥发布"),
    "outlet/column-fabu": (  # a column's name (权威发布) is no outlet
        "平遥县召开防汛工作会议\n权威发布 6月1日,平遥县召开防汛工作会议。县长谢建新出席并讲话。",
        lambda r: r.source.outlet is None),
    "outlet/laiyuan-paper": (
        "平遥县召开政法工作会议\n来源:法制周刊\n3月1日,平遥县召开政法工作会议。县委书记韩志刚出席并讲话。",
        lambda r: r.source.outlet == "法制周刊"),
    "outlet/xiaoxi-space": (
        "江津区召开防汛工作会议\n江津网消息 全市防汛形势严峻。6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。",
        lambda r: r.source.outlet == "江津网"),
    "outlet/bracket-start": (
        "江津区召开防汛工作会议\n【江津网】6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。",
        lambda r: r.source.outlet == "江津网"),
    "outlet/paren-credit": (
        "江津区召开防汛工作会议\n(江津网 记者 王小川)6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。",
        lambda r: r.source.outlet == "江津网" and r.source.reporters == ["王小川"]),
    # --- source.reporters --------------------------------------------------------------------
    "reporters/bare-paren": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。\n(刘晓峰)",
        lambda r: r.source.reporters == ["刘晓峰"]),
    "reporters/outlet-paren": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。\n(江津网)",
        lambda r: r.source.reporters == [] and r.source.outlet == "江津网"),
    "outlet/notice-closing": (  # a notice's closing words in brackets name no outlet
        "关于做好防汛工作的通知\n各乡镇:现将有关事项通知如下。\n(此件公开发布)",
        lambda r: r.source.outlet is None and r.source.reporters == []),
    "reporters/square-byline": (
        "江津区召开防汛工作会议\n■王晓明\n6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。",
        lambda r: r.source.reporters == ["王晓明"]),
    "reporters/unit-signoff": (
        "东泉镇召开防火工作会议\n9月2日,东泉镇召开秋季防火工作会议。镇长韩志刚出席并讲话。\n(平遥县东泉镇 李海涛)",
        lambda r: r.source.reporters == ["李海涛"]),
    "reporters/tu-wen-one-line": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。\n图:张文斌 文:李娜娜",
        lambda r: r.source.reporters == ["李娜娜"] and r.source.photographers == ["张文斌"]),
    "reporters/two-glued": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。\n(通讯员 王小川李红梅)",
        lambda r: r.source.reporters == ["王小川", "李红梅"]),
    "reporters/benbaoxun-space": (
        "江津区召开防汛工作会议\n本报讯 记者王小川 6月2日,江津区召开防汛工作会议。区长刘海波出席并讲话。",
        lambda r: r.source.reporters == ["王小川"]),
    # --- date / time -------------------------------------------------------------------------
    "date/year-boundary": (
        "平遥县召开县委常委会会议\n发布时间:2023-01-03\n12月31日,平遥县召开县委常委会会议。县委书记韩志刚主持会议。",
        lambda r: r.meeting.date == "2022-12-31"),
    "time/clock-afternoon": (
        "平遥县召开防汛会议\n7月20日下午3:00,平遥县召开防汛会议。县长孙立民主持会议。",
        lambda r: r.meeting.time_of_day == "下午"),
    "time/evening": (
        "平遥县召开防汛会议\n7月20日晚,平遥县召开防汛紧急会议。县长孙立民主持会议。",
        lambda r: r.meeting.time_of_day == "晚上"),
    "time/noon": (
        "平遥县召开防汛会议\n7月20日中午,平遥县召开防汛紧急会议。县长孙立民主持会议。",
        lambda r: r.meeting.time_of_day == "中午"),
    # --- region ------------------------------------------------------------------------------
    "region/county-town": (
        "东泉镇召开防火工作会议\n9月2日,平遥县东泉镇召开秋季防火工作会议。镇长韩志刚出席并讲话。",
        lambda r: _region(r) == "东泉镇"),
    "region/verb-fragment": (
        "县委巡察组进驻动员会召开\n9月2日,县委第二巡察组正式进驻东泉镇动员会召开。镇党委书记韩志刚主持会议。",
        lambda r: _region(r) in ("东泉镇", None)),
    "region/town-in-name-only": (
        "平遥讯 9月2日,东泉镇秋季防火工作会议召开。镇长韩志刚出席并讲话,要求各村加强巡查。",
        lambda r: _region(r) == "东泉镇"),
    "region/national": (
        "国务院召开常务会议\n3月8日,国务院总理张立新主持召开国务院常务会议,研究部署春耕生产工作。",
        lambda r: _region(r) == "中国"),
    # --- people ------------------------------------------------------------------------------
    "people/recommended-block": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议。区长刘海波出席会议并讲话。\n"
        "新闻推荐\n江津区召开安全生产工作会议 副区长陈晓东出席并讲话\n",
        lambda r: set(_people(r)) == {"刘海波"}),
    "people/cited-leader": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议,传达省委书记杜文清重要讲话精神。"
        "省委书记杜文清强调,要压实责任。区长刘海波出席会议并讲话。",
        lambda r: "杜文清" not in _people(r) and "刘海波" in _people(r)),
    "people/list-tail-untitled": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议。区委书记刘海波、区长陈晓东、赵文华参加会议。",
        lambda r: {"刘海波", "陈晓东", "赵文华"} <= set(_people(r))),
    "people/he-gecun": (
        "东泉镇召开防火工作会议\n9月2日,东泉镇召开秋季防火工作会议。镇党委书记韩志刚和各村党支部书记参加会议。",
        lambda r: set(_people(r)) == {"韩志刚"}),
    "people/committee-titles": (
        "江津区召开防汛工作会议\n6月2日,江津区召开防汛工作会议。区人大常委会副主任、区总工会主席李文华出席会议。",
        lambda r: _people(r)["李文华"].titles == ["区人大常委会副主任", "区总工会主席"]),
    "people/titled-then-title-chain": (
        "平遥县召开县委常委会会议\n3月1日,平遥县召开县委常委会会议。县委书记韩志刚主持会议,"
        "县委副书记张明、县委常委、宣传部部长李红出席会议。",
        lambda r: _people(r).get("李红") is not None and _people(r)["李红"].titles == ["县委常委", "宣传部部长"]),
    # --- upstream_meetings -------------------------------------------------------------------
    "upstream/shared-levels": (
        "平遥县召开安全生产工作会议\n3月1日,平遥县召开安全生产工作会议,传达学习省、市安全生产工作会议精神。县长孙立民出席并讲话。",
        lambda r: r.upstream_meetings == ["省安全生产工作会议", "市安全生产工作会议"]),
    "upstream/national-levels": (
        "平遥县召开经济工作会议\n12月26日,平遥县召开经济工作会议,传达学习全国、省、市经济工作会议精神。县长孙立民主持会议。",
        lambda r: r.upstream_meetings == ["全国经济工作会议", "省经济工作会议", "市经济工作会议"]),
    "upstream/inside-speech": (
        "平遥县召开经济工作会议\n12月26日,平遥县召开经济工作会议。县委书记韩志刚强调,要全面贯彻落实中央经济工作会议,"
        "推动经济持续向好。",
        lambda r: r.upstream_meetings == ["中央经济工作会议"]),
    "upstream/leading-dunhao": (
        "平遥县召开县委常委会会议\n3月1日,平遥县召开县委常委会会议,传达学习习近平总书记重要讲话、中央政治局会议精神。"
        "县委书记韩志刚主持会议。",
        lambda r: r.upstream_meetings == ["中央政治局会议"]),
    "upstream/over-long": (
        "平遥县召开防汛工作会议\n6月1日,平遥县召开防汛工作会议,传达学习省防汛抗旱指挥部会议关于防汛工作的会议精神。"
        "县长孙立民出席并讲话。",
        lambda r: r.upstream_meetings == ["省防汛抗旱指挥部会议"]),
}


@pytest.mark.parametrize("case", sorted(PROBES))
def test_probe(case):
    text, ok = PROBES[case]
    r = _rec(text)
    assert ok(r), (case, r.model_dump(include={"headline", "source", "meeting", "people", "upstream_meetings"}))
