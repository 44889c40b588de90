"""Article audit: inconsistencies within an article and across articles, each with verified spans.

General methods only: people and their descriptors from the dependency parse, quantities with
what they count and the verb that governs them, support relations (who backs whom), and
attributions (who says or predicts a figure). Nothing here knows the shipped articles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import extract, nlp
from .consistency import compatible
from .ground import cite
from .models import Citation, Document, Flag
from .text import STOPWORDS, covers, sentence_spans, stem, terms

# Cosine similarity above which two sentences are taken to state the same fact (MiniLM).
SAME_STATEMENT = 0.6

# Bump when the detectors change: stored flags from older code are then recomputed.
AUDIT_VERSION = "17"

# Words that name an office or rank rather than a person (general English).
TITLE_WORDS = frozenset(stem(w) for w in """president vice prime minister secretary deputy assistant
    under general colonel major captain lieutenant sergeant admiral commander chief director
    spokesman spokeswoman spokesperson ambassador senator governor mayor chairman chairwoman chair
    ceo executive officer head leader lawmaker representative judge justice professor dr mr mrs ms
    king queen prince foreign defense defence finance interior economy trade health economist
    analyst coach manager councillor councilman councilwoman envoy attorney inspector marshal
    superintendent commissioner treasurer founder editor correspondent researcher""".split())
REPORTING = frozenset(stem(w) for w in """say said says state stated states note noted notes tell told
    add added warn warned announce announced explain explained disclose disclosed claim claimed
    report reported predict predicted predicting forecast forecasts estimate estimated estimates
    mention mentioned confirm confirmed highlight highlighted write wrote argue argued put puts
    publish published release released describe described quote quoted""".split())
# Heads of organisation names that alone name no particular body ("the Ministry").
GENERIC_BODIES = frozenset(stem(w) for w in """ministry agency service council company government
    party army union committee commission department office bank court parliament police institute
    university group corporation authority board federation association club team force forces navy
    command assembly senate congress cabinet administration holdings""".split())

# Offices that act for a state: their holder's country should be part of the story.
STATE_OFFICES = frozenset(stem(w) for w in """minister secretary ambassador president premier
    chancellor envoy""".split())
_SUPPORT_NOUNS = r"support|aid|assistance|help|weapons|arms|ammunition|munitions|equipment|funding|backing"
_SUPPORT = re.compile(
    rf"\bin support of\s+(?P<a>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
    rf"|\b(?:{_SUPPORT_NOUNS})\s+(?:to|for)\s+(?:the\s+)?(?P<b>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
    rf"|\b(?:arm(?:s|ed|ing)?|back(?:s|ed|ing)?|support(?:s|ed|ing)?|aid(?:s|ed|ing)?)\s+(?:the\s+)?"
    rf"(?P<c>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*|rebels|government|insurgents|opposition|militia)")
_OPPOSITION = re.compile(r"\b(war|wars|conflict|against|fight\w*|invasion|invad\w+|attack\w*|battle\w*|"
                         r"versus|enemy|enemies|hostilit\w+|offensive)\b", re.I)
_SCOPE = re.compile(r"\b(per|a|each|every)\s+(day|week|month|year)\b|\b(in a single|last|this|next|"
                    r"previous|first|second)\s+(day|week|month|year|quarter|season)\b|\bof the\b|"
                    r"\bout of\b|\bamong\b", re.I)
_SHARE = re.compile(r"\b(?P<part>\d[\d,]*)\s+(?:of|out of)\s+(?:the\s+|its\s+|their\s+)?(?P<whole>\d[\d,]*)"
                    r"\b[^.;]{0,80}?\b(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)", re.I)


@dataclass
class Sent:
    start: int
    end: int
    text: str


@dataclass
class Person:
    key: str                  # stemmed surname
    name: str
    sent: Sent
    desc: str = ""
    countries: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    affiliations: frozenset[str] = frozenset()


@dataclass
class Figure:
    sent: Sent
    span: extract.Span
    verb: str
    hedged: bool
    source: str
    noun: str = ""  # what the figure counts, from the parse ("11,000 elite troops" → troops)
    origin: bool = False  # the source made the figure (estimate, forecast), not just repeated it
    holder: str = ""  # who or what the figure is about: the subject of its clause


@dataclass
class Support:
    sent: Sent
    actor: str
    beneficiary: str


@dataclass
class Facts:
    """What the audit extracts from one document."""

    doc: Document
    people: list[Person] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    supports: list[Support] = field(default_factory=list)
    places: dict[str, int] = field(default_factory=dict)   # stemmed GPE → mentions
    opposed: set[frozenset[str]] = field(default_factory=set)


def _key(name: str) -> str:
    t = terms(name)
    return t[-1] if t else ""


def _same(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta) and bool(tb) and (all(covers(x, tb) for x in ta) or all(covers(x, ta) for x in tb))


def extract_facts(doc: Document) -> Facts:
    facts = Facts(doc=doc)
    sents = [Sent(a, b, doc.text[a:b]) for a, b in sentence_spans(doc.text)]
    known: dict[str, str] = {}
    parsed = [(s, nlp.parse(s.text)) for s in sents]
    # Pass 1: who is a person — spaCy PERSON entities, and proper nouns that speak (subjects of
    # reporting verbs, "according to X"); spaCy's small model misses many foreign names.
    for s, d in parsed:
        for ent in d.ents:
            if ent.label_ in {"PERSON", "ORG"}:
                known.setdefault(_key(ent.text), ent.text)
            if ent.label_ == "ORG" and len(terms(ent.text)) > 1:
                # "Harrowgate Mining" is later just "Harrowgate".
                known.setdefault(terms(ent.text)[0], ent.text)
            if ent.label_ in {"GPE", "NORP"}:
                for t in terms(ent.text):
                    facts.places[t] = facts.places.get(t, 0) + 1
        for tok in d:
            if tok.pos_ == "PROPN" and tok.dep_ == "nsubj" and stem(tok.head.lemma_) in REPORTING:
                if not any(e.start <= tok.i < e.end and e.label_ in {"GPE", "NORP", "ORG"} for e in d.ents):
                    known.setdefault(stem(tok.text), tok.text)
        for m in re.finditer(r"\baccording to ([A-Z][\w’'-]+)\b", s.text):
            known.setdefault(stem(m.group(1)), m.group(1))
    lowered = set(terms(" ".join(w for w in re.findall(r"\b[a-z][\w'-]*", doc.text))))
    known = {k: v for k, v in known.items() if k and k not in STOPWORDS and k not in TITLE_WORDS
             and k not in GENERIC_BODIES and k not in lowered}
    # Pass 2: every mention of those people with the descriptor attached to it.
    for s, d in parsed:
        for tok in d:
            if tok.pos_ != "PROPN":
                continue
            if tok.i + 1 < len(d) and d[tok.i + 1].pos_ == "PROPN" and stem(d[tok.i + 1].text) not in TITLE_WORDS:
                continue  # not the last token of the name
            run = [tok]
            while run[0].i > 0 and d[run[0].i - 1].pos_ == "PROPN" and stem(d[run[0].i - 1].text) not in TITLE_WORDS:
                run.insert(0, d[run[0].i - 1])
            if any(stem(t.text) in known for t in run):
                facts.people.append(_person(s, d, tok))
        for span in extract.quantities(s.text):
            near = s.text[max(0, span.start - 80):span.end + 20]  # the figure's own clause
            role, source = _figure_source(d, span)
            if not source:
                role, source = _source(s.text)
            facts.figures.append(Figure(s, span, _governing_verb(d, span), extract.hedged(near),
                                        source, _counted(d, span), role == "origin",
                                        _clause_subject(d, span)))
        for m in _SUPPORT.finditer(s.text):
            beneficiary = m.group("a") or m.group("b") or m.group("c")
            beneficiary = re.sub(r"[’']s$", "", beneficiary)
            actor = _actor(d, m.start())
            if actor and not _same(actor, beneficiary):
                facts.supports.append(Support(s, actor, beneficiary))
        if _OPPOSITION.search(s.text):
            ents = [e.text for e in d.ents if e.label_ in {"GPE", "NORP", "ORG"}]
            for i, a in enumerate(ents):
                for b in ents[i + 1:]:
                    if not _same(a, b):
                        facts.opposed.add(frozenset({_key(a), _key(b)}))
    return facts


def _person(s: Sent, d, tok) -> Person:
    head = tok
    name_toks = [tok]
    i = tok.i - 1
    while i >= 0 and d[i].pos_ == "PROPN" and d[i].dep_ == "compound" and stem(d[i].text) not in TITLE_WORDS \
            and not any(e.start <= i < e.end and e.label_ in {"GPE", "NORP"} for e in d.ents):
        name_toks.insert(0, d[i])
        i -= 1
    desc_toks = [t for t in head.subtree if t.i < name_toks[0].i and t.dep_ not in {"det", "punct"}
                 and t.i >= head.left_edge.i]
    # A descriptor is a contiguous run right before the name ("Nigeria's Defense Minister").
    run = []
    for t in reversed(desc_toks):
        if run and t.i != run[0].i - 1:
            break
        run.insert(0, t)
    appos = [c for c in head.children if c.dep_ == "appos"]
    if not run and appos:
        run = [t for t in appos[0].subtree if t.dep_ != "punct"]
    if not run and head.head is not head and head.dep_ in {"nmod", "appos"} and head.head.pos_ == "NOUN":
        # "the mine's Canadian operator, Harrowgate Mining": the name is in apposition.
        run = [t for t in head.head.subtree if t.i < name_toks[0].i and t.dep_ not in {"punct", "det"}
               and t.i >= head.head.left_edge.i]
    name = s.text[name_toks[0].idx:tok.idx + len(tok.text)]
    name_terms = terms(name)
    p = Person(key=name_terms[-1] if name_terms else stem(tok.text), name=name, sent=s)
    if run:
        a, b = run[0].idx, run[-1].idx + len(run[-1].text)
        p.desc = s.text[a:b]
        countries = set()
        for e in d.ents:
            if e.label_ in {"GPE", "NORP"} and a <= e.start_char < b:
                countries.update(terms(e.text))
        for t in run:  # "Nigeria's Defense Minister": a possessive proper noun is an affiliation
            if t.pos_ == "PROPN" and any(c.dep_ == "case" for c in t.children) \
                    and stem(t.text) not in TITLE_WORDS:
                countries.update(terms(t.text))
        p.countries = frozenset(countries)
        p.titles = frozenset(t for t in terms(p.desc) if t not in countries and not t[0].isdigit())
    p.affiliations = frozenset(_affiliations(d, head))
    return p


_JOIN_VERBS = frozenset(stem(w) for w in "elect represent belong join lead chair head serve".split())


def _affiliations(d, head) -> set[str]:
    """Parties or bodies a name is tied to: "Ilic, of the People's Party", "who was elected for
    the Social Democrats", "a member of X"."""
    out: set[str] = set()
    places = []
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in {"of", "from", "for"}:
            places.append(c)
        elif c.dep_ == "relcl" and stem(c.lemma_) in _JOIN_VERBS:
            places.append(c)
        elif c.dep_ == "appos":
            places.extend(g for g in c.subtree if g.dep_ == "prep" and g.lower_ in {"of", "for"})
    for root in places:
        idx = {t.i for t in root.subtree}
        for e in d.ents:
            if e.label_ in {"ORG", "NORP"} and e.root.i in idx:
                out.add(" ".join(terms(e.text)))
    return out


def _compound(g: Figure) -> bool:
    """Part of a compound measure or a list: "2 hours, 6 minutes and 41 seconds"."""
    before = g.sent.text[max(0, g.span.start - 16):g.span.start]
    after = g.sent.text[g.span.end:g.span.end + 16]
    return bool(re.search(r"\d[\w\s]{0,12}(,|\band)\s*$", before)
                or re.match(r"^\s*[a-z]+(,|\s+and)\s+\d", after))


def _counted(d, span: extract.Span) -> str:
    toks = [t for t in d if span.start <= t.idx < span.end]
    if not toks:
        return ""
    num = toks[-1]
    head = num.head
    while head.pos_ == "NUM" and head.head is not head:  # "4.8 million" → million → noun
        head = head.head
    if head is not num and head.pos_ in {"NOUN", "PROPN"} and head.i > num.i:
        return head.lower_
    return span.unit[0] if span.unit else ""


def _clause_subject(d, span: extract.Span) -> str:
    """The named subject of the clause holding the figure ("Ivanova scored 7.5 points")."""
    for tok in d:
        if span.start <= tok.idx < span.end:
            for anc in tok.ancestors:
                if anc.pos_ in {"VERB", "AUX"}:
                    for c in anc.children:
                        if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ == "PROPN":
                            return " ".join(t.text for t in c.subtree if t.pos_ == "PROPN")
                    return ""
            return ""
    return ""


def _governing_verb(d, span: extract.Span) -> str:
    for tok in d:
        if span.start <= tok.idx < span.end:
            for anc in tok.ancestors:
                if anc.pos_ == "VERB":
                    return stem(anc.lemma_)
            return ""
    return ""


def _source(text: str) -> tuple[str, str]:
    """Who the sentence credits, and whether as origin: a named subject (or passive agent) of a
    reporting verb, or "according to X"."""
    if not re.search(r"[.!?\"”’]$", text.strip()):
        return "", ""  # a headline or a fragment credits no one
    for span, pronoun, verb in extract.subjects_of(text, set(REPORTING | ORIGIN_VERBS)):
        # A source is named: a proper noun, or a possessive office ("the governor's office").
        named = re.search(r"\b[A-Z]", span.text) or re.search(r"\w['’]s\b", span.text)
        if not pronoun and named and len(span.text.split()) <= 8:
            return ("origin" if verb in ORIGIN_VERBS else "report"), span.text
    return "", ""


_FORECAST_NOUNS = frozenset(stem(w) for w in "forecast estimate projection outlook prediction".split())
# Verbs that make someone the origin of a figure, not just a voice repeating it: two sources
# repeating one figure corroborate it; two origins for one figure contradict each other.
ORIGIN_VERBS = frozenset(stem(w) for w in """estimate estimated put puts forecast project projected
    predict predicted publish published release released issue issued calculate calculated
    compile compiled""".split())


def _figure_source(d, span: extract.Span) -> tuple[str, str]:
    """Whoever the parse credits with this figure, and whether as its origin or as a voice:
    the subject of the nearest reporting verb above it, or the owner of its forecast/estimate."""
    toks = [t for t in d if span.start <= t.idx < span.end]
    if not toks:
        return "", ""
    for anc in toks[-1].ancestors:
        if anc.pos_ == "NOUN" and stem(anc.lemma_) in _FORECAST_NOUNS:
            verb = anc.head
            while verb.dep_ in {"conj", "xcomp"} and not any(c.dep_ == "nsubj" for c in verb.children):
                verb = verb.head
            subj = _subject(verb)
            if subj:
                return "origin", subj
        if anc.pos_ == "VERB" and stem(anc.lemma_) in REPORTING | ORIGIN_VERBS:
            subj = _subject(anc)
            if subj:
                return ("origin" if stem(anc.lemma_) in ORIGIN_VERBS else "report"), subj
    return "", ""


def _subject(verb) -> str:
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON":
            text = " ".join(t.text for t in c.subtree if t.dep_ != "punct")
            if c.dep_ == "nsubj" and len(text.split()) <= 8:
                return re.sub(r"^(the|a|an) ", "", text, flags=re.I)
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return re.sub(r"^(the|a|an) ", "", " ".join(t.text for t in objs[0].subtree), flags=re.I)
    return ""


def _actor(d, offset: int) -> str:
    """The closest named subject before ``offset`` (who does the supporting)."""
    best = ""
    for tok in d:
        if tok.idx >= offset:
            break
        if tok.dep_ in {"nsubj", "nsubjpass"} and tok.pos_ == "PROPN":
            ents = [e for e in d.ents if e.start <= tok.i < e.end]
            best = ents[0].text if ents else tok.text
    return re.sub(r"[’']s$", "", best)


# ---- detectors --------------------------------------------------------------------------------

def _flag(kind: str, message: str, cites: Iterable[Citation], severity: str = "warning") -> Flag:
    seen, out = set(), []
    for c in cites:
        if (c.document_id, c.start, c.end) not in seen:
            seen.add((c.document_id, c.start, c.end))
            out.append(c)
    return Flag(kind=kind, message=message, citations=tuple(out), severity=severity)


def _cite_sent(doc: Document, s: Sent) -> Citation:
    return cite(doc, s.start, s.end)


def role_flags(all_facts: Sequence[Facts]) -> list[Flag]:
    flags = []
    by_key: dict[str, list[tuple[Facts, Person]]] = defaultdict(list)
    for f in all_facts:
        for p in f.people:
            for k in dict.fromkeys([p.key] + terms(p.name)[:1]):
                by_key[k].append((f, p))
    for key, mentions in by_key.items():
        described = [(f, p) for f, p in mentions if p.desc or p.affiliations]
        done = False
        for i, (fa, pa) in enumerate(described):
            for fb, pb in described[i + 1:]:
                if not _names_agree(pa.name, pb.name):
                    continue
                why = _role_clash(pa, pb)
                if why:
                    da = pa.desc or ", ".join(sorted(pa.affiliations))
                    db = pb.desc or ", ".join(sorted(pb.affiliations))
                    flags.append(_flag("role_conflict",
                                       f"{pa.name} is described as “{da}” and as “{db}” ({why}).",
                                       [_cite_sent(fa.doc, pa.sent), _cite_sent(fb.doc, pb.sent)]))
                    done = True
                    break
            if done:
                break
        if not done:
            flags.extend(_stray_country(key, mentions, all_facts))
    return flags


def _names_agree(a: str, b: str) -> bool:
    """"Umerov" and "Rustem Umerov" agree; "Anna Berg" and "Lena Berg" do not."""
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def _role_clash(a: Person, b: Person) -> str:
    if a.countries and b.countries and not any(covers(x, b.countries) for x in a.countries):
        return "different countries"
    if a.affiliations and b.affiliations and not any(
            _same(x, y) for x in a.affiliations for y in b.affiliations):
        return "different affiliations"
    ta, tb = a.titles & TITLE_WORDS, b.titles & TITLE_WORDS
    if ta and tb and not (ta <= tb or tb <= ta):
        heads_a, heads_b = a.titles - ta, b.titles - tb
        if (ta & tb) or not (heads_a or heads_b):
            return "different offices"
    return ""


def _stray_country(key: str, mentions, all_facts: Sequence[Facts]) -> list[Flag]:
    """A main voice of an article whose title names a country the article and corpus never
    otherwise mention, while the person speaks for a side ("we", "our") — likely a wrong title."""
    flags = []
    for f in {id(f): f for f, _ in mentions}.values():
        own = [p for ff, p in mentions if ff is f]
        if len(own) < 4:
            continue
        for p in own:
            if not p.countries or not (p.titles & STATE_OFFICES):
                continue
            mentioned = sum(ff.places.get(c, 0) for ff in all_facts for c in p.countries)
            if mentioned > 1:
                continue
            voice = [q for q in own if q is not p and re.search(r"\b(we|our|us)\b", q.sent.text, re.I)]
            voice = voice or [s for s in _sentences_after(f, p) if re.search(r"\b(we|our|us)\b", s.text, re.I)]
            if not voice:
                continue
            country = p.desc
            flags.append(_flag(
                "role_conflict",
                f"{p.name} is called “{country}”, but that country appears nowhere else in the "
                "checked text, while the article has this person speak for another side (“we”, “our”).",
                [_cite_sent(f.doc, p.sent), _cite_sent(f.doc, voice[0].sent if isinstance(voice[0], Person)
                                                       else voice[0])]))
            return flags
    return flags


def _sentences_after(f: Facts, p: Person) -> list[Sent]:
    spans = sentence_spans(f.doc.text)
    out = []
    for a, b in spans:
        text = f.doc.text[a:b]
        if a >= p.sent.end and re.search(rf"\b{re.escape(p.name.split()[-1])}\b", f.doc.text[max(0, a - 400):b]):
            out.append(Sent(a, b, text))
    return out


def support_flags(all_facts: Sequence[Facts]) -> list[Flag]:
    """The same actor backing two sides that the corpus shows in conflict with each other."""
    flags = []
    opposed: set[frozenset[str]] = set().union(*(f.opposed for f in all_facts)) if all_facts else set()
    rel: list[tuple[Facts, Support]] = [(f, s) for f in all_facts for s in f.supports]
    seen: set[tuple[str, frozenset[str]]] = set()
    for i, (fa, a) in enumerate(rel):
        for fb, b in rel[i + 1:]:
            if not _same(a.actor, b.actor) or _same(a.beneficiary, b.beneficiary):
                continue
            pair = frozenset({_key(a.beneficiary), _key(b.beneficiary)})
            if pair not in opposed or (_key(a.actor), pair) in seen:
                continue
            seen.add((_key(a.actor), pair))
            flags.append(_flag("claim_conflict",
                               f"{a.actor} is said to back {a.beneficiary} here and {b.beneficiary} "
                               f"there, two sides the text shows in conflict.",
                               [_cite_sent(fa.doc, a.sent), _cite_sent(fb.doc, b.sent)], "error"))
    return flags


def number_flags(all_facts: Sequence[Facts], words) -> list[Flag]:
    """Different values for the same counted thing and action, and shares that do not add up."""
    flags = []
    figs = [(f, g) for f in all_facts for g in f.figures if g.span.unit]
    seen: set[tuple[int, int]] = set()
    vectors: dict[int, list[float]] = {}

    def similar(x: Sent, y: Sent) -> float:
        for sent in (x, y):
            if id(sent) not in vectors:
                vectors[id(sent)] = words.embedder.embed([sent.text], "document")[0]
        return sum(p * q for p, q in zip(vectors[id(x)], vectors[id(y)]))

    for i, (fa, a) in enumerate(figs):
        for fb, b in figs[i + 1:]:
            if a.sent is b.sent or a.hedged != b.hedged:
                continue
            if _compound(a) or _compound(b):
                continue  # "2 hours, 6 minutes and 41 seconds": parts of one measure
            if not (re.search(r"\d", a.span.text) and re.search(r"\d", b.span.text)):
                continue  # "two", "thousands": counts of different small things, or vague
            if "percent" in a.span.unit and (a.verb != b.verb or not a.verb):
                continue  # rates and shares of different things share the word "percent"
            if ("percent" in a.span.unit) != ("percent" in b.span.unit):
                continue
            if _SCOPE.search(a.sent.text[a.span.end:a.span.end + 40]) or \
                    _SCOPE.search(b.sent.text[b.span.end:b.span.end + 40]):
                continue
            nouns_a = [w for w in a.span.unit if w != "percent"][:3]
            if not a.noun or not b.noun or not words.same(a.noun, b.noun):
                continue
            if a.holder and b.holder and not _same(a.holder, b.holder):
                continue  # the same measure of two different subjects
            shared = set(terms(a.sent.text)) & set(terms(b.sent.text)) - set(terms(" ".join(nouns_a)))
            shared = {t for t in shared if not t.isdigit()}
            if compatible(a.span, b.span):
                continue
            if len(shared) < (2 if a.verb and a.verb == b.verb else 3) \
                    and not (shared and similar(a.sent, b.sent) >= SAME_STATEMENT) \
                    and not (fa is not fb and _only_count(fa, a, words) and _only_count(fb, b, words)
                             and _same_story(fa, fb)):
                continue
            hi = max(a.span.value or 0, b.span.value or 0)
            lo = min(a.span.value or 0, b.span.value or 0)
            if lo <= 0 or hi / lo > 3:
                continue
            key = (id(a), id(b))
            if key in seen:
                continue
            seen.add(key)
            where = "this article" if fa is fb else "two articles"
            flags.append(_flag("number_conflict",
                               f"{where.capitalize()} give{'s' if fa is fb else ''} different values for "
                               f"the same thing: “{a.span.text}” and “{b.span.text}”.",
                               [_cite_sent(fa.doc, a.sent), _cite_sent(fb.doc, b.sent)]))
    for f in all_facts:
        flags.extend(_share_of_total(f))
        for s in {id(g.sent): g.sent for g in f.figures}.values():
            for m in _SHARE.finditer(s.text):
                part = float(m.group("part").replace(",", ""))
                whole = float(m.group("whole").replace(",", ""))
                pct = float(m.group("pct"))
                if whole > 0 and abs(part / whole * 100 - pct) > 1.5:
                    flags.append(_flag("number_conflict",
                                       f"{m.group('part')} of {m.group('whole')} is "
                                       f"{part / whole * 100:.0f} percent, not {m.group('pct')} percent.",
                                       [_cite_sent(f.doc, s)]))
    return flags


_PART_OF_TOTAL = re.compile(r"(?P<part>\d[\d,.]*(?:\s(?:thousand|million|billion))?)\s+(?P<unit>[a-z]+)"
                            r"\s+of\s+(?:the|its|their)\s+(?:total|\w+)[^.;]{0,40}?\bor\s+(?:about\s+|around\s+)?"
                            r"(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)", re.I)


def _only_count(f: Facts, g: Figure, words) -> bool:
    """The article gives one figure for this counted noun: so two articles' figures for it
    on the same story must be figures for the same thing."""
    return sum(1 for h in f.figures if h.noun and words.same(h.noun, g.noun)) == 1


def _same_story(fa: Facts, fb: Facts) -> bool:
    """Two articles share at least two proper names (places, people, bodies)."""
    def names(f: Facts) -> set[str]:
        return {stem(w) for w in re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b", f.doc.text)}
    return len(names(fa) & names(fb) - STOPWORDS) >= 2


def _share_of_total(f: Facts) -> list[Flag]:
    """"256 million euros of the total, or 35 percent" against the total the article gives."""
    flags = []
    for g in f.figures:
        m = _PART_OF_TOTAL.search(g.sent.text, max(0, g.span.start - 2))
        if not m or m.start() > g.span.end:
            continue
        part, pct, unit = g.span.value or 0, float(m.group("pct")), m.group("unit").lower()
        totals = [t for t in f.figures if t is not g and (t.span.value or 0) > part
                  and t.span.unit and stem(t.span.unit[0]) == stem(unit) and "percent" not in t.span.unit]
        if not totals or part <= 0:
            continue
        best = min(totals, key=lambda t: abs(part / t.span.value * 100 - pct))
        actual = part / best.span.value * 100
        if abs(actual - pct) > 1.5:
            flags.append(_flag("number_conflict",
                               f"“{g.span.text} {unit}” of “{best.span.text} {unit}” is {actual:.0f} "
                               f"percent, not {m.group('pct')} percent.",
                               [_cite_sent(f.doc, g.sent), _cite_sent(f.doc, best.sent)]))
    return flags


def attribution_flags(all_facts: Sequence[Facts]) -> list[Flag]:
    """The same figure, or the same quotation, credited to different sources."""
    flags = []
    figs = [(f, g) for f in all_facts for g in f.figures
            if g.source and g.origin and re.search(r"\d", g.span.text)
            and ((g.span.value or 0) >= 10 or "." in g.span.text)]
    for i, (fa, a) in enumerate(figs):
        for fb, b in figs[i + 1:]:
            if a.span.value != b.span.value or a.sent is b.sent or _same(a.source, b.source):
                continue
            if ("percent" in a.span.unit) != ("percent" in b.span.unit):
                continue
            shared = (set(terms(a.sent.text)) & set(terms(b.sent.text))) - {
                t for t in terms(a.span.text)}
            if not (a.noun and b.noun and stem(a.noun) == stem(b.noun)) and len(shared) < 2:
                continue
            if _same(a.source, b.sent.text) or _same(b.source, a.sent.text):
                continue  # one sentence names both sources: a chain of attribution, not a clash
            flags.append(_flag("attribution_conflict",
                               f"“{a.span.text}” is credited to {a.source} and to {b.source}.",
                               [_cite_sent(fa.doc, a.sent), _cite_sent(fb.doc, b.sent)]))
    quotes = []
    for f in all_facts:
        for a, b in sentence_spans(f.doc.text):
            text = f.doc.text[a:b]
            for m in re.finditer(r"[\"“]([^\"”]{25,})[\"”]", text):
                speaker = _source(text)[1] or _speaker(text)
                if speaker:
                    quotes.append((f, Sent(a, b, text), " ".join(terms(m.group(1))), speaker))
    for i, (fa, sa, qa, pa) in enumerate(quotes):
        for fb, sb, qb, pb in quotes[i + 1:]:
            if qa and qa == qb and sa is not sb and not _same(pa, pb) \
                    and not (_same(pa, sb.text) or _same(pb, sa.text)):
                flags.append(_flag("attribution_conflict",
                                   f"The same quotation is credited to {pa} and to {pb}.",
                                   [_cite_sent(fa.doc, sa), _cite_sent(fb.doc, sb)]))
    return flags


def _speaker(text: str) -> str:
    d = nlp.parse(text)
    people = [e.text for e in d.ents if e.label_ == "PERSON"]
    return people[0] if len(people) == 1 else ""


# Verbs whose subjects take opposite positions on the same thing (general English antonyms).
_OPPOSITE = [({"confirm", "admit", "acknowledg", "approv", "accept", "support", "favor", "favour"},
              {"deny", "deni", "reject", "refus", "oppos", "dismiss"})]
_EVENT_VERBS = frozenset(stem(w) for w in """begin began begun start started sign signed open opened
    close closed end ended launch launched hold held occur occurred collapse collapsed""".split())
# Verbs of one movement, so "departed from X" and "left Y" describe the same departure.
_MOVES = {stem(w): group for group, ws in {"depart": "depart leave left", "arrive": "arrive reach dock land"}.items()
          for w in ws.split()}


def claim_flags(all_facts: Sequence[Facts]) -> list[Flag]:
    """Opposite positions on the same matter, and one event given two different dates."""
    flags = []
    rows = []  # (facts, sent, verb stems, object terms, dated events)
    for f in all_facts:
        for a, b in sentence_spans(f.doc.text):
            text = f.doc.text[a:b]
            d = nlp.parse(text)
            verbs = {stem(t.lemma_) for t in d if t.pos_ == "VERB"}
            nouns = {stem(t.lemma_) for t in d if t.pos_ == "NOUN"}
            events = []
            for t in d:
                if t.pos_ == "VERB" and stem(t.lemma_) in _EVENT_VERBS:
                    subj = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}
                            and c.lower_ not in {"that", "which", "who"}]
                    if not subj and t.dep_ == "relcl":
                        subj = [t.head]
                    dates = [e for e in d.ents if e.label_ == "DATE" and re.search(r"\d", e.text)
                             and any(anc.i == t.i for anc in e.root.ancestors)]
                    if subj and dates:
                        events.append((stem(subj[0].lemma_), stem(t.lemma_), dates[0].text))
            for t in d:
                group = _MOVES.get(stem(t.lemma_)) or _MOVES.get(stem(t.text))
                if t.pos_ != "VERB" or not group:
                    continue
                place = _place_of(d, t)
                subj = [c for c in t.children if c.dep_ == "nsubj"]
                if place and subj:
                    key = "" if subj[0].pos_ == "PRON" else stem(subj[0].lemma_)
                    events.append((key, "move:" + group, place))
            for t in d:
                if t.pos_ != "VERB" or stem(t.lemma_) not in _STANCE_VERBS:
                    continue
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in {"for", "against"}:
                        objs = [g for g in c.children if g.dep_ == "pobj"]
                        holder = _holder(t)
                        if objs and holder:
                            events.append((holder, "stance:" + c.lower_, stem(objs[0].lemma_)))
            if events or any(verbs & pos or verbs & neg for pos, neg in _OPPOSITE):
                rows.append((f, Sent(a, b, text), verbs, nouns, events))  # others cannot clash
    for i, (fa, sa, va, na, ea) in enumerate(rows):
        for fb, sb, vb, nb, eb in rows[i + 1:]:
            shared = na & nb
            for pos, neg in _OPPOSITE:
                if len(shared) >= 2 and ((va & pos and vb & neg) or (va & neg and vb & pos)):
                    flags.append(_flag("claim_conflict",
                                       "One passage confirms what the other denies about "
                                       f"the same matter ({', '.join(sorted(shared)[:3])}).",
                                       [_cite_sent(fa.doc, sa), _cite_sent(fb.doc, sb)], "error"))
            for subj_a, verb_a, where_a in ea:
                for subj_b, verb_b, where_b in eb:
                    if not verb_a.startswith("move:") or verb_a != verb_b or _same(where_a, where_b):
                        continue
                    # A pronoun subject ("it departed") is taken as the article's own subject.
                    if subj_a != subj_b and not (fa is fb and "" in (subj_a, subj_b)):
                        continue
                    what = {"depart": "departure", "arrive": "arrival"}[verb_a[5:]]
                    flags.append(_flag("claim_conflict",
                                       f"The same {what} is placed at “{where_a}” and at “{where_b}”.",
                                       [_cite_sent(fa.doc, sa), _cite_sent(fb.doc, sb)], "error"))
            for holder_a, kind_a, thing_a in ea:
                for holder_b, kind_b, thing_b in eb:
                    if kind_a.startswith("stance:") and kind_b.startswith("stance:") \
                            and kind_a != kind_b and thing_a == thing_b and holder_a == holder_b:
                        flags.append(_flag("claim_conflict",
                                           f"The same party ({holder_a}) is said to argue for and "
                                           f"against the same {thing_a}.",
                                           [_cite_sent(fa.doc, sa), _cite_sent(fb.doc, sb)], "error"))
            for subj_a, verb_a, date_a in ea:
                for subj_b, verb_b, date_b in eb:
                    if verb_a.startswith(("move:", "stance:")) or verb_b.startswith(("move:", "stance:")):
                        continue
                    if (subj_a, verb_a) == (subj_b, verb_b) and _day(date_a) and _day(date_b) \
                            and _day(date_a) != _day(date_b):
                        flags.append(_flag("claim_conflict",
                                           f"The same event ({subj_a} … {verb_a}) is dated "
                                           f"“{date_a}” and “{date_b}”.",
                                           [_cite_sent(fa.doc, sa), _cite_sent(fb.doc, sb)], "error"))
    return flags


_STANCE_VERBS = frozenset(stem(w) for w in """lobby lobbied argue argued campaign campaigned push
    pushed call called press pressed advocate advocated vote voted speak spoke warn warned""".split())


def _holder(verb) -> str:
    """Who takes the stance: the subject, or for "X, which lobbied for ..." the noun X."""
    v = verb
    while v.dep_ in {"conj", "xcomp", "aux"} and v.head is not v:
        v = v.head
    for c in v.children:
        if c.dep_ == "nsubj":
            if c.lower_ in {"which", "who", "that"} and v.dep_ == "relcl":
                return stem(v.head.lemma_)
            if c.pos_ != "PRON":
                return stem(c.lemma_)
    if v.dep_ == "relcl":
        return stem(v.head.lemma_)
    return ""


def _place_of(d, verb) -> str:
    """The named place a movement verb starts from or ends at ("departed from Tollan Pier")."""
    cands = [c for c in verb.children if c.dep_ == "dobj"]
    cands += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in {"from", "at", "in", "to"}
              for g in c.children if g.dep_ == "pobj"]
    for c in cands:
        toks = [t for t in c.subtree if t.dep_ not in {"det", "punct"}]
        if toks and c.pos_ == "PROPN":
            return " ".join(t.text for t in toks)
    return ""


def _day(date: str) -> str:
    """The day-and-month of a date phrase, for comparing ("3 March" → "3 march")."""
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]+)|\b([A-Z][a-z]+)\s+(\d{1,2})\b", date)
    if not m:
        return ""
    day = m.group(1) or m.group(4)
    month = (m.group(2) or m.group(3)).lower()[:3]
    return f"{int(day)} {month}"


def audit(all_facts: Sequence[Facts], words) -> list[Flag]:
    """Every flag over these documents (within each and across them)."""
    flags = role_flags(all_facts) + support_flags(all_facts) + claim_flags(all_facts) \
        + number_flags(all_facts, words) + attribution_flags(all_facts)
    return flags
