"""`jiyao batch prepare | submit | status | collect`: thin commands over batch.py and batch_remote.py."""
from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .. import settings
from ..run.batch_remote import MAX_REQUESTS
from .checks import check, check_base_url, fail

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_show_locals=False,
                  context_settings={"show_default": True},
                  help="Batch APIs (OpenAI Batch API format, also read by vLLM's run-batch): half the price on hosted "
                       "APIs, the fastest path on a vLLM server.")
err = Console(stderr=True)

_MODEL = typer.Option(None, envvar=settings.ENV_MODEL, help="Model name.")
_BASE_URL = typer.Option(None, envvar=settings.ENV_BASE_URL, help="OpenAI-compatible base URL.")
_API_KEY = typer.Option(None, envvar=settings.ENV_API_KEY, help="API key.", show_default=False)
_BACKEND = typer.Option("hybrid", help="llm or hybrid; prepare and collect must use the same one.")
_MODE = typer.Option(None, help="instructor mode: tools, json_schema, json or md_json (default: as for extract).")
_PROMPTS = typer.Option(None, "--prompts", help="Prompt folder (as for extract); prepare and collect must use the same one.")


def _remote(cfg, what: str, call, *args):
    """A Files/Batches API call; any failure is one line with the key cut out (an endpoint may
    echo the Authorization header in its error body, and a traceback would print it)."""
    try:
        return call(*args)
    except Exception as exc:  # noqa: BLE001 - whatever the client raised, never a traceback
        why = " ".join(cfg.redact(f"{type(exc).__name__}: {exc}").split())[:300]  # one line, key already out
        err.print(f"error: batch {what} failed: {why}", markup=False, soft_wrap=True, highlight=False)
        raise typer.Exit(2)


def _endpoint(**options):
    from ..agent.llm import EndpointConfig  # here, not at import: `jiyao --help` loads no LLM stack

    cfg = EndpointConfig.from_env(**options)
    check_base_url(cfg.base_url)
    return cfg


def _extractor(backend: str, model, base_url, api_key, mode, prompts, temperature=settings.TEMPERATURE,
               max_tokens=settings.MAX_TOKENS):
    from ..run.extractor import ConfigError, Extractor

    # a batch never calls the endpoint from here: a model name is all the Extractor needs
    check(temperature=temperature, max_tokens=max_tokens)
    cfg = _endpoint(model=model, base_url=base_url, api_key=api_key, mode=mode,
                                  temperature=temperature, max_tokens=max_tokens)
    if cfg.model and not cfg.configured:
        cfg.base_url = "https://api.openai.com/v1"
    try:
        if backend not in ("llm", "hybrid"):
            raise ConfigError("a batch needs --backend llm or hybrid")
        return Extractor(backend, cfg, None, prompts_dir=str(prompts) if prompts else None)
    except ConfigError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2)


@app.command()
def prepare(
    paths: list[Path] = typer.Argument(..., help="Article files or folders."),
    output: Path = typer.Option(..., "-o", "--output", help="Batch request file (JSONL) to write."),
    backend: str = _BACKEND, model: Optional[str] = _MODEL, base_url: Optional[str] = _BASE_URL,
    api_key: Optional[str] = _API_KEY, mode: Optional[str] = _MODE, prompts: Optional[Path] = _PROMPTS,
    temperature: float = typer.Option(settings.TEMPERATURE, help="Sampling temperature."),
    max_tokens: int = typer.Option(settings.MAX_TOKENS, help="Most tokens in one answer."),
    max_requests: int = typer.Option(MAX_REQUESTS, help="Requests per file (one file = one batch); more go to OUTPUT-00002.jsonl, …"),
):
    """Write one request line per article (per chunk of a long article): the requests extract would send."""
    from ..run.batch import prepare as run_prepare
    from ..run.records import OutputError

    check(max_requests=max_requests)
    ex = _extractor(backend, model, base_url, api_key, mode, prompts, temperature, max_tokens)
    try:
        stats = asyncio.run(run_prepare(paths, output, ex, max_requests))
    except (OutputError, OSError) as exc:  # not a request file, a FIFO, a folder, a full disk
        fail(str(exc) if isinstance(exc, OutputError) else f"cannot write to {output}: {exc.strerror or exc}")
    for path, why in stats.unreadable:
        err.print(f"skipped {path}: {why}", markup=False)
    err.print(f"{stats.requests} requests for {stats.articles} articles ({len(stats.unreadable)} unreadable) in "
              f"{len(stats.files)} file(s), one batch each:", markup=False)
    for name in stats.files:
        typer.echo(name)


@app.command()
def submit(
    requests: list[Path] = typer.Argument(..., help="Request file(s) from `jiyao batch prepare`: one batch each."),
    base_url: Optional[str] = _BASE_URL, api_key: Optional[str] = _API_KEY,
):
    """Upload each REQUESTS file and create a batch over it; prints one batch id a line."""
    from ..run.batch_remote import submit as run_submit

    cfg = _endpoint(base_url=base_url, api_key=api_key)
    for path in requests:
        typer.echo(_remote(cfg, "submit", run_submit, path, cfg))


@app.command()
def status(
    batch_id: str = typer.Argument(..., help="Batch id printed by submit."),
    download: Optional[Path] = typer.Option(None, "--download", help="When the batch is done, write its results (output and error lines) here."),
    wait: bool = typer.Option(False, "--wait", help="Poll until the batch is done."),
    poll: float = typer.Option(30.0, help="Seconds between polls with --wait."),
    base_url: Optional[str] = _BASE_URL, api_key: Optional[str] = _API_KEY,
):
    """Print a batch's status (JSON); with --download, fetch its results once it is done."""
    from ..run.batch_remote import DONE, status as run_status

    cfg = _endpoint(base_url=base_url, api_key=api_key)
    info = _remote(cfg, "status", run_status, batch_id, cfg, download)
    while wait and info["status"] not in DONE:
        time.sleep(poll)
        info = _remote(cfg, "status", run_status, batch_id, cfg, download)
    typer.echo(json.dumps(info, ensure_ascii=False))


@app.command()
def collect(
    results: list[Path] = typer.Argument(..., help="Result files from `jiyao batch status --download` (or vLLM run-batch)."),
    articles: list[Path] = typer.Option(..., "--articles", help="The article files or folders given to prepare."),
    output: Path = typer.Option(..., "-o", "--output", help="JSONL file of records (appended; a re-run skips articles already there)."),
    backend: str = _BACKEND, model: Optional[str] = _MODEL, base_url: Optional[str] = _BASE_URL,
    api_key: Optional[str] = _API_KEY, mode: Optional[str] = _MODE, prompts: Optional[Path] = _PROMPTS,
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any article failed, or any record has no valid model answer."),
):
    """Records from a batch's results: validated, grounded and completed by the recognisers as extract does."""
    from ..run.batch import collect as run_collect, results_model
    from ..run.records import OutputError, OutputLocked, RecordWriter

    missing = [str(p) for p in results if not p.is_file()]
    if missing:
        fail(f"results file not found: {', '.join(missing)}")
    ex = _extractor(backend, model or results_model(results) or "batch", base_url, api_key, mode, prompts)
    try:
        writer = RecordWriter(output)
    except (OutputLocked, OutputError) as exc:  # another run's, not a jiyao output, a FIFO...
        fail(str(exc))
    try:
        stats = asyncio.run(run_collect(results, articles, writer, ex))
    except OutputError as exc:  # disk full: what was written stays valid
        fail(f"{exc}; the records written before stay valid, re-run to resume")
    finally:
        writer.close()
    print(json.dumps({"records": stats.records, "failures": stats.failures, "skipped": stats.skipped,
                      "model_failed": stats.model_failed, "model_partial": stats.model_partial,
                      "output": str(output), "errors": str(writer.errors_path)}, ensure_ascii=False), file=sys.stderr)
    if strict and (stats.failures or stats.model_failed):
        raise typer.Exit(1)
