"""Focused hybrid: a few short questions about the fields the rules are unsure of, of the kinds a
small model answers well, instead of one whole-record prompt. An article the rules read fully
costs no call at all.

Three kinds, all answered in one tiny schema (`Reply`: {"answer": …}), so that every question of a
run sends the same system prompt and schema first and an inference server's prefix cache (llama.cpp)
evaluates them once; only the question and its few sentences are new tokens:

- choice: pick one of the candidates the text offers (candidates.py) by letter, or N for none —
  headline, meeting name, venue, outlet, region; the rules' own value is always an option;
- several choices: the letters of every option that fits — upstream meetings among the meeting
  names after a relay cue;
- yes/no about one quoted sentence — was this meeting held by video;
- fill: the names one field asks for, from two or three sentences — reporters from a credit line
  the rules took no name from, participants from sentences with a titled name the rules missed.

A field is asked about when the rules left it empty or their value fails its evidence check
(evidence.py), and the text offers something to choose; at most MAX_QUESTIONS per article, weakest
fields first. Answers become a partial record that goes through grounding and the same fusion as
any answer (fuse.py): a chosen candidate is grounded by construction, and whether it stands is the
evidence's and the policy's call.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, replace

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import candidates as cand
from .evidence import ATTEND_RE, Evidence
from .fuse import Checks, ModelView
from ..ground.spans import Locator, ground
from ..read.document import Document
from ..recognise.lexicon import ANY_CREDIT_WORD, TITLE_ENDINGS, VIDEO_CUE  # defined once there
from ..recognise.people import split_name
from ..schema import ExtractedReport, Meeting, Person, Region, Usage

_SENTENCE = re.compile(r"[^。!?！？\n]+[。!?！？]?")
_TITLE_WORD = re.compile("|".join(map(re.escape, TITLE_ENDINGS)))
_CREDIT = re.compile("|".join(sorted(map(re.escape, ANY_CREDIT_WORD), key=len, reverse=True)))
_VIDEO = re.compile(VIDEO_CUE)
_HELD = re.compile(r"召开|举行|主持|会议")
MAX_QUESTIONS = 4  # per article: each question is a call (seconds on a small local model)
MAX_SENTENCES = 3  # per question: a longer excerpt is a whole-article prompt again
# The question of each field, defined once (scripted test models read them back to know the field).
ASKS = {
    "headline": "Which line is the title of this news report?",
    "meeting.name": "What is the name of the meeting this report is about (not a meeting it relays)?",
    "upstream_meetings": "Which of these are meetings of higher bodies whose spirit this report relays, studies or implements (not the meeting it reports)?",
    "source.outlet": "Which media outlet published this report (named before 讯, after 来源, or in the sign-off)?",
    "source.reporters": "Who are the reporters (记者/通讯员) credited here?",
    "meeting.venue": "Where was the meeting held?",
    "meeting.region": "Whose meeting is it: which jurisdiction (place, or 中国 for a national body)?",
    "meeting.format": "Was the meeting this report is about held by video (视频/电视电话)? (Not a meeting it only watched or relayed.)",
    "people.name": "Which named individuals take part in the meeting in these sentences (chair, speak or attend)? Not reporters, not leaders only cited.",
}
LETTERS = string.ascii_uppercase
NONE = "N"


class Reply(BaseModel):
    """Every focused question's answer: one short value (the letter of a choice, several letters,
    yes or no, or a few names). Whatever shape a small model gives is read leniently."""
    model_config = ConfigDict(extra="ignore")
    # required: an object without it (a whole record, an error) is no answer and is re-asked
    answer: str | list[str] | None = Field(..., description="The option letter (or letters), yes or no, or the names asked for; null when none.")

    @field_validator("answer", mode="before")
    @classmethod
    def _lenient(cls, v):
        if v is None or isinstance(v, str):
            return v
        if isinstance(v, (list, tuple)):
            return [str(x) for x in v if x is not None]
        if isinstance(v, bool):
            return "yes" if v else "no"
        return str(v)


@dataclass(frozen=True)
class Question:
    kind: str  # choice | choices | yes_no | names
    field: str  # the eval field the answer is taken for
    ask: str
    sentences: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    fields: frozenset[str] = field(default=frozenset())  # all eval fields the answer speaks for

    @property
    def excerpt(self) -> str:
        return "\n".join(self.sentences[:MAX_SENTENCES])

    @property
    def text(self) -> str:
        """The question as sent: the question, then its options, then how to answer."""
        if self.kind in ("choice", "choices"):
            opts = "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(self.options))
            how = ("Answer with the letter of the right option, or N if none is right." if self.kind == "choice" else
                   "Answer with the letters of every right option (a list), or [] if none is.")
            return f"{self.ask}\n{opts}\n{NONE}. none of these\n{how}"
        if self.kind == "yes_no":
            return f"{self.ask}\nAnswer yes or no."
        return f"{self.ask}\nAnswer with the names as written, a list ([] if none)."

    def read(self, reply: Reply) -> list[str] | str | None:
        """The value(s) the reply gives: options by letter, yes/no, or names."""
        a = reply.answer
        if self.kind == "choice":
            picks = self._letters(a)
            return picks[0] if picks else None
        if self.kind == "choices":
            return self._letters(a)
        if self.kind == "yes_no":
            s = (a[0] if isinstance(a, list) and a else a or "").strip().lower()
            return "yes" if s.startswith(("y", "是", "对", "true")) else "no"
        names = a if isinstance(a, list) else re.split(r"[、,，;；\s]+", a or "")
        return [n.strip() for n in names if n and n.strip()]

    def _letters(self, a) -> list[str]:
        """Options by letter (B, "B. …", ["A", "C"]), or by their text when a model copies it."""
        items = a if isinstance(a, list) else [a or ""]
        out = []
        for x in items:
            x = str(x).strip()
            hit = next((o for o in self.options if o == x), None)
            letters = [] if hit else re.findall(r"(?<![A-Za-z])([A-Za-z])(?![A-Za-z])", x)
            for letter in letters[:1] if self.kind == "choice" else letters:
                i = LETTERS.find(letter.upper())
                hit = self.options[i] if 0 <= i < len(self.options) else None
                if hit and hit not in out:
                    out.append(hit)
            if hit and hit not in out:
                out.append(hit)
        return out[:1] if self.kind == "choice" else out


def _choice(f: str, ask: str, rules_value: str | None, found: list[str], sentences) -> Question | None:
    """A multiple choice among the text's candidates and the rules' value; None when there is
    nothing to choose (no candidate, or only the rules' own value)."""
    options = list(dict.fromkeys(([rules_value] if rules_value else []) + found))[:cand.MAX_CHOICES]
    if not options or options == [rules_value]:
        return None
    return Question("choice", f, ask, tuple(sentences), tuple(options), frozenset({f}))


def plan(rules: ExtractedReport, doc: Document, ev: Evidence | None = None) -> list[Question]:
    """The questions worth a call for this article, weakest fields first (none when the rules are
    sure of everything the text offers)."""
    ev = ev or Evidence(doc)
    text = doc.norm.text
    sentences = [m.group().strip() for m in _SENTENCE.finditer(text) if m.group().strip()]
    body = [s for s in sentences if "。" in s] or sentences
    checks = Checks(ev, rules, ExtractedReport())

    def unsure(f: str, value) -> bool:
        return value is None or not checks.scalar(f)(value)

    out: list[Question | None] = []
    m = rules.meeting
    head = (rules.headline,) if rules.headline else ()
    if unsure("headline", rules.headline):
        out.append(_choice("headline", ASKS["headline"], rules.headline,
                           cand.headline(text, doc.page_title), body[:1]))
    names = cand.meeting_name(text, rules.headline)
    # unsure, or the text also gives a longer cut of the rules' name (双周协商座谈会 / 十三届全国政协第十四次双周协商座谈会)
    if m is None or unsure("meeting.name", m.name) or any(m.name in n and m.name != n for n in names):
        out.append(_choice("meeting.name", ASKS["meeting.name"], m.name if m else None, names, head + tuple(body[:1])))
    known = {u for u in rules.upstream_meetings}
    relayed = [u for u in cand.upstream(text) if u not in known and (m is None or u != m.name)]
    if relayed:
        where = [s for s in sentences if any(u in s for u in relayed)]
        out.append(Question("choices", "upstream_meetings", ASKS["upstream_meetings"], tuple(where),
                            tuple(relayed[:cand.MAX_CHOICES]), frozenset({"upstream_meetings"})))
    out += _source_questions(rules, text, sentences, unsure)
    if m is not None or names:  # a meeting is reported
        out += _meeting_questions(rules, text, sentences, body, unsure)
    out += _people_question(rules, sentences)
    # every question quotes some of the article (the opening sentence when it needs no other)
    return [q if q.sentences else replace(q, sentences=tuple(body[:1])) for q in out if q is not None][:MAX_QUESTIONS]


def _source_questions(rules: ExtractedReport, text: str, sentences: list[str], unsure) -> list[Question | None]:
    s = rules.source
    out: list[Question | None] = []
    if unsure("source.outlet", s.outlet):
        found = cand.outlet(text)
        where = [x for x in sentences if any(o in x for o in found)][:2]
        out.append(_choice("source.outlet", ASKS["source.outlet"], s.outlet, found, where))
    credited = s.reporters + s.photographers + s.editors
    lines = [x for x in sentences if _CREDIT.search(x) and not any(n in x for n in credited)][:2]
    if lines:
        out.append(Question("names", "source.reporters", ASKS["source.reporters"], tuple(lines), fields=frozenset({"source.reporters"})))
    return out


def _meeting_questions(rules: ExtractedReport, text: str, sentences: list[str], body: list[str], unsure) -> list[Question | None]:
    m = rules.meeting or Meeting(name=None)
    out: list[Question | None] = []
    found = cand.venue(text)
    if found and unsure("meeting.venue", m.venue):
        where = [x for x in sentences if any(v in x for v in found)]
        out.append(_choice("meeting.venue", ASKS["meeting.venue"], m.venue, found, where))
    region = m.region.name if m.region else None
    if unsure("meeting.region", region):
        out.append(_choice("meeting.region", ASKS["meeting.region"], region, cand.meeting_region(text), body[:1]))
    if m.format is None:
        video = [x for x in sentences if _VIDEO.search(x) and _HELD.search(x)]
        if video:
            out.append(Question("yes_no", "meeting.format", ASKS["meeting.format"], tuple(video[:2]),
                                fields=frozenset({"meeting.format"})))
    return out


def _people_question(rules: ExtractedReport, sentences: list[str]) -> list[Question]:
    """Participants from sentences with a verb of taking part and a titled name the rules did not
    take (a list of speakers after the meeting sentence: 委员张三、李四…先后发言), at most three."""
    names = {p.name for p in rules.people}
    unsure = [s for s in sentences if ATTEND_RE.search(s) and any(n not in names for n in _titled_names(s))]
    if not unsure:
        return []
    return [Question("names", "people.name", ASKS["people.name"], tuple(unsure[:MAX_SENTENCES]),
                     fields=frozenset({"people.name"}))]


def _titled_names(sentence: str) -> list[str]:
    """The names right after a title word (县长高志强出席 → 高志强), not a group (主要负责同志作了
    发言) nor a verb (负责人解读了)."""
    out = []
    for m in _TITLE_WORD.finditer(sentence):
        hit = split_name(re.split(r"[,、;:。\s]", sentence[m.end():], maxsplit=1)[0])
        if hit:
            out.append(hit[0])
    return out


def answer_report(answers: list[tuple[Question, Reply]]) -> ExtractedReport:
    """The answers as one partial record (only the asked fields filled)."""
    out = ExtractedReport()
    meeting: dict = {}
    for q, reply in answers:
        v = q.read(reply)
        f = q.field
        if f == "headline":
            out.headline = v
        elif f == "source.outlet":
            out.source.outlet = v
        elif f == "source.reporters":
            out.source.reporters = v
        elif f == "upstream_meetings":
            out.upstream_meetings = v
        elif f == "people.name":
            out.people = [Person(name=n) for n in v]
        elif f == "meeting.format":
            meeting["format"] = "video" if v == "yes" else None
        elif f == "meeting.region":
            meeting["region"] = Region(name=v) if v else None
        else:
            meeting[f.split(".")[1]] = v
    if meeting:
        out.meeting = Meeting(**{"name": None, **meeting})
    return out


async def ask_focused(extractor, doc: Document, rules: ExtractedReport, loc: Locator, usage: Usage,
                      warnings: list[str]) -> tuple[ModelView, list[str]]:
    """Ask each planned question; the answers, grounded, are the model's view of the asked fields."""
    questions = plan(rules, doc)
    if not questions:
        return ModelView(ExtractedReport(), frozenset()), []
    answers = [(q, await extractor._ask(extractor.prompts.ask(q.text, q.excerpt), loc, usage, warnings, Reply,
                                       kind=f"focused:{q.field}"))
               for q in questions]
    g = ground(answer_report(answers), doc, loc)
    return ModelView(g.report, frozenset().union(*(q.fields for q in questions)), partial=True), g.dropped
