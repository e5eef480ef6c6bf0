"""`jiyao sample` and `jiyao review` on the command line; the work is in jiyao.review."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

err = Console(stderr=True)


def _fail(message: str) -> None:
    err.print(f"error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(2)


def sample_cmd(
    paths: Optional[list[Path]] = typer.Argument(None, help="Article files or folders, article tables (.jsonl/.parquet with id and text columns)."),
    n: int = typer.Option(40, "-n", help="How many articles to draw."),
    output: Path = typer.Option(..., "-o", "--output", help="The review folder to create (articles/, sample.jsonl; records.jsonl with --records)."),
    by: str = typer.Option("random", "--by", help="random | folder (each source folder or table gets its share) | length (each length band) | confidence (favour articles the extractor doubted; needs --records)."),
    seed: int = typer.Option(0, help="Random seed: the same seed draws the same articles from the same corpus."),
    records: Optional[Path] = typer.Option(None, help="Records of the corpus (jiyao extract): they pre-fill the review, and --by confidence reads their confidence and overrides."),
    link: bool = typer.Option(False, "--link", help="Symlink the drawn files instead of copying them."),
    files_from: Optional[str] = typer.Option(None, "--files-from", help="A file listing article paths, one per line (- for stdin)."),
    follow_symlinks: bool = typer.Option(False, "--follow-symlinks", help="Follow symlinks that lead out of a given folder."),
):
    """Draw N articles of a corpus for labelling into a review folder (then: jiyao review FOLDER)."""
    from ..read.inputs import InputError, iter_items
    from ..review import folder, sample

    if n < 1:
        _fail("-n must be at least 1")
    if not paths and not files_from:
        _fail("give article paths or --files-from")
    if records is not None and not records.is_file():
        _fail(f"not found: {records}")
    try:
        doubts = sample.read_doubts(records) if records else None
        drawn = sample.draw(iter_items(paths or [], files_from, None, follow_symlinks), n, seed, by, doubts)
        unreadable: list = []
        entries = folder.write(drawn, output, link, records, skipped=unreadable)
    except (InputError, ValueError, folder.SampleError, OSError) as exc:
        _fail(str(exc))
    for where, why in unreadable:
        err.print(f"skipped {where}: {why}", markup=False, soft_wrap=True, highlight=False)
    strata: dict[str, int] = {}
    for e in entries:
        strata[e["stratum"]] = strata.get(e["stratum"], 0) + 1
    typer.echo(f"drew {len(entries)} articles ({by}, seed {seed}) into {output}: "
               + ", ".join(f"{k} {v}" for k, v in sorted(strata.items())))
    if unreadable:
        typer.echo(f"{len(unreadable)} drawn article(s) could not be read and were left out (listed above)")
    elif len(entries) < n:
        typer.echo(f"the corpus holds only {len(entries)} readable articles")


def review_cmd(
    folder: Path = typer.Argument(..., help="A review folder made by jiyao sample."),
    records: Optional[list[Path]] = typer.Option(None, help="Records that pre-fill the review (default: the folder's records.jsonl, if any)."),
    port: int = typer.Option(8765, help="Port on 127.0.0.1 (0: any free port)."),
    reviewer: Optional[str] = typer.Option(None, help="Your name in the journal (default: your login name)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the page in the default browser."),
):
    """Review and correct the records of a sample in the browser; gold goes to FOLDER/gold/, each decision saved at once."""
    from ..review.server import ReviewServer
    from ..review.store import ReviewError, Store

    for r in records or []:
        if not r.is_file():
            _fail(f"not found: {r}")
    try:
        store = Store(folder, reviewer, list(records) if records else None)
    except (ReviewError, OSError) as exc:
        _fail(str(exc))
    try:
        server = ReviewServer(store, port)
    except OSError as exc:
        store.close()
        _fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc} (choose another --port)")
    p = store.progress()
    typer.echo(f"reviewing {folder}: {p['reviewed']} of {p['total']} reviewed, "
               f"{len(store.records)} with a record to start from. Open {server.url}  (Ctrl+C stops; every decision is already saved)")
    sys.stdout.flush()
    if open_browser:
        import webbrowser
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.close()
