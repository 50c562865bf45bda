"""Ranking the catalogue's indicators for a search: words, a light stemmer, synonyms, weighted fields.

Pure functions, no Django: an Index is built once per data release (catalogue_selectors.py) and
ranks in a few milliseconds. A document has four fields, weighted name > short name and code >
theme and topic > definition. Words are lower-cased and stemmed ("referrals", "referred" ->
"referr"/"refer" alike on both sides), and the phrases of one SYNONYMS row become one concept
("CLA", "looked after", "children in care" all read as looked-after children), so a search finds
every publisher's wording. Every word of the query must be found in some field; the best field
counts, rarer words count more, and a name that says little besides the query comes first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

FIELD_WEIGHTS = {"name": 8.0, "short": 5.0, "theme": 3.0, "definition": 1.0}

#: Words that carry no meaning of their own in this catalogue: ignored in queries and in names'
#: length. "children", "31 March", "per 10,000" qualify most of the bank's names.
STOPWORDS = frozenset(
    "a an and are as at be by during each for from in is it its of on or per the their to under who "
    "with were which 31 march 10000 18 children child pupil young people".split()
)

#: A reviewed table, like classification.py: each row is one concept and the ways publishers and
#: practitioners write it. Review changes to it like code: a phrase here changes what a search finds.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    (
        "looked after",
        "looked-after",
        "children looked after",
        "looked after children",
        "cla",
        "lac",
        "children in care",
        "child in care",
        "in care",
    ),
    ("children in need", "child in need", "cin"),
    ("child protection", "cp", "child protection plan", "cpp", "protection plan"),
    ("neet", "not in education employment or training", "not in education, employment or training"),
    ("eet", "in education employment or training", "in education, employment or training"),
    ("sen", "send", "special educational needs", "special educational needs and disabilities"),
    ("ehcp", "ehc plan", "education health and care plan", "education, health and care plan"),
    ("fsm", "free school meals", "free school meal"),
    ("ks1", "key stage 1"),
    ("ks2", "key stage 2"),
    ("ks4", "key stage 4"),
    ("ks5", "key stage 5"),
    ("re-referral", "rereferral", "repeat referral"),
    ("s47", "section 47", "s 47"),
    ("uasc", "unaccompanied asylum seeking children", "unaccompanied asylum seeking child"),
    ("care leavers", "care leaver", "former relevant children", "former relevant child", "care experienced"),
    ("agency workers", "agency worker", "agency social workers", "agency social worker", "agency staff"),
    ("caseload", "case load", "cases per social worker"),
    ("turnover", "staff turnover", "leavers rate"),
    ("vacancy", "vacancies", "vacant posts"),
    ("sgo", "special guardianship", "special guardianship order"),
    ("youth justice", "yjs", "youth offending", "yot"),
    ("sdq", "strengths and difficulties questionnaire", "emotional and behavioural health"),
    ("persistent absence", "persistently absent"),
)

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing and -ed endings. Enough to match "referrals" with
    "referral" and "starting" with "start"; it need only treat the query and the catalogue alike."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]  # stopping -> stop, referred -> refer
            break
    return word


def words(text: str) -> list[str]:
    """Lower-cased, stemmed words; "10,000" reads as one number."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower())
    return [stem(w) for w in _WORD.findall(text)]


def _phrases() -> dict[tuple[str, ...], str]:
    table = {}
    for row in SYNONYMS:
        concept = "@" + "_".join(words(row[0]))
        for phrase in row:
            table[tuple(words(phrase))] = concept
    return table


PHRASES = _phrases()
_LONGEST = max(len(p) for p in PHRASES)


def units(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The text's meaningful units in order: (concept, its words) for a synonym phrase (longest
    first), (word, (word,)) for any other word but a stopword."""
    found, ws, at = [], words(text), 0
    while at < len(ws):
        for size in range(min(_LONGEST, len(ws) - at), 0, -1):
            concept = PHRASES.get(tuple(ws[at : at + size]))
            if concept:
                found.append((concept, tuple(ws[at : at + size])))
                at += size
                break
        else:
            if ws[at] not in STOPWORDS:
                found.append((ws[at], (ws[at],)))
            at += 1
    return found


def terms(text: str) -> set[str]:
    """What a field can be found by: its concepts and every word (a stopword too, so "in care" in a
    definition still matches "care")."""
    return {unit for unit, _ in units(text)} | set(words(text))


def query_terms(text: str) -> list[str]:
    """The query's concepts and words, in order, each once (its stopwords when it has nothing else:
    a search for "children" finds the names that say so)."""
    found = [unit for unit, _ in units(text)] or words(text)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Document:
    key: object  # what the caller gets back: an id
    name: str
    short: str = ""  # short name, code
    theme: str = ""  # theme, topic
    definition: str = ""


@dataclass
class _Entry:
    key: object
    fields: dict[str, set[str]]
    name_units: list[str]


@dataclass
class Index:
    """Documents in their default order (the order of ties); build once, rank many times."""

    entries: list[_Entry] = field(default_factory=list)
    df: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, documents: Iterable[Document]) -> Index:
        index = cls()
        for doc in documents:
            fields = {
                "name": terms(doc.name),
                "short": terms(doc.short),
                "theme": terms(doc.theme),
                "definition": terms(doc.definition),
            }
            index.entries.append(_Entry(doc.key, fields, [u for u, _ in units(doc.name)]))
            for term in set().union(*fields.values()):
                index.df[term] = index.df.get(term, 0) + 1
        return index

    def idf(self, term: str) -> float:
        return math.log(1 + len(self.entries) / (1 + self.df.get(term, 0)))

    def rank(self, query: str) -> list:
        """The keys of the documents holding every term of the query, best first (ties in the index's
        order). An empty query (or one of stopwords only) returns every key in that order."""
        wanted = query_terms(query)
        if not wanted:
            return [e.key for e in self.entries]
        weights = {t: self.idf(t) for t in wanted}
        scored = []
        for position, entry in enumerate(self.entries):
            score = _score(entry, wanted, weights)
            if score is not None:
                scored.append((-score, position, entry.key))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [key for _, _, key in scored]


def _score(entry: _Entry, wanted: Sequence[str], weights: dict[str, float]) -> float | None:
    total = 0.0
    for term in wanted:
        best = max((w for f, w in FIELD_WEIGHTS.items() if term in entry.fields[f]), default=0.0)
        if not best:
            return None
        total += best * weights[term]
    # A name that is mostly the query ("Children looked after rate per 10,000" for "looked after
    # rate") before one that says more ("children starting to be looked after, rate").
    if entry.name_units:
        shared = sum(1 for u in entry.name_units if u in weights)
        total += FIELD_WEIGHTS["name"] * 2 * shared / len(entry.name_units)
    return round(total, 9)
