"""The admin site, with staff login through accounts.login (second factor, limits); installed as `admin.site`."""

from django.contrib import admin

from .login import StaffLoginForm, failures_wait, refusal, second_factor_done


class NewsroomAdminSite(admin.AdminSite):
    login_form = StaffLoginForm
    login_template = "accounts/admin_login.html"

    def has_permission(self, request):
        """Active staff; those with a two-factor device only once they have used it in this session."""
        return super().has_permission(request) and second_factor_done(request.user)

    def login(self, request, extra_context=None):
        if request.method == "POST" and (seconds := failures_wait(request)):
            return refusal(request, seconds)
        return super().login(request, extra_context)
