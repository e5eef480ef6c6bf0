"""Records as Parquet, nested like the JSON, with one Arrow schema derived from MeetingReport: every
part file of a run has the same schema, so `read_parquet('out/part-*.parquet')` (DuckDB, pandas,
Spark) reads them as one table. Needs pyarrow (pip install 'jiyao[dask]' or 'jiyao[tables]')."""
from __future__ import annotations

import json
import types
import typing
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from ..schema import EvidenceSpans, MeetingReport, evidence_spans


def _arrow_type(annotation):
    import pyarrow as pa

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):  # X | None: nullable X
        return _arrow_type(next(a for a in args if a is not type(None)))
    if origin is typing.Literal:
        return pa.string()
    if origin is list:
        return pa.list_(_arrow_type(args[0]))
    if origin is dict:
        if args[1] == EvidenceSpans:  # evidence: JSON pointer → its spans, each [start, end] (schema.evidence_spans)
            return pa.map_(_arrow_type(args[0]), pa.list_(pa.list_(pa.int64())))
        return pa.map_(_arrow_type(args[0]), _arrow_type(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct([(name, _arrow_type(f.annotation)) for name, f in annotation.model_fields.items()])
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    return simple[annotation]


@lru_cache(maxsize=1)
def record_schema():
    import pyarrow as pa

    return pa.schema(list(_arrow_type(MeetingReport)))


def jsonl_to_parquet(src: str | Path, dst: str | Path) -> int:
    """Write the records of a JSONL file as Parquet (written aside, then renamed: never half a file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                # a map is a list of pairs; every entry a list of spans, one or composed
                rec["evidence"] = [(k, [list(x) for x in evidence_spans(v)]) for k, v in (rec.get("evidence") or {}).items()]
                rows.append(rec)
    tmp = Path(str(dst) + ".tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=record_schema()), tmp)
    tmp.replace(dst)
    return len(rows)
