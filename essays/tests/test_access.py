"""Who may open which essay page: other commune 404, wrong role 403, anonymous to login."""

import pytest
from django.test import Client

from essays.tests.conftest import client_for

ORGANISER_PAGES = [
    "/can-bo/cuoc-thi-viet/{c}/",
    "/can-bo/cuoc-thi-viet/{c}/sua/",
    "/can-bo/cuoc-thi-viet/{c}/tieu-chi/",
    "/can-bo/cuoc-thi-viet/{c}/giam-khao/",
    "/can-bo/cuoc-thi-viet/{c}/duyet/",
]
ORGANISER_POSTS = [
    "/can-bo/cuoc-thi-viet/{c}/phat-dong/",
    "/can-bo/cuoc-thi-viet/{c}/cong-bo/",
    "/can-bo/cuoc-thi-viet/bai/{e}/duyet/",
    "/can-bo/cuoc-thi-viet/{c}/giam-khao/{j}/xoa/",
]


def urls(templates, contest, entry):
    judge = contest.judges.first()
    return [t.format(c=contest.pk, e=entry.pk, j=judge.pk) for t in templates]


@pytest.mark.parametrize("who", ["leader", "officer", "volunteer", "resident", "province"])
def test_organiser_pages_are_forbidden_to_other_roles(cast, contest, entry, who):
    client = client_for(cast.users()[who])
    for url in urls(ORGANISER_PAGES, contest, entry):
        assert client.get(url).status_code == 403, url
    for url in urls(ORGANISER_POSTS, contest, entry):
        assert client.post(url, {"decision": "approve"}).status_code == 403, url
    assert client.get("/can-bo/cuoc-thi-viet/tao/").status_code == 403


def test_another_communes_organiser_gets_not_found_and_changes_nothing(cast, contest, entry):
    client = client_for(cast.coordinator2)
    for url in urls(ORGANISER_PAGES, contest, entry):
        assert client.get(url).status_code == 404, url
    for url in urls(ORGANISER_POSTS, contest, entry):
        assert client.post(url, {"decision": "approve", "nhat": 1}).status_code == 404, url
    entry.refresh_from_db()
    contest.refresh_from_db()
    assert entry.status == "submitted" and contest.judges.count() == 1
    assert client_for(cast.volunteer2).get(
        f"/can-bo/cuoc-thi-viet/{contest.pk}/cham/"
    ).status_code == (404)


def test_anonymous_visitors_are_sent_to_log_in_for_staff_pages(cast, contest, entry):
    client = Client()
    pages = [*urls(ORGANISER_PAGES, contest, entry), "/can-bo/cuoc-thi-viet/"]
    pages += [
        f"/can-bo/cuoc-thi-viet/{contest.pk}/nhap-bai/",
        f"/can-bo/cuoc-thi-viet/{contest.pk}/cham/",
        f"/can-bo/cuoc-thi-viet/bai/{entry.pk}/cham/",
    ]
    for url in pages:
        assert client.get(url)["Location"].startswith("/dang-nhap/"), url
    for url in urls(ORGANISER_POSTS, contest, entry):
        assert client.post(url)["Location"].startswith("/dang-nhap/"), url


def test_the_assist_page_is_for_volunteers_and_organisers_only(cast, contest):
    url = f"/can-bo/cuoc-thi-viet/{contest.pk}/nhap-bai/"
    assert client_for(cast.volunteer).get(url).status_code == 200
    assert client_for(cast.coordinator).get(url).status_code == 200
    assert client_for(cast.officer).get(url).status_code == 403
    assert client_for(cast.leader).get(url).status_code == 403
    assert client_for(cast.resident.user).get(url).status_code == 403


def test_public_pages_speak_for_the_visitors_commune(cast, contest, approved):
    entry_url = f"/cuoc-thi-viet/{contest.pk}/bai/{approved.pk}/"
    assert Client().get(entry_url).status_code == 200
    assert client_for(cast.resident2.user).get(entry_url).status_code == 404
    assert client_for(cast.resident2.user).get(f"/cuoc-thi-viet/{contest.pk}/").status_code == 404
    assert client_for(cast.admin2).get(f"/cuoc-thi-viet/{contest.pk}/ket-qua/").status_code == 404


def test_garbage_never_gives_a_server_error(cast, contest, approved):
    client = client_for(cast.coordinator)
    for url in (
        "/cuoc-thi-viet/999999/",
        "/cuoc-thi-viet/999999/gui-bai/",
        "/cuoc-thi-viet/999999/ket-qua/",
        f"/cuoc-thi-viet/{contest.pk}/bai/999999/",
        "/cuoc-thi-viet/anh/999999/",
        "/can-bo/cuoc-thi-viet/999999/",
        "/can-bo/cuoc-thi-viet/bai/999999/cham/",
    ):
        assert client.get(url).status_code == 404, url
    junk = {"decision": "x" * 5000, "nhat": "-1", "note": "ừ" * 9000}
    assert client.post(f"/can-bo/cuoc-thi-viet/bai/{approved.pk}/duyet/", junk).status_code == 302
    assert client.post(f"/can-bo/cuoc-thi-viet/{contest.pk}/cong-bo/", junk).status_code == 302
    rubric = client.post(f"/can-bo/cuoc-thi-viet/{contest.pk}/tieu-chi/", {"tc-TOTAL_FORMS": "x"})
    assert rubric.status_code in (200, 400)
    score = client_for(cast.officer).post(
        f"/can-bo/cuoc-thi-viet/bai/{approved.pk}/cham/",
        {f"c{c.pk}": "NaN" for c in contest.criteria.all()},
    )
    assert score.status_code == 400
