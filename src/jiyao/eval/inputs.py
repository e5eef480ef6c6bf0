"""Reading gold records and prediction files for `jiyao eval`, as untrusted input.

Gold is the reference: a gold file that is not a record stops the eval with an error naming the
file and line. A prediction line that is not a record (bad JSON, not UTF-8, a list, a schema
violation such as an int doc_id or people as strings) is counted and listed with its line
number, and not scored: the schema-valid rate reports it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError

from ..schema import MeetingReport

MAX_LISTED = 50  # invalid prediction lines listed in the report (all are counted)

# A review folder (written by `jiyao sample`, filled by `jiyao review`): the articles drawn, the list
# of them, and gold/ with one record per article reviewed so far. eval and calibrate take it as a
# gold folder; its articles are then the default --articles.
REVIEW_LIST, REVIEW_ARTICLES, REVIEW_GOLD = "sample.jsonl", "articles", "gold"


def is_review_folder(path: str | Path) -> bool:
    return (Path(path) / REVIEW_LIST).is_file()


def gold_folder(path: str | Path) -> Path:
    """The folder of gold records a --gold argument names: itself, or a review folder's gold/."""
    return Path(path) / REVIEW_GOLD if is_review_folder(path) else Path(path)


def articles_folder(gold: str | Path, articles: str | Path | None) -> Path | None:
    """--articles as given, else a review folder's own articles."""
    if articles is not None:
        return Path(articles)
    return Path(gold) / REVIEW_ARTICLES if is_review_folder(gold) else None


class EvalInputError(ValueError):
    """A gold or prediction file that cannot be read at all; the message names file and line."""


def _schema_problem(exc: ValidationError) -> str:
    e = exc.errors()[0]
    where = "/".join(str(x) for x in e["loc"]) or "record"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"schema: {where}: {e['msg']}{more}"


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads(text: str):
    """json.loads, with lone surrogates (`"\\ud800"`: valid JSON, but no UTF-8 file, table or page
    can hold the character) read as U+FFFD, as extract reads them in a table row."""
    data = json.loads(text)
    if not _SURROGATE_ESCAPE.search(text):
        return data
    from ..agent.salvage import clean_all  # here: rare, and the agent's imports are not light

    return clean_all(data)


def parse_record(raw: bytes, multiline: bool = False) -> tuple[dict | None, str | None]:
    """(record, None) or (None, why it is not a record): one definition of "a record" for eval,
    view and export (the schema's)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start})"
    try:
        rec = loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if multiline else f"column {exc.colno}"
        return None, f"bad JSON: {exc.msg} ({where})"
    if not isinstance(rec, dict):
        return None, f"a JSON {type(rec).__name__}, not a record object"
    try:
        MeetingReport.model_validate(rec)
    except ValidationError as exc:
        return None, _schema_problem(exc)
    return rec, None


def load_gold(directory: str | Path) -> dict[str, dict]:
    out, where = {}, {}
    reviewed = is_review_folder(directory)
    directory = gold_folder(directory)
    for p in sorted(Path(directory).glob("*.json")):
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise EvalInputError(f"gold {p}: cannot read: {exc.strerror or exc}") from None
        rec, problem = parse_record(raw.removeprefix(b"\xef\xbb\xbf"), multiline=True)
        if problem:
            raise EvalInputError(f"gold {p}: {problem}")
        doc_id = rec.get("doc_id", p.stem)
        if doc_id in out:  # one would be dropped unseen: a copied file whose doc_id was not changed
            raise EvalInputError(f"gold {where[doc_id]} and {p.name} both hold doc_id {doc_id!r}")
        out[doc_id], where[doc_id] = rec, p.name
    if not out:
        if reviewed:
            raise EvalInputError(f"no article of the review folder {directory.parent} is reviewed yet (jiyao review)")
        raise EvalInputError(f"no gold records (*.json) in {directory}")
    return out


def read_predictions(path: str | Path, duplicates: list | None = None) -> tuple[dict[str, dict], int, int, list[dict]]:
    """(doc_id → record, non-blank lines, schema-valid lines, problems [{line, error}]). A doc_id
    seen before: the later record is scored, and {line, doc_id, first_line} goes to `duplicates`."""
    records, lines, valid, problems, first = {}, 0, 0, [], {}
    try:
        f = open(path, "rb")
    except OSError as exc:
        raise EvalInputError(f"predictions {path}: cannot read: {exc.strerror or exc}") from None
    with f:
        for n, raw in enumerate(f, 1):
            if n == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")  # a BOM written by an editor is not part of the record
            if not raw.strip():
                continue
            lines += 1
            rec, problem = parse_record(raw)
            if problem:
                problems.append({"line": n, "error": problem})
                continue
            valid += 1
            if rec["doc_id"] in first and duplicates is not None:
                duplicates.append({"line": n, "doc_id": rec["doc_id"], "first_line": first[rec["doc_id"]]})
            first.setdefault(rec["doc_id"], n)
            records[rec["doc_id"]] = rec
    return records, lines, valid, problems
