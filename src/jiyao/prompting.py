"""Loading prompt templates and few-shot examples; examples are checked at load time."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import jinja2
import yaml

from .schema import ExtractedReport
from .text import keyed, normalise, value_key


class PromptError(ValueError):
    pass


@dataclass(frozen=True)
class Prompts:
    system: str
    user: jinja2.Template
    examples: tuple[dict, ...]
    hash: str  # identifies the exact prompt text, recorded in every record's usage

    def messages(self, text: str, hints: str | None = None) -> list[dict]:
        user = self.user.render(text=text, hints=hints, examples=self.examples)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]


def _strings(obj, pointer=""):
    if isinstance(obj, str):
        yield pointer, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(v, f"{pointer}/{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _strings(v, f"{pointer}/{i}")


_DERIVED = ("/meeting/date", "/meeting/time_of_day", "/meeting/format", "/source/published_date", "/roles/")


def check_example(ex: dict, where: str) -> dict:
    """Validate an example against the schema and require every copied value to be in its text."""
    report = ExtractedReport.model_validate(ex["output"])
    text = keyed(normalise(ex["text"]).text).key  # matched as grounding matches: modulo text.value_key
    for pointer, value in _strings(report.model_dump()):
        if any(d in pointer for d in _DERIVED):
            continue
        if value_key(value) not in text:
            raise PromptError(f"{where}: example value {pointer}={value!r} is not in the example text")
    return {"text": ex["text"], "output_json": json.dumps(report.model_dump(), ensure_ascii=False)}


@lru_cache(maxsize=4)
def load(directory: str | None = None) -> Prompts:
    root = files("jiyao.prompts") if directory is None else __import__("pathlib").Path(directory)
    system = root.joinpath("system.j2").read_text("utf-8")
    user_src = root.joinpath("user.j2").read_text("utf-8")
    raw = yaml.safe_load(root.joinpath("fewshot.yaml").read_text("utf-8")) or []
    examples = tuple(check_example(ex, f"fewshot.yaml[{i}]") for i, ex in enumerate(raw))
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    digest = hashlib.sha256("\x00".join([system, user_src, json.dumps(examples, ensure_ascii=False)]).encode()).hexdigest()[:12]
    return Prompts(system, env.from_string(user_src), examples, digest)
