"""The back office. Commune administrators see and change only their own commune."""

from django.contrib import admin
from django.forms.models import model_to_dict

from accounts.models import AuditEntry, Role
from accounts.services import audit_record
from places.models import Commune, Hamlet, Organisation


class CommuneScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; a commune administrator only rows of their commune."""

    commune_field = "commune"
    scoped_foreign_keys = {"commune", "hamlet", "organisation"}

    def _is_commune_admin(self, request) -> bool:
        user = request.user
        return user.is_active and user.role == Role.ADMIN and bool(user.commune_id)

    def has_module_permission(self, request):
        return request.user.is_superuser or self._is_commune_admin(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.commune_field}_id": request.user.commune_id})

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded.append("commune")
        return excluded

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            db_field.name in self.scoped_foreign_keys - {"commune"}
            and not request.user.is_superuser
        ):
            field.queryset = field.queryset.filter(commune_id=request.user.commune_id)
        return field

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.commune_id = request.user.commune_id
        changed = [f for f in form.changed_data if "password" not in f]  # never log secrets
        before = {k: form.initial.get(k) for k in changed} if change else None
        super().save_model(request, obj, form, change)
        after = {k: str(v) for k, v in model_to_dict(obj, fields=changed).items()}
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            target=obj,
            before={k: str(v) for k, v in before.items()} if before else None,
            after=after,
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=AuditEntry.Action.DELETE, target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "province_name", "code"]
    search_fields = ["name", "province_name"]
    readonly_fields = ["code", "name", "division_type", "province_code", "province_name"]

    def has_add_permission(self, request):
        return False  # communes are set up with `manage.py commune_setup`


@admin.register(Hamlet)
class HamletAdmin(CommuneScopedAdmin):
    list_display = ["name", "kind", "commune"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(CommuneScopedAdmin):
    list_display = ["name", "kind", "commune"]
    list_filter = ["kind"]
    search_fields = ["name"]
