"""`jiyao distributed`: a run on a Dask cluster (distributed.py), registered in cli.py."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .. import settings
from .checks import check, check_base_url, fail

err = Console(stderr=True)


def distributed(
    inputs: list[Path] = typer.Argument(..., help="Article files or folders, or article tables (.jsonl/.parquet with id and text columns)."),
    output: Path = typer.Option(..., "-o", "--output", help="Output folder: part-NNNNNN.jsonl per partition (a re-run resumes)."),
    scheduler: Optional[str] = typer.Option(None, envvar="DASK_SCHEDULER_ADDRESS", help="A running Dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster on this machine)."),
    workers: Optional[int] = typer.Option(None, help="LocalCluster workers (default: all cores)."),
    processes: bool = typer.Option(True, "--processes/--threads", help="LocalCluster workers as processes (all cores) or threads of this process (quick start, one core for offline work)."),
    partition_size: int = typer.Option(settings.PARTITION_SIZE, help="Articles (JSONL lines) per partition; Parquet partitions are row groups."),
    backend: str = typer.Option("offline", help="offline, llm or hybrid (each worker builds its own Extractor)."),
    model: Optional[str] = typer.Option(None, envvar=settings.ENV_MODEL, help="Model name."),
    base_url: Optional[str] = typer.Option(None, envvar=settings.ENV_BASE_URL, help="OpenAI-compatible base URL."),
    api_key: Optional[str] = typer.Option(None, envvar=settings.ENV_API_KEY, help="API key (sent to the workers with each task).", show_default=False),
    mode: Optional[str] = typer.Option(None, help="instructor mode (default: as for extract)."),
    concurrency: int = typer.Option(settings.CONCURRENCY, help="Requests in flight per worker."),
    prompts: Optional[Path] = typer.Option(None, "--prompts", help="Prompt folder (as for extract); must be readable by the workers."),
    parquet: bool = typer.Option(False, "--parquet", help="Also write each part as Parquet (nested like the JSON, one schema for all parts; needs pyarrow)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any article failed."),
):
    """Extract on a Dask cluster: the same records as extract, one part file per partition. Needs pip install 'jiyao[dask]'."""
    from ..run import distributed as dist
    from ..agent.endpoint import EndpointConfig
    from ..run.extractor import ConfigError, Extractor

    try:
        import dask.distributed  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the extra is missing
        err.print(f"error: jiyao distributed needs dask.distributed ({exc.name}): pip install 'jiyao[dask]'", markup=False)
        raise typer.Exit(2)

    check(concurrency=concurrency, partition_size=partition_size, workers=workers)
    cfg = EndpointConfig.from_env(model=model, base_url=base_url, api_key=api_key, mode=mode)
    if backend != "offline":
        check_base_url(cfg.base_url)
    try:  # fail here, not on every worker, when the backend has no endpoint
        Extractor(backend, cfg, None, prompts_dir=str(prompts.resolve()) if prompts else None)
    except ConfigError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(2)
    opts = dist.Options(backend, cfg, concurrency, str(prompts.resolve()) if prompts else None, parquet)
    try:
        totals = dist.run([str(i) for i in inputs], output, opts, scheduler, workers, partition_size, processes)
    except (ValueError, ImportError, dist.ClusterError) as exc:  # another run's folder; no pyarrow; no scheduler
        fail(str(exc))
    summary = {k: v for k, v in vars(totals).items() if k != "parts"}
    err.print(json.dumps({**summary, "output": str(output)}, ensure_ascii=False), markup=False)
    if strict and totals.failures:
        raise typer.Exit(1)
