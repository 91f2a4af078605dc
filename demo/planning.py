"""Demo plans: the Bạch Ngọc commune plan (from the seed plan of 2025) and the detailed plans
with budgets of four organisations for this year. Idempotent: what exists is left alone."""

import datetime as dt
import uuid

from django.utils import timezone

from places.models import Commune, Organisation
from planning.dashboard import dashboard_refresh
from planning.models import CommunePlan, OrgPlan
from planning.services import (
    activity_save,
    budget_line_save,
    commune_plan_save,
    expense_record,
    org_plan_ensure,
    org_plan_update,
    plan_item_save,
    target_add,
)

_KEYS = uuid.UUID("9b1e3a52-7d0c-4f6a-8e21-3c5d7f9a1b40")
TITLE = (
    "Kế hoạch triển khai phong trào thi đua “Cả nước thi đua đổi mới, sáng tạo và chuyển đổi "
    "số” và phong trào “Bình dân học vụ số”"
)
PREAMBLE = (
    "Thực hiện công văn số 3691/SNV-TĐKT ngày 8 tháng 7 năm 2025 của Sở Nội vụ về việc triển "
    "khai phong trào thi đua “Cả nước thi đua đổi mới, sáng tạo và chuyển đổi số” và phong trào "
    "“Bình dân học vụ số”, UBND xã Bạch Ngọc xây dựng kế hoạch triển khai như sau."
)

PLAN_ITEMS = [
    (
        "purpose",
        1,
        "",
        "",
        [
            "Tuyên truyền sâu rộng Phong trào thi đua nhằm phổ cập tri thức cơ bản về "
            "chuyển đổi số, kỹ năng số cho cán bộ, đảng viên, nhân dân với tinh thần cách "
            "mạng toàn dân, toàn diện; mọi cán bộ, đảng viên và người dân đều được trang bị "
            "kiến thức, kỹ năng số cần thiết để áp dụng trong công việc và cuộc sống hằng "
            "ngày nhằm khai thác, thụ hưởng những thành quả của khoa học công nghệ, đổi mới "
            "sáng tạo và chuyển đổi số mang lại.",
            "Phát huy sức mạnh của cả hệ thống chính trị trong việc tuyên truyền, nâng cao "
            "nhận thức và hành động của cấp ủy, chính quyền, tổ chức chính trị - xã hội các "
            "cấp, các tầng lớp Nhân dân về vai trò, ý nghĩa của chuyển đổi số, công tác phổ "
            "cập kỹ năng số, khơi dậy động lực tự thân của mỗi người trong học tập, rèn "
            "luyện kỹ năng số và tham gia đầy đủ vào tiến trình chuyển đổi số quốc gia.",
            "Nâng cao vai trò, trách nhiệm của các cấp, các ngành, các cơ quan, đơn vị, tổ "
            "chức, nhất là người đứng đầu cấp ủy, chính quyền, các tổ chức chính trị - xã "
            "hội, các địa phương trong việc lãnh đạo, chỉ đạo tuyên truyền triển khai Phong "
            "trào, thực hiện nhiệm vụ, giải pháp phổ cập tri thức cơ bản về chuyển đổi số, "
            "kỹ năng số cho người dân; đồng thời đẩy nhanh tiến trình chuyển đổi số của cơ "
            "quan, đơn vị, địa phương.",
        ],
    ),
    (
        "requirement",
        2,
        "",
        "",
        [
            "Phong trào được triển khai toàn diện, sâu rộng đến tận xóm, cơ quan, trường "
            "học… tạo nên cuộc vận động toàn dân thi đua học tập, rèn luyện, góp phần lan "
            "tỏa tinh thần tự học, tự nâng cao tri thức, kỹ năng số, chuyển quá trình học "
            "tập, rèn luyện, nâng cao và ứng dụng tri thức số trở thành nhu cầu tự thân của "
            "mỗi người dân.",
            "Công tác tuyên truyền cần được thực hiện đa dạng, phong phú, sáng tạo, sát với "
            "tình hình thực tế của địa phương, cơ quan, đơn vị. Phát huy cao độ vai trò của "
            "các tổ chức chính trị - xã hội, tổ chức xã hội nghề nghiệp, các cơ quan, tổ "
            "chức, doanh nghiệp, cơ sở giáo dục, đơn vị công nghệ nhằm kiến tạo hệ sinh "
            "thái học tập số đa dạng, phong phú. Ứng dụng mạnh mẽ công nghệ số, trí tuệ "
            "nhân tạo và các nền tảng học tập trực tuyến, bảo đảm phương thức tiếp cận linh "
            "hoạt, phù hợp với mọi đối tượng, nhất là người dân ở vùng có điều kiện khó "
            "khăn.",
        ],
    ),
    (
        "content",
        1,
        "Tuyên truyền về chuyển đổi số",
        "",
        [
            "Sử dụng các từ ngữ giải thích một cách đơn giản, dễ hiểu chuyển đổi số là gì, "
            "ví dụ thực tế trong đời sống như: mua bán online, thanh toán qua điện thoại, "
            "làm giấy tờ qua mạng, tra cứu thông tin nông nghiệp, y tế.",
            "Sử dụng Đài truyền thanh cơ sở, trang thông tin điện tử xã và trên các nền "
            "tảng mạng xã hội, pa-nô, áp phích, hội nghị họp dân… để tuyên truyền gần dân, "
            "dễ tiếp cận.",
            "Nhấn mạnh lợi ích cụ thể của chuyển đổi số với người dân địa phương như: tiết "
            "kiệm thời gian, giảm chi phí đi lại, tăng hiệu quả làm ăn, bán hàng được xa "
            "hơn.",
        ],
    ),
    (
        "content",
        2,
        "Hướng dẫn kỹ năng số thiết yếu cho người dân",
        "",
        [
            "Huy động người có ảnh hưởng trong cộng đồng tham gia truyền thông hướng dẫn "
            "cho người dân về mục đích, ý nghĩa và tầm quan trọng của chuyển đổi số.",
            "Tổ chức các buổi hướng dẫn trực tiếp ngay tại xóm xã cách sử dụng điện thoại "
            "thông minh: cách cài ứng dụng, chụp ảnh, gửi tin nhắn, dùng Zalo, quét mã QR, "
            "tra cứu thông tin nông nghiệp, y tế…",
            "Hướng dẫn người dân làm các thủ tục hành chính qua mạng như: đăng ký khai "
            "sinh, khai tử, xin giấy xác nhận cư trú, đăng ký tiêm chủng, khám chữa bệnh "
            "bảo hiểm y tế.",
            "Hướng dẫn người dân sử dụng tài khoản ngân hàng số để thanh toán điện, nước, "
            "học phí, mua bán hàng hóa dễ dàng, an toàn, nhanh gọn.",
        ],
    ),
    (
        "content",
        3,
        "Hỗ trợ người dân áp dụng số hóa trong sản xuất – kinh doanh",
        "",
        [
            "Hướng dẫn bà con nông dân cách quảng bá nông sản trên mạng, bán hàng qua "
            "Facebook, Zalo, sàn thương mại điện tử như Postmart, Voso.",
            "Giới thiệu phần mềm, ứng dụng hỗ trợ trồng trọt, chăn nuôi, thời tiết, giá cả "
            "thị trường. Ví dụ: ứng dụng dự báo thời tiết mùa vụ, bệnh cây trồng – vật "
            "nuôi.",
        ],
    ),
    (
        "content",
        4,
        "Khuyến khích học tập, làm chủ công nghệ",
        "",
        [
            "Thành lập Tổ công nghệ số cộng đồng, trong đó thành viên là chi đoàn, chi hội, "
            "là thanh niên, nông dân, phụ nữ… Mỗi người dân là một công dân số tích cực.",
            "Khen thưởng, biểu dương những người lớn tuổi biết dùng smartphone, bà con bán "
            "hàng online hiệu quả, thanh niên hỗ trợ cộng đồng tiếp cận công nghệ số.",
        ],
    ),
    (
        "content",
        5,
        "Kết hợp các chương trình, đề án lớn với nhu cầu địa phương",
        "",
        [
            "Triển khai các hoạt động theo Đề án 146/QĐ-TTg năm 2022 về phổ cập kỹ năng số, "
            "phù hợp với đặc điểm dân trí, điều kiện của người dân.",
            "Gắn tuyên truyền chuyển đổi số với phong trào xây dựng nông thôn mới phong "
            "trào toàn dân đoàn kết xây dựng đời sống văn hóa, gia đình học tập.",
            "Phối hợp với UBMTTQ và các thành viên như Hội Nông dân, Hội Phụ nữ, Đoàn Thanh "
            "niên… để tổ chức lớp học, sinh hoạt chuyên đề chuyển đổi số sát thực tiễn.",
        ],
    ),
    (
        "content",
        6,
        "Làm rõ ý nghĩa và lợi ích thiết thực của chuyển đổi số",
        "",
        [
            "Nhấn mạnh rằng chuyển đổi số giúp người dân dễ tiếp cận thông tin, thủ tục "
            "hành chính, dịch vụ y tế, giáo dục, nông nghiệp mà không phải đi xa.",
            "Thể hiện rõ chuyển đổi số không chỉ là việc của Nhà nước hay thành phố lớn, mà "
            "còn là cơ hội để người dân nông thôn phát triển kinh tế, nâng cao đời sống.",
            "Tạo sự tin tưởng, đồng thuận trong cộng đồng dân cư: chuyển đổi số không khó, "
            "ai cũng có thể học và làm được nếu được hướng dẫn đúng cách.",
            "Gắn liền chuyển đổi số với tiến trình sắp xếp, tinh gọn bộ máy hành chính, cải "
            "cách hành chính theo hướng hiện đại, hiệu quả, phục vụ người dân và doanh "
            "nghiệp.",
        ],
    ),
    (
        "form",
        1,
        "Tuyên truyền trực tiếp tại cộng đồng",
        "",
        [
            "Tổ chức các buổi truyền thông, phổ biến kiến thức số tại nhà văn hóa xóm, cụm "
            "dân cư, tổ tự quản: Đây là hình thức tuyên truyền mang tính trực quan, hiệu "
            "quả cao, giúp người dân được tiếp cận thông tin một cách trực tiếp, được hỏi - "
            "đáp, thực hành tại chỗ.",
            "Lồng ghép nội dung chuyển đổi số vào các buổi họp dân, sinh hoạt chi bộ, các "
            "hội nghị của xóm để tuyên truyền đồng bộ trong toàn dân.",
            "Cử cán bộ chuyên môn, đoàn viên thanh niên, hội viên phụ nữ, giáo viên, sinh "
            "viên tình nguyện đến tận địa bàn dân cư, tổ chức các buổi tập huấn, hướng dẫn "
            "trực tiếp kỹ năng số, cách sử dụng điện thoại thông minh, truy cập dịch vụ "
            "công, ứng dụng thanh toán không dùng tiền mặt.",
            "Tổ chức các lớp “kèm cặp 1-1” hoặc nhóm nhỏ cho người cao tuổi, người yếu thế, "
            "nhằm đảm bảo không ai bị bỏ lại phía sau trong tiến trình chuyển đổi số.",
        ],
    ),
    (
        "form",
        2,
        "Tuyên truyền gián tiếp, truyền thông đại chúng",
        "",
        [
            "Treo băng rôn, khẩu hiệu, pa-nô, áp phích tại các trục đường chính, trụ sở "
            "UBND xã, nhà văn hóa cộng đồng, trường học, trạm y tế... với nội dung ngắn "
            "gọn, dễ hiểu, dễ nhớ.",
            "Sử dụng hệ thống loa phát thanh xã, xóm để phát thanh thường xuyên các thông "
            "tin về chuyển đổi số, kỹ năng số cơ bản, thông báo lịch tập huấn, ngày hội kỹ "
            "năng số.",
            "Sản xuất và lan tỏa các clip ngắn, video hướng dẫn, bài viết đơn giản, dễ tiếp "
            "cận trên các nền tảng mạng xã hội như: Zalo, Facebook, YouTube của xã, các tổ "
            "chức đoàn thể phù hợp với từng nhóm đối tượng (người trẻ, trung niên, cao "
            "tuổi…).",
            "Tổ chức các cuộc thi trực tuyến (trắc nghiệm, viết bài, chia sẻ kinh nghiệm "
            "học kỹ năng số) để tạo không khí thi đua, nâng cao nhận thức và kỹ năng toàn "
            "diện.",
        ],
    ),
    (
        "form",
        3,
        "Tận dụng, phát huy các phương tiện truyền thông sẵn có tại địa phương",
        "",
        [
            "Hệ thống truyền thanh của xã, xóm được huy động tối đa để truyền tải các nội "
            "dung về chuyển đổi số, phong trào thi đua “Cả nước thi đua đổi mới, sáng tạo "
            "và chuyển đổi số” và phong trào “Bình dân học vụ số” theo chuyên đề, hàng quý.",
            "Đưa tin, xây dựng phóng sự, chuyên đề phản ánh về phong trào, những điển hình "
            "tiêu biểu, cách làm hay trong học và ứng dụng kỹ năng số trên trang thông tin "
            "điện tử xã và trên các nền tảng mạng xã hội.",
        ],
    ),
    (
        "assignment",
        1,
        "Phòng văn hoá – xã hội",
        "Phòng Văn hóa - Xã hội",
        [
            "Xây dựng kế hoạch thi đua, chỉ đạo tổ chức đợt sinh hoạt chính trị rộng khắp "
            "để triển khai Phong trào sớm đi vào thực tiễn cuộc sống.",
            "Chỉ đạo Đài truyền thanh để đưa tin, xây dựng phóng sự, chuyên đề phản ánh về "
            "phong trào, những điển hình tiêu biểu, cách làm hay trong học và ứng dụng kỹ "
            "năng số.",
            "Tổ chức tuyên truyền trực quan tại các tuyến đường chính của xã về phong trào "
            "thi đua “Cả nước thi đua đổi mới, sáng tạo và chuyển đổi số” và phong trào "
            "“Bình dân học vụ số”. Thường xuyên theo dõi, đấu tranh với các thông tin sai "
            "trái, xuyên tạc, kích động, gây mất an ninh chính trị, trật tự an toàn xã hội, "
            "xử lý nghiêm các đối tượng chống phá Đảng, Nhà nước, chế độ.",
            "Tăng cường các phương pháp truyền thông hiệu quả qua hệ thống truyền thanh, "
            "pa-nô, áp phích, bảng tin, trang thông tin điện tử.",
            "Tham mưu khen thưởng, tập thể, cá nhân có thành tích xuất sắc trong thực hiện "
            "phong trào thi đua “Cả nước thi đua đổi mới, sáng tạo và chuyển đổi số” và "
            "phong trào “Bình dân học vụ số”.",
        ],
    ),
    (
        "assignment",
        1,
        "Phòng Văn hóa - Xã hội",
        "Phòng Văn hóa - Xã hội",
        [
            "Phát huy vai trò của các tổ công nghệ số cộng đồng và các chi đoàn, chi hội "
            "trong thực hiện và triển khai phong trào thi đua “Cả nước thi đua đổi mới, "
            "sáng tạo và chuyển đổi số” và phong trào “Bình dân học vụ số”.",
            "Xây dựng điểm sáng, cá nhân có cách làm hay trong hoạt động phong trào để động "
            "viên, khen thưởng, nhân rộng.",
        ],
    ),
    (
        "assignment",
        2,
        "Mặt trận Tổ quốc và các thành viên",
        "Ủy ban MTTQ Việt Nam xã",
        [
            "Trên cơ sở Kế hoạch của UBND xã, các phòng ngành phải xây dựng KH chi tiết cụ "
            "thể để tổ chức hiệu quả. Vào ngày 10 hàng tháng báo cáo kết quả thực hiện về "
            "UBND xã qua Phòng VHXH tổng hợp báo cáo lãnh đạo."
        ],
    ),
    (
        "funding",
        1,
        "",
        "",
        [
            "Ngân sách nhà nước cấp xã đảm bảo cho hoạt động chuyển đổi số cấp xã; lồng "
            "ghép nguồn vốn các chương trình, dự án (nếu có), huy động nguồn vốn xã hội hóa "
            "và các nguồn vốn hợp pháp khác."
        ],
    ),
]

# organisation: (summary, [(title, owner, start month, months,
#                           [(indicator, value, unit[, platform figure that measures it])],
#                           [(source, description, planned, spent)])])
DETAILED = {
    "Hội Nông dân xã": (
        "Mỗi chi hội có ít nhất 5 hội viên bán nông sản qua mạng; hội viên biết dùng ứng dụng "
        "thời tiết, giá cả.",
        [
            (
                "Hướng dẫn hội viên bán nông sản qua Facebook, Zalo, Postmart",
                "Ban Thường vụ Hội Nông dân",
                3,
                6,
                [("Hội viên được hướng dẫn", 120, "người"), ("Hộ bán hàng qua mạng", 30, "hộ")],
                [
                    ("commune", "Tài liệu, nước uống cho 6 buổi hướng dẫn", 3_600_000, 2_400_000),
                    ("social", "Hợp tác xã hỗ trợ chụp ảnh sản phẩm", 5_000_000, 1_500_000),
                ],
            ),
            (
                "Giới thiệu ứng dụng thời tiết mùa vụ, sâu bệnh cây trồng",
                "Các chi hội trưởng",
                5,
                4,
                [("Lượt hội viên dự", 200, "lượt", "participants")],
                [("programme", "Kinh phí chương trình khuyến nông", 4_000_000, 4_000_000)],
            ),
        ],
    ),
    "Hội Liên hiệp Phụ nữ xã": (
        "Hội viên phụ nữ biết thanh toán không dùng tiền mặt và nhận biết lừa đảo qua mạng.",
        [
            (
                "Lớp “Phụ nữ với thanh toán số an toàn” tại các xóm",
                "Chủ tịch Hội LHPN xã",
                4,
                5,
                [
                    ("Hội viên mở tài khoản thanh toán", 150, "người"),
                    ("Số lớp", 10, "lớp", "sessions"),
                ],
                [
                    ("commune", "Thuê loa, in tài liệu cho 10 lớp", 6_000_000, 3_250_000),
                    ("social", "Ngân hàng tài trợ quà cho học viên", 8_000_000, 8_000_000),
                ],
            ),
        ],
    ),
    "Đoàn Thanh niên xã": (
        "Đoàn viên là lực lượng nòng cốt của Tổ công nghệ số cộng đồng ở mọi xóm.",
        [
            (
                "Đoàn viên kèm cặp 1-1 người cao tuổi dùng VNeID và dịch vụ công",
                "Bí thư Đoàn xã",
                2,
                10,
                [
                    ("Người cao tuổi được kèm cặp", 100, "người"),
                    ("Người làm được một thủ tục trực tuyến", 60, "người"),
                ],
                [("commune", "Hỗ trợ đi lại cho đoàn viên tình nguyện", 4_500_000, 2_700_000)],
            ),
            (
                "Ngày hội kỹ năng số thanh niên",
                "Ban Chấp hành Đoàn xã",
                9,
                1,
                [("Người tham dự", 300, "người", "participants")],
                [
                    ("programme", "Kinh phí chương trình chuyển đổi số của huyện", 10_000_000, 0),
                    ("social", "Doanh nghiệp viễn thông tài trợ sim, quà", 7_500_000, 0),
                ],
            ),
        ],
    ),
    "Phòng Văn hóa - Xã hội": (
        "Tuyên truyền trực quan và trên đài truyền thanh; tổng hợp báo cáo hằng tháng.",
        [
            (
                "Pa-nô, băng rôn tại trục đường chính và nhà văn hóa các xóm",
                "Công chức Văn hóa - Xã hội",
                3,
                2,
                [("Pa-nô, băng rôn", 12, "cái")],
                [("commune", "In và treo pa-nô, băng rôn", 15_000_000, 12_800_000)],
            ),
            (
                "Chuyên mục “Bình dân học vụ số” trên đài truyền thanh xã hằng tuần",
                "Đài truyền thanh xã",
                1,
                12,
                [("Số buổi phát", 48, "buổi")],
                [("commune", "Bồi dưỡng biên tập, phát thanh", 6_000_000, 4_000_000)],
            ),
        ],
    ),
}


def _commune_plan(commune: Commune) -> None:
    plan = CommunePlan.objects.filter(commune=commune).first()
    if plan is None:
        plan = commune_plan_save(
            actor=None,
            commune=commune,
            title=TITLE,
            issued_on=dt.date(2025, 7, 20),
            preamble=PREAMBLE,
            signer_title="KT. CHỦ TỊCH, PHÓ CHỦ TỊCH",
            signer_name="Nguyễn Kim Nam",
        )
    if plan.items.exists():
        return
    orgs = {o.name: o for o in Organisation.objects.filter(commune=commune)}
    for section, position, heading, org, points in PLAN_ITEMS:
        plan_item_save(
            actor=None,
            plan=plan,
            section=section,
            position=position,
            heading=heading,
            body="\n".join(points),
            organisation=orgs.get(org),
        )


def _month_range(year: int, start: int, months: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, start, 1)
    end_month = min(start + months - 1, 12)
    last = (dt.date(year, end_month, 28) + dt.timedelta(days=4)).replace(day=1)
    return first, last - dt.timedelta(days=1)


def _detailed_plans(commune: Commune, year: int) -> None:
    today = timezone.localdate()
    for name, (summary, activities) in DETAILED.items():
        org = Organisation.objects.filter(commune=commune, name=name).first()
        if org is None:
            continue
        if OrgPlan.objects.filter(organisation=org, year=year, activities__isnull=False).exists():
            continue
        plan = org_plan_ensure(actor=None, organisation=org, year=year)
        org_plan_update(actor=None, plan=plan, summary=summary)
        for a, (title, owner, start, months, targets, lines) in enumerate(activities):
            starts_on, ends_on = _month_range(year, start, months)
            activity = activity_save(
                actor=None,
                plan=plan,
                title=title,
                owner=owner,
                starts_on=starts_on,
                ends_on=ends_on,
            )
            for indicator, value, unit, *source in targets:
                target_add(
                    actor=None,
                    activity=activity,
                    indicator=indicator,
                    value=value,
                    unit=unit,
                    source=source[0] if source else "",
                )
            for b, (source, description, planned, spent) in enumerate(lines):
                line = budget_line_save(
                    actor=None,
                    plan=plan,
                    source=source,
                    description=description,
                    planned=planned,
                    activity=activity,
                )
                if spent:
                    expense_record(
                        actor=None,
                        plan=plan,
                        line_id=line.pk,
                        amount=spent,
                        spent_on=min(starts_on + dt.timedelta(days=20), today),
                        note="Chứng từ chi số " + f"{a + 1}{b + 1:02d}/{year}",
                        client_key=uuid.uuid5(_KEYS, f"{org.name}-{year}-{a}-{b}"),
                    )


def demo_planning_load(commune: Commune) -> None:
    year = timezone.localdate().year
    _commune_plan(commune)
    _detailed_plans(commune, year)
    dashboard_refresh([commune], year)
