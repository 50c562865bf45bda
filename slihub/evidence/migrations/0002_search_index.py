"""The full-text index: an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    from slihub.evidence.search import create_tables

    create_tables(schema_editor)


def drop(apps, schema_editor):
    from slihub.evidence.search import drop_tables

    drop_tables(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
