import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    SessionPhoto = apps.get_model("outreach", "SessionPhoto")
    for photo in SessionPhoto.objects.select_related("session").iterator():
        photo.commune_id = photo.session.commune_id
        photo.save(update_fields=["commune"])


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_teams_sessions_skills_mentoring"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionphoto",
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
            model_name="sessionphoto",
            name="commune",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="places.commune",
            ),
        ),
    ]
