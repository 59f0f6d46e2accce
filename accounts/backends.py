"""Authentication backend: Django's ModelBackend, reading the signed-in user and their
permissions in one query.

Every staff request reads the user, and nearly every staff view checks a permission; the
stock backend then reads the user's own and their roles' (groups') permissions in two more
queries. Here they come with the user (two array subqueries), into the same caches the
stock backend fills, so has_perm() answers from them for the rest of the request. The
query is compiled once per process and database (_COMPILED). The
same query lists the user's confirmed authenticators, which accounts.middleware.
OTPMiddleware checks the session's second factor against instead of reading the device.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, QuerySet, Value
from django.db.models.functions import Concat
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# The authenticators django-otp may verify a session with (settings.INSTALLED_APPS).
DEVICE_MODELS = (TOTPDevice, StaticDevice)


def _names(permissions: QuerySet) -> ArraySubquery:
    """ "app_label.codename" of each of `permissions`, as has_perm() names them."""
    name = Concat("content_type__app_label", Value("."), "codename", output_field=CharField())
    return ArraySubquery(permissions.order_by().annotate(full_name=name).values("full_name"))


# A user id no row has, standing for the signed-in user's while the query is compiled.
_ANY_USER = -1
# The compiled query of each database alias: building and compiling the annotated
# queryset cost about three times what running it does (bench/directory.py's profile).
_COMPILED: dict[str, tuple[str, tuple]] = {}


def _signed_in_user_sql(using: str) -> tuple[str, tuple]:
    """SQL and parameters reading one user (id `_ANY_USER`) with their permissions and
    confirmed authenticators."""
    users = (
        get_user_model()
        ._default_manager.using(using)
        .annotate(
            own_permissions=_names(Permission.objects.filter(user=OuterRef("pk"))),
            role_permissions=_names(Permission.objects.filter(group__user=OuterRef("pk"))),
            **{
                f"confirmed_{model._meta.model_name}s": ArraySubquery(
                    model.objects.filter(user=OuterRef("pk"), confirmed=True)
                    .order_by()
                    .values("id")
                )
                for model in DEVICE_MODELS
            },
        )
    )
    return users.filter(pk=_ANY_USER).order_by().query.sql_with_params()


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        manager = get_user_model()._default_manager
        using = manager.db
        if using not in _COMPILED:
            _COMPILED[using] = _signed_in_user_sql(using)
        sql, compiled = _COMPILED[using]
        params = [user_id if param == _ANY_USER else param for param in compiled]
        user = next(iter(manager.raw(sql, params).using(using)), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        # The caches ModelBackend and django-otp read (not declared in django-stubs).
        if not user.is_superuser:  # a superuser's are every permission, read when asked
            # Annotations of the query (_signed_in_user_sql), which django-stubs cannot see.
            own = set(user.own_permissions)  # type: ignore[attr-defined]
            of_roles = set(user.role_permissions)  # type: ignore[attr-defined]
            user._user_perm_cache = own  # type: ignore[attr-defined]
            user._group_perm_cache = of_roles  # type: ignore[attr-defined]
            user._perm_cache = own | of_roles  # type: ignore[attr-defined]
        # As django-otp names them (Device.persistent_id).
        user.confirmed_devices = {  # type: ignore[attr-defined]
            f"{model.model_label()}/{device_id}"
            for model in DEVICE_MODELS
            for device_id in getattr(user, f"confirmed_{model._meta.model_name}s")
        }
        return user
