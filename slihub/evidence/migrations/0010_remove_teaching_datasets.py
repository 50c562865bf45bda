"""Take R's teaching datasets out of the public library: deletes every practice of source "meta" (the
BCG vaccine trials, dat.bcg, and the writing-to-learn studies, dat.bangertdrowns2004, loaded from the
"meta" folder until now), with their studies, effect estimates and pooled results (by cascade), and
their two outcomes when nothing else uses them.

They are reference data for checking the hub's statistics against metafor (tests/unit keeps using them,
and `slihub evidence pool --csv ../shared/data/meta/dat_bcg.csv ...` still pools them), not evidence about
children's services. The loader no longer reads that folder. Going back restores nothing: run
`slihub load-public-data` on an older version to load them again."""

from django.db import migrations

#: the datasets' own outcomes, removed too once nothing else uses them
TEACHING_OUTCOMES = ("tuberculosis-cases", "academic-achievement")


def delete_teaching_datasets(apps, schema_editor):
    Practice = apps.get_model("evidence", "Practice")
    Outcome = apps.get_model("evidence", "Outcome")
    Practice.objects.filter(source="meta").delete()
    Outcome.objects.filter(
        slug__in=TEACHING_OUTCOMES, effects__isnull=True, syntheses__isnull=True, published_pools__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0009_library_provenance"),
    ]

    operations = [migrations.RunPython(delete_teaching_datasets, migrations.RunPython.noop, elidable=True)]
