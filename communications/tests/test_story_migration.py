"""Articles of the old kind "story" become Story drafts when the Story model arrives."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("communications", "0001_news_calendar_radio_posters_scams")]
AFTER = [("communications", "0002_story")]


@pytest.mark.django_db(transaction=True)
def test_old_story_articles_become_drafts_that_need_their_person_and_consent():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Commune = apps.get_model("places", "Commune")
    Article = apps.get_model("communications", "Article")
    commune = Commune.objects.create(
        code=99001, name="Xã Thử", division_type="xã", province_code=40, province_name="Nghệ An"
    )
    Article.objects.create(
        commune=commune, kind="story", title="Bà Lành bán cam", slug="ba-lanh", body="Câu chuyện."
    )
    Article.objects.create(commune=commune, kind="news", title="Tin", slug="tin", body="Tin.")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Story = apps.get_model("communications", "Story")
    Article = apps.get_model("communications", "Article")
    story = Story.objects.get()
    assert (story.title, story.slug, story.status) == ("Bà Lành bán cam", "ba-lanh", "draft")
    assert story.resident_id is None and story.consent_form == ""
    assert "ghi nhận sự đồng ý" in story.status_note
    assert list(Article.objects.values_list("kind", flat=True)) == ["news"]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
