"""Command line: extract, calls, eval, view, export, schema, noisy, calibrate, sample, review, batch, distributed. Thin: the work
is in run/pipeline/eval/view; each command imports what it needs when it runs."""
from __future__ import annotations

import json
import logging
import re
import sqlite3
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import logs, settings
from ..settings import Backend, Mode, Strategy
from .._version import __version__
from ..agent.endpoint import EndpointConfig
from .checks import check, check_base_url, utf8_safe_streams

# The pipeline, recognisers and LLM stack are imported inside the commands that use them:
# `jiyao --help` and `jiyao --version` load none of them.

# a traceback never prints a frame's locals: they hold the API key (--api-key, the endpoint config)
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_show_locals=False,
                  context_settings={"show_default": True}, help="jiyao (纪要): grounded records of Chinese meeting reports.")
err = Console(stderr=True)
log = logging.getLogger("jiyao")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jiyao {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Only errors: no progress bar, no summary."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log lines (-v info, -vv debug, instructor's own included)."),
):
    """jiyao (纪要): grounded records of Chinese meeting reports."""
    utf8_safe_streams()
    logs.configure(-1 if quiet else verbose)


@app.command()
def extract(
    paths: Optional[list[Path]] = typer.Argument(None, help="Article files or folders (.txt .md .html .htm), article tables (.jsonl/.parquet with id and text columns); - reads one article from stdin."),
    output: Path = typer.Option(..., "-o", "--output", help="JSONL file of records (appended; a re-run skips files whose path and content already have a record); - writes to stdout."),
    backend: Backend = typer.Option("auto", help="auto = hybrid when an endpoint is configured, offline when none is."),
    model: Optional[str] = typer.Option(None, envvar=settings.ENV_MODEL, help="Model name."),
    base_url: Optional[str] = typer.Option(None, envvar=settings.ENV_BASE_URL, help="OpenAI-compatible base URL."),
    api_key: Optional[str] = typer.Option(None, envvar=settings.ENV_API_KEY, help="API key.", show_default=False),
    mode: Optional[Mode] = typer.Option(None, help="instructor mode (default: json_schema for local servers, tools otherwise)."),
    concurrency: int = typer.Option(settings.CONCURRENCY, help="Requests in flight."),
    cache: Optional[Path] = typer.Option(None, help="SQLite response cache (default: <output>.cache.sqlite)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the response cache."),
    timeout: float = typer.Option(settings.TIMEOUT_S, help="Per-request timeout, seconds (total, not per read)."),
    retry_budget: Optional[int] = typer.Option(settings.RETRY_BUDGET, help="Fault retries allowed in the whole run (default: 20, plus 1 per 2 articles)."),
    rpm: Optional[int] = typer.Option(None, help="Requests-per-minute limit of the endpoint."),
    tpm: Optional[int] = typer.Option(None, help="Tokens-per-minute limit (prompt estimate + max tokens)."),
    max_calls: int = typer.Option(EndpointConfig.max_calls, help="Calls one article may make (chunks × attempts); longer articles are refused."),
    temperature: float = typer.Option(settings.TEMPERATURE, help="Sampling temperature."),
    max_tokens: int = typer.Option(settings.MAX_TOKENS, help="Most tokens in one answer."),
    prompts: Optional[Path] = typer.Option(None, "--prompts", help="Folder with system.j2, user.j2 and fewshot.yaml (default: the shipped prompts)."),
    calls: Optional[Path] = typer.Option(None, "--calls", help="SQLite log of every model call (default: <output>.calls.sqlite; none for -o - unless given). Read it with `jiyao calls`."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any file failed, or any record was written without a valid model answer (hybrid: the rules' record)."),
    workers: int = typer.Option(0, "--workers", help="Offline: worker processes (0 = every core)."),
    files_from: Optional[str] = typer.Option(None, "--files-from", help="A file listing article paths (or tables), one per line (- for stdin); relative paths are taken from the working directory, not from the list's folder."),
    shard: Optional[str] = typer.Option(None, "--shard", help="i/N: only the articles whose id falls in shard i of N (split a corpus across machines)."),
    follow_symlinks: bool = typer.Option(False, "--follow-symlinks", help="Follow symlinks that lead out of a given folder."),
    policy: Optional[Path] = typer.Option(None, help="Hybrid fusion policy (JSON, from `jiyao calibrate`) (default: trust the rules; the model fills gaps with evidence)."),
    strategy: Strategy = typer.Option("oneshot", help="Hybrid: oneshot (one whole-record prompt) or focused (short questions where the rules are unsure)."),
):
    """Extract one record per article into OUTPUT (JSONL); per-file errors go to OUTPUT.errors.jsonl."""
    import asyncio

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ..agent.cache import Cache
    from ..agent.calllog import CallLog, default_path
    from ..read.inputs import InputError, count_items, iter_items, parse_shard
    from ..run.extractor import ConfigError, Extractor
    from ..agent.policy import Policy, PolicyError
    from ..run.records import OutputError, OutputLocked, RecordWriter, StreamWriter
    from ..run.folder import run_offline
    from ..read.walk import stdin_article

    check(concurrency=concurrency, timeout=timeout, rpm=rpm, tpm=tpm, max_calls=max_calls, temperature=temperature,
          max_tokens=max_tokens, retry_budget=retry_budget, workers=workers)
    cfg = EndpointConfig.from_env(model=model, base_url=base_url, api_key=api_key, mode=mode.value if mode else None,
                                  timeout_s=timeout, temperature=temperature, max_tokens=max_tokens, rpm=rpm, tpm=tpm,
                                  max_calls=max_calls)
    chosen = settings.resolve_backend(backend.value, cfg.configured)
    if chosen != "offline":
        check_base_url(cfg.base_url)
    to_stdout = str(output) == "-"
    paths = list(paths or [])
    if paths == [Path("-")]:
        paths = [stdin_article()]
    if not paths and not files_from:
        _fail("give article paths or --files-from")
    try:
        part = parse_shard(shard)
    except InputError as exc:
        _fail(str(exc))
    writer = call_log = None
    try:
        # the writer first: it creates the output's folder, where the cache goes
        writer = StreamWriter(sys.stdout) if to_stdout else RecordWriter(output)
        use_cache = not (no_cache or chosen == "offline" or (to_stdout and cache is None))
        cache_path = cache or output.with_name(output.name + ".cache.sqlite")
        try:
            db = Cache(cache_path) if use_cache else None
        except (sqlite3.Error, OSError) as exc:
            raise OutputError(f"cannot open the response cache {cache_path}: {exc} (delete it, or use --no-cache)") from None
        log_path = calls or (None if to_stdout else default_path(output))
        if chosen != "offline" and log_path is not None:
            try:
                call_log = CallLog(log_path, cfg.api_key)
            except (sqlite3.Error, OSError) as exc:
                raise OutputError(f"cannot open the call log {log_path}: {exc} (delete it, or give --calls)") from None
        extractor = Extractor(chosen, cfg, db, concurrency=concurrency, retry_budget=retry_budget,
                              prompts_dir=str(prompts) if prompts else None,
                              policy=Policy.load(policy) if policy else None, strategy=strategy.value, calls=call_log)
    except (ConfigError, OutputLocked, OutputError, PolicyError) as exc:
        if writer is not None:
            writer.close()
        if call_log is not None:
            call_log.close()
        _fail(str(exc))
    if chosen == "offline" and backend.value == "auto" and cfg.base_url and not cfg.model:
        log.warning(f"a base URL is set but no model ({settings.ENV_MODEL} is empty or unset): using the offline "
                    "backend; give --model for hybrid")  # said at normal verbosity: the user meant an endpoint
    elif chosen == "offline" and backend.value == "auto":
        log.info("no endpoint configured: using the offline backend (set --model/--base-url for hybrid)")
    t0 = time.monotonic()
    own = (*writer.own_files, *([str(cache_path)] if db is not None else []))
    listing = dict(files_from=files_from, shard=part, follow_symlinks=follow_symlinks, exclude=own)
    try:
        total = None if files_from == "-" else count_items(paths, **listing)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TimeRemainingColumn(), console=err, transient=True, disable=logs.quiet() or to_stdout) as progress:
            task = progress.add_task(f"extracting ({extractor.backend})", total=total)
            advance = lambda *_: progress.advance(task)  # noqa: E731
            items = iter_items(paths, **listing)
            if extractor.backend == "offline":
                stats = run_offline(items, writer, workers or None, advance)
            else:
                stats = asyncio.run(_run(items, writer, extractor, concurrency, advance))
    except InputError as exc:
        _fail(str(exc))
    except OutputError as exc:  # disk full, output removed...: records written so far stay valid
        _fail(f"{exc}; the records written before stay valid, re-run to resume")
    finally:
        writer.close()
        if call_log is not None:
            call_log.close()
    if not logs.quiet():
        _summary(stats, writer, output, time.monotonic() - t0, to_stdout, extractor.backend, call_log)
    dead = getattr(extractor._client, "fatal", None)
    if dead is not None and not stats.fatal:  # hybrid went on with the rules alone
        err.print(f"warning: {dead}; {stats.model_failed} record(s) are the rules' record alone "
                  "(diagnostics.model.status failed)", markup=False, soft_wrap=True)
    if stats.fatal:  # bad key, unknown model, dead endpoint (llm backend): the run stopped early
        _fail(f"{stats.fatal} (re-run to resume)")
    if strict and (stats.failures or stats.model_failed):
        raise typer.Exit(1)


def _articles_exist(articles: Path | None) -> None:
    """--articles names a folder that is there: a typo would otherwise read as "no article found"."""
    if articles is not None and not articles.exists():
        _fail(f"--articles {articles}: no such folder")


def _fail(message: str) -> None:
    """A one-line error and exit 2 (never Rich markup: paths may hold [brackets])."""
    err.print(f"error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(2)


def _summary(stats, writer, output, wall: float, to_stdout: bool, backend: str = "offline", call_log=None) -> None:
    table = Table(title="jiyao extract", show_header=False)
    table.add_column()
    table.add_column(overflow="fold")  # paths in full, never cut with "…"
    rows = [("records", stats.records), ("skipped (already in the output)", writer.skipped),
            ("changed since last run (new record)", writer.changed), ("failures (no record)", stats.failures)]
    if backend != "offline":  # records written all the same, with what became of the model's answers
        rows += [("model failed, rules kept" if backend == "hybrid" else "model failed", stats.model_failed),
                 ("model answer partial (fields dropped)", stats.model_partial)]
    rows += [("calls", stats.calls), ("tokens (prompt+completion)", f"{stats.prompt_tokens}+{stats.completion_tokens}"),
             ("cache hits", stats.cache_hits), ("wall time", f"{wall:.2f} s"), ("output", str(output))]
    for k, v in rows:
        table.add_row(k, escape(str(v)))
    if stats.failures and not to_stdout:
        table.add_row("errors", escape(str(writer.errors_path)))
    if call_log is not None:
        table.add_row("call log", escape(f"{call_log.path}" + (f" (not written: {call_log.error})" if call_log.error else "")))
    err.print(table)


async def _run(items, writer, extractor, concurrency, on_done):
    from ..run.folder import run

    try:
        return await run(items, writer, extractor, concurrency, on_done)
    finally:
        await extractor.aclose()


@app.command("calls")
def calls_cmd(
    records: Path = typer.Argument(..., help="Records JSONL written by jiyao extract (its call log is <records>.calls.sqlite)."),
    doc_ids: Optional[list[str]] = typer.Argument(None, help="Articles to show (default: every logged article)."),
    calls: Optional[Path] = typer.Option(None, "--calls", help="The call log, when it is not beside the records."),
    as_json: bool = typer.Option(False, "--json", help="Everything as JSON, messages and schemas in full."),
    full: bool = typer.Option(False, "--full", help="Answers and the last message of each request in full."),
):
    """What the model was asked and said for each article: every call, its raw answer, what did not
    validate, and what the agent kept, dropped or overrode."""
    from ..agent.calllog import default_path, read

    path = calls or default_path(records)
    if not path.is_file():
        _fail(f"no call log at {path} (llm and hybrid runs write one beside their output; give --calls)")
    try:
        arts = read(path, doc_ids or None)
    except (sqlite3.Error, ValueError) as exc:  # not a call log, another version's, or a damaged row
        _fail(f"cannot read the call log {path}: {exc}")
    missing = [d for d in doc_ids or [] if d not in {a["doc_id"] for a in arts}]
    if as_json:
        typer.echo(json.dumps(arts, ensure_ascii=False, indent=1))
    else:
        _print_calls(arts, full)
    if missing:
        _fail(f"not in the call log: {', '.join(missing)}")


def _schema_fields(schema: dict | None) -> list[str]:
    """The top-level fields an answer schema asks for (tools or response_format; json modes carry it in the prompt)."""
    if not schema:
        return []
    tools = schema.get("tools") or []
    params = tools[0].get("function", {}).get("parameters") if tools else (
        ((schema.get("response_format") or {}).get("json_schema") or {}).get("schema"))
    return list((params or {}).get("properties", {}))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(text: str) -> str:
    """Text from articles and models for the terminal: Rich markup escaped, and control characters
    (ESC, CSI, OSC: a title, a cleared screen, a clipboard write) written as \\xNN, never obeyed."""
    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def _print_calls(arts: list[dict], full: bool) -> None:
    from collections import Counter

    out = Console(highlight=False)
    cut = (lambda t, n: t) if full else (lambda t, n: t if len(t) <= n else t[:n] + f"… (+{len(t) - n} characters)")
    for a in arts:
        out.rule(_shown(f"{a['doc_id']}: model {a['status']}"), align="left")
        for label in ("reason", "error"):
            if a.get(label):
                out.print(f"[bold]{label}:[/] " + _shown(a[label]))
        if not a["calls"]:
            out.print("no call (answers from the cache, or nothing to ask)")
        for c in a["calls"]:
            msgs = c["request"]["messages"]
            fields = _schema_fields(c["request"].get("schema"))
            out.print(_shown(f"#{c['seq'] + 1} {c['kind']} · {c['prompt_tokens']}+{c['completion_tokens']} tokens · "
                             f"{c['latency_s']:.2f} s · {c['finish'] or 'no answer'}"), style="bold")
            last = next((m["content"] for m in reversed(msgs) if m["role"] == "user"), "") or ""
            if c["kind"].startswith(("oneshot", "chunk")):  # the article prompt: its size, not its text
                asked = f"{len(msgs)} messages, {sum(len(m['content'] or '') for m in msgs):,} characters"
            else:
                asked = cut(last, 400)
            for label, text in (("asked", asked), ("fields", ", ".join(fields)), ("answer", cut(c["answer"] or "", 800)), ("error", c["error"]),
                                ("problems", c["problems"]), ("dropped", ", ".join(c["dropped"])),
                                ("mapped", "; ".join(c["mapped"]))):
                if text:
                    out.print(f"  [cyan]{label}:[/] " + _shown(text), soft_wrap=True)
        kept = Counter(d["source"] for d in a["decisions"] if d["decision"] == "kept")
        if kept:
            out.print("[bold]kept:[/] " + ", ".join(f"{n} from {src}" for src, n in sorted(kept.items())))
        changed = [d for d in a["decisions"] if d["decision"] != "kept" or d["source"] == "model"]
        if changed:
            out.print("[bold]decided[/] (the model's values, and every value set aside):")
            for x in changed:
                score = "" if x["score"] is None else f" {x['score']:.2f}"
                out.print("  " + _shown(f"{x['pointer']}: {x['decision']}" + (f" ({x['source']}{score})" if x["source"] else "")
                                        + (f" — {x['detail']}" if x["detail"] else "")), soft_wrap=True)


@app.command("eval")
def eval_cmd(
    gold: Path = typer.Option(..., help="Folder of gold <doc_id>.json records, or a review folder (jiyao sample/review): its reviewed articles."),
    pred: list[Path] = typer.Option(..., help="Records JSONL; give twice to compare A and B."),
    report: Optional[Path] = typer.Option(None, help="Write report.json, report.md and report.html here."),
    articles: Optional[Path] = typer.Option(None, help="Article folder, to check that evidence offsets point at the values (default for a review folder: its articles)."),
    fail_under: list[str] = typer.Option([], "--fail-under", help="Exit 1 when strict F1 is below: 0.90 (overall) or FIELD=0.95; repeatable."),
):
    """Score records against gold: strict and partial P/R/F1 per field with 95% bootstrap intervals."""
    from ..eval import gate
    from ..eval import report as rp
    from ..eval.inputs import REVIEW_LIST, articles_folder, is_review_folder

    articles = articles_folder(gold, articles)
    _articles_exist(articles)

    try:
        gates = gate.parse(fail_under)
    except gate.GateError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2)

    missing = [str(p) for p in pred if not p.is_file()] + ([] if gold.is_dir() else [f"{gold} (gold folder)"])
    if missing:
        err.print(f"[red]error:[/] not found: {escape(', '.join(missing))}", soft_wrap=True)
        raise typer.Exit(2)
    try:
        rep = rp.build(gold, pred, articles)
    except rp.EvalInputError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2)
    for s in rep["systems"]:
        t = Table(title=escape(f"{s['name']} vs {gold} ({rep['n_articles']} articles)"))
        for col in ("field", "P", "R", "F1", "95% CI", "partial F1", "gold", "pred", "articles"):
            t.add_column(col, justify="right" if col != "field" else "left")
        for f in rep["fields"]:
            m = s["fields"][f]; st = m["strict"]
            t.add_row(f, f"{st['precision']:.3f}", f"{st['recall']:.3f}", f"{st['f1']:.3f}",
                      f"[{st['ci95'][0]:.2f}, {st['ci95'][1]:.2f}]", f"{m['partial']['f1']:.3f}", str(m["n_gold"]), str(m["n_pred"]),
                      str(m.get("n_articles", "")))
        o = s["fields"]["overall"]["strict"]
        t.add_row("overall", "", "", f"{o['f1']:.3f}", f"[{o['ci95'][0]:.2f}, {o['ci95'][1]:.2f}]", "", "", "", str(rep["n_articles"]))
        Console().print(t)
        Console().print(f"articles: the gold articles with a value of the field, which its score and interval rest on "
                        f"(of {rep['n_articles']} scored)", markup=False)
        if is_review_folder(gold):
            sampled = sum(1 for line in open(Path(gold) / REVIEW_LIST, encoding="utf-8") if line.strip())
            Console().print(f"review folder {gold}: {rep['n_articles']} of its {sampled} sampled articles are reviewed", markup=False)
        g = s["grounding"]
        Console().print(f"schema-valid {s['schema_valid_rate']} · grounding {g['rate'] if g else 'n/a (give --articles)'} · "
                        f"calls {s['usage']['calls']} · cache hits {s['usage']['cache_hits']}")
        if s["n_invalid"]:
            first = s["invalid_lines"][0]
            err.print(escape(f"{s['name']}: {s['n_invalid']} line(s) are not valid records and were not scored "
                             f"(first: line {first['line']}: {first['error']}); listed in report.json"))
        if s["n_duplicate_lines"]:
            first = s["duplicate_lines"][0]
            err.print(f"{s['name']}: {s['n_duplicate_lines']} duplicate line(s): a doc_id seen before, the last "
                      f"is scored (first: line {first['line']}, {first['doc_id']}, seen at line {first['first_line']})",
                      markup=False, soft_wrap=True)
        if s["n_without_gold"]:
            err.print(f"{s['name']}: {s['n_without_gold']} prediction(s) without gold, not scored: "
                      f"{', '.join(s['without_gold'][:10])}{' …' if s['n_without_gold'] > 10 else ''}",
                      markup=False, soft_wrap=True)
    for c in rep["comparisons"]:
        t = Table(title=escape(f"{c['b']} − {c['a']} (paired bootstrap)"))
        for col in ("field", "ΔF1", "95% CI", "significant"):
            t.add_column(col)
        for f, d in c["fields"].items():
            t.add_row(f, f"{d['diff']:+.3f}", f"[{d['ci95'][0]:+.3f}, {d['ci95'][1]:+.3f}]", "yes" if d["significant"] else "no")
        Console().print(t)
    if report:
        try:
            if articles:  # the span viewer beside the report; report.html links each article to it
                from ..view.page import ViewOutputError, build as build_view
                try:
                    build_view(pred[0], articles, Path(report) / "view.html", gold)
                except ViewOutputError as exc:
                    _fail(str(exc))
                rep["systems"][0]["viewer"] = "view.html"
            written = rp.write(rep, report)
        except OSError as exc:
            _fail(f"cannot write the report to {report}: {exc.strerror or exc}")
        for p in written:
            Console().print(f"wrote {p}", markup=False)
    failed = gate.failures(rep, gates)
    for line in failed:
        err.print(f"below --fail-under: {line}", markup=False)
    if failed:
        raise typer.Exit(1)


@app.command()
def view(
    records: Path = typer.Argument(..., help="Records JSONL written by jiyao extract."),
    articles: Optional[Path] = typer.Option(None, help="Folder of the articles the records came from (to show their text)."),
    output: Path = typer.Option(Path("view.html"), "-o", "--output", help="The HTML file to write."),
    gold: Optional[Path] = typer.Option(None, help="Gold folder: show missed and spurious values in place."),
):
    """One self-contained HTML page: each article with every evidence span highlighted, the record beside it."""
    from ..view.page import ViewOutputError, build

    _articles_exist(articles)
    if not records.is_file():
        err.print(f"error: not found: {records}", markup=False)
        raise typer.Exit(2)
    try:
        stats = build(records, articles, output, gold)
    except ViewOutputError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")
    typer.echo(f"wrote {output}: {stats['records']} records, {stats['no_article']} without their article file, "
               f"{stats['bad_lines']} unreadable lines, {stats['superseded']} older records of articles extracted again left out")


@app.command()
def export(
    records: Path = typer.Argument(..., help="Records JSONL written by jiyao extract."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the tables."),
    format: str = typer.Option("csv", "--format", help="csv | parquet | duckdb (parquet needs pyarrow, duckdb needs duckdb: pip install 'jiyao[tables]')."),
    articles: Optional[Path] = typer.Option(None, help="Article folder: evidence rows carry the original characters of each span."),
):
    """Flat tables for pandas, DuckDB, R or Stata: meetings, participants, upstream_meetings, slogans, evidence, people."""
    from ..view.export import FORMATS, ExportError, export as run_export

    if format not in FORMATS:
        err.print(f"error: unknown format {format!r}; choose one of {', '.join(FORMATS)}", markup=False)
        raise typer.Exit(2)
    _articles_exist(articles)
    if not records.is_file():
        err.print(f"error: not found: {records}", markup=False)
        raise typer.Exit(2)
    try:
        res = run_export(records, output, format, articles)
    except ImportError as exc:
        err.print(f"error: --format {format} needs an optional dependency ({exc.name}): pip install 'jiyao[tables]'", markup=False)
        raise typer.Exit(2)
    except ExportError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write the tables to {output}: {exc.strerror or exc}")
    if res["bad_lines"]:
        err.print(f"warning: {res['bad_lines']} lines are not records and were not exported "
                  f"(first: {res['first_bad_line']})", markup=False, soft_wrap=True)
    Console().print(json.dumps(res, ensure_ascii=False, indent=1))


@app.command()
def schema():
    """Print the JSON Schema of a record (the MeetingReport of docs/record-format.md)."""
    from ..schema import MeetingReport

    print(json.dumps(MeetingReport.model_json_schema(), ensure_ascii=False, indent=2))


@app.command()
def noisy(
    articles: Path = typer.Option(..., help="Folder of the gold articles."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the variants, one sub-folder each."),
    gold: Optional[Path] = typer.Option(None, help="Only articles with a gold record here."),
):
    """Generate noisy variants of the gold articles (same gold) for a robustness report."""
    from ..eval.noise import make

    if not articles.is_dir():
        _fail(f"--articles {articles}: not a folder")
    ids = {p.stem for p in gold.glob("*.json")} if gold else None
    try:
        counts = make(articles, output, ids, lambda p, why: err.print(f"skipped {p}: {why}", markup=False, soft_wrap=True))
    except OSError as exc:  # -o a file, a read-only folder, a full disk
        _fail(f"cannot write the variants to {output}: {exc.strerror or exc}")
    Console().print(json.dumps(counts, ensure_ascii=False))


from .batch import app as _batch_app  # noqa: E402 - registered after the commands above
from .distributed import distributed as _distributed  # noqa: E402

from .calibrate import calibrate_cmd  # noqa: E402
from .review import review_cmd, sample_cmd  # noqa: E402

app.add_typer(_batch_app, name="batch")
app.command("distributed")(_distributed)
app.command("calibrate")(calibrate_cmd)
app.command("sample")(sample_cmd)
app.command("review")(review_cmd)


if __name__ == "__main__":
    app()
