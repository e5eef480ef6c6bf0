#!/usr/bin/env bash
# Offline vs one-shot hybrid vs focused hybrid, same model, same articles, through the eval harness.
#
#   benchmarks/compare_strategies.sh GOLD_DIR OUT_DIR ARTICLE_PATH...
#
# The endpoint comes from the environment (JIYAO_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY;
# JIYAO_MODE=json for llama-cpp-python's server). One response cache per strategy; a re-run costs
# no calls. Wall times are in OUT_DIR/*.log (jiyao extract's summary table).
set -euo pipefail
gold=$1 out=$2; shift 2
mkdir -p "$out"
mode=${JIYAO_MODE:+--mode $JIYAO_MODE}
jiyao extract "$@" -o "$out/offline.jsonl" --backend offline 2> "$out/offline.log"
for strategy in oneshot focused; do
  jiyao extract "$@" -o "$out/$strategy.jsonl" --backend hybrid --strategy "$strategy" $mode \
    --concurrency "${JIYAO_CONCURRENCY:-1}" --timeout 600 --max-tokens "${JIYAO_MAX_TOKENS:-1024}" \
    --cache "$out/$strategy.cache.sqlite" 2> "$out/$strategy.log"
done
jiyao eval --gold "$gold" --pred "$out/offline.jsonl" --pred "$out/oneshot.jsonl" --pred "$out/focused.jsonl" --report "$out/report" > "$out/eval.txt"
