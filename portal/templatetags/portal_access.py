"""What the signed-in portal user may do to a contact, for showing only the allowed actions.

`{% if access|may_edit:person %}`: the same PortalAccess methods the views enforce.
"""

from django import template

register = template.Library()


@register.filter
def may_edit(access, person) -> bool:
    return bool(access) and access.may_edit(person)


@register.filter
def may_delete(access, person) -> bool:
    return bool(access) and access.may_delete(person)
