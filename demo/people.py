"""Invented residents of Bạch Ngọc: deterministic, plausible, never real people."""

import random
from dataclasses import dataclass

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Hồ",
    "Bùi",
    "Đinh",
    "Thái",
    "Cao",
    "Đậu",
    "Chu",
    "Lưu",
]
MALE_MIDDLE = ["Văn", "Đình", "Hữu", "Công", "Đức", "Xuân", "Quang", "Minh"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thu", "Hồng", "Ngọc", "Kim", "Thanh"]
MALE_GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đông",
    "Giang",
    "Hải",
    "Hùng",
    "Khánh",
    "Lâm",
    "Long",
    "Mạnh",
    "Nam",
    "Nghĩa",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]
FEMALE_GIVEN = [
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Duyên",
    "Hà",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Lan",
    "Liên",
    "Loan",
    "Mai",
    "Nga",
    "Nhung",
    "Oanh",
    "Phương",
    "Quế",
    "Sen",
    "Tâm",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
]


@dataclass(frozen=True)
class DemoPerson:
    key: int
    full_name: str
    birth_year: int
    sex: str
    hamlet_index: int
    phone: str | None
    has_disability: bool
    is_poor_household: bool
    consents: tuple[str, ...]
    assisted: bool


def demo_people(count: int, hamlet_count: int, seed: int = 2025) -> list[DemoPerson]:
    rng = random.Random(seed)
    people = []
    for key in range(count):
        sex = rng.choice(["nam", "nu"])
        male = sex == "nam"
        name = " ".join(
            [
                rng.choice(FAMILY),
                rng.choice(MALE_MIDDLE if male else FEMALE_MIDDLE),
                rng.choice(MALE_GIVEN if male else FEMALE_GIVEN),
            ]
        )
        # Ages skew older, as in a rural commune whose young people work away.
        birth_year = rng.choice(
            [rng.randint(1938, 1965), rng.randint(1966, 1990), rng.randint(1991, 2012)]
        )
        phone = f"09{rng.randint(10, 99)}{key:06d}" if rng.random() < 0.6 else None
        consents = tuple(
            p
            for p, share in (("learning", 0.8), ("contest", 0.5), ("public_name", 0.3))
            if rng.random() < share
        )
        people.append(
            DemoPerson(
                key=key,
                full_name=name,
                birth_year=birth_year,
                sex=sex,
                hamlet_index=key % hamlet_count,
                phone=phone,
                has_disability=rng.random() < 0.04,
                is_poor_household=rng.random() < 0.08,
                consents=consents,
                assisted=birth_year < 1966 or rng.random() < 0.3,
            )
        )
    return people
