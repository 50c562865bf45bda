"""Full-text search over practices (their studies included) and validated local practice, behind one
function: ``search_ids``.

SQLite: an FTS5 table ``evidence_practice_fts`` (name, body), ranked by bm25 with the name weighted
10 to 1. PostgreSQL: a table ``evidence_practice_search`` holding a weighted tsvector (name A, body B)
with a GIN index, ranked by ts_rank_cd. Both tables are made by migration 0002 and kept in step by
``reindex`` (called by every import and upload). The tables have no foreign key, so that Django can
flush the database; a row left by a practice deleted elsewhere is never returned.

Both kinds share one index so that they are ranked alike (bm25 weighs words by how rare they are in
the whole index): a practice's row is keyed by its id, a local practice's by minus its id. Only
validated local practice is indexed, and the query checks its status again. Queries are reduced
to words, so no user input reaches the query syntax: every word must match (as a prefix on SQLite, a
stem on PostgreSQL).
"""

from __future__ import annotations

import re

from django.db import connection

from slihub.evidence.models import LocalPractice, Practice

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12
PRACTICE, LOCAL = "practice", "local"


def words(query: str) -> list[str]:
    return WORD.findall(query.lower())[:MAX_WORDS]


def document(practice: Practice, studies=(), outcomes=()) -> tuple[str, str]:
    """(name, body) indexed for a practice: its summary, labels, studies' citations and outcomes."""
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
    return practice.name, body


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
        outcomes = sorted({e.outcome.name for s in practice.studies.all() for e in s.effects.all()})
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
    terms = words(query)
    if not terms:
        return []
    validated = LocalPractice.Status.VALIDATED.value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " & ".join(f"{t}:*" for t in terms)
            if kind == PRACTICE:
                exists = "practice_id > 0 AND practice_id IN (SELECT id FROM evidence_practice)"
                params: list = [tsquery]
            else:
                exists = (
                    "practice_id < 0 AND -practice_id IN "
                    "(SELECT id FROM evidence_localpractice WHERE status = %s)"
                )
                params = [tsquery, validated]
            sql = (
                "SELECT abs(practice_id) FROM evidence_practice_search, to_tsquery('english', %s) q "
                f"WHERE document @@ q AND {exists} "
                "ORDER BY ts_rank_cd(document, q) DESC, practice_id"
            )
        else:
            match = " ".join(f'"{t}"*' for t in terms)
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
