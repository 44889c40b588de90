"""Seed questions through the local llama.cpp server vs the offline reader, side by side.

    python benchmarks/llm_local.py [--n 10] [--model smollm2] [--top-k 3]

Prints, per mode: answers correct (the eval's own scoring), citations the model proposed and how
many verified, answers that fell back to offline, and latency p50/p95. The local server is started
by the assistant (``ASSISTANT_LLM=local``) on 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import Assistant, Settings  # noqa: E402
from assistant.evals import is_correct, load_cases  # noqa: E402


def run(a: Assistant, cases) -> dict:
    rows = []
    for case in cases:
        t = time.perf_counter()
        ans = a.ask(case.question)
        rows.append((case, ans, time.perf_counter() - t))
    lat = sorted(r[2] for r in rows)
    fell_back = sum(1 for _, ans, _ in rows if any(f.kind in {"unverified_llm_answer",
                                                               "llm_unavailable"} for f in ans.flags))
    return {
        "correct": sum(is_correct(c, ans) for c, ans, _ in rows),
        "proposed": sum(ans.usage.get("citations_proposed", 0) for _, ans, _ in rows),
        "verified": sum(ans.usage.get("citations_verified", 0) for _, ans, _ in rows),
        "cited": sum(len(ans.citations) for _, ans, _ in rows),
        "fell_back": fell_back,
        "answered_by_model": sum(ans.mode == "local" for _, ans, _ in rows),
        "p50": statistics.median(lat),
        "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))],
        "prompt_tokens": sum(ans.usage.get("prompt_tokens", 0) for _, ans, _ in rows),
        "completion_tokens": sum(ans.usage.get("completion_tokens", 0) for _, ans, _ in rows),
        "rows": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--model", default="smollm2")
    ap.add_argument("--top-k", type=int, default=3)
    args = ap.parse_args()
    cases = [c for c in load_cases(ROOT / "evals" / "seed.jsonl")][: args.n]
    store = Path(tempfile.mkdtemp()) / "store"
    base = Settings.from_env(env={}, store_dir=store, top_k=args.top_k)
    offline = Assistant(settings=base)
    offline.ingest([ROOT / "corpus"], progress=False)
    local = Assistant(settings=base.with_(llm="local", local_model=args.model, llm_timeout=300.0),
                      embedder=offline.embedder)
    local.ask(cases[0].question)  # start the server and warm the model outside the timings
    results = {"offline": run(offline, cases), f"local ({args.model})": run(local, cases)}
    keys = ["correct", "answered_by_model", "proposed", "verified", "cited", "fell_back", "p50",
            "p95", "prompt_tokens", "completion_tokens"]
    print(f"{len(cases)} seed questions, top_k={args.top_k}")
    print(f"{'metric':<20}" + "".join(f"{m:>20}" for m in results))
    for k in keys:
        vals = [results[m][k] for m in results]
        print(f"{k:<20}" + "".join(f"{v:>20.2f}" if isinstance(v, float) else f"{v:>20}"
                                   for v in vals))
    print()
    for (case, ans, sec) in results[f"local ({args.model})"]["rows"]:
        print(f"- {case.question[:60]:<60} | {ans.mode:<7} | {sec:5.1f}s | {ans.text[:70]}")


if __name__ == "__main__":
    main()
