"""Grounding: every value located in the ORIGINAL text; what cannot be found is dropped and counted."""
