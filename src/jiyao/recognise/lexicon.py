"""Word lists the recognisers share: surnames, title endings, the cue verbs of SPEC.md's roles."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from ..read.furniture_lines import BYLINE_BULLETS  # noqa: F401  (the bullets, defined where pages are read)


@lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, compound surnames)."""
    words = [w.strip() for w in files("jiyao").joinpath("data/surnames.txt").read_text("utf-8").splitlines()
             if w.strip() and not w.startswith("#")]
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


# A title ends with one of these (longest first so 副书记 wins over 书记 where it matters).
TITLE_ENDINGS = sorted("""
书记 副书记 常委 委员 主任 副主任 主席 副主席 秘书长 副秘书长 市长 副市长 区长 副区长 县长 副县长
省长 副省长 州长 镇长 乡长 旗长 盟长 部长 副部长 厅长 局长 副局长 处长 科长 组长 副组长 指挥长
总指挥长 副指挥长 总指挥 副总指挥 执行总指挥长 院长 检察长 庭长 司令员 政委 政治委员 领导
党组书记 督察长 总经济师 总工程师 巡视员 调研员 助理 校长 董事长 总经理 经理 所长 站长 队长
会长 理事长 专员 行长 社长 总编辑 台长 主任委员 负责人 成员 代表 教授 副教授 讲师
""".split(), key=len, reverse=True)
_TITLE_END_RE = re.compile("(?:" + "|".join(map(re.escape, TITLE_ENDINGS)) + ")$")

# What may follow a name in a sentence: the verbs of taking part, prepositions, and separators.
NAME_FOLLOWERS = tuple(sorted("""
出席 主持 参加 列席 讲话 指出 强调 要求 部署 作 做 就 在 等 同志 表示 传达 通报 汇报 介绍 发言 宣读
和 与 及 率 带领 一行 对 到 也 分别 代表 说 先后 参会 以 通过 视频 同 听取 提出 总结 围绕 主 带 于
反馈 逐一 点评 召开 组织 分批
""".split(), key=len, reverse=True))

CHAIR_RE = re.compile(r"主持")
# The record's closed values and the words a text or a model uses for them (SPEC v1.2), one table
# each: the recognisers read time words with TIME_OF_DAY, and a model's answer in words instead of
# the format's values (傍晚, 主持, 视频) is mapped with all three (agent/salvage.py).
TIME_OF_DAY = {"上午": "上午", "早上": "上午", "早晨": "上午", "清晨": "上午", "凌晨": "上午", "中午": "中午",
               "下午": "下午", "晚上": "晚上", "晚间": "晚上", "傍晚": "晚上", "晚": "晚上", "深夜": "晚上", "夜间": "晚上",
               "morning": "上午", "noon": "中午", "afternoon": "下午", "evening": "晚上", "night": "晚上"}
ROLE_WORDS = {"主持": "chair", "主持人": "chair", "主持会议": "chair", "host": "chair", "moderator": "chair",
              "讲话": "speaker", "发言": "speaker", "指出": "speaker", "强调": "speaker", "部署": "speaker",
              "要求": "speaker", "致辞": "speaker", "speech": "speaker", "speak": "speaker"}
FORMAT_WORDS = {"视频": "video", "视频会议": "video", "电视电话": "video", "电视电话会议": "video", "线上": "video",
                "网络": "video", "online": "video", "现场": "in_person", "线下": "in_person", "现场会议": "in_person",
                "offline": "in_person", "in person": "in_person", "in-person": "in_person", "onsite": "in_person"}
SPEAKER_RE = re.compile(r"讲话(?!精神)|指出|强调|要求|发了?言|致辞|点评|^(?:[^,。;]{0,12}?)(?<![听据所])说(?![明服])|^表示|作(?:了|出)?(?:[^,。;]{0,8})?(?:部署|安排)|部署(?:[^,。;]{0,4})?工作")

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# Words that look like titles or names but are not people's titles.
NOT_TITLE_WORDS = ("会议", "召开", "出席", "参加", "讲话", "精神", "指出", "强调", "要求", "部署", "主持", "我们", "传达", "贯彻")


def ends_with_title(s: str) -> bool:
    return bool(_TITLE_END_RE.search(s))


# --- Meetings, places and credits (region.py, meeting.py, mentions.py, source.py) ---------------
# Each list is defined here once; the modules compile what they need from it.

# Self-references (SPEC v1.1): 我/全/本 + a level word. 我县 and 全镇 refer to the article's own
# jurisdiction; they are dropped from meeting names and resolved to a place in region.py.
SELF_REF_LEVELS = "市区县州旗镇乡"  # not 省: 全省 names the level above (全省…会议)
SELF_REF = rf"(?:我|全|本)[{SELF_REF_LEVELS}]"
SELF_REF_RE = re.compile(rf"(?:我|全|本)([{SELF_REF_LEVELS}])")

# Division suffixes, longest first (黔东南苗族侗族自治州 ends in 自治州, not 州).
DIVISION_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
                     "新区", "林区", "特区", "地区", "省", "市", "区", "县", "旗", "盟")
# Below the county: towns and streets, named in the text, with no code (SPEC v1.1).
TOWN_SUFFIXES = ("街道", "镇", "乡")
# Units named after the place they belong to (PATTERNS R4-4): a development zone, a school, a hospital,
# a state-owned group (巢湖经开区, 苍溪中学, 宜宾市第二人民医院, 富顺县城乡建设投资集团). The unit's meeting is
# that place's (evals/webshaped4/README: the region is the division the unit's name carries).
PLACE_UNITS = ("经济技术开发区", "经济开发区", "高新技术产业开发区", "高新区", "经开区", "开发区", "工业园区", "产业园区",
               "中学", "小学", "实验学校", "学校", "职业技术学院", "职业中专", "人民医院", "中医院", "医院", "妇幼保健院",
               "集团", "公司")
# A prefecture (地区) is governed by its 地委 and 行署 (阿克苏地委 → 阿克苏地区).
PREFECTURE_BODIES = ("地委", "行署")

# Verbs that relay or study another body's meeting (收听收看…会议, 传达学习…会议精神).
RELAY_VERBS = ("学习贯彻", "贯彻落实", "传达学习", "收听收看", "收看", "收听", "传达", "学习", "贯彻", "落实", "领会")
RELAY = "(?:" + "|".join(RELAY_VERBS) + ")"
RELAY_RE = re.compile(RELAY)
# Verbs that hold a meeting (召开…会议, …会议在…举行), and that attend one.
CONVENE_VERBS = ("主持召开", "召开", "举行", "开幕", "闭幕")
CONVENE = "(?:" + "|".join(CONVENE_VERBS[1:]) + ")"
# A convening body ends with one of these (市防汛抗旱指挥部, 街道党工委, 某乡第十七届人民代表大会).
# A discipline commission (市纪委), a prefecture's committee (阿克苏地委) and a party committee's inspection
# or supervision team (县委第二巡察组, 市国资委第三督导组) convene meetings too (PATTERNS R4-3, R4-7, R4-23).
ORGANIZER_END = (r"(?:指挥部|领导小组|委员会|常委会|政府|党委|党工委|市委|区委|县委|州委|省委|地委|纪委|办公室|工作组|巡察组|督导组|中心组"
                 r"|党组(?!织)|人民代表大会|政协|会议主席团)")
ATTEND_VERBS = ("出席", "参加", "列席", "主持")
# Words for a meeting that name none (此次会议, 其他各项会议, 有关会议): never a meeting's name.
UNNAMED_MEETINGS = ("会议", "专题会议", "视频会议", "电视电话会议", "工作会议", "会", "常务会议", "此次会议", "本次会议",
                    "有关会议", "扩大会议", "全体会议", "全体成员会议")
DEICTIC = ("此次", "本次", "这次", "上述", "该", "其他", "其它", "各项", "各类", "历次", "每次", "下一步", "有关", "相关")

# What a meeting's name ends with. 党的二十大 is a congress named without 会; the X会 forms are
# meetings only with one of these heads (协会, 委员会 are bodies, not meetings).
CONGRESS = r"(?:党的|中共)[一二三四五六七八九十]+大"  # 党的二十大, 中共十九大 (national stories)
MEETING_HEADS = ("推进", "调度", "部署", "座谈", "视频", "专题", "办公", "动员", "生活", "现场", "协调", "联席",
                 "碰头", "培训", "观摩", "研讨", "汇报", "交流", "务虚", "述职", "评议", "总结", "表彰", "分析",
                 "恳谈", "协商", "议事", "讲评", "点评", "推介", "工作", "例")
MEETING_END = "(?:会议|全会|大会|党代会|(?:" + "|".join(sorted(set(MEETING_HEADS), key=len, reverse=True)) + rf")会|{CONGRESS})"

# Credit words (SPEC v1.1), by the source field they fill. 文/图 某某 fills both reporters and
# photographers; a bare 图 is too common a character to be a credit without its slash.
CREDIT_WORDS = {
    "reporters": ("全媒体记者", "融媒体记者", "首席记者", "见习记者", "特约记者", "记者", "通讯员", "撰稿人", "撰稿",
                  "作者", "实习生", "文字", "供稿人"),
    "photographers": ("摄影记者", "摄影", "摄像", "视觉"),
    "editors": ("本条编辑", "责任编辑", "编辑", "责编", "审稿", "审核", "核稿", "编审", "一审", "二审", "三审", "初审", "复审",
                "终审", "值班总编"),
}
ANY_CREDIT_WORD = tuple(w for words in CREDIT_WORDS.values() for w in words)  # 记者, 摄影, 编辑… of any field
# Slashed credits: 文/张三 图/李四, 文/图 张三 (one person, both roles), 图文:张三.
CREDIT_SLASHED = {"文/图": ("reporters", "photographers"), "图/文": ("reporters", "photographers"), "图文": ("reporters", "photographers"),
                  "文/": ("reporters",), "图/": ("photographers",), "文:": ("reporters",), "图:": ("photographers",)}

# A media outlet ends with one of these (自贡网, 嘉兴日报, 平山县融媒体中心); 本报/本网/本台 name none.
OUTLET_SUFFIXES = ("融媒体中心", "新闻中心", "新闻网", "网站", "融媒", "新媒体", "新媒", "日报", "晚报", "早报", "时报", "周刊", "电视台", "广播电视台",
                   "在线", "发布", "网", "报", "台")
# A county news app named 云上 + place (云上孝昌, 云上通城): an outlet without a suffix; a portal's
# brand after its site (红网时刻): the outlet as the page names it.
OUTLET_PREFIX_APP = "云上"
OUTLET_BRANDS = ("时刻",)
OUTLET_SUFFIX = "(?:" + "|".join(sorted(OUTLET_SUFFIXES, key=len, reverse=True)) + ")"
NOT_OUTLETS = ("本报", "本网", "本台", "本刊")
# A page's meta line (its date is the page's, never the meeting's): 来源/发布时间/浏览 lines, a forum's
# 发布者/查看/评论 line, a digital paper's 第A03版 line.
PAGE_META_RE = re.compile(r"来源[::]|作者[::]|发布(?:时间|日期|者)|责任编辑|浏览|阅读|查看[::]|点击|发表于|上\s?载\s?日\s?期"
                          r"|第[A-Z\d]{1,4}版")
# ---- people lists (recognise/people.py, recognise/names.py) ----
# More titles met in real pages' participant lists (全国人大常委会副委员长…, 大会执行主席 ends in 主席).
PEOPLE_TITLE_ENDINGS = ("委员长", "副委员长", "常务主席", "召集人", "团长", "副团长", "理事", "监事", "总监", "主委",
                        "总理", "副总理", "外长", "大使", "参赞", "领事", "院士", "上将", "中将", "少将", "领导人", "署长")  # 党和国家领导人, 海关总署署长
# After a name, a time word may come before the verb (院长某某今天在…作报告, 县长某某昨日出席…).
TIME_FOLLOWERS = ("今天", "今日", "昨天", "昨日", "当天", "日前", "近日")
# Followers of a name beyond NAME_FOLLOWERS: 县长吴某应邀出席, 张某莅临, 李某还强调.
PEOPLE_FOLLOWERS = tuple(sorted("应邀 受邀 莅临 到会 亲临 陪同 就座 致辞 主讲 领学 还 又 为总监票人 关于 再次 首先 随后 一同 共同 列席 参会 "
                                "来到 前往 深入 看望 调研 检查 督导 察看 走访 结合 围绕 所作 先生 女士 起身 起立 宣誓".split() + list(TIME_FOLLOWERS),
                                key=len, reverse=True))
# Broadcast style puts the day between a name and its verb (国务院总理某某16日主持召开, 某某今天出席).
DAY_AFTER_NAME = r"(?:(?:\d{1,2}月)?\d{1,2}[日号](?:至\d{1,2}[日号])?|今天|今日|昨天|昨日|当天)(?:上午|下午|晚上|晚间)?"
# A predicate of taking part in this meeting, right after a name or a name list (cited leaders are
# followed by 重要讲话/强调/指出 and the like, never by these): 张某、李某出席 / 等县领导出席 /
# 在分会场参加会议 / 同志主持 / 应邀出席; and at a session's election (national README): 甲、乙为总监票人,
# 甲、乙分别同某某握手.
PARTAKE = ("(?:同志|先生|女士)?(?:一行)?(?:" + DAY_AFTER_NAME + ")?(?:应邀|受邀|也|还|又|分别|一同|共同)?(?:在(?:会上|会议上|主会场|[^,。;]{0,16}?分会场|主席台[^,。;]{0,4}?)|于[^,。;]{0,10}?)?"
           "(?:出席|主持|参加|列席|参会|就座|到会|莅临|(?:讲话|致辞|发言|发了言)(?!精神|稿)|领学|作[^,。;]{0,12}?(?:报告|讲话|部署|安排|发言|说明|辅导)"
           "|为总?监票人|同[^,。;]{1,30}?握手)")
# Every clause holding a participant has one of these words or a title word (a cheap first look).
PARTAKE_WORDS = "出席|主持|参加|列席|参会|就座|到会|莅临|讲话|致辞|发言|发了言|报告|部署|安排|说明|领学|辅导|监票人|握手"
# An organisation written before a participant's name is their title (national README: 某某研究中心
# 张某、某某集团李某等发言): it ends so.
ORG_SUFFIXES = tuple(sorted("""公司 集团 中心 大学 学院 研究院 研究所 科学院 工程院 银行 协会 商会 学会 工商联 联合会 医院 出版社
报社 基金会 实验室 事务所 研究会 促进会""".split(), key=len, reverse=True))
# Dots inside minority names (阿依古丽·买买提), as pages type them.
NAME_DOTS = "·•・‧"
# Tibetan names have no surname: they are made of these common parts (格桑次旦, 索南才让, 旦增尼玛,
# 拉毛措), a short part perhaps ending them (PATTERNS R4-10: pages from Tibet, Qinghai, Gansu, Sichuan).
TIBETAN_NAME_PARTS = frozenset("""
扎西 次仁 旦增 丹增 尼玛 央金 卓嘎 卓玛 罗布 格桑 达瓦 拉姆 多吉 平措 德吉 索朗 普布 边巴 次旦 洛桑 顿珠 巴桑 白玛
央宗 曲珍 拉巴 仁青 益西 群培 强巴 嘎玛 阿旺 欧珠 米玛 琼达 玉珍 加措 嘉措 才让 索南 拉毛 多杰 更登 公保 贡保 完玛
旦正 华旦 扎巴 桑杰 仁增 措姆 德庆 次珍 旺堆 旺姆 拉珍 琼珠 贡布 土登 顿旦 普琼 巴珠 泽仁 泽郎 降央 根秋 尕藏 才旦
周措 吉美 桑珠 朗杰 拉杰 贡嘎 仁措 卓措 达娃 巴桑 曲措 德央 央拉 次德 群宗 索珍 扎巴 旺久 坚参 单增 罗桑 卓杰
""".split())
TIBETAN_NAME_ENDS = "措吉姆珍嘎杰布"
# Words that start with a surname character but name a group, not a person.
GROUP_WORDS = frozenset("全体 大家 各位 有关 相关 部分 干部 群众 同志 其他 其余 广大 党员 职工 师生 居民 村民 代表 委员 成员 "
                        "党总支 党支部 党工委 党小组 党中央 班子".split())

# ---- national stories (meeting.py, region.py, people.py) ----
# Bodies of the national level that convene meetings, longest first; a term may stand before them
# (十三届全国政协, 第十四届全国人大常委会). Their meetings are the country's (SPEC v1.2: region 中国).
NATIONAL_BODIES = tuple(sorted("""
中共中央政治局常务委员会 中共中央政治局常委会 中共中央政治局 中央政治局常委会 中央政治局 中共中央书记处 中共中央 国务院
全国人大常委会 全国人民代表大会常务委员会 全国人大 全国人民代表大会 全国政协常委会 全国政协 中央军委 中央纪委常委会 中央纪委
国家监委 全国工商联 全国总工会 全国妇联
""".split(), key=len, reverse=True))
_TERM_BEFORE = "(?:第?[一二三四五六七八九十]{1,3}届)?"
# A central commission, leading group or department of the party (二十届中央国家安全委员会, 中央全面深化改革
# 委员会, 中共中央统战部, 中央军委政治工作部): before the list, so that the longest body is read, never
# across a meeting's name (中央经济工作会议部署 is no department).
_CENTRAL_ORGAN = rf"{_TERM_BEFORE}(?:中共)?中央(?:(?!会议)[{CJK}]){{2,8}}?(?:部|委员会|领导小组)"
# (中国人民政治协商会议|政协)第十三届全国委员会 and 第十四届全国人民代表大会 hold 会议/大会 inside the body's
# name; a democratic party's central committee (某某同盟第十届中央委员会) is a national body too.
NATIONAL_BODY = (rf"(?:(?:中国人民政治协商会议|政协)第[一二三四五六七八九十]{{1,3}}届全国委员会(?:常务委员会)?"
                 rf"|全国(?:政协|人大)第?[一二三四五六七八九十]{{1,3}}届(?:常委会|常务委员会)"  # 全国政协十四届常委会
                 rf"|{_CENTRAL_ORGAN}|{_TERM_BEFORE}(?:{'|'.join(NATIONAL_BODIES)})"
                 rf"|[{CJK}]{{2,12}}?第[一二三四五六七八九十]{{1,3}}届中央(?:常务)?委员会)")
# A meeting whose name starts so is the country's when no place says otherwise (中央经济工作会议,
# 第八次全国对口支援新疆工作会议): 中央/全国 give the scope, not a body (no organizer).
NATIONAL_SCOPE = r"^(?:第[一二三四五六七八九十百\d]{1,5}次)?(?:全国|中央)"
# A party's or an association's national congress (中国民主促进会第十三次全国代表大会, 中国共产党第二十次全国
# 代表大会): the country's meeting, convened by the body its name starts with.
NATIONAL_CONGRESS = r"第[一二三四五六七八九十百\d]{1,4}次全国代表大会"
# An international body's or summit's meeting (a leaders' meeting: 第九次中日韩领导人会议) is no country's
# (national README: region null), though a national leader attends it.
INTERNATIONAL = r"联合国|安理会|国集团|峰会|领导人会议|上海合作组织|金砖|东盟|亚太经合|欧盟|非盟|世界卫生组织|世界贸易组织"
# A bilateral mechanism China holds with another country, co-chaired by both sides (中俄投资合作委员会第十一次
# 会议, 中欧高级别经贸对话, 中新双边合作联合委员会): no country's meeting either (national README: region
# null). 中 and the other country's one-character short name start its name, a word of a mechanism
# follows (中老年…座谈会, 中日友好医院… are no such thing).
BILATERAL = (r"^中(?:国(?:和|同|与|—|-))?[俄美欧日韩德法英意印巴哈乌吉塔越老柬泰缅蒙尼埃沙伊新澳加墨智秘古非阿]"
             rf"[{CJK}]*?(?:委员会|对话|磋商|会晤|机制|合作)")
# Titles only national leaders hold: a meeting they chair or address with no place of its own named
# is the country's (a chairman's talk with deputies).
NATIONAL_TITLES = ("中共中央总书记", "国家主席", "中共中央政治局常委", "中央政治局常委", "中共中央政治局委员", "中央政治局委员",
                   "国务院总理", "国务院副总理", "国务委员",
                   "全国人大常委会委员长", "全国人大常委会副委员长", "全国政协主席", "全国政协副主席", "中央书记处书记",
                   "中央军委主席", "国家副主席")
# Single-character short names of cities a national story meets in (在京召开 → venue 京).
CITY_ABBREVIATIONS = "京沪津渝穗蓉港澳"
# A session's officers: 某某会议主席团常务主席, 大会秘书长 — 会议 inside them names no meeting.
SESSION_OFFICE = r"会议(?=主席团|秘书处|秘书长|副秘书长|执行主席)"

# How a report says a meeting was held by video, and in person (the rules' meeting_format, the
# agent's evidence and its yes/no question read the same words): a bare 视频 is not one of them
# (a page's [视频] tag, 观看视频, 视频通话).
VIDEO_CUE = r"视频会议|电视电话会议|视频形式|视频方式|分会场|视频连线|网络视频|视频调度"
IN_PERSON_CUE = r"线下召开|现场召开|以现场会形式"
