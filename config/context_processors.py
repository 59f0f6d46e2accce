"""Template context every page needs."""

from django.conf import settings


def clinic(request) -> dict[str, str]:
    return {"clinic_name": settings.CLINIC_NAME}
