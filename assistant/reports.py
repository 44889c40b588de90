"""Eval reports: comparison with an earlier run, Markdown, and one self-contained HTML file.

Everything here works on the JSON shape of ``Report.to_dict()``, so an old report read back
from disk and a fresh one are handled the same way.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError

# Totals where a lower value is better (a rise is a regression).
_LOWER_IS_BETTER = {"false_abstentions", "latency_p50_s", "latency_p95_s", "errors",
                    "prompt_tokens", "completion_tokens"}


@dataclass
class CaseChange:
    """A case that passed in one run and failed in the other."""

    id: str
    before: str
    after: str


@dataclass
class Comparison:
    """What changed between an earlier report and this one.

    Attributes:
        regressions: Cases that passed before and fail now.
        improvements: Cases that failed before and pass now.
        deltas: ``{metric: {"before", "after", "delta"}}`` for totals present in both.
        added: Case ids only in the new run.
        removed: Case ids only in the old run.
    """

    regressions: list[CaseChange] = field(default_factory=list)
    improvements: list[CaseChange] = field(default_factory=list)
    deltas: dict[str, dict[str, float]] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_report(path: str | Path) -> dict[str, Any]:
    """Read a report written by ``assistant eval --out``; InputError when it is not one."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read report {p}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("totals"), dict):
        raise InputError(f"{p} is not an eval report (no 'totals'); write one with --out")
    return data


def _outcomes(report: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    out = {}
    for r in report.get("results", []):
        out[str(r["id"])] = (bool(r.get("correct")), str(r.get("got", "")))
    for s in report.get("summaries", []):
        ok = (s.get("error") is None and s.get("facts_covered") == s.get("facts")
              and s.get("citations_valid") == s.get("citations")
              and s.get("sentences", 0) <= s.get("max_sentences", 10**9))
        out[str(s["id"])] = (ok, f"facts {s.get('facts_covered')}/{s.get('facts')}")
    for r in report.get("flag_eval", {}).get("results", []):
        ok = r["matched_expected"] == r["expected"] and r["matched_predicted"] == r["predicted"]
        out["flags:" + str(r["id"])] = (ok, f"matched {r['matched_expected']}/{r['expected']}, "
                                            f"predicted {r['predicted']}")
    return out


def compare(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """Per-case regressions and improvements (matched by id) and metric deltas."""
    before, after = _outcomes(old), _outcomes(new)
    c = Comparison()
    for cid, (ok_now, got_now) in after.items():
        if cid not in before:
            c.added.append(cid)
            continue
        ok_then, got_then = before[cid]
        if ok_then and not ok_now:
            c.regressions.append(CaseChange(cid, got_then, got_now))
        elif ok_now and not ok_then:
            c.improvements.append(CaseChange(cid, got_then, got_now))
    c.removed = [cid for cid in before if cid not in after]
    for key, value in new.get("totals", {}).items():
        was = old.get("totals", {}).get(key)
        if isinstance(value, (int, float)) and isinstance(was, (int, float)) \
                and not isinstance(value, bool):
            c.deltas[key] = {"before": was, "after": value, "delta": round(value - was, 4)}
    return c


def _fmt(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def comparison_lines(c: Comparison) -> list[str]:
    """Plain-text lines for the terminal."""
    lines = [f"compare: {len(c.regressions)} regression(s), {len(c.improvements)} improvement(s)"
             + (f", {len(c.added)} new case(s)" if c.added else "")
             + (f", {len(c.removed)} case(s) gone" if c.removed else "")]
    for ch in c.regressions:
        lines.append(f"  REGRESSED  {ch.id}: was {ch.before[:60]!r}, now {ch.after[:60]!r}")
    for ch in c.improvements:
        lines.append(f"  IMPROVED   {ch.id}: was {ch.before[:60]!r}, now {ch.after[:60]!r}")
    moved = {k: d for k, d in c.deltas.items() if d["delta"]}
    if moved:
        lines.append("  " + ", ".join(f"{k} {_fmt(d['before'])} → {_fmt(d['after'])} "
                                      f"({d['delta']:+g})" for k, d in moved.items()))
    return lines


# ---- Markdown -------------------------------------------------------------------------------

_METRIC_NAMES = {
    "cases": "question cases", "answer_accuracy": "answer accuracy",
    "exact_match": "exact match (normalised, text answers)", "token_f1": "token F1 (text answers)",
    "abstention_precision": "abstention precision", "abstention_recall": "abstention recall",
    "abstention_accuracy": "abstention accuracy (= recall)", "false_abstentions": "false abstentions",
    "citation_validity": "citation validity (quote = text at offsets)",
    "citation_support": "citation support (expected quote cited)",
    "flag_precision": "flag precision (answers)", "flag_recall": "flag recall (answers)",
    "latency_p50_s": "latency p50 (s)", "latency_p95_s": "latency p95 (s)",
    "prompt_tokens": "prompt tokens", "completion_tokens": "completion tokens",
    "judged_by_llm": "answers decided by LLM judge", "errors": "errors",
    "summary_cases": "summary cases", "fact_coverage": "summary fact coverage",
    "summary_citation_validity": "summary citation validity",
    "sentences_cited": "summary sentences with a citation",
    "flag_cases": "flag-file cases", "flag_eval_precision": "flag-file precision",
    "flag_eval_recall": "flag-file recall",
}


def _md_cell(v: Any) -> str:
    return _fmt(v).replace("|", "\\|").replace("\n", " ")


def _md_table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return out


def _short(text: Any, n: int = 80) -> str:
    s = "" if text is None else str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def to_markdown(report: dict[str, Any], comparison: Comparison | None = None,
                title: str = "Eval report") -> str:
    """The report as Markdown: totals, breakdowns by tag, comparison, per-case tables."""
    lines = [f"# {title}", ""]
    meta = report.get("meta") or {}
    if meta:
        lines += [", ".join(f"{k}: {_fmt(v) if not isinstance(v, list) else ', '.join(map(str, v))}"
                            for k, v in meta.items()), ""]
    lines += ["## Totals", ""]
    lines += _md_table(["metric", "value"], [[_METRIC_NAMES.get(k, k), v]
                                             for k, v in report["totals"].items()])
    for tag, groups in (report.get("breakdown") or {}).items():
        lines += ["", f"## By {tag}", ""]
        lines += _md_table([tag, "cases", "accuracy", "abstention recall", "false abstentions",
                            "citation support", "p50 (s)"],
                           [[v, g["cases"], g["answer_accuracy"], g["abstention_recall"],
                             g["false_abstentions"], g["citation_support"], g["latency_p50_s"]]
                            for v, g in groups.items()])
    if comparison is not None:
        lines += ["", "## Compared with the earlier run", ""]
        lines += [f"{len(comparison.regressions)} regression(s), "
                  f"{len(comparison.improvements)} improvement(s).", ""]
        if comparison.regressions or comparison.improvements:
            lines += _md_table(["case", "change", "before", "after"],
                               [[ch.id, "regressed", _short(ch.before), _short(ch.after)]
                                for ch in comparison.regressions]
                               + [[ch.id, "improved", _short(ch.before), _short(ch.after)]
                                  for ch in comparison.improvements])
            lines.append("")
        lines += _md_table(["metric", "before", "after", "delta"],
                           [[_METRIC_NAMES.get(k, k), d["before"], d["after"], f"{d['delta']:+g}"]
                            for k, d in comparison.deltas.items()])
    if report.get("results"):
        lines += ["", "## Questions", ""]
        lines += _md_table(["", "id", "type", "expected", "got", "citations valid", "support",
                            "s", "judged by"],
                           [["PASS" if r["correct"] else "FAIL", r["id"], r.get("type", ""),
                             r["expected"] if r["expected"] is not None else "(abstain)",
                             _short(r["got"]), f"{r['citations_valid']}/{r['citations']}",
                             r.get("supported"), round(r["seconds"], 2), r.get("judged_by", "rule")]
                            for r in report["results"]])
    if report.get("summaries"):
        lines += ["", "## Summaries", ""]
        lines += _md_table(["id", "document / topic", "facts covered", "citations valid",
                            "sentences cited", "missing"],
                           [[s["id"], s.get("document") or s.get("topic") or "(corpus)",
                             f"{s['facts_covered']}/{s['facts']}",
                             f"{s['citations_valid']}/{s['citations']}",
                             f"{s['sentences_cited']}/{s['sentences']}",
                             _short("; ".join(s.get("missing_facts") or []) or s.get("error"), 100)]
                            for s in report["summaries"]])
    fe = report.get("flag_eval")
    if fe:
        lines += ["", "## Flag cases", ""]
        lines += _md_table(["id", "expected", "predicted", "matched expected",
                            "matched predicted"],
                           [[r["id"], r["expected"], r["predicted"], r["matched_expected"],
                             r["matched_predicted"]] for r in fe["results"]])
    return "\n".join(lines) + "\n"


# ---- HTML -----------------------------------------------------------------------------------


def bar_chart_svg(values: dict[str, float], title: str = "Answer accuracy by question type",
                  width: int = 640) -> str:
    """A horizontal bar chart (0..1 values) as inline SVG: no script, no external resource."""
    bar_h, gap, left, top = 22, 8, 150, 30
    height = top + len(values) * (bar_h + gap) + 24
    plot = width - left - 60
    e = html.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'aria-label="{e(title)}">',
             f'<title>{e(title)}</title>',
             f'<text x="0" y="18" font-size="14" font-weight="bold">{e(title)}</text>']
    for i, (label, value) in enumerate(values.items()):
        y = top + i * (bar_h + gap)
        w = max(0.0, min(1.0, value)) * plot
        colour = "#2e7d32" if value >= 0.9 else "#f9a825" if value >= 0.6 else "#c62828"
        parts += [f'<text x="{left - 8}" y="{y + bar_h * 0.7:.0f}" font-size="12" '
                  f'text-anchor="end">{e(label)}</text>',
                  f'<rect x="{left}" y="{y}" width="{plot}" height="{bar_h}" fill="#eee"/>',
                  f'<rect class="bar" x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                  f'fill="{colour}"><title>{e(label)}: {value:.3f}</title></rect>',
                  f'<text x="{left + plot + 6}" y="{y + bar_h * 0.7:.0f}" font-size="12">'
                  f'{value * 100:.0f}%</text>']
    axis_y = top + len(values) * (bar_h + gap) + 12
    for tick in (0, 0.5, 1):
        x = left + tick * plot
        parts.append(f'<text x="{x:.0f}" y="{axis_y}" font-size="10" text-anchor="middle">'
                     f'{tick * 100:.0f}%</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.pass{color:#2e7d32;font-weight:bold}td.fail{color:#c62828;
font-weight:bold}.muted{color:#777}"""


def _table(headers: list[str], rows: list[list[Any]], classes: list[str] | None = None) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cls = classes[i] if classes else ""
        cells = "".join(
            f'<td class="{cls}">{e(_fmt(v))}</td>' if j == 0 and cls else f"<td>{e(_fmt(v))}</td>"
            for j, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def to_html(report: dict[str, Any], comparison: Comparison | None = None,
            title: str = "Eval report") -> str:
    """One self-contained HTML page (inline CSS and SVG; no script, no network)."""
    e = html.escape
    out = [f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           f"<title>{e(title)}</title><style>{_CSS}</style></head><body>", f"<h1>{e(title)}</h1>"]
    meta = report.get("meta") or {}
    if meta:
        out.append('<p class="muted">' + e("; ".join(
            f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else _fmt(v)}"
            for k, v in meta.items())) + "</p>")
    by_type = (report.get("breakdown") or {}).get("type") or {}
    if by_type:
        out.append(bar_chart_svg({k: v["answer_accuracy"] for k, v in by_type.items()}))
    out.append("<h2>Totals</h2>")
    out.append(_table(["metric", "value"], [[_METRIC_NAMES.get(k, k), v]
                                            for k, v in report["totals"].items()]))
    for tag, groups in (report.get("breakdown") or {}).items():
        out.append(f"<h2>By {e(tag)}</h2>")
        out.append(_table([tag, "cases", "accuracy", "abstention recall", "false abstentions",
                           "citation support", "p50 (s)"],
                          [[v, g["cases"], g["answer_accuracy"], g["abstention_recall"],
                            g["false_abstentions"], g["citation_support"], g["latency_p50_s"]]
                           for v, g in groups.items()]))
    if comparison is not None:
        out.append("<h2>Compared with the earlier run</h2>")
        out.append(f"<p>{len(comparison.regressions)} regression(s), "
                   f"{len(comparison.improvements)} improvement(s).</p>")
        changes = ([[ch.id, "regressed", ch.before, ch.after] for ch in comparison.regressions]
                   + [[ch.id, "improved", ch.before, ch.after] for ch in comparison.improvements])
        if changes:
            out.append(_table(["case", "change", "before", "after"], changes,
                              ["fail"] * len(comparison.regressions)
                              + ["pass"] * len(comparison.improvements)))
        out.append(_table(["metric", "before", "after", "delta"],
                          [[_METRIC_NAMES.get(k, k), d["before"], d["after"], f"{d['delta']:+g}"]
                           for k, d in comparison.deltas.items()]))
    results = report.get("results") or []
    if results:
        out.append("<h2>Questions</h2>")
        out.append(_table(
            ["result", "id", "type", "question", "expected", "got", "citations valid", "support",
             "seconds", "judged by"],
            [["PASS" if r["correct"] else "FAIL", r["id"], r.get("type", ""), r["question"],
              r["expected"] if r["expected"] is not None else "(abstain)", r["got"],
              f"{r['citations_valid']}/{r['citations']}", r.get("supported"),
              round(r["seconds"], 2), r.get("judged_by", "rule")] for r in results],
            ["pass" if r["correct"] else "fail" for r in results]))
    if report.get("summaries"):
        out.append("<h2>Summaries</h2>")
        out.append(_table(["id", "document / topic", "facts covered", "citations valid",
                           "sentences cited", "missing facts", "summary"],
                          [[s["id"], s.get("document") or s.get("topic") or "(corpus)",
                            f"{s['facts_covered']}/{s['facts']}",
                            f"{s['citations_valid']}/{s['citations']}",
                            f"{s['sentences_cited']}/{s['sentences']}",
                            "; ".join(s.get("missing_facts") or []) or s.get("error") or "",
                            s.get("text", "")] for s in report["summaries"]]))
    fe = report.get("flag_eval")
    if fe:
        out.append("<h2>Flag cases</h2>")
        out.append(_table(["id", "expected", "predicted", "matched expected", "matched predicted",
                           "flags raised"],
                          [[r["id"], r["expected"], r["predicted"], r["matched_expected"],
                            r["matched_predicted"], " | ".join(r.get("flags") or [])]
                           for r in fe["results"]]))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_text(path: str | Path, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc}") from None
