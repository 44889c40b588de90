"""Train a learned pair judge (assistant/pairs.py) on labelled flag sets.

    python evals/train_pairs.py number evals/flags*.jsonl --holdout evals/flags-holdout10.jsonl \
        --out assistant/weights/number_pairs.json
    python evals/train_pairs.py said evals/flags*.jsonl ... --out assistant/weights/said_pairs.json

number: every pair of figures in one article (different sentences, one kind, different values)
is an example, positive when an expected number_conflict quotes both figures. said: every pair of
sentences that both credit something to someone, positive when an expected attribution_conflict
quotes both. The regularisation and the threshold are chosen by leave-one-set-out
cross-validation over the training sets (each set was written by a different author, so a
held-out set stands in for an unseen writer), then the model is fitted on all of them. Sets given with --holdout are never trained on: they are
scored once with the chosen model and reported. Needs scikit-learn (installed with
sentence-transformers); the product itself only reads the JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant import audit, pairs
from assistant.config import Settings
from assistant.embed import make_embedder
from assistant.evals import load_flag_cases
from assistant.ingest import read_document
from assistant.lexicon import WordMatcher

GRID_C = (0.1, 0.3, 1.0, 3.0)
GRID_T = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _label(kind, expected, a, b) -> int:
    def holds(m, q):
        return q in getattr(m, "sent", m).text and (kind != "number_conflict" or m.span.text in q)
    for e in expected:
        if e["kind"] == kind and len(e["quotes"]) == 2:
            q1, q2 = e["quotes"]
            if (holds(a, q1) and holds(b, q2)) or (holds(a, q2) and holds(b, q1)):
                return 1
    return 0


JUDGES = {
    "number": (pairs.candidates, pairs.features, "number_conflict"),
    "said": (pairs.said_candidates, pairs.said_features, "attribution_conflict"),
}


def examples(judge, paths, settings, words):
    """(set name, case id, sentence pair, feature dict, label) for every candidate pair."""
    rows = []
    for path in paths:
        for case in load_flag_cases(path):
            if case.scope != "document":
                continue  # cross-article figures are the rules' job
            f = audit.extract_facts(read_document(Path(case.documents[0]), settings))
            audit._prefetch([f], words)
            candidates, featurize, kind = JUDGES[judge]
            cands = candidates(f)
            if not cands:
                continue
            cos = pairs.sentence_cosines(f, words)
            for a, b in cands:
                i, j = (a.i, b.i) if judge == "said" else (a.sent.i, b.sent.i)
                x = featurize(f, a, b, words, cos(i, j))
                rows.append((Path(path).stem, case.id, (i, j), x, _label(kind, case.expected, a, b)))
    return rows


def _fit(X, Y, c):
    return LogisticRegression(max_iter=5000, C=c, class_weight={0: 1, 1: 10}).fit(X, Y)


def _pr(keys, Y, score, t):
    """Precision and recall over sentence pairs (one flag per pair of sentences)."""
    pred = {k for k, s in zip(keys, score) if s >= t}
    pos = {k for k, y in zip(keys, Y) if y}
    tp = len(pred & pos)
    return tp, len(pred), len(pos)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("judge", choices=sorted(JUDGES))
    ap.add_argument("sets", nargs="+")
    ap.add_argument("--holdout", nargs="*", default=[])
    ap.add_argument("--out", default="")
    ap.add_argument("--min-precision", type=float, default=0.8,
                    help="choose the best F1 among settings at least this precise (leave-one-set-out)")
    args = ap.parse_args(argv)
    train_sets = [p for p in args.sets if p not in args.holdout]
    settings = Settings()
    words = WordMatcher(make_embedder(settings))
    rows = examples(args.judge, train_sets, settings, words)
    names = list(rows[0][3])
    X = np.array([[r[3][n] for n in names] for r in rows])
    Y = np.array([r[4] for r in rows])
    S = np.array([r[0] for r in rows])
    keys = [(r[1], r[2]) for r in rows]
    print(f"training: {len(rows)} {args.judge} pairs, {int(Y.sum())} positive, {len(set(S))} sets")
    best = None
    for c in GRID_C:
        score = np.zeros(len(Y))
        for g in sorted(set(S)):
            fold = S == g
            score[fold] = _fit(X[~fold], Y[~fold], c).predict_proba(X[fold])[:, 1]
        for t in GRID_T:
            tp, npred, npos = _pr(keys, Y, score, t)
            p, r = tp / max(npred, 1), tp / max(npos, 1)
            f1 = 2 * p * r / max(p + r, 1e-9)
            print(f"  leave-one-set-out C={c:<4} t={t}: P {p:.2f} ({tp}/{npred})  R {r:.2f} ({tp}/{npos})  F1 {f1:.2f}")
            # a judge adds flags to rules that already meet the precision bar: it must meet it too
            rank = (p >= args.min_precision, f1 if p >= args.min_precision else p)
            if best is None or rank > best[0]:
                best = (rank, f1, c, t, p, r)
    _, f1, c, t, p, r = best
    print(f"chosen: C={c} threshold={t} (leave-one-set-out P {p:.2f} R {r:.2f} F1 {f1:.2f})")
    model = _fit(X, Y, c)
    data = {"features": names, "coef": [round(float(w), 6) for w in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6), "threshold": t, "C": c,
            "trained_on": [Path(p).stem for p in train_sets],
            "leave_one_set_out": {"precision": round(p, 3), "recall": round(r, 3), "level": "sentence pair"}}
    if args.holdout:
        hrows = examples(args.judge, args.holdout, settings, words)
        judge = pairs.PairModel(data)
        hs = [judge.score(r[3]) for r in hrows]
        tp, npred, npos = _pr([(r[1], r[2]) for r in hrows], [r[4] for r in hrows], hs, t)
        print(f"held out ({', '.join(Path(p).stem for p in args.holdout)}): "
              f"P {tp / max(npred, 1):.2f} ({tp}/{npred})  R {tp / max(npos, 1):.2f} ({tp}/{npos})")
        data["held_out"] = {"sets": [Path(p).stem for p in args.holdout], "true": tp, "predicted": npred,
                            "expected": npos, "level": "sentence pair"}
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
