"""Writing the review folder of a sample: the drawn articles (copied, or linked), their list, and
their records when the corpus has some (they pre-fill the review)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from ..eval.inputs import REVIEW_ARTICLES, REVIEW_LIST
from ..read.decode import DecodeError, decode
from ..read.document import ARTICLE_SUFFIXES, ReadError
from ..read.walk import is_plain_name
from ..run.resume import ResumeIndex
from .sample import Drawn
from .store import RECORDS


class SampleError(RuntimeError):
    """The review folder cannot be written; says why."""


def _suffix(d: Drawn) -> str:
    s = Path(d.item.path).suffix.lower() if d.item.path else ".txt"
    return s if s in ARTICLE_SUFFIXES else ".txt"


def write(drawn: list[Drawn], out: str | Path, link: bool = False, records: Path | None = None,
          meta: dict | None = None, skipped: list | None = None) -> list[dict]:
    """Create OUT with articles/, sample.jsonl and (with records) records.jsonl; returns the list.
    A drawn article that cannot be read (empty, binary, a row without text) is left out, and
    (where, why) goes to `skipped`."""
    out = Path(out)
    if (out / REVIEW_LIST).exists():
        raise SampleError(f"{out} already holds a sample ({REVIEW_LIST}); its reviews would be mixed up: choose another folder")
    arts = out / REVIEW_ARTICLES
    try:
        arts.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SampleError(f"cannot create {arts}: {exc.strerror or exc}") from None
    ids = ResumeIndex()  # the extractor's own rule for two files with one stem: stem__<hash of the path>
    entries = []
    for n, d in enumerate(drawn):
        try:
            data = d.item.content()
            decode(data)  # as the review will read it
        except (ReadError, DecodeError) as exc:
            if skipped is not None:
                skipped.append((d.item.where, str(exc)))
            continue
        # the record's doc_id names files here: only a plain name (a records file may hold a path)
        # and each drawn article its own (two runs' records put together may both say `report`)
        own = d.doc_id if is_plain_name(d.doc_id) else None
        doc_id = ids.unique_id(own or d.item.doc_id, d.item.key, False)
        target = arts / f"{doc_id}{_suffix(d)}"
        try:
            if link and d.item.path:
                os.symlink(os.path.abspath(d.item.path), target)
            elif d.item.path:
                shutil.copyfile(d.item.path, target)
            else:
                target.write_bytes(data)
        except (OSError, ValueError) as exc:
            raise SampleError(f"cannot write {target} from {d.item.where}: {exc}") from None
        entries.append({"doc_id": doc_id, "file": f"{REVIEW_ARTICLES}/{target.name}", "origin": d.item.key,
                        "sha256": hashlib.sha256(data).hexdigest(), "stratum": d.stratum, "stands_for": d.stands_for,
                        "draw_weight": d.draw_weight, "drawn": n, **(meta or {})})
    if records is not None:  # matched by origin as extract wrote it: relative to the records' folder
        _copy_records(records, entries, out / RECORDS, {d.item.origin(Path(records).parent) for d in drawn})
    (out / REVIEW_LIST).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), "utf-8")
    return entries


def _copy_records(records: Path, entries: list[dict], target: Path, origins: set[str]) -> None:
    """The records of the drawn articles, as they are (matched by origin, else doc_id)."""
    ids = {e["doc_id"] for e in entries}
    with open(records, encoding="utf-8-sig", errors="replace") as src, open(target, "w", encoding="utf-8") as dst:
        for line in src:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            origin = rec.get("origin") if isinstance(rec, dict) and isinstance(rec.get("origin"), dict) else {}
            if origin.get("path") in origins or (isinstance(rec, dict) and rec.get("doc_id") in ids):
                dst.write(line if line.endswith("\n") else line + "\n")
