"""Reads on users that other apps ask for."""

from __future__ import annotations

from beian.accounts.models import STAFF_ROLES, User


def active_staff():
    """Every active member of the provider's staff (the staff digest's recipients)."""
    return User.objects.filter(is_active=True, role__in=list(STAFF_ROLES))
