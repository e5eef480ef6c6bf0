"""Eval harness: score records against a hand-labelled gold set, compare systems, write reports."""
from .score import FIELDS, Counts, score_article, score_set  # noqa: F401
