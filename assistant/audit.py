"""Article audit: inconsistencies within an article and across articles, each with verified spans.

Two stages, both general (nothing here knows the shipped or the eval articles):

1. A mention graph per document (``extract_facts``): every mention of a person or organisation
   with what that mention says about it (office, employer or party, nationality, age, whether
   the role is a former one), including mentions by a descriptor alone ("the Norwegian
   manufacturer", "the 24-year-old"); every figure with what it counts, whose it is (the named
   subject of its clause), its time, whether it is a forecast, an old value in a change ("up
   from 90"), a part of a list or a range, and who it is credited to; dated and placed events;
   outcomes of matters ("upheld the ban" / "overturned the ban"); support relations; quotations.
2. Conflict rules over the graph (``audit``): the same entity described incompatibly, two values
   for one quantity of one holder, shares and sums that do not add up, one event with two dates
   or places, opposite outcomes or stances, one figure or quotation with two origins.

Version 19 adds: the ruling side vs the opposition, a nationality vs the country played for, the
offices of two different bodies ("the company's chief executive" / "the agency's head"); acts
and stances with their polarity from the parse ("opposed the merger" / "endorsed the deal",
"conceded" / "refused to concede", "no plans to sell X" / "talks with buyers for X"); events
named by a noun ("since its discovery in 2019") and bare years; a thing counted exactly twice in
one article ("will use 48 turbines" / "the farm's 52 turbines", jobs and workers as one
workforce) unless one figure is an aggregate ("a combined capacity of"); a quotation quoted
in part under another name.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import extract, nlp, senses
from .consistency import compatible, interval
from .ground import cite
from .models import Citation, Document, Flag
from .text import STOPWORDS, covers, fold, sentence_spans, stem, terms

# Cosine similarity above which two sentences are taken to state the same fact (MiniLM).
SAME_STATEMENT = 0.6



def _weights_digest() -> str:
    """A digest of the learned judges' weights (assistant/weights/*.json), so retrained weights
    invalidate stored flags just as changed rules do."""
    h = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "weights").glob("*.json")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


# Bump when the detectors change: stored flags from older code are then recomputed.
AUDIT_VERSION = "28-" + _weights_digest()


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


# ---- general English lexicons ------------------------------------------------------------------

# Words that name an office or rank rather than a person.
TITLE_WORDS = _stems("""president vice prime minister secretary deputy assistant
    under general colonel major captain lieutenant sergeant admiral commander chief director
    spokesman spokeswoman spokesperson ambassador senator governor mayor chairman chairwoman chair
    ceo executive officer head leader lawmaker representative judge justice professor dr mr mrs ms
    king queen prince foreign defense defence finance interior economy trade health economist
    analyst coach manager councillor councilman councilwoman envoy attorney inspector marshal
    superintendent commissioner treasurer founder editor correspondent researcher rector dean
    chancellor premier investigator arbiter engineer hydrologist scientist""")
# Forms of address and ranks: not offices to compare ("Dr", "Professor", "Grandmaster").
HONORIFICS = _stems("""dr mr mrs ms miss mx prof professor sir dame lord lady rev reverend
    grandmaster master international captain colonel general major sergeant lieutenant admiral
    commander gen col capt sgt lt maj adm cmdr hon st saint""")
# Ranks written before a name, and the words that make another rank of them ("Chief Inspector").
_RANKS = _stems("""captain colonel general major sergeant lieutenant admiral commander inspector constable
    superintendent marshal brigadier corporal commodore""")
_RANK_PREFIXES = _stems("chief deputy assistant vice rear lieutenant staff")
# Modifiers that make a different office of the same head ("deputy commissioner").
RANK_MODS = _stems("deputy vice assistant acting interim associate junior under")
# Offices named by a portfolio ("Finance Minister" vs "Trade Minister").
PORTFOLIO_HEADS = _stems("minister secretary commissioner spokesman spokeswoman spokesperson")
# Offices defined by their portfolio: "finance director" and "head of operations" are two jobs.
_OFFICE_HEADS = _stems("director head manager officer chief executive minister secretary commissioner")
# Heads too vague to compare as offices.
VAGUE_HEADS = _stems("head leader official member boss figure chief person man woman")
REPORTING = _stems("""say said says state stated states note noted notes tell told
    add added warn warned announce announced explain explained disclose disclosed claim claimed
    report reported predict predicted predicting forecast forecasts estimate estimated estimates
    mention mentioned confirm confirmed highlight highlighted write wrote argue argued put puts
    publish published release released describe described quote quoted""")
# Verbs that make someone the origin of a figure, not just a voice repeating it: two sources
# repeating one figure corroborate it; two origins for one figure contradict each other.
ORIGIN_VERBS = _stems("""estimate estimated put puts forecast project projected
    predict predicted publish published release released issue issued calculate calculated
    compile compiled""")
_FORECAST_NOUNS = _stems("forecast estimate projection outlook prediction calculation")
_FORECAST_RX = re.compile(r"\b(?:forecast(?:s|ed)?|estimat(?:e|es|ed)|project(?:ed|s|ions?)|outlooks?|predict(?:s|ed|ions?)|"
                          r"calculat(?:ed|ions?))\b", re.I)
# Heads of organisation names that alone name no particular body ("the Ministry").
GENERIC_BODIES = _stems("""ministry agency service council company government
    party army union committee commission department office bank court parliament police institute
    university group corporation authority board federation association club team force forces navy
    command assembly senate congress cabinet administration holdings""")
# Nouns a text uses to refer back to an organisation ("the Norwegian manufacturer").
ORG_NOUNS = _stems("""company firm group manufacturer maker carrier airline operator developer
    builder contractor insurer bank lender supplier producer retailer utility conglomerate chain
    shipyard brewer miner automaker carmaker drugmaker publisher broadcaster consultancy agency
    business corporation enterprise startup concern owner""")
# Offices that act for a state: their holder's country should be part of the story.
STATE_OFFICES = _stems("minister secretary ambassador president premier chancellor envoy")
_PAST = re.compile(r"\b(former|formerly|ex-|onetime|one-time|previously|erstwhile|until|then-|once|"
                   r"after\s+(?:\w+\s+){0,3}(?:years?|months?|decades?|spells?|stints?)\s+(?:as|at|with))\b", re.I)
# Verbs that hold an office: "who chairs the board" holds the chair.
_OFFICE_VERBS = {stem(v): stem(n) for v, n in (("chair", "chair"), ("captain", "captain"), ("coach", "coach"),
                                                ("edit", "editor"), ("direct", "director"),
                                                ("manage", "manager"), ("lead", "leader"), ("head", "head"))}
_CURRENCIES = _stems("""dollar dollars euro euros pound pounds crown crowns krona kronor krone
    kroner mark marks franc francs yen yuan rupee rupees peso pesos rand shilling shillings lira
    real reais rouble roubles ruble rubles zloty forint dinar dinars won""")
_SCALE_WORDS = {"thousand", "million", "billion", "trillion", "bn", "mn", "m", "k"}
# Verbs of one kind of event, so "started" and "began" date the same thing.
_VERB_CLASS = {stem(w): c for c, ws in {
    "start": "begin began begun start started commence commenced",
    "end": "end ended finish finished conclude concluded",
    "detect": "notice noticed spot spotted detect detected discover discovered uncover uncovered unearth "
              "unearthed excavate excavated",
    "fail": "fail failed collapse collapsed burst",
    "depart": "depart departed leave left",
    "arrive": "arrive arrived reach reached dock docked land landed",
    "occur": "happen happened occur occurred",
    "sign": "sign signed",
    "open": "open opened",
    "close": "close closed",
    "hold": "hold held",
    "launch": "launch launched",
}.items() for w in ws.split()}
# Phrasal verbs of those classes: the verb's lemma with its particle or fixed object.
_PHRASAL = {(v, p): c for c, ws in {
    "depart": "set:off set:out take:off pull:out head:out",
    "arrive": "touch:down pull:in",
    "fail": "give:way cave:in break:down",
    "launch": "lift:off blast:off",
    "strike": "walk:out walk:off",
    "sign": "put:pen",
    "start": "go:live go:online come:online go:into_service come:into_service enter:service come:into_force",
}.items() for v, p in (w.replace("_", " ").split(":") for w in ws.split())}
# Nouns naming such an event ("since its discovery in 2019").
_NOUN_CLASS = {stem(w): c for c, ws in {
    "start": "start beginning", "detect": "discovery detection", "launch": "launch",
    "open": "opening", "close": "closure", "depart": "departure", "arrive": "arrival",
}.items() for w in ws.split()}
_PLACED = frozenset({"fail", "depart", "arrive", "occur", "sign", "hold"}) | _stems(
    "crash crashed explode exploded sink sank die died")
# Outcomes of a matter (an appeal, a ban, a budget): for the claimant / for the matter.
_POSITIVE = _stems("""win won uphold upheld grant granted approve approved accept accepted pass passed
    meet met ratify ratified keep kept confirm confirmed succeed succeeded back backed""")
_NEGATIVE = _stems("""lose lost dismiss dismissed reject rejected deny denied refuse refused overturn
    overturned quash quashed fail failed overrun overran exceed exceeded overshoot overshot miss
    missed block blocked veto vetoed scrap scrapped lift lifted revoke revoked""")
_WITHIN = {"within": 1, "under": 1, "on": 1, "over": -1, "above": -1, "behind": -1}
_DECIDERS = _stems("win won lose lost")  # the claimant's own view of the outcome
# Saying a fact is so and saying it is not (approving one option and rejecting another is no
# contradiction: positions on a matter are compared with their objects, in _polar).
_OPPOSITE = [({"confirm", "admit", "acknowledg"}, {"deny", "deni"})]
_STANCE_VERBS = _stems("""lobby lobbied argue argued campaign campaigned push
    pushed call called press pressed advocate advocated vote voted speak spoke warn warned""")
# Taking a side on a matter: for (+) and against (−) the same thing.
_FOR = _stems("support supported back backed endorse endorsed approve approved welcome welcomed favour "
              "favoured favor favored champion championed")
_AGAINST = _stems("oppose opposed reject rejected condemn condemned criticise criticised criticize "
                  "criticized resist resisted object objected")
# Owned positions: "the dockworkers' opposition to the berth".
_STANCE_NOUNS = {stem(w): pol for ws, pol in (("opposition objection objections", -1),
                                              ("support backing endorsement", 1)) for w in ws.split()}
# Verbs that negate the action they govern ("refused to concede").
_NEGATING = _stems("refuse refused decline declined")
# Speaking: declining to speak once and speaking another time contradict nothing.
_TALK = _stems("comment commented respond responded reply replied speak spoke elaborate elaborated "
               "discuss discussed answer answered give gave identify identified name named")
# "no plans to sell": an intention denied.
_INTENT_NOUNS = _stems("plan plans intention intentions")
# Nouns for the other side of a sale: talks with buyers for X mean X is being sold.
_BUYERS = _stems("buyer buyers bidder bidders purchaser purchasers")
_CHANGE = re.compile(r"\b(initially|originally|at first|later|now|since then|changed|reversed|switched|"
                     r"dropped|u-turn|until|previously|if|unless|whether)\b", re.I)
_PLANNED = _stems("""schedule scheduled plan planned aim aimed expect expected due set intend
    intended hope hoped propose proposed""")
_SUPPORT_NOUNS = r"support|aid|assistance|help|weapons|arms|ammunition|munitions|equipment|funding|backing"
_SUPPORT = re.compile(
    rf"\bin support of\s+(?P<a>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
    rf"|\b(?:{_SUPPORT_NOUNS})\s+(?:to|for)\s+(?:the\s+)?(?P<b>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)"
    rf"|\b(?:arm(?:s|ed|ing)?|back(?:s|ed|ing)?|support(?:s|ed|ing)?|aid(?:s|ed|ing)?)\s+(?:the\s+)?"
    rf"(?P<c>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*|rebels|government|insurgents|opposition|militia)")
_OPPOSITION = re.compile(r"\b(war|wars|conflict|against|fight\w*|invasion|invad\w+|attack\w*|battle\w*|"
                         r"versus|enemy|enemies|hostilit\w+|offensive)\b", re.I)
_RATE = re.compile(r"^[^.;,]{0,30}?\b(per|a|an|each|every)\s+(day|week|month|year|hour|minute|second|"
                   r"night|trip|season|head|person|capita)\b", re.I)
_SHARE_SCOPE = re.compile(r"^[^.;]{0,20}?(\bof the\b|\bout of\b|\bamong\b)", re.I)
_INT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?![\d,]\d)"
_SHARE = re.compile(rf"\b(?P<part>{_INT})\s+(?:of|out of)\s+(?:the\s+|its\s+|their\s+)?(?P<whole>{_INT})"
                    r"\b[^.;]{0,80}?\b(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)", re.I)
_OF_THE = re.compile(rf"\b[Oo]f (?:the|its|their|all) (?P<whole>{_INT})\b[^.;]{{0,60}}?,\s*"
                     rf"(?P<part>{_INT})\b[^.;]{{0,30}}?,?\s+or\s+(?:about\s+|around\s+|nearly\s+|almost\s+|"
                     r"roughly\s+|some\s+)?(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)")
_PART_OF = re.compile(rf"\b(?P<part>{_INT})\s+of\s+(?:the|its|their|his|her)\s+(?:[\w’']+\s+){{0,2}}?"
                      rf"(?P<whole>{_INT})\s+(?P<noun>[a-z]+)")
_PART_OF_TOTAL = re.compile(r"(?P<part>\d[\d,.]*(?:\s(?:thousand|million|billion))?)\s+(?P<unit>[a-z]+)"
                            r"\s+of\s+(?:the|its|their)\s+(?:total|\w+)[^.;]{0,40}?\bor\s+(?:about\s+|around\s+)?"
                            r"(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)", re.I)
# a sentence that splits an amount into its parts
# what paid for something: "The project was paid for with a £90,000 grant and a £150,000 loan"
FUNDED_WORDS = r"(?:paid for|funded|financed|covered|met)\s+(?:entirely\s+|jointly\s+)?(?:with|by|from|through|out of)\b"
FUNDED = re.compile(rf"\b{FUNDED_WORDS}", re.I)
_BREAKDOWN = re.compile(r"\b(?:breakdown|broke\s+(?:[\w-]+\s+){0,4}down|broken\s+down|split|made up of|"
                        r"came from|comes from|comprised|consist(?:s|ed)? of|divided)\b|"
                        rf"\b{FUNDED_WORDS}|"
                        # what is spent and what is left: "290 million already paid out, 98 million remain"
                        r"\b(?:paid|spent|used|drawn)\b[^.;]{0,80}\b(?:remain\w*|left|outstanding|unspent)\b|"
                        # "Of the grant, $1.5 million is earmarked for ...": a whole named, then shared out
                        r"^\s*(?:Of|Out of)\s+(?:the|its|their|this|that)\s+(?:[\w-]+\s+){0,3}?[a-z][\w-]*,", re.I)
_OLD_BEFORE = re.compile(r"(?:(?<!came )(?<!comes )(?<!come )(?<!coming )\bfrom|\bbeating\s+(?:an?|the)\s+(?:[\w-]+\s+)?of|\bthan|\boriginally|\binitially|\bpreviously|\bearlier|\bonce|"
                         r"\boriginal\s+\w+\s+of|\bwas|\bhad been)\s+(?:an?\s+|the\s+)?(?:average\s+of\s+|"
                         r"total\s+of\s+|budget\s+of\s+|estimate\s+of\s+)?[$€£¥]?\s?$", re.I)
_DELTA_BEFORE = re.compile(r"(?:(?:\brose|\brise|\brisen|\bfell|\bfall\w*|\bcut|\bincreas\w*|\bdecreas\w*|\breduc\w*|"
                           r"\bgrew|\bgrow\w*|\bdrop\w*|\boverr\w*|\bexceed\w*|\blower\w*|\brais\w*|\bboost\w*|"
                           r"\bshr[iau]nk\w*|\bclimb\w*|\bdeclin\w*|\bjump\w*|\bslid\w*|\bslip\w*|\bmiss\w*|\bbeat\w*|"
                           r"\bwiden\w*|\bnarrow\w*)[^.,;]{0,25}?\bby|\b(?:extra|additional|further|another|more|fewer|rise of|increase of|"
                           r"cut of|drop of|fall of|gap of|overrun of|shortfall of))\s+(?:an?\s+|the\s+)?"
                           r"(?:about\s+|around\s+|nearly\s+|some\s+|roughly\s+)?[$€£¥]?\s?$", re.I)
_RANGE = re.compile(r"\bbetween\s+[$€£¥]?\d[\d,.]*\s*(?:\w+\s+)?and\s+[$€£¥]?\d|\d\s*(?:-|–|to)\s*[$€£¥]?\d", re.I)
_GENERIC_VERBS = _stems("be have include make take get say tell add give show")
_TIME_WORDS = _stems("year month week day quarter season summer winter spring autumn")


def _as_lemmas(stems: frozenset[str]) -> frozenset[str]:
    """Stems as ``_lemma`` writes them (no final "e": "give" → "giv")."""
    return stems | frozenset(w[:-1] for w in stems if len(w) > 3 and w.endswith("e"))


_PERIODS = _TIME_WORDS | _stems("fortnight decade hour minute night weekend period time during")


# ---- data ---------------------------------------------------------------------------------------

@dataclass
class Sent:
    start: int
    end: int
    text: str
    i: int = 0


@dataclass
class Mention:
    """One mention of a person or organisation with what this mention says about it."""

    key: str                 # stemmed surname (people) or first name word (organisations)
    name: str
    sent: Sent
    kind: str = ""           # "person" / "org" / "" (unknown)
    desc: str = ""           # the descriptor text, for messages
    titles: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = ()  # (head, rank mods, domain)
    orgs: frozenset[str] = frozenset()       # employers, parties, bodies
    nats: frozenset[str] = frozenset()       # nationality adjectives
    countries: frozenset[str] = frozenset()  # any place or possessive proper noun in the descriptor
    desc_terms: frozenset[str] = frozenset()
    age: int | None = None
    head: str = ""           # head noun of the descriptor ("a British company" → company)
    past: bool = False       # "former minister", "who was ... until"
    additive: bool = False   # "who also chairs ..."
    via: str = "name"        # "name" or "descriptor"
    noun: str = ""           # a descriptor mention's own noun ("the Norwegian manufacturer")
    alts: tuple[tuple[str, str, str], ...] = ()  # other organisations it might mean: (key, name, head)
    side: str = ""           # "gov" (ruling, governing) / "opp" (opposition): a political side
    court: str = ""          # "bench" / "prosecution" / "defence": a side in a court case
    rank: str = ""           # a rank before the name ("Detective Inspector Mbeki" → "inspector")
    owners: frozenset[str] = frozenset()     # common nouns owning the office ("the company's")
    represents: frozenset[str] = frozenset()  # a country played for ("14 caps for Ivory Coast")
    bodies: frozenset[str] = frozenset()      # proper-noun owners of the office ("Norrland's head")


@dataclass
class Figure:
    sent: Sent
    span: extract.Span
    verb: str
    hedged: bool
    source: str
    noun: str = ""        # what the figure counts ("11,000 elite troops" → troops; money → currency)
    origin: bool = False  # the source made the figure (estimate, forecast), not just repeated it
    holder: str = ""      # whose figure: the named subject of its clause
    measure: frozenset[str] = frozenset()  # lemmas of the words the figure measures (fine, peak)
    context: frozenset[str] = frozenset()  # content lemmas of the sentence
    times: frozenset[str] = frozenset()    # time words of its clause ("2027", "last year")
    old: bool = False     # the earlier value of a change, an original plan, a difference
    part: bool = False    # one of a list of figures ("700 at A and 400 at B")
    share: bool = False   # the part in "1,150 of the 1,400 pilots"
    ranged: bool = False


@dataclass
class Support:
    sent: Sent
    actor: str
    beneficiary: str


@dataclass
class Event:
    sent: Sent
    anchor: str       # lemma of what happened ("strike"); "" for a pronoun
    verb: str         # verb class ("start", "detect", "move:depart", "stance:for", "outcome")
    value: str        # a date, a place, a stance object, an outcome key
    polarity: int = 0
    decider: str = ""
    alternative: bool = False  # its object is one option among others ("a more ambitious option")
    holders: frozenset[str] = frozenset()  # the holder's name words ("ostmer dockwork union")


@dataclass
class Facts:
    """What the audit extracts from one document: its mention graph."""

    doc: Document
    people: list[Mention] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    supports: list[Support] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[tuple[Sent, frozenset[str], frozenset[str]]] = field(default_factory=list)
    places: dict[str, int] = field(default_factory=dict)   # stemmed GPE → mentions
    opposed: set[frozenset[str]] = field(default_factory=set)
    sents: list[Sent] = field(default_factory=list)
    proper: frozenset[str] = frozenset()  # proper-name words of the text, for "same story"


# letters after a name that are no part of it ("Alison Fairweather KC")
_POSTNOMINALS = frozenset("kc qc mp mep obe mbe cbe jr sr phd msp ms".split())


def _key(name: str) -> str:
    t = [w for w in terms(name) if w not in _POSTNOMINALS] or terms(name)
    return t[-1] if t else ""


def _same(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta) and bool(tb) and (all(covers(x, tb) for x in ta) or all(covers(x, ta) for x in tb))


def _lemma(t) -> str:
    """A comparable root of a token: its lemma, stemmed, without a final "e" ("fined" → "fin",
    "fine" → "fin"), so parser lemma slips do not split one word in two."""
    w = stem(t.lemma_.lower())
    return w[:-1] if len(w) > 3 and w.endswith("e") else w


# ---- stage 1: the mention graph -----------------------------------------------------------------

def extract_facts(doc: Document) -> Facts:
    facts = Facts(doc=doc)
    sents = [Sent(a, b, doc.text[a:b], i) for i, (a, b) in enumerate(sentence_spans(doc.text))]
    facts.sents = sents
    parsed = [(s, nlp.parse(s.text)) for s in sents]
    known, kinds = _known_names(doc, parsed, facts)
    facts.proper = frozenset(stem(w) for w in re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b", doc.text)) - STOPWORDS
    for s, d in parsed:
        facts.people.extend(_name_mentions(s, d, known, kinds))
    _settle_kinds(facts.people)
    _owner_bodies(facts.people)
    _resolve_owners(facts.people, known, doc.text)
    for s, d in parsed:
        facts.people.extend(_descriptor_mentions(s, d, facts, parsed))
    facts.people.sort(key=lambda m: m.sent.i)
    _defenders(facts)
    _quantities(facts, parsed)
    for s, d in parsed:
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
        for e in _events(s, d):
            if e.anchor == "@person":
                named = [m for m in facts.people if m.kind == "person" and m.via == "name" and m.sent.i < s.i]
                if not named:
                    continue
                e.anchor = stem(named[-1].name.split()[-1])
            if e.verb == "polar:stance":
                e.holders = _holder_words(d, e.anchor)
            facts.events.append(e)
        verbs = frozenset(_lemma(t) for t in d if t.pos_ == "VERB")
        if any(verbs & pos or verbs & neg for pos, neg in _OPPOSITE):
            facts.claims.append((s, verbs, frozenset(_lemma(t) for t in d if t.pos_ == "NOUN")))
    return facts


_ACCUSED = re.compile(r"\b(?:convicted|charged|accused|acquitted|cleared|sentenced|jailed|denied|denies|"
                      r"found guilty|pleaded|on trial|defendant)\b", re.I)


def _defenders(facts: Facts) -> None:
    """"Fairweather, who represented Greaves": counsel for someone the article has on trial is
    the defence."""
    for m in facts.people:
        rep = re.search(r"\brepresent(?:ed|s|ing)?\s+(?P<who>[A-Z][\w'’-]+)", m.desc)
        if m.court or m.past or not rep:
            continue
        who = stem(rep.group("who"))
        if any(who in {stem(w) for w in re.findall(r"[A-Z][\w'’-]+", s.text)} and _ACCUSED.search(s.text)
               for s in facts.sents if s is not m.sent):
            m.court = "defence"


_OFFICE_OWNER = re.compile(r"\b([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){0,3})['’]s\s+(?:[\w-]+\s+){0,3}?"
                           r"(?:head|chief|director|manager|officer|executive|president|chairman|chair|"
                           r"spokesman|spokeswoman|spokesperson|engineer|counsel|minister|secretary)\b")


def _owner_bodies(mentions: list[Mention]) -> None:
    """"Skylark's head of information security": a name owning an office is a body unless the
    article has it as a person, whatever the small tagger called it."""
    people = {m.key for m in mentions if m.kind == "person"}
    for m in mentions:
        if m.kind != "person" or m.past:
            continue
        for own in _OFFICE_OWNER.findall(m.desc):
            if _key(own) not in people and own.split()[0] not in {"The", "A", "An"}:
                m.bodies = m.bodies | {" ".join(terms(own))}


def _resolve_owners(mentions: list[Mention], known, text: str) -> None:
    """"The hospital's chief of cardiology": the hospital is the body the article names with that
    word, the first one named when there are several (the one the story is about)."""
    named = [terms(b) for b in sorted(getattr(known, "bodies", ()), key=lambda b: text.find(b))]
    by_head: dict[str, str] = {}
    for words in named:
        if words:
            by_head.setdefault(words[-1], " ".join(words))
    for m in mentions:
        if m.kind == "person" and m.owners:
            m.owners = frozenset(by_head.get(w, w) for w in m.owners)


def _known_names(doc: Document, parsed, facts: Facts) -> tuple[dict[str, str], dict[str, str]]:
    """Who is a named person or organisation: spaCy PERSON/ORG entities, and proper nouns that
    speak (subjects of reporting verbs, "according to X"); spaCy's small model misses many
    foreign names."""
    known: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for s, d in parsed:
        for ent in d.ents:
            if ent.label_ in {"PERSON", "ORG"}:
                k = _key(ent.text)
                known.setdefault(k, ent.text)
                kinds.setdefault(k, "person" if ent.label_ == "PERSON" else "org")
            if ent.label_ == "ORG" and len(terms(ent.text)) > 1:
                # "Harrowgate Mining" is later just "Harrowgate".
                first = terms(ent.text)[0]
                known.setdefault(first, ent.text)
                kinds.setdefault(first, "org")
            if ent.label_ in {"GPE", "NORP"}:
                for t in terms(ent.text):
                    facts.places[t] = facts.places.get(t, 0) + 1
        for tok in d:
            if tok.pos_ == "PROPN" and tok.dep_ == "nsubj" and stem(tok.head.lemma_) in REPORTING:
                if not any(e.start <= tok.i < e.end and e.label_ in {"GPE", "NORP", "ORG"} for e in d.ents):
                    known.setdefault(stem(tok.text), tok.text)
                    kinds.setdefault(stem(tok.text), "person")
        for m in re.finditer(r"\baccording to ([A-Z][\w’'-]+)\b", s.text):
            known.setdefault(stem(m.group(1)), m.group(1))
    lowered = set(terms(" ".join(w for w in re.findall(r"\b[a-z][\w'-]*", doc.text))))
    names = Names({k: v for k, v in known.items() if k and k not in STOPWORDS and k not in TITLE_WORDS
                   and k not in GENERIC_BODIES and k not in lowered and k not in HONORIFICS})
    names.bodies = frozenset(re.sub(r"^(the|a|an)\s+", "", e.text, flags=re.I) for _, d in parsed
                             for e in d.ents if e.label_ == "ORG" and len(e.text.split()) > 1)
    return names, kinds


class Names(dict):
    """Who is named (key → name), and the organisations' full names ("Coastal Fisheries
    Authority"), which a later "the authority" means."""

    bodies: frozenset[str] = frozenset()


def _settle_kinds(mentions: list[Mention]) -> None:
    """One kind per name, by vote over its mentions: spaCy's label, and what the descriptors
    say (an office → a person; "a British company", "the Swedish group" → an organisation).
    Organisations are then keyed by their first name word ("Kellgren Rail" → "Kellgren")."""
    names = sorted({" ".join(terms(m.name)) for m in mentions if m.via == "name"}, key=len, reverse=True)

    def cluster(m: Mention) -> str:
        own = set(terms(m.name))
        return next((n for n in names if own and own <= set(n.split())), m.key)

    votes: dict[str, int] = defaultdict(int)
    for m in mentions:
        c = cluster(m)
        votes[c] += {"person": 1, "org": -1}.get(m.kind, 0)
        if m.head in ORG_NOUNS:
            votes[c] -= 10
        if m.titles:
            votes[c] += 10
        if re.match(r"(who|whom)\b", m.desc):
            votes[c] += 2  # "Castellane, who joined Mossbank Capital": a person
        elif re.match(r"which\b", m.desc):
            votes[c] -= 2
    # a name that owns another's office ("Skylark's head of information security") is a body
    owners = {_key(o) for m in mentions for o in _OFFICE_OWNER.findall(m.desc)}
    for m in mentions:
        if m.key in owners and m.via == "name":
            votes[cluster(m)] -= 3
    for m in mentions:
        v = votes[cluster(m)]
        m.kind = "person" if v > 0 else "org" if v < 0 else m.kind
        if m.kind == "org" and terms(m.name):
            m.key = terms(m.name)[0]


def _event_root(word: str) -> str:
    """One root for a verb and its event noun: ruled / ruling → rul."""
    r = stem(word.lower())
    if r.endswith("ing") and len(r) > 5:
        r = r[:-3]
    return r.rstrip("e")


def _ent_of(d, i: int):
    for e in d.ents:
        if e.start <= i < e.end:
            return e
    return None


def _is_cap(t) -> bool:
    return bool(t.text) and t.text[0].isupper() and t.is_alpha


def _name_mentions(s: Sent, d, known: dict[str, str], kinds: dict[str, str]) -> list[Mention]:
    out = []
    done: set[int] = set()
    for tok in d:
        if tok.i in done or not tok.text[:1].isupper() or stem(tok.text) not in known:
            continue
        ent = _ent_of(d, tok.i)
        if ent is not None and ent.label_ in {"GPE", "NORP", "DATE", "LOC", "FAC"} and \
                kinds.get(stem(tok.text)) not in {"org", "person"}:
            continue  # a place; a name the article gives a person or a body is not one ("the Norwegian Brask")
        if ent is not None and ent.label_ not in {"PERSON", "ORG"} and kinds.get(stem(tok.text)) == "person":
            ent = None
        if ent is not None and ent.label_ in {"PERSON", "ORG"}:
            a, b = ent.start, ent.end
        else:
            a = b = tok.i
            b += 1
            while b < len(d) and _is_cap(d[b]) and stem(d[b].text) not in TITLE_WORDS:
                b += 1
            while a > 0 and _is_cap(d[a - 1]) and stem(d[a - 1].text) not in TITLE_WORDS \
                    and stem(d[a - 1].text) not in HONORIFICS and a - 1 > 0:
                a -= 1
        while a < b - 1 and (d[a].lower_ == "the" or stem(d[a].text.rstrip(".")) in HONORIFICS
                             or stem(d[a].text) in TITLE_WORDS):
            a += 1
        done.update(range(a, b))
        name = s.text[d[a].idx:d[b - 1].idx + len(d[b - 1].text)]
        name = re.sub(r"[’']s$", "", name)
        key = stem(tok.text)
        if _key(name) in known:
            key = _key(name)
        kind = kinds.get(key, "")
        if ent is not None:
            kind = {"PERSON": "person", "ORG": "org"}.get(ent.label_, kind)
        out.append(_describe(s, d, a, b, key, name, kind, known))
    return out


def _describe(s: Sent, d, a: int, b: int, key: str, name: str, kind: str,
              known: dict[str, str] | None = None) -> Mention:
    """What the sentence says about the name at tokens [a, b): the words right before it
    ("Medical director Imelda Varga"), an apposition on either side ("Harrowgate, a British
    company", "Telden's rector, Professor Anouk Pellarin"), a relative clause ("who heads
    hydrology at X") and "of/from X" ("Ilic, of the People's Party")."""
    m = Mention(key=key, name=name, sent=s, kind=kind)
    parts: list[list] = []  # token lists, each one descriptor
    # Words right before the name (skipping forms of address).
    j = a - 1
    while j >= 0 and stem(d[j].text.rstrip(".")) in HONORIFICS and d[j].text[:1].isupper():
        j -= 1
    # the rank among the capitalised words just before the name (some are also forms of address)
    rank = [stem(d[i].lower_) for i in range(max(0, j - 1), a) if d[i].text[:1].isupper()
            and stem(d[i].lower_) in _RANKS | _RANK_PREFIXES]
    pre = []
    while j >= 0 and (d[j].pos_ in {"ADJ", "NOUN", "PROPN"} or d[j].tag_ == "POS" or _misread_title(d, d[j])
                      or d[j].text in {"-", "’s", "'s"}) and not d[j].is_punct or d[j].text == "-":
        pre.insert(0, d[j])
        j -= 1
    if pre and (pre[-1].pos_ in {"NOUN", "PROPN"} or stem(pre[-1].text) in TITLE_WORDS or _misread_title(d, pre[-1])
                or (pre[-1].tag_ == "POS" and len(pre) > 1 and pre[-2].pos_ == "PROPN")
                or any((_ent_of(d, x.i) is not None and _ent_of(d, x.i).label_ == "NORP") for x in pre)):
        # the last also takes "the Norwegian international Brask", where the parser tags the noun ADJ
        parts.append(pre)
    owner_orgs: set[str] = set()
    if pre and j >= 0 and d[j].lower_ in {"its", "their"}:
        owner_orgs |= _its_owner(d, j)
    # Apposition before: "the mine's Canadian operator, Harrowgate Mining".
    if j >= 0 and d[j].text == "," and not pre:
        chunk = next((c for c in d.noun_chunks if c.end == j), None)
        if chunk is not None and chunk.start > 0 and d[chunk.start - 1].lower_ in {"on", "for", "at", "in"}:
            # "whose lead architect on the scheme, Anaya Brooks": the office is what comes before
            # the phrase, from the owner on
            k0 = chunk.start - 1
            k = k0
            while k > 0 and d[k - 1].text not in {",", ";", "(", "“", '"'} and k0 - k < 6:
                k -= 1
            office = [t for t in d[k:k0] if t.pos_ != "DET" or t.tag_ == "WP$"]
            if office and (office[0].tag_ in {"WP$", "PRP$"} or any(t.tag_ == "POS" for t in office)) \
                    and office[-1].pos_ == "NOUN" and all(t.pos_ in {"NOUN", "ADJ", "PROPN", "DET", "PART"}
                                                          for t in office):
                parts.append([t for t in office if t.lower_ != "whose"])
                chunk = None
        if chunk is not None and chunk.root.pos_ == "NOUN":
            before = d[chunk.start - 1] if chunk.start > 0 else None
            poss = any(t.dep_ == "poss" or t.tag_ in {"POS", "WP$"} for t in chunk)
            titled = stem(chunk.root.text) in TITLE_WORDS
            prep_ok = before is None or before.pos_ != "ADP" or \
                (before.lower_ == "to" and chunk.start > 1 and d[chunk.start - 2].lower_ == "according") \
                or before.lower_ == "by"
            if (poss or titled) and prep_ok:
                parts.append([t for t in chunk if t.dep_ != "det" and t.lower_ != "whose"])
                if chunk[0].lower_ in {"its", "their"}:
                    owner_orgs |= _its_owner(d, chunk.start)  # "led by its fisheries minister, Edvin Marholt"
    if not parts and a > 0:
        # The name in apposition to a noun ("its chairman, Piet Haldane" parsed as appos).
        head = d[b - 1]
        if head.dep_ == "appos" and head.head.pos_ == "NOUN" and head.head.i < a:
            toks = [t for t in head.head.subtree if t.i < a and t.dep_ not in {"punct", "det"}]
            if toks and any(t.dep_ == "poss" or t.tag_ == "POS" for t in toks):
                parts.append(toks)
    # After the name: ", who ...", ", DESC,", " of X".
    k = b
    relcl: list = []
    rel_past = False
    if k < len(d) and d[k].text == ",":
        k += 1
        stop = k
        while stop < len(d) and d[stop].text not in {",", ";", "“", "”", '"', "(", ")"} \
                and not (stop > k and d[stop].lower_ in {"who", "which", "said", "says"}):
            stop += 1
        seg = list(d[k:stop])
        if seg and seg[0].lower_ in {"who", "whose"}:
            relcl = seg
        elif seg and seg[0].lower_ in {"of", "from", "at"}:
            parts.append(seg)
        elif len(seg) > 1 and seg[0].lower_ in {"speaking", "representing", "writing", "working"} \
                and seg[1].lower_ in {"for", "on", "at"}:
            parts.append(seg)  # "Okoye, speaking for Tarnshire Police"
        elif seg and _appositive(_before_relative(seg), d):
            parts.append(_before_relative(seg))  # "Haldor Lind, the Norwegian group that owns the terminal"
    elif k < len(d) and d[k].lower_ in {"of", "from", "at"}:
        stop = k + 1
        while stop < len(d) and not d[stop].is_punct and d[stop].pos_ not in {"VERB", "AUX"} \
                and d[stop].lower_ not in {"who", "and"}:
            stop += 1
        parts.append(list(d[k:stop]))
    descs = [p for p in parts if p]
    m.desc = "; ".join(s.text[p[0].idx:p[-1].idx + len(p[-1].text)] for p in descs)
    orgs, nats, countries, titles, dterms = set(), set(), set(), [], set()
    for p in descs:
        o, n, c = _affiliation_words(d, p, a, b, known)
        orgs |= o
        nats |= n
        countries |= c
        dterms |= set(terms(s.text[p[0].idx:p[-1].idx + len(p[-1].text)]))
        t = _title(p, d)
        if t:
            titles.append(t)
        ids = {x.i for x in p}
        roots = [x for x in p if x.head.i not in ids and x.pos_ == "NOUN"]
        nouns = roots or [x for x in p if x.pos_ == "NOUN" and not any(c.dep_ == "case" for c in x.children)]
        if nouns:
            m.head = stem(nouns[0 if roots else -1].lower_)
        for tok in p:
            mm = re.match(r"(\d{1,3})-year-old", s.text[tok.idx:tok.idx + 14])
            if mm:
                m.age = int(mm.group(1))
        if len(p) == 1 and p[0].like_num and p[0].text.isdigit() and 10 <= int(p[0].text) <= 110:
            m.age = int(p[0].text)
        if _PAST.search(s.text[p[0].idx:p[-1].idx + len(p[-1].text)]):
            m.past = True
    if relcl:
        text = s.text[relcl[0].idx:relcl[-1].idx + len(relcl[-1].text)]
        verb = next((t for t in relcl if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}), None)
        joins = verb is not None and stem(verb.lemma_) in _stems(
            "elect represent belong join member run stand sit")
        past = bool(_PAST.search(text)) or (verb is not None and verb.tag_ == "VBD"
                                            and not re.search(r"\b(since|now|still|currently)\b", text))
        o, n, c = _affiliation_words(d, relcl, a, b, known)
        rel_past = past and not joins
        if not past and len(relcl) > 1 and relcl[1].lower_ == "as":
            # "who as Mlima's head of operations will run ...": the office before the verb
            seg = [t for t in relcl[2:]]
            cut = next((i for i, t in enumerate(seg) if t.pos_ in {"VERB", "AUX"}), len(seg))
            t = _title(seg[:cut], d)
            if t:
                titles.append(t)
            orgs |= o
        elif joins:
            orgs |= {x for x in o}
        elif not past and verb is not None and relcl[0].lower_ == "who" and stem(verb.lemma_.lower()) in _OFFICE_VERBS:
            titles.append((_OFFICE_VERBS[stem(verb.lemma_.lower())], frozenset(), frozenset()))  # "who has chaired the board"
            orgs |= o
        elif not past:
            m.additive = bool(re.search(r"\b(also|too|as well)\b", text))
            orgs |= o
            # "who sits on the board as its chair", "who covers Brightlane as an analyst at Coldharbor"
            as_ = [t for t in relcl if t.lower_ == "as" and t.head.pos_ == "VERB"]
            if as_:  # "who milks 120 cows and sits on the board as its chair"
                seg = [t for t in relcl if t.i > as_[0].i and t.lower_ not in {"for", "since"}]
                cut = next((i for i, t in enumerate(seg) if t.pos_ == "ADP" or t.lower_ == "since"), len(seg))
                t = _title(seg[:cut], d) if seg else None
                if t:
                    titles.append(t)
            elif relcl[0].lower_ == "who" and len(relcl) > 2 and relcl[1].lemma_ == "be":
                # "who is Westway's operations director"
                seg = [t for t in relcl[2:] if t.lower_ not in {"now", "currently", "also"}]
                cut = next((i for i, t in enumerate(seg) if t.pos_ in {"ADP", "VERB", "AUX"} or t.is_punct), len(seg))
                t = _title(seg[:cut], d) if seg[:cut] else None
                if t:
                    titles.append(t)
        dterms |= set(terms(text))
        m.desc = "; ".join(x for x in (m.desc, text) if x)
    # "Liberal Reform, Maelor's party": the body the name's possessive is set beside
    if b + 1 < len(d) and d[b].tag_ == "POS" and d[b + 1].dep_ == "appos" and d[b + 1].head.pos_ == "PROPN" \
            and stem(d[b + 1].lower_) in ORG_NOUNS | _stems("party club team side union employer"):
        h = d[b + 1].head
        body = " ".join(x.text for x in h.subtree if x.pos_ == "PROPN" and x.i <= h.i)
        owner_orgs.add(" ".join(terms(body)))
        m.desc = "; ".join(x for x in (m.desc, f"{body}, {name}’s {d[b + 1].text}") if x)
    orgs |= owner_orgs
    m.orgs = frozenset(x for x in orgs if not _same(x, name))
    full = m.desc if not rel_past and not m.past else ""
    # "the council leader" heads the ruling side, as "the leader of the opposition" heads the other
    # a minister or cabinet member sits in the government, unless a shadow one
    gov = bool(re.search(r"\b(ruling|governing)\b|\b(council|government)\s+leader\b|"
                         r"\bleader of the (?:[\w-]+\s+){0,2}?(council|government)\b", full, re.I)) \
        or bool(re.search(r"\b(minister|cabinet member)\b", full, re.I) and not re.search(r"\bshadow\b", full, re.I))
    opp = bool(re.search(r"\bopposition\b", full, re.I))
    m.side = "gov" if gov and not opp else "opp" if opp and not gov else ""
    m.rank = " ".join(rank) if any(r in _RANKS for r in rank) and not m.past else ""
    # a side taken at an earlier trial is still that person's side ("who led the prosecution at the
    # trial"); "who prosecuted fraud cases before she was appointed to the bench" is a past career
    earlier = re.search(r"\b(?:before (?:she|he|they) (?:was|were|became|joined)|previously|formerly|until)\b", m.desc)
    m.court = "" if m.past or earlier else _court_side(s.text, d[a].idx, d[b - 1].idx + len(d[b - 1].text), m.desc)
    if m.court and not m.desc:
        m.desc = {"bench": "judge", "prosecution": "prosecuting", "defence": "defending"}[m.court]
    m.owners = frozenset(stem(t.lower_) for p in descs + ([relcl] if relcl and not rel_past else []) for t in p
                         if t.pos_ == "NOUN" and (t.dep_ == "poss" or any(c.tag_ == "POS" for c in t.children)))
    # a proper noun owning the office, even one the parser takes for a place ("Norrland's head of
    # clinical development", "Zipway's counsel")
    m.bodies = frozenset(" ".join(terms(t.text)) for p in descs for t in p
                         if t.pos_ == "PROPN" and (t.dep_ == "poss" or any(c.tag_ == "POS" for c in t.children))
                         and not (a <= t.i < b) and (_ent_of(d, t.i) is None or _ent_of(d, t.i).label_ != "PERSON"))
    # "the chairman of Hollins", "a consultant from the cyber security firm Redline" (the small
    # parser often takes such a name for a person)
    # the name's own words, not a relative clause hanging from it ("Redline who was brought in by Skylark")
    m.bodies |= frozenset(" ".join(terms(" ".join(x.text for x in t.subtree if x.pos_ == "PROPN"
                                                 and (x.i == t.i or x.i < t.i and x.dep_ in {"compound", "flat"}))))
                          for p in descs for t in p if t.pos_ == "PROPN" and not (a <= t.i < b)
                          and ((t.dep_ == "pobj" and t.head.lower_ in {"of", "at", "for", "from", "with"}
                                and t.head.head.pos_ == "NOUN")
                               or (t.dep_ == "appos" and stem(t.head.lower_) in ORG_NOUNS))
                          and (_ent_of(d, t.i) is None or _ent_of(d, t.i).label_ not in {"GPE", "NORP", "DATE"}
                               # "commercial director at Bluefinch": one works at a body, not a place
                               or (_ent_of(d, t.i).label_ == "GPE" and t.dep_ == "pobj" and t.head.lower_ in {"at", "of"}
                                   and stem(t.head.head.text) in TITLE_WORDS)))
    m.represents = frozenset(" ".join(terms(x.group("c"))) for x in re.finditer(
        r"\b(?:caps?|appearances|international goals) for (?:the )?(?P<c>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)",
        full)) | frozenset(" ".join(terms(x.group(1))) for x in re.finditer(
        r"\b(?:for|with|of) (?:the )?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*) national (?:team|side|squad)", full)) \
        | frozenset(" ".join(terms(x.group(1))) for x in re.finditer(
            r"\b(?:for|with|in) ([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)['’]s (?:national |Olympic |world championships? )?"
            r"(?:team|side|squad)", s.text[d[b - 1].idx:][:120]))
    m.nats = frozenset(nats)
    m.countries = frozenset(countries)
    m.titles = tuple(titles)
    m.desc_terms = frozenset(t for t in dterms if t not in countries and not t[0].isdigit())
    return m


_BENCH = re.compile(r"\b(?:Judge|Justice|Magistrate|Recorder)\s+(?:[A-Z][\w'’-]*\s+)?$")
_PROSECUTION = re.compile(r"\b(?:prosecut\w*|for the (?:prosecution|crown|state))\b", re.I)
_DEFENCE = re.compile(r"\b(?:defen[cs]e\s+(?:lawyer|counsel|barrister|attorney|solicitor|advocate|team)|defending|"
                      r"for the defen[cs]e|(?:led|leads|heads|headed)\s+(?:the|[\w'’]+['’]s)\s+defen[cs]e)\b", re.I)


def _its_owner(d, j: int) -> set[str]:
    """The body an "its" at token ``j`` stands for: the organisation named before it in the
    sentence ("the Rural Union under its leader Tomas Keld"), else the last owner named
    ("Orrisey's delegation was led by its fisheries minister")."""
    prior = [e for e in d.ents if e.end <= j and e.label_ == "ORG"]
    if prior:
        return {" ".join(terms(re.sub(r"^(the|a|an)\s+", "", prior[-1].text, flags=re.I)))}
    owned = [t for t in d[:j] if t.pos_ in {"PROPN", "NOUN"} and t.text[:1].isupper()
             and any(c.tag_ == "POS" for c in t.children)]  # the small parser may tag the owner a noun
    if owned:
        return {" ".join(terms(" ".join(x.text for x in owned[-1].subtree if x.text[:1].isupper())))}
    return set()


def _court_side(text: str, start: int, end: int, desc: str) -> str:
    """Which side of a court case a descriptor puts a person on: "Judge Solheim" (the bench),
    "Prosecuting, Alison Fairweather KC" / "who led the prosecution" (the prosecution),
    "Reyes, defending," (the defence)."""
    before, after = text[:start], text[end:end + 16]
    if _BENCH.search(before) or re.match(r"\s*,\s*(?:the\s+)?(?:presiding\s+)?judge\b", after, re.I) \
            or re.search(r"\b(?:judge|magistrate)\b", desc, re.I) and not re.search(r"\bbefore\b", desc):
        return "bench"
    opening = re.match(r"\s*(Prosecuting|Defending),\s*$", before)
    trailing = re.match(r"\s*,\s*(prosecuting|defending)\b", after)
    word = (opening or trailing).group(1).lower() if opening or trailing else ""
    if word == "prosecuting" or _PROSECUTION.search(desc):
        return "prosecution"
    if word == "defending" or _DEFENCE.search(desc):
        return "defence"
    return ""


def _before_relative(seg):
    """An apposition without the relative clause it carries ("the group that owns the terminal")."""
    cut = next((i for i, t in enumerate(seg) if i > 0 and t.lower_ in {"that", "which", "who", "whose"}
                and t.dep_ in {"nsubj", "nsubjpass", "dobj", "poss"}), len(seg))
    return seg[:cut]


def _appositive(seg, d) -> bool:
    """", the hospital's chief executive," is a description; ", said ..." or a name is not."""
    first = seg[0]
    if first.pos_ in {"VERB", "AUX", "ADV", "SCONJ", "CCONJ", "PRON"} and first.dep_ != "poss":
        return False
    if any(t.tag_ in {"VBD", "VBZ", "VBP"} for t in seg):
        return False
    if len(seg) == 1 and seg[0].like_num:
        return True
    nouns = [t for t in seg if t.pos_ == "NOUN"]
    return bool(nouns) and len(seg) <= 18


_PARTY_HEADS = _stems("party alliance union league front movement congress coalition bloc")


_EMPLOYER_PREPS = {"at", "for", "with", "by"}
_HIRING = frozenset(stem(w) for w in "hire employ retain commission appoint engage contract recruit".split())


_OWNING = _stems("own run manage operate found")  # compared with the verb's lemma


def _affiliation_words(d, toks, a: int, b: int, known: dict[str, str] | None = None
                       ) -> tuple[set[str], set[str], set[str]]:
    """Organisations, nationalities and places named inside a descriptor."""
    idx = {t.i for t in toks}
    orgs, nats, countries = set(), set(), set()
    for e in d.ents:
        if e.root.i not in idx or (a <= e.start < b):
            continue
        text = re.sub(r"^(the|a|an)\s+", "", e.text, flags=re.I)
        if e.label_ == "ORG":
            orgs.add(" ".join(terms(text)))
        elif e.label_ == "NORP":
            if e.root.pos_ == "ADJ" or re.search(r"(ish|ian|ese|ch|an|i)$", e.text.lower()) and \
                    not e.text.endswith("s"):
                nats.update(terms(text))
            else:
                orgs.add(" ".join(terms(text)))
            countries.update(terms(text))
        elif e.label_ == "GPE" and stem(e[-1].lower_) in _PARTY_HEADS:
            orgs.add(" ".join(terms(text)))  # "Green Union co-leader": a party the parser takes for a place
        elif e.label_ == "GPE":
            countries.update(terms(text))
    if known:
        # "who leads enforcement for the authority": the one body the article names so
        names = {v for v in getattr(known, "bodies", ()) if v.split()[-1][:1].isupper()}
        for t in toks:
            if t.pos_ == "NOUN" and not (a <= t.i < b) and t.dep_ in {"pobj", "poss"} \
                    and any(c.lower_ == "the" for c in t.children) \
                    and not any(c.dep_ in {"amod", "compound"} for c in t.children):
                match = {v for v in names if stem(v.split()[-1]) == stem(t.text)}
                if len(match) == 1:
                    orgs.add(" ".join(terms(re.sub(r"^(the|a|an)\s+", "", match.pop(), flags=re.I))))
    for t in toks:
        # "who heads the engineering team at contractor Halverston Civils", "a hydrologist hired by
        # Stonebridge": a name the parser does not know, after the preposition of an employer
        # "who owns Corrie Road Autos": the business a person owns or runs
        owned = t.dep_ == "dobj" and t.head.pos_ == "VERB" and stem(t.head.lemma_.lower()) in _OWNING
        if t.pos_ != "PROPN" or a <= t.i < b or t.dep_ not in {"pobj", "appos"} and not owned:
            continue
        noun = t.head if t.dep_ == "appos" else t
        prep = noun.head if noun.dep_ == "pobj" else None
        if not owned and (prep is None or prep.lower_ not in _EMPLOYER_PREPS or prep.lower_ == "by" and not (
                stem(prep.head.lemma_.lower()) in _HIRING)):
            continue
        e = _ent_of(d, t.i)
        kind_word = any(c.dep_ == "compound" and c.pos_ == "NOUN" and stem(c.text) in ORG_NOUNS for c in t.children) \
            or t.dep_ == "appos" and stem(noun.text) in ORG_NOUNS  # "contractor Halverston Civils"
        if e is not None and e.label_ not in {"ORG", "FAC"} and not kind_word:
            continue
        if e is not None and e.label_ in {"ORG", "FAC"}:
            orgs.add(" ".join(terms(re.sub(r"^(the|a|an)\s+", "", e.text, flags=re.I))))
            continue
        first = t.left_edge.i  # the whole name: "St Aldric's Hospital", not "Hospital"
        while first < t.i and not (d[first].pos_ == "PROPN" or d[first].dep_ == "poss"):
            first += 1
        orgs.add(" ".join(terms(d[first:t.i + 1].text)))
    for t in toks:
        # "Telden's rector", "Kellgren chief executive": a proper noun owning or naming the office.
        if t.pos_ == "PROPN" and not (a <= t.i < b) and stem(t.text) not in TITLE_WORDS \
                and stem(t.text) not in HONORIFICS:
            e = _ent_of(d, t.i)
            poss = any(c.dep_ == "case" for c in t.children) or t.dep_ == "poss"
            if poss and (e is None or e.label_ != "PERSON"):
                countries.update(terms(t.text))  # "Nigeria's Defense Minister"
            if e is not None and e.label_ in {"GPE", "NORP", "DATE", "PERSON", "ORG"}:
                continue
            if poss or t.dep_ == "compound" and t.head.pos_ == "NOUN":
                orgs.add(stem(t.text))
        elif known and t.pos_ == "NOUN" and t.i == 0 and _is_cap(t) and stem(t.text) in known \
                and t.head.pos_ == "NOUN" and stem(t.head.text) in TITLE_WORDS and _ent_of(d, t.i) is None:
            # "Castlemere sporting director Mark Ellery": at the start of a sentence the small
            # parser takes a name the article uses elsewhere for a common noun
            orgs.add(stem(t.text))
    return orgs, nats, countries


def _misread_title(d, t) -> bool:
    """A lowercase title right before a name that the small parser took for a verb ("warden
    Gloria Mensah said"): a word whose first sense is a person by what they do."""
    return (t.pos_ == "VERB" and t.text.isalpha() and t.text.islower() and t.i + 1 < len(d)
            and d[t.i + 1].ent_iob_ == "B" and d[t.i + 1].ent_type_ == "PERSON"
            and senses.names_role(t.lower_))


def _title(toks, d) -> tuple[str, frozenset[str], frozenset[str]] | None:
    """The office a descriptor names: its head noun, rank modifiers and portfolio words."""
    cut = []
    for t in toks:
        if (t.pos_ in {"ADP", "VERB", "AUX", "SCONJ"} or t.lower_ in {"who", "which", ","}) \
                and not _misread_title(d, t):
            if cut:
                break
            continue
        cut.append(t)
    heads = [t for t in cut if (t.pos_ in {"NOUN", "PROPN"} or _misread_title(d, t)) and t.tag_ != "POS"
             and not any(c.dep_ == "case" for c in t.children)]
    if not heads:
        return None
    head = heads[-1]
    h = stem(head.text.lower())
    portfolio = set()
    if h in VAGUE_HEADS and len(heads) == 1:
        # "head of operations": the portfolio after "of" makes a vague head an office
        rest = [t for t in toks if t.i > head.i]
        if len(rest) > 1 and rest[0].lower_ == "of" and rest[1].pos_ == "NOUN" and _ent_of(d, rest[1].i) is None:
            portfolio.add(stem(rest[1].lower_))
    # "Captain Ahmed" is a form of address; "the Harriers' captain" an office
    if h in HONORIFICS and (head.text[:1].isupper() or not any(t.tag_ == "POS" for t in cut)) \
            or h in VAGUE_HEADS and len(heads) == 1 and not portfolio:
        return None
    # the suffix of the stem and of the word ("operation" stems to "oper")
    role_like = h in TITLE_WORDS or all(re.search(r"(ist|or|er|ian|ant|ent|man|woman|person|ee|ive)$", w)
                                        for w in (h, head.lemma_.lower())) \
        or senses.names_role(head.lemma_.lower())  # "captain", "architect": what a person does
    if not role_like or _ent_of(d, head.i) is not None and _ent_of(d, head.i).label_ in {"ORG", "GPE", "NORP", "PERSON"}:
        return None
    mods, domain = set(), set()
    for t in cut:
        if t.i == head.i or t.tag_ == "POS" or any(c.dep_ == "case" for c in t.children):
            continue
        e = _ent_of(d, t.i)
        if t.is_punct or t.like_num or e is not None and e.label_ in {"ORG", "GPE", "NORP", "PERSON", "DATE"}:
            continue
        w = stem(t.text.lower())
        if w in RANK_MODS:
            mods.add(w)
        elif w not in HONORIFICS and w not in STOPWORDS and t.pos_ in {"NOUN", "ADJ", "PROPN"}:
            domain.add(w)
    if "vice" in {x.lower_ for x in toks} and "vice" not in mods:
        mods.add("vice")
    return h, frozenset(mods), frozenset(domain | portfolio)


def _descriptor_mentions(s: Sent, d, facts: Facts, parsed) -> list[Mention]:
    """Mentions by a descriptor alone: "the Norwegian manufacturer" (an organisation of the
    article) and "the 24-year-old" (the one person named in the sentence before)."""
    out = []
    named = {t.i for m in facts.people if m.sent is s for t in d if s.text.find(m.name) <= t.idx
             < s.text.find(m.name) + len(m.name)}
    for chunk in d.noun_chunks:
        dets = [t for t in chunk if t.dep_ == "det"]
        if not dets or dets[0].lower_ != "the" or chunk.root.i in named:
            continue
        if chunk.end < len(d) and d[chunk.end].text == "," and chunk.end + 1 < len(d) \
                and d[chunk.end + 1].pos_ == "PROPN":
            continue  # "the Dutch carrier, Aldermere Air": the name follows
        if chunk.root.dep_ == "appos" or any(c.dep_ == "appos" for c in chunk.root.children):
            continue
        norp = [e for e in d.ents if e.label_ == "NORP" and chunk.start <= e.start < chunk.end
                and e.root.pos_ == "ADJ"]
        if norp and stem(chunk.root.text) in ORG_NOUNS:
            target = _salient_org(facts, s, frozenset(terms(norp[0].text)), stem(chunk.root.text))
            if target is not None:
                heads: dict[str, tuple[str, str, str]] = {}
                for m in facts.people:
                    if m.kind == "org" and m.key != target.key and m.sent.i <= s.i and m.head:
                        heads.setdefault(m.key, (m.key, m.name, m.head))
                out.append(Mention(key=target.key, name=target.name, sent=s, kind="org",
                                   desc=chunk.text, nats=frozenset(terms(norp[0].text)),
                                   countries=frozenset(terms(norp[0].text)), via="descriptor",
                                   noun=chunk.root.lower_, alts=tuple(heads.values())))
            continue
    for mm in re.finditer(r"\b[Tt]he (\d{1,3})-year-old\b", s.text):
        nxt = next((t for t in d if t.idx >= mm.end()), None)
        if nxt is not None and nxt.pos_ in {"NOUN", "PROPN"}:
            continue  # "the 71-year-old farmer": someone else
        if s.i > 0:
            prev = [m for m in facts.people if m.sent.i == s.i - 1 and m.kind == "person" and m.via == "name"]
            keys = {m.key for m in prev}
            first = prev[0] if prev else None
            if first is not None and (len(keys) == 1 or first.sent.text.find(first.name) <= 3):
                p = first  # the one person, or the subject that opens the sentence before
                out.append(Mention(key=p.key, name=p.name, sent=s, kind="person", desc=mm.group(),
                                   age=int(mm.group(1)), via="descriptor"))
    return out


def _salient_org(facts: Facts, s: Sent, nat: frozenset[str], noun: str) -> Mention | None:
    """The organisation a "the <nationality> <noun>" refers back to: one already given this
    nationality, else the one whose own descriptor uses the same noun, else the one business
    named so far, else the article's most mentioned organisation (when it clearly leads)."""
    before = [m for m in facts.people if m.sent.i < s.i and m.kind == "org"]
    if not before:
        return None
    for m in facts.people:
        if m.kind == "org" and m.nats and any(covers(x, m.nats) for x in nat):
            return None  # refers to the organisation that has this nationality
    same_noun = [m for m in before if noun in m.desc_terms]
    if same_noun:
        return same_noun[0]
    # "the Danish company" after "Dutch hotel group Van Aalst": the one business named so far
    businesses = {m.key: m for m in before if m.head in ORG_NOUNS}
    if len(businesses) == 1:
        return next(iter(businesses.values()))
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, Mention] = {}
    for m in facts.people:
        if m.kind == "org":
            counts[m.key] += 1
            first.setdefault(m.key, m)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) and \
            any(m.key == ranked[0][0] for m in before):
        return first[ranked[0][0]]
    return None


# ---- figures ------------------------------------------------------------------------------------

def _quantities(facts: Facts, parsed) -> None:
    for s, d in parsed:
        spans = extract.quantities(s.text)
        for span in spans:
            toks = [t for t in d if span.start <= t.idx < span.end]
            role, source = _figure_source(d, span)
            if not source:
                role, source = _source(s.text)
            before = s.text[max(0, span.start - 40):span.start]
            after = s.text[span.end:span.end + 40]
            g = Figure(s, span, _governing_verb(d, span), _hedged(d, span), source,
                       _counted(d, span), role == "origin", _holder(d, toks))
            if not g.origin and g.hedged and re.search(r"\baccording to\b", s.text):
                g.origin = bool(source)  # "is expected to save X, according to the ministry"
            g.measure = _measure(d, toks, g.noun.startswith("money:"))
            g.context = frozenset(_lemma(t) for t in d if t.pos_ in {"NOUN", "VERB", "PROPN", "ADJ"}
                                  and not t.like_num and t.lower_ not in STOPWORDS
                                  and _lemma(t) not in _GENERIC_VERBS)
            g.times = _times(s.text, span)
            delta = _DELTA_BEFORE.search(before)
            if delta and delta.group().rstrip().endswith(" of") and g.noun and not g.noun.startswith("money:") \
                    and "percent" not in span.unit:
                delta = None  # "the cut of 430 jobs" counts the jobs cut: a count, not a change of one
            g.old = bool(_OLD_BEFORE.search(before) or delta
                         # "... more than 17,000 students" two words on qualifies the next figure
                         or re.match(r"[\w\s-]{0,25}?\b(?:fewer|more|less|higher|lower) than\b", after)
                         and not re.match(r"\s*(?:[\w-]+\s+){2,}(?:fewer|more|less) than\s+[$€£¥]?\d", after)
                         or re.search(r"\b(originally|initially|previously|original)\b[^.;,]{0,40}$", before)
                         # "will replace its 42 bus routes with a network of 35": what is replaced
                         or re.search(r"\breplac(?:e|es|ed|ing)\s+(?:its|their|the|his|her)?\s*$", before))
            # "from 182 in 2020 to 151 now": a dated year is not the low end of a range
            g.ranged = _ranged(s.text, span)
            # "1,150 of the airline's 1,400 pilots": a part of a whole, not a rival count.
            g.share = bool(re.match(r"\s*(?:of|out of)\s+(?:the|its|their|his|her|all)?\s*(?:[\w’']+\s+){0,2}?\d", after))
            if re.match(r"-year-old|-years-old|\s+years old", after):
                g.noun = "age"
            facts.figures.append(g)
        figs = [g for g in facts.figures if g.sent is s]
        # "41 million pounds for care, roads 22 million and waste 18 million": a scaled amount with
        # no currency of its own, after one with a currency, is in that currency
        for x, y in zip(figs, figs[1:]):
            if x.noun.startswith("money:") and not y.noun.startswith("money:") and "percent" not in y.span.unit \
                    and re.search(r"\d\s?(?:million|billion|thousand|bn|mn)\b", y.span.text) \
                    and re.search(r"(?:million|billion|thousand|bn|mn)\b", x.span.text):
                y.noun = x.noun
        # "The bank broke the result down by division: retail banking earned 97 million, ...": an
        # amount with no currency in a breakdown of the amount just given is in its currency
        prev = [g for g in facts.figures if g.sent.i == s.i - 1 and g.noun.startswith("money:")
                and re.search(r"(?:million|billion|thousand|bn|mn)\b", g.span.text)]
        if prev and _BREAKDOWN.search(s.text) and not any(g.noun.startswith("money:") for g in figs):
            for y in figs:
                if "percent" not in y.span.unit and re.search(r"\d\s?(?:million|billion|bn|mn)\b", y.span.text):
                    y.noun = prev[-1].noun
        # Figures joined in a list ("700 at Lindau and 400 at Kessel") are parts, not rivals.
        for x, y in zip(figs, figs[1:]):
            between = s.text[x.span.end:y.span.start]
            if re.search(r"\band\b", between) and len(between) < 45 and not re.search(r"[;:]", between) \
                    and not re.search(r"\b(of|from|to|than|or|including|with|while|but|between)\b", between):
                # "42 firefighters and nine appliances" count two things, not parts of one
                unlike = x.noun and y.noun and stem(x.noun) != stem(y.noun) and not (
                    x.noun.startswith("money:") or y.noun.startswith("money:"))
                if not ("percent" in x.span.unit) ^ ("percent" in y.span.unit) and not unlike:
                    x.part = y.part = True
        # and the earlier items of such a list: "410 homes in Dunholt, 150 in Little Aske and 60 in Fernhill"
        for x, y in reversed(list(zip(figs, figs[1:]))):
            between = s.text[x.span.end:y.span.start]
            if y.part and re.fullmatch(r"[^;:]{0,40},\s*", between) and not re.search(
                    r"\b(of|from|to|than|or|including|with|while|but|between|and)\b", between) \
                    and ("percent" in x.span.unit) == ("percent" in y.span.unit):
                x.part = True


def _ranged(text: str, span: extract.Span) -> bool:
    """The figure is one end of a range ("between 20 and 30", "20 to 30 people"), not of a change
    ("rise from £1,603 to £1,683", "from 182 in 2020 to 151 now")."""
    lo = max(0, span.start - 12)
    window = re.sub(r"\b(in|since|by|of)\s+(?:19|20)\d\d\b", r"\1 the year", text[lo:span.end + 14])
    for m in _RANGE.finditer(window):
        before = re.sub(r"[\d,.]+$", "", text[max(0, lo + m.start() - 40):lo + m.start() + 1])
        if re.search(r"\bfrom\s+[$€£¥]?\s?$", before) and not m.group().lower().startswith("between") \
                and not re.search(r"\b(?:rang\w*|var\w*|anywhere|anything)\s+from\s+[$€£¥]?\s?$", before):
            continue
        return True
    return False


def _hedged(d, span: extract.Span) -> bool:
    """A forecast or a possibility: a modal or a verb of expecting near the figure (the noun
    "project" is no forecast)."""
    num = [t for t in d if span.start <= t.idx < span.end]
    for t in d:
        if t.pos_ in {"NOUN", "PROPN"} or not (stem(t.lower_) in extract.HEDGES
                                               or stem(t.lemma_.lower()) in extract.HEDGES):
            continue
        subject = _subject_of(num[-1], t) if num else None
        if subject is not None and _definite(subject):
            continue  # "the 22 percent fall in visits would not change those plans": the fall is given
        if span.start - 80 <= t.idx < span.end + 20 or subject is not None:
            return True  # "600 of the new appointments would fall on weekdays" is the plan's
    return False


def _subject_of(num, hedge):
    """The subject of the hedged verb that holds the figure, if it does."""
    verb = hedge.head if hedge.dep_ in {"aux", "auxpass"} else hedge
    for subj in verb.children:
        if subj.dep_ in {"nsubj", "nsubjpass"} and subj.left_edge.i <= num.i <= subj.right_edge.i:
            return subj
    return None


def _definite(subj) -> bool:
    first = subj.left_edge
    return first.lower_ in {"the", "this", "that", "these", "those"} or first.dep_ == "poss"


def _counted(d, span: extract.Span) -> str:
    toks = [t for t in d if span.start <= t.idx < span.end]
    unit = [w for w in span.unit if w not in _SCALE_WORDS and w != "percent"]
    sign = re.search(r"[$€£¥](?=\s?\d)", span.text)  # also after a qualifier: "a further £600,000"
    if unit and stem(unit[0]) in _CURRENCIES or sign:
        return "money:" + (stem(unit[0]) if unit and stem(unit[0]) in _CURRENCIES else sign.group())
    if not toks:
        return ""
    num = toks[-1]
    head = num.head
    while head.pos_ == "NUM" and head.head.i != head.i:  # "4.8 million" → million → noun
        head = head.head
    if head.i != num.i and head.pos_ in {"NOUN", "PROPN"} and head.i > num.i:
        return head.lower_
    # "860 of the new slots": the noun the figure is a part of
    k = num.i + 1
    if k < len(d) and d[k].lower_ == "of":
        k += 1
        while k < len(d) and (d[k].pos_ in {"DET", "ADJ"} or d[k].tag_ == "PRP$"):
            k += 1
        if k < len(d) and d[k].pos_ == "NOUN" and (k + 1 == len(d) or d[k + 1].pos_ != "NOUN"):
            return d[k].lower_
    return span.unit[0] if span.unit else ""


def _holder(d, toks) -> str:
    """Whose figure it is: a named possessor of the counted noun ("the Almo's peak of 3.9"), or the
    named subject of its clause, climbing through participles and infinitives ("drawing her
    game to finish on 7.5 points" → the subject of "won")."""
    if not toks:
        return ""
    t = toks[-1]
    for anc in [t] + list(t.ancestors):
        for c in anc.children:
            if c.dep_ == "poss" and c.pos_ == "PROPN":
                return " ".join(x.text for x in c.subtree if x.pos_ == "PROPN")
        if anc.pos_ in {"VERB", "AUX"}:
            v = anc
            for _ in range(4):
                subj = [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}]
                if subj:
                    c = subj[0]
                    if c.lower_ in {"which", "who", "that"} and v.dep_ == "relcl":
                        c = v.head
                    if c.pos_ == "PROPN":
                        return " ".join(x.text for x in c.subtree if x.pos_ == "PROPN"
                                        and x.dep_ not in {"appos"} and x.i <= c.i)
                    return ""
                if v.dep_ in {"xcomp", "advcl", "conj", "acl"} and v.head.i != v.i:
                    v = v.head
                else:
                    break
            return ""
    return ""


def _measure(d, toks, money: bool = False) -> frozenset[str]:
    """The words a figure measures: its governing verb ("fined"), the noun an amount modifies
    ("a 3.2 million crown fine"), a noun it is "of" ("peak of 3.9")."""
    out = set()
    if not toks:
        return frozenset()
    t = toks[-1]
    counted = not money  # an amount's counted noun is its currency, not the noun it modifies
    for anc in t.ancestors:
        if anc.pos_ == "VERB":
            if _lemma(anc) not in _GENERIC_VERBS:
                out.add(_lemma(anc))
            break
        if anc.pos_ in {"NOUN", "PROPN", "ADJ"} and anc.i > t.i:
            if counted or stem(anc.text) in _CURRENCIES:
                counted = False  # the counted noun (or the currency) is not what is measured
                continue
            out.add(_lemma(anc))
        if anc.pos_ == "ADP" and anc.head.pos_ == "NOUN":
            out.add(_lemma(anc.head))
    return frozenset(out)


def _times(text: str, span: extract.Span) -> frozenset[str]:
    # up to the next figure: "fell to 6.2 tonnes from 7.4 tonnes a year earlier" dates the 7.4
    after = re.split(r"[;,]|\s(?!(?:19|20)\d\d\b)(?=[$€£¥]?\d)", text[span.end:])[0][:60]  # a year is no figure
    clause = after + " " + re.split(r"[;,]", text[:span.start])[-1][-40:]
    out = set(re.findall(r"(?<!since )(?<!than in )\b(?:19|20)\d\d\b", clause))
    opening = re.match(r"\s*In\s+((?:19|20)\d\d)\b", text)  # "In 2023, when ..., the galleries recorded 301,000"
    if opening:
        out.add(opening.group(1))
    for m in re.finditer(r"\b(last|this|next|previous|first|second|third|final|in a single)\s+"
                         r"(year|month|week|day|season|quarter|half|round|night|spring|summer|autumn|winter)\b"
                         r"|\ba year (earlier|ago)\b",
                         clause, re.I):
        out.add(m.group().lower().replace("a year earlier", "last year").replace("a year ago", "last year"))
    return frozenset(out)


def _compound(g: Figure) -> bool:
    """Part of a compound measure or a list: "2 hours, 6 minutes and 41 seconds"."""
    before = g.sent.text[max(0, g.span.start - 16):g.span.start]
    after = g.sent.text[g.span.end:g.span.end + 16]
    return bool(re.search(r"\d[\w\s]{0,12}(,|\band)\s*$", before)
                or re.match(r"^\s*[a-z]+(,|\s+and)\s+\d", after))


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
        named = re.search(r"\b[A-Z]", span.text) or re.search(r"\w['’]s\b", span.text) \
            or (verb == "according" and re.match(r"the\s+\w", span.text, re.I))
        if not pronoun and named and len(span.text.split()) <= 8:
            return ("origin" if verb in ORIGIN_VERBS else "report"), span.text
    return "", ""


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
        if anc.pos_ == "VERB":
            # "lowered its forecast for growth to 2.1 percent": the verb's object is a forecast.
            if any(c.dep_ == "dobj" and stem(c.lemma_) in _FORECAST_NOUNS for c in anc.children):
                subj = _subject(anc)
                if subj:
                    return "origin", subj
        if anc.pos_ == "VERB" and stem(anc.lemma_) in REPORTING | ORIGIN_VERBS:
            subj = _subject(anc)
            if subj:
                return ("origin" if stem(anc.lemma_) in ORIGIN_VERBS else "report"), subj
    return "", ""


def _subject(verb) -> str:
    if verb.dep_ == "conj" and verb.head.i != verb.i and not any(
            c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return _subject(verb.head)  # "The bank cut its rate and lowered its forecast"
    for c in verb.children:
        # "X, which estimated ...": X; "Dr Hana Sorel of Pellham University, whose team calculated ...": hers
        whose = any(g.dep_ == "poss" and g.lower_ == "whose" for g in c.children)
        if c.dep_ in {"nsubj", "nsubjpass"} and verb.dep_ == "relcl" and (c.lower_ in {"which", "who", "that"} or whose):
            return re.sub(r"^(the|a|an) ", "", " ".join(t.text for t in verb.head.subtree if t.i < min(verb.i, c.i)
                                                        and t.dep_ != "punct" and t.lower_ not in {"which", "who", "whose"}),
                          flags=re.I).strip()
        if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON":
            # "Ecologists at the Trust, who ran the survey, estimate": the relative clause is no part of the name
            clause = {t.i for r in c.subtree if r.dep_ == "relcl" for t in r.subtree}
            text = " ".join(t.text for t in c.subtree if t.dep_ != "punct" and t.i not in clause)
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


# ---- events: dates, places, stances, outcomes ---------------------------------------------------

def _anchor(verb) -> str:
    """What an event verb is about: its subject (or, passive or relative, its object)."""
    if verb.dep_ == "relcl" and any(c.lower_ in {"that", "which", "who"} and c.dep_ in
                                    {"nsubj", "nsubjpass", "dobj"} for c in verb.children):
        return _lemma(verb.head)  # "the attack, which Quillon first noticed on 30 August"
    for c in verb.children:
        if c.dep_ in {"nsubj", "nsubjpass"}:
            if c.pos_ == "PRON":
                return ""
            return _lemma(c)
    if verb.dep_ in {"relcl", "acl"}:
        return _lemma(verb.head)
    return ""


def _events(s: Sent, d) -> list[Event]:
    out = []
    for t in d:
        if t.pos_ != "VERB":
            continue
        lem = stem(t.lemma_)
        particle = next((c.lower_ for c in t.children if c.dep_ in {"prt", "dobj"} and c.i == t.i + 1), "")
        if (t.lemma_.lower(), particle) not in _PHRASAL and t.i + 1 < len(d):
            # "went live", "went into service": an adverb or a fixed phrase after the verb
            nxt = d[t.i + 1]
            particle = nxt.lower_ if nxt.dep_ in {"advmod", "acomp", "oprd", "prt"} and nxt.head.i == t.i else (
                f"{nxt.lower_} {d[t.i + 2].lower_}" if nxt.dep_ == "prep" and t.i + 2 < len(d) else particle)
        cls = _PHRASAL.get((t.lemma_.lower(), particle)) or _VERB_CLASS.get(lem) or _VERB_CLASS.get(stem(t.text))
        phrasal = (t.lemma_.lower(), particle) in _PHRASAL  # "set off" is no "set to"
        planned = any(stem(a.lemma_) in _PLANNED for a in ([] if phrasal else [t]) + list(t.ancestors)[:2]) or \
            any(c.lower_ in {"will", "would", "could", "may", "might", "should"} for c in t.children)
        if cls and not planned:
            dates = [e for e in d.ents if e.label_ == "DATE" and any(anc.i == t.i for anc in e.root.ancestors)
                     and _when(e.text)]
            anchor = _anchor(t)
            it = phrasal and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in t.children)
            if dates and (anchor or it):  # "since it went into service on Feb. 29": the article's thing
                out.append(Event(s, anchor, cls, dates[0].text))
            if cls in _PLACED or lem in _PLACED:
                place = _place_of(d, t, cls)
                if place:
                    group = ("move:" + cls) if cls in {"depart", "arrive"} else "at:" + (cls or lem)
                    out.append(Event(s, anchor, group, place))
        if _stance_verb(t):
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in {"for", "against"}:
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    holder = _stance_holder(t) or ("@person" if any(
                        x.dep_ == "nsubj" and x.lower_ in {"he", "she"} for x in t.children) else "")
                    if objs and holder:
                        out.append(Event(s, holder, "stance:" + c.lower_, stem(objs[0].lemma_)))
                        # "spoke against the closure" also meets "supported the closures"
                        out.append(Event(s, holder, "polar:stance", _object_key(objs[0]),
                                         1 if c.lower_ == "for" else -1))
    for t in d:
        cls = _NOUN_CLASS.get(stem(t.lemma_.lower())) if t.pos_ == "NOUN" else None
        if not cls:
            continue
        dates = [e for e in d.ents if e.label_ == "DATE" and any(anc.i == t.i for anc in e.root.ancestors)
                 and _when(e.text) and e.root.head.lower_ in {"in", "on"}]
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        if dates and owner is not None:
            out.append(Event(s, "" if owner.pos_ in {"PRON", "DET"} else _lemma(owner), cls, dates[0].text))
    out.extend(_outcomes(s, d))
    out.extend(_polar(s, d))
    out.extend(_venues(s, d))
    return out


# Happenings an article places once: "talks in Skarvhamn" / "gathered in Lyngstad for the
# negotiations", "signed the agreement in Kaldera" / "the ceremony in Vessport"
_VENUE_EVENTS = {_event_root(w): c for c, ws in {
    "talks": "talk talks negotiation negotiations negotiate negotiating",
    "signing": "sign signing ceremony",
    "match": "final match game",
}.items() for w in ws.split()}
_PLACE_NOUNS = _stems("town city village port capital district island region suburb")
_ELSEWHERE = re.compile(r"\b(?:last|earlier|previous|previously|next|future|later|again|another|second|"
                        r"round|rounds|each|every|(?:19|20)\d\d)\b", re.I)


def _venue(prep) -> str:
    """The named place after "in" or "at": "the Orrisey port city of Tressan" → Tressan, "the
    Abbey Lane site", "Harland Stadium"."""
    for c in prep.children:
        if c.dep_ != "pobj":
            continue
        if c.pos_ == "NOUN":
            # "the port city of Tressan", "the auditorium of Greendale High School", "a meeting
            # room at the Greendale Public Library": the named place the room is in
            preps = {"of"} if stem(c.lower_) in _PLACE_NOUNS else {"of", "at", "in"}
            named = [g for p in c.children if p.dep_ == "prep" and p.lower_ in preps for g in p.children
                     if g.dep_ == "pobj" and g.pos_ == "PROPN"]
            if named:
                c = named[0]
        names = [t for t in c.subtree if t.pos_ == "PROPN" and (t.i == c.i or t.dep_ in {"compound", "flat"}
                                                                and t.head.i == c.i)]
        if not names:
            return ""
        return " ".join(t.text for t in c.subtree if names[0].i <= t.i <= c.i)
    return ""


def _venues(s: Sent, d) -> list[Event]:
    """Where a happening the article places once took place, from its noun or its verb."""
    out = []
    for t in d:
        kind = _VENUE_EVENTS.get(_event_root(t.lemma_)) if t.pos_ in {"NOUN", "VERB"} else None
        if not kind:
            continue
        span = list(t.subtree)
        if _ELSEWHERE.search(s.text[max(0, span[0].idx - 20):span[-1].idx + len(span[-1].text)]):
            continue  # "the next round of talks", "talks in 2019": another one
        holders = [t.head] if t.dep_ == "amod" else [t]  # "the negotiating venue in Holmvik"
        if t.pos_ == "NOUN" and t.dep_ == "pobj" and t.head.lower_ == "for" and t.head.head.pos_ == "VERB":
            holders.append(t.head.head)  # "gathered in Lyngstad for the negotiations"
        for h in holders:
            for p in h.children:
                if p.dep_ == "prep" and p.lower_ in {"in", "at"}:
                    place = _venue(p)
                    if place:
                        out.append(Event(s, kind, "at:" + kind, place))
                        break
    for t in d:
        # anything "held" at a named place is a happening placed there: "a public session held
        # Thursday in the auditorium of Greendale High School", "the session, which was held in ..."
        if t.lemma_.lower() != "hold" or t.pos_ != "VERB":
            continue
        if t.dep_ == "acl" and t.head.pos_ == "NOUN":
            what = t.head
        elif t.dep_ == "relcl" and t.head.pos_ == "NOUN" and any(c.dep_ == "nsubjpass" and c.lower_ in {"which", "that"}
                                                                  for c in t.children):
            what = t.head
        else:
            what = next((c for c in t.children if c.dep_ == "nsubjpass" and c.pos_ == "NOUN"), None)
        if what is None or stem(what.lower_) in _CUSTODY:
            continue
        span = list(what.subtree)
        if _ELSEWHERE.search(s.text[max(0, span[0].idx - 20):what.idx + len(what.text)]):
            continue
        for p in t.children:
            if p.dep_ == "prep" and p.lower_ in {"in", "at"} and (place := _venue(p)):
                kind = _event_root(what.lemma_)
                out.append(Event(s, kind, "at:" + kind, place))
                break
    return out


_CUSTODY = _stems("custody detention prison jail hostage captive prisoner suspect man woman person")


def _stance_verb(t) -> bool:
    """A verb that takes a side through "for" or "against": "campaigned against", "came out in
    favour of"."""
    return stem(t.lemma_) in _STANCE_VERBS or t.lemma_.lower() == "come" and any(
        c.dep_ == "prt" and c.lower_ == "out" for c in t.children)


def _own_subtree(t):
    """The words of a verb's own clause: "conceded ..., and later thanked supporters" leaves out
    the second verb and its "later"."""
    skip = set()
    for c in t.children:
        if c.dep_ == "conj":
            skip.update(x.i for x in c.subtree)
    return [x for x in t.subtree if x.i not in skip]


def _polar(s: Sent, d) -> list[Event]:
    """Positions and acts with their polarity: "opposed the merger" (−) / "endorsed the deal" (+),
    "conceded" (+) / "refused to concede" (−), each with who holds it (the subject, the noun a
    relative clause hangs on, or for a pronoun the subject of the reporting verb above)."""
    if s.text.rstrip().endswith("?"):
        return []
    changed = _CHANGE.search(s.text)
    out = []
    for t in d:
        if t.pos_ != "VERB":
            continue
        lem = stem(t.lemma_)
        if lem in _FOR or lem in _AGAINST:
            cls, pol = "stance", 1 if lem in _FOR else -1
        else:
            cls, pol = lem, 1
        if any(c.dep_ == "neg" for c in t.children):
            pol = -pol
        top = t
        if t.dep_ == "xcomp" and stem(t.head.lemma_) in _NEGATING:
            pol, top = -pol, t.head
        elif t.dep_ in {"acl", "xcomp"} and stem(t.head.lemma_) in _INTENT_NOUNS and \
                any(c.lower_ == "no" for c in t.head.children):
            pol, top = -pol, t.head.head  # "had no plans to sell the site"
        elif cls == lem and not any(c.dep_ == "neg" for c in t.children):
            if cls in _GENERIC_VERBS or cls in REPORTING:
                continue
        if cls in _TALK:
            continue  # "declined to comment" and "commented later" are both ordinary
        if changed and (any(_CHANGE.fullmatch(x.text) for x in _own_subtree(top))
                        or _CHANGE.search(s.text[:t.idx]) and not any(x.dep_ == "nsubj" for x in top.children)):
            continue  # a position that changed or hangs on a condition is not held throughout
        if any(c.dep_ == "aux" and c.lower_ in {"will", "would", "could", "may", "might", "should", "must"}
               for c in list(t.children) + list(top.children)):
            continue
        holder = _holder_of(top)
        if not holder and cls == "stance" and any(c.dep_ == "nsubj" and c.lower_ in {"he", "she"}
                                                  for c in top.children):
            holder = "@person"  # resolved to the last person named, once the article is read
        if not holder:
            continue
        objs = [c for c in t.children if c.dep_ == "dobj"]
        if not objs and cls == "stance":  # "objected to the scheme"
            objs = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                    if g.dep_ == "pobj"]
        obj = objs[0] if objs else None
        if cls != "stance" and pol > 0 and obj is not None:
            continue  # plain acts are compared only in the bare form ("conceded" / "refused to concede")
        value = _object_key(obj) if obj is not None else ""
        alt = obj is not None and any(c.tag_ in {"JJR", "RBR"} or c.lower_ in _ALTERNATIVE for c in obj.subtree
                                      if c.i < obj.i)
        out.append(Event(s, holder, "polar:" + cls, value, pol, alternative=alt))
    for t in d:
        # "voted in favour of the budget", "whose vote in favour of the budget", "Nandra's vote against it"
        voting = t.pos_ == "VERB" and _stance_verb(t) or t.pos_ == "NOUN" and t.lemma_.lower() == "vote"
        if not voting or changed and _CHANGE.search(s.text[:t.idx]):
            continue  # "later switched to vote against": a position that changed
        for c in t.children:
            if c.dep_ != "prep":
                continue
            pol, objs = 0, []
            if c.lower_ == "in":
                side = [g for g in c.children if g.dep_ == "pobj" and g.lower_ in {"favour", "favor", "support"}]
                objs = [o for g in side for p in g.children if p.dep_ == "prep" and p.lower_ == "of"
                        for o in p.children if o.dep_ == "pobj"]
                pol = 1
            elif c.lower_ == "against" and t.pos_ == "NOUN":
                objs, pol = [g for g in c.children if g.dep_ == "pobj"], -1
            holder = (_holder_of(t) if t.pos_ == "VERB" else _voter(t, d)) if objs else ""
            if holder:
                out.append(Event(s, holder, "polar:stance", _object_key(objs[0]), pol))
    for t in d:
        # "the dockworkers' opposition to the berth", "the union's backing for the plan"
        pol = _STANCE_NOUNS.get(stem(t.lemma_.lower()), 0) if t.pos_ == "NOUN" else 0
        if not pol or changed and _CHANGE.search(s.text[:t.idx]):
            continue
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        if owner is None or owner.pos_ == "PRON" or any(c.lower_ in {"no", "lack"} for c in t.children):
            continue
        objs = [g for c in t.children if c.dep_ == "prep" and c.lower_ in {"to", "for", "of"}
                for g in c.children if g.dep_ == "pobj"]
        if objs:
            out.append(Event(s, stem(owner.lemma_), "polar:stance", _object_key(objs[0]), pol))
    for t in d:
        # "in talks with two potential buyers for the Tormouth site": selling it is under way.
        if t.pos_ == "NOUN" and stem(t.lemma_) in _BUYERS:
            objs = [g for c in t.children if c.dep_ == "prep" and c.lower_ in {"for", "of"}
                    for g in c.children if g.dep_ == "pobj"]
            v = t
            while v.pos_ not in {"VERB", "AUX"} and v.head.i != v.i:
                v = v.head
            holder = _holder_of(v) if v.pos_ in {"VERB", "AUX"} else ""
            if objs and holder and not any(c.dep_ == "neg" for c in v.children):
                out.append(Event(s, holder, "polar:sell", _object_key(objs[0]), 1))
    return out


_ALTERNATIVE = {"other", "another", "alternative", "rival", "competing", "second", "separate", "different"}


def _voter(vote, d) -> str:
    """Whose vote the noun is: "Nandra's vote", or "Chaudry, whose vote ..." (the name the relative
    clause hangs on, or when the parser misses the clause, the name just before "whose")."""
    owner = next((g for g in vote.children if g.dep_ == "poss"), None)
    if owner is None:
        return ""
    if owner.lower_ != "whose":
        return stem(owner.lemma_) if owner.pos_ == "PROPN" else ""
    v = vote.head
    while v.dep_ != "relcl" and v.head.i != v.i:
        v = v.head
    if v.dep_ == "relcl":
        return stem(v.head.lemma_)
    before = [x for x in d[:owner.i] if not x.is_punct]
    return stem(before[-1].lemma_) if before and before[-1].pos_ == "PROPN" else ""


def _object_key(obj) -> str:
    """What an act is done to: its lemma, whether definite, and the proper names naming it
    ("the Tormouth site" → "sit|the|tormouth")."""
    definite = any(c.lower_ == "the" for c in obj.children)
    names = sorted(stem(c.text) for c in obj.children if c.dep_ == "compound" and c.pos_ == "PROPN")
    return f"{_lemma(obj)}|{'the' if definite else ''}|{' '.join(names)}"


def _holder_of(top) -> str:
    """Who acts: the subject (see ``_stance_holder``), or for a pronoun inside reported speech
    ("Varley said it had ...") the subject of the reporting verb."""
    holder = _stance_holder(top)
    if holder:
        return holder
    v = top
    while v.dep_ in {"conj", "xcomp"} and v.head.i != v.i:
        v = v.head
    if v.dep_ == "ccomp" and stem(v.head.lemma_) in REPORTING:
        return _stance_holder(v.head)
    return ""


def _outcomes(s: Sent, d) -> list[Event]:
    """Outcomes of a matter: "dismissed the cooperative's appeal" (−), "won its appeal" (+),
    "upheld a ban" (+) / "overturned the ban" (−), "within its budget" (+) / "overrun its budget" (−)."""
    out = []
    for t in d:
        if t.pos_ not in {"NOUN"} or t.dep_ not in {"dobj", "nsubjpass", "pobj"}:
            continue
        matter = _lemma(t)
        if len(matter) < 3:
            continue
        owner = next((c for c in t.children if c.dep_ == "poss"), None)
        owner_key = "" if owner is None or owner.pos_ == "PRON" else _lemma(owner)
        mods = frozenset(_lemma(c) for c in t.children if c.dep_ in {"amod", "compound", "nummod"})
        if mods & _stems("first second third new another previous earlier last next separate"):
            continue
        pol, decider = 0, ""
        if t.dep_ in {"dobj", "nsubjpass"}:
            v = t.head
            lem = stem(v.lemma_)
            if v.pos_ == "VERB" and (lem in _POSITIVE or lem in _NEGATIVE):
                pol = 1 if lem in _POSITIVE else -1
                if any(c.dep_ == "neg" for c in v.children):
                    pol = -pol
                subj = [c for c in v.children if c.dep_ == "nsubj"]
                if lem in _DECIDERS:
                    owner_key = owner_key or (_lemma(subj[0]) if subj and subj[0].pos_ != "PRON" else "")
                else:
                    decider = _lemma(subj[0]) if subj and subj[0].pos_ != "PRON" else ""
        elif t.dep_ == "pobj" and t.head.lower_ in _WITHIN and matter in _stems("budget schedule target time"):
            pol = _WITHIN[t.head.lower_]
        if pol:
            tail = " ".join(sorted(_lemma(c) for c in t.subtree if c.dep_ == "pobj" and c.i != t.i))
            out.append(Event(s, owner_key, "outcome", f"{matter}|{tail}", pol, decider))
    return out


_PART_NOUNS = _stems("branch branches wing arm division chapter section unit office members member")


def _holder_words(d, holder: str) -> frozenset[str]:
    """The words naming a holder: "The Ostmere Dockworkers' Union" gives ostmer, dockwork and
    union, so "the dockworkers' opposition" is the union's."""
    out = {holder}
    for t in d:
        if stem(t.lemma_) == holder:
            out.update(stem(x.lemma_.lower()) for x in t.children
                       if x.dep_ in {"compound", "poss"} and x.pos_ in {"PROPN", "NOUN"})
    return frozenset(out - STOPWORDS)


def _stance_holder(verb) -> str:
    """Who takes the stance: the subject, or for "X, which lobbied for ..." the noun X."""
    v = verb
    while v.dep_ in {"conj", "xcomp", "aux"} and v.head.i != v.i:
        v = v.head
    for c in v.children:
        if c.dep_ == "nsubj":
            if c.lower_ in {"which", "who", "that"} and v.dep_ == "relcl":
                return stem(v.head.lemma_)
            if c.pos_ != "PRON":
                named = [g for g in c.children if g.dep_ == "appos" and g.pos_ == "PROPN"]
                if stem(c.lemma_) in _PART_NOUNS:
                    # "the Hatherley branch of the Farmers' Federation objected": the federation
                    whole = [g for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
                             if g.dep_ == "pobj"]
                    if whole:
                        return stem(whole[0].lemma_)
                return stem((named[0] if c.pos_ != "PROPN" and named else c).lemma_)
    if v.dep_ == "relcl":
        return stem(v.head.lemma_)
    return ""


def _place_of(d, verb, cls: str = "") -> str:
    """The named place of an event verb ("departed from Tollan Pier", "collapsed at the Dornoch
    boathouse")."""
    cands = [c for c in verb.children if c.dep_ == "dobj"]
    cands += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in {"from", "at", "in", "to", "near", "outside"}
              for g in c.children if g.dep_ == "pobj"]
    for c in cands:
        toks = [t for t in c.subtree if t.dep_ not in {"det", "punct"}]
        if not toks:
            continue
        e = _ent_of(d, c.i)
        if e is not None and e.label_ in {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY"}:
            continue
        if e is not None and e.label_ == "PERSON" and (cls or _VERB_CLASS.get(stem(verb.lemma_))) not in {"depart", "arrive"}:
            continue
        if c.pos_ == "PROPN" or (c.pos_ == "NOUN" and any(t.pos_ == "PROPN" and t.dep_ == "compound"
                                                            and t.head.i == c.i for t in toks)):
            return " ".join(t.text for t in toks if t.i <= c.i)
    return ""


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _when(date: str) -> tuple[int, int, int] | None:
    """(day, month, year) of a date phrase, 0 where unknown; None without a month or a day."""
    low = date.lower()
    if sum(1 for m in _MONTHS if re.search(rf"\b{m}[a-z]*\.?\b", low)) > 1 or re.search(r"\bbetween\b", low):
        return None  # a range ("between February and May")
    month = next((i + 1 for i, m in enumerate(_MONTHS) if re.search(rf"\b{m}[a-z]*\.?\b", low)), 0)
    year = re.search(r"\b(19|20)\d\d\b", low)
    if not month:
        if year and re.fullmatch(r"(?:in\s+)?(19|20)\d\d", low.strip()):
            return (0, 0, int(year.group()))  # a bare year
        return None
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b(?!\d)", low)
    return (int(day.group(1)) if day else 0, month, int(year.group()) if year else 0)


def _dates_differ(a: str, b: str) -> bool:
    wa, wb = _when(a), _when(b)
    if not wa or not wb:
        return False
    if wa[2] and wb[2] and wa[2] != wb[2]:
        return True
    if not (wa[1] and wb[1]):
        return False
    if wa[1] != wb[1]:
        return True
    return bool(wa[0] and wb[0] and wa[0] != wb[0])


# ---- stage 2: conflict rules --------------------------------------------------------------------

def _flag(kind: str, message: str, cites: Iterable[Citation], severity: str = "warning") -> Flag:
    seen, out = set(), []
    for c in cites:
        if (c.document_id, c.start, c.end) not in seen:
            seen.add((c.document_id, c.start, c.end))
            out.append(c)
    return Flag(kind=kind, message=message, citations=tuple(out), severity=severity)


def _cite_sent(doc: Document, s: Sent) -> Citation:
    return cite(doc, s.start, s.end)


def _names_agree(a: str, b: str) -> bool:
    """"Umerov" and "Rustem Umerov" agree; "Anna Berg" and "Lena Berg" do not."""
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def role_flags(all_facts: Sequence[Facts], words=None) -> list[Flag]:
    flags = []
    by_key: dict[str, list[tuple[Facts, Mention]]] = defaultdict(list)
    for f in all_facts:
        for p in f.people:
            if p.alts and words is not None:
                # "the Norwegian lender" after "the savings bank Norsk Spar": an organisation whose
                # own descriptor is close in meaning is the referent, not the most mentioned one.
                close = [a for a in p.alts if _similarity(words, p.noun, a[2]) >= 0.5]
                if close:
                    continue
            last = [_key(p.name)] if p.kind == "person" else []
            for k in dict.fromkeys([p.key] + terms(p.name)[:1] + last):
                by_key[k].append((f, p))
    done_pairs: set[tuple[str, str, str]] = set()
    for key, mentions in by_key.items():
        # Two different full names sharing this word ("Anna Berg", "Lena Berg"): a bare
        # "Berg" could be either, so only full names are compared.
        full = {" ".join(terms(p.name)) for _, p in mentions if len(terms(p.name)) > 1}
        ambiguous = len({n for n in full if not any(n != o and set(n.split()) < set(o.split()) for o in full)}) > 1
        described = [(f, p) for f, p in mentions if (p.desc or p.age or p.represents or p.court or p.rank) and not p.past
                     and not (ambiguous and len(terms(p.name)) < 2)]
        found = False
        for i, (fa, pa) in enumerate(described):
            for fb, pb in described[i + 1:]:
                if pa.sent is pb.sent or not _names_agree(pa.name, pb.name):
                    continue
                pair = (" ".join(terms(max(pa.name, pb.name, key=len))), fa.doc.id, fb.doc.id)
                if pair in done_pairs or (fa.doc.id, pa.sent.i, fb.doc.id, pb.sent.i) in done_pairs:
                    continue
                why = _role_clash(pa, pb, words, fa is fb)
                if why:
                    done_pairs.add(pair)
                    done_pairs.add((fa.doc.id, pa.sent.i, fb.doc.id, pb.sent.i))
                    flags.append(_flag("role_conflict",
                                       f"{pa.name if len(pa.name) >= len(pb.name) else pb.name} is described "
                                       f"as “{pa.desc}” and as “{pb.desc}” ({why}).",
                                       [_cite_sent(fa.doc, pa.sent), _cite_sent(fb.doc, pb.sent)]))
                    found = True
        if not found:
            flags.extend(_stray_country(key, mentions, all_facts))
    for f in all_facts:
        flags.extend(_nationality_flags(f))
        flags.extend(_base_flags(f))
        flags.extend(_owner_country_flags(f))
    return flags


def _similarity(words, a: str, b: str) -> float:
    a, b = a.lower(), b.lower()
    words._vector([a, b])
    return sum(x * y for x, y in zip(words._vectors[a], words._vectors[b]))


def _same_word(a: str, b: str, words) -> bool:
    if a == b or covers(a, {b}) or covers(b, {a}):
        return True
    return bool(words is not None and words.same(a, b))


_ANY_COMPANY = _stems("company firm group business corporation employer")


def _role_clash(a: Mention, b: Mention, words, same_doc: bool) -> str:
    if a.nats and b.nats and not any(covers(x, b.nats) or covers(y, a.nats) for x in a.nats for y in b.nats):
        return "different countries"
    if a.orgs and b.orgs and not (a.additive or b.additive) and not any(
            _same(x, y) for x in a.orgs for y in b.orgs):
        return "different affiliations"
    if a.age and b.age and abs(a.age - b.age) > (0 if same_doc else 1):
        return "different ages"
    if a.side and b.side and a.side != b.side:
        return "the ruling side and the opposition"
    if a.court and b.court and a.court != b.court:
        return "different sides of the court"
    for x, y in ((a, b), (b, a)):
        if _INDEPENDENT.search(x.desc) and _PARTY.search(y.desc) and not (x.past or y.past):
            return "an independent and a party's member"
    if a.rank and b.rank and a.rank != b.rank:
        return "different ranks"  # "Detective Inspector Mbeki" / "Detective Sergeant Mbeki"
    for x, y in ((a, b), (b, a)):
        if x.nats and y.represents and not any(_demonym(n, c, words) for n in x.nats for c in y.represents):
            return "a nationality and a different country played for"
        if not x.nats and x.countries and y.represents and re.match(r"(of|from) ", x.desc) \
                and not any(_same(c, r) for c in x.countries for r in y.represents):
            return "a home country and a different country played for"  # "Kiptoo of Kenya"
    if a.kind == b.kind == "person" and not (a.additive or b.additive):
        # Employers and owners of the office together: "a cardiologist at Trondvik University
        # Hospital" / "Norrland's head of clinical development"; "Northmere's director" / "who sits
        # on the union's national executive".
        # "the company's regional manager" may work for any company the article names
        ba = set(a.orgs) | set(a.bodies) | set(a.owners)
        bb = set(b.orgs) | set(b.bodies) | set(b.owners)
        wild = any(stem(o) in _ANY_COMPANY for o in a.owners | b.owners)
        if ba and bb and not wild and (a.orgs | a.bodies or b.orgs | b.bodies) and not any(
                _same(x, y) or _same_word(x, y, words) for x in ba for y in bb):
            return "different employers"
    if a.owners and b.owners and a.kind != "org" and b.kind != "org" \
            and not any(_same_word(x, y, words) or _similarity(words, x, y) >= 0.6
                        for x in a.owners for y in b.owners):
        return "offices of different bodies"
    if a.kind == "org" or b.kind == "org" or a.additive or b.additive:
        return ""
    for ha, ma, da in a.titles:
        for hb, mb, db in b.titles:
            if ha in _OFFICE_HEADS and hb in _OFFICE_HEADS and da and db and not any(
                    _same_word(x, y, words) for x in da for y in db):
                return "different portfolios"  # "finance director" / "head of operations"
            if ha == hb and "chief" in da & db and (da - {"chief"}) and (db - {"chief"}) and not any(
                    _same_word(x, y, words) for x in da - {"chief"} for y in db - {"chief"}):
                return "different offices"  # "chief operating officer" / "chief financial officer"
            for (hx, dx, x), (hy, dy) in (((ha, da, a), (hb, db)), ((hb, db, b), (ha, da))):
                field = _field(x, dx) if hx in _FIELD_HEADS else set()
                if field and hy not in VAGUE_HEADS and not _same_word(hx, hy, words) and not any(
                        _same_word(w, v, words) for w in field for v in dy | {hy}):
                    return "different offices"  # "probation chief" / "the county's chief public defender"
            if ha in VAGUE_HEADS and "chief" not in da or hb in VAGUE_HEADS and "chief" not in db:
                continue  # "an officer" says little; "the chief financial officer" names an office
            if not _same_word(ha, hb, words):
                if ({ha, hb} & {"ceo"}) and ({ha, hb} & {stem("executive")}):
                    continue
                return "different offices"
            if ma != mb and (ma | mb) & RANK_MODS:
                return "different offices"
            if ha in PORTFOLIO_HEADS and da and db and not (da & db) and not (
                    any(covers(x, db) for x in da)):
                return "different offices"
    return ""


# Heads that name an office by the field before them: "probation chief", "fire chief", "department head".
_FIELD_HEADS = _stems("chief head")
_NO_FIELD = _stems("chief senior top new former regional local national general overall joint county city state")


def _field(m: Mention, mods: frozenset[str]) -> set[str]:
    """The field words of a title, without the body that owns the office ("County probation chief"
    → probation)."""
    named = {w for o in m.orgs | m.owners | m.bodies for w in o.split()}
    return {w for w in mods if w not in named and w not in RANK_MODS and w not in _NO_FIELD}


# "an independent councillor" (no party) / "who represents the Coastal Alliance party"
_INDEPENDENT = re.compile(r"\bindependent\s+(?:councillor|candidate|member|MP|senator|deputy|politician|mayor|"
                          r"representative|lawmaker|legislator)\b")
_PARTY = re.compile(r"\b(?:[A-Z][\w'’-]+\s+){1,3}(?:[Pp]arty|Alliance|League|Front|Movement|Democrats)\b|"
                    r"\b(?:represents|member of|stood for|sits for|elected for)\s+(?:the\s+)?[A-Z][\w'’-]+")


def _demonym(nat: str, country: str, words) -> bool:
    """Whether a nationality adjective may belong to a country name ("Norwegian" ~ "Norway"):
    a shared stem, or close in the embedding space; unsure counts as a match."""
    if any(nat[:4] == w[:4] for w in country.split()):
        return True
    if words is None:
        return True
    return _similarity(words, nat, country) >= 0.7


def _stray_country(key: str, mentions, all_facts: Sequence[Facts]) -> list[Flag]:
    """A main voice of an article whose title names a country the article and corpus never
    otherwise mention, while the person speaks for a side ("we", "our") — likely a wrong title."""
    flags = []
    for f in {id(f): f for f, _ in mentions}.values():
        own = [p for ff, p in mentions if ff is f and p.via == "name"]
        if len(own) < 4:
            continue
        for p in own:
            if not p.countries or not (p.desc_terms & STATE_OFFICES):
                continue
            mentioned = sum(ff.places.get(c, 0) for ff in all_facts for c in p.countries)
            if mentioned > 1:
                continue
            voice = [q.sent for q in own if q is not p and re.search(r"\b(we|our|us)\b", q.sent.text, re.I)]
            voice = voice or [s for s in _sentences_after(f, p) if re.search(r"\b(we|our|us)\b", s.text, re.I)]
            if not voice:
                continue
            flags.append(_flag(
                "role_conflict",
                f"{p.name} is called “{p.desc}”, but that country appears nowhere else in the "
                "checked text, while the article has this person speak for another side (“we”, “our”).",
                [_cite_sent(f.doc, p.sent), _cite_sent(f.doc, voice[0])]))
            return flags
    return flags


_PERSONISH = re.compile(r"(er|or|ist|ian|ant|ent|man|woman|ee|ive|al|ain)$")


_ORG_NAME = r"(?P<org>(?:[A-Z][\w&'’-]*\s){0,3}[A-Z][\w&'’-]*)"
_PLACE_NAME = r"(?P<place>[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2})"
_BASED = [re.compile(p) for p in (
    # "Nordvind, a Danish company based in Aarhus", "Kumo Foods, a chain headquartered in Osaka"
    rf"{_ORG_NAME},\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,4}}?(?:based|headquartered)\s+in\s+"
    rf"(?:the\s+(?:nearby\s+)?(?:town|city|village)\s+of\s+)?{_PLACE_NAME}",
    # "Orvane, which is headquartered in Rotterdam", "Corvana, based in Arnesby"
    rf"{_ORG_NAME},\s+(?:(?:which|that)\s+is\s+)?(?:based|headquartered)\s+in\s+{_PLACE_NAME}",
    # "Kumo Foods, the Vancouver-based chain"
    rf"{_ORG_NAME},\s+(?:an?|the)\s+{_PLACE_NAME}-based\b",
    # "Dunmarsh-based drugmaker Velmora Therapeutics"
    rf"{_PLACE_NAME}-based\s+(?:[a-z][\w-]*\s+){{1,3}}{_ORG_NAME}",
)]
_MOVED = re.compile(r"\b(?:moved|moving|relocat\w*|formerly|previously|used to|earlier version|correction)\b", re.I)


def _base_flags(f: Facts) -> list[Flag]:
    """One organisation said to be based in two places ("Orvane, a Copenhagen-based logistics
    group" / "Orvane, which is headquartered in Rotterdam"), with no move told."""
    seen: dict[str, tuple[str, str, Sent]] = {}
    for s in f.sents:
        for rx in _BASED:
            for m in rx.finditer(s.text):
                org, place = m.group("org"), m.group("place")
                if org.split()[0] in {"The", "A", "An", "It", "Its"} or _MOVED.search(s.text):
                    continue
                key = terms(org)[0] if terms(org) else ""
                if not key:
                    continue
                if key not in seen:
                    seen[key] = (org, place, s)
                    continue
                org0, place0, s0 = seen[key]
                if s0 is not s and not _same(place0, place) and not (set(terms(place0)) & set(terms(place))):
                    return [_flag("role_conflict", f"{org0} is said to be based in {place0} and in {place}.",
                                  [_cite_sent(f.doc, s0), _cite_sent(f.doc, s)])]
    return []


_NAT_WORD = r"(?P<nat>[A-Z][a-z]+(?:ish|ian|ese|ch|an|i|ic))"
_OWNED = [re.compile(p) for p in (
    # "Voltaway, a Dutch-owned charging company"
    rf"{_ORG_NAME},\s+(?:an?|the)\s+{_NAT_WORD}-owned\b",
    # "Dutch-owned operator Voltaway"
    rf"\b{_NAT_WORD}-owned\s+(?:[a-z][\w-]*\s+){{1,3}}{_ORG_NAME}",
    # "Voltaway, which ... remains owned by its Norwegian founders"
    rf"{_ORG_NAME},\s+(?:which|that)\s+(?:[^;]{{0,60}}?\s)?(?:is|remains|was|has been)\s+(?:still\s+)?"
    rf"(?:wholly\s+|majority\s+|fully\s+|privately\s+)?owned\s+by\s+(?:its|their|an?|the)\s+{_NAT_WORD}\s+"
    r"(?:founders?|owners?|parent|family|investors?|group|company|shareholders?)\b",
)]
_SOLD = re.compile(r"\b(?:sold|bought|acquired|takeover|taken over|formerly|previously|until|now owned|"
                   r"new owners?)\b", re.I)


def _owner_country_flags(f: Facts) -> list[Flag]:
    """One organisation owned from two countries ("Voltaway, a Dutch-owned charging company" /
    "Voltaway, which ... remains owned by its Norwegian founders"), with no sale told."""
    seen: dict[str, tuple[str, str, Sent]] = {}
    for s in f.sents:
        if _SOLD.search(s.text):
            continue
        for rx in _OWNED:
            for m in rx.finditer(s.text):
                org, nat = m.group("org"), m.group("nat")
                if org.split()[0] in {"The", "A", "An", "It", "Its"} or not terms(org):
                    continue
                key = terms(org)[0]
                if key not in seen:
                    seen[key] = (org, nat, s)
                elif seen[key][2] is not s and seen[key][1] != nat:
                    org0, nat0, s0 = seen[key]
                    return [_flag("role_conflict", f"{org0} is said to be {nat0}-owned and owned by {nat} owners.",
                                  [_cite_sent(f.doc, s0), _cite_sent(f.doc, s)])]
    return []


def _nationality_flags(f: Facts) -> list[Flag]:
    """One person given two nationalities through descriptions: "The ship's master, a 52-year-old
    Ukrainian" ... "The Polish master"; "Salcedo, the Uruguayan winger" ... "The Colombian
    international said" (a sentence naming no one, whose nationality the article gives nobody else,
    about its main person)."""
    flags: list[Flag] = []
    found = []  # (head lemma, nationality, sentence, aged, subject-without-name, person key)
    for s in f.sents:
        d = nlp.parse(s.text)
        persons = [e for e in d.ents if e.label_ == "PERSON"]
        for e in d.ents:
            if e.label_ not in {"NORP", "GPE", "LANGUAGE"} or len(e) != 1 or e.text.endswith("s") or \
                    not re.search(r"(an|ese|ish|ch|i)$", e.text.lower()):
                continue  # a demonym (the small parser sometimes takes one for a place)
            tok = e.root
            head = tok.head if tok.dep_ in {"amod", "compound", "appos"} else None
            if head is None or head.pos_ not in {"NOUN", "ADJ"} or head.tag_ in {"NNS", "NNPS"}:
                continue
            lemma = head.lemma_.lower()
            if stem(lemma) in GENERIC_BODIES or stem(lemma) in ORG_NOUNS or not _PERSONISH.search(lemma):
                continue
            np = list(head.subtree)
            aged = bool(re.search(r"\d+-year-old", s.text[np[0].idx:np[-1].idx + len(np[-1].text)]))
            definite = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ == "the") for c in head.children)
            named = head.head if head.dep_ == "appos" and head.head.pos_ == "PROPN" else None
            key = named.text if named is not None else ""
            bare = definite and not persons and head.dep_ in {"nsubj", "nsubjpass"} and named is None
            found.append((lemma, e.text.lower(), s, aged or named is not None, bare, key))
    done = set()
    for i, (la, na, sa, aged_a, _, ka) in enumerate(found):
        for lb, nb, sb, aged_b, _, kb in found[i + 1:]:
            if sa is sb or na == nb or (sa.i, sb.i) in done:
                continue
            same_role = la == lb and (aged_a or aged_b) and not (ka and kb and ka != kb)
            if same_role:
                done.add((sa.i, sb.i))
                flags.append(_flag("role_conflict",
                                   f"The same {la} is called {na.capitalize()} in one place and {nb.capitalize()} "
                                   "in another (different countries).",
                                   [_cite_sent(f.doc, sa), _cite_sent(f.doc, sb)]))
    # a nameless "The Colombian international said" about the article's main person
    counts = {k: len(re.findall(rf"\b{re.escape(k)}\b", f.doc.text)) for *_, k in found if k}
    described = {k for k, n in counts.items() if n >= 3}
    if described:
        main = max(described, key=counts.get)
        known = [(n, s) for _, n, s, _, _, k in found if k == main]
        for _, n, s, _, bare, _ in found:
            if not bare or any(n == kn for kn, _ in known):
                continue
            if len(re.findall(rf"\b{re.escape(n)}\b", f.doc.text, re.I)) > 1:
                continue  # the article has someone of that nationality
            flags.append(_flag("role_conflict",
                               f"The article's main person is {known[0][0].capitalize()} in one place; a "
                               f"sentence naming no one else calls them {n.capitalize()}.",
                               [_cite_sent(f.doc, known[0][1]), _cite_sent(f.doc, s)]))
            break
    return flags


def _sentences_after(f: Facts, p: Mention) -> list[Sent]:
    out = []
    for s in f.sents:
        if s.start >= p.sent.end and re.search(rf"\b{re.escape(p.name.split()[-1])}\b",
                                               f.doc.text[max(0, s.start - 400):s.end]):
            out.append(s)
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


def _same_story(fa: Facts, fb: Facts) -> bool:
    """Two articles share at least two proper names (places, people, bodies)."""
    return fa is fb or len(fa.proper & fb.proper) >= 2


_TARGET_WORDS = r"(?:target|goal|limit|standard|threshold|benchmark|cap|ceiling|maximum|minimum)"


def _target(g: Figure) -> bool:
    """"The national target is 15 minutes", "the 30-minute target": a figure set as a standard,
    not a measured value of the thing."""
    after = g.sent.text[g.span.end:g.span.end + 30]
    before = g.sent.text[max(0, g.span.start - 30):g.span.start]
    return bool(re.match(rf"[\s-]*(?:[a-z]+\s+)?{_TARGET_WORDS}\b", after, re.I)
                or re.search(rf"\b{_TARGET_WORDS}\s+(?:is|was|of|at|remains)\s+(?:just\s+|only\s+)?$", before, re.I))


def number_flags(all_facts: Sequence[Facts], words) -> list[Flag]:
    """Different values for the same quantity of the same holder, and shares or sums that do not
    add up."""
    flags = []
    from . import arithmetic  # imports this module's helpers

    # "212 state schools" / "148 ... more money, while 64 ... frozen": parts that make a total
    # exactly are its parts, not rival values for it
    parted = {pair for f in all_facts for pair in arithmetic.partitions(f)}
    figs = [(f, g) for f in all_facts for g in f.figures
            if g.span.unit and extract.definite(g.span.text) and not (g.old or g.ranged or g.part or g.share)
            and g.noun != "age" and not _compound(g) and not _target(g)
            and not re.match(r"(st|nd|rd|th)\b", g.sent.text[g.span.end:g.span.end + 3])]  # "the 23rd minute"
    seen: set[tuple[int, int]] = set()
    vectors: dict[int, list[float]] = {}

    def similar(x: Sent, y: Sent) -> float:
        for sent in (x, y):
            if id(sent) not in vectors:
                vectors[id(sent)] = words.embedder.embed([sent.text], "document")[0]
        return sum(p * q for p, q in zip(vectors[id(x)], vectors[id(y)]))

    def present(f: Facts, g: Figure) -> bool:
        """The article has this value somewhere (so the two articles agree on it)."""
        return any(h.span.value == g.span.value and ("percent" in h.span.unit) == ("percent" in g.span.unit)
                   for h in f.figures)

    for i, (fa, a) in enumerate(figs):
        for fb, b in figs[i + 1:]:
            if a.sent is b.sent or (id(a), id(b)) in parted or (id(b), id(a)) in parted:
                continue
            if a.hedged != b.hedged and not (fa is fb and _refers_back(b if b.sent.i > a.sent.i else a)):
                continue  # a forecast and an outcome; "the cut of 430 jobs" may name the plan itself
            if fa is not fb and not _same_story(fa, fb):
                continue
            pct = "percent" in a.span.unit
            if pct != ("percent" in b.span.unit):
                continue
            if pct and (a.verb != b.verb or not a.verb) and not _same_change(a, b):
                continue  # rates and shares of different things share the word "percent"
            if _SHARE_SCOPE.search(a.sent.text[a.span.end:a.span.end + 40]) or \
                    _SHARE_SCOPE.search(b.sent.text[b.span.end:b.span.end + 40]):
                continue  # "41 of the vessels", "among them": parts of another count
            if _rate(a) != _rate(b):
                continue  # "$18 million a day" is not "$18 million"
            if _aggregate(a) != _aggregate(b):
                continue  # "a combined capacity of 400 MW" over several things is not one thing's figure
            if _kinds_of(a) and _kinds_of(b) and not _kinds_of(a) & _kinds_of(b):
                continue  # "one-bedroom flats averaged 930" / "1,420 for a two-bedroom flat"
            if not a.noun or not b.noun:
                continue
            workforce = fa is fb and _workforce(a.noun) and _workforce(b.noun)
            noun_ok = workforce or _same_noun(a.noun, b.noun, words) or (pct and _same_change(a, b))
            if not noun_ok and not (fa is fb and _related_noun(a, b, words)):
                continue
            if a.holder and b.holder and not _same(a.holder, b.holder):
                continue  # the same measure of two different subjects
            if a.times and b.times and not (a.times & b.times):
                continue  # different years or periods
            if compatible(a.span, b.span):
                continue
            if fa is fb and any(h.old and h.span.value in (a.span.value, b.span.value) for h in fa.figures):
                continue  # "up from 3.5 million last year": that value is the earlier one, said so
            hi = max(a.span.value or 0, b.span.value or 0)
            lo = min(a.span.value or 0, b.span.value or 0)
            if lo <= 0 or hi / lo > 3:
                continue
            shared = (a.context & b.context) - {_lemma_word(a.noun), _lemma_word(b.noun)}
            shared = {t for t in shared if t not in _TIME_WORDS and t not in _SCALE_WORDS
                      and t not in _CURRENCIES}
            same_measure = bool(a.measure & b.measure)
            if fa is fb:
                # Within one article two figures of one noun are usually two things (a price and a
                # closing price, two schools' rolls); one quantity needs evidence that it is one:
                # a definite mention that refers back ("the 1,420 participants") or the article's
                # only two plain counts of it.
                first, later = (a, b) if a.sent.i <= b.sent.i else (b, a)
                subset = _restricted(later, first) and (later.span.value or 0) <= (first.span.value or 0)
                ok = (_refers_back(later, first, words) and not subset
                      and not _valued_elsewhere(fa, later, first, words)) \
                    and (noun_ok or hi / lo <= 1.5) \
                    and (not a.noun.startswith("money:") or _same_spend(a, b, words) or _transposed(a, b)
                         or (hi / lo <= 1.5 and not _generic_sum(later)))
                ok = ok or noun_ok and (not a.noun.startswith("money:") and hi / lo <= 1.5 and _only_pair(fa, a, b, words))
            else:
                if present(fa, b) or present(fb, a):
                    continue  # each article also has the other's value: they are different things
                money = a.noun.startswith("money:")
                ok = len(shared) >= 2 or same_measure \
                    or (shared and similar(a.sent, b.sent) >= SAME_STATEMENT) \
                    or (not money and _only_count(fa, a, words) and _only_count(fb, b, words)) \
                    or (money and hi / lo <= 1.5 and _largest(fa, a) and _largest(fb, b))
            if not ok:
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
        flags.extend(_share_flags(f))
        flags.extend(_sum_flags(f, words))

        taken = [{(c.start, c.end) for c in x.citations} for x in flags if x.kind == "number_conflict"]
        for x in arithmetic.flags(f, words):
            cited = {(c.start, c.end) for c in x.citations}
            if not any(cited & t for t in taken):  # the rules already flagged these figures
                flags.append(x)
    return flags


_EVENT_OF = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir|[A-Z][\w-]*['’]s)\s+(?:[\w-]+\s+)?(?P<noun>[a-z]+)\s+of\s+$")
_NOT_SAME = re.compile(r"\b(other|remaining|rest|first|last|additional|further|extra|new|next|previous|"
                       r"original|initial|earlier|latest|final|top|bottom|biggest|largest|smallest|"
                       r"another|same|current|revised|combined|total)\b", re.I)


_DOWNWARD = re.compile(r"\b(?:fell|fall|falls|falling|fallen|drop(?:s|ped|ping)?|declin\w*|decreas\w*|down|slump\w*|"
                       r"slid|slipped|shr[iau]nk\w*|lower)\b", re.I)
_UPWARD = re.compile(r"\b(?:rose|rise|rises|rising|risen|increas\w*|grew|grow\w*|up|climb\w*|jump\w*|gain\w*|"
                     r"higher)\b", re.I)


def _direction(g: Figure) -> str:
    """Which way a percentage moves, told right beside it ("fell 4.2 percent", "the 2.4 percent
    decline"): "down", "up" or ""."""
    text = g.sent.text
    near = text[max(0, g.span.start - 20):g.span.start] + " " + text[g.span.end:g.span.end + 20]
    down, up = bool(_DOWNWARD.search(near)), bool(_UPWARD.search(near))
    return "down" if down and not up else "up" if up and not down else ""


def _same_change(a: Figure, b: Figure) -> bool:
    """Two percentage changes the same way, of things the two sentences name alike: "same-store
    sales ... fell 4.2 percent" / "the 2.4 percent decline in same-store sales"."""
    if not _direction(a) or _direction(a) != _direction(b):
        return False
    shared = (a.context & b.context) - _TIME_WORDS - _stems("percent percentage year said say")
    return len(shared) >= 2


def _refers_back(g: Figure, first: Figure | None = None, words=None) -> bool:
    """A definite mention of a figure presupposes one already given: "the 2,400 drivers",
    "its 2,900 members", "the cut of 430 jobs", "the national average of 5.8 tonnes" (when
    ``first`` is given, a named measure must be what the first figure measures)."""
    before = g.sent.text[max(0, g.span.start - 40):g.span.start]
    if _NOT_SAME.search(before[-25:]) or re.match(r"\s*(of|out of|among)\b", g.sent.text[g.span.end:]):
        return False
    if re.search(r"\d\s+(?:of|out of)\s+(?:the|its|their)\s+$", before):
        return False  # the whole of a share ("41 of the 80 seats") is named for the share
    if re.search(r"\bat\s+(?:the\s+)?$", before):
        return False  # a point, not an amount: "at the 30-kilometre mark"
    m = _EVENT_OF.search(before)
    if m:
        if first is None:
            return True
        noun = _lemma_word(m.group("noun"))
        if noun in first.context or noun in first.measure:
            return True
        verb = re.search(rf"\b{re.escape(first.verb)}\w*", first.sent.text, re.I) if first.verb else None
        return bool(verb) and words is not None and _similarity(words, m.group("noun"), verb.group()) >= 0.45
    d = nlp.parse(g.sent.text)
    toks = [t for t in d if g.span.start <= t.idx < g.span.end]
    if not toks:
        return False
    noun = toks[-1].head if toks[-1].dep_ in {"nummod", "compound", "amod"} else None
    if noun is None or noun.pos_ != "NOUN" or noun.i < toks[-1].i:
        return False
    if noun.dep_ in {"compound", "amod"} and noun.head.pos_ == "NOUN" and noun.head.i > noun.i:
        noun = noun.head  # "the 420-hectare site"
    # the noun phrase's own determiner or possessor, before the number: "the 2,400 drivers"
    return any(c.i < toks[0].i and (c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in
               {"the", "this", "these", "those"})) for c in noun.children)


def _kinds_of(g: Figure) -> set[str]:
    """Sorts named by a hyphenated count in the figure's sentence ("one-bedroom", "3-bed",
    "two-year"), kept with what they count so that only rival sorts of one thing differ."""
    return {m.group().lower() for m in re.finditer(
        r"\b(?:one|two|three|four|five|six|\d+)-(?:bed(?:room)?|room|seat(?:er)?|storey|door|star|year|day|week|month)s?\b",
        g.sent.text, re.I)}


def _restricted(g: Figure, first: Figure) -> bool:
    """"the 340,000 customers who use prepayment meters": a definite narrowed by something the
    first figure did not say names a subset (which may not exceed the whole); "the 120,000
    chargers covered by the recall" after "recalling 210,000 chargers" names the same whole."""
    d = nlp.parse(g.sent.text)
    toks = [t for t in d if g.span.start <= t.idx < g.span.end]
    if not toks or toks[-1].dep_ not in {"nummod", "compound", "amod"}:
        return False
    noun = toks[-1].head
    if noun.tag_ in {"NN", "NNP"}:
        return False  # one thing ("the $12.8 million contract on a 4-1 vote") has no subset
    for c in noun.children:
        if c.i > noun.i and (c.dep_ in {"relcl", "acl"} or (c.dep_ == "prep" and c.lower_ != "of")) \
                and d[c.i - 1].text != ",":
            # "the 2,900 doses given during the fortnight": a span of time alone narrows nothing
            # the clause's own period check would not catch
            words = {_lemma(t) for t in c.subtree if t.pos_ in {"NOUN", "VERB", "PROPN", "ADJ"}} \
                - _as_lemmas(_GENERIC_VERBS | _PERIODS)
            if words and not words & first.context:
                return True
    return False


def _valued_elsewhere(f: Facts, later: Figure, first: Figure, words) -> bool:
    """The definite figure refers to another: its value is given earlier for this noun, or is the
    sum of earlier counts of it ("12 routes ... the remaining 19 ... the 31 routes")."""
    earlier = [h for h in f.figures if h is not later and h.sent.i <= later.sent.i and h.noun
               and _same_noun(h.noun, later.noun, words) and h.span.value]
    v = later.span.value
    if any(h is not first and h.span.value == v for h in earlier):
        return True
    return any(abs(x.span.value + y.span.value - v) < 1e-6 for i, x in enumerate(earlier) for y in earlier[i + 1:])


def _aggregate(g: Figure) -> bool:
    near = g.sent.text[max(0, g.span.start - 60):g.span.end + 30]
    return bool(re.search(r"\b(combined|altogether|in total|in all|between them|together)\b", near, re.I))


def _rate(g: Figure) -> str:
    m = _RATE.match(g.sent.text[g.span.end:g.span.end + 40])
    return m.group(2).lower() if m else ""


def _lemma_word(noun: str) -> str:
    return stem(noun.split(":")[-1])


def _same_noun(a: str, b: str, words) -> bool:
    if a.startswith("money:") or b.startswith("money:"):
        return a == b
    return words.same(a, b)


def _transposed(a: Figure, b: Figure) -> bool:
    """Two values with the same digits in another order ("412" / "421"): a copying slip."""
    da = re.sub(r"\D", "", a.span.text)
    db = re.sub(r"\D", "", b.span.text)
    return len(da) >= 2 and da != db and sorted(da) == sorted(db)


def _same_spend(a: Figure, b: Figure, words) -> bool:
    """Two sums of money are one sum only when they measure the same thing (a budget, a loss):
    "the £9 million figure" is not "a loss of £12 million"."""
    ma, mb = a.measure - _GENERIC_SUMS, b.measure - _GENERIC_SUMS
    if ma & mb:
        return True
    return words is not None and any(_similarity(words, x, y) >= 0.5 for x in ma for y in mb)


_GENERIC_SUMS = _stems("figure figures sum sums amount amounts total number")


def _generic_sum(g: Figure) -> bool:
    """"The £9 million figure": a sum named only as a figure could be any earlier one."""
    after = re.match(r"\s*(?:[a-z]+\s+)?([a-z]+)", g.sent.text[g.span.end:])
    return bool(after) and stem(after.group(1)) in _GENERIC_SUMS


def _related_noun(a: Figure, b: Figure, words) -> bool:
    """Nouns close enough that a definite back-reference may use one for the other
    ("enrolled 1,240 patients" ... "the 1,420 participants"; "2,600 member farms" ... "its
    2,900 members"; "240 hectares" ... "the 420-hectare site")."""
    if a.noun.startswith("money:") or b.noun.startswith("money:") or words is None:
        return False
    if a.span.unit[:1] and b.span.unit[:1] and stem(a.span.unit[0]) == stem(b.span.unit[0]) \
            and "percent" not in a.span.unit[:1]:
        return True
    return _similarity(words, a.noun.lower(), b.noun.lower()) >= 0.4


def _only_count(f: Facts, g: Figure, words) -> bool:
    """The article gives one figure of this order for this counted noun: so two articles'
    figures for it on the same story must be figures for the same thing."""
    v = g.span.value or 0
    return sum(1 for h in f.figures if h.noun and _same_noun(h.noun, g.noun, words) and h.span.value
               and v and max(v, h.span.value) / min(v, h.span.value) <= 3) == 1


def _only_pair(f: Facts, a: Figure, b: Figure, words) -> bool:
    """The article counts this thing exactly twice, both times as a plain total (no change, part,
    share, range or forecast): the two counts of one whole ("will use 48 turbines" ... "the farm's
    52 turbines")."""
    if _workforce(a.noun) and _workforce(b.noun):
        same = [h for h in f.figures if h.noun and _workforce(h.noun)]
    else:
        same = [h for h in f.figures if h.noun and _same_noun(h.noun, a.noun, words)]
    if not (len(same) == 2 and {id(h) for h in same} == {id(a), id(b)} and a.sent.i != b.sent.i):
        return False
    ca = {_VERB_CLASS.get(m) for m in a.measure} - {None}
    cb = {_VERB_CLASS.get(m) for m in b.measure} - {None}
    if ca and cb and not ca & cb:
        return False  # "21,000 finished" and "23,400 had started": two stages of one thing
    return _whole_count(a) and _whole_count(b)


# Nouns that count one workforce: "320 jobs" and "450 workers" measure the same thing.
_WORKFORCE_NOUNS = _stems("job jobs worker workers employee employees staff position positions post posts")


def _workforce(noun: str) -> bool:
    return stem(noun.lower()) in _WORKFORCE_NOUNS


def _whole_count(g: Figure) -> bool:
    """A count of things held ("will use 48 turbines", "the farm's 52 turbines"), not a position
    or a span ("after 35 kilometres", "at the 30-kilometre mark")."""
    d = nlp.parse(g.sent.text)
    toks = [t for t in d if g.span.start <= t.idx < g.span.end]
    if not toks or "-" in g.sent.text[g.span.end:g.span.end + 1]:
        return False
    noun = toks[-1].head
    if noun.pos_ != "NOUN" or noun.tag_ != "NNS":
        return False
    # "after 35 kilometres" is a position; "of"/"as"/"among" introduce the counted things themselves
    return not (noun.dep_ == "pobj" and noun.head.lower_ not in {"of", "as", "among", "with", "like", "including"})


def _largest(f: Facts, g: Figure) -> bool:
    """The article's largest amount in this currency (a story's headline cost or price)."""
    return all((h.span.value or 0) <= (g.span.value or 0) for h in f.figures
               if h.noun == g.noun and not h.hedged)


def _share_flags(f: Facts) -> list[Flag]:
    """A share that does not match its part and whole: in one sentence ("18 of the 240 batches,
    or 12 percent"; "Of the 17 injured, 5 ..., or 40 percent"), against a total elsewhere ("256
    million euros of the total, or 35 percent"), or a percentage of a thing counted elsewhere
    ("18 of the 240 batches" ... "the recalled batches, about 12 percent of output")."""
    flags = []
    flagged: set[int] = set()

    def check(part: float, whole: float, pct: float, cites, text: str, slack: float = 0.0) -> None:
        if whole <= 0 or part > whole:
            return
        actual = part / whole * 100
        # rounded inputs ("about 360,000", "2.4 million") move the share by a point or so
        if abs(actual - pct) > 0.6 + slack and abs(actual - pct) / max(pct, actual, 1) > 0.08:
            flags.append(_flag("number_conflict",
                               f"{text} is {actual:.0f} percent, not {pct:g} percent.", cites))

    for s in f.sents:
        for part, whole, pct, text in _stated_shares(s.text):
            before = len(flags)
            check(part, whole, pct, [_cite_sent(f.doc, s)], text, slack=0.5)
            if len(flags) > before:
                flagged.add(id(s))
        if id(s) in flagged:
            continue
        for m in list(_SHARE.finditer(s.text)) + list(_OF_THE.finditer(s.text)):
            part = float(m.group("part").replace(",", ""))
            whole = float(m.group("whole").replace(",", ""))
            pct = float(m.group("pct"))
            before = len(flags)
            check(part, whole, pct, [_cite_sent(f.doc, s)], f"{m.group('part')} of {m.group('whole')}")
            if len(flags) > before:
                flagged.add(id(s))
    for g in f.figures:
        m = _PART_OF_TOTAL.search(g.sent.text, max(0, g.span.start - 2))
        if not m or m.start() > g.span.end or id(g.sent) in flagged:
            continue
        part, pct, unit = g.span.value or 0, float(m.group("pct")), m.group("unit").lower()
        totals = [t for t in f.figures if t is not g and (t.span.value or 0) > part
                  and t.span.unit and stem(t.span.unit[0]) == stem(unit) and "percent" not in t.span.unit]
        if not totals or part <= 0:
            continue
        best = min(totals, key=lambda t: abs(part / t.span.value * 100 - pct))
        check(part, best.span.value, pct, [_cite_sent(f.doc, g.sent), _cite_sent(f.doc, best.sent)],
              f"“{g.span.text} {unit}” of “{best.span.text} {unit}”")
        flagged.add(id(g.sent))
    # A part-of-whole in one sentence, a percentage of the same counted thing in another.
    parts = []
    for s in f.sents:
        for m in _PART_OF.finditer(s.text):
            if re.search(r"\d\s?(%|percent|per cent)", s.text[m.end():m.end() + 60]):
                continue
            parts.append((s, float(m.group("part").replace(",", "")), float(m.group("whole").replace(",", "")),
                          stem(m.group("noun"))))
    for s, part, whole, noun in parts:
        for g in f.figures:
            if g.sent is s or "percent" not in g.span.unit or id(g.sent) in flagged or g.hedged:
                continue
            head = g.sent.text[:g.span.start]
            if noun not in set(terms(head)) or not re.match(r"\s*of\b", g.sent.text[g.span.end:]
                                                             .replace("percent", "", 1).replace("per cent", "", 1)):
                continue
            if next(h for h in f.figures if h.sent is g.sent) is not g:
                continue
            before = len(flags)
            check(part, whole, g.span.value or 0, [_cite_sent(f.doc, s), _cite_sent(f.doc, g.sent)],
                  f"{part:,.0f} of {whole:,.0f} {noun}")
            if len(flags) > before:
                flagged.add(id(g.sent))
    return flags


# "A, or P percent of (the|its) B" and "Of the B ..., A, or P percent": a share stated with its part
# and whole, in any scale ("42 million marks, or 19 percent of its 310-million-mark grant").
_BEFORE_SHARE = re.compile(r"^[^.;:()]{0,60}?,\s*(?:or|which is|equal to|representing|accounting for|"
                           r"amounting to)\s*$", re.I)
_SHARE_OF_WHOLE = re.compile(r"^\s*of\s+(?:the|its|their|his|her|all|a|an|this|last|next)?\s*"
                             r"(?:[\w’'-]+\s+){0,3}?$", re.I)
_WHOLE_FIRST = re.compile(r"^\s*(?:Of|Out of)\s+(?:the|its|their|all|a total of)?\s*$")


def _stated_shares(text: str) -> list[tuple[float, float, float, str]]:
    qs = extract.quantities(text)
    out = []
    for i, p in enumerate(qs):
        if "percent" not in p.unit[:1] or i == 0:
            continue
        a = qs[i - 1]
        if "percent" in a.unit[:1] or not a.value or not _BEFORE_SHARE.match(text[a.end:p.start]):
            continue
        b = qs[i + 1] if i + 1 < len(qs) else None
        if b is not None and "percent" not in b.unit[:1] and _SHARE_OF_WHOLE.match(text[p.end:b.start]):
            units_a = {stem(w) for w in a.unit[:2] if w != "percent"}
            units_b = {stem(w) for w in b.unit[:3]}
            if units_a and not units_a & units_b and not (a.text[:1] in "$€£¥" and b.text[:1] == a.text[:1]):
                continue  # "30 staff, or 5 percent of its 2 million budget" compares two things
            out.append((a.value, b.value or 0, p.value or 0, f"“{a.text}” of “{b.text}”"))
        elif qs[0] is not a and _WHOLE_FIRST.match(text[:qs[0].start]) and "percent" not in qs[0].unit[:1]:
            out.append((a.value, qs[0].value or 0, p.value or 0, f"“{a.text}” of “{qs[0].text}”"))
    return out


def _sum_flags(f: Facts, words) -> list[Flag]:
    """Parts listed together ("700 jobs at Lindau and 400 at Kessel") that do not make the total
    the article gives for the same thing ("cut 1,200 jobs")."""
    flags = []
    by_sent: dict[int, list[Figure]] = defaultdict(list)
    for g in f.figures:
        if g.part and not g.hedged and "percent" not in g.span.unit:
            by_sent[id(g.sent)].append(g)
    for parts in by_sent.values():
        if len(parts) < 2 or re.search(r"\b(including|includ\w+|among|such as)\b", parts[0].sent.text):
            continue
        if any(re.search(r"\b(every|each|per)\s+$", p.sent.text[max(0, p.span.start - 8):p.span.start]) for p in parts):
            continue  # "every six minutes ... every ten minutes": alternatives, not parts
        noun = parts[0].noun
        if not noun or any(p.noun and p.noun != noun and not re.match(r"\s*(at|in|for|to|from)\b",
                                                                      p.sent.text[p.span.end:]) for p in parts[1:]):
            continue
        total = sum(p.span.value or 0 for p in parts)
        cands = [t for t in f.figures if t.sent is not parts[0].sent and not t.part and not t.old
                 and not t.ranged and t.noun and (_same_noun(t.noun, noun, words) or (
                     stem(t.noun) not in _TIME_WORDS and stem(noun) not in _TIME_WORDS
                     and (_related_noun(t, parts[0], words)
                          or re.search(rf"\b{re.escape(t.noun)}\b", parts[0].sent.text, re.I))))
                 and (not noun.startswith("money:") or re.search(
                     r"\b(total|overall|budget|in all|altogether|combined|package|whole)\b", t.sent.text, re.I))
                 and "percent" not in t.span.unit and (t.span.value or 0) > max(p.span.value or 0 for p in parts)]
        if not cands:
            continue
        if any(_sum_ok(total, t, parts) for t in cands):
            continue
        best = min(cands, key=lambda t: (not re.search(r"[.!?\"”]$", t.sent.text.strip()),
                                         abs((t.span.value or 0) - total)))
        v = best.span.value or 0
        if not (0.75 * v <= total <= 1.25 * v):
            continue
        flags.append(_flag("number_conflict",
                           f"The parts ({' + '.join(p.span.text for p in parts)} = {total:,.0f}) do not "
                           f"make the total given for the same thing (“{best.span.text}”).",
                           [_cite_sent(f.doc, best.sent), _cite_sent(f.doc, parts[0].sent)]))
    return flags


def _sum_ok(total: float, t: Figure, parts: list[Figure]) -> bool:
    lo, hi = interval(t.span)
    slack = 0.03 * total if any(p.span.qualifier for p in parts) else 0.005 * total
    return lo - slack <= total <= hi + slack


def attribution_flags(all_facts: Sequence[Facts], words=None) -> list[Flag]:
    """The same figure, or the same quotation, credited to different sources."""
    flags = []
    figs = [(f, g) for f in all_facts for g in f.figures
            if g.source and g.origin and extract.definite(g.span.text)
            and ((g.span.value or 0) >= 10 or "." in g.span.text)]
    seen = set()
    for i, (fa, a) in enumerate(figs):
        for fb, b in figs[i + 1:]:
            if a.span.value != b.span.value or a.sent is b.sent or _same(a.source, b.source):
                continue
            if ("percent" in a.span.unit) != ("percent" in b.span.unit):
                continue
            if fa is not fb and not _same_story(fa, fb):
                continue
            shared = (set(terms(a.sent.text)) & set(terms(b.sent.text))) - {
                t for t in terms(a.span.text)}
            if not (a.noun and b.noun and stem(a.noun) == stem(b.noun)) and len(shared) < 2:
                continue
            if _same(a.source, b.sent.text) or _same(b.source, a.sent.text):
                continue  # one sentence names both sources: a chain of attribution, not a clash
            if (id(a.sent), id(b.sent)) in seen:
                continue
            seen.add((id(a.sent), id(b.sent)))
            flags.append(_flag("attribution_conflict",
                               f"“{a.span.text}” is credited to {a.source} and to {b.source}.",
                               [_cite_sent(fa.doc, a.sent), _cite_sent(fb.doc, b.sent)]))
    quotes = []
    for f in all_facts:
        for s in f.sents:
            for m in re.finditer(r"[\"“]([^\"”]{25,})[\"”]", s.text):
                speaker = _source(s.text)[1] or _speaker(s.text) or _reporting_subject(s.text) \
                    or _statement_owner(s.text[:m.start()])
                if speaker:
                    quotes.append((f, s, " ".join(terms(m.group(1))), speaker))
    for i, (fa, sa, qa, pa) in enumerate(quotes):
        for fb, sb, qb, pb in quotes[i + 1:]:
            if qa and (qa == qb or len(min(qa, qb, key=len).split()) >= 4 and (f" {qa} " in f" {qb} " or f" {qb} " in f" {qa} ")) \
                    and sa is not sb and not _same(pa, pb) \
                    and not (_same(pa, sb.text) or _same(pb, sa.text)):
                flags.append(_flag("attribution_conflict",
                                   f"The same quotation is credited to {pa} and to {pb}.",
                                   [_cite_sent(fa.doc, sa), _cite_sent(fb.doc, sb)]))
    for f in all_facts:
        flags.extend(_credit_back_flags(f, words))
        flags.extend(_echo_flags(f))  # a pair both find is collapsed in audit()
    return flags


# A sentence that credits a statement or a figure to someone, so that it can be compared with
# the sentence that first gave it: "Reiss, whose warning that the cut was ... was repeated",
# "Oberhuber, who first disclosed that ...", "The saving ... was first calculated by Aldwych",
# "The weather service's forecast that ...", "pointing to its own estimate that ...", "the 8
# percent cut, which Baltic Crest calculated", "a figure produced by her group's own analysis".
_STATEMENT_NOUNS = r"(?:warning|comment|remark|claim|words|description|phrase|prediction|estimate|" \
    r"forecast|line|assessment|calculation|quip|verdict|complaint|observation|statement|assertion|" \
    r"suggestion|characteri[sz]ation|figure|admission|promise|pledge|boast|joke|threat|analysis|" \
    r"investigators|researchers|calculations|figures|study|research|modelling|modeling|survey|projection|" \
    r"evaluation|review|report|audit|poll)"
_NAME = r"(?P<who>(?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’-]+|[Tt]he\s(?:[\w'’-]+\s){0,3}?[\w'’-]+)"
_ORIGIN_PARTICIPLES = r"(?:given|calculated|published|put forward|reported|released|disclosed|" \
    r"revealed|estimated|quoted|cited|issued|announced|suggested|proposed|floated|coined|compiled|produced|made|" \
    r"drawn up|set out|prepared|written|carried out|conducted)"
_BY_WHO = r"(?:the\s+)?(?P<who>[^,.;]+?)(?=\s+(?:at|in|on|during|after|before|which|who|when|and|of|for)\b|[,.;]|$)"
_CREDIT_BACK = [
    # "The 40 percent figure was his, he said", "the attendance forecast of a 20 percent rise was her own"
    re.compile(rf"\b(?P<what>(?:[Tt]he|[Tt]hat|[Tt]his)\s+[^,;]{{0,80}}?\b{_STATEMENT_NOUNS}\b[^,;]{{0,60}}?)\s+"
               r"(?:was|is|had been)\s+(?P<who>his|her|their|its)(?:\s+own)?(?=\s*[,.;]|\s+(?:and|but)\b)"),
    re.compile(rf"{_NAME},\s+(?:[^,]{{0,60}},\s+)?whose\s+(?P<what>(?:own\s+)?(?:[\w-]+\s+){{0,2}}?"
               rf"{_STATEMENT_NOUNS}\b.+?)(?:,|\s+(?:was|were|had|has|have|is|are)\s+(?:\w+ly\s+)?(?:been\s+)?\w+(?:ed|en|wn)\b|"
               r"\s+(?:drew|prompted|caused|became|appeared|made|won|sparked|echoed)\b)"),
    re.compile(rf"{_NAME},\s+(?:[^,]{{0,60}},\s+)?who\s+(?:(?:first|originally|initially)\s+\w+|announced|"
               r"disclosed|revealed|unveiled|released|published)\s+(?:that\s+)?(?P<what>[^,;]+)"),
    # "X, an analyst at Y, which conducted the survey": "which" is Y's, "who" is X's
    re.compile(rf"{_NAME},\s+(?:(?:[^,]{{0,60}},\s+)?who|which)\s+(?:first\s+)?(?:produced|made|published|issued|"
               r"gave|drew up|calculated|compiled|conducted|carried out|ran)\s+(?P<what>(?:the|an?)\s+(?:\w+\s+)?"
               r"(?:estimate|figure|forecast|calculation|projection|analysis|survey|study|poll|audit|census)\b[^,;]*)"),
    re.compile(rf"(?P<what>(?:[^,;]|(?<=\d),(?=\d)){{3,120}}?),?\s+(?:a\s+figure\s+|which\s+was\s+|was\s+|were\s+)?(?:first\s+|originally\s+|"
               rf"initially\s+)?{_ORIGIN_PARTICIPLES}\s+(?:\w+ly\s+)?by\s+{_BY_WHO}"),
    re.compile(r"(?P<what>[^,;]{3,120}?),\s+which\s+(?P<who>(?:the\s+)?[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*){0,3})\s+"
               r"(?:first\s+)?(?:calculated|estimated|produced|published|forecast|projected|compiled|put)\b"),
    re.compile(r"(?P<who>(?:[Tt]he\s)?(?:[\w-]+\s){0,3}?[\w-]+)['’]s\s+(?:own\s+)?(?:[\w-]+\s+)?"
               r"(?:forecast|estimate|prediction|projection|calculation|warning|claim|figure|analysis|finding|"
               r"conclusion)\s+(?:that|of)\s+(?P<what>[^;]+)"),
    re.compile(rf"\b(?P<who>its|their|his|her)\s+own\s+(?:[\w-]+\s+)?{_STATEMENT_NOUNS}\b(?P<what>[^;]*)"),
    # "The trust's own laboratory produced the 420 BC estimate"
    re.compile(r"(?P<who>(?:[Tt]he\s)?(?:[\w-]+\s){0,3}?[\w-]+)['’]s\s+own\s+(?:[\w-]+\s+)?(?:laboratory|lab|team|"
               r"researchers|scientists|analysts|staff|experts|economists|statisticians|engineers)\s+(?:first\s+)?"
               r"(?:produced|made|calculated|drew up|compiled|came up with|arrived at|reached|published)\s+"
               rf"(?P<what>(?:the|its|their|an?)\s+[^,;]*?\b{_STATEMENT_NOUNS}\b[^,;]*)"),
    re.compile(rf"(?P<what>[^,;]{{3,120}}?),\s+which\s+came\s+from\s+(?:analysts|economists|researchers|"
               rf"officials|staff|experts)?\s*(?:at|of)?\s*{_BY_WHO}"),
    re.compile(r"\bIt\s+was\s+(?P<who>(?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’-]+),?\s+(?:[^,]{0,80},\s+)?who\s+"
               r"(?:first\s+)?(?:called|described|said|coined|used|made|gave|warned|predicted|estimated)\s+(?P<what>[^;]+)"),
    # "The Pell Agricultural University study found ...": a study told before, now with its author
    re.compile(r"\b[Tt]he\s+(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){1,4})\s+(?P<what>(?:study|survey|report|analysis|"
               r"poll|review|evaluation|assessment)\s+(?:found|finds|showed|shows|suggested|estimated|concluded)\b[^;]*)"),
    re.compile(r"(?P<what>[\"“][^\"”]{6,}[\"”]),?\s+(?:was|is)\s+how\s+"
               r"(?P<who>(?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’-]+)\s+\w+"),
]
_PRONOUN_OWNERS = {"its", "their", "his", "her", "it", "they", "he", "she"}


def _statement_owner(before: str) -> str:
    """Whose words a quotation is when no verb says so: "Pike's memorable description of the
    extension as" or "the union's phrase" just before it."""
    m = re.search(r"(?:^|[^\w'’])((?:[A-Z][\w'’-]*\s){0,3}[A-Z][\w-]+)['’]s\s+(?:[\w-]+\s+){0,2}?"
                  rf"{_STATEMENT_NOUNS}\b[^.;\"“]{{0,60}}$", before)
    return m.group(1) if m and stem(m.group(1).split()[-1]) not in TITLE_WORDS else ""


def _credited_back(f: Facts, s: Sent) -> list[tuple[str, str]]:
    """(what is credited, to whom) for each credit in this sentence; pronoun owners resolved."""
    out = []
    for rx in _CREDIT_BACK:
        for m in rx.finditer(s.text):
            what, who = m.group("what"), m.group("who").strip()
            # "Achterberg said the projection had been drawn up by ...": the projection is credited
            said = next((x for x in re.finditer(r"\b([a-z]+)\s+(?:that\s+)?(?=\w)", what)
                         if stem(x.group(1)) in REPORTING - ORIGIN_VERBS), None)  # saying, not estimating
            what = what[said.end():] if said else what
            rest = s.text[m.end():]
            if len(terms(what)) < 4 and re.match(r",?\s*(?:which|that)\s+(?:showed|shows|found|finds|suggested|"
                                                 r"suggests|indicated|indicates|estimated|put|linked|links|"
                                                 r"attributed|blamed|credited|concluded)\b", rest):
                # "cited figures compiled by the league's unit, which showed ...": what they showed
                what = what + rest
            who = re.sub(r"^(?:[a-z]+\s+)?(?:to|from|by|at|with|on)\s+", "", who)  # "pointed to the office's finding"
            first = who.split()[0].lower()
            if first in _PRONOUN_OWNERS:
                who = _resolve_owner(f, s, first)
            if not re.search(rf"[\"“]|\b{_STATEMENT_NOUNS}s?\b|\bsaving|\bcost|\btotal", what) \
                    and not extract.quantities(what):
                continue  # "bookings made by people living there" credits nothing
            if re.search(r"\bmade\s+by\b", m.group(0)) and not re.search(rf"\b{_STATEMENT_NOUNS}s?\b", what):
                continue  # a comment is made by someone; a booking or a payment is no statement
            if who and what and not re.fullmatch(r"(?i)(the\s+)?(figure|estimate|forecast)", who):
                out.append((what, who))
    return out


def _resolve_owner(f: Facts, s: Sent, pronoun: str) -> str:
    """He/she/his/her → the last person named; it/its/they/their → the subject of this sentence
    or the last organisation named."""
    if pronoun in {"he", "she", "his", "her"}:
        before = [m for m in f.people if m.kind == "person" and m.via == "name" and m.sent.i <= s.i]
        return before[-1].name if before else ""
    own = _credited_speaker(f, s, resolve=False)
    if own and own.lower() not in _PRONOUN_OWNERS:
        return own
    before = [m for m in f.people if m.kind == "org" and m.via == "name" and m.sent.i < s.i]
    if before:
        return before[-1].name
    prev = [x for x in f.sents if x.i == s.i - 1]
    return _credited_speaker(f, prev[0], resolve=False) if prev else ""


_BY_SOURCE = re.compile(r"\b(?:analysis|study|report|survey|review|estimate|forecast|calculations?|research|"
                        r"figures|modelling|modeling|projections?|poll|audit|census|evaluation|assessment)\s+"
                        r"(?:(?:carried out|conducted|run|compiled|produced|published|prepared)\s+)?(?:by|from)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}?"
                        r"(?P<who>[A-Z][^,.;]+?)(?=[,.;]|\s+(?:published|released|found|showed|suggested|in|on|at)\b)")


# "the institute's own modelling suggests ...": the owner of the work is its source
_OWN_WORK = re.compile(r"\b(?:[Tt]he\s+)?(?P<who>(?:[A-Z][\w'’-]*\s){0,3}[\w'’-]+)['’]s\s+own\s+(?:[\w-]+\s+)?"
                       r"(?:modelling|modeling|study|survey|analysis|research|forecast|estimate|projection|"
                       r"calculations?|figures|data|report|review)\b")


# "The Pell Agricultural University study found ...": the name before the work is its author
_NAMED_WORK = re.compile(r"\b(?:The|the|A|a|An|an)\s+(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){1,4})\s+"
                         r"(?:study|survey|report|analysis|poll|review|evaluation|assessment|research)\s+"
                         r"(?:found|finds|showed|shows|suggested|suggests|estimated|estimates|concluded|concludes)\b")


def _credited_speaker(f: Facts, s: Sent, resolve: bool = True) -> str:
    """Who this sentence credits with what it reports: the subject of its reporting verb, a pronoun
    resolved to the last person named before it, or the author of "an analysis by X"."""
    if not re.search(r"[.!?\"”’]$", s.text.strip()):
        return ""
    for span, pronoun, verb in extract.subjects_of(s.text, set(REPORTING | ORIGIN_VERBS)):
        if not pronoun:
            name = span.text.split(",")[0]  # without what a relative clause adds
            # "An evaluation by the criminology department at X estimated": the department
            name = _work_author(name)
            name = re.sub(r"\s+(?:itself|themselves)$", "", name)
            if len(name.split()) <= 8:
                return re.sub(r"^(the|a|an)\s+", "", name, flags=re.I)
            continue
        if resolve and span.text.lower() in {"he", "she"}:
            return _resolve_owner(f, s, span.text.lower())
    m = _BY_SOURCE.search(s.text) or _OWN_WORK.search(s.text) or _NAMED_WORK.search(s.text)
    if m:
        return m.group("who")
    return _work_author(_source(s.text)[1]) or _speaker(s.text) or _reporting_subject(s.text)


def _work_author(name: str) -> str:
    """"An evaluation by the criminology department", "a forecast from the regional statistics
    office": the author, not the work."""
    return re.sub(r"^(?:[\w-]+\s+){0,2}?(?:study|survey|report|analysis|evaluation|assessment|review|"
                  r"research|poll|modelling|modeling|estimates?|forecasts?|projections?|figures|data)\s+"
                  r"(?:(?:published|carried out|conducted|produced)\s+)?(?:by|from)\s+", "", name, flags=re.I)


def _shared_roots(a: str, b: str) -> set[str]:
    """Terms of ``a`` that ``b`` has too, a long word's first six letters sufficing ("projections" /
    "projected")."""
    tb = set(terms(b))
    roots = {t[:6] for t in tb if len(t) >= 6}
    return {t for t in terms(a) if t in tb or len(t) >= 6 and t[:6] in roots}


_WORK_RX = re.compile(r"\b(?P<other>(?:separate|another|second|rival|different|earlier|new|own|its|their)\s+"
                      r"(?:[\w-]+\s+)?)?(?P<w>survey|study|poll|audit|census|evaluation|assessment)s?\b", re.I)


def _one_work(a: str, b: str) -> bool:
    """Both name one kind of study, neither as a second one ("a separate survey")."""
    if any(m.group("other") for m in _WORK_RX.finditer(a + " " + b)):
        return False
    return bool({m.group("w").lower() for m in _WORK_RX.finditer(a)} & {m.group("w").lower() for m in _WORK_RX.finditer(b)})


def _owner_named(f: Facts, who: str, speaker: str) -> bool:
    """"the institute's own team" belongs to the body the speaker names ("researchers at the
    Nordby Polar Institute"): the one name in the article that ends in the owner's word."""
    m = re.match(r"(?:the\s+)?(?P<o>[a-z][\w-]*)['’]s\s", who)
    if not m:
        return False
    word = m.group("o")
    names = set(re.findall(rf"\b((?:[A-Z][\w'’-]*\s+){{1,4}}{word.capitalize()})\b", f.doc.text))
    if len(names) != 1:
        return False
    body = set(terms(names.pop()))
    return body <= set(terms(speaker))


def _credit_back_flags(f: Facts, words) -> list[Flag]:
    from . import arithmetic  # imports this module's helpers

    flags = []
    credits = [(b, what, who) for b in f.sents for what, who in _credited_back(f, b)]
    if not credits:
        return flags
    speakers = {a.i: _credited_speaker(f, a) for a in f.sents}
    # one embedding call per article: every sentence and every credited statement
    texts = [a.text for a in f.sents] + [what for _, what, _ in credits]
    vectors = words.embedder.embed(texts, "document") if words is not None else None
    flagged: set[int] = set()
    for n, (b, what, who) in enumerate(credits):
        if b.i in flagged:
            continue  # one flag per crediting sentence
        quoted = [q for q in re.findall(r"[\"“]([^\"”]{6,})[\"”]", what)]
        nums_b = {q.value for q in extract.quantities(what) if q.value and not re.fullmatch(r"(?:19|20)\d\d", q.text)} | {
            float(x.replace(",", "")) for x in re.findall(r"\b(\d[\d,]*(?:\.\d+)?)-[a-z]", what)}
        best, best_score = None, 0.0
        for k, a in enumerate(f.sents):
            if a is b:
                continue
            speaker = speakers[a.i]
            if not speaker or _same(speaker, who) or _same(who, a.text) or \
                    _same(speaker, b.text.replace(what, "")) or _owner_named(f, who, speaker):
                continue  # one source, or one sentence naming both (a chain, not a clash)
            low = fold(a.text).lower()
            score = 0.0 if vectors is None else sum(
                x * y for x, y in zip(vectors[len(f.sents) + n], vectors[k]))
            if quoted and all(fold(q).lower().strip(" ,.") in low for q in quoted):
                score = 1.0
            elif nums_b:
                nums_a = {q.value for q in extract.quantities(a.text) if q.value}
                worded = arithmetic.fraction_percents(a.text)
                if not nums_b & nums_a and not any(abs(x - y) < 0.5 for x in nums_b for y in worded):
                    continue  # a credited figure must be the same figure ("a fifth" is 20 percent)
                score += 0.5
            elif len(_shared_roots(what, a.text)) < 2:
                # "The study, carried out by ...": a definite one is the one study told before;
                # "the turnout projection" the one forecast of turnout
                def told(x: str) -> bool:
                    return bool(_one_work(what, x) or _FORECAST_RX.search(what) and _shared_roots(what, x)
                                and re.search(r"\b(?:forecast|projection|estimate|prediction)s?\s+(?:from|by)\b", x))
                if not (re.match(r"\s*the\b", what, re.I) and told(a.text)
                        and sum(told(x.text) for x in f.sents if x is not b) == 1):
                    continue
                score = max(score, 0.6)
            if _FORECAST_RX.search(what) and _FORECAST_RX.search(a.text):
                score += 0.45  # "the mid-August projection" / "A forecast ... by mid-August"
            elif _one_work(what, a.text):
                score += 0.45  # "the attendance survey" / "according to a survey carried out by"
            if score > best_score:
                best, best_score = a, score
        if best is not None and best_score >= 0.55:
            flags.append(_flag("attribution_conflict",
                               f"The same statement is credited to {speakers[best.i]} and to {who}.",
                               [_cite_sent(f.doc, best), _cite_sent(f.doc, b)]))
            flagged.add(b.i)
    return flags


_REMARKS = (r"(?:remark|point|comment|words|warning|claim|assertion|observation|argument|"
            r"quip|statement|description|phrase|complaint|prediction|promise|admission|suggestion|"
            r"message|insistence|line|view)")
_ECHO = re.compile(r"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})['’]s\s+(?:own\s+|earlier\s+|now\s+)?"
                   rf"(?:[\w-]+\s+)?{_REMARKS}\s+that\s+(?P<what>[^.;:]+)")
# "The warning that the kitchen posed an immediate risk came from Councillor Ashworth"
_ECHO_FROM = re.compile(rf"\b[Tt]he\s+(?:[\w-]+\s+)?{_REMARKS}\s+that\s+(?P<what>[^.;:]+?)\s+"
                        r"(?:came|had come|comes|was made|had been made|was issued|originated)\s+(?:from|by|with)\s+"
                        r"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})")
# "Varga, who made the remark about surviving a thinner season at Monday's press conference"
_ECHO_MADE = re.compile(r"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}),\s+(?:[^,]{0,60},\s+)?who\s+"
                        rf"(?:made|delivered|voiced|coined|issued)\s+(?:the|that|this)\s+(?:[\w-]+\s+)?{_REMARKS}\s+"
                        r"(?:that|about|on)\s+(?P<what>[^.;:]+?)(?=\s+(?:at|during|in|on|to)\s+(?:an?|the|[A-Z][\w'’-]*)\b|"
                        r"[.;:,]|$)")
# "Varga, who said the team had gambled on hard tyres"
_ECHO_SAID = re.compile(r"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}),\s+(?:[^,]{0,60},\s+)?who\s+"
                        r"(?:said|says|told [\w\s]{1,20}?|insisted|argued|warned|claimed)\s+(?:that\s+)?(?P<what>[^.;:,]+)")
# "Eddings's "elbow to elbow" remark": quoted words credited by name
_ECHO_QUOTED = re.compile(r"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})['’]s?\s+[\"“](?P<what>[^\"”]{6,})[\"”]\s+"
                          rf"{_REMARKS}")
# "Ilver, whose remark that the gap was the widest he had seen ..."
_ECHO_WHOSE = re.compile(r"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}),\s+whose\s+(?:own\s+|earlier\s+)?"
                         rf"(?:[\w-]+\s+)?{_REMARKS}\s+that\s+(?P<what>[^.;:]+)")
_QUOTE = re.compile(r"[\"“]([^\"”]{12,})[\"”]")


def _echo_flags(f: Facts) -> list[Flag]:
    """Words quoted from one person and later credited to another: "'... they are exhausted,'
    said Okafor" / "Echoing Whitlock's remark that crews were exhausted"; "'a team that knows
    exactly what it is looking for,' Ruel said" / "Avery, who described the burglars as 'a team
    that knows exactly what it is looking for'"."""
    def content(text: str) -> set[str]:  # "living" and "live" alike
        return {_event_root(t) for t in terms(text) if len(t) > 2 and not t.isdigit()}

    quotes = []  # (sentence, speaker, quoted words)
    quoted_text = []  # the same with the quote's own text
    opened = ""  # a quote running on from the sentences before
    for a in f.sents:
        found = _QUOTE.findall(a.text)
        if not found:  # the end of a quote opened in the sentence before: 'looking for," Ruel said.'
            found = [opened + " " + x for x in re.findall(r"^([^\"“”]{12,})[\"”]", a.text)]
        tail = re.search(r"[\"“]([^\"“”]+)$", a.text)
        unclosed = a.text.count("\"") % 2 == 1 or a.text.count("“") > a.text.count("”")
        if tail and unclosed:
            opened = tail.group(1)
        elif opened and not re.search(r"[\"”]", a.text):
            opened += " " + a.text  # a quote running through a whole sentence
        else:
            opened = ""
        if found:
            who = _credited_speaker(f, a)
            if who and who.lower() not in _PRONOUN_OWNERS:
                quotes.extend((a, who, content(q)) for q in found)
                quoted_text.extend((a, who, content(q), fold(q).lower()) for q in found)
    flags, done = [], set()
    for b in f.sents:
        echoes = [(re.sub(r"^[A-Z][a-z]+ing\s+", "", m.group("who")), content(m.group("what")))
                  for m in _ECHO.finditer(b.text)  # "Echoing Whitlock's remark": the owner is Whitlock
                  if m.group("who").split()[0].lower() not in {"the", "a", "an", "it", "its", "their"}]
        echoes += [(m.group("who"), content(m.group("what")))
                   for rx in (_ECHO_FROM, _ECHO_WHOSE, _ECHO_MADE, _ECHO_SAID) for m in rx.finditer(b.text)
                   if m.group("who").split()[0].lower() not in {"the", "a", "an", "it", "its", "their"}]
        # quoted words: the phrase itself must be in the other's quote, however short
        phrases = [(m.group("who"), fold(m.group("what")).lower()) for m in _ECHO_QUOTED.finditer(b.text)]
        if not echoes:
            echoes = [(who, q) for a, who, q in quotes if a is b]
        for who, phrase in phrases:
            for a, speaker, q, raw in quoted_text:
                if a is b or phrase not in raw or (min(a.i, b.i), max(a.i, b.i)) in done:
                    continue
                if _same(speaker, who) or _same(who, speaker):
                    continue
                done.add((min(a.i, b.i), max(a.i, b.i)))
                first, second = (a, b) if a.i < b.i else (b, a)
                flags.append(_flag("attribution_conflict", f"The same words are credited to {speaker} and to {who}.",
                                   [_cite_sent(f.doc, first), _cite_sent(f.doc, second)]))
        for who, what in echoes:
            if len(what) < 3:
                continue
            for a, speaker, q in quotes:
                if a is b or (min(a.i, b.i), max(a.i, b.i)) in done:
                    continue
                shared = what & q
                if len(shared) < 3 or len(shared) < 0.6 * min(len(what), len(q)):
                    continue
                if _same(speaker, who) or _same(who, speaker) or _same(who, a.text) or _same(speaker, b.text):
                    continue  # one voice, or one sentence naming both (a quote passed on)
                done.add((min(a.i, b.i), max(a.i, b.i)))
                first, second = (a, b) if a.i < b.i else (b, a)
                flags.append(_flag("attribution_conflict",
                                   f"The same words are credited to {speaker} and to {who}.",
                                   [_cite_sent(f.doc, first), _cite_sent(f.doc, second)]))
    return flags


def _reporting_subject(text: str) -> str:
    """The named subject of a reporting verb, without what its clauses add ("Halloran, whose
    comparison ... has been quoted, said" → Halloran)."""
    d = nlp.parse(text)
    for tok in d:
        if tok.dep_ == "nsubj" and tok.pos_ == "PROPN" and stem(tok.head.lemma_) in REPORTING:
            return " ".join(t.text for t in tok.children if t.dep_ == "compound" and t.pos_ == "PROPN"
                            and t.i < tok.i) + (" " if any(t.dep_ == "compound" and t.i < tok.i for t in tok.children)
                                                else "") + tok.text
    return ""


def _speaker(text: str) -> str:
    d = nlp.parse(text)
    people = [e.text for e in d.ents if e.label_ == "PERSON"]
    return people[0] if len(people) == 1 else ""


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RECURRING = re.compile(r"\b(again|another|second|third|fourth|latest|new|further|next|previous|"
                        r"each|every|repeated|renewed|resumed|re-\w+)\b", re.I)
_HOST_GENERIC = _stems("have has had hold held take took make made be is was get got see saw reach reached "
                       "deliver delivered")
# "took three hours to reach its verdict", "managed to finish": the infinitive happened
_DONE_BY = _stems("take took manage managed go went succeed succeeded")


@dataclass
class Dated:
    """One happening with the time the article gives it: "ran aground ... on Tuesday",
    "Wednesday's ruling", "the verdicts on February 21"."""
    sent: Sent
    root: str                 # stemmed lemma of the verb or event noun ("rule" for ruled/ruling)
    subject: str              # the verb's subject: its lemma, then the names joined to it ("" for a noun)
    others: frozenset[str]    # lemmas of its objects and prepositional nouns (not times)
    when: tuple               # ("wd", 0..6, {"early", "late"}) / ("date", d, m, y) / ("rel", "last autumn")
    text: str
    objects: frozenset[str] = frozenset()  # its direct objects only
    mods: frozenset[str] = frozenset()     # adjectives of the event noun ("unannounced" visit)
    definite: bool = False                 # "the unannounced inspection": a happening told before


def _dated(s: Sent, d) -> list[Dated]:
    out = []
    spans = [e for e in d.ents if e.label_ in {"DATE", "TIME"}]
    covered = {t.i for e in spans if _when_of(e.text, "") for t in e}
    spans += [d[t.i:t.i + 1] for t in d if t.lower_ in _WEEKDAYS and t.i not in covered]
    for e in spans:
        when = _when_of(e.text, s.text[max(0, e.start_char - 20):e.end_char + 20])
        if when is None:
            continue
        t = e.root
        if t.dep_ == "poss":
            hosts = [t.head]                               # "Wednesday's ruling"
        else:
            host = t.head
            if t.dep_ == "pobj" and host.pos_ == "ADP":
                host = host.head
            hosts = [host]
            # "had its premiere in the main competition on Tuesday": the date may belong to the verb
            if host.pos_ == "NOUN" and host.dep_ == "pobj" and host.head.pos_ == "ADP" \
                    and host.head.head.pos_ in {"VERB", "AUX", "NOUN"}:
                hosts.append(host.head.head)
            elif host.pos_ == "NOUN" and host.dep_ in {"dobj", "nsubjpass"} and host.head.pos_ == "VERB":
                hosts.append(host.head)  # "hit the sandbank on Thursday"
        for host in hosts:
            out.extend(_dated_at(s, d, e, t, host, when))
    return out


def _dated_at(s: Sent, d, e, t, host, when) -> list[Dated]:
    """The happening this date belongs to (a verb, or an event noun) as a ``Dated``."""
    out = []
    if host.pos_ in {"VERB", "AUX"}:
        lem = stem(host.lemma_.lower())
        particle = next((c.lower_ for c in host.children if c.i == host.i + 1 and (
            c.dep_ in {"prt", "dobj"} or c.lower_ in {"out", "off"})), "")
        # a plan may change; a vote or a strike set for a day is that day's, planned or not
        phrasal = _PHRASAL.get((host.lemma_.lower(), particle))
        done = host.dep_ == "xcomp" and stem(host.head.lemma_.lower()) in _DONE_BY
        if not phrasal and (lem in REPORTING or lem in _PLANNED) or (any(
                c.lower_ in {"will", "would", "could", "may", "might", "should", "to"} and c.dep_ == "aux"
                and not (done and c.lower_ == "to") for c in host.children)
                or any(stem(a.lemma_.lower()) in _PLANNED for a in list(host.ancestors)[:2])) \
                and _event_root(phrasal or host.lemma_) not in _HAPPENINGS:
            return out
        if (host.lemma_.lower(), particle) in _PHRASAL or _VERB_CLASS.get(lem) == "fail":
            lem = _PHRASAL.get((host.lemma_.lower(), particle)) or "fail"  # "gave way" / "failed" / "burst"
        objs = [c for c in host.children if c.dep_ in {"dobj", "attr"} and not (particle and c.i == host.i + 1)]
        # "The ferry Nordlys ran aground": the subject's name and the noun naming it
        subject = next((" ".join([c.lemma_.lower()] + [x.lemma_.lower() for x in c.subtree
                                                        if x.dep_ in {"compound", "appos"} and x.i != c.i])
                        for c in host.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"), "")
        if not subject and host.dep_ == "relcl" and host.head.pos_ == "NOUN" and any(
                c.dep_ == "nsubj" and c.lower_ in {"that", "which"} for c in host.children):
            subject = host.head.lemma_.lower()  # "the halt that froze all trading on Tuesday"
        if lem in _HOST_GENERIC:
            if not objs or objs[0].pos_ != "NOUN":
                return out
            lem = stem(objs[0].lemma_.lower())  # "had its premiere on Tuesday" → premiere
        others = {_lemma(o) for o in objs}
        others |= {_lemma(g) for c in host.children if c.dep_ == "prep" and c.i != t.head.i
                   for g in c.children if g.dep_ == "pobj" and g.pos_ in {"NOUN", "PROPN"}
                   and (_ent_of(d, g.i) is None or _ent_of(d, g.i).label_ not in {"DATE", "TIME"})}
        noun = objs[0] if objs and stem(host.lemma_.lower()) in _HOST_GENERIC else None
        out.append(Dated(s, _event_root(lem), subject, frozenset(others) - {""}, when, e.text,
                         frozenset(_event_root(o.lemma_) for o in objs),
                         _event_mods(noun) if noun is not None else frozenset()))
    elif host.pos_ == "NOUN" and not _ent_of(d, host.i):
        others = {_lemma(g) for c in host.children if c.dep_ == "prep" and c.lower_ in {"of", "in", "at"}
                  for g in c.children if g.dep_ == "pobj"}
        named = next((c for c in host.children if c.dep_ in {"compound", "amod"} and host.lemma_.lower() == "day"), None)
        root = _event_root((named or host).lemma_)  # "polling day" is the vote's
        out.append(Dated(s, root, "", frozenset(others), when, e.text,
                         mods=_event_mods(host), definite=any(c.lower_ == "the" for c in host.children)))
    return out


# adjectives that many different happenings share, so they do not make two one
_COMMON_MODS = _stems("""first last next new recent previous latest annual final second third early late
    full special official public formal major big small general local national regional emergency
    further other same initial brief long short weekly monthly daily""")


def _event_mods(tok) -> frozenset[str]:
    return frozenset(stem(c.lower_) for c in tok.children
                     if c.dep_ == "amod" and c.pos_ in {"ADJ", "VERB"} and stem(c.lower_) not in _COMMON_MODS)


def _when_of(date: str, around: str) -> tuple | None:
    low = date.lower()
    if re.search(r"\b(?:year|years|weeks|months|quarter|half|period|days)\s+(?:to|ending|ended)\b", low):
        return None  # "the year to the end of February" is a period, not a day
    wd = [i for i, w in enumerate(_WEEKDAYS) if re.search(rf"\b{w}", low)]
    if len(wd) == 1 and not re.search(r"\b(last|next|every|each)\b", low):
        # which end of the day it may spill over: "late on Friday" and "early on Saturday" may be one night
        late = bool(re.search(r"\b(night|overnight|midnight|late)\b", around.lower()))
        early = bool(re.search(r"\b(overnight|midnight|early|dawn|a\.m\.|am)(?!\w)", around.lower()))
        return ("wd", wd[0], frozenset({"late"} if late else set()) | ({"early"} if early else set()))
    m = re.fullmatch(r"(?:since\s+)?(last|this)\s+(spring|summer|autumn|fall|winter|year)", low.strip())
    if m:
        return ("rel", m.group(1) + " " + m.group(2).replace("fall", "autumn"))
    w = _when(date)
    if w and w[1]:
        return ("date",) + w
    return None


def _times_clash(a: tuple, b: tuple) -> bool:
    if a[0] == "wd" and b[0] == "wd":
        gap = min((a[1] - b[1]) % 7, (b[1] - a[1]) % 7)
        if gap != 1:
            return gap >= 2
        first, then = (a, b) if (a[1] + 1) % 7 == b[1] else (b, a)
        return not ("late" in first[2] and "early" in then[2])
    if a[0] == "date" and b[0] == "date":
        wa, wb = a[1:], b[1:]
        if wa[2] and wb[2] and wa[2] != wb[2]:
            return True
        return wa[1] != wb[1] or bool(wa[0] and wb[0] and wa[0] != wb[0])
    if {a[0], b[0]} == {"wd", "rel"}:
        rel = a if a[0] == "rel" else b
        return rel[1].startswith("last")  # this week's happening is not last autumn's
    return False


_ASPECT = frozenset(_event_root(w) for w in "begin began start started occur occurred happen happened".split())


# One happening under its several names: "walked out" / "the stoppage", "was convicted" / "returned
# its verdict", "will vote" / "polling day"; an article rarely tells two of one kind apart without
# words like "second" or "another", which _RECURRING already reads
_HAPPENINGS = {_event_root(w): c for c, ws in {
    "strike": "strike walkout walk-out stoppage",
    "vote": "vote ballot poll polling referendum",
    "verdict": "verdict convict acquit",
    "sign": "sign signing",
}.items() for w in ws.split()}


def _happening(x: Dated) -> str:
    """The kind of happening a dated mention names: by its verb or noun, by the event noun an
    aspect verb dates ("the stoppage began"), or by its object ("returned its verdict")."""
    if x.root in _HAPPENINGS:
        return _HAPPENINGS[x.root]
    if x.root in _ASPECT and x.subject:
        return _HAPPENINGS.get(_event_root(x.subject.split()[0]), "")
    return next((_HAPPENINGS[o] for o in x.objects if o in _HAPPENINGS), "")


def _same_happening(a: Dated, b: Dated, words) -> bool:
    if a.mods & b.mods and b.definite and a.root != b.root:
        # "made an unannounced visit on 12 March" ... "since the unannounced inspection in February";
        # only the words before each date may make it another one ("a second unannounced visit")
        before = [x.sent.text[max(0, x.sent.text.find(x.text) - 50):x.sent.text.find(x.text)] for x in (a, b)]
        return not any(_RECURRING.search(t) for t in before)
    if _happening(a) and _happening(a) == _happening(b):
        # what was signed or voted on: "signed a law" is not "the treaty was signed"
        for x, y in ((a, b), (b, a)) if _happening(a) in {"sign", "vote"} else ():
            if x.objects and (y.objects and not x.objects & y.objects
                              or not y.objects and y.subject and _event_root(y.subject.split()[0]) not in x.objects):
                return False
        # "another strike on Friday": only the words just before each date may make it another one
        return not any(_RECURRING.search(x.sent.text[max(0, x.sent.text.find(x.text) - 40):x.sent.text.find(x.text)])
                       for x in (a, b))
    if _RECURRING.search(a.sent.text) or _RECURRING.search(b.sent.text):
        return False
    for x, y in ((a, b), (b, a)):
        # "When the halt began on Wednesday" dates the halt itself: whatever else the halt did
        if x.root in _ASPECT and x.subject and y.subject and x.subject.split()[0] == y.subject.split()[0]:
            return True
    if a.root == b.root:
        return bool(a.others & b.others) or not (a.subject and b.subject) or a.subject == b.subject \
            or bool(set(a.subject.split()) & set(b.subject.split()))  # "the barrier, an embankment" / "the embankment"
    if a.root in b.objects or b.root in a.objects:
        return True  # "returned its verdicts on February 12" ... "the verdicts on February 21"
    shared = (a.others & b.others) - _TIME_WORDS
    if not (shared and a.subject and b.subject):
        return False
    # the heads mean the same ("carrier" / "ship"), or one names the other ("the ferry Nordlys")
    ha, hb = a.subject.split()[0], b.subject.split()[0]
    return _anchors_agree(ha, hb, True, words) or ha in b.subject.split() or hb in a.subject.split()


def _dated_flags(f: Facts, words) -> list[Flag]:
    flags, seen = [], set()
    items = [x for s, d in ((s, nlp.parse(s.text)) for s in f.sents) for x in _dated(s, d)]
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if a.sent is b.sent or (a.sent.i, b.sent.i) in seen:
                continue
            if _RESCHEDULED.search(a.sent.text) or _RESCHEDULED.search(b.sent.text):
                continue  # "moved from its usual June weekend to August": two dates, said so
            if _times_clash(a.when, b.when) and _same_happening(a, b, words):
                seen.add((a.sent.i, b.sent.i))
                flags.append(_flag("claim_conflict",
                                   f"The same event is dated “{a.text}” in one place and “{b.text}” in another.",
                                   [_cite_sent(f.doc, a.sent), _cite_sent(f.doc, b.sent)], "error"))
    return flags


_RESCHEDULED = re.compile(r"\b(?:postpon\w*|reschedul\w*|moved|moving|push(?:ed|ing)? back|brought forward|"
                          r"bring\w* forward|delay\w*|originally|original dates?|initially|new date)\b", re.I)
_NONE = re.compile(r"\b(?:there\s+(?:had\s+been|have\s+been|has\s+been|were|was|are|is)\s+no|"
                   r"^no|,\s*no|reported\s+no|found\s+no|caused\s+no|suffered\s+no|said\s+no|that\s+no)"
                   r"\s+(?P<noun>[a-z]+)\b", re.I)


def _unanimity_flags(f: Facts) -> list[Flag]:
    """A decision said to be unanimous ("voted unanimously to rezone") that someone is said to have
    opposed or voted against ("opposed the rezoning in Tuesday's vote")."""
    flags = []
    for a in f.sents:
        if not re.search(r"\bunanimous(ly)?\b", a.text, re.I) or re.search(r"\b(not|nearly|almost|near)[- ]unanimous", a.text, re.I):
            continue
        roots = {_event_root(w)[:5] for w in re.findall(r"[A-Za-z]+", a.text) if len(w) > 3}
        for e in f.events:
            if e.sent is a or e.polarity >= 0 and e.verb != "stance:against":
                continue
            if e.verb not in {"polar:stance", "stance:against"} or not e.value:
                continue
            obj = e.value.split("|")[0]
            if obj and _event_root(obj)[:5] in roots:
                flags.append(_flag("claim_conflict",
                                   "A decision called unanimous is also said to have been opposed.",
                                   [_cite_sent(f.doc, a), _cite_sent(f.doc, e.sent)], "error"))
                break
        else:
            # "approved unanimously by the council" / "the council's vote, which passed by seven votes to two"
            for b in f.sents:
                m = _TALLY.search(b.text)
                if m and _count_word(m.group("against") or m.group("against2")) == 0:
                    m = None
                m = m or _DISSENT.search(b.text)
                if b is a or not m or _DISSENT.search(a.text):
                    continue
                # the same deciding body named in both ("the council")
                # or one decision under two names ("the jury's decision" / "the majority verdict")
                shared = {t for t in _decision_terms(a.text) & _decision_terms(b.text) if len(t) > 3 and not t.isdigit()
                          and t not in _TIME_WORDS}
                if shared:
                    flags.append(_flag("claim_conflict",
                                       f"A decision called unanimous is also given dissent (“{m.group().strip()}”).",
                                       [_cite_sent(f.doc, a), _cite_sent(f.doc, b)], "error"))
                    break
    return flags


_FIRST_TIME = re.compile(r"\b(?:for the first time|first[- ]ever|never before|the first time)\b", re.I)
_FIRST_GENERIC = _stems("time history year years season club side team")
# nouns so broad that everything is a kind of them
_FIRST_BROAD = _FIRST_GENERIC | _stems("day thing event part way people")


def _first_time_flags(f: Facts) -> list[Flag]:
    """Something done "for the first time in the club's history" that another sentence gives an
    earlier instance of ("the 2008 final, when City lost"): the same noun with a past year, and
    the same named actor."""
    flags = []
    year = _when(str(f.doc.metadata.get("date", "")))
    for a in f.sents:
        m = _FIRST_TIME.search(a.text)
        if not m or re.search(r"\b(?:since|in (?:\w+\s+){0,2}(?:years|decades))\b", a.text[m.start():]):
            continue  # "the first time since 1990" is a return, not a first
        da = nlp.parse(a.text)
        nouns = {stem(t.lemma_.lower()) for t in da if t.pos_ == "NOUN"} - _FIRST_GENERIC
        actors = {stem(t.text) for t in da if t.pos_ == "PROPN" and t.dep_ in {"nsubj", "compound", "poss"}
                  and (t.dep_ == "nsubj" or t.head.dep_ == "nsubj")}
        if not nouns or not actors:
            continue
        found = next(((b, y) for b in f.sents if b is not a
                      and actors & {stem(w) for w in re.findall(r"[A-Z][\w’'-]+", b.text)}
                      for y in re.finditer(r"\b(?:the\s+)?(?P<y>(?:19|20)\d\d)\s+(?P<n>[a-z][\w-]*)", b.text)
                      if stem(y.group("n").lower()) in nouns and (not year or int(y.group("y")) < year[0])
                      and not re.search(r"(?:semi|quarter)[- ]$", b.text[:y.start("n")])), None)
        if found:
            b, y = found
            flags.append(_flag("claim_conflict",
                               f"A first is claimed, but another passage gives an earlier {y.group('n')} ({y.group('y')}).",
                               [_cite_sent(f.doc, a), _cite_sent(f.doc, b)], "error"))
    return flags


_NO_MAJORITY = re.compile(r"\b(?:no (?:party|group|side|bloc|coalition|one)\b[^.;]{0,30}?\b(?:overall |outright |absolute )?"
                          r"majority|hung (?:council|parliament|assembly|chamber))", re.I)
_MAJORITY = re.compile(r"\b(?:won|wins|winning|secured?|securing|holds?|holding|has|have|retained|retaining|"
                       r"with)\s+(?:an?\s+)?(?:overall |outright |absolute )majority\b", re.I)
_SEATS = re.compile(rf"\b(?P<part>{_INT})\s+(?:of|out of)\s+(?:the\s+|its\s+)?(?P<whole>{_INT})\s+"
                    r"(?:\w+\s+)?seats\b", re.I)


def _majority_flags(f: Facts) -> list[Flag]:
    """"No party holds an overall majority" against a party "winning 31 of the 57 seats", and an
    "overall majority" won with half the seats or fewer."""
    flags = []
    for b in f.sents:
        m = _SEATS.search(b.text)
        if not m:
            continue
        part, whole = (float(m.group(g).replace(",", "")) for g in ("part", "whole"))
        if not 0 < part <= whole:
            continue
        for a in f.sents:
            if _NO_MAJORITY.search(a.text) and part > whole / 2 and not _CHANGE.search(a.text) \
                    and not re.search(r"\b(?:coalition|alliance|together|combined|between them|jointly)\b", b.text):
                msg = f"No side is said to hold a majority, but one won {m.group('part')} of {m.group('whole')} seats."
            elif _MAJORITY.search(a.text) and part <= whole / 2 and (a is b or a.i == b.i - 1):
                msg = f"A majority is claimed with {m.group('part')} of {m.group('whole')} seats."
            else:
                continue
            flags.append(_flag("claim_conflict", msg, [_cite_sent(f.doc, x) for x in sorted({a.i: a, b.i: b}.values(),
                                                                                           key=lambda x: x.i)], "error"))
            break
    return flags


_COUNTS = {w: n for n, ws in enumerate(["no none zero", "one", "two", "three", "four", "five", "six", "seven",
                                         "eight", "nine", "ten", "eleven", "twelve"]) for w in ws.split()}
_COUNT_WORDS = "|".join(_COUNTS)
_TALLY = re.compile(rf"\b(?P<for>\d+|{_COUNT_WORDS})\s+votes?\s+to\s+(?P<against>\d+|{_COUNT_WORDS})\b"
                    r"|\bvoted\s+(?P<for2>\d+)-(?P<against2>\d+)\b", re.I)


# "Two of the nine members voted against calling the strike": someone opposed in the vote itself
_DISSENT = re.compile(r"\b(?:voted|votes?|voting)\s+(?:against|no)\b|\bdissent(?:ed|ing)\b|"
                      r"\b(?:majority|split)\s+(?:verdict|decision|ruling)\b", re.I)
_DECISIONS = _stems("decision verdict ruling")
_BALLOTS = _stems("ballot ballots vote votes voted voting")


def _decision_terms(text: str) -> set[str]:
    """Terms, one decision or one ballot under any of its names ("the jury's decision" / "the
    majority verdict", "backed the strike unanimously in a ballot" / "90 drivers voted no")."""
    return {"decision" if t in _DECISIONS else "ballot" if t in _BALLOTS else t for t in terms(text)}


def _count_word(w: str) -> int:
    w = (w or "").lower()
    return int(w) if w.isdigit() else _COUNTS.get(w, 1)


_HURT = re.compile(r"\b(?:(?:treated|taken|admitted|airlifted|rushed)\b[^.;]{0,25}\bhospital|hospitali[sz]ed|"
                   r"hurt|wounded|injured)\b", re.I)
_KILLED = re.compile(r"\b(?:died|killed|dead|bodies|body of|death toll)\b", re.I)
# What shows harm that a passage says did not happen: "no injuries" / "treated in hospital for cuts"
_HARM_SIGNS = {_event_root(w)[:5]: rx for ws, rx in (("injuries injury casualties", _HURT),
                                                     ("deaths death fatalities", _KILLED))
               for w in ws.split()}


def _absence_flags(f: Facts) -> list[Flag]:
    """Something said not to exist ("there had been no injuries", "No deaths were reported")
    that another sentence has ("was taken to hospital with a leg injury", "two people died")."""
    flags = []
    for a in f.sents:
        for m in _NONE.finditer(a.text):
            noun = m.group("noun").lower()
            root = _event_root(noun)[:5]
            tok = next((t for t in nlp.parse(a.text) if t.idx == m.start("noun")), None)
            if len(root) < 4 or _CHANGE.search(a.text) or tok is None or tok.pos_ != "NOUN":
                continue  # "no longer", "no more": not something said not to exist
            done = _denied_deed(tok)
            # "said no branches would close" denies the closing, not the branches
            deed_only = bool(re.match(r"(?:said|that)\s", m.group(), re.I))
            if deed_only and not done:
                continue
            for b in f.sents:
                if b is a or _NONE.search(b.text) or re.search(r"\b(not|no|never|without|nor)\b", b.text, re.I):
                    continue
                d = nlp.parse(b.text)
                hit = None if deed_only else next((t for t in d if _event_root(t.lower_)[:5] == root and (
                    (t.pos_ == "NOUN" and any(c.dep_ in {"det", "nummod"} and c.lower_ not in {"the", "no", "any"}
                                              for c in t.children))
                    or (t.pos_ == "NOUN" and t.dep_ == "pobj" and t.head.lower_ == "with")
                    or (t.pos_ in {"VERB", "ADJ"} and t.lower_.endswith(("ed", "en"))))), None)
                if hit is None and done:
                    # "no patient had to be evacuated" / "the one emergency evacuation": the deed
                    # denied of every one, told of one
                    hit = next((t for t in d if _event_root(t.lemma_)[:5] == done and t.pos_ == "NOUN" and any(
                        c.dep_ in {"det", "nummod"} and c.lower_ in _ONE_WORDS for c in t.children)), None)
                if hit is None and root in _HARM_SIGNS:
                    sign = _HARM_SIGNS[root].search(b.text)  # "no injuries" / "treated in hospital for cuts"
                    hit = next((t for t in d if sign and t.idx == sign.start()), None)
                if hit is not None:
                    flags.append(_flag("claim_conflict",
                                       f"One passage says there were no {noun}; another reports “{hit.text}”.",
                                       [_cite_sent(f.doc, a), _cite_sent(f.doc, b)], "error"))
                    break
    return flags


_MORE = _stems("more additional extra further")


def _phrase_key(words) -> frozenset[str]:
    """The modifiers of a counted noun, "more" and "additional" one word."""
    return frozenset("+more" if stem(w) in _MORE else stem(w) for w in words if len(w) > 2)


def _years(s: Sent) -> set[str]:
    return set(re.findall(r"\b(?:19|20)\d\d\b", s.text))


# what an amount of money is, when one passage denies any of it
_MONEY_LIST = "money fund funds funding cash subsidy subsidies support grant grants aid".split()
_MONEY_WORDS = r"\b(?:" + "|".join(_MONEY_LIST) + r")\b"
_MONEY_NOUNS = frozenset(stem(w) for w in _MONEY_LIST)


def _none_counted_flags(f: Facts) -> list[Flag]:
    """A kind of thing said to number none ("would not ask for any additional officers", "44
    homes at a discounted price but none for social rent") that another sentence counts ("eight
    more patrol officers", "the 30 social rent homes")."""
    denied = []  # (sentence, noun stem, modifier key)
    for a in f.sents:
        d = nlp.parse(a.text)
        for t in d:
            if t.lower_ in {"any", "no"} and t.dep_ == "det" and t.head.pos_ == "NOUN":
                noun, up = t.head, t.head.head
                while up.dep_ == "prep" or up.pos_ == "ADP":
                    up = up.head
                # "would not ask for any additional officers"; "no state money was used"
                if t.lower_ == "no" or any(c.dep_ == "neg" for c in up.children):
                    mods = [c.lower_ for c in noun.children if c.dep_ in {"amod", "compound"}]
                    if mods:
                        denied.append((a, stem(noun.lower_), _phrase_key(mods)))
            if t.lower_ == "none" and t.i + 2 < len(d) and d[t.i + 1].lower_ in {"for", "as"}:
                figs = [g for g in f.figures if g.sent is a and g.span.end <= t.idx and g.noun
                        and not g.noun.startswith("money:")]
                tail = re.match(r"(?:[\w-]+\s+){0,2}[\w-]+", a.text[d[t.i + 2].idx:])
                if figs and tail:
                    denied.append((a, stem(figs[-1].noun), _phrase_key(tail.group().lower().split())))
    flags = []
    for a, noun, key in denied:
        money = noun in _MONEY_NOUNS
        for g in f.figures:
            if g.sent is a or not g.noun or not (g.span.value or 0) > 0 \
                    or (not g.noun.startswith("money:") if money else stem(g.noun) != noun) \
                    or re.search(r"\b(?:not|no|never|none)\b", g.sent.text, re.I):
                continue
            if _years(a) != _years(g.sent):
                continue  # "none this year" and "eight in 2027" are two years
            between = g.sent.text[g.span.end:g.span.end + 40]
            # an amount names what it is after it ("$400,000 of state funds", "an additional £350,000
            # a year in support"), its modifiers on either side
            head = re.search(_MONEY_WORDS if money else rf"\b{re.escape(g.noun)}\b", between, re.I)
            if not head:
                continue
            around = (g.sent.text[max(0, g.span.start - 20):g.span.end] + " " if money else "") + between[:head.start()]
            if not key <= _phrase_key(re.findall(r"[a-z][a-z-]*", around.lower())):
                continue
            what = head.group().lower() if money else g.noun
            flags.append(_flag("claim_conflict", f"One passage says there are to be no such {what}; another "
                               f"counts “{g.span.text}”.", [_cite_sent(f.doc, a), _cite_sent(f.doc, g.sent)], "error"))
            break
    return flags


_ONE_WORDS = frozenset("one a an single two three four five".split())


def _denied_deed(noun) -> str:
    """The deed a "no N" subject is denied ("no patient had to be evacuated" → evacu), as the
    first letters of its root; "" when the noun is no subject of a deed."""
    while noun.dep_ == "compound" and noun.head.pos_ == "NOUN":
        noun = noun.head  # "no crew member"
    if noun.dep_ not in {"nsubj", "nsubjpass"}:
        return ""
    verb = noun.head
    deed = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None) \
        if verb.lemma_ in {"have", "need", "be"} else verb
    if deed is None or deed.pos_ != "VERB" or stem(deed.lemma_.lower()) in _NOT_ACTS | REPORTING:
        return ""
    root = _event_root(deed.lemma_)[:5]
    return root if len(root) >= 4 else ""


# a present state of being closed: "remains closed", "must remain shut", "closed since Saturday";
# "had been closed since" or "was closed until" is the past, which a reopening may follow
_STILL_CLOSED = re.compile(r"(?<!had been )(?<!was )(?<!were )\b(?:(?:remains?|must remain|will remain|stays?|is still|"
                           r"are still|is|are|has been|have been)\s+(?:still\s+)?(?:closed|shut)\b|closed\s+since\b)", re.I)


def _state_holder(d, i: int) -> str:
    """The noun a state or deed at token ``i`` is said of: its verb's subject, or the noun it
    describes ("with Sallowgate Bridge closed since Saturday")."""
    tok = d[i]
    for head in (tok, tok.head):
        subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}), None)
        if subj is not None:
            return subj.lemma_.lower()
    if tok.head.pos_ in {"NOUN", "PROPN"}:
        return tok.head.lemma_.lower()
    prev = d[i - 1] if i > 0 else None
    return prev.lemma_.lower() if prev is not None and prev.pos_ in {"NOUN", "PROPN"} else ""


def _reopened_flags(f: Facts) -> list[Flag]:
    """A place said to have reopened, and said elsewhere to be closed still ("reopened to traffic
    on Monday" / "with Sallowgate Bridge closed since Saturday")."""
    opened, closed = [], []
    for s in f.sents:
        d = nlp.parse(s.text)
        for t in d:
            if t.lemma_.lower() in {"reopen", "re-open"} and t.tag_ in {"VBD", "VBN"} and not any(
                    c.dep_ in {"neg", "aux"} and c.lower_ in {"not", "n't", "will", "would", "could", "may",
                                                             "might", "should", "to"} for c in t.children) \
                    and t.dep_ not in {"xcomp", "amod"}:
                opened.append((s, _state_holder(d, t.i)))
        for m in _STILL_CLOSED.finditer(s.text):
            i = next((t.i for t in d if t.idx >= m.start() and t.lower_ in {"closed", "shut"}), None)
            if i is not None:
                closed.append((s, _state_holder(d, i)))
    for so, ho in opened:
        for sc, hc in closed:
            if so is sc or not ho or not hc:
                continue
            if ho == hc or ho in hc.split() or hc in ho.split() or ho.split()[-1] == hc.split()[-1]:
                first, second = (so, sc) if so.i < sc.i else (sc, so)
                return [_flag("claim_conflict", "Something said to have reopened is also said to be closed still.",
                              [_cite_sent(f.doc, first), _cite_sent(f.doc, second)], "error")]
    return []


_KEEP_VERBS = frozenset({"stay", "remain", "keep"})
_WHOLE_SPAN = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:throughout|during|for the duration|all (?:day|night|weekend|week)|"
                         r"the whole|the entire|until|till)\b", re.I)
_EARLIER = re.compile(r"\b(?:last year|years? ago|previously|formerly|in the past|used to)\b", re.I)
_NOT_YET = frozenset({"not", "n't", "never", "will", "would", "could", "may", "might", "should", "if", "to", "unless"})


def _state_word(t) -> str:
    """The adjective a token states ("stayed open" → open; "is closed" → closed), or ""."""
    for w in (t.lower_, t.lemma_.lower()):
        if senses.antonyms(w, "a"):
            return w
    return ""


def _opposed_states(a: str, b: str) -> bool:
    return a != b and (b in senses.antonyms(a, "a") or a in senses.antonyms(b, "a"))


_PREMISES = frozenset({"building", "site", "premises", "venue", "facility", "campus"})


def _housed_in(thing: str, place: str) -> bool:
    """"The building" of an article about a museum is the museum's: a generic word for premises
    against a place-like institution (WordNet: a kind of structure or facility)."""
    return place.split()[-1] in _PREMISES and thing.split()[-1] not in _PREMISES and any(
        senses.kind_of(thing.split()[-1], broad) for broad in ("structure", "facility", "establishment"))


def _kept_state_flags(f: Facts, words) -> list[Flag]:
    """A state said to hold over a span ("the unit would stay open throughout the project", "must
    remain closed until a second inspection") against the opposite state of the same thing
    elsewhere ("while the unit is closed for the works", "the restaurant reopened on Thursday").
    Opposites come from WordNet, so any pair of antonym states counts, not a list of them."""
    kept, held = [], []  # (sent, holder, state); (sent, holder, state, reopened)
    for s in f.sents:
        d = nlp.parse(s.text)
        for t in d:
            lemma = t.lemma_.lower()
            if lemma in _KEEP_VERBS and t.pos_ in {"VERB", "AUX"} \
                    and not any(c.dep_ == "neg" for c in t.children):
                comp = next((c for c in t.children if c.dep_ in {"acomp", "oprd", "xcomp", "ccomp", "advmod"}
                             and c.pos_ in {"ADJ", "VERB", "ADV"}), None)
                state = _state_word(comp) if comp is not None else ""
                if state and _WHOLE_SPAN.match(s.text[comp.idx + len(comp.text):]):
                    kept.append((s, _state_holder(d, t.i), state))
                continue
            if any(c.lower_ in _NOT_YET or c.dep_ == "neg" for c in t.children) or t.dep_ in {"amod", "xcomp"}:
                continue
            if lemma in {"reopen", "re-open"} and t.tag_ in {"VBD", "VBN"}:
                held.append((s, _state_holder(d, t.i), "open", True))
            elif t.tag_ in {"VBN", "JJ"} and t.head.lemma_ == "be" and t.dep_ in {"acomp", "ROOT", "advcl"} \
                    or t.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.lemma_ == "be" for c in t.children):
                state = _state_word(t)
                if state and not (t.dep_ == "acomp" and any(c.lower_ in _NOT_YET for c in t.head.children)):
                    held.append((s, _state_holder(d, t.i), state, False))
    for sk, hk, state in kept:
        for sh, hh, other, again in held:
            if sh is sk or not hk or not hh:
                continue
            if _years(sh) - _years(sk) or _EARLIER.search(sh.text):
                continue  # "it was closed in 2019": another time
            same = hk == hh or hk.split()[-1] == hh.split()[-1] or senses.kind_of(hk, hh) \
                or senses.kind_of(hh, hk) or (words is not None and len(hk) > 3 and len(hh) > 3 and words.same(hk, hh)) \
                or _housed_in(hk, hh) or _housed_in(hh, hk)
            if not same:
                continue
            # a reopening says the thing was closed before it: no "open throughout" can hold
            if _opposed_states(state, other) or (again and state == other):
                first, second = (sk, sh) if sk.i < sh.i else (sh, sk)
                return [_flag("claim_conflict", f"The {hk} is said to stay {state} over a span, and "
                              f"elsewhere to be {'reopened' if again else other}.",
                              [_cite_sent(f.doc, first), _cite_sent(f.doc, second)], "error")]
    return []


# "the first increase since 2017", "the first ever hatched at the park since the colony arrived in 2009"
_FIRST_SINCE = re.compile(r"\bfirst\s+(?P<what>(?:[\w-]+\s+){1,5}?)since\s+(?:(?:the|its|their|it|they)\s+"
                          r"(?:[\w-]+\s+){0,2}?(?:arrived|opened|began|started|was founded|were founded|"
                          r"was set up|came|moved in)\s+in\s+)?(?P<y>(?:19|20)\d\d)\b", re.I)
# "fees had last risen in 2021", "the last chick at Penwick, hatched in 2017"
_LAST_IN = re.compile(r"\blast\s+(?:[\w'’-]+,?\s+){0,4}?in\s+(?P<y>(?:19|20)\d\d)\b", re.I)


def _first_since_flags(f: Facts) -> list[Flag]:
    """"The first increase in fees since 2017" against "fees had last risen in 2021": a later
    instance than the "first since" allows."""
    flags = []
    for a in f.sents:
        for m in _FIRST_SINCE.finditer(a.text):
            what = {t for t in terms(m.group("what")) if len(t) > 2}
            for b in f.sents:
                if b is a:
                    continue
                for n in _LAST_IN.finditer(b.text):
                    near = set(terms(b.text[max(0, n.start() - 60):n.end()]))
                    if int(n.group("y")) > int(m.group("y")) and what & near:
                        flags.append(_flag("claim_conflict",
                                           f"Called the first since {m.group('y')}, but another sentence gives "
                                           f"one in {n.group('y')}.",
                                           [_cite_sent(f.doc, a), _cite_sent(f.doc, b)], "error"))
    return flags[:1]


# A first claimed outright: "the first time in its history that", "the first win of her career",
# "the first cruise vessel ever to call"
_FIRST_CLAIM = re.compile(r"\b(?:for the first time|first[- ]ever|never before|the first time|"
                          r"first\s+[\w-]+\s+of\s+(?:his|her|their|its)\s+career|first\s+(?:[\w-]+\s+){1,2}ever)\b", re.I)
# An instance told as past: "last shrank its programme in 1998", "also won ... last season",
# "had won the Golden Heron"
_BEFORE_MARK = re.compile(r"\b(?:last|also|previously|once|earlier|before|already|in (?:19|20)\d\d)\b", re.I)
_NOT_ACTS = _stems("be have do make say said tell told add added call called describe described take took get got "
                   "give gave go went come came put set hold held keep kept")


def _first_again_flags(f: Facts, words) -> list[Flag]:
    """A first claimed outright ("the first time in the company's history that it has reduced
    ...") against a sentence telling an earlier instance of the same act ("the opera last shrank
    its programme in 1998"): the act named alike (same root, or words the embedding puts close),
    told in the past with a mark of an earlier time, and sharing a name or a noun."""
    if words is None or not any(_FIRST_CLAIM.search(s.text) for s in f.sents):
        return []
    year = _when(str(f.doc.metadata.get("date", "")))
    parsed = {s.i: nlp.parse(s.text) for s in f.sents}
    flags = []
    for a in f.sents:
        m = _FIRST_CLAIM.search(a.text)
        if not m or re.search(r"\b(?:since|in (?:\w+\s+){0,2}(?:years|decades))\b", a.text[m.start():]):
            continue  # "the first time since 1990", "for the first time in 23 years": a return
        da = parsed[a.i]
        acts = {t.lemma_.lower() for t in da if (t.pos_ == "VERB" or t.pos_ == "NOUN" and t.idx >= m.start()
                                                 and t.idx < m.end()) and stem(t.lemma_.lower()) not in _NOT_ACTS
                and stem(t.lemma_.lower()) not in REPORTING}
        nouns = {stem(t.lemma_.lower()) for t in da if t.pos_ in {"NOUN", "PROPN"}} - _FIRST_GENERIC
        for b in f.sents:
            if b is a or _FIRST_CLAIM.search(b.text) or re.search(r"\b(?:not|never|no)\b", b.text, re.I):
                continue
            db = parsed[b.i]
            years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", b.text)]
            if year and any(y >= year[0] for y in years):
                continue
            past = [t for t in db if t.tag_ == "VBD" or t.tag_ == "VBN" and any(c.lower_ == "had" for c in t.children)]
            hit = next((t for t in past if stem(t.lemma_.lower()) not in _NOT_ACTS | REPORTING and any(
                _event_root(t.lemma_) == _event_root(x) or words.same(t.lemma_.lower(), x)
                or x in senses.synonyms(t.lemma_.lower(), "v") for x in acts)), None)  # began ~ start
            if hit is None or not (_BEFORE_MARK.search(b.text) or hit.tag_ == "VBN"):
                continue
            nouns_b = {stem(t.lemma_.lower()) for t in db if t.pos_ in {"NOUN", "PROPN"}} - _FIRST_GENERIC
            if not nouns & nouns_b and not any(
                    senses.kind_of(x.lemma_.lower(), y.lemma_.lower()) for x in da if x.pos_ in {"NOUN", "PROPN"}
                    for y in db if y.pos_ == "NOUN" and stem(y.lemma_.lower()) not in _FIRST_BROAD):
                continue  # "the half marathon" is the race
            flags.append(_flag("claim_conflict",
                               f"A first is claimed, but another passage tells an earlier instance (“{hit.text}”).",
                               [_cite_sent(f.doc, a), _cite_sent(f.doc, b)], "error"))
            break
    return flags


def claim_flags(all_facts: Sequence[Facts], words=None) -> list[Flag]:
    """Opposite positions or outcomes on the same matter, one event with two dates or places."""
    flags = [x for f in all_facts for x in _dated_flags(f, words) + _absence_flags(f) + _unanimity_flags(f)
             + _first_time_flags(f) + _majority_flags(f) + _reopened_flags(f) + _first_since_flags(f)
             + _first_again_flags(f, words) + _kept_state_flags(f, words) + _none_counted_flags(f)]
    rows = [(f, s, v, n) for f in all_facts for s, v, n in f.claims]
    for i, (fa, sa, va, na) in enumerate(rows):
        for fb, sb, vb, nb in rows[i + 1:]:
            if fa is not fb and not _same_story(fa, fb):
                continue
            shared = na & nb
            for pos, neg in _OPPOSITE:
                if len(shared) >= 2 and ((va & pos and vb & neg) or (va & neg and vb & pos)):
                    flags.append(_flag("claim_conflict",
                                       "One passage confirms what the other denies about "
                                       f"the same matter ({', '.join(sorted(shared)[:3])}).",
                                       [_cite_sent(fa.doc, sa), _cite_sent(fb.doc, sb)], "error"))
    events = [(f, e) for f in all_facts for e in f.events]
    done: set[tuple] = set()
    for i, (fa, a) in enumerate(events):
        for fb, b in events[i + 1:]:
            if a.sent is b.sent or a.verb != b.verb:
                continue
            if fa is not fb and not _same_story(fa, fb) and not (a.anchor and a.anchor == b.anchor
                                                                 and a.verb != "outcome"):
                continue  # other stories: only the very same named happening ("the strike began")
            msg = _event_clash(fa, a, fb, b, words)
            if not msg:
                continue
            key = (a.anchor, a.verb, fa.doc.id, fb.doc.id)
            if key in done:
                continue
            done.add(key)
            cites = [_cite_sent(fa.doc, a.sent), _cite_sent(fb.doc, b.sent)]
            if a.verb == "polar:stance" and fa is fb:  # every passage where the party takes either side
                cites += [_cite_sent(fa.doc, e.sent) for f, e in events if f is fa and e.verb == a.verb
                          and e.anchor == a.anchor and e.polarity and e.sent not in (a.sent, b.sent)]
            flags.append(_flag("claim_conflict", msg, list({(c.start, c.end): c for c in cites}.values()), "error"))
    return flags


def _anchors_agree(a: str, b: str, same_doc: bool, words) -> bool:
    if a == b and a:
        return True
    if not a or not b:
        return same_doc and bool(a or b)  # a pronoun ("it departed") is the article's own subject
    if words is None:
        return False
    words._vector([a, b])
    va, vb = words._vectors[a], words._vectors[b]
    return sum(x * y for x, y in zip(va, vb)) >= 0.45


def _event_clash(fa: Facts, a: Event, fb: Facts, b: Event, words) -> str:
    if a.verb.startswith("stance:"):
        return ""
    if a.verb.startswith("polar:"):
        if a.polarity == b.polarity or not a.anchor or not b.anchor:
            return ""
        if a.anchor != b.anchor and not (fa is fb and a.value and a.value == b.value and a.value.split("|")[2]
                                         and ({a.anchor, b.anchor} & ORG_NOUNS)) \
                and not (fa is fb and (a.anchor in b.holders or b.anchor in a.holders)):
            return ""  # one actor; "the company" may stand for the article's named firm, "the
            # dockworkers" for the Dockworkers' Union
        pa, pb = (a.value or "||").split("|"), (b.value or "||").split("|")
        oa, ob = pa[0], pb[0]
        if a.verb == "polar:stance":
            if not (oa and ob):
                return ""
            if oa != ob and not (pa[1] and pb[1]) and not (
                    words is not None and _similarity(words, oa, ob) >= 0.5):
                return ""
            if oa != ob and (a.alternative or b.alternative):
                return ""  # "approved a plan" / "rejected a more ambitious option": two options
            return f"The same party ({a.anchor}) is said both to back and to oppose the same matter."
        if oa or ob:
            if oa == ob and pa[2] and pa[2] == pb[2]:
                return "One passage rules out an act on a named thing that another passage says is under way."
            return ""
        return "One passage says this was done; another, about the same person or body, that it was refused or not done."
    if a.verb == "outcome":
        ma, mb = a.value.split("|"), b.value.split("|")
        if ma[0] != mb[0] or a.polarity == b.polarity:
            return ""
        if ma[1] and mb[1] and not (set(ma[1].split()) & set(mb[1].split())):
            return ""
        if a.anchor and b.anchor and a.anchor != b.anchor:
            return ""
        if a.decider and b.decider and a.decider != b.decider:
            return ""  # two bodies deciding differently is no contradiction
        if not (a.anchor or b.anchor or a.decider or b.decider) and fa is not fb:
            return ""
        return f"The same {ma[0]} is given opposite outcomes."
    if not _anchors_agree(a.anchor, b.anchor, fa is fb, words):
        return ""
    if a.verb.startswith(("move:", "at:")):
        if _same(a.value, b.value):
            return ""
        if a.verb.startswith("move:"):
            what = {"depart": "departure", "arrive": "arrival"}[a.verb[5:]]
            return f"The same {what} is placed at “{a.value}” and at “{b.value}”."
        return f"The same event ({a.anchor or 'it'} … {a.verb[3:]}) is placed at “{a.value}” and at “{b.value}”."
    if _dates_differ(a.value, b.value):
        return f"The same event ({a.anchor} … {a.verb}) is dated “{a.value}” and “{b.value}”."
    return ""


def _stance_flags(all_facts: Sequence[Facts]) -> list[Flag]:
    flags = []
    events = [(f, e) for f in all_facts for e in f.events if e.verb.startswith("stance:")]
    for i, (fa, a) in enumerate(events):
        for fb, b in events[i + 1:]:
            if a.verb != b.verb and a.value == b.value and a.anchor == b.anchor and a.sent is not b.sent:
                flags.append(_flag("claim_conflict",
                                   f"The same party ({a.anchor}) is said to argue for and "
                                   f"against the same {a.value}.",
                                   [_cite_sent(fa.doc, a.sent), _cite_sent(fb.doc, b.sent)], "error"))
    return flags


def _prefetch(all_facts: Sequence[Facts], words) -> None:
    """Embed every word the rules may compare in one batch (one model call, not one per pair)."""
    if words is None:
        return
    vocab = set()
    for f in all_facts:
        vocab.update(g.noun.lower() for g in f.figures if g.noun and not g.noun.startswith("money:"))
        vocab.update(e.anchor for e in f.events if e.anchor)
        for m in f.people:
            vocab.update(t[0] for t in m.titles)
            if m.noun:
                vocab.add(m.noun.lower())
            vocab.update(a[2].lower() for a in m.alts)
    words._vector(sorted(vocab))


def audit(all_facts: Sequence[Facts], words) -> list[Flag]:
    """Every flag over these documents (within each and across them)."""
    from . import pairs  # it builds on this module's predicates

    _prefetch(all_facts, words)
    flags = role_flags(all_facts, words) + support_flags(all_facts) + claim_flags(all_facts, words) \
        + _stance_flags(all_facts) + number_flags(all_facts, words) + attribution_flags(all_facts, words)
    # two rules may find one clash: one flag per kind and pair of passages
    seen: set[tuple] = set()
    unique = []
    for flag in flags:
        key = (flag.kind, frozenset((c.document_id, c.start) for c in flag.citations))
        if key not in seen:
            seen.add(key)
            unique.append(flag)
    flags = unique
    # the learned judges add what the rules missed; a pair of sentences the rules already flagged
    # is not flagged again
    taken = _cited_pairs(all_facts, flags)
    return flags + pairs.number_pair_flags(all_facts, words, taken) + pairs.said_pair_flags(all_facts, words, taken)


def _cited_pairs(all_facts: Sequence[Facts], flags: Sequence[Flag]) -> set[frozenset]:
    """(id of facts, sentence index) pairs already cited together by a flag."""
    out = set()
    for flag in flags:
        at = []
        for c in flag.citations:
            for f in all_facts:
                if f.doc.id == c.document_id:
                    at.extend((id(f), s.i) for s in f.sents if s.start <= c.start < s.end)
        out.update(frozenset({x, y}) for i, x in enumerate(at) for y in at[i + 1:])
    return out
