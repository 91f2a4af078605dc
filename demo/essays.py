"""A demo experience-sharing contest with a rubric, a judging panel, entries and some scores.

Idempotent: nothing is added when the contest already exists. The authors are demo residents
who agreed to take part in contests; the stories are invented and written plainly.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Resident, Role, User
from accounts.selectors import granted_purposes
from essays.models import EssayContest
from essays.services import (
    CriterionRow,
    contest_announce,
    contest_create,
    entry_moderate,
    entry_submit,
    judge_add,
    rubric_set,
    scores_save,
    vote_cast,
)

TITLE = "Chia sẻ kinh nghiệm dùng điện thoại thông minh"
RULES = (
    "Bà con kể lại một việc mình đã làm được nhờ chiếc điện thoại thông minh: gọi video cho "
    "con cháu, trả tiền điện, bán nông sản, tránh một cuộc gọi lừa đảo… Viết bằng lời của "
    "mình, tối đa 800 chữ, có thể kèm tối đa 3 ảnh và một đường link video. Ai không tiện gõ "
    "chữ thì kể cho tình nguyện viên Tổ công nghệ số cộng đồng ghi giúp. Mỗi người gửi một bài. "
    "Ban tổ chức duyệt bài trước khi đăng. Ban giám khảo chấm theo tiêu chí công bố; giải gồm "
    "1 giải Nhất, 1 giải Nhì, 1 giải Ba và 2 giải Khuyến khích, cùng một giải bình chọn do "
    "bà con bình chọn trên trang này."
)
_KEYS = uuid.UUID("7d3c2a10-5f1e-4b8a-9c62-0e4f8a1b2c3d")
RUBRIC = [
    CriterionRow("Câu chuyện thật, thiết thực", "Việc đã làm được, giúp ích cho cuộc sống", 40, 10),
    CriterionRow("Dễ hiểu, người khác làm theo được", "Có các bước cụ thể, lời lẽ giản dị", 30, 10),
    CriterionRow("Lan tỏa", "Đã hướng dẫn lại cho người thân, hàng xóm", 20, 10),
    CriterionRow("An toàn trên mạng", "Nhắc giữ mã OTP, mật khẩu, cảnh giác lừa đảo", 10, 10),
]
# (key, who: sex ('' for any), born from, born to, hamlet index or None, title, text, approve)
ENTRIES = [
    (
        "video-call",
        ("nu", 1938, 1954, None),
        "Bà ngoài bảy mươi gọi video cho cháu nội",
        "Tôi năm nay ngoài bảy mươi, cả đời chỉ dùng cái điện thoại bấm số. Thằng cháu nội vào "
        "Bình Dương làm công nhân, mỗi lần gọi chỉ nghe tiếng, không thấy mặt.\n\n"
        "Tết vừa rồi con trai mua cho cái điện thoại màn hình to. Cô tình nguyện viên ở tổ công "
        "nghệ số xóm đến tận nhà, cài Zalo, lưu số của cháu, rồi dạy tôi bấm vào hình cái máy "
        "quay để gọi video. Tôi tập ba buổi mới nhớ.\n\n"
        "Giờ tối nào cháu tan ca cũng gọi về. Tôi thấy cháu gầy hay béo, cháu thấy bà khỏe. Tôi "
        "còn tự gửi được ảnh con gà mái ấp trứng cho cháu xem.\n\n"
        "Tôi dặn các bà trong hội người cao tuổi: ai nhắn tin xin tiền, dù mang tên con cháu, "
        "cũng phải gọi video thấy mặt, hỏi lại cho chắc rồi mới tính.",
        True,
    ),
    (
        "oranges",
        ("nam", 1960, 1980, None),
        "Bán cam qua Zalo, không lo bị ép giá",
        "Nhà tôi có hai sào cam. Mọi năm thương lái vào tận vườn, họ trả bao nhiêu biết bấy "
        "nhiêu.\n\n"
        "Năm nay Đoàn Thanh niên xã chỉ tôi chụp ảnh cam cho sáng, đăng lên nhóm Zalo của xóm, "
        "ghi rõ giá và số điện thoại. Khách ở Vinh, ở Hà Nội nhắn đặt, tôi gửi qua bưu điện. "
        "Tôi mở tài khoản ngân hàng trên điện thoại, in mã QR dán ở cổng để khách đến mua "
        "chuyển khoản, khỏi phải trả tiền lẻ.\n\n"
        "Vụ này tôi bán được hơn nửa vườn theo giá lẻ, lãi hơn năm ngoái. Kinh nghiệm của tôi: "
        "ảnh phải thật, cam xấu nói xấu, khách mới quay lại. Tiền chuyển vào thì xem trong ứng "
        "dụng ngân hàng, đừng tin ảnh chụp màn hình người ta gửi.",
        True,
    ),
    (
        "electricity",
        ("nu", 1960, 1975, None),
        "Trả tiền điện mà không phải ra bưu điện",
        "Trước đây cứ đến kỳ là tôi phải nghỉ nửa buổi làm đồng, đạp xe ra bưu điện xã nộp tiền "
        "điện.\n\n"
        "Tháng trước con dâu cài cho tôi ứng dụng ngân hàng. Tôi vào mục thanh toán hóa đơn, "
        "chọn tiền điện, nhập mã khách hàng in trên tờ hóa đơn cũ. Máy hiện đúng tên chủ hộ và "
        "số tiền, tôi bấm xác nhận, nhập mã xác thực gửi về tin nhắn. Xong chưa đầy hai phút. "
        "Giờ tôi trả luôn cả tiền nước và tiền học của cháu.\n\n"
        "Có lần tôi nhận tin nhắn báo nợ tiền điện sắp bị cắt, kèm một đường link lạ. Tôi không "
        "bấm vào, gọi tổng đài điện lực hỏi thì biết là lừa đảo. Mã xác thực tôi không bao giờ "
        "đọc cho ai.",
        True,
    ),
    (
        "scam-calls",
        ("", 2002, 2008, None),
        "Tôi chỉ ông bà nhận ra cuộc gọi lừa đảo",
        "Em là sinh viên, cuối tuần về quê. Ông nội em từng nhận cuộc gọi xưng là công an, bảo "
        "ông liên quan một vụ án, phải chuyển tiền để “xác minh”. May ông gọi cho em trước.\n\n"
        "Từ đó em mở một buổi nhỏ ở nhà văn hóa xóm, chỉ các ông bà ba điều: công an, tòa án "
        "không làm việc qua điện thoại hay Zalo; không ai được đòi mã OTP; nghi ngờ thì dập "
        "máy, gọi cho con cháu hoặc công an xã.\n\n"
        "Em còn giúp mười hai người cài ứng dụng VNeID, rồi đưa các ông bà ra công an xã để "
        "kích hoạt tài khoản mức 2. Các ông bà học nhanh lắm, miễn là mình chỉ từng bước, chậm "
        "rãi, để ông bà tự bấm chứ không bấm hộ.",
        True,
    ),
    (
        "weather",
        ("nam", 1938, 1962, 0),
        "Xem thời tiết trước khi phun thuốc",
        "Tôi không quen gõ chữ nên nhờ cháu tình nguyện viên ghi giúp.\n\n"
        "Tôi làm lúa đã bốn mươi năm. Trước, phun thuốc xong gặp mưa là mất thuốc, mất công. "
        "Giờ tôi mở ứng dụng thời tiết trên điện thoại, xem giờ nào có mưa rồi mới phun.\n\n"
        "Cháu còn chỉ tôi vào nhóm Zalo của Hội Nông dân, nơi cán bộ khuyến nông gửi lịch thời "
        "vụ và cách trị sâu cuốn lá. Tôi hỏi bằng cách bấm giữ nút micro để nói, không cần gõ. "
        "Tiết kiệm được mấy lần thuốc là đủ tiền mua điện thoại.",
        False,  # waits in the coordinator's moderation queue
    ),
]
# judge username -> points per approved entry key (one number per criterion)
SCORES = {
    "hoinongdan": {
        "video-call": (9, 8, 7, 9),
        "oranges": (9, 8, 8, 8),
        "electricity": (8, 9, 6, 10),
        "scam-calls": (8, 8, 10, 10),
    },
    "hoiphunu": {"video-call": (10, 9, 8, 8), "oranges": (8, 7, 7, 8)},
}
PANEL = ["hoinongdan", "hoiphunu", "doanthanhnien"]


def _author(commune, sex, born_from, born_to, hamlet_index, taken: set[int]) -> Resident | None:
    hamlets = list(commune.hamlets.order_by("id").values_list("id", flat=True))
    qs = Resident.objects.active().filter(
        commune=commune, birth_year__range=(born_from, born_to), user__isnull=False
    )
    if sex:
        qs = qs.filter(sex=sex)
    if hamlet_index is not None:
        qs = qs.filter(hamlet_id=hamlets[hamlet_index])
    for resident in qs.exclude(phone="0912000001").exclude(pk__in=taken).order_by("id"):
        if "contest" in granted_purposes(resident):
            return resident
    return None


def demo_essays_load(commune) -> bool:
    if EssayContest.objects.filter(commune=commune, title=TITLE).exists():
        return False
    coordinator = User.objects.filter(commune=commune, role=Role.COORDINATOR).first()
    volunteer = User.objects.filter(username="tinhnguyen").first()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    contest = contest_create(
        actor=coordinator,
        title=TITLE,
        kind=EssayContest.Kind.SHARING,
        audience=EssayContest.Audience.RESIDENTS,
        rules=RULES,
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        max_words=800,
        voting_enabled=True,
        voting_opens_at=now - timedelta(days=3),
        voting_closes_at=now + timedelta(days=25),
    )
    rubric_set(actor=coordinator, contest=contest, rows=RUBRIC)
    contest_announce(actor=coordinator, contest=contest)
    judges = {u.username: u for u in User.objects.filter(commune=commune, username__in=PANEL)}
    for username in PANEL:
        if username in judges:
            judge_add(actor=coordinator, contest=contest, user=judges[username])
    taken: set[int] = set()
    entries = {}
    for key, (sex, born_from, born_to, hamlet_index), title, text, approve in ENTRIES:
        resident = _author(commune, sex, born_from, born_to, hamlet_index, taken)
        if resident is None:
            continue
        taken.add(resident.pk)
        assisted = hamlet_index is not None and volunteer is not None
        entry, _ = entry_submit(
            contest=contest,
            entered_by=volunteer if assisted else resident.user,
            resident=resident,
            title=title,
            text=text,
            client_key=uuid.uuid5(_KEYS, key),
        )
        if approve:
            entry = entry_moderate(actor=coordinator, entry=entry, approve=True)
        entries[key] = entry
    criteria = list(contest.criteria.all())
    for username, by_entry in SCORES.items():
        for key, values in by_entry.items():
            if username in judges and key in entries:
                points = {c.pk: Decimal(v) for c, v in zip(criteria, values, strict=True)}
                scores_save(judge=judges[username], entry=entries[key], points=points)
    voters = Resident.objects.filter(commune=commune).exclude(pk__in=taken).order_by("id")[:9]
    approved = [e for e in entries.values() if e.status == e.Status.APPROVED]
    for n, voter in enumerate(voters):
        if approved:
            vote_cast(entry=approved[(n * n) % len(approved)], voter=f"r{voter.pk}")
    return True
