"""Leader and province dashboards on a province of N communes on PostgreSQL.

Builds (once) its own PostgreSQL database `bench_province` with N communes of Nghệ An (default
all 130), each with 12 hamlets, 8 organisations, ~15,400 residents, ~200 sessions and ~78,000
progress and checklist rows (46,200 lesson attempts, ~24,600 skill ticks, 7,700 attendances),
certificates, and detailed plans with budgets. The rows are generated inside PostgreSQL with
INSERT … SELECT over generate_series, so a full province loads in minutes on 2 cores. A second
run with the same N reuses the data (`--rebuild` forces a new one).

Then it fills the dashboard snapshots of every commune (what the nightly
`manage.py dashboard_refresh` does; timed per commune), and times through Django's test Client:
the leader dashboard of one commune (counted live) and the province dashboard (all communes),
one warm-up then RUNS runs each, median reported.

Budget (issue 7): each dashboard <= 300 ms; the consolidated monthly report (.docx of last month,
all automatic figures counted from the commune's records) <= 3 s.

Run: .venv/bin/python bench/province.py [--communes N] [--rebuild]
Needs PostgreSQL on 127.0.0.1 (user postgres), `createdb` and `dropdb` on PATH.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_province"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
FULL = 130
RESIDENTS = 15_400  # per commune
HAMLETS = 12
ORGANISATIONS = 8
SESSIONS = 200  # per commune, over the year so far
ATTEMPTS_PER_RESIDENT = 3
RUNS = 7
# A random moment between 1 January and now, in SQL.
WHEN = "date_trunc('year', now()) + (now() - date_trunc('year', now())) * random()"
BUDGET_MS = 300
SKILLS = [
    "smartphone",
    "zalo",
    "qr",
    "vneid_level2",
    "payment",
    "public_service",
    "scam_aware",
    "sells_online",
]


def configure() -> None:
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        DEBUG="true",
        TASK_BACKEND="immediate",
        SPEECH_ENGINE="none",
        DJANGO_SETTINGS_MODULE="hocvuso.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def existing_n() -> int | None:
    """N of a complete earlier build, or None (no database, or a build that did not finish)."""
    listed = subprocess.run(
        ["psql", *PG, "-Atc", f"select 1 from pg_database where datname='{DB_NAME}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    if listed.stdout.strip() != "1":
        return None
    meta = subprocess.run(
        ["psql", *PG, "-d", DB_NAME, "-Atc", "select n from bench_meta where complete"],
        capture_output=True,
        text=True,
    )
    return int(meta.stdout.strip()) if meta.returncode == 0 and meta.stdout.strip() else None


def recreate_database() -> None:
    subprocess.run(["dropdb", *PG, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)


def build(n: int) -> None:
    """Every row of the province, generated in the database."""
    from django.core.management import call_command
    from django.db import connection
    from vietnam_provinces import Province, Ward

    from accounts.models import Role, User
    from learning.services import lessons_load
    from places.models import Commune

    call_command("migrate", verbosity=0)
    province = next(p for p in Province.iter_all() if p.name == "Nghệ An")
    wards = sorted(Ward.iter_by_province(province.code), key=lambda w: w.code)[:n]
    if len(wards) < n:
        raise SystemExit(
            f"Nghệ An has only {len(wards)} communes; choose --communes ≤ {len(wards)}"
        )
    Commune.objects.bulk_create(
        Commune(
            code=int(w.code),
            name=w.name,
            division_type=w.division_type.value,
            province_code=int(province.code),
            province_name=province.name,
        )
        for w in wards
    )
    communes = list(Commune.objects.order_by("id"))
    lessons_load(commune=communes[0])
    User.objects.bulk_create(
        [
            User(
                username=f"lanhdao-{c.code}",
                full_name=f"Lãnh đạo {c.name}",
                role=Role.LEADER,
                commune=c,
                password="!",
            )
            for c in communes
        ]
        + [
            User(
                username="sonoivu",
                full_name="Sở Nội vụ Nghệ An",
                role=Role.PROVINCE,
                province_code=int(province.code),
                password="!",
            )
        ]
    )
    steps = [
        (
            "xóm",
            f"""INSERT INTO places_hamlet (created_at, updated_at, name, kind, commune_id)
            SELECT now(), now(), 'Xóm ' || g, 'xom', c.id
            FROM places_commune c CROSS JOIN generate_series(1, {HAMLETS}) g""",
        ),
        (
            "cơ quan, đoàn thể",
            f"""INSERT INTO places_organisation (created_at, updated_at, name, kind, commune_id)
            SELECT now(), now(), 'Đoàn thể ' || g, 'mass', c.id
            FROM places_commune c CROSS JOIN generate_series(1, {ORGANISATIONS}) g""",
        ),
        (
            "bài học",
            """INSERT INTO learning_lesson (created_at, updated_at, slug, title, topic, goal,
                domain, level, minutes, "order", summary, why, practice, safety, body, status,
                edited_by_staff, search_text, audio_status, audio_note, audio_version, commune_id)
            SELECT l.created_at, l.updated_at, l.slug, l.title, l.topic, l.goal, l.domain,
                l.level, l.minutes, l."order", l.summary, l.why, l.practice, l.safety, l.body,
                l.status, l.edited_by_staff, l.search_text, l.audio_status, l.audio_note,
                l.audio_version, c.id
            FROM learning_lesson l CROSS JOIN places_commune c
            WHERE l.commune_id = (SELECT min(id) FROM places_commune) AND c.id <> l.commune_id""",
        ),
        (
            "chỉ mục phụ",
            """CREATE TABLE bench_hamlet AS SELECT commune_id, id,
                (row_number() OVER (PARTITION BY commune_id ORDER BY id)) - 1 AS idx
                FROM places_hamlet;
            CREATE TABLE bench_org AS SELECT commune_id, id,
                (row_number() OVER (PARTITION BY commune_id ORDER BY id)) - 1 AS idx
                FROM places_organisation;
            CREATE TABLE bench_lesson AS SELECT commune_id, id, topic,
                (row_number() OVER (PARTITION BY commune_id ORDER BY id)) - 1 AS idx
                FROM learning_lesson;
            CREATE INDEX ON bench_hamlet (commune_id, idx);
            CREATE INDEX ON bench_org (commune_id, idx);
            CREATE INDEX ON bench_lesson (commune_id, idx);
            CREATE TABLE bench_lesson_count AS
                SELECT commune_id, count(*) AS n FROM bench_lesson GROUP BY commune_id;""",
        ),
        (
            "người dân",
            f"""INSERT INTO accounts_resident (created_at, updated_at, full_name, name_folded,
                birth_year, sex, pin_hash, has_disability, is_poor_household, commune_id,
                hamlet_id)
            SELECT now(), now(), 'Người dân ' || g, 'nguoi dan ' || g,
                extract(year FROM now())::int - (6 + (random() * 85)::int),
                CASE WHEN g % 2 = 0 THEN 'nam' ELSE 'nu' END, '',
                random() < 0.03, random() < 0.06, c.id, h.id
            FROM places_commune c CROSS JOIN generate_series(1, {RESIDENTS}) g
            JOIN bench_hamlet h ON h.commune_id = c.id AND h.idx = g % {HAMLETS}""",
        ),
        (
            "buổi hướng dẫn",
            f"""INSERT INTO outreach_session (created_at, updated_at, kind, place, starts_at,
                trainers, audience, planned_participants, extra_participants, minutes,
                questions_raised, is_public, commune_id, hamlet_id, organiser_id)
            SELECT now(), now(), 'cultural_house', 'Nhà văn hóa',
                {WHEN}, '', '[]', 40,
                (random() * 10)::int, '', '', true, c.id, h.id, o.id
            FROM places_commune c CROSS JOIN generate_series(0, {SESSIONS - 1}) g
            JOIN bench_hamlet h ON h.commune_id = c.id AND h.idx = g % {HAMLETS}
            JOIN bench_org o ON o.commune_id = c.id AND o.idx = g % {ORGANISATIONS};
            CREATE TABLE bench_session AS SELECT commune_id, id,
                (row_number() OVER (PARTITION BY commune_id ORDER BY id)) - 1 AS idx
                FROM outreach_session;
            CREATE INDEX ON bench_session (commune_id, idx);""",
        ),
        (
            "điểm danh",
            f"""INSERT INTO outreach_attendance (method, client_key, created_at, commune_id,
                resident_id, session_id)
            SELECT 'list', gen_random_uuid(), now(), r.commune_id, r.id, s.id
            FROM accounts_resident r
            JOIN bench_session s ON s.commune_id = r.commune_id AND s.idx = r.id % {SESSIONS}
            WHERE r.id % 2 = 0""",
        ),
        (
            "lượt làm bài",
            f"""INSERT INTO learning_attempt (device, answers, correct, total, passed,
                client_key, created_at, commune_id, lesson_id, resident_id)
            SELECT '', '{{}}', 3, 3, random() < 0.8, gen_random_uuid(),
                {WHEN}, r.commune_id, l.id, r.id
            FROM accounts_resident r CROSS JOIN generate_series(1, {ATTEMPTS_PER_RESIDENT}) k
            JOIN bench_lesson_count lc ON lc.commune_id = r.commune_id
            JOIN bench_lesson l ON l.commune_id = r.commune_id
                AND l.idx = (r.id * 7 + k * 13) % lc.n""",
        ),
        (
            "kỹ năng",
            f"""INSERT INTO outreach_skilltick (skill, has_skill, source, client_key,
                recorded_at, commune_id, resident_id)
            SELECT (ARRAY{SKILLS!r})[s], random() < 0.9, 'verified', gen_random_uuid(),
                {WHEN}, r.commune_id, r.id
            FROM accounts_resident r CROSS JOIN generate_series(1, {len(SKILLS)}) s
            WHERE (r.id * 31 + s * 17) % 10 < 2""",
        ),
        (
            "chứng nhận",
            f"""INSERT INTO learning_certificate (topic, code, issued_at, assisted,
                revoke_reason, commune_id, resident_id)
            SELECT l.topic, 'B' || r.id, {WHEN}, false,
                '', r.commune_id, r.id
            FROM accounts_resident r
            JOIN bench_lesson l ON l.commune_id = r.commune_id AND l.idx = 0
            WHERE r.id % 5 = 0""",
        ),
        (
            "kế hoạch, kinh phí",
            """INSERT INTO planning_orgplan (created_at, updated_at, commune_id,
                organisation_id, year, summary)
            SELECT now(), now(), o.commune_id, o.id, extract(year FROM now())::int, ''
            FROM places_organisation o;
            INSERT INTO planning_budgetline (commune_id, plan_id, source, description, planned)
            SELECT p.commune_id, p.id, s, 'Chi ' || s, (1 + (random() * 20)::int) * 500000
            FROM planning_orgplan p
            CROSS JOIN unnest(ARRAY['commune', 'programme', 'social']) s;
            INSERT INTO planning_expense (commune_id, line_id, amount, spent_on, note,
                created_at)
            SELECT b.commune_id, b.id, b.planned / 2, current_date, '', now()
            FROM planning_budgetline b WHERE b.id % 2 = 0;""",
        ),
    ]
    big = [
        "accounts_resident",
        "outreach_attendance",
        "learning_attempt",
        "outreach_skilltick",
        "learning_certificate",
    ]
    with connection.cursor() as cursor:
        # Bulk-load the usual way: no per-row foreign-key triggers (the generator only makes
        # valid references), plain indexes dropped first and built once at the end.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [big],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for label, sql in steps:
            t0 = time.perf_counter()
            cursor.execute(sql)
            print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET session_replication_role = DEFAULT")
        print(f"  chỉ mục: {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        cursor.execute("ANALYZE")
        print(f"  ANALYZE: {time.perf_counter() - t0:.1f} s", flush=True)
        cursor.execute("CREATE TABLE bench_meta (n int, complete bool)")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, true)", [n])


def refresh_snapshots() -> list[float]:
    """Fill every commune's snapshot (the nightly job); seconds per commune."""
    from django.utils import timezone

    from places.models import Commune
    from planning.dashboard import dashboard_refresh

    year = timezone.localdate().year
    times = []
    for commune in Commune.objects.order_by("id"):
        t0 = time.perf_counter()
        dashboard_refresh([commune], year)
        times.append(time.perf_counter() - t0)
    return times


def time_page(client, url: str) -> tuple[list[float], int, int]:
    """(wall-clock ms per run, SQL queries, bytes) for one page."""
    from django.db import connection

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        client.get(url)
    wall = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return wall, len(queries), len(response.content)


def time_report(commune, month) -> float:
    """Seconds to build the consolidated monthly report (.docx) of `commune` for `month`."""
    from reports.docx import consolidated_docx
    from reports.models import ReportForm
    from reports.selectors import consolidation
    from reports.services import report_form_create_default

    form = ReportForm.objects.filter(commune=commune, active=True).order_by("pk").first()
    form = form or report_form_create_default(commune=commune)
    start = time.perf_counter()
    consolidated_docx(consolidation(commune, form, month))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--communes", type=int, default=FULL, help="số xã (mặc định 130)")
    parser.add_argument("--rebuild", action="store_true", help="tạo lại dữ liệu")
    args = parser.parse_args()
    n = args.communes
    if not 1 <= n <= FULL:
        raise SystemExit(f"--communes phải từ 1 đến {FULL}")

    reuse = not args.rebuild and existing_n() == n
    if not reuse:
        print(f"Tạo tỉnh {n} xã trong cơ sở dữ liệu {DB_NAME}…", flush=True)
        recreate_database()
    configure()
    t0 = time.perf_counter()
    if not reuse:
        build(n)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the code may have moved on since the build
    built_s = time.perf_counter() - t0

    from django.test import Client
    from django.utils import timezone

    from accounts.models import Resident, Role, User
    from learning.models import Attempt
    from outreach.models import Attendance, SkillTick
    from places.models import Commune

    refresh = refresh_snapshots()
    leader = User.objects.filter(role=Role.LEADER).order_by("id").first()
    province = User.objects.get(role=Role.PROVINCE)
    leader_client, province_client = Client(), Client()
    leader_client.force_login(leader)
    province_client.force_login(province)
    pages = [
        ("điều hành (lãnh đạo 1 xã)", "/can-bo/dieu-hanh/", leader_client),
        ("tổng hợp toàn tỉnh", "/tinh/tong-hop/", province_client),
        ("Excel toàn tỉnh", "/tinh/tong-hop.xlsx", province_client),
    ]
    results = [(name, url, *time_page(client, url)) for name, url, client in pages]
    recount = []
    for _ in range(3):
        start = time.perf_counter()
        leader_client.post("/can-bo/dieu-hanh/")  # "Tính lại ngay": counts again, live
        recount.append((time.perf_counter() - start) * 1000)
    last_month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    report = time_report(leader.commune, last_month)

    residents = Resident.objects.count()
    rows = Attempt.objects.count() + SkillTick.objects.count() + Attendance.objects.count()
    print(
        f"Dữ liệu: {Commune.objects.count()} xã, {residents:,} người dân, "
        f"{rows:,} dòng tiến độ và kỹ năng "
        f"({'dùng lại dữ liệu đã tạo' if reuse else f'tạo trong {built_s:.0f} s'})"
    )
    print(
        f"Tính lại số liệu mỗi xã (việc chạy hằng đêm): "
        f"trung vị {statistics.median(refresh):.2f} s, "
        f"chậm nhất {max(refresh):.2f} s, cả tỉnh {sum(refresh):.0f} s"
    )
    print(f"Mỗi trang: 1 lần khởi động rồi {RUNS} lần đo; thời gian tính bằng ms.")
    print(f"{'trang':28} {'trung vị':>9} {'nhanh':>7} {'chậm':>7} {'truy vấn':>9} {'byte':>8}")
    for name, _url, wall, queries, size in results:
        median = statistics.median(wall)
        flag = "" if median <= BUDGET_MS else f"  VƯỢT {BUDGET_MS} ms"
        print(
            f"{name:28} {median:9.1f} {min(wall):7.1f} {max(wall):7.1f} {queries:9d} "
            f"{size:8d}{flag}"
        )
    print(
        f"{'điều hành, tính lại ngay':28} {statistics.median(recount):9.1f} {min(recount):7.1f} "
        f"{max(recount):7.1f}  (đếm trực tiếp một xã, 3 lần)"
    )
    leader_ms = statistics.median(results[0][2])
    province_ms = statistics.median(results[1][2])
    report_s = f"{report:.2f}"
    print(
        f"leader_dashboard_ms={leader_ms:.0f} province_dashboard_ms={province_ms:.0f} "
        f"report_s={report_s} residents={residents}"
    )


if __name__ == "__main__":
    main()
