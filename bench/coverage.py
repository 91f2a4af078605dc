"""Coverage page and not-yet-reached list on a commune of 10,000 residents.

Builds a throwaway SQLite database in a temporary directory (migrated in-process), fills
it with bulk_create: 12 hamlets, 10,000 residents, a year of sessions (~300) with their
attendances, ~30,000 skill ticks, visits, mentorships, assignments and passed lessons.
Then renders each page through Django's test Client as the commune's coordinator (and the
coverage page as a hamlet volunteer), five timed runs after one warm-up, and reports the
median. Everything is removed afterwards.

Budget (issue 4): <= 300 ms for each page on this machine.
Run: .venv/bin/python bench/coverage.py
"""

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = 10_000
HAMLETS = 12
SESSIONS = 300
TICKS = 30_000
RUNS = 5
BUDGET_MS = 300

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thị Thu", "Minh", "Quang", "Thị Ngọc", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hoa", "Lan", "Lành", "Mai", "Nam", "Tâm", "Tư"]
HAMLET_NAMES = [
    "Ngọc Lâm",
    "Yên Mỹ",
    "Bạch Đằng",
    "Đồng Tâm",
    "Tân Phú",
    "Xuân Hòa",
    "Trung Sơn",
    "Hạ Long",
    "Phú Thọ",
    "Thượng Tân",
    "Kim Liên",
    "Bắc Sơn",
]


def configure(data_dir: str) -> None:
    os.environ.update(
        DATA_DIR=data_dir,
        DEBUG="true",
        TASK_BACKEND="immediate",
        SPEECH_ENGINE="none",
        DJANGO_SETTINGS_MODULE="hocvuso.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(rng: random.Random) -> dict:
    """The commune, in bulk. Returns the users the timings log in as."""
    from django.utils import timezone

    from accounts.models import Resident, Role, User
    from learning.models import Attempt, Lesson
    from lib.vntext import fold
    from outreach.models import (
        Assignment,
        Attendance,
        Mentorship,
        Session,
        SkillTick,
        Team,
        TeamMember,
        Visit,
    )
    from outreach.skills import SKILLS
    from places.services import commune_setup, hamlet_ensure

    commune, _ = commune_setup(province="Nghệ An", commune="Xã Bạch Ngọc")
    hamlets = [hamlet_ensure(commune=commune, name=f"Xóm {n}") for n in HAMLET_NAMES[:HAMLETS]]
    coordinator = User.objects.create(
        username="dieuphoi", full_name="Điều Phối", role=Role.COORDINATOR, commune=commune
    )
    User.objects.bulk_create(
        User(
            username=f"tnv-{h.pk}-{i}",
            full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            role=Role.VOLUNTEER,
            commune=commune,
            hamlet=h,
            password="!",
        )
        for h in hamlets
        for i in range(3)
    )
    volunteers = {}
    for v in User.objects.filter(role=Role.VOLUNTEER):
        volunteers.setdefault(v.hamlet_id, []).append(v)
    teams = Team.objects.bulk_create(
        Team(commune=commune, hamlet=h, name=f"Tổ CNSCĐ {h.name}") for h in hamlets
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            commune=commune,
            team=t,
            full_name=volunteers[t.hamlet_id][0].full_name,
            user=volunteers[t.hamlet_id][0],
            position=TeamMember.Position.LEADER,
            body=TeamMember.Body.YOUTH,
        )
        for t in teams
    )

    year = timezone.localdate().year
    people = []
    for i in range(RESIDENTS):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        people.append(
            Resident(
                commune=commune,
                hamlet=hamlets[i % HAMLETS],
                full_name=name,
                name_folded=fold(name),
                birth_year=year - int(rng.triangular(6, 95, 35)),
                sex=rng.choice(["nam", "nu"]),
                has_disability=rng.random() < 0.03,
                is_poor_household=rng.random() < 0.06,
            )
        )
    Resident.objects.bulk_create(people, batch_size=2000)
    residents = list(Resident.objects.filter(commune=commune).only("id", "hamlet_id"))
    by_hamlet: dict[int, list] = {}
    for r in residents:
        by_hamlet.setdefault(r.hamlet_id, []).append(r)

    now = timezone.now()
    sessions = Session.objects.bulk_create(
        Session(
            commune=commune,
            hamlet=hamlets[i % HAMLETS],
            kind=rng.choice(Session.Kind.values),
            place="Nhà văn hóa xóm",
            starts_at=now - timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 10)),
            created_by=coordinator,
        )
        for i in range(SESSIONS)
    )
    attendances = []
    for s in sessions:
        for r in rng.sample(by_hamlet[s.hamlet_id], rng.randint(10, 40)):
            attendances.append(
                Attendance(
                    commune=commune,
                    session=s,
                    resident=r,
                    method=Attendance.Method.LIST,
                    recorded_by=coordinator,
                    client_key=uuid.uuid4(),
                    created_at=s.starts_at,
                )
            )
    Attendance.objects.bulk_create(attendances, batch_size=5000)

    skills = list(SKILLS)
    ticked = rng.sample(residents, 6_000)
    ticks = []
    while len(ticks) < TICKS:
        r = rng.choice(ticked)
        ticks.append(
            SkillTick(
                commune=commune,
                resident=r,
                skill=rng.choice(skills),
                has_skill=rng.random() < 0.85,
                source=rng.choice(SkillTick.Source.values),
                recorded_by=coordinator,
                client_key=uuid.uuid4(),
                recorded_at=now - timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 600)),
            )
        )
    SkillTick.objects.bulk_create(ticks, batch_size=5000)

    mentored = rng.sample(residents, 240)
    mentorships = Mentorship.objects.bulk_create(
        Mentorship(
            commune=commune,
            volunteer=rng.choice(volunteers[r.hamlet_id]),
            resident=r,
            goals=rng.sample(skills, 3),
            started_on=(now - timedelta(days=rng.randint(0, 300))).date(),
        )
        for r in mentored
    )
    visits = [
        Visit(
            commune=commune,
            resident=m.resident,
            volunteer=m.volunteer,
            mentorship=m,
            visited_on=m.started_on + timedelta(days=rng.randint(0, 20)),
            done="Hướng dẫn dùng Zalo",
            client_key=uuid.uuid4(),
        )
        for m in mentorships
        for _ in range(rng.randint(0, 4))
    ]
    visits += [
        Visit(
            commune=commune,
            resident=r,
            volunteer=rng.choice(volunteers[r.hamlet_id]),
            visited_on=(now - timedelta(days=rng.randint(0, 364))).date(),
            done="Đến thăm, giới thiệu phong trào",
            client_key=uuid.uuid4(),
        )
        for r in rng.sample(residents, 1_200)
    ]
    Visit.objects.bulk_create(visits, batch_size=5000)
    Assignment.objects.bulk_create(
        Assignment(
            commune=commune,
            resident=r,
            volunteer=rng.choice(volunteers[r.hamlet_id]),
            assigned_by=coordinator,
        )
        for r in rng.sample(residents, 300)
    )

    lesson = Lesson.objects.create(
        commune=commune,
        slug="cai-zalo",
        title="Cài Zalo",
        topic="zalo",
        goal="lien-lac",
        domain="giao-tiep",
        level="co-ban",
        minutes=5,
        summary="",
        why="",
        practice="",
        body="",
        status=Lesson.Status.PUBLISHED,
    )
    Attempt.objects.bulk_create(
        (
            Attempt(
                commune=commune,
                lesson=lesson,
                resident=r,
                answers={},
                correct=2,
                total=3,
                passed=rng.random() < 0.7,
                client_key=uuid.uuid4(),
            )
            for r in rng.sample(residents, 2_000)
        ),
        batch_size=2000,
    )
    return {
        "coordinator": coordinator,
        "volunteer": volunteers[hamlets[0].pk][0],
        "counts": {
            "residents": len(residents),
            "sessions": len(sessions),
            "attendances": len(attendances),
            "ticks": len(ticks),
            "visits": len(visits),
            "mentorships": len(mentorships),
        },
    }


def time_page(client, url: str) -> tuple[list[float], list[float], int, int]:
    """(wall-clock ms per run, CPU ms per run, SQL queries, bytes) for one page."""
    from django.db import connection

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(url)
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200
    return wall, cpu, len(queries), len(response.content)


def main() -> None:
    tmp = tempfile.TemporaryDirectory(prefix="bench-coverage-")
    try:
        t0 = time.perf_counter()
        configure(tmp.name)
        data = build(random.Random(146))
        built_s = time.perf_counter() - t0

        from django.db import connection
        from django.test import Client

        # Closing the only connection checkpoints the write-ahead log into the database
        # file, the state a commune's server is in after a bulk load has settled.
        connection.close()
        coordinator, volunteer = Client(), Client()
        coordinator.force_login(data["coordinator"])
        volunteer.force_login(data["volunteer"])
        pages = [
            ("bao phủ (điều phối, cả xã)", "/can-bo/bao-phu/", coordinator),
            ("chưa tiếp cận (điều phối)", "/can-bo/chua-tiep-can/", coordinator),
            ("chưa tiếp cận, trang 40", "/can-bo/chua-tiep-can/?trang=40", coordinator),
            ("bao phủ (tình nguyện viên)", "/can-bo/bao-phu/", volunteer),
            ("chưa tiếp cận (tổ trưởng)", "/can-bo/chua-tiep-can/", volunteer),
        ]
        results = [(name, url, *time_page(client, url)) for name, url, client in pages]
        connection.close()
    finally:
        tmp.cleanup()

    counts = data["counts"]
    print(
        f"Dữ liệu: {counts['residents']} người dân, {HAMLETS} xóm, {counts['sessions']} buổi, "
        f"{counts['attendances']} lượt dự, {counts['ticks']} lượt ghi kỹ năng, "
        f"{counts['visits']} lần thăm, {counts['mentorships']} cặp kèm cặp "
        f"(tạo trong {built_s:.1f} s)"
    )
    print(f"Mỗi trang: 1 lần khởi động rồi {RUNS} lần đo; thời gian tính bằng ms.")
    header = f"{'trang':28} {'trung vị':>9} {'nhanh':>7} {'chậm':>7} {'CPU':>7}"
    print(f"{header} {'truy vấn':>9} {'byte':>7}")
    for name, _url, wall, cpu, queries, size in results:
        median = statistics.median(wall)
        flag = "" if median <= BUDGET_MS else f"  VƯỢT {BUDGET_MS} ms"
        print(
            f"{name:28} {median:9.1f} {min(wall):7.1f} {max(wall):7.1f} "
            f"{statistics.median(cpu):7.1f} {queries:9d} {size:7d}{flag}"
        )
    print("(CPU: thời gian xử lý của chính tiến trình, ít bị ảnh hưởng khi máy đang bận)")
    coverage_ms = statistics.median(results[0][2])
    not_reached_ms = statistics.median(results[1][2])
    print(
        f"coverage_ms={coverage_ms:.0f} not_reached_ms={not_reached_ms:.0f} "
        f"residents={counts['residents']}"
    )


if __name__ == "__main__":
    main()
