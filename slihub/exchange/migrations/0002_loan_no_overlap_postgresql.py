"""On PostgreSQL, a specialist's agreed loans can never overlap: an exclusion constraint.

SQLite has no exclusion constraints; there (and on PostgreSQL too) services.accept_loan locks the
specialist's row and checks for an overlap before agreeing a loan."""

from django.db import migrations

AGREED = "('accepted', 'active', 'completed', 'ended_early')"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE exchange_loan ADD CONSTRAINT loan_specialist_no_overlap
    EXCLUDE USING gist (specialist_id WITH =, daterange("start", "end", '[]') WITH &&)
    WHERE (status IN {AGREED});
"""
DROP = "ALTER TABLE exchange_loan DROP CONSTRAINT IF EXISTS loan_specialist_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
