from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from . import jobs
from .models import WorkerBeat

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    """Background jobs, failed ones first to hand: their error, their attempts, and "Run again"."""

    list_display = ["task_name", "status", "enqueued_at", "started_at", "finished_at", "attempts", "error"]
    actions = ["run_again"]

    def has_change_permission(self, request, obj=None):
        """For "Run again"; the fields stay read-only."""
        return request.user.has_perm("django_tasks_database.change_dbtaskresult")

    @admin.display(description=_("attempts"))
    def attempts(self, job):
        return len(job.worker_ids)

    @admin.display(description=_("error"))
    def error(self, job):
        return job.traceback.strip().rsplit("\n", 1)[-1] if job.traceback else ""

    @admin.action(description=_("Run the selected failed jobs again"), permissions=["change"])
    def run_again(self, request, queryset):
        count = jobs.run_again(queryset)
        message = ngettext("%(count)d failed job queued again.", "%(count)d failed jobs queued again.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
