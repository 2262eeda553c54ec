from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import EVENTS, Attempt, Delivery, Endpoint
from .tasks import deliver


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"), choices=[(event, event) for event in EVENTS], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "is_active"]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "description", "event_list", "is_active", "disabled_reason", "created_at"]
    list_filter = ["is_active"]
    readonly_fields = ["secret", "disabled_reason", "created_at"]

    @admin.display(description=_("events"))
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    def save_model(self, request, endpoint, form, change):
        if endpoint.is_active:
            endpoint.disabled_reason = ""
        super().save_model(request, endpoint, form, change)
        if not change:
            message = _("Give the receiver this signing secret (it verifies each request with it): %(secret)s")
            self.message_user(request, message % {"secret": endpoint.secret}, messages.SUCCESS)


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = readonly_fields = ["at", "status_code", "response_ms", "error"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: each event sent, its state, and every attempt with status and response time."""

    list_display = ["event", "endpoint", "state", "attempts", "last_status", "created_at", "next_attempt_at"]
    list_filter = ["state", "event", "endpoint"]
    list_select_related = ["endpoint"]
    fields = readonly_fields = ["endpoint", "event", "message_id", "state", "attempts", "next_attempt_at",
                                "created_at", "delivered_at", "body"]  # fmt: skip
    inlines = [AttemptInline]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("webhooks.change_delivery") and obj is None  # the action only

    @admin.display(description=_("last status"))
    def last_status(self, delivery):
        last = delivery.log.last()
        return (last.status_code or last.error) if last else "—"

    @admin.action(description=_("Send the selected failed deliveries again"), permissions=["change"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(state=Delivery.State.FAILED, endpoint__is_active=True))
        for delivery in failed:
            Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, attempts=0)
            deliver.enqueue(delivery.pk, 1)
        message = ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(failed))
        self.message_user(request, message % {"count": len(failed)}, messages.SUCCESS)
