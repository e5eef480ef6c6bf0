"""Roles of SPEC.md for the people found: 主持 → chair; 讲话/指出/强调/要求/作部署/发言 → speaker,
read from the predicate that follows each mention of a participant's name."""
from __future__ import annotations

import re

from .lexicon import CHAIR_RE, CJK, SPEAKER_RE

_SENTENCE = re.compile(r"[^。!?\n]+")
# The honorific after a name that cites a leader (习近平总书记强调…: his words quoted, not said here).
_CITING = ("总书记",)
# 在某某(的)带领下 / 主持下: the person leads or chairs what the sentence's subject does
_LED_BY = re.compile(r"^(?:同志)?的?(带领|率领|领导|指导|主持|陪同)下")


def assign_roles(text: str, people: list) -> None:
    """Adds chair/speaker to the roles of each people.PersonFound."""
    if not people:
        return
    names = sorted((p.name for p in people), key=len, reverse=True)
    name_re = re.compile("|".join(map(re.escape, names)))
    # Skip over coordinated names (X、Y、Z主持…) and a bracketed or trailing title (李某(县长)主持,
    # 张某会长主持): the predicate after the list is shared.
    # Also over a comma list of titled names sharing one predicate (市委常委、秘书长甲,市委常委、组织部部长乙
    # 作重点发言), and a title after the name before any predicate (高某市长强调).
    coord = re.compile(rf"^(?:\([^()]{{0,40}}\)|[{CJK}]{{0,6}}?(?=主持|出席|讲话|强调|指出|要求|发言))?"
                       rf"(?:[、和及与,]\s*(?:[{CJK}A-Za-z\d、]{{0,20}}?)(?:{name_re.pattern}))*")
    by_name = {p.name: p for p in people}
    for m in name_re.finditer(text):
        after = text[m.end(): m.end() + 400]  # a predicate is in the same sentence
        if after.startswith(_CITING):
            continue  # 某某总书记多次发表重要讲话: the leader cited, not speaking at this meeting
        if after.startswith("的"):
            continue  # 某某的报告紧紧围绕…重要讲话: a possessor, whose 报告 does nothing here
        after = after[coord.match(after).end():]
        led = _LED_BY.match(after)
        if led:  # 在镇长某某带领下,班子成员…发言: the sentence's verbs are the others'; 在某某主持下 chairs
            if led.group(1) == "主持":
                by_name[m.group()].roles.add("chair")
            continue
        pred = _predicate(after, name_re)
        if CHAIR_RE.search(pred):
            by_name[m.group()].roles.add("chair")
        if SPEAKER_RE.search(pred):
            by_name[m.group()].roles.add("speaker")
    _pronoun_speakers(text, name_re, by_name)


# 国务院总理某某作政府工作报告。他说,…: a sentence led by a pronoun speaks for the participant last named
# before it (in the sentence before).
_PRONOUN_SAYS = re.compile(r"(?:^|[。!?\n])\s*[他她](?:在[^,。]{0,12}?中)?(?:还|也|进一步)?(?:强调|指出|表示|说|要求)")


def _pronoun_speakers(text: str, name_re: re.Pattern, by_name: dict) -> None:
    for m in _PRONOUN_SAYS.finditer(text):
        before = text[: m.start() + 1]
        last = list(name_re.finditer(before, max(before.rfind("。", 0, len(before) - 1), before.rfind("\n", 0, len(before) - 1)) + 1))
        if last:
            by_name[last[-1].group()].roles.add("speaker")


def _predicate(after: str, name_re: re.Pattern) -> str:
    """The rest of the person's clause; it runs on over commas to the sentence end while the
    following clauses name no other participant (他…,…作了安排)."""
    sent = _SENTENCE.match(after)
    # a space ends the clause, not one inside a book title (以《守正创新 再攀新高》为题作了讲话)
    sent_text = re.split(r"\s(?![^《》]*》)", sent.group())[0] if sent else ""
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
