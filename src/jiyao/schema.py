"""The record format of SPEC.md v1 as pydantic models.

Field descriptions are the labelling rules in short: the LLM sees them in the JSON schema, so
they are written for the model as much as for people.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from ._version import __version__

SCHEMA_VERSION = "1"
# SPEC's date forms: a publication date is ISO; a meeting date may lack its year (--MM-DD)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MEETING_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|--\d{2}-\d{2}")
Role = Literal["chair", "speaker"]
TimeOfDay = Literal["上午", "中午", "下午", "晚上"]  # SPEC v1.2 adds 中午
Format = Literal["video", "in_person"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    outlet: str | None = Field(None, description="Media outlet named in the dateline (自贡网讯 → 自贡网), a 来源 line or a sign-off naming a media outlet (…网, …报, …融媒体中心, …台). 本报讯/本网讯, departments or unnamed → null.")
    reporters: list[str] = Field(default_factory=list, description="Names after 记者 / 全媒体记者 / 通讯员.")
    photographers: list[str] = Field(default_factory=list, description="Names after 摄影.")
    editors: list[str] = Field(default_factory=list, description="Names after 编辑 / 本条编辑 / 责任编辑.")
    published_date: str | None = Field(None, description="Publication date from the page (发布日期, 来源 line), ISO YYYY-MM-DD, or null.")


class Region(_Model):
    name: str = Field(description="Full place name of the jurisdiction whose meeting it is (自贡市, 南川区), inferred from the text only.")
    admin_code: str | None = Field(None, description="6-digit administrative division code, optional.")


class Meeting(_Model):
    # null only when a meeting is reported but neither body nor headline names it (区委召开常委会)
    name: str | None = Field(description="The meeting's own name as the text gives it (…工作部署会议); from the headline when the body gives none; without leading 我市/我区/全市 and the date.")
    date: str | None = Field(None, description="Meeting date, ISO YYYY-MM-DD when the year is knowable from the text, else --MM-DD.")
    time_of_day: TimeOfDay | None = Field(None, description="上午 | 中午 | 下午 | 晚上 | null (早上/凌晨 → 上午, 傍晚/晚间 → 晚上).")
    format: Format | None = Field(None, description="video (视频/电视电话会议/分会场) | in_person (stated) | null.")
    venue: str | None = Field(None, description="Where it was held, as written, or null.")
    region: Region | None = Field(None, description="Jurisdiction whose meeting it is.")
    organizer: str | None = Field(None, description="Convening body when named (市委, 区疫情防控指挥部…), or null.")


class Person(_Model):
    name: str = Field(description="Full name of a person taking part in THIS meeting, simplified; never a reporter or a merely cited leader.")
    titles: list[str] = Field(default_factory=list, description="Each title as written, split on 、 and commas, in order; a list heading that qualifies several names applies to each.")
    roles: list[Role] = Field(default_factory=list, description="Subset of chair (主持) and speaker (讲话/指出/强调/要求/作部署/作安排/部署工作/发言), sorted; [] when only attending.")

    @field_validator("roles")
    @classmethod
    def _sorted_unique(cls, v: list[str]) -> list[str]:
        return sorted(set(v))


# The closed set a directive's category comes from (anything else is dropped to null by grounding).
DIRECTIVE_CATEGORIES = ("epidemic_control", "safety", "economy", "party_building", "livelihood", "environment",
                        "stability", "publicity", "other")


class Directive(_Model):
    speaker: str | None = None
    text: str
    category: str | None = Field(None, description="One of " + ", ".join(DIRECTIVE_CATEGORIES) + ", or null.")


# The counters every cost record carries: per call chain (llm.CallStats), per record (Usage), per run.
COST_COUNTERS = ("attempts", "calls", "cache_hits", "prompt_tokens", "completion_tokens", "latency_s")


class Usage(_Model):
    """What producing this record cost: written by the pipeline, never by the model."""
    backend: str
    model: str | None = None
    attempts: int = 0
    calls: int = 0
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    prompt_hash: str | None = None
    jiyao_version: str | None = __version__  # what produced the record, for eval reports

    def add(self, other) -> None:
        """Sum the counters of another cost (a Usage, or the LLM layer's CallStats) into this one."""
        for f in COST_COUNTERS:
            setattr(self, f, getattr(self, f) + (getattr(other, f, 0) or 0))


# Evidence of one value: one span [start, end], or, for a value SPEC composes from several places
# in the text (a body and a session around 召开, a date's year from the publication line), the
# list of its parts' spans [[s1, e1], [s2, e2]] in the order the value joins them. One span stays
# [s, e], so readers of single spans keep working.
EvidenceSpans = list[int] | list[list[int]]


def evidence_spans(entry) -> list[tuple[int, int]]:
    """The spans of one evidence entry, single or composed; [] for anything malformed."""
    def ok(x) -> bool:
        return isinstance(x, (list, tuple)) and len(x) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in x)
    if ok(entry):
        return [(entry[0], entry[1])]
    if isinstance(entry, (list, tuple)) and entry and all(ok(x) for x in entry):
        return [(x[0], x[1]) for x in entry]
    return []


def evidence_entry(spans: list) -> list:
    """The evidence entry of one or several spans: [s, e], or [[s1, e1], …]."""
    spans = [list(s) for s in spans]
    return spans[0] if len(spans) == 1 else spans


ValueSource = Literal["rules", "model", "both"]


class Override(_Model):
    """One disagreement between the recognisers and the model, and how the agent settled it."""
    field: str = Field(description="The eval field (people.name, meeting.venue…).")
    value: str | None = Field(None, description="The value that was set aside.")
    kept: str | None = Field(None, description="The value that stands instead (null: none).")
    winner: Literal["rules", "model"] | None = Field(None, description="Whose value stands; null when neither is kept.")
    reason: str


class Confidence(_Model):
    source: ValueSource
    score: float = Field(ge=0, le=1)


class ModelOutcome(_Model):
    """What became of the model's answers for this record (llm and hybrid backends)."""
    status: Literal["ok", "partial", "failed"] = Field(description="ok: every answer valid; partial: some fields or questions dropped, the rest kept; failed: nothing valid (hybrid: the record is the rules' record).")
    reason: str | None = Field(None, description="Why not ok, in one line.")
    dropped: list[str] = Field(default_factory=list, description="JSON pointers into the model's answer of values dropped for breaking the record format (a list where a string belongs, an enum value outside the set).")


class Diagnostics(_Model):
    dropped_ungrounded: list[str] = Field(default_factory=list, description="JSON pointers of values dropped because they were not found in the text.")
    warnings: list[str] = Field(default_factory=list)
    overrides: list[Override] = Field(default_factory=list, description="Hybrid: every value of one source set aside for the other's, with the reason.")
    model: ModelOutcome | None = Field(None, description="llm and hybrid: whether the model's answers were used (null offline).")


class Origin(_Model):
    """Which file a record was made from: resume keys on it (a doc_id is only a file stem)."""
    path: str = Field(description="The file, relative to the output file's folder (absolute outside it); a table row: <table>#<id>.")
    sha256: str = Field(description="SHA-256 of the file's bytes: a changed file is extracted again.")


class MeetingReport(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    doc_id: str
    headline: str | None = None
    source: Source = Field(default_factory=Source)
    meeting: Meeting | None = None
    people: list[Person] = Field(default_factory=list)
    upstream_meetings: list[str] = Field(default_factory=list, description="Named meetings of higher bodies whose spirit is relayed, studied or implemented (传达…会议精神, 收听收看…会议).")
    slogans: list[str] = Field(default_factory=list, description="Policy formulations or campaign terms in Chinese quotation marks, quotes stripped, de-duplicated, in order; not holidays, dates, apps, brands, places or single characters.")
    directives: list[Directive] = Field(default_factory=list)
    evidence: dict[str, EvidenceSpans] = Field(default_factory=dict, description="JSON pointer → [start, end] character offsets into the original file text; [[s1, e1], [s2, e2]…] for a value the format composes from several places (县人大常委会 + 第3次会议 around 召开).")
    usage: Usage | None = None
    diagnostics: Diagnostics | None = None
    confidence: dict[str, Confidence] | None = Field(None, description="Hybrid: JSON pointer → where the value came from and how likely it is right.")
    origin: Origin | None = None


class ExtractedReport(_Model):
    """What the model is asked for: the record less the fields the pipeline owns."""
    headline: str | None = None
    source: Source = Field(default_factory=Source)
    meeting: Meeting | None = Field(None, description="null when the article reports no meeting.")
    people: list[Person] = Field(default_factory=list)
    upstream_meetings: list[str] = Field(default_factory=list, description=MeetingReport.model_fields["upstream_meetings"].description)
    slogans: list[str] = Field(default_factory=list, description=MeetingReport.model_fields["slogans"].description)
    directives: list[Directive] = Field(default_factory=list)
    # Where the recognisers found each value (normalised offsets, keyed by found_key): grounding
    # takes that occurrence, not the first one (范波 in the headline is not 范波 taking part). A
    # model's answer has none; its values are searched for.
    _found_at: dict[str, int] = PrivateAttr(default_factory=dict)


def found_key(field: str, value: str = "") -> str:
    """The key of a recogniser's offset for a value: found_key("people", "范波")."""
    return f"{field}/{value}"
