"""Invented communications for the demo: slogans, news, a skills day, a scam alert, two
exemplary stories (with the people's consent recorded) and a bulletin; then, over the months
since the teams were set up, monthly bulletins aired on hamlet clusters, posters put up at the
places the plan names, and scam reports from residents, some turned into alerts.

Idempotent: everything is found by title, place or fixed key before it is made.
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Purpose, Resident, Role, User
from accounts.selectors import granted_purposes
from accounts.services import consent_set
from communications.calendar import event_create
from communications.models import (
    Article,
    Broadcast,
    Bulletin,
    Event,
    Poster,
    PosterPlacement,
    ScamAlert,
    ScamReport,
    Slogan,
    Story,
)
from communications.news import article_save
from communications.posters import placement_record, poster_create, slogans_ensure_defaults
from communications.radio import BulletinItems, broadcast_record, bulletin_draft, bulletin_save
from communications.scams import scam_alert_publish, scam_report_create, scam_report_dismiss
from communications.stories import public_stories_qs, story_save
from demo.outreach import decision_day, month_start
from learning.models import Lesson
from recognition.models import Category

_KEYS = uuid.UUID("9b3e7a52-1f4c-4d0b-8c6e-5a7d2e9f1b43")
WEEKLY_TITLE = "Bản tin Bình dân học vụ số tuần này"
SELLER = "Chị Lương Thị Mơ"
SELLER_STORY = (
    "Chị Lương Thị Mơ bán mật ong rừng qua Zalo và livestream",
    "Từ vài lít mỗi tháng bán cho người quen, nay chị có khách ở ba tỉnh.",
    "Chị Mơ nuôi ong bên sườn đồi đã mười năm. Trước đây, mật làm ra chỉ bán cho người quen "
    "trong xã, nhiều tháng còn tồn cả chục lít.\n\n"
    "Sau lớp **bán hàng trên mạng** do Đoàn Thanh niên xã tổ chức, chị học cách chụp ảnh sản "
    "phẩm dưới ánh sáng tự nhiên, viết vài dòng giới thiệu trung thực, mở trang bán hàng trên "
    "Zalo và thử phát trực tiếp mỗi tối thứ Bảy.\n\n"
    "## Chị chia sẻ\n"
    "- Nói thật về sản phẩm: mật nuôi thì nói là mật nuôi.\n"
    "- Nhận tiền qua mã QR của ngân hàng, không bấm vào đường link lạ người mua gửi.\n"
    "- Gửi hàng qua bưu điện xã, dán mã vận đơn lên nhóm để khách tự theo dõi.",
)


def _elderly_story(resident: Resident) -> tuple[str, str, str]:
    polite = "Bà" if resident.sex == "nu" else "Ông"
    age = timezone.localdate().year - resident.birth_year
    name = resident.full_name
    return (
        f"{polite} {name}, {age} tuổi, tự gọi video và làm thủ tục trên điện thoại",
        "Từ chỗ chỉ biết nghe gọi, nay tự đặt lịch khám bệnh và nhận tiền trợ cấp qua tài khoản.",
        f"Đầu năm, {polite.lower()} {name} còn nhờ cháu bấm hộ từng cuộc gọi. Tổ công nghệ số "
        f"cộng đồng {resident.hamlet.name} đến nhà hướng dẫn mỗi tuần một buổi, mỗi buổi một "
        "việc nhỏ: mở khóa màn hình, gọi video cho con ở xa, rồi cài VNeID.\n\n"
        f"Nay {polite.lower()} tự đặt lịch khám ở trạm y tế, tự tra tiền điện và còn chỉ lại "
        "cho hai người hàng xóm cùng tuổi. “Học chậm mà chắc, có người kèm thì không sợ bấm sai”, "
        f"{polite.lower()} nói.",
    )


ARTICLES = [
    (
        Article.Kind.ANNOUNCEMENT,
        "Tháng này, mỗi xóm có buổi hướng dẫn cài VNeID mức độ 2",
        "Tổ công nghệ số cộng đồng và Công an xã hướng dẫn tại nhà văn hóa từng xóm.",
        "Bà con mang theo **căn cước gắn chip** và **điện thoại** đang dùng số của chính mình. "
        "Các tổ sẽ giúp cài ứng dụng VNeID, hẹn lịch kích hoạt tài khoản mức độ 2 với Công an xã. "
        "Người cao tuổi, người khuyết tật được hướng dẫn tận nhà nếu báo trước với tổ trưởng.",
        ["middle", "elderly"],
        "dich-vu-cong",
    ),
    (
        Article.Kind.NEWS,
        "Hơn hai trăm bà con đã học xong ít nhất một bài kỹ năng số",
        "Kết quả sau ba tháng triển khai phong trào Bình dân học vụ số ở xã.",
        "Sau ba tháng, nhiều bà con đã tự gọi video cho con cháu, tự trả tiền điện bằng "
        "điện thoại. Các tổ công nghệ số cộng đồng tiếp tục **đi từng ngõ, gõ từng nhà** để "
        "không ai bị bỏ lại phía sau.",
        ["young", "middle", "elderly"],
        "chuyen-doi-so",
    ),
]
ALERT_TITLE = "Cảnh báo: cuộc gọi giả công an yêu cầu cài ứng dụng lạ"
ALERT_BODY = (
    "Mấy ngày qua, một số bà con nhận cuộc gọi xưng là công an, nói phải cập nhật định danh "
    "và gửi đường link để cài ứng dụng. Đây là lừa đảo. Công an không giải quyết việc qua "
    "điện thoại hay Zalo, không bao giờ bảo cài ứng dụng từ đường link. Gặp cuộc gọi như vậy, "
    "bà con tắt máy và báo ngay Công an xã hoặc tổ công nghệ số cộng đồng."
)


def demo_communications_load(commune) -> dict:
    admin = User.objects.filter(commune=commune, role=Role.ADMIN).first()
    counts = {"slogans": slogans_ensure_defaults(commune), "articles": 0}
    for kind, title, summary, body, audience, topic in ARTICLES:
        if not Article.objects.filter(commune=commune, title=title).exists():
            article_save(
                actor=admin,
                commune=commune,
                article=None,
                data={
                    "kind": kind,
                    "title": title,
                    "summary": summary,
                    "body": body,
                    "audience": audience,
                    "topic": topic,
                    "status": Article.Status.PUBLISHED,
                    "publish_at": timezone.now() - timedelta(days=3),
                },
            )
            counts["articles"] += 1
    title = "Ngày hội kỹ năng số của xã"
    if not Event.objects.filter(commune=commune, title=title).exists():
        day = timezone.localdate() + timedelta(days=17)
        event_create(
            actor=admin,
            commune=commune,
            data={
                "title": title,
                "place": "Sân Ủy ban nhân dân xã",
                "starts_at": timezone.make_aware(datetime.combine(day, time(7, 30))),
                "ends_at": timezone.make_aware(datetime.combine(day, time(11, 0))),
                "description": "Cài VNeID, mở tài khoản, bán hàng qua mạng; có quà cho người "
                "cao tuổi học giỏi.",
            },
        )
    if not ScamAlert.objects.filter(commune=commune, title=ALERT_TITLE).exists():
        scam_alert_publish(actor=admin, commune=commune, title=ALERT_TITLE, body=ALERT_BODY)
    counts["stories"] = _demo_stories(commune, admin)
    if not Bulletin.objects.filter(commune=commune, title=WEEKLY_TITLE).exists():
        items = BulletinItems(
            announcements=list(
                Article.objects.filter(commune=commune, kind=Article.Kind.ANNOUNCEMENT)
            ),
            sessions=True,
            lesson=Lesson.objects.filter(commune=commune, slug="lua-dao-gia-cong-an").first(),
            scam_alert=ScamAlert.objects.filter(commune=commune).first(),
            story=public_stories_qs(commune).defer("photo").first(),
        )
        bulletin_save(
            actor=admin,
            commune=commune,
            title=WEEKLY_TITLE,
            script=bulletin_draft(commune, items),
        )
    counts.update(demo_activity_load(commune, admin))
    return counts


def _demo_stories(commune, admin) -> int:
    """Two published stories: an elderly resident who agreed to be named (recorded by the
    volunteer of her hamlet), and an online seller named in free text who agreed in writing."""
    coordinator = User.objects.filter(commune=commune, role=Role.COORDINATOR).first() or admin
    made = 0
    resident = (
        Resident.objects.active()
        .filter(commune=commune, birth_year__lte=1960, user__isnull=False)
        .exclude(phone="0912000001")
        .select_related("hamlet")
        .order_by("id")
        .first()
    )
    if resident is not None and not Story.objects.filter(commune=commune, resident=resident):
        if Purpose.PUBLIC_NAME not in granted_purposes(resident):
            volunteer = User.objects.filter(role=Role.VOLUNTEER, hamlet=resident.hamlet).first()
            consent_set(
                resident=resident,
                purpose=Purpose.PUBLIC_NAME,
                granted=True,
                actor=volunteer or coordinator,
                method="assisted",
            )
        title, summary, body = _elderly_story(resident)
        story_save(
            actor=coordinator,
            commune=commune,
            story=None,
            data={
                "title": title,
                "summary": summary,
                "body": body,
                "category": Category.ELDERLY_SMARTPHONE,
                "resident": resident,
                "person_name": "",
                "status": Story.Status.PUBLISHED,
            },
        )
        made += 1
    if not Story.objects.filter(commune=commune, person_name=SELLER).exists():
        title, summary, body = SELLER_STORY
        story_save(
            actor=coordinator,
            commune=commune,
            story=None,
            data={
                "title": title,
                "summary": summary,
                "body": body,
                "category": Category.ONLINE_SELLER,
                "resident": None,
                "person_name": SELLER,
                "status": Story.Status.PUBLISHED,
            },
            consent_form=Story.ConsentForm.WRITTEN,
        )
        made += 1
    return made


# -- Activity over the past months: broadcasts, posters, scam reports --------------------------

BULLETIN_SCRIPTS = [
    "Thưa bà con! Xã ta ra quân phong trào Bình dân học vụ số. Mỗi xóm đã có Tổ công nghệ số "
    "cộng đồng, sẽ đến từng nhà hướng dẫn dùng điện thoại thông minh, gọi video, dùng Zalo. "
    "Nhà nào có người cao tuổi cần giúp, xin báo tổ trưởng tổ công nghệ số của xóm.",
    "Thưa bà con! Tháng này các tổ công nghệ số cùng Công an xã hướng dẫn cài VNeID và kích "
    "hoạt tài khoản định danh mức độ 2. Bà con mang căn cước gắn chíp và điện thoại đang dùng số "
    "của chính mình đến nhà văn hóa xóm theo lịch tổ đã báo.",
    "Thưa bà con! Gần đây có nhiều cuộc gọi, tin nhắn giả danh công an, ngân hàng, điện lực đòi "
    "chuyển tiền hoặc hỏi mã OTP. Không ai được phép hỏi mã OTP của bà con. Gặp những cuộc gọi "
    "như vậy, bà con tắt máy, báo Công an xã hoặc tổ công nghệ số của xóm.",
    "Thưa bà con! Tháng này các tổ công nghệ số hướng dẫn trả tiền điện, tiền nước bằng ứng dụng "
    "ngân hàng và quét mã QR khi mua bán. Bà con chỉ quét mã QR của người bán quen, kiểm tra tên "
    "người nhận trước khi bấm chuyển tiền.",
]
BROADCAST_DAYS = [1, 8, 15, 22]  # days after the bulletin was written
BROADCAST_HOURS = [6, 17]  # the loudspeakers air early morning and late afternoon
# (poster index, format, slogan index) and per month: (poster, place, hamlet index, note, day)
POSTERS = [
    (Poster.Format.BANNER, 11, "Phong trào Bình dân học vụ số xã Bạch Ngọc"),
    (Poster.Format.A3, 1, "Tổ công nghệ số cộng đồng đến tận nhà hướng dẫn"),
    (Poster.Format.A4, 2, "Quét mã để học bài phòng lừa đảo trên điện thoại"),
]
P = PosterPlacement.Place
PLACEMENTS = {
    3: [
        (0, P.OFFICE, None, "Cổng trụ sở UBND xã", 1),
        (0, P.ROAD, None, "Trục đường chính qua ngã ba chợ", 2),
        (1, P.CULTURAL_HOUSE, 0, "", 3),
        (1, P.CULTURAL_HOUSE, 1, "", 4),
        (1, P.CULTURAL_HOUSE, 2, "", 5),
    ],
    2: [
        (1, P.CULTURAL_HOUSE, 3, "", 3),
        (1, P.CULTURAL_HOUSE, 4, "", 5),
        (1, P.CULTURAL_HOUSE, 5, "", 8),
        (1, P.SCHOOL, None, "Bảng tin Trường THCS Bạch Ngọc", 10),
        (2, P.HEALTH, None, "Phòng chờ Trạm Y tế xã", 12),
    ],
    1: [
        (1, P.CULTURAL_HOUSE, 6, "", 2),
        (1, P.CULTURAL_HOUSE, 7, "", 4),
        (2, P.SCHOOL, None, "Cổng Trường Tiểu học Bạch Ngọc", 6),
        (2, P.CULTURAL_HOUSE, 8, "", 9),
        (0, P.ROAD, None, "Trục đường liên xóm Yên Mỹ - Phú Lợi", 14),
    ],
    0: [
        (2, P.OFFICE, None, "Bộ phận một cửa UBND xã", 1),
        (2, P.CULTURAL_HOUSE, 9, "", 3),
        (2, P.HEALTH, None, "Bảng tin Trạm Y tế xã", 6),
    ],
}
C = ScamReport.Channel
# (months back, day of month, channel, what the resident received; numbers are fake ones)
SCAM_REPORTS = [
    (
        3,
        18,
        C.SMS,
        "Tin nhắn báo tài khoản ngân hàng sắp bị khóa vì chưa cập nhật sinh trắc học, kèm một "
        "đường link lạ bảo bấm vào để cập nhật ngay trong ngày.",
    ),
    (
        3,
        25,
        C.CALL,
        "Số 0900 000 236 gọi, xưng là công an huyện, nói tôi dính vào đường dây rửa tiền, bảo "
        "cài một ứng dụng để xác minh và dặn không được kể với ai trong nhà.",
    ),
    (
        2,
        4,
        C.ZALO,
        "Người lạ nhắn Zalo (số 0900 000 114) tự xưng nhân viên điện lực, nói nhà tôi còn nợ "
        "tiền điện, sẽ cắt điện trong hôm nay nếu không chuyển khoản vào một tài khoản cá nhân.",
    ),
    (
        2,
        9,
        C.SMS,
        "Tin nhắn báo trúng thưởng một xe máy trong chương trình tri ân khách hàng, bảo gọi "
        "0900 000 358 và nộp một triệu rưỡi tiền phí để làm thủ tục nhận giải.",
    ),
    (
        2,
        17,
        C.FACEBOOK,
        "Trang Facebook tuyển cộng tác viên làm tại nhà, mỗi ngày ba đến năm trăm nghìn, chỉ cần "
        "thả tim sản phẩm. Mấy việc đầu được trả tiền thật, sau đó bảo nạp hai triệu để nhận "
        "nhiệm vụ lớn.",
    ),
    (
        2,
        21,
        C.SMS,
        "Tin nhắn ngân hàng báo số dư tăng sau khi nhận tiền trợ cấp tháng này.",
    ),
    (
        1,
        3,
        C.CALL,
        "Số 0900 000 472 gọi báo con trai tôi bị tai nạn đang cấp cứu, cần chuyển ngay hai mươi "
        "triệu tiền mổ vào tài khoản của bác sĩ. Gọi lại cho con thì con vẫn đang đi làm.",
    ),
    (
        1,
        8,
        C.ZALO,
        "Tài khoản Zalo của cháu gái nhắn vay gấp năm triệu, hứa tối trả. Gọi video lại thì "
        "không nghe máy. Hỏi ra thì Zalo của cháu bị người khác chiếm.",
    ),
    (
        1,
        13,
        C.CALL,
        "Số 0900 000 681 gọi xưng nhân viên ngân hàng, hỏi mã OTP vừa gửi về máy để hủy một "
        "giao dịch chuyển nhầm.",
    ),
    (
        1,
        20,
        C.FACEBOOK,
        "Quảng cáo trên Facebook bán máy bơm nước rẻ một nửa, bảo chuyển trước toàn bộ tiền. "
        "Trang mới lập tháng trước, không có địa chỉ cửa hàng.",
    ),
    (
        0,
        2,
        C.ZALO,
        "Nhóm Zalo rủ góp vốn đầu tư vàng, hứa lãi ba mươi phần trăm mỗi tháng, có người trong "
        "nhóm khoe ảnh nhận lãi.",
    ),
    (
        0,
        5,
        C.SMS,
        "Tin nhắn từ số 0900 000 590 mạo danh bảo hiểm xã hội, bảo bấm đường link để nhận lại "
        "tiền đóng thừa.",
    ),
]
# Alerts written from the reports: (title, body, indices into SCAM_REPORTS)
SCAM_ALERTS = [
    (
        "Cảnh báo: tin nhắn đòi cập nhật sinh trắc học, báo trúng thưởng phải nộp phí",
        "Nhiều bà con nhận tin nhắn báo tài khoản sắp bị khóa, bảo bấm đường link để cập nhật "
        "sinh trắc học, hoặc báo trúng thưởng phải nộp phí nhận giải. Ngân hàng không gửi đường "
        "link bảo cập nhật; trúng thưởng thật không bao giờ phải nộp tiền trước. Bà con xóa tin "
        "nhắn, không bấm link, cần thì hỏi tổ công nghệ số của xóm.",
        [0, 3],
    ),
    (
        "Cảnh báo: cuộc gọi báo người thân cấp cứu, hỏi mã OTP",
        "Kẻ gian gọi báo con cháu bị tai nạn để giục chuyển tiền, hoặc xưng nhân viên ngân hàng "
        "hỏi mã OTP. Bà con bình tĩnh, gọi lại ngay cho người thân bằng số quen; tuyệt đối không "
        "đọc mã OTP cho ai.",
        [6, 8],
    ),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def demo_activity_load(commune, admin) -> dict:
    """Broadcasts, posters and scam reports spread over the months since the teams were set
    up (three months back), so every recent month has something to report. Idempotent."""
    today = timezone.localdate()
    return {
        "broadcasts": _demo_broadcasts(commune, admin, today),
        "placements": _demo_posters(commune, admin, today),
        "scam_reports": _demo_scam_reports(commune, admin, today),
    }


def _demo_broadcasts(commune, admin, today: date) -> int:
    hamlets = list(commune.hamlets.order_by("name"))
    clusters = [c for c in (hamlets[0:4], hamlets[4:7], hamlets[7:]) if c]
    if not clusters:
        return 0
    now = timezone.now()
    made = 0
    plan = []  # (bulletin, the day it was written)
    for number, months_back in enumerate([3, 2, 1, 0]):
        first = month_start(today, months_back)
        written = decision_day(today) + timedelta(days=2) if months_back == 3 else first
        if written > today:
            continue
        title = f"Bản tin Bình dân học vụ số tháng {first:%m/%Y}"
        bulletin = Bulletin.objects.filter(commune=commune, title=title).first()
        if bulletin is None:
            bulletin = bulletin_save(
                actor=admin, commune=commune, title=title, script=BULLETIN_SCRIPTS[number]
            )
            Bulletin.objects.filter(pk=bulletin.pk).update(
                created_at=_at(written, 8), updated_at=_at(written, 8)
            )
        plan.append((bulletin, written))
    weekly = Bulletin.objects.filter(commune=commune, title=WEEKLY_TITLE).first()
    if weekly is not None:
        written = today - timedelta(days=5)
        if weekly.created_at > now - timedelta(minutes=5):  # just made: written this week
            Bulletin.objects.filter(pk=weekly.pk).update(
                created_at=_at(written, 8), updated_at=_at(written, 8)
            )
        plan.append((weekly, written))
    for bulletin, written in plan:
        for number, days in enumerate(BROADCAST_DAYS):
            aired = _at(written + timedelta(days=days), BROADCAST_HOURS[number % 2])
            if aired > now or Broadcast.objects.filter(bulletin=bulletin, aired_at=aired).exists():
                continue
            broadcast_record(
                actor=admin,
                bulletin=bulletin,
                aired_at=aired,
                hamlets=clusters[(bulletin.pk + number) % len(clusters)],
            )
            made += 1
    return made


def _demo_posters(commune, admin, today: date) -> int:
    slogans = list(Slogan.objects.filter(commune=commune).order_by("pk"))
    posters = []
    for format, slogan_index, subtitle in POSTERS:
        slogan = slogans[slogan_index % len(slogans)]
        poster = Poster.objects.filter(commune=commune, slogan=slogan, subtitle=subtitle).first()
        if poster is None:
            poster = poster_create(
                actor=admin,
                commune=commune,
                slogan=slogan,
                format=format,
                qr_url="https://hocvuso.example/bai-hoc/",
                subtitle=subtitle,
            )
            made_on = _at(decision_day(today), 9)
            Poster.objects.filter(pk=poster.pk).update(created_at=made_on, updated_at=made_on)
        posters.append(poster)
    hamlets = list(commune.hamlets.order_by("name"))
    if not hamlets:
        return 0
    made = 0
    for months_back, rows in PLACEMENTS.items():
        first = month_start(today, months_back)
        if months_back == 3:
            first = decision_day(today)
        for poster_index, place, hamlet_index, note, day in rows:
            put_up_on = first + timedelta(days=day)
            hamlet = hamlets[hamlet_index % len(hamlets)] if hamlet_index is not None else None
            poster = posters[poster_index]
            if (
                put_up_on > today
                or PosterPlacement.objects.filter(
                    poster=poster, place=place, hamlet=hamlet, note=note
                ).exists()
            ):
                continue
            placement_record(
                actor=admin,
                poster=poster,
                place=place,
                hamlet=hamlet,
                note=note,
                put_up_on=put_up_on,
            )
            made += 1
    return made


def _demo_scam_reports(commune, admin, today: date) -> int:
    residents = list(
        Resident.objects.active()
        .filter(commune=commune, user__isnull=False)
        .exclude(phone="0912000001")
        .order_by("pk")
    )
    if not residents:
        return 0
    now = timezone.now()
    made, reports = 0, {}
    for number, (months_back, day, channel, content) in enumerate(SCAM_REPORTS):
        received = month_start(today, months_back) + timedelta(days=day - 1)
        if months_back == 3:
            received = max(received, decision_day(today))
        if received > today:
            continue
        resident = residents[(number * 23) % len(residents)]
        report, created = scam_report_create(
            commune=commune,
            channel=channel,
            content=content,
            client_key=uuid.uuid5(_KEYS, f"scam-{number}"),
            received_on=received,
            resident=resident,
            actor=resident.user,
        )
        if created:
            made += 1
            filed = min(_at(received, 19, 30), now)
            ScamReport.objects.filter(pk=report.pk).update(created_at=filed)
            if "số dư tăng" in content:  # a genuine bank message: not a scam
                scam_report_dismiss(actor=admin, report=report)
        reports[number] = report
    for title, body, numbers in SCAM_ALERTS:
        linked = [reports[n] for n in numbers if n in reports]
        if (
            len(linked) < len(numbers)
            or ScamAlert.objects.filter(commune=commune, title=title).exists()
        ):
            continue
        alert = scam_alert_publish(
            actor=admin, commune=commune, title=title, body=body, reports=linked
        )
        last = max(
            ScamReport.objects.filter(pk__in=[r.pk for r in linked]).values_list(
                "created_at", flat=True
            )
        )
        published = min(last + timedelta(days=1, hours=-10), now)
        ScamAlert.objects.filter(pk=alert.pk).update(published_at=published, created_at=published)
    return made
