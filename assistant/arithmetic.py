"""Figures that cannot all hold: parts that miss their total, a difference that is not the gap
between the two figures it describes, a percentage change that is not the change between its two
values, a share that is not its part over its whole, one count written with its digits swapped.

Each check is the arithmetic a careful reader does, applied only where the sentence says the
relation holds (a list of parts and a total of the same thing, a "margin" beside two counts, "a
third of" beside a part). Written figures carry their own precision: "1.8 million" may be rounded
to the nearest 100,000, "12,408" and "600,000" are read as written, and "about" widens any of
them. A miss beyond that precision is flagged; a relation another set of the article's figures
satisfies exactly is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from . import extract, nlp
from .text import stem, terms

# durations ("2 hours, 21 minutes and 9 seconds") are one measure, never a list of parts
_DURATIONS = frozenset(stem(w) for w in """second seconds minute minutes hour hours day days week weeks
    month months year years decade decades""".split())

if TYPE_CHECKING:  # audit imports this module lazily; the types are only for reading
    from .audit import Facts, Figure

_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                   "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "tenth": 10, "tenths": 10}
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_FRACTION = re.compile(
    r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine)[\s-]+(?P<d>half|halves|thirds?|quarters?|"
    r"fourths?|fifths?|sixth|tenths?)\b(?=\s+of\b)"
    r"|\b(?P<n2>one|two|three|four|five|six|seven|eight|nine|\d)\s+(?:in|out of)\s+(?:every\s+)?"
    r"(?P<d2>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b"
    r"|\b(?P<half>half)(?=\s+(?:of\s+)?(?:the|its|their|all)\b)", re.I)
# a fraction set after its part with no "of": "90 of them, or about a third, the museum said"
_FRACTION_WORDED = re.compile(r"\b(?P<n>a|an|one|two|three|four)[\s-]+(?P<d>half|thirds?|quarters?|fifths?|tenths?)\b",
                              re.I)


def fraction_percents(text: str) -> set[float]:
    """"by about a fifth" → 20, "two-thirds" → 66.7: fractions in words, as percentages."""
    return {100 * _SMALL[m.group("n").lower()] / _FRACTION_WORDS[m.group("d").lower()]
            for m in _FRACTION_WORDED.finditer(text)}


_FRACTION_APPOSED = re.compile(
    r",\s+or\s+(?P<q>(?:about|around|roughly|nearly|almost|some)\s+)?(?P<a>a|an|one|two|three|four)[\s-]+"
    r"(?P<ad>half|thirds?|quarters?|fifths?|tenths?)\b(?=\s*[,.;])", re.I)
_LOOSE = re.compile(r"\b(about|around|roughly|nearly|almost|some|approximately|close to|more than|"
                    r"less than|fewer than|over|under|just over|just under|upwards of|an estimated|"
                    r"estimated|at least|at most|up to|above|below|as many as|as few as|as much as|in excess of)\s*$", re.I)
# the noun a difference is named by, just before ("a margin of 37 votes") or after ("the €600,000 reduction")
_DIFF_NOUN = r"(?:margin|gap|difference|reduction|cut|saving|savings|shortfall|lead|increase|rise|drop|fall|decrease|" \
    r"jump|leap|surge|climb|slump|plunge|decline|loss|gain|overrun|overspend|underspend)"
_DIFF_BEFORE = re.compile(rf"\b{_DIFF_NOUN}\s+of\s+(?:just|only|some|about|around|roughly|nearly|almost|exactly)?\s*$"
                          r"|\b(?:amount|amounts|amounted|come|comes|came|work|works|worked)\s+(?:out\s+)?to\s+an?\s+"
                          r"(?:extra|additional)\s+[$€£¥]?$"  # "would amount to an extra $7.60"
                          r"|\bthe\s+(?:additional|extra)\s+[$€£¥]?$", re.I)  # "the additional 38 hectares"
_DIFF_AFTER = re.compile(rf"^\s*(?:[a-z-]+\s+)?{_DIFF_NOUN}\b", re.I)
# a change told by its verb: "losing 26,500 daily buyers", "shed 430 jobs", "adding 1,200 members"
_DIFF_VERB = re.compile(r"\b(?:losing|lost|shedding|shed|gaining|gained|adding|added)\s+(?:a\s+further\s+|just\s+|"
                        r"some\s+|about\s+|around\s+|nearly\s+|almost\s+)?$", re.I)
_POINTS = re.compile(r"^[\s-]*(?:per\s?cent(?!age)|%)?\s*(?:percentage\s+)?points?\b", re.I)
_DIFF_BY = re.compile(r"\b(?:won|win|wins|winning|lost|lose|loses|losing|beat|beaten|led|leads|trailed|trails|"
                      r"cut|reduced|lowered|raised|increased|decreased)\b[^.;,\d]{0,20}\bby\s+(?:just|only|some|"
                      r"about|around|roughly|nearly|almost)?\s*$", re.I)
# words that make a figure the total of others nearby
_TOTAL_CUE = re.compile(r"\b(?:in total|in all|altogether|combined|overall|total of|a total|totalling|"
                        r"totaling|the total(?:\s+[\w-]+)?\s+(?:stood|stands|was|is|came|comes))\b", re.I)
# "bringing the total to 206": the figure the thing is brought to, not one brought along ("brings
# nine vets to the merger")
_BROUGHT_TO = re.compile(r"\bbring\w*\s+(?:[\w'’-]+\s+){0,3}?to\s+(?:a\s+total\s+of\s+|about\s+|some\s+|around\s+)?$", re.I)
# an amount named as a budget or package is the total its listed spending shares out
_BUDGET = re.compile(r"\b(?:budget|package)\b", re.I)
# figures that are a selection, not a partition ("including 40 ...", "among them 12 ...")
_SELECTION = re.compile(r"\b(?:including|includ\w+|among|such as|of whom|of which|each|every|per|a day|"
                        r"a week|a month|a year|an hour)\b", re.I)
_CHANGE = re.compile(r"\b(?:rose|rise|risen|rising|fell|fall|fallen|falling|grew|grow|growth|increas\w*|"
                     r"decreas\w*|declin\w*|drop\w*|jump\w*|climb\w*|up|down|higher|lower|interest|rate|"
                     r"inflation|turnout|tax|levy|vat|discount|stake|majority)\b", re.I)


@dataclass(frozen=True)
class Share:
    """A share stated in a sentence: its value in percent, how loosely it is meant, where it ends."""

    start: int
    end: int
    percent: float
    tolerance: float


def flags(f: Facts, words) -> list:
    """Number flags for the figures of one article that cannot all hold."""
    from .audit import _cite_sent, _flag

    out, seen = [], set()
    # figures written as words ("eleven clinics": "four ..., three ... and five ...", "nine
    # percentage points") count in sums and differences; elsewhere they are too often not figures
    worded = [g for g in f.figures if _usable(g, worded=True)]
    pool = [g for g in worded if extract.definite(g.span.text)]
    everything = [g for g in f.figures if _usable(g, hedged=True) and extract.definite(g.span.text)]
    hedged_too = [g for g in f.figures if _usable(g, hedged=True, worded=True)]
    found = (_sums(hedged_too, f) + _of_parts(worded) + _remainder_lists(pool) + _differences(hedged_too)
             + _changes(pool, everything) + _shares(f, pool, words) + _counted_shares(f, pool, words)
             + _stated_elsewhere(pool) + _swapped(pool, words) + _margins(f) + _standings(f)
             + _rate_totals(f, hedged_too) + _remaining(pool, words) + _new_values(pool) + _old_values(f, everything))
    for problem, figs in found:
        sents = sorted({id(x): x for x in (getattr(g, "sent", g) for g in figs)}.values(), key=lambda s: s.i)
        if (key := tuple(s.i for s in sents)) in seen:
            continue  # one slip found by two checks ("the remaining 7 million" closes a listed sum)
        seen.add(key)
        out.append(_flag("number_conflict", problem, [_cite_sent(f.doc, s) for s in sents]))
    return out


# "14 seconds ahead of Poland's Marek Kowalczyk" / "19 seconds clear of Kowalczyk"
_MARGIN = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s+(?P<unit>seconds?|minutes?|points?|votes?|goals?|strokes?|lengths?|"
                     r"metres?|shots?|runs?|laps?)\s+(?:ahead of|clear of|in front of|behind|adrift of)\s+"
                     r"(?:[A-Z][\w-]*['’]s\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")
# a margin at some point of a contest, not at its end
_PART_WAY = re.compile(r"\b(?:halfway|half-time|at the break|after (?:the )?(?:first|second|third|\d+)|"
                       r"(?<!final )(?<!last )(?:stage|lap|leg|round)|earlier|at one point|with \w+ (?:laps?|holes?|kilometres?|miles?) to go)\b", re.I)


def _margins(f: Facts) -> list[tuple[str, list[Figure]]]:
    """One winner's margin over the same rival given twice with different values."""
    seen = []
    for s in f.sents:
        for m in _MARGIN.finditer(s.text):
            if _PART_WAY.search(s.text):
                continue
            unit = m.group("unit").rstrip("s")
            rival = m.group("name").split()[-1]
            for s2, m2, unit2, rival2 in seen:
                if unit2 == unit and rival2 == rival and float(m2.group("n")) != float(m.group("n")) and s2 is not s:
                    a = next((g for g in f.figures if g.sent is s2 and g.span.start <= m2.start("n") < g.span.end), None)
                    b = next((g for g in f.figures if g.sent is s and g.span.start <= m.start("n") < g.span.end), None)
                    if a is not None and b is not None:
                        return [(f"The margin over {rival} is given as {m2.group('n')} and as {m.group('n')} "
                                 f"{m.group('unit')}.", [a, b])]
            seen.append((s, m, unit, rival))
    return []


# "the Rockets on 52 points, three clear of the Kestrels": a margin whose unit is the figure's before it
_GAP = re.compile(r"(?P<lead>[$€£¥]?\d[\d,.]*)\s+(?P<unit>[a-z]+)[^.;]{0,40}?,\s+(?P<n>[\w.-]+)\s+(?:(?P=unit)\s+)?"
                  r"(?P<dir>ahead of|clear of|in front of|behind|adrift of|short of|more than|fewer than|less than)\s+"
                  r"(?:the\s+)?(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")


def _standings(f: Facts) -> list[tuple[str, list[Figure]]]:
    """A lead given with both standings: "the Rockets on 52 points, three clear of the Kestrels"
    against "the Kestrels ended the season on 50 points"."""
    out = []
    for s in f.sents:
        for m in _GAP.finditer(s.text):
            if _PART_WAY.search(s.text[:m.end()]):
                continue  # "at half-time ..."; what follows may tell of another game
            lead, gap = extract.number(m.group("lead")), extract.number(m.group("n"))
            if not lead or not gap or gap >= lead:
                continue
            rival, unit = m.group("name").split()[-1], m.group("unit")
            below = m.group("dir") in {"behind", "adrift of", "short of", "fewer than", "less than"}
            want = lead + gap if below else lead - gap
            for s2 in f.sents:
                if s2 is s or not re.search(rf"\b{re.escape(rival)}\b", s2.text):
                    continue
                # the rival's own figure: the one of the unit right after its name
                r = re.search(rf"\b{re.escape(rival)}\b[^.;,\d]{{0,40}}?\b(?:on|with|at|had|has|finished|ended|"
                              rf"scored|totalled|reached)\s+(?:[a-z]+\s+){{0,2}}?(?P<v>\d[\d,.]*)\s+{unit}\b", s2.text)
                if not r or len(re.findall(rf"\d[\d,.]*\s+{unit}\b", s2.text)) != 1 \
                        or _PART_WAY.search(s2.text[:r.end()]):
                    continue
                v = extract.number(r.group("v"))
                if v is None or v == want:
                    continue
                a = next((g for g in f.figures if g.sent is s and g.span.start <= m.start("lead") < g.span.end), None)
                b = next((g for g in f.figures if g.sent is s2 and g.span.start <= r.start("v") < g.span.end), None)
                if a is not None and b is not None:
                    out.append((f"“{m.group('lead')} {unit}, {m.group('n')} {m.group('dir')} {m.group('name')}” puts "
                                f"{m.group('name')} on {want:g} {unit}, not the “{r.group('v')} {unit}” given.", [a, b]))
    return out


_SPAN_OF = re.compile(r"\b(?P<n>[\w-]+)-(?P<per>year|month|week)\b", re.I)
_PER = re.compile(r"^\s*(?:a|an|per|each|every)\s+(?P<per>[a-z]+)\b", re.I)


def _rate_totals(f: Facts, pool: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """An amount over a span against its rate: "a three-year, $4.2 million contract" / "pay $1.6
    million a year"; an amount raised from a count at a rate: "£2 per person per night" / "£1.8
    million a year, based on ... 600,000 chargeable adult visitor-nights"."""
    out = []
    money = [g for g in pool if _kind(g).startswith("money:")]
    for t in money:
        s = t.sent.text
        clause = s[max(0, t.span.start - 30):t.span.end + 3]
        m = _SPAN_OF.search(clause)
        n = extract.number(m.group("n")) if m else None
        products = []
        if n and n >= 2:
            # "a three-year, $4.2 million contract": rates of that currency per year
            for r in money:
                per = _PER.match(r.sent.text[r.span.end:r.span.end + 14])
                if r is not t and _kind(r) == _kind(t) and per and per.group("per").lower() == m.group("per").lower():
                    products.append((r, None, (r.span.value or 0) * n,
                                     f"{n:g} {m.group('per').lower()}s at “{r.span.text}” a {m.group('per').lower()}"))
        else:
            # "£1.8 million a year, based on 600,000 visitor-nights": a count in the amount's sentence
            for c in pool:
                if c.sent is not t.sent or _kind(c) != "count" or not re.search(r"\d", c.span.text) \
                        or stem(c.noun) in _DURATIONS:
                    continue  # a count of things charged for, not "over two years"
                units = {stem(w) for w in re.findall(r"[a-z]+", " ".join((c.noun, *c.span.unit)).lower())}
                for r in money:
                    per = re.findall(r"\b(?:per|a|an|each)\s+([a-z]+)", r.sent.text[r.span.end:r.span.end + 30])
                    if r is t or r.sent is t.sent or _kind(r) != _kind(t) or not per \
                            or not {stem(w) for w in per} <= units | {stem("person"), stem("head")}:
                        continue  # "£2 per person per night" charges what the count counts
                    products.append((r, c, (r.span.value or 0) * (c.span.value or 0),
                                     f"“{c.span.text}” at “{r.span.text}”"))
        if not products or any(not _differ(v, t, [x for x in (r, c) if x is not None]) for r, c, v, _ in products):
            continue
        near = [x for x in products if 0.5 <= x[2] / (t.span.value or 1) <= 2]
        if len(near) != 1:
            continue
        r, c, v, how = near[0]
        out.append((f"{how} come to {v:,.0f}, not the “{t.span.text}” given.",
                    [t, r] + ([c] if c is not None and c.sent is not t.sent else [])))
    return out


# "will shut 48 of its 160 stores" / "After the closures, Hartwell will trade from 102 shops"
_REDUCE = re.compile(r"\b(?:shut|shuts|shutting|close|closes|closing|closed|cut|cuts|cutting|axe|axes|axing|sell|sells|"
                     r"selling|sold|scrap|scraps|scrapping|lose|loses|losing|lost)\s+$", re.I)
_AFTER = re.compile(r"\b(?:after the (?:closures?|cuts?|sales?|disposals?|changes?)|once the (?:closures?|cuts?)|"
                    r"(?:will be|would be) left with|leaving (?:it|them) with|remaining)\b", re.I)


def _remaining(pool: list[Figure], words) -> list[tuple[str, list[Figure]]]:
    """A part taken away from its whole, against the count said to remain afterwards."""
    from .audit import _similarity

    out = []
    for g in pool:
        if _kind(g) != "count" or not g.share or not _REDUCE.search(g.sent.text[max(0, g.span.start - 12):g.span.start]):
            continue
        whole = next((x for x in pool if x.sent is g.sent and x.span.start > g.span.end and _kind(x) == "count"), None)
        if whole is None or not whole.noun or (whole.span.value or 0) <= (g.span.value or 0):
            continue
        left = (whole.span.value or 0) - (g.span.value or 0)
        for r in pool:
            if r.sent is g.sent or _kind(r) != "count" or not r.noun or not _AFTER.search(r.sent.text):
                continue
            alike = stem(r.noun) == stem(whole.noun) or (words is not None and _similarity(words, r.noun, whole.noun) >= 0.6)
            if alike and 0 < (r.span.value or 0) < (whole.span.value or 0) and abs((r.span.value or 0) - left) > _precision(r):
                out.append((f"{whole.span.text} less {g.span.text} leaves {left:,.0f}, not “{r.span.text}”.", [g, whole, r]))
                return out
    return out


def _new_values(pool: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """"The single fare will go up from 2.40 crowns to 2.75 crowns" / "the new 2.85-crown single
    fare": the new value of one thing given twice."""
    ends = []  # (the figure a thing goes to, the words naming the thing)
    for x in pool:
        for y in pool:
            if y.sent is not x.sent or y.span.start <= x.span.start or _kind(y) != _kind(x):
                continue
            text = x.sent.text
            if re.search(r"\bfrom\s+$", text[max(0, x.span.start - 12):x.span.start]) \
                    and re.fullmatch(r"\s*(?:[\w-]+\s+){0,2}?to\s+", text[x.span.end:y.span.start]):
                # the thing is named just before the change: "The standard adult single fare will go up"
                lead = text[:x.span.start]
                lead = lead[lead.rfind(",") + 1:] if "," in lead[-80:] else lead[-80:]
                ends.append((y, {t for t in terms(lead) if len(t) > 3}))
    for y, thing in ends:
        for z in pool:
            if z.sent is y.sent or _kind(z) != _kind(y) or z.span.value == y.span.value:
                continue
            if not re.search(r"\bnew\s+$", z.sent.text[max(0, z.span.start - 8):z.span.start]):
                continue
            named = set(terms(z.sent.text[z.span.end:z.span.end + 30])[:3])
            if thing & named:
                return [(f"The new value is given as “{y.span.text}” and as “{z.span.text}”.", [y, z])]
    return []


_ADD_TO_TOTAL = re.compile(r"\b(?:add|adds|added|adding)\s+(?P<n>[\w-]+(?:,\d{3})*)\s+(?P<noun>[a-z][\w-]*)\b[^.;]{0,40}?"
                           r"\b(?:bring|brings|bringing|brought|taking|take|takes)\s+(?:the|its|their)\s+(?:total|number|count|tally)"
                           r"(?:\s+of\s+\w+)?\s+to\s+(?P<t>\d{1,3}(?:,\d{3})*)", re.I)
_NOW = re.compile(r"\b(?:current|existing|present)\s+$", re.I)


def _old_values(f: Facts, everything: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """"The expansion will add six gates, bringing the total to 18" / "the terminal's current 14
    gates": the count before a change, given twice and differently. A figure called current or
    existing is checked against what the change starts from."""
    for s in f.sents:
        for m in _ADD_TO_TOTAL.finditer(s.text):
            n, t = extract.number(m.group("n")), extract.number(m.group("t"))
            if n is None or t is None or n >= t:
                continue
            before, noun = t - n, stem(m.group("noun"))
            for z in everything:
                if z.sent is s or not _NOW.search(z.sent.text[max(0, z.span.start - 12):z.span.start]) \
                        or stem(z.noun) != noun or abs((z.span.value or 0) - before) <= _precision(z):
                    continue
                return [(f"Adding {m.group('n')} to reach {m.group('t')} starts from {before:,.0f}, not the "
                         f"“{z.span.text}” said to be there now.", [s, z])]
    return []


def _usable(g: Figure, hedged: bool = False, worded: bool = False) -> bool:
    return (not re.fullmatch(r"(?:19|20)\d\d", g.span.text) and g.span.value is not None
            and g.span.value > 0 and (hedged or not g.hedged) and not g.ranged
            and g.noun != "age" and bool(re.search(r"\d", g.span.text) or worded and g.span.value >= 2)
            and not re.match(r"(st|nd|rd|th)\b", g.sent.text[g.span.end:g.span.end + 3])
            # a figure in words counts something it names ("by eleven," is a time of day)
            and (bool(re.search(r"\d", g.span.text)) or bool(g.noun) or "percent" in g.span.unit))


def _kind(g: Figure) -> str:
    if "percent" in g.span.unit:
        return "percent"
    if g.noun.startswith("money:"):
        return g.noun
    return "count"


def _step(g: Figure) -> float:
    """The last written digit of a figure, in its units: 1 for "12,408", 100,000 for "1.8 million"."""
    text = re.sub(r"\s?(thousand|million|billion|trillion|bn|mn|m|k)\b.*", "", g.span.text.split("-")[0], flags=re.I)
    text = re.sub(r"[^\d.]", "", text)
    value = g.span.value or 0
    if not text or not float(text):
        return 1.0
    step = 10 ** -len(text.split(".")[1]) if "." in text else 1
    return step * value / float(text)


def _loose(g: Figure) -> bool:
    # "a further £600,000" is exact; "about 600,000" is not
    return bool(g.span.qualifier and _LOOSE.search(g.span.qualifier)
                or _LOOSE.search(g.sent.text[max(0, g.span.start - 20):g.span.start]))


def _precision(g: Figure) -> float:
    """How far the true value may lie from the written one: half the last written digit
    ("1.8 million" ± 50,000; "12,408" ± 0.5; "600,000" is as exact as it is written), 5% for
    "about"."""
    value = g.span.value or 0
    return max(0.5 * _step(g), 0.05 * value if _loose(g) else 0.0)


def _differ(computed: float, stated: Figure, figs: list[Figure]) -> bool:
    """A computed value and a written one disagree at the precision they are written in: by a
    whole unit of the coarsest figure's last digit ("1.8 million" less "1.1 million" is 700,000,
    which a "600,000" misses by one), and beyond 5% when any of them is loose."""
    gap = abs(computed - (stated.span.value or 0))
    step = max(_step(g) for g in [stated] + figs)
    if any(_loose(g) for g in [stated] + figs):
        step = max(step, 0.05 * max(abs(computed), stated.span.value or 0))
    return gap >= step * 0.999


def _counts_noun(g: Figure) -> bool:
    """The figure's noun follows it ("3,100 seats"); "from 9,400 to 12,000, the biggest" counts
    nothing it names, whatever word the extractor kept."""
    after = re.split(r"[,;:.\d]|\b(?:to|from|and|or|than)\b", g.sent.text[g.span.end:g.span.end + 40])[0]
    return bool(g.noun) and (g.noun.startswith("money:") or "percent" in g.span.unit
                             or stem(g.noun) in set(terms(after)[:3]))


def _same_thing(a: Figure, b: Figure) -> bool:
    """The two figures count the same noun, or one of them names no noun of its own."""
    if not a.noun or not b.noun:
        return True
    return stem(a.noun) == stem(b.noun) or stem(a.noun) in set(terms(b.sent.text)) \
        or stem(b.noun) in set(terms(a.sent.text))


def _sums(pool: list[Figure], f: Facts) -> list[tuple[str, list[Figure]]]:
    """A list of parts in one sentence against a total of the same thing."""
    out = []
    by_sent: dict[int, list[Figure]] = {}
    for g in pool:
        by_sent.setdefault(id(g.sent), []).append(g)
    for figs in by_sent.values():
        s = figs[0].sent
        for kind in {_kind(g) for g in figs} - {"percent"}:
            same = [g for g in figs if _kind(g) == kind and not g.old and stem(g.noun) not in _DURATIONS]
            # a list told as a plan ("860 of the new slots would fall on evenings and 290 on
            # Saturdays") is checked only against a planned total
            planned = bool(same) and all(g.hedged for g in same)
            same = same if planned else [g for g in same if not g.hedged]
            every = same
            digits = [g for g in same if extract.definite(g.span.text)]
            if len(digits) >= 2:
                same = digits  # "three tenures: 1,800 ..., 900 ... and 600 ...": the words name the list
            if len(same) < 2 or _SELECTION.search(s.text[:max(g.span.end for g in same)]):
                continue
            # the total may sit in this sentence ("add 84 beds to 120, bringing it to 206 in total")
            # "In total, 208 received the drug while 196 ...": an opening cue names the list
            opening = re.match(r"\s*(?:In total|In all|Altogether|Overall|Combined),", s.text)
            inside = [t for t in same if _total(t)] if not opening else []
            for t in inside:
                parts = [g for g in same if g is not t and (g.span.value or 0) < (t.span.value or 0)]
                if len(parts) >= 2:
                    out.extend(_check_sum(parts, [t], pool))
            if inside:
                continue
            parts = same
            if not (_listed(parts) or _added(parts)):
                continue
            # a total the plan "would bring" the thing to is the plan's own sum, not a forecast
            # a planned total with its own breakdown ("plans to build 3,500 homes" / "1,800 for ...")
            def totals(parts: list[Figure]) -> list[Figure]:
                return [t for t in f.figures if _usable(t, hedged=True, worded=True) and t.sent is not s
                        and (t.hedged or not planned)
                        and (not t.hedged or _total(t) or any(t.noun and stem(t.noun) == stem(p.noun) for p in same))
                        and _kind(t) == kind and not t.old
                        and (t.span.value or 0) > max(p.span.value or 0 for p in parts)
                        and _names_parts(t, parts)
                        # amounts of one currency abound: say "total", or break the amount down
                        and (kind == "count" or _total(t) or _budget(t) or _breakdown(s, t))]
            found = _check_sum(parts, totals(parts), pool)
            if not found and kind == "count":
                # "nine vets ... and Brindle Lane six, along with 22 nursing staff": the run of
                # parts counting one thing, against a total of that thing
                for run in _runs(every if len(every) > len(parts) and _listed(every) else parts):
                    found += _check_sum(run, [t for t in totals(run) if stem(t.noun) == stem(run[0].noun)], pool)
            out.extend(found)
    return out


def _runs(parts: list[Figure]) -> list[list[Figure]]:
    """Runs of two or more listed figures that count one noun, when the list counts several; a
    figure with no noun after it ("and Brindle Lane six,") counts the one before."""
    runs: list[list[Figure]] = []
    last = ""
    for p in parts:
        elided = re.match(r"\s*[,.;]", p.sent.text[p.span.end:p.span.end + 2])
        noun = last if elided and last else stem(p.noun)
        if runs and noun == last:
            runs[-1].append(p)
        else:
            runs.append([p])
        last = noun
    return [r for r in runs if len(r) >= 2] if len(runs) > 1 else []


_OF_WHOLE = re.compile(r"(?:^|[.;]\s*)(?:Of|Out of)\s+(?:(?:the|its|their|all)\s+)?(?:[\w-]+['’]s\s+)?$")


def _of_parts(pool: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """"Of Citylink's 38 routes, 24 serve the city centre and the other 12 run to the suburbs":
    a whole named first and split to the last part ("the other", "the remaining", "the rest")."""
    out = []
    for s in {id(g.sent): g.sent for g in pool}.values():
        figs = [g for g in pool if g.sent is s]
        whole = figs[0]
        if not _OF_WHOLE.search(s.text[:whole.span.start]):
            continue
        parts = [g for g in figs[1:] if _kind(g) == _kind(whole) and not g.share]
        if len(parts) < 2 or not re.search(r"\b(?:the other|the remaining|the rest|the last)\s+$",
                                           s.text[max(0, parts[-1].span.start - 20):parts[-1].span.start]):
            continue
        total = sum(p.span.value or 0 for p in parts)
        if _differ(total, whole, parts):
            listed = " + ".join(p.span.text for p in parts)
            out.append((f"The parts ({listed}) add up to {total:,.0f}, not the “{whole.span.text}” "
                        "they are said to make up.", [whole] + parts))
    return out


_REMAINDER = re.compile(r"\b(?:the|its|their)\s+(?:remaining|other|last|final)\s+(?:[$€£¥]\s?)?$|\bthe rest\b[^.;,]{0,12}$", re.I)


def _remainder_lists(pool: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """"Maths accounts for 15 of the vacancies, science for 9 ... and computing for the remaining
    4": a list closed by "the remaining" splits a whole the article gave before, which its parts
    must add up to. The whole is the nearest earlier figure of the kind within a quarter of
    their sum; a whole inside the sentence is :func:`_sums`' and :func:`_of_parts`' to check."""
    out = []
    for s in {id(g.sent): g.sent for g in pool}.values():
        figs = [g for g in pool if g.sent is s]
        last = figs[-1]
        if _kind(last) == "percent" or not _REMAINDER.search(s.text[max(0, last.span.start - 25):last.span.start]):
            continue
        parts = [g for g in figs if _kind(g) == _kind(last) and not g.old and stem(g.noun) not in _DURATIONS]
        if len(parts) < 2 or _OF_WHOLE.search(s.text[:parts[0].span.start]):
            continue
        total = sum(p.span.value or 0 for p in parts)
        if any(abs(2 * (g.span.value or 0) - total) <= _precision(g) for g in parts):
            continue  # one of them is the sum of the others: the whole is in the sentence
        before = [t for t in pool if t.sent.i < s.i and _kind(t) == _kind(last) and not t.old
                  and t.hedged == last.hedged and (t.span.value or 0) > max(p.span.value or 0 for p in parts)]
        if any(not _differ(total, t, parts) for t in before):
            continue
        near = [t for t in before if abs((t.span.value or 0) - total) <= 0.25 * total]
        if not near:
            continue
        t = max(near, key=lambda t: (_same_thing(t, last), t.sent.i))
        if _explained(t, pool, exclude=parts):
            continue
        listed = " + ".join(p.span.text for p in parts)
        out.append((f"The parts ({listed}) add up to {total:,.0f}, not the “{t.span.text}” they "
                    "are said to make up.", [t] + parts))
    return out


def _breakdown(s, t: Figure) -> bool:
    """A sentence that breaks down an amount given in one of the three sentences before it ("the
    money came from £52,000 ..., £21,000 ... and £9,000"), in the opening sentence, or named in
    both ("a contract worth 412 million" / "of the contract")."""
    from .audit import _BREAKDOWN  # audit imports this module

    if not _BREAKDOWN.search(s.text) or s.i <= t.sent.i:
        return False
    # near, in the opening sentence, or named ("a contract worth 412 million" / "of the contract")
    named = {w for w in terms(t.sent.text[max(0, t.span.start - 40):t.span.end + 20]) if len(w) > 3} & set(terms(s.text))
    return s.i - t.sent.i <= 3 or t.sent.i == 0 or bool(named)


def _total(t: Figure) -> bool:
    from .audit import FUNDED  # audit imports this module

    # "The project cost 1.8 million pounds, paid for with 1.1 million ... and a 900,000-pound grant"
    funded = FUNDED.search(t.sent.text, t.span.end)
    return bool(_TOTAL_CUE.search(t.sent.text[max(0, t.span.start - 40):t.span.end + 12])
                or funded and re.fullmatch(r"[^.;\d]{0,25}?,?\s*", t.sent.text[t.span.end:funded.start()])
                or _BROUGHT_TO.search(t.sent.text[max(0, t.span.start - 60):t.span.start]))


def _budget(t: Figure) -> bool:
    return bool(_BUDGET.search(t.sent.text[max(0, t.span.start - 25):t.span.end + 15]))


def _names_parts(t: Figure, parts: list[Figure]) -> bool:
    """The total counts what the parts count; parts with no noun of their own ("150 had elevated
    levels, 70 were normal") take the total from the sentence just before."""
    if re.match(r"\s*(?:Of|Among|Out of)\s+(?:these|them|those|the)\b", parts[0].sent.text) \
            and 0 < parts[0].sent.i - t.sent.i <= 1:
        return True  # "The study enrolled 1,240 adults. Of these, 620 ... and 580 ..."
    nouns = [p for p in parts if p.noun and not _verb_word(p)]
    if nouns:
        return any(_same_thing(t, p) for p in nouns)
    return 0 < parts[0].sent.i - t.sent.i <= 2


def _verb_word(g: Figure) -> bool:
    """The figure's "noun" is the verb after it ("208 received the drug"): it counts nothing named."""
    return any(t.lower_ == g.noun and t.pos_ in {"VERB", "AUX"} for t in nlp.parse(g.sent.text))


def _added(parts: list[Figure]) -> bool:
    """"adds 84 beds to the existing 120": two figures, one added to the other."""
    if len(parts) != 2:
        return False
    s = parts[0].sent.text
    return bool(re.search(r"\badd(?:s|ed|ing)?\s+(?:\w+\s+){0,2}$", s[max(0, parts[0].span.start - 30):parts[0].span.start])
                and re.search(r"\bto\b", s[parts[0].span.end:parts[1].span.start]))


def _listed(parts: list[Figure]) -> bool:
    """Figures written as one list: separated by commas, "and", "to" or "with", nothing else
    figured in between."""
    s = parts[0].sent.text
    for x, y in zip(parts, parts[1:]):
        between = s[x.span.end:y.span.start]
        if len(between) > 90 or not re.search(r",|\band\b|\bto\b|\bwith\b|\bagainst\b", between):
            return False
        if re.search(r"\b(?:than|per|each|or|between)\b", between) or x.share:
            return False
        if re.search(r"\bfrom\s+(?:\w+\s+)?[$€£¥]?$", s[max(0, x.span.start - 20):x.span.start]) \
                and re.search(r"\bto\b", between):
            return False  # "from 310 to 120" is a change, not two parts
    return True


def _check_sum(parts: list[Figure], totals: list[Figure], pool: list[Figure]) -> list:
    if not totals:
        return []
    from .audit import FUNDED  # audit imports this module

    total = sum(p.span.value or 0 for p in parts)
    # parts said to pay for the whole ("cost 1.8 million, paid for with ...") may miss it by more
    band = 0.25 if FUNDED.search(parts[0].sent.text) else 0.1
    near = [t for t in totals if abs((t.span.value or 0) - total) <= band * (t.span.value or 0)]
    if not near or any(not _differ(total, t, parts) for t in totals):
        return []
    # of equal figures, the one in a sentence of the body rather than a headline
    t = min(near, key=lambda t: (abs((t.span.value or 0) - total), not re.search(r"[.!?\"”’]\s*$", t.sent.text)))
    if _explained(t, pool, exclude=parts) or _within_bound(t, total):
        return []
    listed = " + ".join(p.span.text for p in parts)
    return [(f"The parts ({listed}) add up to {total:,.0f}, not the “{t.span.text}” given for the "
             f"same thing.", [t] + parts)]


def _within_bound(t: Figure, value: float) -> bool:
    """A bound the value keeps: 600 places are "up to 650", a gap of nine is "at least five"."""
    bound, limit = (t.span.qualifier or "").lower(), t.span.value or 0
    return bound in _AT_MOST and value <= limit or bound in _AT_LEAST and value >= limit


def _explained(t: Figure, pool: list[Figure], exclude: list[Figure]) -> bool:
    """Another list of parts in the article sums to this total exactly: the parts checked are
    something else."""
    excluded = {id(g) for g in exclude}
    return any(x is t and not excluded & {id(g) for g in combo} for x, combo in _exact_sums(pool))


def _exact_sums(pool: list[Figure]):
    """(total, parts): two or three figures of one kind in one sentence that add up, at the
    total's precision, to a figure of that kind in another sentence."""
    by_sent: dict[int, list[Figure]] = {}
    for g in pool:
        if _kind(g) != "percent":
            by_sent.setdefault(id(g.sent), []).append(g)
    for figs in by_sent.values():
        for r in (2, 3):
            for combo in combinations(figs, r):
                kind = _kind(combo[0])
                if any(_kind(g) != kind for g in combo):
                    continue
                total = sum(g.span.value or 0 for g in combo)
                for t in pool:
                    if t.sent is not combo[0].sent and _kind(t) == kind \
                            and abs(total - (t.span.value or 0)) <= _precision(t):
                        yield t, combo


def _differences(pool: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """A figure named as a difference ("a margin of 37 votes", "the €600,000 reduction", "won by
    27") beside two figures of the same kind whose gap is something else."""
    out = []
    for d in pool:
        s = d.sent.text
        before, after = s[max(0, d.span.start - 40):d.span.start], s[d.span.end:d.span.end + 25]
        points = bool(_POINTS.match(s[d.span.end:]))
        if re.search(r"\bmargin of error\b", before + " " + s[d.span.start:d.span.end + 25], re.I):
            continue  # a poll's sampling error is no difference between its figures
        if re.search(rf"\b(?:further|additional|more|new|other)\s+{_DIFF_NOUN}\s+of\s+(?:\w+\s+)?$", before, re.I):
            continue  # "further savings of about 9 million": an amount of its own, not a gap
        if not (_DIFF_BEFORE.search(before) or _DIFF_AFTER.match(after) or _DIFF_BY.search(before)
                or _DIFF_VERB.search(before)
                or (points and re.search(r"\b(?:by|of)\s+$", before))):
            continue
        kind = "percent" if points else _kind(d)  # "nine percentage points" differ two percentages
        if kind == "percent" and not points:
            continue  # a percentage change needs its base: _changes checks it
        pairs = []
        for s2 in {id(g.sent): g.sent for g in pool}.values():
            figs = [g for g in pool if g.sent is s2 and g is not d and _kind(g) == kind and extract.definite(g.span.text)
                    and g.hedged == (d.hedged and _hedged_before(d))]  # a planned difference against planned values
            for x, y in zip(figs, figs[1:]):
                between = s2.text[x.span.end:y.span.start]
                between = re.sub(r"\b(?:per|a|an)\s+(?:hectare|acre|head|person|capita|kilometre|mile|litre|tonne)\b",
                                 "", between)  # "5.9 tonnes per hectare from 7.2": one unit
                if len(between) <= 40 and re.search(r"\b(?:to|against|versus|vs|and|from)\b", between) \
                        and not re.search(r"[;]|\b(?:per|each|of)\b", between) and x.span.value != y.span.value:
                    pairs.append((x, y))
        pairs += _apposed_base(d, pool, kind)
        if not pairs:
            continue
        dv = d.span.value or 0
        gaps = [(abs((x.span.value or 0) - (y.span.value or 0)), x, y) for x, y in pairs]
        if any(not _differ(gap, d, [x, y]) for gap, x, y in gaps):
            continue
        # "up from 44 cents" ... "the three-cent increase": any two figures of its kind that
        # differ by it may be what it measures
        if not points and any(not _differ(abs((x.span.value or 0) - (y.span.value or 0)), d, [x, y])
                              for i, x in enumerate(pool) for y in pool[i + 1:]
                              if d not in (x, y) and _kind(x) == _kind(y) == kind and x.span.value != y.span.value):
            continue
        if any(_within_bound(d, gap) for gap, _, _ in gaps):
            continue  # "at least five points" holds for a gap of nine
        # the pair the difference describes: its own sentence first, then the closest gap
        near = [(gap, x, y) for gap, x, y in gaps
                if dv < max(x.span.value or 0, y.span.value or 0) and 0.5 * gap <= dv <= 2 * gap
                and not _other_period(d, x)
                # "gained four seats, up from eight": a difference with its own base is about that base
                and not (x.sent is not d.sent and _OWN_BASE.search(d.sent.text))
                and (x.sent is d.sent or points or _same_thing(d, x) or not _counts_noun(x) and not _counts_noun(y))]
        if not near:
            continue
        gap, x, y = min(near, key=lambda p: (p[1].sent is not d.sent, abs(p[0] - dv)))
        shown = f"{gap:,.0f}" if gap >= 10 or gap == int(gap) else f"{gap:.2g}"
        out.append((f"“{d.span.text}” is given as the difference, but “{x.span.text}” and "
                    f"“{y.span.text}” differ by {shown}.", [d, x, y]))
    return out


_HEDGE_BEFORE = re.compile(r"\b(?:would|could|may|might|will|should|expect\w*|forecast\w*|estimat\w*|project\w*|"
                           r"predict\w*|likely|plan\w*|propos\w*)\b[^.;,]*$", re.I)


def _hedged_before(g: Figure) -> bool:
    """The hedge is on the figure itself ("would amount to an extra $7.60", "had forecast a gap of
    £22 million"), not on what follows it ("the additional 38 hectares would be worked in phases")."""
    return bool(_HEDGE_BEFORE.search(g.sent.text[max(0, g.span.start - 80):g.span.start]))


def _apposed_base(d: Figure, pool: list[Figure], kind: str) -> list[tuple[Figure, Figure]]:
    """"The final bill came to 19.8 million crowns, an overrun of 4.3 million": a difference set
    beside a figure measures it against an earlier, superseded figure of its kind ("originally
    budgeted at 14.5 million") in the sentences just before."""
    s = d.sent.text
    own = [g for g in pool if g.sent is d.sent and g.span.end <= d.span.start and _kind(g) == kind]
    if not own or not re.fullmatch(rf"[^.;\d]{{0,25}},\s*(?:an?|the)\s+(?:[\w-]+\s+)?{_DIFF_NOUN}\s+of\s+"
                                   r"(?:just |only |some |about |around |roughly |nearly |almost )?[$€£¥]?\s?",
                                   s[own[-1].span.end:d.span.start], flags=re.I):
        return []
    v = own[-1]
    return [(v, b) for b in pool if b.old and _kind(b) == kind and 0 < v.sent.i - b.sent.i <= 3
            and (b.span.value or 0) != (v.span.value or 0)]


_OWN_BASE = re.compile(r"\b(?:up |down )?from\s+(?:[$€£¥]?\d|one|two|three|four|five|six|seven|eight|nine|ten|"
                       r"eleven|twelve)\b", re.I)


def _other_period(d: Figure, x: Figure) -> bool:
    """The difference is dated by years that are not those of the pair ("from 2013 to 2018" against
    "61 in 2023, down from 68 in 2018"): it describes another period."""
    def years(g: Figure) -> set[str]:
        return set(re.findall(r"\b(?:19|20)\d\d\b", g.sent.text))

    return d.sent is not x.sent and bool(years(d)) and bool(years(x)) and years(d) != years(x)


def _share_marks(text: str, f: Facts) -> list[Share]:
    """Percentages and fractions stated as shares ("a third of", "two in five", "about 60 percent")."""
    out = []
    for m in _FRACTION_APPOSED.finditer(text):
        num, den = _SMALL[m.group("a").lower()], _FRACTION_WORDS[m.group("ad").lower()]
        if 0 < num < den:
            out.append(Share(m.start("a"), m.end(), 100 * num / den, 7.0 if m.group("q") else 4.0))
    for m in _FRACTION.finditer(text):
        if m.group("half"):
            num, den = 1, 2
        elif m.group("n"):
            num, den = _SMALL[m.group("n").lower()], _FRACTION_WORDS[m.group("d").lower()]
        else:
            n2, d2 = m.group("n2").lower(), m.group("d2").lower()
            num = int(n2) if n2.isdigit() else _SMALL[n2]
            den = int(d2) if d2.isdigit() else _SMALL[d2]
        if not 0 < num < den:
            continue
        loose = 4.0 + (3.0 if _LOOSE.search(text[max(0, m.start() - 20):m.start()]) else 0.0)
        out.append(Share(m.start(), m.end(), 100 * num / den, loose))
    return out


def _marks_in(s, figs: list[Figure], f: Facts) -> list[tuple[Share, Figure | None]]:
    """The shares a sentence states: its percentages (with their figure) and fractions in words."""
    marks: list[tuple[Share, Figure | None]] = [
        (Share(g.span.start, g.span.end, g.span.value or 0, _pct_tolerance(g)), g) for g in figs if _kind(g) == "percent"]
    return marks + [(m, None) for m in _share_marks(s.text, f)]


def _share_error(pv: float, p_prec: float, wv: float, w_prec: float, mark: Share) -> float:
    """How far a stated share lies outside what a part over a whole can be, given how precisely
    both are written (0 when it fits)."""
    lo = (pv - p_prec) / (wv + w_prec) * 100
    hi = (pv + p_prec) / max(wv - w_prec, 1e-9) * 100
    return 0.0 if lo - mark.tolerance <= mark.percent <= hi + mark.tolerance else \
        min(abs(lo - mark.percent), abs(hi - mark.percent))


def _shares(f: Facts, pool: list[Figure], words) -> list[tuple[str, list[Figure]]]:
    """A share beside its part: the part over its whole (in the sentence, or a count of the same
    thing elsewhere) must give the share."""
    out = []
    for s in f.sents:
        figs = [g for g in pool if g.sent is s]
        marks = _marks_in(s, figs, f)
        for mark, pg in marks:
            named = _collective_share(s.text, mark, figs, pool)
            if named is not None:
                out.extend(_check_share(*named, mark, pg, band=(0.4, 2.5)))
                continue
            before = [g for g in figs if _kind(g) not in {"percent"} and g.span.end <= mark.start]
            if not before:
                continue
            part = before[-1]
            if len(before) > 1 and before[-2].share and _kind(before[-2]) == _kind(part):
                part = before[-2]  # "2.5 billion of the 6.2 billion shillings, about 60 percent"
            between = s.text[part.span.end:mark.start]
            whole = None
            if part.share:  # "2.5 billion of the 6.2 billion shillings"
                after = [g for g in figs if g.span.start > part.span.end and _kind(g) == _kind(part)]
                if not after or after[0].span.start > mark.start:
                    continue
                whole = after[0]
                between = s.text[whole.span.end:mark.start]
            if len(between) > 60 or _CHANGE.search(between + " " + s.text[mark.end:mark.end + 15]):
                continue
            linked = re.search(r"\b(?:represent\w*|account\w* for|make up|makes up|made up|equal\w*|amount\w* to|"
                               r"or|is|are|was|were)\s*(?:just|only|about|around|roughly|nearly|almost|some|"
                               r"more than|less than|over|under)?\s*$", between) \
                or re.search(r",\s*(?:just|only|about|around|roughly|nearly|almost|some|or)?\s*$", between)
            if not linked or not re.search(r"^\s*(?:of\b|$|[,.;])", s.text[mark.end:]):
                continue
            if whole is not None:
                out.extend(_check_share(part, [whole], mark, pg))
                continue
            if re.match(r"\s*of\s+(?:them|those|these)\b", s.text[part.span.end:]):
                # "Pottery fragments make up 60 of them, or about a third": the whole is counted in
                # the sentence before
                prior = [g for g in pool if g.sent.i == s.i - 1 and _kind(g) == _kind(part)
                         and (g.span.value or 0) > (part.span.value or 0)]
                out.extend(_check_share(part, prior[-1:], mark, pg))
                continue
            if not re.match(r"\s*of\b", s.text[mark.end:]):
                continue
            # a whole of the same noun, or one whose sentence names it ("an order of 240,000" of pens)
            wholes = [g for g in pool if g.sent is not s and _kind(g) == _kind(part) and not g.old
                      and (g.span.value or 0) > (part.span.value or 0) and part.noun
                      and (g.noun and stem(g.noun) == stem(part.noun)
                           or not g.noun and stem(part.noun) in set(terms(g.sent.text)))]
            out.extend(_check_share(part, wholes, mark, pg))
    return out


def _count_pairs(pool: list[Figure]) -> list[tuple[Figure, Figure | None, float, float]]:
    """Counts told as a part of a whole: "1,850 of this year's 7,400 new undergraduates", "Of the
    620 patients who took the drug, 186 ...", "159 voted in favour and 53 against" (the for side of
    all who voted). Each is (part figure, whole figure or None, part value, whole value)."""
    out = []
    for s in {id(g.sent): g.sent for g in pool}.values():
        figs = [g for g in pool if g.sent is s and _kind(g) == "count"]
        for i, g in enumerate(figs):
            if g.share and i + 1 < len(figs) and (figs[i + 1].span.value or 0) > (g.span.value or 0):
                out.append((g, figs[i + 1], g.span.value or 0, figs[i + 1].span.value or 0))
        if len(figs) >= 2 and _OF_WHOLE.search(s.text[:figs[0].span.start]) \
                and re.match(r"[^.;]{0,80}?,\s*(?:\w+\s+){0,2}$", s.text[figs[0].span.end:figs[1].span.start]) \
                and (figs[1].span.value or 0) < (figs[0].span.value or 0) and not figs[1].share:
            out.append((figs[1], figs[0], figs[1].span.value or 0, figs[0].span.value or 0))
        m = _VOTE_SPLIT.search(s.text)
        if m:
            at_yes, at_no = (m.start("yes"), m.start("no")) if m.group("yes") else (m.start("yes2"), m.start("no2"))
            yes = next((g for g in figs if g.span.start <= at_yes < g.span.end + 1), None)
            no = next((g for g in figs if g.span.start <= at_no < g.span.end + 1), None)
            if yes is not None and no is not None and yes is not no:
                out.append((yes, None, yes.span.value or 0, (yes.span.value or 0) + (no.span.value or 0)))
    return out


# "159 members voted in favour and 53 against", "by 41 votes to 12"
_VOTE_SPLIT = re.compile(r"(?P<yes>\d[\d,]*)\s+(?:[a-z]+\s+){0,3}?(?:voted\s+)?(?:in favou?r|for)\b[^.;\d]{0,30}?"
                         r"\band\s+(?P<no>\d[\d,]*)\s+(?:voted\s+)?against\b"
                         r"|\bby\s+(?P<yes2>\d[\d,]*)\s+votes?\s+to\s+(?P<no2>\d[\d,]*)", re.I)
# what a share is a share of, right after it: "of the intake", "among treated patients"
_SHARE_WHOLE = re.compile(r"^\s*(?:of|among)\s+(?:the|its|their|all|this|those)?\s*(?:[\w-]+['’]s\s+)?"
                          r"(?P<words>(?:[\w-]+\s+){0,2}[\w-]+)")
_COMPARED = re.compile(r"\b(?:against|compared (?:with|to)|versus|vs\.?|from)\s+(?:just\s+|only\s+|about\s+|"
                       r"around\s+|roughly\s+|nearly\s+|almost\s+|some\s+)?$", re.I)
_THRESHOLD = re.compile(r"\b(?:need\w*|requir\w*|threshold|must|target\w*|aim\w*|goal|at least|minimum)\b[^.;]*$", re.I)
_VOTE_WORDS = re.compile(r"\b(?:vot\w+|ballot\w*|in favou?r|approv\w+|backed|majority|endorse\w*)\b", re.I)


def _counted_shares(f: Facts, pool: list[Figure], words) -> list[tuple[str, list[Figure]]]:
    """A share stated alone ("international students account for roughly 30 percent of the
    intake", "a flare-up rate of 42 percent among treated patients", "voted by 68 percent") against
    the count the article gives of the same part and whole in another sentence ("1,850 of this
    year's 7,400 new undergraduates"). A share some count of that thing gives is no conflict."""
    from .audit import _same_word  # audit imports this module

    pairs = _count_pairs(pool)
    if not pairs:
        return []
    out = []
    for s in f.sents:
        figs = [g for g in pool if g.sent is s]
        marks = _marks_in(s, figs, f)
        for mark, pg in marks:
            if any(_kind(g) != "percent" and g.span.end <= mark.start for g in figs):
                continue  # a share with its own part: _shares checks it
            around = re.sub(r"\bma(?:ke|kes|de|king) up\b", "", s.text[max(0, mark.start - 40):mark.end + 15])
            m = _SHARE_WHOLE.match(s.text[mark.end:])
            among = bool(m) and m.group().lstrip().startswith("among")
            if _CHANGE.search(around) and not _VOTE_WORDS.search(around) and not among:
                continue  # "rose 4 percent", "an interest rate of 5 percent"; not "a rate of 42 percent among"
            if _COMPARED.search(s.text[max(0, mark.start - 25):mark.start]):
                continue  # "55 percent ..., against 70 percent in a normal year": another time's share
            if _THRESHOLD.search(s.text[max(0, mark.start - 50):mark.start]):
                continue  # "needed the support of two thirds": a bar, not a result
            whole_words = set(terms(m.group("words"))) if m else set()
            told = set(terms(s.text[:mark.start])) | whole_words
            voted = bool(_VOTE_WORDS.search(s.text))
            matched = []
            for part, whole, pv, wv in pairs:
                if part.sent is s or wv <= 0:
                    continue
                if whole is None:
                    if not voted:
                        continue
                else:
                    named = whole.noun and (stem(whole.noun) in whole_words or len(whole.noun) > 3 and any(
                        len(w) > 3 and _same_word(whole.noun, w, words) for w in whole_words))
                    lead = set(terms(part.sent.text[:part.span.start]))
                    shared = {t for t in told & lead if not t.isdigit() and len(t) > 3}
                    # the share names its whole and the count counts another ("a tenth of their
                    # ice" / "23 of the 142 glaciers"): only a subject told the same way ties them
                    if not named and len(shared) < 2:
                        continue
                matched.append((part, whole, pv, wv))
            if not matched:
                continue
            errors = [(_share_error(pv, _precision(part), wv, _precision(whole) if whole else 0, mark),
                       part, whole, pv, wv) for part, whole, pv, wv in matched]
            if any(e[0] == 0 for e in errors):
                continue
            _, part, whole, pv, wv = min(errors, key=lambda e: e[0])
            actual = pv / wv * 100
            # a count far off the share is another part of another whole, not a slip
            if not 0.5 <= actual / max(mark.percent, 1e-9) <= 2.0:
                continue
            said = s.text[mark.start:mark.end]
            of = f"“{part.span.text}” of “{whole.span.text}”" if whole else f"“{part.span.text}” of {wv:,.0f}"
            # a share in words ("two in five") is no figure: its sentence is cited itself
            out.append((f"{of} is {actual:.0f} percent, not {said}.", [part] + ([whole] if whole else []) + [s]))
    return out


# a body of people or things and what its members are called where it is counted whole
_COLLECTIVES = {
    "workforce": "employ employs employed employees staff workers people",
    "staff": "employ employs employed employees staff workers people",
    "respondents": "surveyed polled questioned asked interviewed respondents",
    "electorate": "voters electors registered",
    "membership": "members",
    "fleet": "vessels ships boats aircraft planes buses trains trucks lorries",
}


def _collective_share(text: str, mark: Share, figs: list[Figure], pool: list[Figure]):
    """"cut 340 jobs, about 21 percent of its workforce" / "52 percent of respondents, or 540
    students": a share of a body the article counts whole in another sentence ("employs 2,800
    people", "surveyed 1,200 undergraduates"). Returns (part, wholes) or None."""
    after = text[mark.end:]
    m = re.match(r"\s*of\s+(?:the|its|their|all)?\s*(?P<x>[a-z]+)\b", after)
    if not m or m.group("x") not in _COLLECTIVES:
        return None
    members = set(_COLLECTIVES[m.group("x")].split())
    counts = [g for g in figs if _kind(g) == "count" and not g.old]
    before = [g for g in counts if g.span.end <= mark.start  # "340 jobs, about 21 percent"
              and re.fullmatch(r"(?:\s+[\w-]+)?,\s*(?:about|around|roughly|nearly|almost|some|or|just|only)?\s*",
                               text[g.span.end:mark.start])]
    later = [g for g in counts if g.span.start >= mark.end + m.end()
             and re.fullmatch(r",\s*or\s*", text[mark.end + m.end():g.span.start])]
    part = later[0] if later else before[-1] if before else None
    if part is None:
        return None
    wholes = [g for g in pool if g.sent is not part.sent and _kind(g) == "count" and not g.old
              and (g.span.value or 0) > (part.span.value or 0)
              and members & set(re.findall(r"[a-z]+", g.sent.text[max(0, g.span.start - 25):g.span.end + 25].lower()))]
    return (part, wholes) if wholes else None


def _stated_elsewhere(pool: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """A percentage of something ("91 percent of those voting backed action") against the part
    and whole given for it in another sentence ("1,780 of the 2,140 members who returned ballots
    voted yes"): the same act is named in both, and no percentage in the article matches."""
    out = []
    pcts = [g for g in pool if _kind(g) == "percent"]
    pairs = []
    for g in pool:
        later = [x for x in pool if x.sent is g.sent and x.span.start > g.span.end and _kind(x) == _kind(g)]
        if _kind(g) == "percent" or not later or not later[0].span.value:
            continue
        if g.share:  # "1,780 of the 2,140 members"
            pairs.append((g, later[0]))
        elif re.search(r"(?:^|[.;]\s*)(?:Of|Out of)\s+(?:the|its|their|all)?\s*$", g.sent.text[:g.span.start]) \
                and re.fullmatch(r"[^.;\d]{0,60},\s*", g.sent.text[g.span.end:later[0].span.start]) \
                and (later[0].span.value or 0) < (g.span.value or 0):
            pairs.append((later[0], g))  # "Of the 560 pupils who sat, 412 gained ..."
    for part, whole in pairs:
        if not whole.span.value:
            continue
        ratio = 100 * (part.span.value or 0) / whole.span.value
        if any(abs((g.span.value or 0) - ratio) <= _pct_tolerance(g) + 0.5 for g in pcts):
            continue
        acts = _acts(part.sent.text)
        for g in pcts:
            s = g.sent.text
            # "91 percent of those voting backed ..." (the same act), "the 81 per cent pass rate" (what passed)
            rate = re.match(r"\s*([a-z]{4,})\s+rate\b", s[g.span.end:])
            window = s[max(0, g.span.start - 30):g.span.start] + (" " if rate else s[g.span.end:g.span.end + 20])
            if g.sent is part.sent or g.old or _CHANGE.search(re.sub(r"\w+-\w+", "", window)):  # not "flare-up"
                continue
            named = rate and any(w[:4] == rate.group(1)[:4] for w in terms(part.sent.text))
            # "the 85 percent approval" names the act of "188 of the 240 members ... approved"
            noun = re.match(r"\s*([a-z]{5,})\b(?!\s+(?:of|rate)\b)", s[g.span.end:])
            named = named or bool(noun and any(len(a) >= 5 and a[:5] == noun.group(1)[:5] for a in acts))
            if not named and not (re.match(r"\s*of\b", s[g.span.end:]) and acts & _acts(s)
                                  and _of_the_same(s[g.span.end:], whole)):
                continue
            mark = Share(g.span.start, g.span.end, g.span.value or 0, _pct_tolerance(g))
            out.extend(_check_share(part, [whole], mark, g))
    return out


def _of_the_same(after: str, whole: Figure) -> bool:
    """"percent of those voting" / "of the members": what the percentage is of is the whole's
    thing, or left unnamed; "of their remaining ice volume" is not "of the 142 glaciers"."""
    m = re.match(r"\s*of\s+(?:the|their|its|his|her|all|those|these|them)?\s*((?:[\w’'-]+\s*){0,3})", after)
    said = set(terms(m.group(1))) if m else set()
    return not said or bool(said & set(terms(whole.noun))) or bool(
        re.match(r"\s*of\s+(?:those|these|them)\b", after))


def _acts(text: str) -> set[str]:
    """The verbs of a sentence that say what was done ("voting", "voted"), not who reported it."""
    from .audit import REPORTING, _event_root

    skip = REPORTING | {stem(w) for w in ("be", "have", "do", "make", "take", "give", "get", "include", "accord")}
    return {_event_root(t.lemma_) for t in nlp.parse(text)
            if (t.pos_ == "VERB" or t.lower_.endswith("ing")) and stem(t.lemma_.lower()) not in skip}


def _pct_tolerance(g: Figure) -> float:
    text = g.span.text
    tol = 0.05 if re.search(r"\d\.\d", text) else 0.5
    if g.span.qualifier or _LOOSE.search(g.sent.text[max(0, g.span.start - 20):g.span.start]):
        tol = 2.5
    return tol


def _check_share(part: Figure, wholes: list[Figure], mark: Share, pg: Figure | None,
                 band: tuple[float, float] = (0.6, 1.67)) -> list:
    if not wholes:
        return []
    pv = part.span.value or 0

    def error(w: Figure) -> float:
        return _share_error(pv, _precision(part), w.span.value or 1, _precision(w), mark)

    if any(error(w) == 0 for w in wholes):
        return []
    w = min(wholes, key=error)
    actual = pv / (w.span.value or 1) * 100
    if len(wholes) > 1 or w.sent is not part.sent:
        # a whole found elsewhere may be a narrower count of the same noun: only a near miss
        # ("a third" of what is a quarter) is taken for a slip rather than another whole
        if not band[0] <= actual / max(mark.percent, 1e-9) <= band[1]:
            return []
    said = (pg.sent if pg is not None else part.sent).text[mark.start:mark.end]
    cites = [part, w] + ([pg] if pg is not None else [])
    return [(f"“{part.span.text}” of “{w.span.text}” is {actual:.0f} percent, not {said}.", cites)]


def _swapped(pool: list[Figure], words) -> list[tuple[str, list[Figure]]]:
    """Two figures of one kind with the same four or more digits in another order ("31,250" /
    "32,150") counting things of like meaning: a copying slip, whichever is right."""
    from .audit import _similarity

    out = []
    for i, a in enumerate(pool):
        for b in pool[i + 1:]:
            if a.sent is b.sent or _kind(a) != _kind(b) or a.old or b.old or a.share or b.share:
                continue
            da, db = re.sub(r"\D", "", a.span.text), re.sub(r"\D", "", b.span.text)
            if len(da) < 4 or da == db or sorted(da) != sorted(db) or len(a.span.text) != len(b.span.text):
                continue
            # what each counts: its noun, or the noun it is "of" ("a crowd of 31,250")
            na = {_surface(a, x) for x in [a.noun, *a.measure] if x and not x.startswith("money:")}
            nb = {_surface(b, x) for x in [b.noun, *b.measure] if x and not x.startswith("money:")}
            if _kind(a) == "count" and not any(stem(x) == stem(y) or words is not None and _similarity(words, x, y) >= 0.45
                                               for x in na for y in nb):
                continue
            out.append((f"“{a.span.text}” and “{b.span.text}” have the same digits in another order: one "
                        f"looks like a copying slip for the other.", [a, b]))
    return out


def _surface(g: Figure, root: str) -> str:
    """The word of the figure's sentence a stemmed root came from ("attendanc" → "attendance"),
    since the embedding model knows words, not stems."""
    m = re.search(rf"\b{re.escape(root)}\w*", g.sent.text, re.I)
    return m.group().lower() if m else root


# a percentage that is a change: "raise council tax by 4.5 per cent", "22 percent less fish", "a 3
# percent rise"
_CHANGE_NOUNS = r"rise|increase|cut|reduction|drop|fall|decline|growth|jump|leap|surge|hike|gain|boost|slump|plunge|dip"
_CHANGE_BEFORE = re.compile(r"\b(?:rise|rises|rose|risen|raise|raises|raised|raising|increase[sd]?|increasing|cut|cuts|"
                            r"reduce[sd]?|lower(?:s|ed)?|grow|grew|grown|fall|falls|fell|fallen|drop(?:s|ped)?|up|down)"
                            r"\s+(?:[\w-]+\s+){0,4}?by\s+(?:about|around|roughly|nearly|almost|some|just)?\s*$"
                            # "a rise of more than 80 percent"
                            rf"|\b(?:{_CHANGE_NOUNS}|decrease)\s+of\s+$", re.I)
# "premiums rose 12 per cent", "jumped a further 3 percent": said of many things in one report,
# so checked only against values said of the same thing
_CHANGE_DIRECT = re.compile(r"\b(?:rose|risen|rises|grew|grown|grows|fell|fallen|falls|jump(?:s|ed)|climb(?:s|ed)|"
                            r"surg(?:es|ed)|soar(?:s|ed)|slipp?(?:s|ed)|dropp?(?:s|ed)|increased|decreased|declined|up|down)"
                            r"\s+(?:about|around|roughly|nearly|almost|some|just|a further|another)?\s*$", re.I)
_CHANGE_AFTER = re.compile(rf"^\s*(?:[a-z]+\s+(?=(?:{_CHANGE_NOUNS})\b))?"
                           rf"(?:less|more|fewer|lower|higher|{_CHANGE_NOUNS})\b",
                           re.I)


_NOT_ADOPTED = re.compile(r"\b(?:proposed|proposal|rejected|sought|asked for|demanded|originally|initially|"
                         r"first|than the|instead of)\b", re.I)


def _changes(pool: list[Figure], everything: list[Figure]) -> list[tuple[str, list[Figure]]]:
    """A percentage change against the two values it changes between, in the same sentence or
    the two after it ("raise council tax by 4.5 per cent" / "bill rise from 1,600 pounds to 1,720
    pounds", which is 7.5 percent). ``everything`` adds the hedged figures, which may explain a
    change but are not checked against it."""
    out = []
    for p in pool:
        if _kind(p) != "percent":
            continue
        s = p.sent.text
        rest = s[p.span.end:].replace("per cent", "", 1).replace("percent", "", 1)
        lead = s[max(0, p.span.start - 60):p.span.start]
        direct = not (_CHANGE_BEFORE.search(lead) or _CHANGE_AFTER.match(rest)) and _CHANGE_DIRECT.search(lead)
        if not (_CHANGE_BEFORE.search(lead) or _CHANGE_AFTER.match(rest) or direct):
            continue
        if _NOT_ADOPTED.search(s[max(0, p.span.start - 40):p.span.end + 40]):
            continue  # "rejected the 3.5 percent increase first proposed": not the change made
        pairs = _value_pairs(p, pool)
        # a before and after told as a plan ("will rise from £1,603 to £1,683") still explains it
        explaining = _value_pairs(p, everything)
        # the change's own values: in its sentence or the two after it, or the article's only change;
        # a change that gives its own end ("fell 14 percent to 610 million") is checked in its
        # sentence only, and one in another sentence must be said of the same thing
        if re.match(r"\s*(?:[\w,-]+\s+){0,8}?(?:to|from)\s+(?:about\s+)?[£$€¥]?\d", rest):
            pairs = [(a, b) for a, b in pairs if a.sent is p.sent]
        if direct:
            pairs = [(a, b) for a, b in pairs if a.sent is p.sent or _said_of_same(p, a)]
        near = [(a, b) for a, b in pairs if -3 <= a.sent.i - p.sent.i <= 2]
        # the article's only change far from its percentage: a loose percentage ("more than 40
        # per cent") must name what the values measure
        far = len(pairs) == 1 and (not (p.span.qualifier or _loose(p)) or pairs[0][0].sent.i < p.sent.i
                                   or _said_of_same(p, pairs[0][0]))
        pairs = near or (pairs if far else [])
        if not pairs:
            continue
        pv = p.span.value or 0
        tol = _pct_tolerance(p) + 0.6  # the two values are rounded too

        def change(a: Figure, b: Figure) -> float:
            return abs((b.span.value or 0) - (a.span.value or 0)) / (a.span.value or 1) * 100

        if any(abs(change(a, b) - pv) <= tol for a, b in pairs + explaining):
            continue
        if any(_within_bound(p, change(a, b)) for a, b in pairs):
            continue  # "a rise of more than 80 percent" holds for 90
        others = [q.span.value or 0 for q in pool if _kind(q) == "percent" and q is not p]
        if any(abs(change(a, b) - v) <= 0.6 for a, b in pairs for v in others):
            continue  # the values' change is another percentage the article gives
        a, b = min(pairs, key=lambda ab: (ab[0].sent.i - p.sent.i, abs(change(*ab) - pv)))
        actual = change(a, b)
        if not 0.4 <= actual / max(pv, 1e-9) <= 2.5:
            continue
        out.append((f"From “{a.span.text}” to “{b.span.text}” is a change of {actual:.1f} percent, not "
                    f"“{p.span.text}”.", [p, a, b]))
    return out


def _value_pairs(p: Figure, pool: list[Figure]) -> list[tuple[Figure, Figure]]:
    """The before and after values a percentage change ``p`` may be about: "from 1,600 to 1,720",
    "36,000, down from 41,000", "14 in 2022 and 23 in 2023"."""
    from .audit import _TIME_WORDS  # audit imports this module

    s = p.sent.text

    def named(x: Figure, text: str) -> bool:
        # what the values count, or what goes "from" one to the other ("capacity from 12,000")
        changed = re.findall(r"([a-z]+)\s+(?:(?:up|down)\s+)?from\s+$",
                             x.sent.text[max(0, x.span.start - 30):x.span.start])
        return bool({stem(w) for w in (x.noun, *x.span.unit, *x.measure, *changed) if len(w) > 3}
                    & set(terms(text)) - _TIME_WORDS)

    pairs = []
    for x in pool:
        if _kind(x) == "percent" or x.sent.i < p.sent.i and not named(x, s[p.span.end:]):
            continue  # values told before the change must be named after it ("in near misses")
        for y in pool:
            if y.sent is not x.sent or y.span.start <= x.span.start or _kind(y) != _kind(x):
                continue
            between = x.sent.text[x.span.end:y.span.start]
            lead = x.sent.text[max(0, x.span.start - 12):x.span.start]
            if re.search(r"\bfrom\s+$", lead) and re.fullmatch(r"\s*(?:[\w-]+\s+){0,2}?to\s+(?:about\s+)?", between):
                pairs.append((x, y))      # "from 1,600 pounds to 1,720 pounds": x → y
            elif re.fullmatch(r"\s*(?:[\w-]+\s*){0,2}?,?\s*(?:down|up)\s+from\s+", between):
                pairs.append((y, x))      # "36,000 tonnes, down from 41,000": y → x
            elif re.fullmatch(r"\s*(?:[\w-]+\s*){3,5}?,?\s*(?:down|up)\s+from\s+", between) \
                    and (_said_of_same(p, x) or x.noun and stem(x.noun) in set(terms(s[:p.span.start]))
                         or x.sent is not p.sent and named(x, s)):
                pairs.append((y, x))      # "566 residential burglaries in 2023, down from 640"
            elif (dated := _dated_pair(x, y)) is not None:
                pairs.append(dated)       # "14 near misses in 2022 and 23 in 2023"
    return pairs


_AT_LEAST = {"at least", "more than", "over", "upwards of", "just over", "in excess of"}
_AT_MOST = {"at most", "less than", "fewer than", "under", "up to", "just under"}


def _dated_pair(x: Figure, y: Figure) -> tuple[Figure, Figure] | None:
    """Two figures of one sentence each dated by its own year ("14 near misses in 2022 and 23 in
    2023"), earlier year first: a before and an after."""
    s = x.sent.text
    a = re.fullmatch(r"\s*(?:[\w-]+\s+){0,6}?in\s+((?:19|20)\d\d),?\s+(?:and|to|against|versus|compared with)\s+(?:about\s+)?",
                     s[x.span.end:y.span.start])
    b = re.match(r"\s*(?:[\w-]+\s+){0,3}?in\s+((?:19|20)\d\d)\b", s[y.span.end:])
    if not (a and b) or a.group(1) == b.group(1):
        return None
    return (x, y) if a.group(1) < b.group(1) else (y, x)


def _said_of_same(a: Figure, b: Figure) -> bool:
    """The words before two figures share a content word ("home insurance premiums rose" / "the
    average premium went from")."""
    from .audit import _TIME_WORDS  # audit imports this module

    def words(g: Figure) -> set[str]:
        return {t for t in terms(g.sent.text[:g.span.start]) if len(t) > 2 and not t.isdigit()} - _TIME_WORDS
    return bool(words(a) & words(b))


def partitions(f: Facts) -> set[tuple[int, int]]:
    """(id of total, id of part) for figures in one sentence that add up exactly to a figure of
    the same kind elsewhere in the article."""
    pool = [g for g in f.figures if _usable(g, hedged=True)]
    return {(id(t), id(g)) for t, combo in _exact_sums(pool) for g in combo}
