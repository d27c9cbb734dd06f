"""Forms of the account pages. Labels are bilingual through `bi()` (evaluated
per request), so the same form serves Chinese and English."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation

from beian.accounts import services, throttle
from beian.core.errors import Refusal, message_for
from beian.core.i18n import lazy_t as bi
from beian.core.i18n import t
from beian.rules.checks import run_check


class RegisterForm(forms.Form):
    username = forms.RegexField(
        label=bi("用户名", "Username"),
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        max_length=30,
        error_messages={
            "invalid": bi("3–30 个字母、数字或 _ . -", "3–30 letters, digits or _ . -")
        },
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    mobile = forms.CharField(
        label=bi("手机号码", "Mobile"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "data-check": "phone"}
        ),
    )
    email = forms.EmailField(
        label=bi("电子邮箱", "E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=bi("密码", "Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=bi("再次输入密码", "Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_mobile(self):
        value = self.cleaned_data["mobile"]
        result = run_check("phone", value)
        if not result.ok:
            raise forms.ValidationError(result.errors[0]["message"])
        return result.normalized or value

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", t("两次输入的密码不一致。", "The passwords do not match."))
        if data.get("password"):
            try:
                password_validation.validate_password(data["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        if all(data.get(k) for k in ("username", "mobile", "email")):
            for refusal in services.taken_refusals(
                username=data["username"], mobile=data["mobile"], email=data["email"]
            ):
                self.add_error(refusal.field, refusal.message())
        return data


class LoginForm(forms.Form):
    """Log in with the username, the mobile or the e-mail; failures are throttled
    per identifier and client address."""

    identifier = forms.CharField(
        label=bi("用户名 / 手机号码 / 邮箱", "Username, mobile or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=bi("密码", "Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def client_ip(self) -> str:
        return self.request.META.get("REMOTE_ADDR", "")

    def clean(self):
        data = super().clean()
        identifier, password = data.get("identifier", ""), data.get("password", "")
        if not identifier or not password:
            return data
        ip = self.client_ip()
        try:
            throttle.check_login_allowed(identifier, ip)
        except Refusal as refusal:
            raise forms.ValidationError(refusal.message(), code=refusal.code) from refusal
        account = services.find_user(identifier)
        user = (
            authenticate(self.request, username=account.username, password=password)
            if account
            else None
        )
        if user is None:
            throttle.record_login_failure(identifier, ip)
            raise forms.ValidationError(
                t("用户名或密码错误。", "Wrong username or password."), code="invalid_login"
            )
        throttle.clear_login_failures(identifier, ip)
        self.user = user
        return data


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(
        label=bi("用户名 / 手机号码 / 邮箱", "Username, mobile or e-mail"), max_length=254
    )


__all__ = ["RegisterForm", "LoginForm", "PasswordResetRequestForm", "bi", "message_for"]
