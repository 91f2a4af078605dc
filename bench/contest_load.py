"""A quiz round under a rush: 2,000 residents start within a minute and all submit.

Builds its own database (SQLite in a temporary file, or a PostgreSQL database named
bench_contest, dropped and recreated each run), migrates it, and fills it with a commune,
a contest of 40 questions with one open round, and N residents who agreed to contests.
Each resident gets a ready session row (as if they had logged in with phone + PIN on their
phone earlier); the point is the quiz path, not PIN hashing.

Then it starts gunicorn on a free loopback port with production settings (DEBUG=false,
static files collected into the temporary directory) and drives it with asyncio + aiohttp,
never more than --concurrency requests in flight (a phone-facing proxy's upstream limit):

1. Answering: participants arrive spread over --spread seconds (default 60). Each opens
   the round list, presses "Vào thi" (POST, follows the redirect), then for every question
   GETs the page and POSTs the chosen option exactly as the form does, and opens the submit
   page. Some reload a question page half-way (--reload-share).
2. Trivial view: /sw.js (a Django view without any database query; the project has no
   health endpoint) with the same concurrency and the same cookies, closed loop.
3. Submit rush: every participant POSTs the submit form, --concurrency at a time, closed
   loop. --retry-share of them retry with the same submit key after the first response
   (a browser after a lost connection), --double-share send two POSTs at once (a double
   tap). Every submit POST is timed.
Steps 2 and 3 take turns in four slices each (the machine may be shared); each figure is
its requests over the sum of its slices' wall times.

Afterwards it counts from the database: lost = participants whose submit got a success
response (302 to their result page) but who have no submitted attempt; double = extra
official attempts per resident, plus retried submits whose answers pointed at different
results, plus retries that changed a graded attempt. It also checks every graded score
against the options the load generator chose and the answer keys.

Targets (issue 5): ratio >= 0.40, p99 < 1000 ms, lost = 0, double = 0.
Run: .venv/bin/python bench/contest_load.py [--db sqlite|postgres] [--participants N]
Last line: db=<name> submits_per_s=<n> trivial_per_s=<n> ratio=<n> p99_ms=<n> lost=<n> double=<n>
"""

import argparse
import asyncio
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_NAME = "bench_contest"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
QUESTIONS_IN_BANK = 40
SLICES = 4  # trivial and submit measurements alternate in this many turns
TOPICS = ["Dịch vụ công trực tuyến", "An toàn trên mạng", "Thanh toán số", "Mạng xã hội"]
HAMLETS = ["Ngọc Lâm", "Yên Mỹ", "Bạch Đằng", "Đồng Tâm", "Tân Phú", "Xuân Hòa"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thị Thu", "Minh", "Quang", "Thị Ngọc", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hoa", "Lan", "Lành", "Mai", "Nam", "Tâm", "Tư"]

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
START_RE = re.compile(rb'action="(/cuoc-thi/dot/\d+/bat-dau/)"')
QUESTION_RE = re.compile(rb'name="question" value="(\d+)"')
CHOICE_RE = re.compile(rb'name="choice" value="(\d+)"')
KEY_RE = re.compile(rb'name="submit_key" value="([^"]+)"')
ATTEMPT_RE = re.compile(r"/cuoc-thi/lam-bai/(\d+)/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


# --- database and server -------------------------------------------------------------------


def prepare_environment(db: str, tmp: Path) -> dict:
    """Production settings from the environment, plus STATIC_ROOT inside the temporary dir."""
    (tmp / "bench_contest_settings.py").write_text(
        f"from hocvuso.settings import *  # noqa: F403\nSTATIC_ROOT = {str(tmp / 'static')!r}\n"
    )
    if db == "postgres":
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_NAME], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_NAME], check=True)
        database_url = PG_URL
    else:
        database_url = f"sqlite:///{tmp / 'contest.sqlite3'}"
    env = {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS ends at the proxy
        "TASK_BACKEND": "immediate",
        "SPEECH_ENGINE": "none",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "bench_contest_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
    }
    os.environ.update(env)
    sys.path[:0] = [str(tmp), str(ROOT)]
    return env


def build(participants: int, questions: int, rng: random.Random) -> tuple[int, list]:
    """Migrate and fill the database. Returns the round id and (resident id, session key)."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Consent, Purpose, Resident, Role, User
    from contests.models import Contest
    from contests.services import contest_create, question_create, round_create
    from lib.vntext import fold
    from places.services import commune_setup, hamlet_ensure

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    commune, _ = commune_setup(province="Nghệ An", commune="Xã Bạch Ngọc")
    hamlets = [hamlet_ensure(commune=commune, name=f"Xóm {name}") for name in HAMLETS]
    coordinator = User.objects.create(
        username="dieuphoi", full_name="Cán bộ điều phối", role=Role.COORDINATOR, commune=commune
    )
    contest = contest_create(
        actor=coordinator,
        title="Cuộc thi tìm hiểu kỹ năng số (đo tải)",
        rules="Mỗi người dự thi một lần.",
        audience=Contest.Audience.RESIDENTS,
    )
    for i in range(QUESTIONS_IN_BANK):
        question_create(
            actor=coordinator,
            contest=contest,
            text=f"Câu hỏi {i + 1}: cách nào an toàn khi dùng điện thoại thông minh?",
            options=[f"Phương án {c} của câu {i + 1}" for c in "ABCD"],
            answer=rng.randrange(4),
            topic=TOPICS[i % len(TOPICS)],
        )
    now = timezone.now()
    round_ = round_create(
        actor=coordinator,
        contest=contest,
        number=1,
        opens_at=now - timezone.timedelta(hours=1),
        closes_at=now + timezone.timedelta(hours=3),
        minutes=30,
        questions_per_attempt=questions,
    )
    users = User.objects.bulk_create(
        User(
            username=f"dan-bench-{i}",
            full_name=f"Người dự thi {i}",
            role=Role.RESIDENT,
            commune=commune,
            password=f"!{secrets.token_hex(20)}",  # unusable, like resident_register's
        )
        for i in range(participants)
    )
    year = timezone.localdate().year
    people = []
    for i, user in enumerate(users):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        people.append(
            Resident(
                commune=commune,
                hamlet=hamlets[i % len(hamlets)],
                user=user,
                full_name=name,
                name_folded=fold(name),
                birth_year=year - rng.randint(16, 85),
                sex=rng.choice(["nam", "nu"]),
                phone=f"09{i:08d}",
            )
        )
    residents = Resident.objects.bulk_create(people, batch_size=1000)
    Consent.objects.bulk_create(
        (
            Consent(
                commune=commune,
                resident=r,
                purpose=purpose,
                granted=True,
                method=Consent.Method.SELF,
            )
            for r in residents
            for purpose in (Purpose.LEARNING, Purpose.CONTEST)
        ),
        batch_size=2000,
    )
    store = SessionStore()
    expires = now + timezone.timedelta(days=30)
    logins = []
    sessions = []
    for user, resident in zip(users, residents, strict=True):
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "accounts.backends.PhonePinBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        encoded = store.encode(data)
        sessions.append(Session(session_key=key, session_data=encoded, expire_date=expires))
        logins.append((resident.pk, key))
    Session.objects.bulk_create(sessions, batch_size=2000)
    from django.db import connections

    connections.close_all()
    return round_.pk, logins


def start_server(env: dict, port: int, args) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "hocvuso.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sw.js", timeout=2).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


# --- the participants ------------------------------------------------------------------------


@dataclass
class Participant:
    resident_id: int
    session_key: str
    csrf_secret: str = field(default_factory=lambda: secrets.token_hex(16))
    attempt_id: int | None = None
    chosen: dict = field(default_factory=dict)  # question number -> position chosen on screen
    question_ids: dict = field(default_factory=dict)
    submit_key: str = ""
    csrf_token: str = ""
    kind: str = "once"  # once | retry | double
    results: list = field(default_factory=list)  # Location of every successful submit
    failed: bool = False

    @property
    def headers(self) -> dict:
        return {"Cookie": f"sessionid={self.session_key}; csrftoken={self.csrf_secret}"}


class Stats:
    def __init__(self):
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}

    def add(self, kind: str, seconds: float):
        self.latencies.setdefault(kind, []).append(seconds)

    def error(self, kind: str):
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Client:
    """Timed requests through one aiohttp session; at most `limit` requests in flight."""

    def __init__(self, base: str, limit: int):
        import aiohttp

        self.base = base
        self.gate = asyncio.Semaphore(limit)
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=limit * 2, force_close=False),
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=120),
        )
        self.stats = Stats()

    async def request(self, kind, method, path, headers, data=None):
        """(status, body, location); the latency counts from when the request may go out."""
        async with self.gate:
            began = time.perf_counter()
            try:
                async with self.session.request(
                    method, self.base + path, headers=headers, data=data, allow_redirects=False
                ) as response:
                    body = await response.read()
                    status, location = response.status, response.headers.get("Location", "")
            except Exception:
                self.stats.error(kind)
                return 0, b"", ""
            self.stats.add(kind, time.perf_counter() - began)
        if status >= 400:
            self.stats.error(kind)
        return status, body, location


async def answer_round(client: Client, p: Participant, delay: float, reload: bool, rng, t0):
    await asyncio.sleep(delay)
    status, page, _ = await client.request("list", "GET", "/cuoc-thi/", p.headers)
    start = START_RE.search(page)
    if status != 200 or start is None:
        p.failed = True
        return
    token = CSRF_RE.search(page).group(1).decode()
    status, _, location = await client.request(
        "start", "POST", start.group(1).decode(), p.headers, {"csrfmiddlewaretoken": token}
    )
    client.started.append(time.perf_counter() - t0)
    if status != 302 or not (found := ATTEMPT_RE.search(location)):
        p.failed = True
        return
    p.attempt_id = int(found.group(1))
    path = location
    reload_at = None
    while "/cau/" in path:
        number = int(path.rstrip("/").rsplit("/", 1)[1])
        status, page, _ = await client.request("question", "GET", path, p.headers)
        if reload and reload_at is None and number >= 3:
            reload_at = number  # the phone lost signal; the resident pulls to refresh
            status, page, _ = await client.request("question", "GET", path, p.headers)
        question = QUESTION_RE.search(page)
        if status != 200 or question is None:
            p.failed = True
            return
        options = len(CHOICE_RE.findall(page))
        choice = rng.randrange(options)
        p.chosen[number] = choice
        p.question_ids[number] = int(question.group(1))
        data = {
            "csrfmiddlewaretoken": CSRF_RE.search(page).group(1).decode(),
            "question": question.group(1).decode(),
            "choice": str(choice),
        }
        status, _, path = await client.request("answer", "POST", path, p.headers, data)
        if status != 302:
            p.failed = True
            return
    status, page, _ = await client.request("submit_page", "GET", path, p.headers)
    key = KEY_RE.search(page)
    if status != 200 or key is None:
        p.failed = True
        return
    p.submit_key = key.group(1).decode()
    p.csrf_token = CSRF_RE.search(page).group(1).decode()


async def submit_once(client: Client, p: Participant, prediction: int):
    data = {
        "csrfmiddlewaretoken": p.csrf_token,
        "submit_key": p.submit_key,
        "prediction": str(prediction),
    }
    path = f"/cuoc-thi/lam-bai/{p.attempt_id}/nop-bai/"
    status, _, location = await client.request("submit", "POST", path, p.headers, data)
    if status == 302 and location.endswith(f"/lam-bai/{p.attempt_id}/ket-qua/"):
        p.results.append(location)
    else:
        p.failed = True


async def submit(client: Client, p: Participant, rng):
    prediction = rng.randint(0, 50)
    if p.kind == "double":  # two taps on the button before the first answer comes back
        await asyncio.gather(submit_once(client, p, prediction), submit_once(client, p, prediction))
    else:
        await submit_once(client, p, prediction)
        if p.kind == "retry":  # the answer was lost on the way: the browser sends it again
            await submit_once(client, p, prediction + 1)


async def closed_loop(concurrency: int, jobs):
    """Run coroutine factories, `concurrency` at a time; wall time in seconds."""
    queue = list(reversed(jobs))

    async def worker():
        while queue:
            await queue.pop()()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - began


async def drive(base: str, logins: list, args, rng: random.Random) -> tuple:
    client = Client(base, args.concurrency)
    client.started = []
    people = [Participant(resident_id=r, session_key=k) for r, k in logins]
    for p in people:
        draw = rng.random()
        if draw < args.retry_share:
            p.kind = "retry"
        elif draw < args.retry_share + args.double_share:
            p.kind = "double"
    try:
        t0 = time.perf_counter()
        await asyncio.gather(
            *(
                answer_round(
                    client,
                    p,
                    rng.uniform(0, args.spread),
                    rng.random() < args.reload_share,
                    random.Random(rng.random()),
                    t0,
                )
                for p in people
            )
        )
        answering = time.perf_counter() - t0
        ready = [p for p in people if not p.failed]

        # Trivial view and submit rush take turns in slices, so that a change in the load
        # around this benchmark weighs on both figures alike.
        trivial_headers = people[0].headers
        trivial_count = max(len(ready), 2000)
        trivial_time = submit_time = 0.0
        for index in range(SLICES):
            trivial_time += await closed_loop(
                args.concurrency,
                [
                    lambda: client.request("trivial", "GET", "/sw.js", trivial_headers)
                    for _ in range(trivial_count // SLICES)
                ],
            )
            submit_time += await closed_loop(
                args.concurrency,
                [
                    lambda p=p: submit(client, p, random.Random(p.resident_id))
                    for p in ready[index::SLICES]
                ],
            )
    finally:
        await client.session.close()
    return people, client, answering, trivial_time, trivial_count, submit_time


# --- counting from the database ---------------------------------------------------------------


def count(round_id: int, people: list[Participant]) -> dict:
    from django.db.models import Count

    from contests.models import Attempt, Question

    attempts = {
        a.resident_id: a for a in Attempt.objects.filter(round_id=round_id, is_practice=False)
    }
    extra = sum(
        row["n"] - 1
        for row in Attempt.objects.filter(round_id=round_id)
        .values("resident_id")
        .annotate(n=Count("id"))
        if row["n"] > 1
    )
    keys = dict(Question.objects.values_list("id", "answer"))
    succeeded = [p for p in people if p.results]
    lost = sum(
        1
        for p in succeeded
        if (a := attempts.get(p.resident_id)) is None
        or a.submitted_at is None
        or a.pk != p.attempt_id
    )
    split = sum(1 for p in succeeded if len(set(p.results)) > 1)
    wrong_score = regraded = 0
    for p in succeeded:
        a = attempts.get(p.resident_id)
        if a is None or a.submitted_at is None:
            continue
        expected = 0
        for number, position in p.chosen.items():
            qid = a.question_ids[number - 1]
            original = a.option_orders[number - 1][position]
            if a.answers.get(str(qid)) != original or p.question_ids[number] != qid:
                wrong_score += 1
                break
            expected += keys[qid] == original
        else:
            if a.score != expected:
                wrong_score += 1
        if (
            p.kind == "retry"
            and a.prediction is not None
            and a.prediction != (random.Random(p.resident_id).randint(0, 50))
        ):
            regraded += 1  # the retry's changed prediction was taken: graded a second time
    return {
        "attempts": len(attempts),
        "submitted": sum(1 for a in attempts.values() if a.submitted_at is not None),
        "succeeded": len(succeeded),
        "lost": lost,
        "double": extra + split + regraded,
        "wrong_score": wrong_score,
    }


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=10, help="questions per attempt")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which to start")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--retry-share", type=float, default=0.05)
    parser.add_argument("--double-share", type=float, default=0.02)
    parser.add_argument("--reload-share", type=float, default=0.10)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    began = time.perf_counter()
    tmp = tempfile.TemporaryDirectory(prefix="contest-load-")
    server = None
    try:
        env = prepare_environment(args.db, Path(tmp.name))
        round_id, logins = build(args.participants, args.questions, rng)
        built = time.perf_counter() - began
        port = free_port()
        server = start_server(env, port, args)
        server_desc = f"gunicorn {args.worker_class} workers={args.workers}" + (
            f" threads={args.threads}" if args.worker_class == "gthread" else ""
        )
        people, client, answering, trivial_time, _, submit_time = asyncio.run(
            drive(f"http://127.0.0.1:{port}", logins, args, rng)
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    try:
        counts = count(round_id, people)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db == "postgres":
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_NAME])
        tmp.cleanup()

    stats = client.stats
    submits = stats.latencies.get("submit", [])
    trivial = stats.latencies.get("trivial", [])
    submits_per_s = len(submits) / submit_time if submit_time else 0.0
    trivial_per_s = len(trivial) / trivial_time if trivial_time else 0.0
    ratio = submits_per_s / trivial_per_s if trivial_per_s else 0.0
    ms = [s * 1000 for s in submits]
    print(
        f"{args.participants} participants, {args.questions} questions each, "
        f"concurrency {args.concurrency}, {server_desc}, setup {built:.0f} s"
    )
    last_start = max(client.started, default=0.0)
    paging = sum(len(v) for k, v in stats.latencies.items() if k not in ("trivial", "submit"))
    print(f"answering: {paging} requests in {answering:.1f} s, last start at {last_start:.1f} s")
    for kind in ("list", "start", "question", "answer", "submit_page", "trivial", "submit"):
        values = [s * 1000 for s in stats.latencies.get(kind, [])]
        if values:
            print(
                f"  {kind:12} n={len(values):6d} p50={percentile(values, 50):7.1f} ms "
                f"p95={percentile(values, 95):7.1f} ms p99={percentile(values, 99):7.1f} ms "
                f"max={max(values):7.1f} ms errors={stats.errors.get(kind, 0)}"
            )
    kinds = {k: sum(1 for p in people if p.kind == k) for k in ("retry", "double")}
    print(
        f"trivial view /sw.js: {len(trivial)} requests in {trivial_time:.1f} s; "
        f"submit rush: {len(submits)} POSTs ({kinds['retry']} retried, {kinds['double']} "
        f"double taps) in {submit_time:.1f} s"
    )
    print(
        f"submit p50_ms={percentile(ms, 50):.0f} p95_ms={percentile(ms, 95):.0f} "
        f"p99_ms={percentile(ms, 99):.0f} mean_ms={statistics.fmean(ms) if ms else 0:.0f}"
    )
    failed = sum(1 for p in people if p.failed)
    print(
        f"database: attempts={counts['attempts']} submitted={counts['submitted']} "
        f"success_responses={counts['succeeded']} failed_participants={failed} "
        f"wrong_score={counts['wrong_score']}; total {time.perf_counter() - began:.0f} s"
    )
    print(
        f"db={args.db} submits_per_s={submits_per_s:.1f} trivial_per_s={trivial_per_s:.1f} "
        f"ratio={ratio:.2f} p99_ms={percentile(ms, 99):.0f} lost={counts['lost']} "
        f"double={counts['double']}"
    )


if __name__ == "__main__":
    main()
