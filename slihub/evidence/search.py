"""Full-text search over practices (their studies included) and validated local practice, behind one
function: ``search_ids``.

SQLite: an FTS5 table ``evidence_practice_fts`` (name, body), ranked by bm25 with the name weighted
10 to 1. PostgreSQL: a table ``evidence_practice_search`` holding a weighted tsvector (name A, body B)
with a GIN index, ranked by ts_rank_cd. Both tables are made by migration 0002 and kept in step by
``reindex`` (called by every import and upload). The tables have no foreign key, so that Django can
flush the database; a row left by a practice deleted elsewhere is never returned.

Both kinds share one index so that they are ranked alike (bm25 weighs words by how rare they are in
the whole index): a practice's row is keyed by its id, a local practice's by minus its id. Only
validated local practice is indexed, and the query checks its status again.

Queries are reduced to words, so no user input reaches the query syntax. Each word, or each run of words
that names one of the SYNONYMS groups, is a term; every term must match. A group's term matches any of its
phrases; a plain word matches as a stem (the porter tokenizer on SQLite, the english configuration on
PostgreSQL), and as a prefix of one. A practice's aliases (other names, one per line) are indexed with its
name, and the problems its outcomes bear on (models.PROBLEMS) with its outcomes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

from slihub.evidence.models import PROBLEM_LABELS, LocalPractice, Practice

# letters and digits: an underscore alone would be an empty phrase to FTS5
WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORDS = 12
PRACTICE, LOCAL = "practice", "local"
#: words too common to ask for on their own (PostgreSQL's english configuration drops them too)
STOPWORDS = frozenset("a an and are as at be by for from in is of on or the to with".split())


@dataclass(frozen=True)
class Synonyms:
    """Phrases that name one thing in the words of different sources: a search for any finds them all.
    ``also``: words that ask for the group but are too broad to be searched for on its behalf."""

    phrases: tuple[str, ...]
    why: str
    also: tuple[str, ...] = ()


#: Kept small and reviewed: each group joins words that practitioners, the hub's own pages and the
#: published reviews use for the same thing. Stems need no entry (offenders, offending: "offend").
SYNONYMS = (
    Synonyms(
        ("parenting", "parent training", "parent management training", "parenting programme"),
        "councils and the EIF Guidebook say parenting programme; reviews say (behavioural) parent training",
    ),
    Synonyms(
        (
            "looked after",
            "looked after children",
            "children looked after",
            "children in care",
            "child in care",
            "young people in care",
            "out of home care",
            "care experienced",
        ),
        "'looked after' is the Children Act 1989's term and the DfE's; children, families and most reviews "
        "say 'in care' (international reviews 'out-of-home care'); 'care experienced' is the newer word",
        also=("lac", "cla"),
    ),
    Synonyms(
        (
            "conduct problems",
            "conduct disorder",
            "behaviour problems",
            "behavior problems",
            "behavioural problems",
            "disruptive behaviour",
            "disruptive behavior",
            "challenging behaviour",
            "oppositional behaviour",
            "externalising",
            "externalizing",
        ),
        "the same difficulties are conduct problems to clinicians and Cochrane reviews, behaviour problems "
        "to the EIF, disruptive or challenging behaviour to schools (US spellings in US trials)",
    ),
    Synonyms(
        (
            "youth offending",
            "young offenders",
            "offending",
            "offences",
            "reoffending",
            "delinquency",
            "youth justice",
            "juvenile justice",
        ),
        "youth offending teams and the Youth Justice Board say offending; US reviews say delinquency and "
        "juvenile justice",
        also=("crime", "offender", "offenders"),
    ),
    Synonyms(
        (
            "entry to care",
            "entering care",
            "care entry",
            "care entries",
            "out of home placement",
            "placed in care",
            "taken into care",
            "placement",
        ),
        "the DfE counts entries to care; reviews measure out-of-home placement; social workers say "
        "placement (the hub's problem: entry to care and placement stability)",
    ),
    Synonyms(
        ("maltreatment", "child abuse", "abuse and neglect", "neglect", "child protection", "safeguarding"),
        "reviews say maltreatment, councils child protection and safeguarding, families abuse and neglect; "
        "'abuse' alone asks for the group but is not searched for in it (substance abuse is another thing)",
        also=("abuse",),
    ),
    Synonyms(
        ("substance misuse", "substance abuse", "drug and alcohol", "alcohol and drug", "drug use"),
        "UK services say misuse, US reviews abuse; kept apart from maltreatment",
    ),
    Synonyms(
        ("domestic abuse", "domestic violence", "intimate partner violence"),
        "the Domestic Abuse Act 2021's term, the older one, and the reviews'; kept apart from maltreatment",
    ),
    Synonyms(
        ("school", "attainment", "education", "academic"),
        "the EEF Toolkit measures attainment, the hub's problem is school outcomes, councils say education",
    ),
    Synonyms(
        ("youth", "young people", "adolescents", "adolescence", "teenagers"),
        "the hub's theme is youth; reviews say adolescents",
    ),
)


def _fold(word: str) -> str:
    """A word as synonym phrases are matched: lower case, a plural's s dropped (programmes, problems)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _triggers() -> dict[tuple[str, ...], Synonyms]:
    found = {}
    for group in SYNONYMS:
        for phrase in group.phrases + group.also:
            found[tuple(_fold(w) for w in phrase.split())] = group
    return found


TRIGGERS = _triggers()
LONGEST = max(len(key) for key in TRIGGERS)


def words(query: str) -> list[str]:
    return WORD.findall(query.lower())[:MAX_WORDS]


#: one way a term may match: its words as a phrase, the last a prefix when ``prefix``
Alternative = tuple[tuple[str, ...], bool]


def terms(query: str) -> list[list[Alternative]]:
    """The query as terms, each a list of alternatives (any may match; every term must). A run of words
    naming a synonym group (the longest first) is one term: the words as typed, or any of the group's
    phrases. A word on its own matches as a prefix; a stopword on its own is dropped (unless the query
    has nothing else)."""
    found = words(query)
    folded = [_fold(w) for w in found]
    out: list[list[Alternative]] = []
    i = 0
    while i < len(found):
        for size in range(min(LONGEST, len(found) - i), 0, -1):
            group = TRIGGERS.get(tuple(folded[i : i + size]))
            if group is not None:
                typed = tuple(found[i : i + size])
                alternatives = [(typed, size == 1)]
                phrases = [tuple(p.split()) for p in group.phrases]
                alternatives += [(p, False) for p in phrases if p != typed]
                out.append(alternatives)
                i += size
                break
        else:
            out.append([((found[i],), True)])
            i += 1
    kept = [t for t in out if not (len(t) == 1 and len(t[0][0]) == 1 and t[0][0][0] in STOPWORDS)]
    return kept or out


def document(practice: Practice, studies=(), outcomes=()) -> tuple[str, str]:
    """(name, body) indexed for a practice: its name and aliases (weighted as a name); its summary,
    labels, studies' citations and outcomes (with the problems they bear on)."""
    name = " ".join([practice.name, *practice.aliases.split("\n")]).strip()
    body = " ".join(
        [
            practice.summary,
            practice.setting,
            practice.delivery_model,
            practice.level_of_need,
            " ".join(practice.theme_labels),
            " ".join(practice.ecm_labels),
            practice.source_note,
            " ".join(str(v) for v in (practice.details or {}).values()),
            " ".join(studies),
            " ".join(outcomes),
        ]
    )
    return name, body


def create_tables(schema_editor) -> None:
    """Made by the migration on the database in use."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE evidence_practice_search ("
            " practice_id integer PRIMARY KEY, document tsvector NOT NULL)"
        )
        schema_editor.execute(
            "CREATE INDEX evidence_practice_search_gin ON evidence_practice_search USING gin (document)"
        )
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE evidence_practice_fts USING fts5(name, body, tokenize='porter unicode61')"
        )


def drop_tables(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS evidence_practice_search")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS evidence_practice_fts")


def reindex(practice_ids=None) -> None:
    """Rebuild the index rows of these practices (all when None), deleting those of removed practices."""
    practices = (
        Practice.objects.all() if practice_ids is None else Practice.objects.filter(pk__in=practice_ids)
    )
    practices = list(practices.prefetch_related("studies__effects__outcome"))
    rows = []
    for practice in practices:
        studies = [s.citation for s in practice.studies.all()]
        found = {e.outcome for s in practice.studies.all() for e in s.effects.all()}
        outcomes = sorted({o.name for o in found} | {PROBLEM_LABELS[o.problem] for o in found if o.problem})
        if practice.eef_months is not None:  # an EEF strand's headline is its effect on attainment
            outcomes.append("Attainment (months of progress)")
        name, body = document(practice, studies, outcomes)
        rows.append((practice.pk, name, body))
    with connection.cursor() as cursor:
        _write(cursor, rows, None if practice_ids is None else list(practice_ids), sign=1)


def _write(cursor, rows, ids, *, sign: int) -> None:
    """Replace the index rows of ``ids`` (all of this kind when None) with ``rows`` (key, name, body)."""
    if connection.vendor == "postgresql":
        table, key = "evidence_practice_search", "practice_id"
    else:
        table, key = "evidence_practice_fts", "rowid"
    if ids is None:
        cursor.execute(f"DELETE FROM {table} WHERE {key} {'>' if sign > 0 else '<'} 0")
    else:
        for start in range(0, len(ids), 500):
            chunk = [sign * i for i in ids[start : start + 500]]
            marks = ",".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", chunk)
    if connection.vendor == "postgresql":
        cursor.executemany(
            "INSERT INTO evidence_practice_search (practice_id, document) VALUES (%s, "
            "setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'B'))",
            rows,
        )
    else:
        cursor.executemany("INSERT INTO evidence_practice_fts (rowid, name, body) VALUES (%s, %s, %s)", rows)


def local_document(practice: LocalPractice) -> tuple[str, str]:
    """(name, body) indexed for a validated local practice."""
    body = " ".join(
        [
            practice.summary,
            practice.for_whom,
            practice.outcome_measure,
            practice.comparison,
            practice.evidence,
            practice.authority.name,
            " ".join(practice.theme_labels),
            "validated local practice",
        ]
    )
    return practice.title, body


def reindex_local(ids=None) -> None:
    """Rebuild the index rows of these local practices (all when None): validated ones go in, others out."""
    found = LocalPractice.objects.select_related("authority")
    if ids is not None:
        found = found.filter(pk__in=ids)
    rows = [
        (-practice.pk, *local_document(practice))
        for practice in found.filter(status=LocalPractice.Status.VALIDATED)
    ]
    with connection.cursor() as cursor:
        _write(cursor, rows, None if ids is None else list(ids), sign=-1)


def search_ids(query: str, limit: int | None = None, *, kind: str = PRACTICE) -> list[int]:
    """Ids of the practices (``kind="local"``: the validated local practices) matching every word of
    ``query``, best first ([] for no words)."""
    if kind not in (PRACTICE, LOCAL):
        raise ValueError(f"unknown kind {kind!r}")
    wanted = terms(query)
    if not wanted:
        return []
    validated = LocalPractice.Status.VALIDATED.value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery, params = _tsquery(wanted)
            if kind == PRACTICE:
                exists = "practice_id > 0 AND practice_id IN (SELECT id FROM evidence_practice)"
            else:
                exists = (
                    "practice_id < 0 AND -practice_id IN "
                    "(SELECT id FROM evidence_localpractice WHERE status = %s)"
                )
                params.append(validated)
            sql = (
                f"SELECT abs(practice_id) FROM evidence_practice_search, ({tsquery}) AS found(q) "
                f"WHERE document @@ q AND {exists} "
                "ORDER BY ts_rank_cd(document, q) DESC, practice_id"
            )
        else:
            match = _fts5_match(wanted)
            if kind == PRACTICE:
                sign, join, params = "> 0", "JOIN evidence_practice p ON p.id = hits.id", [match]
            else:
                sign = "< 0"
                join = "JOIN evidence_localpractice p ON p.id = -hits.id AND p.status = %s"
                params = [match, validated]
            sql = (
                # Materialised first: with the join inside, SQLite's planner probes FTS per practice.
                "WITH hits AS MATERIALIZED (SELECT rowid AS id, "
                "bm25(evidence_practice_fts, 10.0, 1.0) AS score FROM evidence_practice_fts "
                f"WHERE evidence_practice_fts MATCH %s AND rowid {sign}) "
                f"SELECT abs(hits.id) FROM hits {join} "
                "ORDER BY hits.score, hits.id"
            )
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _fts5_match(wanted: list[list[Alternative]]) -> str:
    """An FTS5 query: each term's alternatives as quoted phrases joined by OR, the terms by AND. The
    words are letters and digits only (WORD), so nothing in them is FTS5 syntax."""

    def phrase(alternative: Alternative) -> str:
        words_, prefix = alternative
        return f'"{" ".join(words_)}"' + ("*" if prefix else "")

    return " AND ".join("(" + " OR ".join(phrase(a) for a in term) + ")" for term in wanted)


def _tsquery(wanted: list[list[Alternative]]) -> tuple[str, list]:
    """A SELECT of one tsquery with its parameters: each alternative made by PostgreSQL from a parameter
    (a prefix: to_tsquery of 'word:*'; a phrase: phraseto_tsquery, which drops stopwords as the index
    did), joined by || within a term and && between terms."""
    parts, params = [], []
    for term in wanted:
        options = []
        for words_, prefix in term:
            if prefix:
                options.append("to_tsquery('english', %s)")
                params.append(f"{words_[0]}:*")
            else:
                options.append("phraseto_tsquery('english', %s)")
                params.append(" ".join(words_))
        parts.append("(" + " || ".join(options) + ")")
    return "SELECT " + " && ".join(parts), params
