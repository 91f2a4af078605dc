"""Invented communications for the demo: slogans, news, a skills day, a scam alert, a bulletin.

Idempotent: everything is found by title before it is made.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role, User
from communications.calendar import event_create
from communications.models import Article, Bulletin, Event, ScamAlert
from communications.news import article_save
from communications.posters import slogans_ensure_defaults
from communications.radio import BulletinItems, bulletin_draft, bulletin_save
from communications.scams import scam_alert_publish
from learning.models import Lesson

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
    (
        Article.Kind.STORY,
        "Bà Lành 67 tuổi tự bán cam qua Zalo",
        "Từ chỗ chưa biết nhắn tin, bà đã có khách quen ở thành phố.",
        "Được đoàn viên thanh niên kèm cặp mỗi tuần một buổi, bà học chụp ảnh cam cho đẹp, "
        "đăng lên nhóm Zalo và nhận tiền qua mã QR. “Không khó như tôi nghĩ”, bà nói.",
        ["elderly"],
        "ban-hang",
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
    if not Bulletin.objects.filter(commune=commune).exists():
        items = BulletinItems(
            announcements=list(
                Article.objects.filter(commune=commune, kind=Article.Kind.ANNOUNCEMENT)
            ),
            sessions=True,
            lesson=Lesson.objects.filter(commune=commune, slug="lua-dao-gia-cong-an").first(),
            scam_alert=ScamAlert.objects.filter(commune=commune).first(),
            story=Article.objects.filter(commune=commune, kind=Article.Kind.STORY).first(),
        )
        bulletin_save(
            actor=admin,
            commune=commune,
            title="Bản tin Bình dân học vụ số tuần này",
            script=bulletin_draft(commune, items),
        )
    return counts
