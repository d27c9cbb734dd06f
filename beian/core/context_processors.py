"""Template context every page gets."""

from beian.core import calendar


def calendar_warnings(request) -> dict:
    """Staff see when next year's holidays are not loaded yet (deadlines then
    count weekends only): the State Council publishes them around November."""
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not (user.is_provider_staff or user.is_superuser)
    ):
        return {}
    return {"calendar_warnings": calendar.coverage_warnings()}
