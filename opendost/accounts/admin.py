"""A small, read-mostly admin for administrators: accounts with their roles, departments and units.

Departments and units are registered here because the admin is an accounts tool; only superusers may
change them. Nobody deletes an account: it is deactivated, which ends its sessions at once.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from opendost.accounts import services
from opendost.accounts.models import User
from opendost.audit.enums import AuditAction
from opendost.audit.services import audit_record
from opendost.audit.snapshots import model_snapshot
from opendost.departments.models import Department, Unit


class AuditedAdminMixin:
    """Admin saves do not go through the services, so they are audited here (DESIGN rule 5).

    The "before" snapshot is taken from the database before the form's values are saved; the
    "after" one once the many-to-many fields (roles) are saved too, in `save_related`.
    """

    audited_fields: list[str] = []

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = model_snapshot(type(obj)._base_manager.get(pk=obj.pk), self.audited_fields)
        super().save_model(request, obj, form, change)
        obj._audit_before = before

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, "_audit_before", None)
        after = model_snapshot(obj, self.audited_fields)
        if before != after:
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                obj=obj,
                before=before,
                after=after,
                note="admin",
            )

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            before = None
            if instance.pk:
                before = model_snapshot(type(instance)._base_manager.get(pk=instance.pk), ["code", "name"])
            instance.save()
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE if before else AuditAction.CREATE,
                obj=instance,
                before=before,
                after=model_snapshot(instance, ["code", "name"]),
                note="admin",
            )
        formset.save_m2m()


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    audited_fields = [
        "username",
        "full_name",
        "email",
        "department",
        "unit",
        "organization",
        "is_active",
        "is_superuser",
        "groups",
    ]
    list_display = ["username", "full_name", "department", "unit", "role_list", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "department"]
    list_select_related = ["department", "unit"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    filter_horizontal = ["groups"]
    readonly_fields = ["last_login", "date_joined", "is_demo", "public_id"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "email"]}),
        (_("Place"), {"fields": ["department", "unit", "organization"]}),
        (_("Roles and access"), {"fields": ["is_active", "groups", "is_superuser"]}),
        (_("Record"), {"fields": ["public_id", "is_demo", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Place and roles"), {"fields": ["full_name", "email", "department", "unit", "groups"]}),
    ]
    raw_id_fields = ["organization"]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("is_superuser")  # administrators cannot make superusers
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(sorted(g.name for g in obj.groups.all()))

    @admin.action(description=_("Reset two-factor login (the user sets up a new authenticator app)"))
    def reset_two_factor(self, request, queryset):
        count = sum(services.totp_devices_reset(user=user, actor=request.user) for user in queryset)
        text = ngettext("%(count)d authenticator removed.", "%(count)d authenticators removed.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


class SuperuserEditsOnly(admin.ModelAdmin):
    """Administrators can look; only a superuser changes reference data, and nothing is deleted."""

    def has_module_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ["code", "name"]
    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, SuperuserEditsOnly):
    audited_fields = ["code", "name", "governing_body", "province", "valid_from", "valid_to", "successor"]
    list_display = ["code", "name", "governing_body", "valid_from", "valid_to", "successor"]
    list_select_related = ["successor"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "governing_body", "province", "valid_from", "valid_to", "successor"]
    raw_id_fields = ["province"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, SuperuserEditsOnly):
    audited_fields = ["department", "code", "name"]
    list_display = ["code", "name", "department"]
    list_filter = ["department"]
    list_select_related = ["department"]
    search_fields = ["code", "name"]
    fields = ["department", "code", "name"]
