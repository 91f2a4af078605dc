"""The shared cast every test uses: two communes, every role, a few residents."""

from dataclasses import dataclass

import pytest

from accounts.models import Resident, Role, User
from accounts.services import resident_register, staff_user_create
from places.models import Commune, Hamlet, Organisation
from places.services import commune_setup, hamlet_ensure, organisation_ensure

PASSWORD = "mat-khau-thu-nghiem"
PIN = "2468"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _no_speech_by_default(settings):
    """Lesson audio is tested on its own; elsewhere loading lessons should not run espeak."""
    settings.SPEECH_ENGINE = "none"


@dataclass
class Cast:
    commune: Commune
    hamlet: Hamlet
    other_hamlet: Hamlet
    organisation: Organisation
    other_organisation: Organisation
    admin: User
    leader: User
    coordinator: User
    officer: User
    volunteer: User
    province: User
    resident: Resident
    neighbour: Resident  # a resident of the other hamlet of the same commune
    # The second commune, same province.
    commune2: Commune
    hamlet2: Hamlet
    organisation2: Organisation
    admin2: User
    coordinator2: User
    volunteer2: User
    resident2: Resident
    # A province officer of another province.
    province_other: User

    def users(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "leader": self.leader,
            "coordinator": self.coordinator,
            "officer": self.officer,
            "volunteer": self.volunteer,
            "resident": self.resident.user,
            "province": self.province,
            "admin2": self.admin2,
            "coordinator2": self.coordinator2,
            "volunteer2": self.volunteer2,
            "resident2": self.resident2.user,
            "province_other": self.province_other,
        }


def _staff(username, role, commune, **extra) -> User:
    return staff_user_create(
        username=username,
        password=PASSWORD,
        full_name=extra.pop("full_name", username.title()),
        role=role,
        commune=commune,
        **extra,
    )


@pytest.fixture
def cast(db) -> Cast:
    commune, _ = commune_setup(province="Nghệ An", commune="Xã Bạch Ngọc")
    hamlet = hamlet_ensure(commune=commune, name="Xóm Ngọc Lâm")
    other_hamlet = hamlet_ensure(commune=commune, name="Xóm Yên Mỹ")
    org = organisation_ensure(commune=commune, name="Hội Nông dân xã", kind="mass")
    other_org = organisation_ensure(commune=commune, name="Hội Liên hiệp Phụ nữ xã", kind="mass")
    commune2, _ = commune_setup(province="Nghệ An", commune="Xã Bạch Hà")
    hamlet2 = hamlet_ensure(commune=commune2, name="Xóm Hà Trung")
    org2 = organisation_ensure(commune=commune2, name="Hội Nông dân xã", kind="mass")
    other_province, _ = commune_setup(province="Hà Tĩnh", commune="Phường Thành Sen")

    def resident(name, hamlet, phone):
        return resident_register(
            actor=None,
            hamlet=hamlet,
            full_name=name,
            birth_year=1955,
            sex="nu",
            phone=phone,
            pin=PIN,
            consents=["learning"],
        )

    return Cast(
        commune=commune,
        hamlet=hamlet,
        other_hamlet=other_hamlet,
        organisation=org,
        other_organisation=other_org,
        admin=_staff("quantri", Role.ADMIN, commune),
        leader=_staff("lanhdao", Role.LEADER, commune),
        coordinator=_staff("dieuphoi", Role.COORDINATOR, commune),
        officer=_staff("hoinongdan", Role.OFFICER, commune, organisation=org),
        volunteer=_staff("tinhnguyen", Role.VOLUNTEER, commune, hamlet=hamlet),
        province=staff_user_create(
            username="sonoivu",
            password=PASSWORD,
            full_name="Sở Nội vụ",
            role=Role.PROVINCE,
            province_code=commune.province_code,
        ),
        resident=resident("Nguyễn Thị Lành", hamlet, "0912000001"),
        neighbour=resident("Trần Văn Bình", other_hamlet, "0912000002"),
        commune2=commune2,
        hamlet2=hamlet2,
        organisation2=org2,
        admin2=_staff("quantri2", Role.ADMIN, commune2),
        coordinator2=_staff("dieuphoi2", Role.COORDINATOR, commune2),
        volunteer2=_staff("tinhnguyen2", Role.VOLUNTEER, commune2, hamlet=hamlet2),
        resident2=resident("Lê Thị Hoa", hamlet2, "0912000003"),
        province_other=staff_user_create(
            username="sohatinh",
            password=PASSWORD,
            full_name="Sở Nội vụ Hà Tĩnh",
            role=Role.PROVINCE,
            province_code=other_province.province_code,
        ),
    )
