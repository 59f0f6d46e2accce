from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data for `make run` (manage.py load_demo). It sits on top of every other app,
    since demo data spans them all, and nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
