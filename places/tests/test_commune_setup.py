"""Setting up a commune from the official list of units in force since 1 July 2025."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from places.divisions import CommuneRef, DivisionNotFound, find_commune, province_name
from places.models import Commune


def setup(**kwargs) -> str:
    out = StringIO()
    call_command("commune_setup", stdout=out, **kwargs)
    return out.getvalue()


# The management command -------------------------------------------------------------


def test_setting_up_bach_ngoc_creates_one_commune_with_its_official_code(db):
    output = setup(province="Nghệ An", commune="Xã Bạch Ngọc")

    commune = Commune.objects.get()
    assert commune.code == 17623
    assert commune.name == "Xã Bạch Ngọc"
    assert commune.division_type == "xã"
    assert commune.province_name == "Nghệ An"
    assert commune.province_code == 40
    assert "Đã tạo: Xã Bạch Ngọc, Nghệ An (mã 17623)." in output


def test_running_the_setup_twice_does_not_duplicate_the_commune(db):
    setup(province="Nghệ An", commune="Xã Bạch Ngọc")

    output = setup(province="Nghệ An", commune="Xã Bạch Ngọc")

    assert Commune.objects.count() == 1
    assert "Đã có sẵn" in output


@pytest.mark.parametrize(
    ("province", "commune"),
    [
        ("Nghe An", "Bach Ngoc"),
        ("nghệ an", "bạch ngọc"),
        ("Tỉnh Nghệ An", "xa bach ngoc"),
        ("Tinh Nghe An", "Xa Bach Ngoc"),
        ("  Nghệ   An ", "  Bạch  Ngọc  "),
        ("NGHỆ AN", "XÃ BẠCH NGỌC"),
    ],
)
def test_names_without_diacritics_prefix_or_case_find_the_same_commune(db, province, commune):
    setup(province=province, commune=commune)

    assert Commune.objects.get().code == 17623


def test_a_different_spelling_of_an_existing_commune_does_not_duplicate_it(db):
    setup(province="Nghệ An", commune="Xã Bạch Ngọc")
    setup(province="Nghe An", commune="Bach Ngoc")

    assert Commune.objects.count() == 1


def test_a_misspelt_commune_fails_and_suggests_the_right_name(db):
    with pytest.raises(CommandError) as error:
        setup(province="Nghệ An", commune="Bạch Ngọk")

    message = str(error.value)
    assert "Không tìm thấy xã / phường ở Nghệ An “Bạch Ngọk”." in message
    assert "Có phải bạn muốn tìm:" in message
    assert "Xã Bạch Ngọc" in message
    assert not Commune.objects.exists()


def test_a_misspelt_province_fails_and_suggests_the_right_name(db):
    with pytest.raises(CommandError) as error:
        setup(province="Nghe Ann", commune="Bạch Ngọc")

    assert "Không tìm thấy tỉnh / thành phố “Nghe Ann”." in str(error.value)
    assert "Nghệ An" in str(error.value)
    assert not Commune.objects.exists()


def test_an_unknown_province_with_nothing_close_says_to_check_the_spelling(db):
    with pytest.raises(CommandError) as error:
        setup(province="Xyz", commune="Bạch Ngọc")

    assert "Không tìm thấy tỉnh / thành phố “Xyz”." in str(error.value)
    assert "Hãy kiểm tra lại chính tả" in str(error.value)
    assert not Commune.objects.exists()


def test_a_commune_of_another_province_is_not_found(db):
    with pytest.raises(CommandError) as error:
        setup(province="Hà Tĩnh", commune="Xã Bạch Ngọc")

    assert "Hà Tĩnh" in str(error.value)
    assert not Commune.objects.exists()


def test_both_arguments_are_required(db):
    with pytest.raises(CommandError):
        call_command("commune_setup", "--province", "Nghệ An")


# places.divisions ------------------------------------------------------------------


def test_find_commune_returns_the_official_reference():
    assert find_commune(province="Nghệ An", commune="Xã Bạch Ngọc") == CommuneRef(
        code=17623,
        name="Xã Bạch Ngọc",
        division_type="xã",
        province_code=40,
        province_name="Nghệ An",
    )


@pytest.mark.parametrize(
    ("province", "commune"),
    [
        ("Hà Nội", "Ba Đình"),
        ("Thành phố Hà Nội", "Phường Ba Đình"),
        ("thanh pho ha noi", "phuong ba dinh"),
        ("Ha Noi", "Ba Dinh"),
    ],
)
def test_find_commune_finds_a_ward_of_a_centrally_run_city_however_it_is_typed(province, commune):
    ref = find_commune(province=province, commune=commune)

    assert ref.name == "Phường Ba Đình"
    assert ref.division_type == "phường"
    assert ref.province_name == "Thành phố Hà Nội"


def test_find_commune_suggests_close_names_when_misspelt():
    with pytest.raises(DivisionNotFound) as error:
        find_commune(province="Nghệ An", commune="Bạch Ngọk")

    assert "Xã Bạch Ngọc" in error.value.suggestions
    assert len(error.value.suggestions) <= 5


def test_find_commune_gives_no_suggestions_for_nonsense():
    with pytest.raises(DivisionNotFound) as error:
        find_commune(province="Nghệ An", commune="zzzzqqq")

    assert error.value.suggestions == []


def test_a_name_shared_by_a_xa_and_a_phuong_asks_which_one_when_typed_bare():
    # Thanh Hóa has both "Phường Đông Tiến" and "Xã Đồng Tiến".
    with pytest.raises(DivisionNotFound) as error:
        find_commune(province="Thanh Hóa", commune="Dong Tien")

    assert sorted(error.value.suggestions) == ["Phường Đông Tiến", "Xã Đồng Tiến"]


def test_a_name_shared_by_a_xa_and_a_phuong_is_found_with_its_prefix():
    assert find_commune(province="Thanh Hóa", commune="Xã Đồng Tiến").name == "Xã Đồng Tiến"
    assert find_commune(province="Thanh Hóa", commune="Phường Đông Tiến").name == (
        "Phường Đông Tiến"
    )


@pytest.mark.parametrize(
    ("province", "commune"),
    [
        ("Quảng Ngãi", "Xã Sơn Hà"),  # also "Xã Sơn Hạ"
        ("Quảng Ngãi", "Xã Sơn Hạ"),
        ("Thái Nguyên", "Xã Văn Lăng"),  # also "Xã Văn Lang"
        ("Thành phố Hồ Chí Minh", "Xã Thạnh An"),  # also "Xã Thanh An"
    ],
)
def test_an_exactly_spelt_commune_is_found_even_if_another_differs_only_in_diacritics(
    province, commune
):
    assert find_commune(province=province, commune=commune).name == commune


def test_province_name_looks_up_a_province_code():
    assert province_name(40) == "Nghệ An"
    assert province_name(1) == "Thành phố Hà Nội"


def test_the_setup_command_accepts_an_exactly_spelt_commune_with_a_look_alike_neighbour(db):
    setup(province="Quảng Ngãi", commune="Xã Sơn Hà")

    assert Commune.objects.get().name == "Xã Sơn Hà"
