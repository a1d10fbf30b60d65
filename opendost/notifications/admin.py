from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from opendost.notifications import services
from opendost.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only view of the outbox; the only changes are an officer's decisions, made through services."""

    list_display = ["subject", "channel", "recipient_user", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["event_key", "subject"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["confirm_delivered", "send_again", "cancel"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _apply(self, request, queryset, action):
        done = 0
        for message in queryset:
            try:
                action(message)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{message}: {' '.join(exc.messages)}", messages.WARNING)
        self.message_user(request, _("%(count)s message(s) updated.") % {"count": done})

    @admin.action(description=_("Confirm delivered (checked with the recipient)"))
    def confirm_delivered(self, request, queryset):
        self._apply(
            request, queryset, lambda m: services.message_resolve(message=m, delivered=True, actor=request.user)
        )

    @admin.action(description=_("Send again"))
    def send_again(self, request, queryset):
        self._apply(
            request, queryset, lambda m: services.message_resolve(message=m, delivered=False, actor=request.user)
        )

    @admin.action(description=_("Cancel (not sent yet)"))
    def cancel(self, request, queryset):
        self._apply(request, queryset, lambda m: services.message_cancel(message=m, actor=request.user))
