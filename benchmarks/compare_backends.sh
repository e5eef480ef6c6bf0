#!/usr/bin/env bash
# Hybrid vs llm (and offline), same model, same articles, through the eval harness.
#
#   benchmarks/compare_backends.sh ARTICLES_DIR GOLD_DIR OUT_DIR
#
# The endpoint comes from the environment (JIYAO_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY;
# JIYAO_MODE=json for llama-cpp-python's server). One shared response cache: a re-run costs no calls.
set -euo pipefail
articles=$1 gold=$2 out=$3
mkdir -p "$out"
mode=${JIYAO_MODE:+--mode $JIYAO_MODE}
jiyao extract "$articles" -o "$out/offline.jsonl" --backend offline
for backend in hybrid llm; do
  jiyao extract "$articles" -o "$out/$backend.jsonl" --backend "$backend" $mode \
    --concurrency "${JIYAO_CONCURRENCY:-1}" --timeout 600 --max-tokens "${JIYAO_MAX_TOKENS:-1024}" --cache "$out/cache.sqlite"
done
jiyao eval --gold "$gold" --pred "$out/llm.jsonl" --pred "$out/hybrid.jsonl" --articles "$articles" --report "$out/llm_vs_hybrid"
jiyao eval --gold "$gold" --pred "$out/offline.jsonl" --pred "$out/hybrid.jsonl" --articles "$articles" --report "$out/offline_vs_hybrid"
