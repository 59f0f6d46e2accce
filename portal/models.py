"""Who may use the customer portal, and what each portal user may do there.

A contact person's portal login is `ContactPerson.portal_user` (contacts app); the portal
permissions granted with it live here, one row per person with access.
"""

from django.conf import settings
from django.db import models


class Permission(models.TextChoices):
    """The portal's permission levels. Admin access implies all the others."""

    ADMIN = "admin_access", "Admin access"
    BILLING = "access_billing", "Access billing"
    REPORTS = "access_reports", "Access reports"
    WORK_ORDER = "create_work_order", "Create work order"
    EDIT_CONTACT = "edit_contact", "Edit contact"


PERMISSION_HELP = {
    Permission.ADMIN: "Every portal feature, including other contacts' portal permissions.",
    Permission.BILLING: "The Billing page: who pays for the customer.",
    Permission.REPORTS: "The Reports page: past and upcoming reservations.",
    Permission.WORK_ORDER: "Request appointments.",
    Permission.EDIT_CONTACT: "Add, edit and delete the customer's other contacts.",
}


class PortalAccess(models.Model):
    person = models.OneToOneField(
        "contacts.ContactPerson",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="portal_access",
    )
    admin_access = models.BooleanField(Permission.ADMIN.label, default=False)
    access_billing = models.BooleanField(Permission.BILLING.label, default=False)
    access_reports = models.BooleanField(Permission.REPORTS.label, default=False)
    create_work_order = models.BooleanField(Permission.WORK_ORDER.label, default=False)
    edit_contact = models.BooleanField(Permission.EDIT_CONTACT.label, default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted = models.DateTimeField(auto_now_add=True)
    # When the last invitation went out; None once the person has set a password.
    invited = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "portal access"
        verbose_name_plural = "portal access"

    def __str__(self) -> str:
        return f"Portal access of {self.person}"

    @property
    def granted_permissions(self) -> frozenset[str]:
        """The permissions ticked on this row."""
        return frozenset(p for p in Permission.values if getattr(self, p))

    @property
    def permissions(self) -> frozenset[str]:
        """What the person may do: Admin access implies every permission."""
        if self.admin_access:
            return frozenset(Permission.values)
        return self.granted_permissions

    def allows(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def labels(self) -> list[str]:
        return [Permission(p).label for p in Permission.values if p in self.granted_permissions]

    # What this portal user may do to the contact persons of their customer. A user may
    # edit their own details, never delete themselves or change their own permissions, and
    # never touch a contact who holds a permission they lack (changing that contact's
    # email would let them reset that contact's password).

    def may_add_contacts(self) -> bool:
        return self.allows(Permission.EDIT_CONTACT)

    def may_edit(self, person) -> bool:
        if person.pk == self.person_id:
            return True
        return self.allows(Permission.EDIT_CONTACT) and permissions_of(person) <= self.permissions

    def may_delete(self, person) -> bool:
        return person.pk != self.person_id and self.may_edit(person)

    def may_change_permissions_of(self, person) -> bool:
        return self.admin_access and person.pk != self.person_id

    @property
    def assignable(self) -> frozenset[str]:
        """The permissions this user may grant or take away: only Admin access grants,
        and nobody grants more than they hold."""
        return self.permissions if self.admin_access else frozenset()


def permissions_of(person) -> frozenset[str]:
    """What a contact person may do in the portal; nothing without portal access."""
    access = getattr(person, "portal_access", None)
    return access.permissions if access else frozenset()
