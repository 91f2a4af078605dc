"""Invented communications for the demo: slogans, news, a skills day, a scam alert, two
exemplary stories (with the people's consent recorded) and a bulletin.

Idempotent: everything is found by title before it is made.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Purpose, Resident, Role, User
from accounts.selectors import granted_purposes
from accounts.services import consent_set
from communications.calendar import event_create
from communications.models import Article, Bulletin, Event, ScamAlert, Story
from communications.news import article_save
from communications.posters import slogans_ensure_defaults
from communications.radio import BulletinItems, bulletin_draft, bulletin_save
from communications.scams import scam_alert_publish
from communications.stories import public_stories_qs, story_save
from learning.models import Lesson
from recognition.models import Category

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
    if not Bulletin.objects.filter(commune=commune).exists():
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
            title="Bản tin Bình dân học vụ số tuần này",
            script=bulletin_draft(commune, items),
        )
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
