import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Question = apps.get_model("learning", "Question")
    for question in Question.objects.select_related("lesson").iterator():
        question.commune_id = question.lesson.commune_id
        question.save(update_fields=["commune"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_lessons_progress_certificates"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="commune",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="places.commune",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="question",
            name="commune",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="places.commune",
            ),
        ),
    ]
