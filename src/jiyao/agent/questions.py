"""Focused hybrid: short questions about what the rules are unsure of, each with only the sentences
that matter, instead of one whole-record prompt. Small models answer these far better than they
fill a schema, and an article the rules read fully costs no call at all.

Where the rules are unsure:
- people: a sentence with a verb of taking part and a title word (县委副书记…出席) where the rules
  found nobody, or a person the rules found without a title;
- meeting: a field the rules left empty although the text reports a meeting (召开/举行…会);
- upstream meetings: a relay sentence (传达学习…会议精神) the rules took nothing from;
(Quoted terms are not asked about: a slogan the model adds must pass the recognisers' own
exclusions anyway, see evidence.py.)
- source: a credit word (记者/摄影/编辑) the rules took no name from, a dateline …讯 without an outlet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from .fuse import ModelView
from .merge import merge_answers
from .evidence import ATTEND_RE
from ..ground.spans import Locator, ground
from ..read.document import Document
from ..recognise.lexicon import ANY_CREDIT_WORD, NOT_OUTLETS, RELAY, TITLE_ENDINGS  # defined once there
from ..recognise.people import split_name


from ..schema import ExtractedReport, Meeting, Person, Source, Usage

_SENTENCE = re.compile(r"[^。!?！？\n]+[。!?！？]?")
_TITLE_WORD = re.compile("|".join(map(re.escape, TITLE_ENDINGS)))
# a relay cue, a meeting's name, then 精神 or 后: 传达学习省委常委会(扩大)会议精神
_RELAY = re.compile(RELAY + r"了?([^,。;]{4,60}?(?:会议|全会|大会|例会|会|[一二三四五六七八九十]大))(?:精神|后)")
_LEADING_CUES = re.compile(rf"^(?:{RELAY}|了|好)+")
_GENERIC = re.compile(r"^(?:此次|本次|这次|上述|该|有关|相关|会议|各级)")
_DATELINE = re.compile(r"([\u4e00-\u9fff]{2,12})讯")
_CREDIT = re.compile("|".join(sorted(map(re.escape, ANY_CREDIT_WORD), key=len, reverse=True)))
_HELD = re.compile(r"召开|举行")
MAX_SENTENCES = 8  # per question: a longer excerpt is a whole-article prompt again
_PEOPLE = frozenset({"people.name", "people.titles", "people.roles"})


class _Answer(BaseModel):
    """A question's answer schema: only the asked part of the record (a few hundred characters of
    schema in the prompt instead of the whole record's thousands); unknown keys are ignored."""
    model_config = ConfigDict(extra="ignore")


class PeopleAnswer(_Answer):
    people: list[Person] = Field(default_factory=list)


class MeetingAnswer(_Answer):
    meeting: Meeting | None = None


class UpstreamAnswer(_Answer):
    upstream_meetings: list[str] = Field(default_factory=list, description=ExtractedReport.model_fields["upstream_meetings"].description)


class SourceAnswer(_Answer):
    source: Source = Field(default_factory=Source)


@dataclass(frozen=True)
class Question:
    fields: frozenset[str]  # the eval fields the answer is taken for
    ask: str
    sentences: tuple[str, ...]
    answer: type[_Answer]

    @property
    def excerpt(self) -> str:
        return "\n".join(self.sentences[:MAX_SENTENCES])


def plan(rules: ExtractedReport, doc: Document) -> list[Question]:
    """The questions worth a call for this article (none when the rules are sure of everything)."""
    sentences = [m.group().strip() for m in _SENTENCE.finditer(doc.norm.text) if m.group().strip()]
    out: list[Question] = []
    names = [p.name for p in rules.people]
    untitled = [p.name for p in rules.people if not p.titles]
    unsure = [s for s in sentences if ATTEND_RE.search(s) and _titled_name(s) and not any(n in s for n in names)]
    unsure += [s for s in sentences if any(n in s for n in untitled) and s not in unsure]
    if unsure:
        out.append(Question(_PEOPLE, "Question: which named individuals take part in the meeting reported in these "
                                     "sentences (chair, speak or attend)? For each give the full name, every title as "
                                     "written before the name (县委副书记、县长高志强 → [县委副书记, 县长]) and roles "
                                     "(chair = 主持; speaker = 讲话/指出/强调/要求/部署). Not reporters, not cited leaders. "
                                     "Answer in `people`.", tuple(unsure), PeopleAnswer))
    m = rules.meeting
    if m is None or m.name is None or m.date is None:
        held = [s for s in sentences if _HELD.search(s) and "会" in s][:3]
        if held:
            fields = frozenset({"meeting.name", "meeting.date", "meeting.time_of_day", "meeting.venue", "meeting.organizer"}
                               if m is None else {f"meeting.{a}" for a in ("name", "date", "time_of_day") if getattr(m, a) is None})
            head = (rules.headline,) if rules.headline else ()
            out.append(Question(fields, "Question: what meeting does this report describe? Give in `meeting` its name "
                                        "as written (without 我市/我区 and the date), its date (YYYY-MM-DD, or --MM-DD "
                                        "when no year is written), time of day, venue and convening body.",
                                head + tuple(held), MeetingAnswer))
    relay = [s for s in sentences if any(not _GENERIC.match(_LEADING_CUES.sub("", m.group(1))) for m in _RELAY.finditer(s))
             and not any(u in s for u in rules.upstream_meetings)]
    if relay:
        out.append(Question(frozenset({"upstream_meetings"}), "Question: which named meetings of higher bodies are "
                            "relayed, studied or implemented in these sentences (传达学习…会议精神)? Answer in "
                            "`upstream_meetings`, names exactly as written.", tuple(relay), UpstreamAnswer))
    out += _source_question(rules, sentences)
    return out


def _titled_name(sentence: str) -> bool:
    """A title word followed by something that reads as a name (县长高志强出席), not a group
    (主要负责同志作了发言) nor a verb (负责人解读了)."""
    return any(split_name(re.split(r"[,、;:。\s]", sentence[m.end():], maxsplit=1)[0])
               for m in _TITLE_WORD.finditer(sentence))


def _source_question(rules: ExtractedReport, sentences: list[str]) -> list[Question]:
    s = rules.source
    credited = s.reporters + s.photographers + s.editors
    lines = [x for x in sentences if _CREDIT.search(x) and not any(n in x for n in credited)]
    fields = {"source.reporters", "source.photographers", "source.editors"} if lines else set()
    named = [x for x in sentences[:3] if (m := _DATELINE.search(x[:24])) and not m.group(1).startswith(NOT_OUTLETS)]
    if s.outlet is None and named:
        lines += [x for x in named if x not in lines]
        fields.add("source.outlet")
    if not fields:
        return []
    return [Question(frozenset(fields), "Question: who are the reporters (记者/通讯员), photographers (摄影) and editors "
                                        "(编辑) credited here, and which media outlet is named before 讯? Answer in "
                                        "`source`.", tuple(lines), SourceAnswer)]


async def ask_focused(extractor, doc: Document, rules: ExtractedReport, loc: Locator, usage: Usage,
                      warnings: list[str]) -> tuple[ModelView, list[str]]:
    """Ask each planned question; the answers, grounded, are the model's view of the asked fields."""
    questions = plan(rules, doc)
    if not questions:
        return ModelView(ExtractedReport(), frozenset()), []
    answers = [ExtractedReport.model_validate((await extractor._ask(extractor.prompts.ask(q.ask, q.excerpt), loc, usage,
                                                                    warnings, q.answer)).model_dump())
               for q in questions]
    # each answer is read only for the fields its question asked
    kept = [_only(a, q.fields) for a, q in zip(answers, questions)]
    g = ground(merge_answers(kept), doc, loc)
    return ModelView(g.report, frozenset().union(*(q.fields for q in questions)), partial=True), g.dropped


def _only(answer: ExtractedReport, fields: frozenset[str]) -> ExtractedReport:
    out = ExtractedReport()
    if fields & _PEOPLE:
        out.people = answer.people
    if "upstream_meetings" in fields:
        out.upstream_meetings = answer.upstream_meetings
    for f in fields:
        if f.startswith("source."):
            setattr(out.source, f.split(".")[1], getattr(answer.source, f.split(".")[1]))
    if any(f.startswith("meeting.") for f in fields) and answer.meeting is not None:
        out.meeting = answer.meeting
    return out
