"""`jiyao export`: records JSONL → flat tables analysts can join (CSV, Parquet, DuckDB).

Tables and columns (stable; documented in the README):
  meetings           doc_id, headline, name, date, time_of_day, format, venue, region, admin_code,
                     organizer, outlet, published_date           (one row per record)
  participants       doc_id, person_id, name, titles, roles, order
  upstream_meetings  doc_id, name, order
  slogans            doc_id, slogan, order
  evidence           doc_id, field_path, field, part, start, end, text   (one row per span; `part` 0, 1…
                     numbers the spans of a value composed from several places, 县人大常委会 + 第3次会议)
  people             person_id, name, region, admin_code, titles, first_date, last_date,
                     meetings_attended, doc_ids, resolution
`order` is the 0-based index in the record's list, as in evidence pointers (/people/0/…). List
columns (titles, roles, doc_ids) are lists in Parquet and DuckDB and JSON arrays in CSV cells
(`["副县长|区长"]` is one title: any separator could occur in a title).
`text` is the original file's characters at [start, end) when --articles is given, else the value
(null for a part of a composed value).

CSV cells are text a spreadsheet may open: a cell that would start with a formula character
(`=`, `+`, `-`, `@`, tab, CR, LF, NUL, or their full-width forms) gets a leading `'` (OWASP's CSV
injection advice), and so does a value that starts with `'` itself, so the rule reads back
exactly: a cell starting with `'` holds the value after it. Parquet and DuckDB hold values as they are.

Only the latest record of each article counts (a file changed and extracted again has two).
Records are read twice, streaming: once to resolve people across articles, once to write rows.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from .articles import Articles
from .people import Mention, Person, resolve
from .values import RecordLines, iter_records, values

FORMATS = ("csv", "parquet", "duckdb")
LIST_COLUMNS = {"titles", "roles", "doc_ids"}
COLUMNS = {
    "meetings": ["doc_id", "headline", "name", "date", "time_of_day", "format", "venue", "region", "admin_code",
                 "organizer", "outlet", "published_date"],
    "participants": ["doc_id", "person_id", "name", "titles", "roles", "order"],
    "upstream_meetings": ["doc_id", "name", "order"],
    "slogans": ["doc_id", "slogan", "order"],
    "evidence": ["doc_id", "field_path", "field", "part", "start", "end", "text"],
    "people": ["person_id", "name", "region", "admin_code", "titles", "first_date", "last_date",
               "meetings_attended", "doc_ids", "resolution"],
}
INT_COLUMNS = {"order", "part", "start", "end", "meetings_attended"}


def _date(rec: dict) -> str | None:
    m = rec.get("meeting") or {}
    d = m.get("date") if isinstance(m, dict) else None
    if isinstance(d, str) and len(d) == 10 and d[4] == "-":
        return d
    return (rec.get("source") or {}).get("published_date")


def mentions(records: str | Path) -> list[Mention]:
    out = []
    for _, rec, _ in iter_records(records):
        if rec is None:
            continue
        region = (rec.get("meeting") or {}).get("region") or {}
        for i, p in enumerate(rec.get("people") or []):
            if isinstance(p, dict) and isinstance(p.get("name"), str):
                out.append(Mention(rec["doc_id"], i, p["name"], [t for t in p.get("titles") or [] if isinstance(t, str)],
                                   region.get("name"), region.get("admin_code"), _date(rec)))
    return out


def _rows(records: str | Path, people: list[Person], articles: Articles, bad: list[str],
          superseded: list[int]) -> Iterator[tuple[str, dict]]:
    """Rows of every table; lines that are not records are skipped, their errors added to `bad`;
    older records of an article extracted again are left out (their count added to `superseded`)."""
    pid = {(m.doc_id, m.order): p.person_id for p in people for m in p.mentions}
    lines = RecordLines(records)
    for _, rec, error in lines:
        if rec is None:
            bad.append(error)
            continue
        d = rec["doc_id"]
        m = rec.get("meeting") or {}
        src = rec.get("source") or {}
        reg = m.get("region") or {}
        yield "meetings", {"doc_id": d, "headline": rec.get("headline"), "name": m.get("name"), "date": m.get("date"),
                           "time_of_day": m.get("time_of_day"), "format": m.get("format"), "venue": m.get("venue"),
                           "region": reg.get("name"), "admin_code": reg.get("admin_code"), "organizer": m.get("organizer"),
                           "outlet": src.get("outlet"), "published_date": src.get("published_date")}
        for i, p in enumerate(rec.get("people") or []):
            yield "participants", {"doc_id": d, "person_id": pid.get((d, i)), "name": p.get("name"),
                                   "titles": list(p.get("titles") or []), "roles": list(p.get("roles") or []), "order": i}
        for i, x in enumerate(rec.get("upstream_meetings") or []):
            yield "upstream_meetings", {"doc_id": d, "name": x, "order": i}
        for i, x in enumerate(rec.get("slogans") or []):
            yield "slogans", {"doc_id": d, "slogan": x, "order": i}
        doc = articles.document(rec) if articles.root else None
        for v in values(rec):
            for part, (a, b) in enumerate(v.spans):  # a composed value: one row per part
                text = doc.original[a:b] if doc is not None else (v.value if len(v.spans) == 1 else None)
                yield "evidence", {"doc_id": d, "field_path": v.pointer, "field": v.field, "part": part,
                                   "start": a, "end": b, "text": text}
    for p in people:
        titles = list(dict.fromkeys(t for m in p.mentions for t in m.titles))
        dates = [m.date for m in p.mentions if m.date]
        yield "people", {"person_id": p.person_id, "name": p.name, "region": p.region, "admin_code": p.admin_code,
                         "titles": titles, "first_date": min(dates) if dates else None,
                         "last_date": max(dates) if dates else None,
                         "meetings_attended": len({m.doc_id for m in p.mentions}),
                         "doc_ids": list(dict.fromkeys(m.doc_id for m in p.mentions)), "resolution": p.resolution}
    superseded.append(lines.superseded)


# a cell starting with one of these is a formula to Excel, LibreOffice or Sheets; `'` is ours
_FORMULA_START = tuple("=+-@\t\r\n\0＝＋－＠'")


def csv_cell(value):
    """A value as a CSV cell: lists as JSON arrays, text that could start a formula behind a `'`."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class ExportError(ValueError):
    """An output folder that cannot be used; the message says why."""


class _CsvSink:
    def __init__(self, out: Path):
        self.files = {t: open(out / f"{t}.csv", "w", encoding="utf-8", newline="") for t in COLUMNS}
        self.writers = {t: csv.DictWriter(f, COLUMNS[t]) for t, f in self.files.items()}
        for w in self.writers.values():
            w.writeheader()

    def add(self, table: str, row: dict) -> None:
        self.writers[table].writerow({k: csv_cell(v) for k, v in row.items()})

    def close(self) -> list[Path]:
        for f in self.files.values():
            f.close()
        return [Path(f.name) for f in self.files.values()]


class _ArrowSink:
    """Rows batched into Arrow tables (flat memory); Parquet files or DuckDB tables."""
    BATCH = 20_000

    def __init__(self, out: Path, fmt: str):
        import pyarrow as pa

        self.pa, self.out, self.fmt = pa, out, fmt
        self.schemas = {t: pa.schema([(c, pa.list_(pa.string()) if c in LIST_COLUMNS else
                                       pa.int64() if c in INT_COLUMNS else pa.string()) for c in cols])
                        for t, cols in COLUMNS.items()}
        self.rows: dict[str, list[dict]] = {t: [] for t in COLUMNS}
        if fmt == "parquet":
            import pyarrow.parquet as pq
            self.writers = {t: pq.ParquetWriter(out / f"{t}.parquet", s) for t, s in self.schemas.items()}
        else:
            import duckdb
            self.path = out / "jiyao.duckdb"
            self.path.unlink(missing_ok=True)
            self.db = duckdb.connect(str(self.path))
            for t, s in self.schemas.items():
                self.db.register("empty", s.empty_table())
                self.db.execute(f'CREATE TABLE "{t}" AS SELECT * FROM empty')
                self.db.unregister("empty")

    def add(self, table: str, row: dict) -> None:
        self.rows[table].append(row)
        if len(self.rows[table]) >= self.BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows, self.rows[table] = self.rows[table], []
        if not rows:
            return
        batch = self.pa.Table.from_pylist(rows, schema=self.schemas[table])
        if self.fmt == "parquet":
            self.writers[table].write_table(batch)
        else:
            self.db.register("batch", batch)
            self.db.execute(f'INSERT INTO "{table}" SELECT * FROM batch')
            self.db.unregister("batch")

    def close(self) -> list[Path]:
        for t in COLUMNS:
            self._flush(t)
        if self.fmt == "parquet":
            for w in self.writers.values():
                w.close()
            return [self.out / f"{t}.parquet" for t in COLUMNS]
        self.db.close()
        return [self.path]


def export(records: str | Path, out: str | Path, fmt: str = "csv", articles: str | Path | None = None) -> dict:
    """Write the tables; returns {"files": [...], "rows": {table: n}, "people": n, "bad_lines": n,
    "first_bad_line": error or None, "superseded": older records of re-extracted articles left out}.
    Raises ExportError when OUT cannot be a folder of tables."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder; -o names the folder the tables go to")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the folder {out}: {exc.strerror or exc}") from None
    people = resolve(mentions(records))
    sink = _CsvSink(out) if fmt == "csv" else _ArrowSink(out, fmt)
    counts, bad, superseded = {t: 0 for t in COLUMNS}, [], []
    try:
        for table, row in _rows(records, people, Articles(articles), bad, superseded):
            sink.add(table, row)
            counts[table] += 1
    finally:
        files = sink.close()
    return {"files": [str(f) for f in files], "rows": counts, "people": len(people), "bad_lines": len(bad),
            "first_bad_line": bad[0] if bad else None, "superseded": sum(superseded)}
