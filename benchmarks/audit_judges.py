"""What the learned flag judges cost: the per-article audit with the judges (the product) beside
the rules alone (the baseline before them), on the same articles, in one run.

Articles: the shipped corpus plus every article of the flag sets under ``evals/`` (about 200
short news articles). Extraction (parsing, the mention graph) is done once and excluded: both
sides audit the same extracted facts. The word-vector cache is warmed by one untimed pass so
neither side pays for the other's word embeddings; the judges' sentence embeddings are cleared
before the timed pass, since an article is audited once per version. Figures: total seconds, median and 95th
percentile milliseconds per article, and flags found.

    .venv/bin/python benchmarks/audit_judges.py
"""

from __future__ import annotations

import time
from pathlib import Path

from assistant import audit, pairs
from assistant.config import Settings
from assistant.embed import make_embedder
from assistant.evals import percentile
from assistant.ingest import read_document
from assistant.lexicon import WordMatcher

ROOT = Path(__file__).resolve().parent.parent


def _articles() -> list[Path]:
    paths = [p for p in sorted((ROOT / "corpus").iterdir()) if p.suffix in {".txt", ".md"} and p.name != "README.md"]
    paths += sorted((ROOT / "evals").glob("flags*/*.txt"))
    return paths


def _run(facts, words) -> tuple[list[float], int]:
    times, found = [], 0
    for f in facts:
        t0 = time.perf_counter()
        found += len(audit.audit([f], words))
        times.append((time.perf_counter() - t0) * 1000)
    return times, found


def main() -> None:
    settings = Settings()
    words = WordMatcher(make_embedder(settings))
    facts = [audit.extract_facts(read_document(p, settings)) for p in _articles()]
    _run(facts, words)  # warm the word-vector cache of both sides
    pairs._VECTORS.clear()  # the judges' sentence embeddings are part of their cost
    with_judges = _run(facts, words)
    real_load = pairs.load
    pairs.load = lambda name: None  # the baseline: rules alone, as before the judges
    try:
        rules_only = _run(facts, words)
    finally:
        pairs.load = real_load
    print(f"{len(facts)} articles, audited one at a time (extraction excluded)")
    print(f"{'':24}{'total s':>10}{'p50 ms':>10}{'p95 ms':>10}{'flags':>8}")
    for name, (times, found) in (("rules alone (baseline)", rules_only), ("rules + judges", with_judges)):
        print(f"{name:24}{sum(times) / 1000:>10.2f}{percentile(times, 50):>10.1f}"
              f"{percentile(times, 95):>10.1f}{found:>8}")


if __name__ == "__main__":
    main()
