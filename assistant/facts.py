"""What an article attributes, and to whom: figures, claims, forecasts and estimates.

General methods only, from the dependency parse of each sentence (nothing here knows the shipped
articles):

- an *attribution frame* is a reporting, forecast or estimate verb with its subject ("X said /
  predicts / estimates that ..."), "according to X", or a possessive forecast noun ("X's
  estimate"); what the frame governs is its content, and a frame inside another frame's content
  names the voice relaying it (``via``);
- a *figure* is a quantity (``extract.quantities``) with what it counts (the noun it modifies, the
  "number of X" it fills, or "percent of X"), its qualifier and any modal hedge on its clause; its
  source is the innermost frame whose content holds it;
- a hedged sentence whose subject is a demonstrative or pronoun ("This could bring ...") and that
  has no frame of its own continues the forecast of the sentence before it;
- pronoun sources resolve to the last person (he/she) or body (it/they) named before, and a
  definite description ("the intelligence service") to an earlier name that contains its words;
- a *claim* is the content of a frame that holds no figure, or an unattributed sentence about a
  dated event ("The two countries signed ... in 2024").

Every fact carries a citation of the exact sentence(s) it comes from, verified by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import extract, nlp
from .ground import cite
from .models import Document, Fact
from .text import sentence_spans, terms

# Bump when extraction changes: cached facts from older code are then recomputed.
FACTS_VERSION = "2"

# Lemmas of verbs that attribute what follows to their subject (general English).
SPEECH_VERBS = frozenset("""say state tell note add warn announce explain disclose claim report
    mention confirm write argue describe insist acknowledge admit assert relay testify stress
    emphasize emphasise allege maintain contend remark caution concede recall brief inform
    predict""".split())
# Verbs that attribute only when a speaker does them: "Umerov highlighted that ..." credits
# Umerov; "the deployment highlights ..." credits no one.
EVIDENCE_VERBS = frozenset("""highlight believe think conclude find suggest indicate show observe
    signal reveal""".split())
REPORT_VERBS = SPEECH_VERBS | EVIDENCE_VERBS
# Common nouns that name someone who can speak or assess (general English).
AGENT_NOUNS = frozenset("""official spokesman spokeswoman spokesperson minister ministry agency
    government researcher analyst expert scientist economist police company firm group service
    cooperative council committee commission authority department office report study survey
    statement investigator prosecutor court judge lawyer source witness resident organizer
    organiser union bank military army intelligence observer monitor diplomat leader president
    author director manager chief executive officer team lab laboratory institute university
    administration regulator inspector auditor campaigner activist doctor""".split())
FORECAST_VERBS = frozenset("""predict forecast expect project anticipate foresee""".split())
ESTIMATE_VERBS = frozenset("""estimate calculate reckon assess gauge put""".split())
ATTRIBUTION_VERBS = REPORT_VERBS | FORECAST_VERBS | ESTIMATE_VERBS
# Nouns of documents that carry someone's figures ("according to a report published by X").
DOCUMENT_NOUNS = frozenset("""report statement estimate data figure assessment study survey analysis
    briefing forecast projection prediction calculation count tally census poll review filing
    release document paper memo letter""".split())
FORECAST_NOUNS = frozenset("forecast projection prediction outlook".split())
ESTIMATE_NOUNS = frozenset("estimate assessment calculation reckoning".split())
HEDGE_AUX = frozenset("may might could would should".split())
HEDGE_ADV = frozenset("""likely possibly potentially probably perhaps reportedly allegedly
    apparently presumably""".split())
# Units of measure: a figure in one of these is a measurement; otherwise it counts its noun.
UNITS = frozenset("""percent % kilometer kilometre km mile meter metre foot feet inch yard
    kilogram kg gram pound lb ton tonne ounce liter litre gallon barrel hour minute second day
    week month year decade century degree acre hectare nanometer nanometre millimeter millimetre
    centimeter centimetre point""".split())
_TOTAL_NOUNS = frozenset("number total count tally figure toll".split())
_NEEDS_CLAUSE = frozenset("add find show indicate".split())
_REFUSALS = frozenset("decline refuse fail hesitate".split())
_PERSON_PRONOUNS = frozenset("he she".split())
_OTHER_PRONOUNS = frozenset("it they".split())
_ANAPHORA = frozenset("this that these those it such".split())
_PAST = re.compile(r"^[^.;]{0,40}?\b(last|previous|prior|earlier|ago|a year earlier)\b", re.I)
_MONTHS = (r"\b(January|February|March|April|May|June|July|August|September|October|November|"
           r"December)\b")
# A date phrase that places something in time (not "monthly", "a minute ahead", "decades").
_WHEN = re.compile(r"\d|" + _MONTHS + r"|\b(Monday|Tuesday|Wednesday|Thursday|Friday|"
                   r"Saturday|Sunday|yesterday|today|tomorrow|spring|summer|autumn|fall|winter|"
                   r"this|last|next|coming|previous|end of|earlier|later)\b", re.I)


@dataclass
class _Frame:
    """One attribution: who (source) frames which tokens (content), and how."""

    anchor: int                 # index of the verb / "according" / noun token
    kind: str                   # report | forecast | estimate
    source: str
    person: bool
    content: set[int]
    pronoun: bool = False
    via: str = ""
    source_tokens: set[int] = field(default_factory=set)


class _Context(list):
    """Names mentioned so far, in order, as (name, is_person); and who issued each kind of
    document ("HUR said in a statement" → later "the statement" is HUR's)."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: dict[str, str] = {}

    def note_documents(self, s: "_Sentence") -> None:
        framed = [f for f in s.frames if f.source and not f.source[:1].islower()]
        if not framed:
            return
        for tok in s.doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ != "NOUN" or lemma not in DOCUMENT_NOUNS:
                continue
            if any(tok.i in f.source_tokens and f.anchor != tok.i and
                   s.doc[f.anchor].lower_ != "according" for f in framed):
                continue  # the document is itself the source named
            owner = next((f for f in framed for a in tok.ancestors if a.i == f.anchor), None)
            owner = owner or next((f for f in framed if tok.i in f.source_tokens), None)
            if owner is not None:
                self.documents[lemma] = owner.source


@dataclass
class _Sentence:
    start: int
    end: int
    text: str
    doc: object                 # spaCy Doc
    frames: list[_Frame] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


def extract_facts(doc: Document) -> list[Fact]:
    """Every figure, claim, forecast and estimate of ``doc`` with its source and a citation."""
    sents = []
    for a, b in sentence_spans(doc.text):
        text = doc.text[a:b]
        if not re.search(r"[.!?][\"”’')\]]*$", text.strip()):
            continue  # a headline or a fragment states nothing with a source
        if len(re.findall(r"[A-Za-z]+", text)) < 4:
            continue
        sents.append(_Sentence(a, b, text, nlp.parse(text)))
    history = _Context()
    out: list[Fact] = []
    prev: _Sentence | None = None
    for s in sents:
        s.frames = _frames(s, history)
        figures = _figures(doc, s, prev)
        s.facts.extend(figures)
        s.facts.extend(_claims(doc, s, figures))
        out.extend(s.facts)
        for f in s.frames:
            if f.source and not f.pronoun:
                history.append((f.source, f.person))
        history.extend(_mentions(s.doc))
        history.note_documents(s)
        prev = s
    return out


# ---- frames ----------------------------------------------------------------------------------

def _frames(s: _Sentence, history: list[tuple[str, bool]]) -> list[_Frame]:
    d = s.doc
    frames: list[_Frame] = []
    for tok in d:
        lemma = tok.lemma_.lower()
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            frame = _according(s, tok, history)
        elif tok.pos_ == "VERB" and lemma in ATTRIBUTION_VERBS:
            frame = _verb_frame(s, tok, history)
        elif tok.pos_ == "NOUN" and lemma in FORECAST_NOUNS | ESTIMATE_NOUNS:
            frame = _noun_frame(s, tok, history)
        else:
            frame = None
        if frame is not None and frame.content:
            frames.append(frame)
    # A frame inside another frame's content is relayed by the outer one's source.
    for f in frames:
        outer = [g for g in frames if g is not f and f.anchor in g.content and g.source]
        if outer:
            f.via = min(outer, key=lambda g: len(g.content)).source
    return frames


def _verb_frame(s: _Sentence, verb, history) -> _Frame | None:
    lemma = verb.lemma_.lower()
    kind = ("forecast" if lemma in FORECAST_VERBS else "estimate" if lemma in ESTIMATE_VERBS
            else "report")
    if lemma == "put" and not any(c.dep_ == "prep" and c.lower_ == "at" for c in verb.children):
        return None  # "put" estimates only as "put X at N"
    trailing = verb.dep_ in {"parataxis", "ccomp", "advcl"} and verb.i > verb.head.i and not any(
        c.dep_ in {"ccomp", "xcomp", "dobj"} for c in verb.children)
    if lemma in _NEEDS_CLAUSE and not trailing and not any(c.dep_ == "ccomp" for c in verb.children):
        return None  # "the increase would add $4.80": arithmetic, not speech
    if any(c.dep_ == "neg" for c in verb.children) or (
            verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _REFUSALS):
        return None  # "did not say", "declined to explain": nothing is attributed
    subj, passive = None, False
    head = verb
    for _ in range(3):
        subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None or head.dep_ not in {"conj", "xcomp"} or head.head.i == head.i:
            break
        head = head.head
    if subj is not None and subj.dep_ == "nsubjpass":
        passive = True
        agent = next((g for c in verb.children if c.dep_ == "agent"
                      for g in c.children if g.dep_ == "pobj"), None)
        subj = agent
    own = {t.i for t in subj.subtree} if subj is not None else set()
    if trailing:
        # "..., Park said." hanging off the clause it reports
        content = {t.i for t in verb.head.subtree} - {t.i for t in verb.subtree}
    else:
        content = set()
        clause = any(c.dep_ == "ccomp" for c in verb.children)
        for c in verb.children:
            if clause and c.dep_ in {"dobj", "dative"}:
                continue  # "told deputies that ...": the addressee is not what was said
            if c.dep_ in {"ccomp", "xcomp", "dobj", "attr", "oprd", "conj"} and c.i not in own:
                if c.dep_ == "conj" and c.pos_ == "VERB" and c.lemma_.lower() in ATTRIBUTION_VERBS:
                    continue
                content |= {t.i for t in c.subtree}
            elif c.dep_ == "prep" and c.lower_ in {"at", "as"} and kind == "estimate":
                content |= {t.i for t in c.subtree}
        if not content and verb.dep_ in {"conj"}:
            return None
    if passive and subj is None:
        # "is expected to ...": a forecast nobody is named for
        return _Frame(verb.i, kind, "", False, content)
    if subj is None:
        return None
    if lemma in EVIDENCE_VERBS and not _speaker(subj):
        return None
    source, person, pronoun = _source_of(s, subj, history)
    return _Frame(verb.i, kind, source, person, content - own, pronoun, source_tokens=own)


def _speaker(tok) -> bool:
    """Someone who can state or assess: a name, a personal pronoun, or an agent noun."""
    if tok.lower_ in {"he", "she", "they", "we", "i"}:
        return True
    if tok.pos_ == "PROPN" or any(c.pos_ == "PROPN" and c.dep_ in {"compound", "appos"}
                                  for c in tok.children):
        return True
    return tok.lemma_.lower() in AGENT_NOUNS


def _according(s: _Sentence, tok, history) -> _Frame | None:
    to = next(c for c in tok.children if c.lower_ == "to")
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    lemma = obj.lemma_.lower()
    kind = ("estimate" if lemma in ESTIMATE_NOUNS else "forecast" if lemma in FORECAST_NOUNS
            else "report")
    head = tok.head if tok.head.i != tok.i else tok
    content = {t.i for t in head.subtree} - {t.i for t in tok.subtree}
    if head.i == tok.i:
        content = {t.i for t in s.doc} - {t.i for t in tok.subtree}
    own = {t.i for t in tok.subtree}
    who = obj
    if lemma in DOCUMENT_NOUNS:
        # "according to estimates released ... by X" / "according to X's report"
        agent = next((g for t in obj.subtree if t.dep_ == "agent" for g in t.children
                      if g.dep_ == "pobj"), None)
        poss = next((c for c in obj.children if c.dep_ == "poss"), None)
        owner = next((g for c in obj.children if c.dep_ == "prep" and c.lower_ in {"from", "of", "by"}
                      for g in c.children if g.dep_ == "pobj" and g.pos_ == "PROPN"), None)
        who = agent or poss or owner or obj
    source, person, pronoun = _source_of(s, who, history)
    if who is obj and lemma in DOCUMENT_NOUNS:
        source = _document_owner(s, obj, history) or source
    return _Frame(tok.i, kind, source, person, content, pronoun, source_tokens=own)


def _noun_frame(s: _Sentence, noun, history) -> _Frame | None:
    """"South Korea's estimate puts ..." / "the cooperative's forecast of N"."""
    poss = next((c for c in noun.children if c.dep_ == "poss"), None)
    if poss is None or poss.pos_ == "PRON":
        return None
    kind = "forecast" if noun.lemma_.lower() in FORECAST_NOUNS else "estimate"
    own = {t.i for t in poss.subtree}
    if noun.dep_ in {"nsubj", "nsubjpass"}:
        content = {t.i for t in noun.head.subtree} - {t.i for t in noun.subtree}
    else:
        content = {t.i for t in noun.subtree} - own - {noun.i}
    source, person, pronoun = _source_of(s, poss, history)
    return _Frame(noun.i, kind, source, person, content, pronoun, source_tokens=own)


def _source_of(s: _Sentence, tok, history) -> tuple[str, bool, bool]:
    """The name a subject token stands for: trimmed of appositions and clauses, pronouns and
    definite descriptions resolved against earlier names. Returns (name, is_person, pronoun)."""
    d = s.doc
    low = tok.lower_
    if tok.pos_ == "PRON" or low in _PERSON_PRONOUNS | _OTHER_PRONOUNS:
        if low in _PERSON_PRONOUNS:
            name = next((n for n, p in reversed(history) if p), "")
            return name, True, True
        if low in _OTHER_PRONOUNS:
            name = next((n for n, p in reversed(history) if not p), "")
            return name, False, True
        return "", False, True
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in DOCUMENT_NOUNS:
        owner = _document_owner(s, tok, history)
        if owner:
            return owner, False, False
    appos = next((c for c in tok.children if c.dep_ == "appos"), None)
    if tok.pos_ == "NOUN" and appos is not None and appos.pos_ == "PROPN":
        tok = appos  # "The report's lead author, Lena Hartwig, said": the name
    drop = set()
    for c in tok.subtree:
        if c.i != tok.i and (c.dep_ in {"appos", "relcl", "acl"}
                             or (c.head.i == tok.i and c.dep_ in {"punct", "advmod"})
                             or (c.head.i == tok.i and c.dep_ == "cc" and c.i > tok.i)):
            drop |= {t.i for t in c.subtree}
    kept = [t for t in tok.subtree if t.i not in drop and not (t.dep_ == "punct" and t.i == tok.right_edge.i)]
    if not kept:
        return "", False, False
    # Only the contiguous run around the head.
    run = [tok]
    idx = {t.i for t in kept}
    i = tok.i - 1
    while i in idx:
        run.insert(0, d[i])
        i -= 1
    i = tok.i + 1
    while i in idx:
        run.append(d[i])
        i += 1
    a, b = run[0].idx, run[-1].idx + len(run[-1].text)
    name = s.text[a:b].strip(" ,;:")
    has_name = any(t.pos_ == "PROPN" for t in run)
    person = (tok.pos_ == "PROPN" and tok.ent_type_ not in {"ORG", "GPE", "NORP", "LOC", "FAC"}
              and not any(e.label_ in {"ORG", "GPE", "NORP"} and e.start <= tok.i < e.end
                          for e in d.ents)) or tok.ent_type_ == "PERSON"
    if run[0].dep_ == "det" and run[0].lower_ in {"the", "a", "an"}:
        rest = name[len(run[0].text):].lstrip()
        if has_name and rest[:1].isupper():
            name = rest
        else:
            resolved = _resolve_description(rest, history)
            if resolved:
                return resolved, False, False
    return name, person, False


def _resolve_description(phrase: str, history) -> str:
    """"the intelligence service" → an earlier name holding those words."""
    want = set(terms(phrase))
    if not want:
        return ""
    for name, person in reversed(history):
        if not person and want <= set(terms(name)) and any(ch.isupper() for ch in name):
            return name
    return ""


def _document_owner(s: _Sentence, obj, history) -> str:
    """"according to the statement": whoever was last said to have issued a statement."""
    if not any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in obj.children):
        return ""
    if any(c.dep_ in {"poss", "compound"} or c.pos_ == "PROPN" for c in obj.children):
        return ""
    return getattr(history, "documents", {}).get(obj.lemma_.lower(), "")


def _mentions(d) -> list[tuple[str, bool]]:
    """Names mentioned in a sentence, for resolving later pronouns and descriptions."""
    out = []
    for e in d.ents:
        text = re.sub(r"^(the|a|an)\s+", "", e.text, flags=re.I)
        if e.label_ == "PERSON":
            out.append((text, True))
        elif e.label_ == "ORG":
            out.append((text, False))
    return out


# ---- figures ---------------------------------------------------------------------------------

def _figures(doc: Document, s: _Sentence, prev: _Sentence | None) -> list[Fact]:
    d = s.doc
    spans = [q for q in extract.quantities(s.text) if _is_figure(s, q)]
    spans = _merge_compound(s.text, spans)
    out = []
    for q in spans:
        toks = [t for t in d if q.start <= t.idx < q.end]
        if not toks:
            continue
        num = next((t for t in reversed(toks) if t.pos_ == "NUM" or t.like_num), toks[-1])
        if any(num.i in f.source_tokens for f in s.frames):
            continue  # a figure inside the name of a source ("one of the largest groups")
        frame = _innermost(s.frames, num.i)
        counts, phrase_end = _counts(s, num, q)
        unit = _unit(q, num) if q.value is not None else ""
        hedge = _hedge(num, frame)
        when = _when(s, q, frame, spans)
        citation = cite(doc, s.start, s.end)
        source, via, kind = "", "", ""
        if frame is not None:
            source, via = frame.source, frame.via
            kind = {"estimate": "estimate", "forecast": "forecast"}.get(frame.kind, "")
        elif hedge and prev is not None and _continues(s):
            inherited = [f for f in prev.frames if f.kind in {"forecast", "estimate"} and f.source]
            if inherited:
                f = max(inherited, key=lambda f: f.anchor)
                source, via, kind = f.source, f.via, f.kind
                citation = cite(doc, prev.start, s.end)
                when = when or next((x.when for x in prev.facts if x.when and x.source == f.source), "")
        if not kind:
            kind = "forecast" if hedge else "figure"
        if kind == "forecast" and _PAST.match(s.text[q.end:]):
            kind = "figure"  # "down from roughly 500,000 bags last season": a past figure
        text = s.text[q.start:max(q.end, phrase_end)].rstrip(" ,;:")
        out.append(Fact(kind=kind, text=text, value=q.value, unit=unit, counts=counts,
                        qualifier=q.qualifier, source=source, hedge=hedge, when=when,
                        document_id=doc.id, citation=citation, via=via if via != source else ""))
    return out


def _is_figure(s: _Sentence, q: extract.Span) -> bool:
    d = s.doc
    toks = [t for t in d if q.start <= t.idx < q.end]
    if not toks:
        return False
    num = next((t for t in reversed(toks) if t.like_num), toks[-1])
    after = s.text[num.idx + len(num.text):num.idx + len(num.text) + 6]
    before = s.text[max(0, q.start - 12):q.start]
    for x in extract.dates(s.text):
        if x.start <= q.start and q.end <= x.end and re.search(r"\b\d{4}\b|" + _MONTHS, x.text):
            return False  # "the final three months of 2024" is a date
    if num.is_alpha:
        # "the two countries", "one of the largest": reference, not a figure
        if re.search(r"\b(the|these|those|its|their|his|her|our|both|all)\s+$", before, re.I) \
                or (num.lower_ == "one" and re.match(r"\s+of\b", after)):
            return False
    if re.match(r"[-–]\d", after) or re.search(r"\d[-–]$", before):
        return False  # a score or a tally: "voted 7-2"
    if num.dep_ == "nummod" and num.head.i < num.i and num.head.pos_ in {"NOUN", "PROPN"}:
        return False  # an identifier: "resolution 2397", "Flight 17"
    if re.match(r"-[A-Za-z]", after) and not re.match(r"-(million|billion|percent)", after):
        return bool(re.match(r"-[a-z]+", after))  # "28-nanometer" is a measure; "2-1" is not
    return True


def _merge_compound(text: str, spans: list[extract.Span]) -> list[extract.Span]:
    """"2 hours, 6 minutes and 41 seconds" is one figure."""
    out: list[extract.Span] = []
    for q in spans:
        if out:
            last = out[-1]
            gap = text[last.end:q.start]
            if re.fullmatch(r"(\s+[a-z]+)?(,|,? and)\s+", gap) and last.unit and q.unit \
                    and last.unit[0].rstrip("s") in UNITS and q.unit[0].rstrip("s") in UNITS:
                end = q.end + len(re.match(r"\s+[a-z]+", text[q.end:]).group()) \
                    if re.match(r"\s+[a-z]+", text[q.end:]) else q.end
                out[-1] = extract.Span(last.start, end, text[last.start:end], "quantity", None,
                                       last.qualifier, q.unit)
                continue
        out.append(q)
    return out


def _innermost(frames: list[_Frame], i: int) -> _Frame | None:
    holding = [f for f in frames if i in f.content]
    return min(holding, key=lambda f: len(f.content)) if holding else None


def _counts(s: _Sentence, num, q: extract.Span) -> tuple[str, int]:
    """What a figure counts, and where its noun phrase ends in the sentence (to quote it)."""
    d = s.doc
    if q.value is None:
        return "", q.end
    head = num.head
    while head.pos_ == "NUM" and head.head.i != head.i and head.head.i > head.i:
        head = head.head  # "4.8 million" → the noun after the scale
    if head.i > num.i and head.pos_ in {"NOUN", "PROPN"}:
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None and any(t.like_num for t in of.subtree):
            of = None  # "bags of 60 kilograms each": a second figure, not what is counted
        end = max(of.subtree, key=lambda t: t.i) if of is not None else head
        b = end.idx + len(end.text)
        if head.lower_ in {"%", "percent"} or head.lemma_.lower() in UNITS:
            # "20% of the reserve", "14 miles of lead service lines": the of-phrase is counted
            if of is not None:
                return s.text[of.idx + len(of.text):b].strip(), b
            if head.lower_ in {"%", "percent"}:
                return _changed(s, num), b
            if re.match(r"-", s.text[num.idx + len(num.text):]) and head.head.pos_ == "NOUN" \
                    and head.head.i > head.i:
                return head.head.text, b  # "152-millimeter rounds"
            return "", b
        first = num.i + 1
        while first < head.i and d[first].pos_ in {"NUM", "SYM"}:
            first += 1
        return s.text[d[first].idx:b], b
    if "percent" in q.unit:
        return _changed(s, num), q.end
    if re.search(r"[$€£¥]", q.text):
        return _changed(s, num, ("nsubj", "nsubjpass")), q.end  # "repairs could cost $14 million"
    of = next((c for c in num.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
    if obj is not None:
        # "Around 300 of those jobs", "three of the nine grants"
        return _noun_phrase(s, obj), obj.idx + len(obj.text)
    # "the total number of North Korean soldiers ... to as many as 30,000"
    ancestors = {a.i for a in num.ancestors}
    for t in d:
        if t.lemma_.lower() in _TOTAL_NOUNS and t.pos_ == "NOUN" and t.head.i in ancestors:
            of = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            obj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
            if obj is not None:
                toks = [x for x in obj.subtree if x.i <= obj.i and x.dep_ != "det"]
                return s.text[toks[0].idx:obj.idx + len(obj.text)], q.end
    # "estimate its output at around 2,500 ...": the object of the estimate
    for anc in num.ancestors:
        if anc.pos_ == "VERB":
            obj = next((c for c in anc.children if c.dep_ == "dobj" and c.i < num.i), None)
            if obj is not None and anc.lemma_.lower() in ESTIMATE_VERBS:
                return _noun_phrase(s, obj), q.end
            break
    return "", q.end


def _changed(s: _Sentence, num, deps: tuple[str, ...] = ("dobj", "nsubj", "nsubjpass")) -> str:
    """For "cut X by 18 percent" / "X rose 4 percent": the X that changed."""
    for anc in num.ancestors:
        if anc.pos_ == "VERB":
            for dep in deps:
                c = next((c for c in anc.children if c.dep_ == dep and c.i != num.i), None)
                if c is not None and c.pos_ != "PRON":
                    return _noun_phrase(s, c)
            break
    return ""


def _noun_phrase(s: _Sentence, tok) -> str:
    """A noun with the modifiers before it (no determiner, no trailing clauses)."""
    left = [t for t in tok.subtree if t.i <= tok.i and t.dep_ not in {"det", "punct"}]
    run = [tok]
    for t in reversed(left[:-1] if left and left[-1].i == tok.i else left):
        if t.i != run[0].i - 1 and not (s.doc[run[0].i - 1].dep_ == "case"):
            break
        run.insert(0, t)
    a, b = run[0].idx, tok.idx + len(tok.text)
    return s.text[a:b]


def _unit(q: extract.Span, num) -> str:
    if "percent" in q.unit:
        return "percent"
    sym = re.search(r"[$€£¥]", q.text)
    if sym:
        return sym.group()
    head = num.head
    while head.pos_ == "NUM" and head.head.i != head.i and head.head.i > head.i:
        head = head.head
    if head.i > num.i and head.pos_ == "NOUN" and head.lemma_.lower() in UNITS:
        return head.lemma_.lower()
    m = re.match(r"-([a-z]+)", num.doc.text[q.end:q.end + 20])  # "28-nanometer"
    return m.group(1) if m and m.group(1) in UNITS else ""


def _hedge(num, frame: _Frame | None) -> str:
    """A modal or hedging adverb on the clauses between the figure and its frame."""
    stop = frame.anchor if frame else -1
    for anc in [num, *num.ancestors]:
        if anc.i == stop:
            break
        for c in anc.children:
            if c.dep_ == "aux" and c.lower_ in HEDGE_AUX:
                return c.text
            if c.dep_ == "advmod" and c.lower_ in HEDGE_ADV:
                return c.text
    return ""


def _continues(s: _Sentence) -> bool:
    """The sentence's subject points back ("This could bring ...") and it names no source."""
    if s.frames:
        return False
    root = next((t for t in s.doc if t.dep_ == "ROOT"), None)
    subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None) if root else None
    if subj is None:
        return False
    first = next(iter(subj.subtree))
    return first.lower_ in _ANAPHORA or subj.lower_ in _ANAPHORA


def _when(s: _Sentence, q: extract.Span, frame: _Frame | None, spans: list[extract.Span]) -> str:
    """The date of a figure: one in its own clause first, else the date of the statement.
    A date nearer another figure of the sentence belongs to that one."""
    def token_at(offset: int) -> int | None:
        for t in s.doc:
            if t.idx <= offset < t.idx + len(t.text):
                return t.i
        return None

    def distance(x: extract.Span, y: extract.Span) -> int:
        return max(0, x.start - y.end, y.start - x.end)

    dates = [x for x in extract.dates(s.text) if _WHEN.search(x.text)
             and not (x.start < q.end and q.start < x.end)
             and min(spans, key=lambda y: distance(x, y)) is q]
    content = frame.content if frame else {t.i for t in s.doc}
    inside = [x for x in dates if token_at(x.start) in content]
    if inside:
        return min(inside, key=lambda x: distance(x, q)).text
    outside = [x for x in dates if not frame or token_at(x.start) not in frame.source_tokens]
    return outside[0].text if outside else ""


# ---- claims ----------------------------------------------------------------------------------

def _claims(doc: Document, s: _Sentence, figures: list[Fact]) -> list[Fact]:
    d = s.doc
    out = []
    fig_tokens = {t.i for t in d for f in figures
                  if f.citation.start <= s.start + t.idx < f.citation.end
                  and f.text and s.text.find(f.text) <= t.idx < s.text.find(f.text) + len(f.text)}
    for f in s.frames:
        if f.content & fig_tokens or not f.source:
            continue
        content = set(f.content)
        for g in s.frames:
            if g is not f and g.anchor in f.content:
                # the part of an outer frame that no inner frame reports: its own claim
                content -= g.content | g.source_tokens | {g.anchor}
                content -= {t.i for t in d[g.anchor].children if t.dep_ in {"aux", "neg", "mark"}}
        toks = _longest_run(content)
        if not any(d[i].pos_ in {"VERB", "AUX"} for i in toks) or \
                not any(d[i].dep_ in {"nsubj", "nsubjpass", "expl"} for i in toks):
            continue  # no clause left of its own
        toks = [i for i in toks if not (d[i].dep_ in {"mark", "punct"} and i in (toks[0], toks[-1]))]
        if not toks:
            continue
        a, b = d[toks[0]].idx, d[toks[-1]].idx + len(d[toks[-1]].text)
        text = s.text[a:b].strip(" ,;:“”\"‘’'")
        text = re.sub(r"^(that|whether)\s+", "", text)
        if len(re.findall(r"[A-Za-z]+", text)) < 3:
            continue
        hedge = _clause_hedge(d, toks)
        kind = {"estimate": "estimate", "forecast": "forecast"}.get(f.kind) \
            or ("forecast" if hedge else "claim")
        when = _claim_when(s, set(toks))
        out.append(Fact(kind=kind, text=text, value=None, unit="", counts="", qualifier="",
                        source=f.source, hedge=hedge, when=when, document_id=doc.id,
                        citation=cite(doc, s.start, s.end),
                        via=f.via if f.via != f.source else ""))
    if not s.frames and not figures:
        root = next((t for t in d if t.dep_ == "ROOT"), None)
        if root is not None and root.pos_ in {"VERB", "AUX"}:
            dated = [e for e in d.ents if e.label_ == "DATE" and re.search(r"\d{4}|\d", e.text)
                     and (root in e.root.ancestors)]
            if dated:
                text = s.text.strip().rstrip(".!?")
                out.append(Fact(kind="claim", text=text, value=None, unit="", counts="",
                                qualifier="", source="", hedge=_clause_hedge(d, {t.i for t in d}),
                                when=dated[0].text, document_id=doc.id,
                                citation=cite(doc, s.start, s.end)))
    return out


def _longest_run(indices: Iterable[int]) -> list[int]:
    """The longest run of consecutive token indices."""
    best: list[int] = []
    run: list[int] = []
    for i in sorted(indices):
        if run and i != run[-1] + 1:
            best = max(best, run, key=len)
            run = []
        run.append(i)
    return max(best, run, key=len)


def _clause_hedge(d, content: Iterable[int]) -> str:
    for i in sorted(content):
        t = d[i]
        if (t.dep_ == "aux" and t.lower_ in HEDGE_AUX) or (t.dep_ == "advmod" and t.lower_ in HEDGE_ADV):
            return t.text
    return ""


def _claim_when(s: _Sentence, content: set[int]) -> str:
    for x in extract.dates(s.text):
        if not _WHEN.search(x.text):
            continue
        for t in s.doc:
            if t.idx <= x.start < t.idx + len(t.text) and t.i in content:
                return x.text
    return ""
