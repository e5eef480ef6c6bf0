"""Where a person's name starts and ends.

Three sources, in this order of trust at a given offset:
1. a dotted minority name (阿依古丽·买买提): the dot and the name parts are unambiguous;
2. the NER model's PER span starting there (recognise/ner.py), when the model read that sentence:
   it knows 李长春 and 张和平 are names (长/和 are no name characters to the rules) and that 李大同
   is three characters long where the rules would stop at 李大 before 同;
3. the surname rules: a known surname plus one or two given-name characters, never a character
   that usually joins or ends a phrase.
Who takes part is decided elsewhere (people.py); this module only delimits names.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from .lexicon import CJK, GROUP_WORDS, NAME_DOTS, TIBETAN_NAME_ENDS, TIBETAN_NAME_PARTS, TITLE_ENDINGS, surnames
from .ner import Entity
from .region import word_tag

_CJK_ONLY = re.compile(f"^[{CJK}]+$")
_DOTTED = re.compile(rf"^(?:(?![的之和与及在])[{CJK}]){{1,8}}(?:[{NAME_DOTS}][{CJK}]{{1,8}}){{1,3}}")  # no 的 in a name: 英国的迈克·盖尔
_NOT_IN_NAME = set("的了是会议委市区县省书记长和与及在就等对到也率于主带同作做以部局厅处科组员各副们界院要")  # 成员都要  # 宗教界, 国务院
# Everyday words that begin with a surname character (相关, 国家, 郑重, 巴西): jieba knows them as a part
# of speech no name has, or as a noun or a place far too frequent to be a person (高峰, 文明 are
# tagged nr and stay names). Frequencies are jieba's dictionary counts.
_WORD_TAGS = ("v", "vn", "d", "ad", "a", "an", "c", "p", "r", "m", "t", "q", "f", "u", "nz")
_COMMON, _COMMON_NOUN = 500, 3000
_SHORT_BREAK = set("和与及在就等对到也又率于主带同作做以")


@lru_cache(maxsize=65536)
def is_name(s: str) -> bool:
    """A name by the surname rules alone (the model's names are checked by `Names.ok`)."""
    single, compound = surnames()
    if not (2 <= len(s) <= 4 and _CJK_ONLY.match(s)) or any(c in _NOT_IN_NAME for c in s[1:]):
        return False
    if len(s) >= 3 and s[:2] in compound:
        return True
    return s[0] in single and len(s) <= 3 and not _everyday_word(s) or is_tibetan(s)


def is_tibetan(s: str) -> bool:
    """A Tibetan name: common name parts only (索南才让 = 索南 + 才让, 拉毛措 = 拉毛 + 措), two at least."""
    if len(s) == 3:
        return s[:2] in TIBETAN_NAME_PARTS and (s[2] in TIBETAN_NAME_ENDS)
    return len(s) == 4 and s[:2] in TIBETAN_NAME_PARTS and s[2:] in TIBETAN_NAME_PARTS


# A credit's slot holds a name (作者:韩书瑶, 摄影:旦增尼玛): there a surname-led word may hold characters
# the body's rules distrust (书 of 书记, 长 of 县长), as long as no unit or title word is in it.
_NEVER_IN_NAME = set("的了是议委市区县省局厅处科办院站所队部")


def is_credited_name(s: str) -> bool:
    single, compound = surnames()
    return is_name(s) or is_dotted(s) or (2 <= len(s) <= 3 and bool(_CJK_ONLY.match(s)) and s[0] in single
                                          and not any(c in _NEVER_IN_NAME for c in s[1:]) and not _everyday_word(s)
                                          and s not in GROUP_WORDS and not s.endswith(_TITLE_TAILS))


def _everyday_word(s: str) -> bool:
    """相关 (相关职能部门), 国家 (国家主席), 巴西, 郑重 (郑重地说), 经济 (经济工作): a common word, or a
    three-character candidate that starts with one."""
    flag, freq = word_tag(s[:2])
    if not flag or flag.startswith("nr"):
        return False
    return (flag.startswith(_WORD_TAGS) and freq >= _COMMON) or (flag in ("n", "ns") and freq >= _COMMON_NOUN)


def _surname_led(s: str) -> bool:
    """A known surname first (any length up to 4: 张小明亮 is rare but real, the model may know it)."""
    single, compound = surnames()
    return bool(_CJK_ONLY.match(s)) and (s[0] in single or len(s) >= 3 and s[:2] in compound)


def is_dotted(s: str) -> bool:
    return bool(_DOTTED.match(s)) and _DOTTED.match(s).end() == len(s)


def _plausible(e: Entity) -> bool:
    """A PER span shaped like a person's name: the model also tags 雷锋 in 雷锋精神, which the
    caller's context rules out; here only shape: 2-4 CJK characters (or a dotted name), not a
    surname with a title (江主席) or a name run into a joiner (胡某平等)."""
    return (2 <= len(e.text) <= 4 and bool(_CJK_ONLY.match(e.text)) or is_dotted(e.text)) \
        and e.text not in GROUP_WORDS and not e.text.endswith(_TITLE_TAILS) and not e.text.endswith(("等", "和", "及"))


_TITLE_TAILS = tuple(t for t in TITLE_ENDINGS if len(t) >= 2)


class Names:
    """Name boundaries for one text: rules, plus the model's PER spans (offsets into that text)."""

    def __init__(self, spans: Iterable[Entity] = ()) -> None:
        kept = [e for e in spans if _plausible(e)]
        self._end_at = {e.start: e.end for e in kept}
        self.model_names = frozenset(e.text for e in kept)
        self._accepted: set[str] = set()
        self.guesses = 0  # boundaries the rules had to choose between (see _by_rules)

    def ok(self, s: str) -> bool:
        return s not in GROUP_WORDS and (is_name(s) or s in self.model_names or is_dotted(s) or s in self._accepted)

    def accept(self, s: str) -> None:
        """A name known from its place (an item between two names of a list)."""
        self._accepted.add(s)

    def split(self, seg: str, start: int, rest_ok: Callable[[str], bool],
              prefer: Callable[[str], object] = lambda rest: False) -> tuple[str, str] | None:
        """seg (at offset start) = NAME + REST, where rest_ok(REST); among dotted readings, one
        whose REST satisfies prefer (a predicate of taking part) wins."""
        single, compound = surnames()
        if start not in self._end_at and seg[:1] not in single and seg[:2] not in compound \
                and seg[:2] not in TIBETAN_NAME_PARTS and not any(d in seg[:10] for d in NAME_DOTS):
            return None  # most segments: no name can start here
        dotted = self._dotted(seg, rest_ok)
        for name in sorted(dotted, key=lambda n: not prefer(seg[len(n):]))[:1]:
            return name, seg[len(name):]
        end = self._end_at.get(start)
        if end is not None and end - start <= len(seg) and rest_ok(seg[end - start:]):
            # the model may swallow a two-character verb after a name (韩某起身): a rules reading inside
            # its span whose rest is acceptable wins (王大同出席: 同 alone is no swallowed verb)
            inner = self._by_rules(seg[: end - start], rest_ok) if end - start > 3 else None
            if inner and len(inner[1]) >= 2 and rest_ok(inner[1] + seg[end - start:]):
                return inner[0], inner[1] + seg[end - start:]
            return seg[: end - start], seg[end - start:]
        return self._by_rules(seg, rest_ok)

    @staticmethod
    def _dotted(seg: str, rest_ok: Callable[[str], bool]) -> list[str]:
        """Dotted names with an acceptable rest, shortest first: in 阿依古丽·买买提主持会议 the rest
        主持会议 is acceptable after 买买提, while 买买提主持会议 would swallow the verb; in
        买买提出席 both 买买 + 提出… and 买买提 + 出席 are, which the caller's prefer settles."""
        m = _DOTTED.match(seg)
        if not m or not any(d in m.group() for d in NAME_DOTS):
            return []
        last_dot = max(m.group().rfind(d) for d in NAME_DOTS)
        return [seg[:k] for k in range(last_dot + 2, m.end() + 1) if rest_ok(seg[k:])]

    def _by_rules(self, seg: str, rest_ok: Callable[[str], bool]) -> tuple[str, str] | None:
        options = [(L, seg[:L], seg[L:]) for L in (3, 2, 4) if len(seg) >= L and is_name(seg[:L]) and rest_ok(seg[L:])]
        # Readings the rules would allow but for a character they distrust: 王大同出席 (王大 + 同出席
        # or 王大同 + 出席), 县长张和平讲话 (和 is no name character to them). The model can tell.
        loose = [L for L in (2, 3, 4) if len(seg) >= L and _surname_led(seg[:L]) and rest_ok(seg[L:])]
        self.guesses += len(loose) > 1 or len(loose) > len(options)
        if not options:
            return None
        # 3-character names are the most common, unless the third character is itself a joiner word.
        options.sort(key=lambda o: (o[0] == 3 and o[1][2] in _SHORT_BREAK, o[0] != 3, o[0]))
        return options[0][1], options[0][2]
