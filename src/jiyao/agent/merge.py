"""Answers to several questions about one article (its chunks, or focused questions) as one answer."""
from __future__ import annotations

from ..schema import ExtractedReport


def merge_answers(answers: list[ExtractedReport]) -> ExtractedReport:
    """Chunks' answers in article order: first non-null scalars, lists united without repeats."""
    if len(answers) == 1:
        return answers[0]
    out = answers[0].model_copy(deep=True)
    for a in answers[1:]:
        out.headline = out.headline or a.headline
        if out.meeting is None:
            out.meeting = a.meeting
        for f in ("reporters", "photographers", "editors"):
            cur = getattr(out.source, f)
            cur.extend(x for x in getattr(a.source, f) if x not in cur)
        out.source.outlet = out.source.outlet or a.source.outlet
        out.source.published_date = out.source.published_date or a.source.published_date
        names = {p.name: p for p in out.people}
        for p in a.people:
            if p.name in names:
                q = names[p.name]
                q.titles += [t for t in p.titles if t not in q.titles]
                q.roles = sorted(set(q.roles) | set(p.roles))
            else:
                out.people.append(p); names[p.name] = p
        out.upstream_meetings += [x for x in a.upstream_meetings if x not in out.upstream_meetings]
        out.slogans += [x for x in a.slogans if x not in out.slogans]
        out.directives += a.directives
    return out
