"""A resident's essay entries are in their data export and leave with their erasure."""

import json

from essays.models import Entry, Vote


def test_the_export_lists_the_residents_entry(client, cast, entry):
    client.force_login(cast.resident.user)

    data = json.loads(client.get("/toi/du-lieu.json").content.decode())

    lines = [row["nội dung"] for row in data["hoạt động"] if row["loại"] == "bài dự thi viết"]
    assert lines == [f"{entry.contest.title}: Tôi gọi video cho cháu (Chờ duyệt)"]
    csv_text = client.get("/toi/du-lieu.csv").content.decode()
    assert "Tôi gọi video cho cháu" in csv_text


def test_erasure_deletes_the_residents_entries_with_their_votes(client, cast, approved):
    Vote.objects.create(
        commune=cast.commune,
        contest=approved.contest,
        entry=approved,
        voter="resident:1",
        day=approved.created_at.date(),
    )
    client.force_login(cast.resident.user)

    client.post("/toi/xoa-du-lieu/")

    assert not Entry.objects.filter(pk=approved.pk).exists()
    assert not Vote.objects.filter(entry_id=approved.pk).exists()
