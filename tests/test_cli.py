"""What people expect of the command line (issue 12 item 5): --version, help that shows defaults
and environment variables, choices, -q, - for stdin and stdout, nothing left behind."""
import json
import subprocess
import sys

from typer.testing import CliRunner

from jiyao import __version__
from jiyao.cli.main import app
from jiyao.run.records import RecordWriter, OutputLocked

from helpers import SEEDS

ARTICLE = SEEDS / "001_23f819834aeefb67.txt"


def test_version():
    r = CliRunner().invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"jiyao {__version__}"


def test_help_shows_env_vars_defaults_and_choices():
    out = subprocess.run([sys.executable, "-m", "jiyao", "extract", "--help"], capture_output=True, text=True,
                         env={"COLUMNS": "200", "PATH": "", "OPENAI_API_KEY": "sk-secret-in-env"}).stdout
    for want in ("JIYAO_MODEL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "[default: 4]", "auto|offline|llm|hybrid",
                 "tools|json_schema|json|md_json"):
        assert want in out, want
    assert "sk-secret-in-env" not in out  # an env var's value is never shown


def test_bad_backend_is_refused_with_the_choices():
    r = CliRunner().invoke(app, ["extract", str(ARTICLE), "-o", "x.jsonl", "--backend", "cloud"])
    assert r.exit_code == 2 and "offline" in r.output


def test_stdin_to_stdout_quiet(tmp_path):
    r = subprocess.run([sys.executable, "-m", "jiyao", "-q", "extract", "-", "-o", "-", "--backend", "offline"],
                       input=ARTICLE.read_bytes(), capture_output=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert rec["doc_id"] == "stdin" and rec["meeting"]["name"] == "疫情防控工作专题会议"
    assert r.stderr == b"" and list(tmp_path.iterdir()) == []  # quiet, and no files written


def test_a_clean_run_leaves_no_lock_and_no_empty_errors_file(tmp_path):
    out = tmp_path / "r.jsonl"
    r = CliRunner().invoke(app, ["extract", str(ARTICLE), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.jsonl"]


def test_the_lock_still_excludes_a_second_run(tmp_path):
    out = tmp_path / "r.jsonl"
    with RecordWriter(out):
        try:
            RecordWriter(out)
            raise AssertionError("a second writer got the lock")
        except OutputLocked:
            pass
    with RecordWriter(out):  # released and removed: the next run takes a fresh lock
        pass
    assert not (tmp_path / "r.jsonl.lock").exists()
