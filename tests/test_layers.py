"""The stages import only the stages below them: no circle, and no runtime import of the eval
harness (or of the runner) from the agent, grounding, recognising or reading. Imports inside a
function count too (they are runtime imports); `if TYPE_CHECKING:` blocks do not."""
import ast
from pathlib import Path

import pytest

from helpers import ROOT

SRC = ROOT / "src" / "jiyao"
# lower rank = lower stage; a module may import its own rank or below
RANKS = {
    "_version": 0, "settings": 0, "logs": 0, "text": 0, "schema": 1, "fields": 1,
    "read": 2, "recognise": 3, "ground": 4, "agent": 5, "run": 6,
    "eval": 7, "view": 8, "review": 8, "api": 9, "cli": 10, "__init__": 10, "__main__": 10, "prompts": 0,
}


def _stage(module: str) -> str:
    """jiyao.agent.fuse → agent; jiyao.schema → schema."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path):
    """(line, absolute module) of every jiyao import outside TYPE_CHECKING blocks."""
    tree = ast.parse(path.read_text("utf-8"))
    me = _module(path)
    pkg = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("jiyao"):
                names = [f"{target}.{a.name}" for a in node.names] if not node.module or target.count(".") == 0 else [target]
                for t in names:
                    yield node.lineno, t
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("jiyao"):
                    yield node.lineno, a.name


MODULES = sorted(p for p in SRC.rglob("*.py"))


def test_every_stage_has_a_rank():
    assert {_stage(_module(p)) for p in MODULES} <= set(RANKS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_down_only(path):
    me = _stage(_module(path))
    for line, target in _imports(path):
        them = _stage(target)
        if them not in RANKS:  # `from jiyao import __version__`-style names of the package itself
            continue
        assert RANKS[them] <= RANKS[me], f"{path.relative_to(SRC)}:{line} ({me}) imports {target} ({them}), a stage above it"


def _graph() -> dict[str, set[str]]:
    """module → the jiyao modules it imports (a name inside a module counts as the module)."""
    mods = {_module(p) for p in MODULES}
    graph = {}
    for p in MODULES:
        deps = set()
        for _, target in _imports(p):
            while target and target not in mods:
                target = target.rpartition(".")[0]
            if target and target != _module(p):
                deps.add(target)
        graph[_module(p)] = deps
    return graph


def test_no_import_circle():
    graph, state, stack = _graph(), {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if d.startswith(m + ".") or m.startswith(d + "."):
                continue  # a package and its own modules (recognise/__init__ re-exports them)
            if state.get(d) == "open":
                raise AssertionError("import circle: " + " → ".join(stack[stack.index(d):] + [d]))
            if d not in state:
                visit(d)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)
