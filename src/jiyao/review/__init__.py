"""From records to gold: draw articles for labelling (`jiyao sample`) and review their records in a
local page (`jiyao review`), saving SPEC-form gold that `jiyao eval` and `jiyao calibrate` read."""
