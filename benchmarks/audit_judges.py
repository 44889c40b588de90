"""What the learned flag judges and the WordNet word senses cost: the per-article audit as shipped
(rules, WordNet, judges) beside the same audit without WordNet (the baseline before it) and the
rules alone without the judges, on the same articles, in one run.

Articles: the shipped corpus plus every article of the flag sets under ``evals/`` (597 short news
articles at the last count). Extraction (parsing, the mention graph) is done once, with WordNet, and excluded: every
side audits the same extracted facts, so the "no WordNet" row switches off only the audit's own
sense questions, not those extraction asked (which office a descriptor names). The word-vector cache is warmed by one untimed pass so
neither side pays for the other's word embeddings; the judges' sentence embeddings are cleared
before the timed pass, since an article is audited once per version. Figures: total seconds, median and 95th
percentile milliseconds per article, and flags found. WordNet's one-time load (its noun, verb and
adjective files, read on the first question) is timed on its own and left out of the rows.

    .venv/bin/python benchmarks/audit_judges.py
"""

from __future__ import annotations

import time
from pathlib import Path

from assistant import audit, pairs, senses
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
    t0 = time.perf_counter()
    for pos in ("n", "v", "a"):  # the first questions read the files (extraction asks too)
        senses._offsets("person", pos)
        senses._lines(senses._FILES[pos])
    load_s = time.perf_counter() - t0
    facts = [audit.extract_facts(read_document(p, settings)) for p in _articles()]
    _run(facts, words)  # warm the word-vector cache of every side
    pairs._VECTORS.clear()  # the judges' sentence embeddings are part of their cost
    shipped = _run(facts, words)
    real_root = senses._root
    senses._root = lambda: None  # without WordNet: every sense question answers "no"
    _clear_senses()
    try:
        no_wordnet = _run(facts, words)
        real_load = pairs.load
        pairs.load = lambda name: None  # and without the judges: the rules alone
        try:
            rules_only = _run(facts, words)
        finally:
            pairs.load = real_load
    finally:
        senses._root = real_root
        _clear_senses()
    print(f"{len(facts)} articles, audited one at a time (extraction excluded); WordNet load {load_s:.2f} s")
    print(f"{'':34}{'total s':>10}{'p50 ms':>10}{'p95 ms':>10}{'flags':>8}")
    for name, (times, found) in (("rules alone, no WordNet", rules_only),
                                 ("rules + judges, no WordNet (base)", no_wordnet),
                                 ("rules + judges + WordNet (now)", shipped)):
        print(f"{name:34}{sum(times) / 1000:>10.2f}{percentile(times, 50):>10.1f}"
              f"{percentile(times, 95):>10.1f}{found:>8}")


def _clear_senses() -> None:
    for fn in (senses.names_role, senses.antonyms, senses.synonyms, senses.kind_of, senses._person):
        fn.cache_clear()


if __name__ == "__main__":
    main()
