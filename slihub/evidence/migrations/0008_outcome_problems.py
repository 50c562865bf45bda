"""The problem of each outcome already stored, from the reviewed tables in slihub/evidence/problems.py.

Only a blank problem is filled: one already set (by the library's own transcriptions, which carry their
problem) is left as it is. Going back leaves the problems in place (the field itself is 0006's)."""

from django.db import migrations


def fill_problems(apps, schema_editor):
    from slihub.evidence.problems import problem_of

    Outcome = apps.get_model("evidence", "Outcome")
    changed = []
    for outcome in Outcome.objects.filter(problem="").only("pk", "name", "domain", "problem"):
        outcome.problem = problem_of(outcome.name, outcome.domain)
        if outcome.problem:
            changed.append(outcome)
    Outcome.objects.bulk_update(changed, ["problem"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0006_library_content"),
    ]

    operations = [migrations.RunPython(fill_problems, migrations.RunPython.noop, elidable=True)]
