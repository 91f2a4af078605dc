"""The commune admin keeps staff accounts in the admin site, work email included."""

from accounts.models import Role, User


def test_the_admin_creates_an_officer_with_a_work_email(client, cast):
    client.force_login(cast.admin)
    page = client.get("/quan-tri/accounts/user/add/").content.decode()
    assert "Thư điện tử công vụ" in page and "nhắc việc" in page
    response = client.post(
        "/quan-tri/accounts/user/add/",
        {
            "username": "cb-phunu",
            "full_name": "Lê Thị Hạnh",
            "email": "phunu@bachngoc.gov.vn",
            "role": Role.OFFICER,
            "organisation": cast.organisation.pk,
            "password1": "mat-khau-dai-2026",
            "password2": "mat-khau-dai-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    officer = User.objects.get(username="cb-phunu")
    assert (officer.email, officer.commune_id) == ("phunu@bachngoc.gov.vn", cast.commune.pk)
    bad = client.post(
        f"/quan-tri/accounts/user/{officer.pk}/change/",
        {"username": "cb-phunu", "email": "không phải thư", "role": Role.OFFICER},
    )
    assert bad.status_code == 200 and "Nhập địa chỉ email." in bad.content.decode()
    assert User.objects.get(pk=officer.pk).email == "phunu@bachngoc.gov.vn"
