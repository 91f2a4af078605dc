import subprocess
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from learning.content import TOPICS
from learning.models import Certificate
from recognition.models import Nomination

S = Nomination.Status


def login(client, user):
    client.force_login(user)
    return client


def certificate(resident, code):
    return Certificate.objects.create(
        commune=resident.commune, resident=resident, topic=next(iter(TOPICS)), code=code
    )


def propose(client, resident, **extra):
    data = {"category": "elderly_smartphone", "resident": resident and resident.pk}
    data["reasons"] = "Tự cài VNeID."
    data.update(extra)
    return client.post(reverse("recognition:nomination_create"), data)


def url(name, n):
    return reverse(f"recognition:{name}", args=[n.pk])


@pytest.mark.django_db
def test_a_nomination_goes_from_proposal_to_a_printed_giay_khen(client, cast, tmp_path):
    cert = certificate(cast.resident, "HVS-AAAA01")
    login(client, cast.volunteer)
    response = propose(client, cast.resident, evidence=[f"certificate:{cert.pk}"])
    n = Nomination.objects.get()
    assert response.status_code == 302
    assert n.status == S.PROPOSED and n.commune == cast.commune
    assert n.evidence == [{"kind": "certificate", "id": cert.pk, "label": n.evidence[0]["label"]}]

    login(client, cast.coordinator)
    client.post(url("nomination_review", n), {"action": "forward", "comment": "Đủ điều kiện."})
    n.refresh_from_db()
    assert n.status == S.FORWARDED

    login(client, cast.leader)
    today = timezone.localdate()
    data = {
        "action": "decide",
        "decision_number": "45/QĐ-UBND",
        "decision_date": f"{today:%d/%m/%Y}",
    }
    client.post(url("nomination_decide", n), data)
    n.refresh_from_db()
    assert (n.status, n.decision_number, n.decision_date) == (S.DECIDED, "45/QĐ-UBND", today)
    assert [e.status for e in n.events.all()] == [S.PROPOSED, S.FORWARDED, S.DECIDED]
    assert AuditEntry.objects.filter(target_type="đề nghị khen thưởng").count() == 3

    response = client.get(url("nomination_pdf", n))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "gk.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFC", text)
    for expected in ("GIẤY KHEN", "Nguyễn Thị Lành", "45/QĐ-UBND", "TM. ỦY BAN NHÂN DÂN"):
        assert expected in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


@pytest.mark.django_db
def test_a_returned_nomination_is_completed_and_proposed_again(client, cast):
    login(client, cast.officer)
    propose(client, cast.resident)
    n = Nomination.objects.get()
    assert n.organisation == cast.organisation

    login(client, cast.coordinator)
    client.post(url("nomination_review", n), {"action": "return", "comment": ""})
    assert Nomination.objects.get().status == S.PROPOSED  # a comment is required
    client.post(url("nomination_review", n), {"action": "return", "comment": "Thêm minh chứng."})
    n.refresh_from_db()
    assert (n.status, n.review_comment) == (S.RETURNED, "Thêm minh chứng.")

    login(client, cast.officer)
    assert "Thêm minh chứng." in client.get(url("nomination_detail", n)).content.decode()
    client.post(url("nomination_resubmit", n), {"reasons": "Tự cài VNeID, dạy 5 người."})
    n.refresh_from_db()
    assert n.status == S.PROPOSED and "5 người" in n.reasons


@pytest.mark.django_db
def test_a_collective_can_be_nominated_by_name(client, cast):
    login(client, cast.coordinator)
    propose(
        client,
        "",
        collective_name="Tổ công nghệ số xóm Ngọc Lâm",
        category="exemplary_team",
        organisation=cast.organisation.pk,
    )
    n = Nomination.objects.get()
    assert n.nominee_name == "Tổ công nghệ số xóm Ngọc Lâm" and n.resident is None
