"""A focused answer saw a few sentences, not the article: under an intersection policy, a list
item the rules found and the excerpt did not hold is not one the model left out (issue 20: the
`partial` flag of fuse.py had no test that failed without it)."""
from jiyao.agent.evidence import Evidence
from jiyao.agent.fuse import ALL_FIELDS, ModelView, arbitrate
from jiyao.agent.policy import Policy
from jiyao.read.document import from_text
from jiyao.schema import ExtractedReport

TEXT = ("县委召开安全生产工作会议\n3月2日上午，县委书记王大明主持会议，强调守牢“安全底线”。\n"
        "会议要求坚持“人民至上”，落实“党政同责”。\n")
RULES = ["安全底线", "人民至上", "党政同责"]


def _fused(partial: bool, asked=frozenset({"slogans"})) -> list[str]:
    doc = from_text(TEXT, "x")
    policy = Policy.from_json({"policy_version": 1, "fields": {"slogans": {"mode": "intersection"}}})
    rules = ExtractedReport(slogans=RULES)
    view = ModelView(ExtractedReport(slogans=["安全底线"]), asked, partial=partial)  # the excerpt held one sentence
    return arbitrate(rules, view, Evidence(doc), policy).report.slogans


def test_a_partial_focused_answer_does_not_drop_the_rules_items_under_intersection():
    assert _fused(partial=True) == RULES


def test_a_whole_article_answer_under_intersection_keeps_only_what_both_give():
    assert _fused(partial=False, asked=ALL_FIELDS) == ["安全底线"]
