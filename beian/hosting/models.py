"""Hosting: servers and the filing service codes issued for them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from beian.rules import areas


class Billing(models.TextChoices):
    SUBSCRIPTION = "subscription", "包年包月 / Subscription"
    PAY_AS_YOU_GO = "payg", "按量计费 / Pay-as-you-go"


class AccessMethod(models.TextChoices):
    """How a server hosts a website (接入方式, Jrfs); the Chinese half of the label is the
    code table's name, looked up when the upload is built."""

    CLOUD = "cloud", "云接入 / Cloud"
    VIRTUAL_HOST = "virtual_host", "虚拟主机 / Virtual hosting"
    COLOCATION = "colocation", "主机托管 / Server colocation"
    LEASED_LINE = "leased_line", "专线 / Leased line"
    OTHER = "other", "其他 / Other"


class Server(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="servers"
    )
    instance_id = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=80, blank=True)
    region = models.CharField(max_length=40, help_text="e.g. cn-shanghai, ap-tokyo")
    is_mainland = models.BooleanField()
    # GB/T 2260 code of the province the data centre is in (mainland only).
    province = models.CharField(max_length=6, blank=True)
    public_ip = models.GenericIPAddressField(null=True, blank=True)
    billing = models.CharField(max_length=20, choices=Billing.choices)
    # The hosting product decides it: Beian's servers are cloud instances unless the
    # provider records otherwise (virtual hosting, colocation, a leased line).
    access_method = models.CharField(
        max_length=20, choices=AccessMethod.choices, default=AccessMethod.CLOUD
    )
    subscription_start = models.DateField(null=True, blank=True)
    subscription_end = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def place(self) -> str:
        """Where the data centre is, for people: the province's name (the cloud's
        region id, `cn-shanghai`, is the provider's internal value)."""
        if self.is_mainland:
            return areas.name_of(self.province) or ""
        return ""

    def __str__(self) -> str:
        return f"{self.instance_id} ({self.region}, {self.public_ip or 'no public IP'})"


class CodeStatus(models.TextChoices):
    AVAILABLE = "available", "未绑定 / Available"
    BOUND = "bound", "已绑定 / Bound"
    USED = "used", "已使用 / Used up"
    INVALID = "invalid", "已失效 / Invalid"


def _new_code() -> str:
    # 16 characters from an alphabet without look-alikes, easy to read out.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


class FilingServiceCode(models.Model):
    """备案服务号: issued for a qualifying server, bound by a filing account,
    used up when a filing with it succeeds."""

    code = models.CharField(max_length=16, unique=True, default=_new_code)
    server = models.ForeignKey(Server, on_delete=models.PROTECT, related_name="service_codes")
    status = models.CharField(
        max_length=12, choices=CodeStatus.choices, default=CodeStatus.AVAILABLE
    )
    bound_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bound_codes",
    )
    issued_at = models.DateTimeField()
    bound_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.code} [{self.status}]"
