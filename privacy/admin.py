"""Admin pages of the privacy app: each part registers its own models."""

from privacy import erasure_admin, export_admin  # noqa: F401
