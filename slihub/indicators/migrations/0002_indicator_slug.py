"""Indicator.slug: a stable URL key made from the code (slihub/indicators/slugs.py)."""

from django.db import migrations, models

from slihub.indicators import slugs


def fill_slugs(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    by_source: dict[str, list[str]] = {}
    for source, code in Indicator.objects.values_list("source", "code"):
        by_source.setdefault(source, []).append(code)
    # The importer gives each source's slugs in turn, avoiding the slugs of the sources before it.
    taken: set[str] = set()
    rows = []
    for source in sorted(by_source):
        made = slugs.slugs_for(by_source[source], taken)
        taken |= set(made.values())
        rows += [Indicator(code=code, slug=slug) for code, slug in made.items()]
    ids = dict(Indicator.objects.values_list("code", "id"))
    for row in rows:
        row.id = ids[row.code]
    Indicator.objects.bulk_update(rows, ["slug"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="slug",
            field=models.SlugField(max_length=100, null=True, db_index=False),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="indicator",
            name="slug",
            field=models.SlugField(max_length=100, unique=True),
        ),
    ]
