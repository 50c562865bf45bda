"""Provenance as long as the sources give it: a published pool's citation and place, and where a transcribed
effect was seen, are text of any length (a Cochrane citation or a forest plot's place can run past 300).
A study records the loader that owns it when that is not its practice's (a review's transcription on an
EIF programme, say), so that reloading the programme's source keeps it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0008_outcome_problems"),
    ]

    operations = [
        migrations.AddField(
            model_name="study",
            name="source",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AlterField(
            model_name="effectestimate",
            name="source_place",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="publishedpool",
            name="citation",
            field=models.TextField(),
        ),
        migrations.AlterField(
            model_name="publishedpool",
            name="place",
            field=models.TextField(),
        ),
    ]
