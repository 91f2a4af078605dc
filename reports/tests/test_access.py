"""Who may open which report page: other commune → 404, wrong role → 403, anonymous → login."""

import pytest

from reports.months import current_month, next_month
from reports.tests.conftest import page_url


@pytest.fixture
def urls(form, cast, month):
    base = page_url(form, cast.organisation, month)
    total = f"/can-bo/bao-cao/tong-hop/{form.pk}/{month:%Y-%m}/"
    indicator = form.indicators.get(code="residents_guided").pk
    return {
        "page": base,
        "review": base + "xet-duyet/",
        "unlock": base + "mo-khoa/",
        "total": total,
        "docx": total + "bao-cao.docx",
        "xlsx": total + "chi-tieu.xlsx",
        "indicator": f"/can-bo/bao-cao/mau/{form.pk}/chi-tieu/",
        "rule": f"/can-bo/bao-cao/mau/{form.pk}/quy-tac/",
        "edit": f"/can-bo/bao-cao/mau/chi-tieu/{indicator}/",
        "remove": f"/can-bo/bao-cao/mau/chi-tieu/{indicator}/xoa/",
        "active": f"/can-bo/bao-cao/mau/chi-tieu/{indicator}/dang-dung/",
        "rule_remove": f"/can-bo/bao-cao/mau/quy-tac/{form.rules.get().pk}/xoa/",
        "remind": "/can-bo/bao-cao/tien-do/nhac-nho/",
    }


GETS = ["page", "total", "docx", "xlsx", "edit"]
POSTS = ["review", "unlock", "indicator", "rule", "edit", "remove", "active", "rule_remove"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, urls):
    for name in GETS:
        assert client.get(urls[name]).status_code == 302
    for name in POSTS:
        assert client.post(urls[name]).status_code == 302


def test_another_communes_staff_get_404(client, cast, urls):
    client.force_login(cast.coordinator2)
    for name in GETS:
        assert client.get(urls[name]).status_code == 404, name
    for name in POSTS:
        assert (
            client.post(urls[name], {"decision": "accept", "reason": "xxxxxx"}).status_code == 404
        )


@pytest.mark.parametrize("who", ["volunteer", "province"])
def test_roles_without_reports_get_403(client, cast, urls, who):
    client.force_login(getattr(cast, who))
    for name in GETS:
        assert client.get(urls[name]).status_code == 403
    for name in POSTS:
        assert client.post(urls[name]).status_code == 403


def test_an_officer_opens_only_their_own_organisations_report(client, cast, form, month, urls):
    client.force_login(cast.officer)
    assert client.get(urls["page"]).status_code == 200
    assert client.get(page_url(form, cast.other_organisation, month)).status_code == 404
    for name in ("total", "docx", "xlsx"):
        assert client.get(urls[name]).status_code == 403
    for name in POSTS:
        assert client.post(urls[name]).status_code == 403


def test_the_leader_reads_but_cannot_write(client, cast, urls, form, report):
    client.force_login(cast.leader)
    page = client.get(urls["page"])
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    assert client.post(urls["page"], {"version": "1"}).status_code == 403
    assert client.post(urls["review"], {"decision": "accept"}).status_code == 403


def test_a_future_month_or_a_bad_month_is_refused(client, cast, form):
    client.force_login(cast.officer)
    future = next_month(current_month())
    response = client.get(page_url(form, cast.organisation, future))
    assert response.status_code == 400 and "chưa đến" in response.content.decode()
    bad = f"/can-bo/bao-cao/{form.pk}/{cast.organisation.pk}/2026-13/"
    assert client.get(bad).status_code == 404


def test_the_officer_page_shows_figures_with_their_source_and_is_light(
    client, cast, form, month, urls
):
    client.force_login(cast.officer)
    response = client.get(urls["page"])
    page = response.content.decode()
    assert 'href="/can-bo/buoi-huong-dan/"' in page and "nguồn" in page
    assert "Chỉ tính được cho toàn xã" in page
    assert len(response.content) < 40_000


@pytest.mark.parametrize("who, shown", [("officer", True), ("leader", True), ("volunteer", False)])
def test_the_staff_home_links_the_reports_for_the_roles_that_use_them(client, cast, who, shown):
    client.force_login(getattr(cast, who))
    page = client.get("/can-bo/").content.decode()
    assert ('href="/can-bo/bao-cao/"' in page) is shown
