"""Account pages: register, confirm the e-mail, log in and out, reset the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from beian.accounts import services
from beian.accounts.forms import LoginForm, PasswordResetRequestForm, RegisterForm, bi
from beian.core.errors import Refusal
from beian.core.i18n import is_english, t
from beian.core.redirects import safe_next


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _next(request, default: str = "/filings/") -> str:
    return safe_next(request, default)


def _home_of(user) -> str:
    """Where a user lands after logging in: staff in the back office, applicants in the portal."""
    if user.is_provider_staff:
        return "/review/"
    if user.role == "authority":
        return "/authority/"
    if user.role == "hosting_owner":
        return "/hosting/"
    return "/filings/"


def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_applicant(
                username=data["username"],
                mobile=data["mobile"],
                email=data["email"],
                password=data["password"],
                language="en" if is_english() else "zh-hans",
                base_url=_base_url(request),
            )
        except Refusal as refusal:
            form.add_error(refusal.field, refusal.message())
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                t(
                    "注册成功。确认邮件已发送，请打开邮件中的链接确认邮箱。",
                    "Registered. A confirmation e-mail is on its way: open its link.",
                ),
            )
            return redirect("/filings/")
    return render(request, "accounts/register.html", {"form": form})


def confirm(request, token: str):
    try:
        user = services.confirm_email(token)
    except Refusal as refusal:
        return render(request, "accounts/confirm.html", {"error": refusal.message()}, status=400)
    return render(request, "accounts/confirm.html", {"confirmed_user": user})


@login_required
@require_POST
def resend_confirmation(request):
    if not request.user.email_confirmed:
        services.send_confirmation(request.user, base_url=_base_url(request))
    messages.success(request, t("确认邮件已重新发送。", "The confirmation e-mail was sent again."))
    return redirect(_next(request))


def login_view(request):
    form = LoginForm(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next(request, default=_home_of(form.user)))
        status = 429 if form.has_error("__all__", "login_throttled") else 200
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


class LogoutView(auth_views.LogoutView):
    next_page = "/accounts/login/"


def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.send_password_reset(form.cleaned_data["identifier"], base_url=_base_url(request))
        return redirect("/accounts/password-reset/sent/")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


class BilingualSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = bi("新密码", "New password")
        self.fields["new_password2"].label = bi("再次输入新密码", "New password again")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = BilingualSetPasswordForm
    success_url = "/accounts/password-reset/done/"

    def form_valid(self, form):
        # The service saves the password and revokes the API tokens; the parent
        # would save the form again, so redirect here (post_reset_login is off).
        services.complete_password_reset(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


def password_reset_done(request):
    return render(request, "accounts/password_reset_done.html")
