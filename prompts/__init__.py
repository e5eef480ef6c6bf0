"""Prompt templates (Jinja2) and few-shot examples; shipped in the wheel as jiyao.prompts."""
