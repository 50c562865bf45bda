"""Full-text search over practices (their studies included) behind one function: ``search_ids``.

SQLite: an FTS5 table ``evidence_practice_fts`` (name, body), ranked by bm25 with the name weighted
10 to 1. PostgreSQL: a table ``evidence_practice_search`` holding a weighted tsvector (name A, body B)
with a GIN index, ranked by ts_rank_cd. Both tables are made by migration 0002 and kept in step by
``reindex`` (called by every import and upload). The tables have no foreign key, so that Django can
flush the database; a row left by a practice deleted elsewhere is never returned. Queries are reduced
to words, so no user input reaches the query syntax: every word must match (as a prefix on SQLite, a
stem on PostgreSQL).
"""

from __future__ import annotations

import re

from django.db import connection

from slihub.evidence.models import Practice

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


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
        if connection.vendor == "postgresql":
            table, key = "evidence_practice_search", "practice_id"
        else:
            table, key = "evidence_practice_fts", "rowid"
        if practice_ids is None:
            cursor.execute(f"DELETE FROM {table}")
        else:
            for start in range(0, len(practice_ids), 500):
                chunk = list(practice_ids)[start : start + 500]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", chunk)
        if connection.vendor == "postgresql":
            cursor.executemany(
                "INSERT INTO evidence_practice_search (practice_id, document) VALUES (%s, "
                "setweight(to_tsvector('english', %s), 'A') || setweight(to_tsvector('english', %s), 'B'))",
                rows,
            )
        else:
            cursor.executemany(
                "INSERT INTO evidence_practice_fts (rowid, name, body) VALUES (%s, %s, %s)", rows
            )


def search_ids(query: str, limit: int | None = None) -> list[int]:
    """Ids of the practices matching every word of ``query``, best first ([] for no words)."""
    terms = words(query)
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = " & ".join(f"{t}:*" for t in terms)
            sql = (
                "SELECT practice_id FROM evidence_practice_search, to_tsquery('english', %s) q "
                "WHERE document @@ q AND practice_id IN (SELECT id FROM evidence_practice) "
                "ORDER BY ts_rank_cd(document, q) DESC, practice_id"
            )
            params: list = [tsquery]
        else:
            match = " ".join(f'"{t}"*' for t in terms)
            sql = (
                # Materialised first: with the join inside, SQLite's planner probes FTS per practice.
                "WITH hits AS MATERIALIZED (SELECT rowid AS id, "
                "bm25(evidence_practice_fts, 10.0, 1.0) AS score FROM evidence_practice_fts "
                "WHERE evidence_practice_fts MATCH %s) "
                "SELECT hits.id FROM hits JOIN evidence_practice p ON p.id = hits.id "
                "ORDER BY hits.score, hits.id"
            )
            params = [match]
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
