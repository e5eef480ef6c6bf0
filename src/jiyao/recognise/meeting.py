"""Headline, meeting name, date and time of day, format, venue, organizer."""
from __future__ import annotations

import re

from .dates import DATE_RE, meeting_date  # noqa: F401  (re-exported: the date is part of the meeting)
from .found import Found
from .lexicon import (CITY_ABBREVIATIONS, CJK, CONVENE, CONVENE_VERBS, IN_PERSON_CUE, NATIONAL_BODY, NATIONAL_CONGRESS,
                      ORGANIZER_END, RELAY_RE, SELF_REF, SELF_REF_LEVELS, UNNAMED_MEETINGS, VIDEO_CUE)

from ..read import furniture

# Dropped before a name: dates, relative days, self-references (SPEC v1.1, and 全省), a leading year
# (SPEC v1.1 drops it whatever follows: 2024年上半年…座谈会 → 上半年…座谈会).
_LEADING = re.compile(rf"^(?:[,\s]|日前|近日|今天|昨天|今日|昨日|当天|随后|{DATE_RE.pattern}|(?:我|全|本)[{SELF_REF_LEVELS}省]"
                      r"|(?:\d{4}|[〇零一二三四五六七八九]{4})年度?|立即|专门|又|再次|紧急|再|了|召开|举行)+")
_CLAUSE = re.compile(r"[^,。;:!?\n]+")
_CONVENE = re.compile("(?:" + "|".join(CONVENE_VERBS) + ")(?!式)(?:了)?")  # 开幕式 is a ceremony, no verb
# 在乡政府大会议室隆重开幕: the adverb before the verb is not part of the venue
# 在京召开: a city's one-character short name is the venue as written (national stories)
# 某某17日上午在北京出席…座谈会: where a leader attends it is where it is held
_VENUE = re.compile(rf"在([{CITY_ABBREVIATIONS}]|[{CJK}\d\-A-Za-z]{{2,30}}?)(?:主持|组织)?(?:隆重|胜利|顺利|正式|如期)?(?:{CONVENE}|举办|出席)")
# "X会议在Y召开": the venue phrase before the verb is not part of the name (Y may hold 会议室/会议中心).
_VENUE_TAIL = re.compile(rf"在[{CJK}\d\-A-Za-z]{{2,30}}$")
# "某某座谈会19日在京召开", "…会议19日至21日在某地召开": the day and the place between a name and its
# verb (broadcast style) are not part of the name.
_DAY_PLACE_TAIL = re.compile(rf"(?:(?:\d{{1,2}}月)?\d{{1,2}}[日号](?:至\d{{1,2}}[日号])?|今天|今日|昨天|昨日)?"
                             rf"(?:上午|下午|晚上|晚间)?(?:在(?:[{CITY_ABBREVIATIONS}]|[{CJK}]{{2,30}}))?$")
# 精神 relays another meeting (传达…会议精神); 精神文明建设…座谈会 is a name
_SPIRIT = re.compile("精神(?!文明)")
# A sitting of a session (national README: named by the session, 十三届全国人大常委会第十四次会议)
_SITTING = re.compile(r"(?:第[一二三四五六七八九十\d]{1,3}次)?(?:全体会议|闭幕会|开幕会|联组会议|预备会议)")
# A kind of meeting, no name (national README: a bare 座谈会 → name null unless the headline has one)
_BARE_KINDS = ("座谈会", "会议", "专题会议", "视频会议", "电视电话会议", "常务会议", "全体会议")
# A meeting decided on or announced (关于召开…的决定, 决定召开…) is not this one
_DECIDED_ON = re.compile(r"(?:关于|决定)$")
# A meeting still to come (将于3月11日下午在某地举行闭幕会, 本台明天将直播…) is not reported held.
_FUTURE = re.compile(r"将于|将在|即将|拟于|定于|关于召开|明天|明日")  # 定于…召开, 关于召开…的通知: a notice of one to come
_ORGANIZER_END = ORGANIZER_END
_ORGANIZER_ENDS = re.compile(_ORGANIZER_END)
# A term number before a party committee (十五届县委第41次常委会会议): the body is 县委. Inside a
# 政协/人大 session's name the term stays (政协某县第十届委员会, README labelling decisions).
_TERM = re.compile(r"^第?[一二三四五六七八九十\d]{1,3}届(?=[省市区县州旗镇乡](?:委|人民政府|政府))")
_VIDEO = re.compile(VIDEO_CUE)
_IN_PERSON = re.compile(IN_PERSON_CUE)
_RELAY = RELAY_RE


def headline(lines: list[tuple[int, str]]) -> Found | None:
    """The title line: the first short line that is not a banner, page furniture or a body paragraph;
    failing that, a short 召开…会议 line anywhere (scraped pages often put the title after the body).
    A date before the title (`01.24 `) and a site name after it (`_某某网`) are not the headline."""
    def title_like(s: str) -> bool:
        return 4 <= len(s) <= 64 and "。" not in s and not DATE_RE.match(s) and "讯" not in s[:8] \
            and not re.match(r"^(?:来源|发布|编辑|本条编辑|责任编辑|分享|相关|【)", s) and s.count(",") <= 2 \
            and not _SENTENCE_START.match(s) and not s.endswith(_OPEN_ENDS) and not _CAPTION.match(s) \
            and furniture.kind(s) not in NOT_TITLES

    def bounded(o: int, line: str) -> tuple[int, str]:
        a, b = furniture.title_bounds(line)
        return o + a, line[a:b]

    nonempty = [(o, line) for o, line in lines if line.strip()]
    # the first lines, less the 发布时间/来源 lines and disclosure rows that may sit above the title
    top: list[tuple[int, str]] = []
    for o, line in nonempty[:10]:
        k = furniture.kind(line.strip())
        if k in NOT_TITLES and k not in _META_KINDS and top:
            break  # furniture under a line ends the page's head
        if len(top) < 4 and k not in NOT_TITLES:
            top.append(bounded(o, line))
    for i, (o, s) in enumerate(top[:3]):
        if not title_like(s) and not (i == 0 and _long_title(s, top[1:2])):
            break
        if ("·" in s or "|" in s) and i + 1 < len(top) and title_like(top[i + 1][1]):
            continue  # a column banner above the real title
        return Found(s, o)
    for o, line in nonempty:  # a page that names its title in a labelled row (标  题: …, a trailer's 标题:)
        if furniture.TITLE_LABEL.match(line) and title_like(bounded(o, line)[1]):
            return Found(*reversed(bounded(o, line)))
    for o, line in nonempty:
        if len(line) <= 60 and re.search("召开|举行", line):
            o, s = bounded(o, line)
            if len(s) <= 40 and re.search("会议?$", s) and title_like(s):
                return Found(s, o)
    return None


# A broadcast story's title may run long (习近平对某某工作作出重要指示强调 … 某某会议召开): the first line
# is the title when a dateline opens the next one (央视网消息(新闻联播):, 某某讯).
_DATELINE_NEXT = re.compile(rf"^\s*[{CJK}]{{2,12}}?(?:消息|讯)")


def _long_title(s: str, following: list[tuple[int, str]]) -> bool:
    return 4 <= len(s) <= 160 and "。" not in s and bool(following) and bool(_DATELINE_NEXT.match(following[0][1]))


# page furniture, the meta and credit lines and a forum post's header (河畔小编 发表于 2023-8-22 10:13) are
# never the title (an HTML page's <title> may be the site's name; a text dump the furniture stage found no
# article in keeps its breadcrumbs)
_META_KINDS = ("meta", "credit", "post")
NOT_TITLES = furniture.FURNITURE + _META_KINDS
# An opening sentence is no title (a page without one has headline null): it starts with a time
# word and a comma, a content farm's dateline (据某某区消息), or breaks off at a comma; nor is a photo
# caption above the body (街道党工委书记某某讲话, 会议现场).
_SENTENCE_START = re.compile(r"^(?:(?:近日|日前|近期|今天|昨天|今日|昨日|当天|上午|下午|晚上)[,\s]|据[^,]{1,12}?(?:消息|介绍|报道))")
_OPEN_ENDS = (",", "、", ":", ";", "(")
_CAPTION = re.compile(rf"^(?:会议现场|会场|现场图?|[{CJK}]{{2,20}}?(?:讲话|发言|致辞|作报告|主持会议))$(?<!召开会议)")


# 由某某主办的…座谈会: who hosts it is no part of the name
_HOSTED_BY = re.compile(r"^由[^,。;]{1,30}?(?:主办|举办|承办|组织)的")


# A dateline or byline the clause opens with, right before the name with no comma between
# (本报讯(记者 某某)全市…会议5日召开, 本网讯 全市…会议, 【某某网】…, 记者 某某 报道 …): never the name's.
_BRACKET_HEAD = re.compile(r"^\s*(?P<line>[^\s()\[\]【】,。]{0,12}?(?:讯|消息|电))?\s*[(\[【](?P<group>[^()\[\]【】]{1,40})[)\]】]\s*")
_BYLINE_WORDS = re.compile(r"记者|通讯员|撰稿|讯|消息|网|报|台|电|摄|文")
_BYLINE_HEAD = re.compile(r"(?:讯|消息|电|报道)$|记者|通讯员")


def _after_dateline(raw: str) -> str:
    m = _BRACKET_HEAD.match(raw)
    if m and (m.group("line") or _BYLINE_WORDS.search(m.group("group"))):
        raw = raw[m.end():]
    head, _, tail = raw.strip().rpartition(" ")
    return tail if head and tail and _BYLINE_HEAD.search(head) else raw


def _clean_name(raw: str) -> str:
    name = _HOSTED_BY.sub("", _LEADING.sub("", _after_dateline(raw)).strip())
    name = re.sub(r"^(?:在[^,]{1,20}?)(?=[^,]*会议$)", "", name) if name.startswith("在") else name
    return name


# 学习贯彻党的二十届三中全会精神中央宣讲团首场报告会: a meeting named for the spirit it studies goes on past
# 精神 to a name of its own; 传达学习某某会议 (a relay verb and what it relays) is no meeting's name.
_STUDIES_SPIRIT = re.compile(rf"^{RELAY_RE.pattern}[^,。;]+?精神[{CJK}]{{2,}}$")


def _ok_name(name: str) -> bool:
    return len(name) >= 4 and name not in UNNAMED_MEETINGS and not (_RELAY.match(name) and not _STUDIES_SPIRIT.match(name)) \
        and "收看" not in name


def _up_to_meeting(part: str, before_verb: bool) -> str:
    """The part through its last 会议, or all of it when it ends in 会 (…工作会议暨…动员部署会);
    before 召开, a 常委会 is the body that convenes, not the meeting."""
    if part.endswith("会") and not (before_verb and part.endswith(_BODIES)):
        return part
    if re.fullmatch(rf"[{CJK}]{{2,30}}?(?<!年){_ORDINAL}(?:集体|专题)学习", part):
        return part  # 主持召开国务院第十二次专题学习: a body's study session is a meeting (national README)
    k = part.rfind("会议")
    if k < 0 and not before_verb and (j := part.find("会并")) > 0:
        return part[: j + 1]  # 主持召开某某座谈会并发表重要讲话
    return part[: k + 2] if k >= 0 else ""


_BODIES = ("常委会", "委员会", "联合会", "协会", "学会", "工会", "商会")  # end in 会, but convene meetings
# "市委常委会召开会议": the text names the meeting by its body; the name is composed from the two
# (SPEC: the meeting's name as the text gives it) and grounded on the whole phrase.
_MEETING_WORD = r"(?:专题|全体成员|全体|扩大|常务)?会议"
_BODY_MEETING = re.compile(rf"([{CJK}]{{2,20}}?{_ORGANIZER_END}|[{CJK}]{{0,16}}?常委会)(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?{CONVENE}了?"
                           rf"({_MEETING_WORD})")  # 中共某某党组3月1日召开会议: the day between the two
_ORDINAL = r"第[一二三四五六七八九十百零〇\d]{1,6}次"
COMPOSED_NAME = re.compile(rf"^(.+?)({_MEETING_WORD}|(?:\d{{4}}年)?{_ORDINAL}集体学习|{_ORDINAL}会议)$")

_HELD = re.compile(rf"(?:召开|举行|主持)[^,。;]{{0,30}}?会(?!谈|见|晤)|会(?:议)?(?:在[^,。;]{{2,30}}?)?{CONVENE}|主持会议"
                   r"|会议由[^,。;]{2,40}?主持"  # 会议由某某主持召开: a meeting held, whatever its name
                   r"|中心组[^,。;]{0,20}?(?:开展|进行|举行)[^,。;]{0,12}?(?:集中|集体)学习")  # a study session is a meeting
# Talks, courtesy calls and phone calls are no meetings (SPEC v1.2): 某某同某国议长举行会谈
_TALKS = re.compile(r"会见|会谈|会晤|通电话|视频通话|通话|接见")


# A story about a meeting that reports none itself (national README): reactions, a commentary, an
# interview, a press Q&A, a round-up (…重要讲话在各地引发热烈反响, 某某评论员文章, …答记者问), an
# article published in a journal (《求是》杂志发表…重要文章《在…集体学习时的讲话》), an arrival for a
# visit or a summit still to be held (某某抵达某地…进行国事访问并出席…会议).
_NOT_A_REPORT = re.compile(r"反响|评论员|答记者问|记者问|综述|述评|署名文章|社论|访谈|杂志发表|发表[^\s]{0,12}?文章"
                           r"|抵达[^\s]{0,20}?(?:访问|出席)")


def commentary(head: str | None) -> bool:
    return bool(head and _NOT_A_REPORT.search(head))


def abroad(body: str) -> bool:
    """The story's first sentence dates its event in local time (当地时间9月7日): it is held abroad."""
    return "当地时间" in re.split(r"[。!?]", body.strip(), maxsplit=1)[0]


def talks_only(body: str, name: str | None) -> bool:
    """The story's first sentence reports talks, a courtesy call or a phone call, and no meeting
    named there: what follows (what was said, a summit mentioned) is no meeting of its own."""
    first = re.split(r"[。!?]", body.strip(), maxsplit=1)[0]
    return bool(_TALKS.search(first)) and not (name and name in first)


def reports_a_meeting(body: str) -> bool:
    """Some meeting is held in the text (召开会议, 会议在…召开, 主持会议), named or not."""
    return bool(_HELD.search(body[:1500]))


_AFTERWARDS = re.compile(r"^\s*(?:会后|会议结束后)")
_AFTERWARDS_END = re.compile(r"(?:^|[。;\n])\s*(?:会后|会议结束后)[,\s]*$")


# A name wrapped whole in quotation marks right after the verb (PATTERNS R4-6)
_QUOTED_NAME = re.compile(r"“([^“”]{4,60}?会议?)”(?![\u4e00-\u9fff])")  # …”工作推进会: only a part is quoted


def _first_held(body: str, body_start: int) -> Found | None:
    """The first meeting held in the body: 召开X会议… or X会议(在Y)召开."""
    for m in _CLAUSE.finditer(body[:1200]):
        clause = m.group()
        conv = _CONVENE.search(clause)
        quoted = _QUOTED_NAME.match(clause, conv.end()) if conv else None
        if quoted and not _AFTERWARDS.match(clause):
            # 召开“学习…精神专题研讨会”: the quotes hold the name, a 学习…精神 in it included
            return Found(quoted.group(1), body_start + m.start() + quoted.start(1))
        if _RELAY.match(clause.strip()) or "收听收看" in clause or _SPIRIT.search(clause):
            continue
        if _CONVENE.search(clause) and (_AFTERWARDS.match(clause) or _AFTERWARDS_END.search(body, 0, m.start())):
            continue  # 会后,还召开…主席会议: a meeting after the reported one is not it
        conv = _CONVENE.search(clause)
        if conv and (_FUTURE.search(clause[: conv.start()]) or _DECIDED_ON.search(clause[: conv.start()])):
            continue  # 将于…举行, 审议了关于召开…的决定: a meeting to come
        if conv:
            # "召开X会议…" first; then "X会议(在Y)召开"
            before_verb = _DAY_PLACE_TAIL.sub("", _VENUE_TAIL.sub("", clause[: conv.start()]))
            parts = [(clause[conv.end():], False), (before_verb, True)]
            if _SITTING.match(clause[conv.end():]):
                parts.reverse()  # 某某常委会第N次会议…举行第一次全体会议: the sitting is named by its session
            for part, before in parts:
                if not before and (part.startswith("的") or _TALKS.match(part)):
                    continue  # 刚刚闭幕的中央经济工作会议: named in passing; 举行会谈并…: talks
                name = _clean_name(_up_to_meeting(part, before))
                if not before and name in _BARE_KINDS:
                    return None  # 主持召开座谈会: the first meeting held is unnamed (a later one is another)
                if _ok_name(name):
                    return Found(name, body_start + m.start() + clause.find(name))
        elif clause.endswith("会议") and m.end() < len(body) and re.match(rf",\s*在[^,。]{{2,30}}?{CONVENE}", body[m.end():]):
            name = _clean_name(clause)
            if _ok_name(name):
                return Found(name, body_start + m.start() + clause.find(name))
        elif (done := _AGENDA_DONE.match(clause)) and re.match(rf",[^,。;]{{0,30}}?{CONVENE}", body[m.end():]):
            name = _clean_name(done.group(1))  # 某某会议在圆满完成各项议程后,11日下午在人民大会堂闭幕
            if _ok_name(name):
                return Found(name, body_start + m.start() + clause.find(name))
    return None


_AGENDA_DONE = re.compile(r"^\s*(.+?会议)在[^,。;]{2,20}?后$")


# "…会议结束后,我市随即召开全市防汛工作会议": the article's own, separately named meeting after
# another one (SPEC v1.1 "Two meetings in one report"); an unnamed continuation
# (视频会议结束后…作出工作部署, seed 004) does not match.
_THEN_OWN = re.compile(rf"(?:会议?结束后|会议?后|召开后)[,\s]*(?:{SELF_REF}|[{CJK}]{{2,10}}?[{SELF_REF_LEVELS}])?"
                       rf"(?:随即|立即|紧接着|接着|随后|又){CONVENE}了?([^,。;\n]{{4,60}}?会议?)(?=[,。;\n]|$)")


def _then_own(body: str, body_start: int) -> Found | None:
    m = _THEN_OWN.search(body[:1200])
    if m:
        name = _clean_name(m.group(1))
        if _ok_name(name):
            return Found(name, body_start + m.start(1) + m.group(1).find(name))
    return None


def held_before(body: str, own_name: str | None) -> list[Found]:
    """Meetings held before the article's own one in the same report (they are upstream): the one
    named right before 后 (全省…视频调度会后,我市随即召开…, a title line), else the first held."""
    for then in _THEN_OWN.finditer(body[:1200]):
        if _clean_name(then.group(1)) != own_name:
            continue
        end = then.start() + len(re.match(r"会?议?", then.group()).group())
        name = _clean_name(re.split(r"[,。;\n]", body[:end])[-1])
        first = Found(name, end - len(name)) if _ok_name(name) else _first_held(body[: then.start()], 0)
        if first and first.value != own_name:
            # the level word is part of a higher meeting's name (全省防汛抗旱工作电视电话会议)
            lead = re.search(r"(?:全|本)[省市区县州旗]$", body[: first.start])
            return [Found(lead.group() + first.value, lead.start())] if lead else [first]
    return []


# A name that does not say whose meeting it is (第十二次常务会议, 预备会议, read after 召开 in
# 市政府召开第十二次常务会议) is often written in full elsewhere: 主持召开市政府第十二次常务会议,
# 政协某市第十届委员会第三次会议预备会议召开. The full form is the name as the text gives it.
_BARE_NAME = re.compile(r"^(?:第|预备会议|全体会议|常务会议|党组(?:\(扩大\))?会议|(?:主任|主席|秘书长)(?:\(扩大\))?会议|主席团第)")
# The body that convenes it, right before the verb in the same clause (县十五届人大常委会召开第36次会议,
# 十七届县人民政府召开第五次全体会议, 县政府召开第12次常务会议), its day and place perhaps between (十三届全国人大常委会4日上午在
# 北京人民大会堂举行第一百三十六次委员长会议): the name as the text gives it is the two together.
# (区十九届人大五次会议举行主席团第三次会议: a numbered session holds its presidium's meeting)
_BODY_BEFORE = re.compile(rf"([{CJK}\d]{{1,24}}?(?:{ORGANIZER_END}|政协|人大|常委会|人民政府|次会议))"
                          rf"(?:(?:\d{{1,2}}月)?\d{{1,2}}[日号])?(?:上午|下午|晚上|晚间)?(?:在[^,。;]{{2,20}}?)?{CONVENE}了?$")
_RUN_BEFORE = re.compile(rf"[{CJK}\d]{{1,40}}$")
_AFTER_VERB = re.compile(r"^.*(?:召开|举行|主持|出席|参加)了?")


def _in_full(name: Found | None, body: str, body_start: int) -> Found | None:
    if name is None or not _BARE_NAME.match(name.value):
        return name
    best = name
    for m in re.finditer(re.escape(name.value), body[:2000]):
        run = _RUN_BEFORE.search(body[: m.start()])
        lead = _clean_name(_AFTER_VERB.sub("", run.group())) if run else ""
        # not another body's meeting taken up (传达学习了某市政府第二十三次常务会议精神)
        if len(lead) < 2 or _RELAY.search(lead) or body[m.end(): m.end() + 2] == "精神":
            continue
        if len(lead) + len(name.value) > len(best.value):
            best = Found(lead + name.value, body_start + m.start() - len(lead))
    if best is name:
        at = name.start - body_start
        clause = re.split(r"[,。;:!?\n]", body[:at])[-1]
        m = _BODY_BEFORE.search(clause)
        lead = _clean_name(m.group(1)) if m else ""
        if len(lead) >= 2 and not lead.startswith(("我", "全", "本")) and not _RELAY.search(lead):
            return Found(lead + name.value, name.start - len(clause) + m.start(1) + (len(m.group(1)) - len(lead)))
    return best


def meeting_name(body: str, body_start: int, head: Found | None) -> Found | None:
    """The meeting's own name from the body (召开X会议 / X会议(在…)召开); else from the headline."""
    return _in_full(_named(body, body_start, head), body, body_start)


def _named(body: str, body_start: int, head: Found | None) -> Found | None:
    national = _national_meeting(body, body_start, head)
    if national:
        return national
    first, then = _first_held(body, body_start), _then_own(body, body_start)
    if then and (first is None or first.start < then.start) and (
            head is None or first is None or then.value in head.value or first.value not in head.value):
        return then
    if first:
        return first
    if head:
        # 我市召开X会议 / X会议(胜利)召开 (a page dump's title no longer sits in the body)
        # a headline of several parts (中共中央政治局召开会议 分析研究… 某某主持会议): a name is inside one
        for rx, before in ((rf"{CONVENE}([^\s]+?会议?)(?:$|\s)", False),
                           (rf"^(?:[^\s]{{0,24}}?(?:主持|出席))?(.+?会议?)(?:在(?:[{CITY_ABBREVIATIONS}]|[^\s]{{2,20}}?))?"
                            rf"(?:胜利|隆重)?{CONVENE}(?!式)", True)):  # 某某报告会在京举行
            m = re.search(rx, head.value)
            if m and _FUTURE.search(head.value[: m.end()]):
                continue  # 本台明天将直播…闭幕会: a trailer reports no meeting
            # before the verb, 市委常委会 is the body that convenes (市委常委会召开会议), no meeting's name
            name = _clean_name(m.group(1) if not before else _up_to_meeting(m.group(1), True)) if m else ""
            if _ok_name(name):
                return Found(name, head.start + head.value.find(name, m.start(1)))
    if head and (m := _HEAD_BODY_SITTING.match(head.value)):
        # 某某指挥部办公室第三次汛期会商研判: a headline naming the body, then what it held (no verb)
        return Found(m.group(2), head.start + m.start(2))
    m = _BODY_MEETING.search(body[:600])
    if m:
        org = _LEADING.sub("", m.group(1))
        if len(org) >= 2 and not org.startswith(("我", "全")):
            return Found(org + m.group(2), body_start + m.start(1) + m.group(1).find(org))
    m = _STUDY_BY_ANY.search(body[:300])
    if m:  # 中共某某党组理论学习中心组…举行2024年第一次集体学习, the meeting named nowhere else
        return Found(m.group(1) + m.group(2), body_start + m.start(1))
    return _session_acts(body, body_start) or _attended(body, body_start)


# A headline that is a body and its numbered sitting, no verb between (R4-22): 某某指挥部办公室第三次汛期会商研判
_HEAD_BODY_SITTING = re.compile(rf"^([{CJK}]{{2,30}}?{_ORGANIZER_END})({_ORDINAL}[{CJK}()]{{2,24}}?(?:会议?|会商研判|会商|研判会))$")


# SPEC v1.2: a conference, symposium or forum a leader attends is a meeting (某某出席…座谈会并讲话), and
# one two sides co-chair (某某同某国副总理某某共同主持…委员会第十一次会议); read only when no meeting is
# held in so many words, in the first sentence.
_ATTENDED = re.compile(rf"(?:出席|共同主持)了?([{CJK}\d“”\"《》、]{{4,40}}?(?:座谈会|研讨会|大会|论坛|峰会|会议))(?=并|[,。;]|$)")


def _attended(body: str, body_start: int) -> Found | None:
    first = re.split(r"[。!?\n]", body.strip(), maxsplit=1)[0]
    m = _ATTENDED.search(first)
    if m and not _TALKS.search(first[: m.start()]):
        name = _clean_name(m.group(1))
        if _ok_name(name):
            return Found(name, body_start + body.find(m.group(1)) + m.group(1).find(name))
    return None


# National stories (evals/national/README.md): 中共中央政治局4月28日召开会议 → 中共中央政治局会议
# (SPEC v1.1's body + 会议); 中共中央政治局…进行第三十八次集体学习 → the study session named by its
# body, as headlines write it (习近平在中共中央政治局第三十八次集体学习时强调).
_DAY = r"(?:(?:\d{1,2}月)?\d{1,2}[日号]|今天|今日|昨天|昨日)?(?:上午|下午|晚上|晚间|晚|全天)?"
_NATIONAL_HELD = re.compile(rf"(?:^|[,。:\s])({NATIONAL_BODY}){_DAY}(?:在[^,。;]{{1,20}}?)?{CONVENE}了?({_MEETING_WORD})(?=[,。;\s]|$)")
_STUDY_BODY = f"(?:{NATIONAL_BODY})"
# A session's presidium meets: 十四届全国人大三次会议主席团4日晚在人民大会堂举行第一次会议
_PRESIDIUM = re.compile(rf"(?:^|[,。:\s])({NATIONAL_BODY}[^,。;\s]{{0,20}}?会议主席团){_DAY}(?:在[^,。;]{{1,20}}?)?举行({_ORDINAL}会议)")
# The session itself as the subject, its day right after it: 十四届全国人大常委会第十次会议19日传达学习…
_SESSION_ACTS = re.compile(rf"(?:^|[,。:\s])({NATIONAL_BODY}[^,。;\s]{{0,20}}?会议)(?=(?:\d{{1,2}}[日号]|今天|今日)(?:上午|下午|晚上|晚)?[{CJK}])")
_STUDY_NAMED = re.compile(rf"({_STUDY_BODY}{_ORDINAL}集体学习)")
_STUDY = rf"{_DAY}(?:就[^,。;]{{1,80}}?)?(?:进行|举行)((?:\d{{4}}年)?{_ORDINAL}集体学习)"
_STUDY_HELD = re.compile(rf"(?:^|[,。:\s])({_STUDY_BODY}){_STUDY}")
_STUDY_BY_ANY = re.compile(rf"(?:^|[,。:\s])([{CJK}]{{2,24}}?{_ORGANIZER_END}){_STUDY}")


def _national_meeting(body: str, body_start: int, head: Found | None) -> Found | None:
    """A national body's meeting named by the body alone, or its collective study, in the headline or
    the first sentences."""
    if head and (m := _STUDY_NAMED.search(head.value)):
        name = _LEADING.sub("", m.group(1))
        return Found(name, head.start + m.end(1) - len(name))
    for rx in (_STUDY_HELD, _NATIONAL_HELD, _PRESIDIUM):
        m = rx.search(body[:300])
        if m:
            return Found(m.group(1) + m.group(2), body_start + m.start(1))
    return None


def _session_acts(body: str, body_start: int) -> Found | None:
    """The session named as the subject of the first sentence, its day right after it, when no
    meeting is held in so many words (十四届全国人大常委会第十次会议19日传达学习…)."""
    first = re.split(r"[。!?\n]", body.strip(), maxsplit=1)[0]
    m = _SESSION_ACTS.search(first)
    if m and not _TALKS.search(first):
        return Found(m.group(1), body_start + body.find(m.group(1)))
    return None


# A second report on the same page starts a paragraph with 又讯/另讯 (README labelling decisions:
# only the first report is the record; the second one's people and roles are not its).
_NEXT_REPORT = re.compile(r"\n[ \t\u3000]*(?:又讯|另讯)")
# A digest of briefs (要闻简报: one ◆ paragraph a brief): the first brief is the record, the later
# ones give no field (their people, quoted terms and relayed meetings are other reports').
_BRIEF = re.compile(r"(?:^|\n)[ \t\u3000]*[◆◇●]")


def first_report(body: str) -> str:
    m = _NEXT_REPORT.search(body)
    return body[: m.start()] if m else first_brief(body)


def first_brief(body: str) -> str:
    briefs = list(_BRIEF.finditer(body))
    return body[: briefs[1].start()] if len(briefs) >= 2 and not body[: briefs[0].start()].count("。") else body


def meeting_format(text: str) -> str | None:
    """video / in_person as stated for this meeting; a 视频会议 in a clause that relays one
    (收听收看…视频会议, 传达…视频会议精神, 我市在分会场收听收看) is another meeting's format."""
    for m in _VIDEO.finditer(text):
        clause = re.split(r"[,。;\n]", text[: m.start()])[-1] + re.split(r"[,。;\n]", text[m.end():])[0]
        if not _RELAY.search(clause):
            return "video"
    if _IN_PERSON.search(text):
        return "in_person"
    return None


_MOMENTS = ("节点", "时刻", "关头", "之际", "时期", "阶段", "背景下", "形势下", "期间", "时候")


def venue(body: str, body_start: int) -> Found | None:
    for m in _VENUE.finditer(body[:800]):
        # a meeting decided or announced for later (会议决定,…全会于7月15日在北京召开) is held elsewhere
        if _DECIDED.search(re.split(r"[。!?\n]", body[: m.start()])[-1]):
            continue
        # a venue may be a 会议室 or 会议中心, never a meeting (在…会议上) nor a moment (在…的关键节点召开),
        # nor the branch venue where some attend (LABELLING: 在某某分会场出席 says not where it is held)
        if not m.group(1).endswith(("会议", "会", "分会场", *_MOMENTS)) and not m.group(1).startswith(("收听", "此", "本")):
            return Found(m.group(1), body_start + m.start(1))
        return None
    return None


_DECIDED = re.compile(rf"决定|{_FUTURE.pattern}")


# 第十二届人民代表大会, 十八届人民代表大会 (乡召开十八届…) say not whose body it is
_TERM_LED = re.compile(r"^第|^[一二三四五六七八九十\d]{1,3}届(?![省市区县州旗镇乡])")
# A session's ordinal (九届十一次常委会议, 十一届二十次常委会会议): the body is the one before it.
_SESSION = re.compile(r"[一二三四五六七八九十\d]+届[一二三四五六七八九十\d]+次")
# A body named with its term that holds numbered meetings (太平街道第三届民主议政会第二次会议).
_NUMBERED_BODY = re.compile(rf"^([{CJK}]{{2,30}}?会)第[一二三四五六七八九十百\d]+次(?:全体)?会议$")
_CONGRESS_OF = re.compile(rf"^([{CJK}]{{2,20}}?){NATIONAL_CONGRESS}$")  # 中国民主促进会第十三次全国代表大会


def _leading_body(name: str) -> str | None:
    """The longest body the name starts with that is no meeting: 县委常委会会议 → 县委常委会,
    县政府党组会议暨理论学习中心组学习会议 → 县政府党组, 市政府第18次常务会议 → 市政府,
    县政协十一届二十次常委会会议 → 县政协, 某乡第十八届人民代表大会第三次会议主席团第二次会议 → the 主席团."""
    best = None
    session = _SESSION.search(name)
    if session and re.fullmatch(rf"[{CJK}]{{2,30}}?(?:{_ORGANIZER_END}|[省市区县州旗盟镇乡])", lead := name[: session.start()]):
        return _TERM.sub("", lead)  # 政协盐城市九届十一次常委会议 → 政协盐城市
    for m in _ORGANIZER_ENDS.finditer(name[:60]):
        if session and m.end() > session.start():
            break
        body = _TERM.sub("", name[: m.end()])
        # 第十二届人民代表大会 (乡召开第十二届…) says not whose body it is
        if ("会议" in name[: m.end()] and not body.endswith("会议主席团")) or "暨" in body \
                or not re.fullmatch(f"[{CJK}]+", body) or _TERM_LED.match(body):
            break
        best = body
    if best is None and (m := _NUMBERED_BODY.match(name) or _CONGRESS_OF.match(name)) and not _TERM_LED.match(m.group(1)):
        best = m.group(1)
    return best


# "区委理论学习中心组召开…", "湖滨街道党工委在某社区会议室召开…" in the body, or a headline "县委召开…会".
_CONVENES = re.compile(rf"(?:^|[,。\n])\s*([{CJK}]{{0,16}}?{_ORGANIZER_END})(?:在[^,。;\n]{{2,20}}?)?{CONVENE}")


# A unit as the subject of the verb (evals/webshaped4/README: the unit is the organizer); a
# development zone is a jurisdiction like a town, not listed.
_UNIT_CONVENES = re.compile(rf"(?:^|[,。\n])\s*((?:(?!在)[{CJK}]){{2,20}}?(?:中学|小学|学校|大学|学院|医院|公司|集团))"
                            rf"(?:在[^,。;\n]{{2,20}}?)?{CONVENE}")


_NATIONAL_AT_START = re.compile(NATIONAL_BODY)
# 国务院在某地召开全国春季农业生产工作会议: the national body convening this meeting
_NATIONAL_CONVENES = re.compile(rf"(?:^|[,。:\n])\s*{_DAY}({NATIONAL_BODY}){_DAY}(?:在[^,。;\n]{{1,20}}?)?{CONVENE}了?")


_PART_OF_BODY = re.compile(rf"[{CJK}]{{0,12}}?(?:委员会|党组(?!织))(?=(?:{_ORDINAL})?(?:全体|扩大)?会议$)")


def national_organizer(name: str | None, body: str, head: str | None = None) -> str | None:
    """The national body a meeting's name starts with (国务院常务会议 → 国务院, 十三届全国政协第十四次
    双周协商座谈会 → 十三届全国政协), or the one that convenes it (国务院…召开全国…会议)."""
    if not name:
        return None
    m = _NATIONAL_AT_START.match(name)
    if m:
        # a national body's party group or committee is the body that meets (全国人大常委会党组会议 →
        # 全国人大常委会党组, 第十四届全国人民代表大会财政经济委员会全体会议 → …财政经济委员会)
        part = _PART_OF_BODY.match(name, m.end())
        return m.group() + part.group() if part else m.group()
    for text in (body[:300], head or ""):
        for m in _NATIONAL_CONVENES.finditer(text):
            after = text[m.end():]  # what _LEADING drops may stand on either side (召开2025年上半年…)
            if after.startswith(name) or after.startswith(_LEADING.sub("", name)) or _LEADING.sub("", after).startswith(name):
                return m.group(1)
    return None


def organizer(name: str | None, body: str, head: str | None = None) -> str | None:
    national = national_organizer(name, body, head)
    if national:
        return national
    if name and not _RELAY.match(name):  # 学习县委…会议精神专题研讨会 starts with what it studies, no body
        b = _leading_body(name)
        if b and b not in body and b not in (head or ""):
            # a name composed across 召开 (区人大常委会召开党组会议): the body as the text writes it
            b = next((b[: m.end()] for m in reversed(list(_ORGANIZER_ENDS.finditer(b)))
                      if b[: m.end()] in body), None)
        # a bare 县委/市委 is a body; a bare 政府/党委 names nobody's
        if b and not b.startswith(("我", "全")) and (len(b) >= 3 or b[0] in "省市区县州旗镇乡"):
            return b
    if name and head and (m := _HEAD_BODY_SITTING.match(head)) and m.group(2) == name:
        return m.group(1)  # 某某指挥部办公室 / 第三次汛期会商研判: the body the headline names
    for text in (body[:600], head or ""):
        found = [_TERM.sub("", m.group(1)) for m in _CONVENES.finditer(text) if not m.group(1).startswith(("我", "全"))]
        if found:
            # the same body named in full later (区党工委… in a title, 开发区党工委… in the body)
            return max((f for f in found if f.endswith(found[0])), key=len)
    for text in (body[:300], head or ""):
        if m := _UNIT_CONVENES.search(text):
            return m.group(1)  # 苍溪中学在学术报告厅召开…: a school, a hospital, a company holds it
    return None
