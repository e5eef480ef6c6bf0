"""Normalisation: reading annotations, doubled punctuation, script, width — and the offset map."""
import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from jiyao.eval.noise import doubled, trad_pinyin
from jiyao.read.document import read_file
from jiyao.text import fold_width, normalise

_T2S = opencc.OpenCC("t2s")


def test_reading_annotations_removed_only_when_they_are_readings():
    assert normalise("會(huì)議(yì)").text == "会议"
    assert normalise("市長(zhǎng)").text == "市长"
    assert normalise("Apple(iPhone)发布").text == "Apple(iPhone)发布"
    assert normalise("会议(2022)").text == "会议(2022)"
    assert normalise("会(xyz)议").text == "会(xyz)议"  # not a reading of 会
    assert normalise("本報(bào)訊(記者柴錦玉)").text == "本报讯(记者柴锦玉)"


def test_doubled_punctuation_collapses_to_strongest_mark():
    assert normalise("下午,,荆门").text == "下午,荆门"
    assert normalise("会议,、全国").text == "会议、全国"
    assert normalise("工作,。会议").text == "工作。会议"
    assert normalise("甲，，乙").text == "甲,乙"


def test_width_and_script():
    assert normalise("ＡＢＣ１２３　範波").text == "ABC123 范波"


def test_noisy_seed_variants_normalise_to_the_clean_text(seeds):
    for path in seeds:
        clean = read_file(path).norm.text
        assert normalise(trad_pinyin(clean)).text == clean, path.name
        assert normalise(doubled(clean)).text == clean, path.name


def _check_map(original: str):
    n = normalise(original)
    assert len(n.starts) == len(n.ends) == len(n.text)
    prev = -1
    for i, ch in enumerate(n.text):
        s, e = n.starts[i], n.ends[i]
        assert 0 <= s < e <= len(original)
        assert s > prev  # spans are in order and never shared
        prev = s
        src = original[s:e]
        # the character came from its span: as is, width-folded or script-converted
        window = _T2S.convert(original[max(0, s - 4): e + 4])
        assert ch in {src, fold_width(src), _T2S.convert(src), fold_width(_T2S.convert(src))} or ch in window


ALPHABET = st.sampled_from(list("會議市長區委書記範波,，、。 (huìyìzhǎngqū)Apple2022乾淨頭髮ＡＢ１\n“”") + ["(huì)", "(qū)", ",,", ",、"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_offset_map_property(original):
    _check_map(original)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_offset_map_property_any_text(original):
    _check_map(original)


def test_offset_map_on_seeds(seeds):
    for path in seeds:
        _check_map(path.read_text("utf-8"))
