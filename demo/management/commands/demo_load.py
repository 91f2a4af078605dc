import os
import uuid

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Resident, Role, User
from accounts.services import resident_register, resident_set_pin, staff_user_create
from demo.communications import demo_communications_load
from demo.contests import demo_contest_load
from demo.essays import demo_essays_load
from demo.learning import demo_learning_load
from demo.outreach import demo_outreach_load
from demo.people import demo_people
from demo.planning import demo_planning_load
from demo.reports import demo_reports_load
from learning.services import lessons_load
from places.models import Hamlet, Organisation
from places.services import commune_setup, hamlet_ensure, organisation_ensure

DEMO_PASSWORD = "hocvuso-demo"
DEMO_PHONE = "0912000001"
DEMO_PIN = "2580"
RESIDENT_COUNT = 300
_KEYS = uuid.UUID("4c0d1f6e-2b7a-4d8e-9a51-6a2f0c3b9e11")

HAMLETS = [
    "Xóm Ngọc Lâm",
    "Xóm Ngọc Sơn",
    "Xóm Bạch Thủy",
    "Xóm Đông Lĩnh",
    "Xóm Yên Mỹ",
    "Xóm Phú Lợi",
    "Xóm Tân Hợp",
    "Xóm Trung Hòa",
    "Xóm Văn Phú",
    "Xóm Hồng Sơn",
]
K = Organisation.Kind
ORGANISATIONS = [
    ("Phòng Văn hóa - Xã hội", K.DEPARTMENT),
    ("Văn phòng HĐND và UBND xã", K.DEPARTMENT),
    ("Ủy ban MTTQ Việt Nam xã", K.MASS),
    ("Hội Nông dân xã", K.MASS),
    ("Hội Liên hiệp Phụ nữ xã", K.MASS),
    ("Đoàn Thanh niên xã", K.MASS),
    ("Hội Cựu chiến binh xã", K.MASS),
    ("Hội Người cao tuổi xã", K.MASS),
    ("Trường Mầm non Bạch Ngọc", K.SCHOOL),
    ("Trường Tiểu học Bạch Ngọc", K.SCHOOL),
    ("Trường THCS Bạch Ngọc", K.SCHOOL),
    ("Trạm Y tế xã", K.HEALTH),
    ("Công an xã", K.POLICE),
]
# username, full name, role, organisation, hamlet index
STAFF = [
    ("quantri", "Hồ Văn Quảng", Role.ADMIN, "Văn phòng HĐND và UBND xã", None),
    ("lanhdao", "Đinh Công Lực", Role.LEADER, None, None),
    ("dieuphoi", "Trần Thị Hạnh", Role.COORDINATOR, "Phòng Văn hóa - Xã hội", None),
    ("hoinongdan", "Lê Văn Cảnh", Role.OFFICER, "Hội Nông dân xã", None),
    ("hoiphunu", "Phạm Thị Thu", Role.OFFICER, "Hội Liên hiệp Phụ nữ xã", None),
    ("doanthanhnien", "Võ Minh Khoa", Role.OFFICER, "Đoàn Thanh niên xã", None),
    ("tinhnguyen", "Nguyễn Thị Mai Anh", Role.VOLUNTEER, None, 0),
    ("tinhnguyen2", "Bùi Đức Thịnh", Role.VOLUNTEER, None, 1),
    ("tinhnguyen3", "Đặng Thu Hương", Role.VOLUNTEER, None, 2),
]


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu xã Bạch Ngọc (tên người đều là tên bịa). Chạy lại nhiều lần không sao."

    @transaction.atomic
    def handle(self, *args, **options):
        commune, _ = commune_setup(province="Nghệ An", commune="Xã Bạch Ngọc")
        hamlets = [
            hamlet_ensure(commune=commune, name=name, kind=Hamlet.Kind.XOM) for name in HAMLETS
        ]
        orgs = {n: organisation_ensure(commune=commune, name=n, kind=k) for n, k in ORGANISATIONS}
        for username, full_name, role, org, hamlet_index in STAFF:
            if not User.objects.filter(username=username).exists():
                staff_user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    role=role,
                    commune=commune,
                    organisation=orgs.get(org),
                    hamlet=hamlets[hamlet_index] if hamlet_index is not None else None,
                )
        if not User.objects.filter(username="sonoivu").exists():
            staff_user_create(
                username="sonoivu",
                password=DEMO_PASSWORD,
                full_name="Thái Văn Sở",
                role=Role.PROVINCE,
                province_code=commune.province_code,
            )
        volunteers = list(User.objects.filter(role=Role.VOLUNTEER, commune=commune))
        by_hamlet = {v.hamlet_id: v for v in volunteers}
        before = Resident.objects.filter(commune=commune).count()
        for person in demo_people(RESIDENT_COUNT, len(hamlets)):
            hamlet = hamlets[person.hamlet_index]
            phone = DEMO_PHONE if person.key == 0 else person.phone
            resident = resident_register(
                actor=by_hamlet.get(hamlet.pk) if person.assisted else None,
                hamlet=hamlet,
                full_name="Nguyễn Thị Lành" if person.key == 0 else person.full_name,
                birth_year=1958 if person.key == 0 else person.birth_year,
                sex="nu" if person.key == 0 else person.sex,
                phone=phone,
                has_disability=person.has_disability,
                is_poor_household=person.is_poor_household,
                consents=("learning", "contest") if person.key == 0 else person.consents,
                client_key=uuid.uuid5(_KEYS, f"resident-{person.key}"),
                allow_same_name=True,
            )
            if person.key == 0 and not resident.pin_hash:
                resident_set_pin(actor=None, resident=resident, pin=DEMO_PIN)
        added = Resident.objects.filter(commune=commune).count() - before
        lessons_created, _ = lessons_load(commune=commune)
        attempts_added = demo_learning_load(commune)
        outreach = demo_outreach_load(commune)
        demo_communications_load(commune)
        demo_contest_load(commune)
        demo_reports_load(commune)
        demo_essays_load(commune)
        demo_planning_load(commune)
        self.stdout.write(
            f"{commune.name}: {len(hamlets)} xóm, {len(orgs)} cơ quan tổ chức, "
            f"{Resident.objects.filter(commune=commune).count()} người dân (thêm mới {added}), "
            f"{commune.lessons.count()} bài học (thêm mới {lessons_created}), "
            f"{attempts_added} lượt học mới; thêm {outreach['teams']} tổ công nghệ số, "
            f"{outreach['sessions']} buổi hướng dẫn, {outreach['attendances']} lượt điểm danh."
        )
        self.print_logins()

    def print_logins(self):
        w = self.stdout.write
        base = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        w("")
        w(f"Đăng nhập thử (mật khẩu cán bộ: {DEMO_PASSWORD}) tại {base}/dang-nhap/")
        w("  Quản trị viên xã ............ quantri")
        w("  Lãnh đạo UBND xã ............ lanhdao")
        w("  Điều phối (Phòng VHXH) ...... dieuphoi")
        w("  Cán bộ đoàn thể ............. hoinongdan")
        w("  Tình nguyện viên Tổ CNSCĐ ... tinhnguyen")
        w("  Cán bộ Sở (cấp tỉnh) ........ sonoivu")
        w(
            f"  Người dân .................. {base}/dang-nhap/dien-thoai/ "
            f"số {DEMO_PHONE}, mã PIN {DEMO_PIN}"
        )
