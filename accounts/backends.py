"""Authentication backend: Django's ModelBackend, reading the signed-in user and their
permissions in one query.

Every staff request reads the user, and nearly every staff view checks a permission; the
stock backend then reads the user's own and their roles' (groups') permissions in two more
queries. Here they come with the user (two array subqueries), into the same caches the
stock backend fills, so has_perm() answers from them for the rest of the request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, OuterRef, QuerySet, Value
from django.db.models.functions import Concat


def _names(permissions: QuerySet) -> ArraySubquery:
    """ "app_label.codename" of each of `permissions`, as has_perm() names them."""
    name = Concat("content_type__app_label", Value("."), "codename", output_field=CharField())
    return ArraySubquery(permissions.order_by().annotate(full_name=name).values("full_name"))


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            own_permissions=_names(Permission.objects.filter(user=OuterRef("pk"))),
            role_permissions=_names(Permission.objects.filter(group__user=OuterRef("pk"))),
        )
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:  # a superuser's are every permission, read when asked
            user._user_perm_cache = set(user.own_permissions)
            user._group_perm_cache = set(user.role_permissions)
            user._perm_cache = user._user_perm_cache | user._group_perm_cache
        return user
