"""The phone login backend reads a signed-in user and their resident record together."""

from accounts.backends import PhonePinBackend


def test_get_user_brings_the_resident_and_the_commune_along(cast, django_assert_num_queries):
    backend = PhonePinBackend()
    with django_assert_num_queries(1):
        user = backend.get_user(cast.resident.user.pk)
        assert user.resident.pk == cast.resident.pk
        assert user.commune.name == cast.commune.name
        assert user.resident.commune is user.commune


def test_get_user_for_a_user_without_resident_and_an_inactive_one(cast):
    backend = PhonePinBackend()
    staff = backend.get_user(cast.officer.pk)
    assert staff == cast.officer
    assert getattr(staff, "resident", None) is None
    assert staff.commune == cast.officer.commune
    user = cast.resident.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert backend.get_user(user.pk) is None
    assert backend.get_user(10**9) is None


def test_get_user_reads_every_field_as_the_orm_does(cast):
    from accounts.models import Resident, User
    from places.models import Commune

    user = PhonePinBackend().get_user(cast.resident.user.pk)
    for model, built in ((User, user), (Resident, user.resident), (Commune, user.commune)):
        stored = model.objects.get(pk=built.pk)
        for field in model._meta.concrete_fields:
            assert getattr(built, field.attname) == getattr(stored, field.attname), field.name
    assert user.resident.user is user
    assert user.get_session_auth_hash() == cast.resident.user.get_session_auth_hash()


def test_a_user_without_commune_gets_none_without_a_query(cast, django_assert_num_queries):
    from accounts.models import Role, User

    province = User.objects.create(username="tinh-test", role=Role.PROVINCE, province_code=40)
    with django_assert_num_queries(1):
        user = PhonePinBackend().get_user(province.pk)
        assert user.commune is None and getattr(user, "resident", None) is None
