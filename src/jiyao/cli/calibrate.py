"""`jiyao calibrate` on the command line; the work (and its heavy imports) is in calibrate.py."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from .. import settings
from ..settings import Mode, Strategy
from .checks import check, check_base_url


def calibrate_cmd(
    gold: Path = typer.Option(..., help="Folder of gold <doc_id>.json records, or a review folder (jiyao sample/review)."),
    articles: Optional[Path] = typer.Option(None, help="Folder of the labelled articles (default for a review folder: its articles)."),
    output: Path = typer.Option(..., "-o", "--output", help="Policy file to write (JSON), for `jiyao extract --policy`."),
    strategy: Strategy = typer.Option("oneshot", help="Hybrid strategy to calibrate."),
    model: Optional[str] = typer.Option(None, envvar=settings.ENV_MODEL, help="Model name."),
    base_url: Optional[str] = typer.Option(None, envvar=settings.ENV_BASE_URL, help="OpenAI-compatible base URL."),
    api_key: Optional[str] = typer.Option(None, envvar=settings.ENV_API_KEY, help="API key.", show_default=False),
    mode: Optional[Mode] = typer.Option(None, help="instructor mode."),
    timeout: float = typer.Option(settings.TIMEOUT_S, help="Per-request timeout, seconds (total)."),
    max_tokens: int = typer.Option(settings.MAX_TOKENS, help="Most tokens in one answer."),
    temperature: float = typer.Option(settings.TEMPERATURE, help="Sampling temperature."),
    cache: Optional[Path] = typer.Option(None, help="SQLite response cache (a re-run costs no calls)."),
):
    """Measure on a labelled set how to fuse the rules and a model; write a fusion policy."""
    from ..eval import calibrate
    from ..agent.cache import Cache
    from ..agent.endpoint import EndpointConfig
    from ..run.extractor import ConfigError, Extractor

    from ..eval.inputs import articles_folder

    err = Console(stderr=True)
    # as for extract: a value that makes every call fail would measure a policy from no answer at all
    check(timeout=timeout, temperature=temperature, max_tokens=max_tokens)
    _check_output(output, err)
    articles = articles_folder(gold, articles)
    if articles is None:
        err.print("error: give --articles (the folder of the labelled articles)", markup=False)
        raise typer.Exit(2)
    cfg = EndpointConfig.from_env(model=model, base_url=base_url, api_key=api_key, mode=mode.value if mode else None,
                                  timeout_s=timeout, temperature=temperature, max_tokens=max_tokens)
    check_base_url(cfg.base_url)
    try:
        extractor = Extractor("hybrid", cfg, Cache(cache) if cache else None, strategy=strategy.value)
        policy = calibrate.run(gold, articles, output, extractor, err)
    except (ConfigError, FileNotFoundError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(2)
    if policy is None:
        err.print(f"error: no article in {articles} has a gold record in {gold}", markup=False)
        raise typer.Exit(2)
    _print(policy, output)


def _check_output(output: Path, err: Console) -> None:
    """-o is replaced only when it is a policy (a re-run): never a records file, never a folder."""
    from ..agent.policy import POLICY_VERSION

    if output.is_dir():
        why = "is a folder; give a file name such as policy.json"
    elif output.exists():
        try:
            data = json.loads(output.read_text("utf-8"))
            ours = isinstance(data, dict) and data.get("policy_version") == POLICY_VERSION
        except (OSError, ValueError):
            ours = False
        why = None if ours else "exists and is not a jiyao policy; it is left as it is (choose another -o)"
    else:
        why = None
    if why:
        err.print(f"error: {output} {why}", markup=False, soft_wrap=True)
        raise typer.Exit(2)


def _print(policy, output: Path) -> None:
    modes = ("rules", "rules_first", "model_first", "union", "intersection", "model")
    t = Table(title=f"jiyao calibrate → {output}")
    for col in ("field", "chosen", *("F1 " + m for m in modes)):
        t.add_column(col)
    for f, m in policy.measured["fields"].items():
        t.add_row(f, m["chosen"], *(f"{m['f1_by_mode'][x]:.3f}" if x in m["f1_by_mode"] else "" for x in modes))
    Console().print(t)
    o = policy.measured["overall_f1"]
    Console().print(f"overall F1: offline {o['offline']:.3f} · fused {o['fused']:.3f} · model failures "
                    f"{policy.measured['model_failures']}", markup=False)
