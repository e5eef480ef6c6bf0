"""benchmarks/bench_people_ner.py: BIO reading, the titled-mention rule and the scores, on a sentence
written for this test (the labelled corpora stay in ../shared/data and are never copied)."""
import importlib.util

from helpers import ROOT

spec = importlib.util.spec_from_file_location("bench_people_ner", ROOT / "benchmarks" / "bench_people_ner.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

_SENTENCE = "县委书记冯启明主持会议,向阳会长和李明发言。"
_TAGS = ["O"] * 4 + ["B-PER", "I-PER", "I-PER"] + ["O"] * 5 + ["B-PER", "I-PER"] + ["O"] * 3 + ["B-PER", "I-PER"] + ["O"] * 3


def _bio(tmp_path, sep=" "):
    path = tmp_path / "s.bio"
    path.write_text("\n".join(f"{c}{sep}{t}" for c, t in zip(_SENTENCE, _TAGS)) + "\n\n", "utf-8")
    return path


def test_bio_files_with_spaces_or_tabs_read_alike(tmp_path):
    assert bench.read_bio(_bio(tmp_path)) == bench.read_bio(_bio(tmp_path, "\t")) == [(_SENTENCE, [(4, 7), (12, 14), (17, 19)])]


def test_a_titled_mention_stands_next_to_a_title_word():
    # after 县委书记, before 会长; 李明 stands next to none
    assert bench.titled(_SENTENCE, (4, 7)) and bench.titled(_SENTENCE, (12, 14)) and not bench.titled(_SENTENCE, (17, 19))


def test_recall_counts_titled_mentions_and_precision_every_name_returned(tmp_path):
    sents = bench.read_bio(_bio(tmp_path))
    res = bench.evaluate(sents, lambda text: {"冯启明", "主持"})
    assert (res["titled_mentions"], res["recall"], res["returned"], res["precision"]) == (2, 0.5, 2, 0.5)
    assert res["recall_at_meetings"] == 0.5  # 主持 is a word of taking part


def test_the_benchmark_skips_when_the_data_is_absent(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "DATA", tmp_path / "absent")
    monkeypatch.setattr("sys.argv", ["bench_people_ner.py"])
    assert bench.main() == 0
    assert "skipped" in capsys.readouterr().out
