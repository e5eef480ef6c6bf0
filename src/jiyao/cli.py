"""Command line: `jiyao extract`, `jiyao eval`, `jiyao noisy`. Thin: the work is in run/pipeline/eval."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .cache import Cache
from .calibrate import calibrate_cmd
from .llm import MODES, EndpointConfig
from .pipeline import ConfigError, Extractor
from .policy import Policy, PolicyError
from .records import OutputLocked, RecordWriter

app = typer.Typer(add_completion=False, no_args_is_help=True, help="jiyao (纪要): grounded records of Chinese meeting reports.")
err = Console(stderr=True)


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Article files or folders (.txt .md .html .htm)."),
    output: Path = typer.Option(..., "-o", "--output", help="JSONL file of records (appended; re-runs skip doc_ids already there)."),
    backend: str = typer.Option("auto", help="auto | offline | llm | hybrid. auto = hybrid with an endpoint, offline without."),
    model: Optional[str] = typer.Option(None, help="Model name [env JIYAO_MODEL]."),
    base_url: Optional[str] = typer.Option(None, help="OpenAI-compatible base URL [env OPENAI_BASE_URL]."),
    api_key: Optional[str] = typer.Option(None, help="API key [env OPENAI_API_KEY].", show_default=False),
    mode: Optional[str] = typer.Option(None, help="instructor mode: tools | json_schema | json | md_json (default: json_schema for local servers, tools otherwise)."),
    concurrency: int = typer.Option(4, help="Requests in flight."),
    cache: Optional[Path] = typer.Option(None, help="SQLite response cache [default: <output>.cache.sqlite]."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the response cache."),
    timeout: float = typer.Option(120.0, help="Per-request timeout, seconds."),
    retry_budget: int = typer.Option(200, help="Fault retries allowed in the whole run."),
    temperature: float = typer.Option(0.0),
    max_tokens: int = typer.Option(2048),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any file failed."),
    policy: Optional[Path] = typer.Option(None, help="Hybrid fusion policy (JSON, from `jiyao calibrate`) (default: trust the rules; the model fills gaps with evidence)."),
    strategy: str = typer.Option("oneshot", help="Hybrid: oneshot (one whole-record prompt) | focused (short questions where the rules are unsure)."),
):
    """Extract one record per article into OUTPUT (JSONL); per-file errors go to OUTPUT.errors.jsonl."""
    cfg = EndpointConfig.from_env(model=model, base_url=base_url, api_key=api_key, mode=mode,
                                  timeout_s=timeout, temperature=temperature, max_tokens=max_tokens)
    if mode and mode not in MODES:
        err.print(f"[red]unknown mode {mode!r}[/]"); raise typer.Exit(2)
    try:
        db = None if no_cache or (backend == "offline" or (backend == "auto" and not cfg.configured)) else \
            Cache(cache or output.with_name(output.name + ".cache.sqlite"))
        extractor = Extractor(backend, cfg, db, concurrency=concurrency, retry_budget=retry_budget,
                              policy=Policy.load(policy) if policy else None, strategy=strategy)
        writer = RecordWriter(output)
    except (ConfigError, OutputLocked, PolicyError) as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2)

    if extractor.backend == "offline" and backend == "auto":
        err.print("[dim]no endpoint configured: using the offline backend (set --model/--base-url for hybrid)[/]")
    t0 = time.monotonic()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(f"extracting ({extractor.backend})", total=None)
        stats = asyncio.run(_run(paths, writer, extractor, concurrency, lambda *_: progress.advance(task)))
    writer.close()
    wall = time.monotonic() - t0
    table = Table(title="jiyao extract", show_header=False)
    for k, v in [("records", stats.records), ("failures", stats.failures), ("calls", stats.calls),
                 ("tokens (prompt+completion)", f"{stats.prompt_tokens}+{stats.completion_tokens}"),
                 ("cache hits", stats.cache_hits), ("wall time", f"{wall:.2f} s"), ("output", str(output))]:
        table.add_row(k, str(v))
    if stats.failures:
        table.add_row("errors", str(writer.errors_path))
    err.print(table)
    if strict and stats.failures:
        raise typer.Exit(1)


async def _run(paths, writer, extractor, concurrency, on_done):
    from .run import run
    try:
        return await run(paths, writer, extractor, concurrency, on_done)
    finally:
        await extractor.aclose()


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Option(..., help="Folder of gold <doc_id>.json records."),
    pred: list[Path] = typer.Option(..., help="Records JSONL; give twice to compare A and B."),
    report: Optional[Path] = typer.Option(None, help="Write report.json, report.md and report.html here."),
    articles: Optional[Path] = typer.Option(None, help="Article folder, to check that evidence offsets point at the values."),
):
    """Score records against gold: strict and partial P/R/F1 per field with 95% bootstrap intervals."""
    from .eval import report as rp

    missing = [str(p) for p in pred if not p.is_file()] + ([] if gold.is_dir() else [f"{gold} (gold folder)"])
    if missing:
        err.print(f"[red]error:[/] not found: {', '.join(missing)}")
        raise typer.Exit(2)
    rep = rp.build(gold, pred, articles)
    for s in rep["systems"]:
        t = Table(title=f"{s['name']} vs {gold} ({rep['n_articles']} articles)")
        for col in ("field", "P", "R", "F1", "95% CI", "partial F1", "gold", "pred"):
            t.add_column(col, justify="right" if col != "field" else "left")
        for f in rep["fields"]:
            m = s["fields"][f]; st = m["strict"]
            t.add_row(f, f"{st['precision']:.3f}", f"{st['recall']:.3f}", f"{st['f1']:.3f}",
                      f"[{st['ci95'][0]:.2f}, {st['ci95'][1]:.2f}]", f"{m['partial']['f1']:.3f}", str(m["n_gold"]), str(m["n_pred"]))
        o = s["fields"]["overall"]["strict"]
        t.add_row("overall", "", "", f"{o['f1']:.3f}", f"[{o['ci95'][0]:.2f}, {o['ci95'][1]:.2f}]", "", "", "")
        Console().print(t)
        g = s["grounding"]
        Console().print(f"schema-valid {s['schema_valid_rate']} · grounding {g['rate'] if g else 'n/a (give --articles)'} · "
                        f"calls {s['usage']['calls']} · cache hits {s['usage']['cache_hits']}")
    for c in rep["comparisons"]:
        t = Table(title=f"{c['b']} − {c['a']} (paired bootstrap)")
        for col in ("field", "ΔF1", "95% CI", "significant"):
            t.add_column(col)
        for f, d in c["fields"].items():
            t.add_row(f, f"{d['diff']:+.3f}", f"[{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}]", "yes" if d["significant"] else "no")
        Console().print(t)
    if report:
        for p in rp.write(rep, report):
            Console().print(f"wrote {p}")


@app.command()
def noisy(
    articles: Path = typer.Option(..., help="Folder of the gold articles."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the variants, one sub-folder each."),
    gold: Optional[Path] = typer.Option(None, help="Only articles with a gold record here."),
):
    """Generate noisy variants of the gold articles (same gold) for a robustness report."""
    from .eval.noise import make

    ids = {p.stem for p in gold.glob("*.json")} if gold else None
    counts = make(articles, output, ids)
    Console().print(json.dumps(counts, ensure_ascii=False))


app.command("calibrate")(calibrate_cmd)


if __name__ == "__main__":
    app()
