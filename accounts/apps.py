from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        import config.checks  # noqa: F401  (registers the project's system checks)
        from accounts import signals  # noqa: F401  (sign-in stamps the session)

        # Permissions are created by Django after each migrate (post_migrate), so the roles
        # can only be given them then; this keeps the groups in step with accounts.roles.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")


def _sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    # post_migrate is sent once per app that has models, in INSTALLED_APPS order; the last
    # one's signal comes after every permission exists.
    from django.apps import apps

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is apps_with_models[-1]:
        from accounts.roles import sync_roles

        sync_roles()
