"""People taking part in the meeting: title sequences joined by 、 followed by names, shared list
headings (区领导…), and the roles SPEC.md names (主持 → chair; 讲话/指出/强调/… → speaker).

Names are recognised by a surname list plus what may follow a name (a verb of taking part, a
separator), never by character count alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import CHAIR_RE, CJK, NAME_FOLLOWERS, NOT_TITLE_WORDS, SPEAKER_RE, ends_with_title, surnames

_SENTENCE = re.compile(r"[^。!?\n]+")
# Two readings of a clause, the first one's titles winning: spaces end a clause; spaces separate
# list items, as scraped lists do (区领导 张三 李四).
_READINGS = ((re.compile(r"[^,;:。!?()\[\]“”\s]+"), re.compile("、")),
             (re.compile(r"[^,;:。!?()\[\]“”\n]+"), re.compile(r"、|[ \t\u3000]+")))
_LEAD = re.compile(r"^\s*(?:(?:出席|参加|列席)(?:会议|本次会议)?的(?:领导)?(?:还)?有|与会(?:领导)?(?:还)?有|会上|会议由|随后"
                   r"|最后|同时|其中|另外|此外|由|并|和|及|与|请|经|对|以及)?\s*")
# A participant named without a title: 由刘强主持 / 刘强同志主持会议 / 刘强主持召开
_UNTITLED = (re.compile(rf"由([{CJK}]{{2,4}}?)主持"),
             re.compile(rf"(?:^|[,。;\n])\s*([{CJK}]{{2,4}}?)(?:同志)?(?:主持|出席|参加)"))
_GROUP_WORDS = frozenset("全体 大家 各位 有关 相关 部分 干部 群众 同志 其他 其余 广大 党员 职工 师生 居民 村民".split())
_CJK_ONLY = re.compile(f"^[{CJK}]+$")
_NOT_IN_NAME = set("的了是会议委市区县省书记长和与及在就等对到也率于主带同作做以部局厅处科组员")
_SHORT_BREAK = set("和与及在就等对到也率于主带同作做以")
_MAX_TITLE = 30  # no title is longer; bounding it keeps a megabyte-long clause linear
_CITED = re.compile(r"^(?:关于|重要|的|同志的|在[^,。]{0,20}的讲话)")


@dataclass
class PersonFound:
    name: str
    titles: list[str]
    start: int  # offset of the name in the text it was found in
    title_starts: list[int] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)


def is_name(s: str) -> bool:
    single, compound = surnames()
    if not (2 <= len(s) <= 4 and _CJK_ONLY.match(s)) or any(c in _NOT_IN_NAME for c in s[1:]):
        return False
    if len(s) >= 3 and s[:2] in compound:
        return True
    return s[0] in single and len(s) <= 3


def _rest_ok(rest: str) -> bool:
    return not rest or rest.startswith(NAME_FOLLOWERS)


def split_name(seg: str) -> tuple[str, str] | None:
    """seg = NAME + REST where REST is empty or starts with a follower word."""
    options = [(L, seg[:L], seg[L:]) for L in (3, 2, 4) if len(seg) >= L and is_name(seg[:L]) and _rest_ok(seg[L:])]
    if not options:
        return None
    # 3-character names are the most common, unless the third character is itself a joiner word.
    options.sort(key=lambda o: (o[0] == 3 and o[1][2] in _SHORT_BREAK, o[0] != 3, o[0]))
    return options[0][1], options[0][2]


def split_title_name(seg: str) -> tuple[str, str, str] | None:
    """seg = TITLE + NAME + REST, the longest title that leaves a valid name."""
    for k in range(min(len(seg) - 2, _MAX_TITLE), 1, -1):
        title = seg[:k]
        if not ends_with_title(title) or any(w in title for w in NOT_TITLE_WORDS):
            continue
        got = split_name(seg[k:])
        if got:
            return title, got[0], got[1]
    return None


def _clean_title(seg: str) -> bool:
    return 2 <= len(seg) <= 24 and ends_with_title(seg) and not any(w in seg for w in NOT_TITLE_WORDS) \
        and bool(_CJK_ONLY.match(seg))


def find_people(text: str) -> list[PersonFound]:
    found: dict[str, PersonFound] = {}
    for clause_re, sep_re in _READINGS:
        for cm in clause_re.finditer(text):
            _clause_people(cm.group(), cm.start(), sep_re, found)
    # 由X主持 / X同志主持: a chair named without a title is still a participant
    for rx in _UNTITLED:
        for m in rx.finditer(text):
            w = m.group(1)
            # 代表/全体/干部 start with a surname character but are not names
            if is_name(w) and w not in found and not ends_with_title(w) and w not in _GROUP_WORDS:
                _add(found, w, [], m.start(1))
    people = sorted(found.values(), key=lambda p: p.start)  # text order
    _assign_roles(text, people)
    return people


def _segments(clause: str, sep_re: re.Pattern) -> list[tuple[int, str]]:
    out, last = [], 0
    for m in sep_re.finditer(clause):
        out.append((last, clause[last: m.start()]))
        last = m.end()
    out.append((last, clause[last:]))
    return [(o, s) for o, s in out if s]


def _clause_people(clause: str, base: int, sep_re: re.Pattern, found: dict[str, PersonFound]) -> None:
    lead = _LEAD.match(clause)
    if lead:
        clause, base = clause[lead.end():], base + lead.end()
    pending: list[tuple[str, int]] = []
    shared: list[tuple[str, int]] | None = None
    for offset, seg in _segments(clause, sep_re):
        seg_start = base + offset
        tn = split_title_name(seg)
        if tn:
            title, name, rest = tn
            titles = pending + [(title, seg_start)]
            if not _CITED.match(rest):
                _add(found, name, titles, seg_start + len(title))
            shared, pending = titles, []
            if rest:
                break
            continue
        nm = split_name(seg)
        if nm and (shared or pending):
            titles = shared if shared else pending
            _add(found, nm[0], titles, seg_start)
            if nm[1]:
                break
            continue
        if _clean_title(seg) and shared is None:
            pending.append((seg, seg_start))
            continue
        break


def _add(found: dict[str, PersonFound], name: str, titles: list[tuple[str, int]], start: int) -> None:
    if name in found:
        return
    found[name] = PersonFound(name, [t for t, _ in titles], start, [s for _, s in titles])


def _assign_roles(text: str, people: list[PersonFound]) -> None:
    if not people:
        return
    names = sorted((p.name for p in people), key=len, reverse=True)
    name_re = re.compile("|".join(map(re.escape, names)))
    # Skip over coordinated names (X、Y、Z主持…): the predicate after the list is shared.
    coord = re.compile(rf"^(?:[、和及与]\s*(?:[{CJK}]{{0,20}}?)(?:{name_re.pattern}))*")
    by_name = {p.name: p for p in people}
    for m in name_re.finditer(text):
        after = text[m.end(): m.end() + 400]  # a predicate is in the same sentence
        after = after[coord.match(after).end():]
        pred = _predicate(after, name_re)
        if CHAIR_RE.search(pred):
            by_name[m.group()].roles.add("chair")
        if SPEAKER_RE.search(pred):
            by_name[m.group()].roles.add("speaker")


def _predicate(after: str, name_re: re.Pattern) -> str:
    """The rest of the person's clause; it runs on over commas to the sentence end while the
    following clauses name no other participant (他…,…作了安排)."""
    sent = _SENTENCE.match(after)
    sent_text = re.split(r"\s", sent.group())[0] if sent else ""
    nxt = name_re.search(sent_text)
    if nxt:
        sent_text = sent_text[: nxt.start()]
    parts = re.split(r"([,;])", sent_text)
    pred = parts[0]
    i = 2
    while not (CHAIR_RE.search(pred) or SPEAKER_RE.search(pred)) and i < len(parts):
        if name_re.search(parts[i]) or parts[i - 1] == ";":
            break
        pred += "," + parts[i]
        i += 2
    return pred
