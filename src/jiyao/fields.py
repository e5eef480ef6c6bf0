"""The record's fields as the eval harness scores them and the agent fuses them, defined once
beside the schema: the scorer, the fusion policy, the agent and the viewer all name fields by
these strings (`people.titles`, `meeting.region`…), and compare values by `key`."""
from __future__ import annotations

from .text import value_key

SCALARS = ["headline", "source.outlet", "source.published_date", "meeting.name", "meeting.date",
           "meeting.time_of_day", "meeting.format", "meeting.venue", "meeting.region", "meeting.organizer"]
LISTS = ["source.reporters", "source.photographers", "source.editors", "upstream_meetings", "slogans"]
PEOPLE = ["people.name", "people.titles", "people.roles"]
FIELDS = SCALARS + LISTS + PEOPLE


def key(v) -> str:
    """A value's comparison form: the record format's one normalisation (text.value_key), so
    `“五一”期间…会议` and `五一期间…会议` score as the same value."""
    return "" if v is None else value_key(str(v))
