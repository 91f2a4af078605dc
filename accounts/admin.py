from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import AuditEntry, Role, User
from places.admin import CommuneScopedAdmin


@admin.register(User)
class StaffUserAdmin(CommuneScopedAdmin, BaseUserAdmin):
    """Officials' accounts. Residents are managed in the staff area, not here."""

    list_display = ["username", "full_name", "role", "organisation", "hamlet", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "Thông tin",
            {"fields": ["full_name", "email", "role", "commune", "organisation", "hamlet"]},
        ),
        ("Cấp tỉnh", {"fields": ["province_code"]}),
        ("Trạng thái", {"fields": ["is_active", "last_login"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "username",
                    "full_name",
                    "email",
                    "role",
                    "commune",
                    "organisation",
                    "hamlet",
                    "password1",
                    "password2",
                ]
            },
        )
    ]
    readonly_fields = ["last_login"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(role=Role.RESIDENT)

    def get_fieldsets(self, request, obj=None):
        sets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return sets
        hidden = {"commune", "province_code"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in sets
            if [f for f in opts["fields"] if f not in hidden]
        ]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "role" and not request.user.is_superuser:
            field.choices = [c for c in field.choices if c[0] not in {Role.RESIDENT, Role.PROVINCE}]
        return field

    def save_model(self, request, obj, form, change):
        obj.is_staff = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(CommuneScopedAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
