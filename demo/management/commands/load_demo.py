"""Load demo data for `make run`: a staff user of each role, a portal user, a few customers.

It lives in the `demo` app, which sits on top of every other app (DESIGN.md, dependency
direction) since demo data spans them all, and nothing imports it. Running it again changes
nothing but resetting the demo users' password to the one printed.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from config.keys import development_secret
from contacts.models import ContactPerson
from contacts.services import contact_person_set_primary
from customers.models import Calendar, Customer, CustomerGroup, ExtraField, Reservation
from customers.services import (
    CustomerChange,
    customer_create,
    customer_make_own_debtor,
    customer_set_debtor,
)
from debtors.models import Debtor, DebtorGroup
from debtors.services import debtor_create
from portal.models import PortalAccess
from records.models import RecordGroup
from records.rich_text import from_plain, writes_rich
from records.services import entry_create, record_create

STAFF_USERS = [
    # username, first name, last name, role, admin site access
    ("admin", "Astrid", "Admin", "Administrator", True),
    ("therapist", "Tobias", "Therapist", "Therapist", False),
    ("reception", "Rikke", "Reception", "Reception", False),
]
# Portal users sign in with their e-mail address.
PORTAL_USER = ("petra@nordlys.example", "Petra", "Portal")

GROUPS = ["Physiotherapy", "Psychology"]
CUSTOMERS = [
    # kind, first name, last name, company, email, phone, city, date of birth, group
    (
        "private",
        "Anna",
        "Jensen",
        "",
        "anna.jensen@example.com",
        "+4520123456",
        "Aarhus",
        date(1984, 3, 12),
        0,
    ),
    (
        "private",
        "Lars",
        "Nielsen",
        "",
        "lars@example.com",
        "+4530654321",
        "Odense",
        date(1959, 11, 2),
        0,
    ),
    ("private", "Sofie", "Hansen", "", "", "+4540112233", "København", date(2014, 6, 30), 1),
    ("private", "Mikkel", "Pedersen", "", "mikkel.p@example.com", "", "Aalborg", None, 1),
    (
        "business",
        "",
        "",
        "Nordlys Logistik ApS",
        "hr@nordlys.example",
        "+4570101010",
        "Vejle",
        None,
        0,
    ),
    ("business", "", "", "Fjord Consulting A/S", "kontakt@fjord.example", "", "Roskilde", None, 1),
]


class Command(BaseCommand):
    help = "Create the demo users and customers (idempotent); prints the demo logins."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (set DEBUG=1).")
        password = development_secret(settings.DATA_DIR, "demo_password", _new_demo_password)
        with transaction.atomic():
            self._load_users(password)
            self._load_customers()
            self._load_debtors()
            self._load_persons()
            self._load_portal()
            self._load_records()
            self._load_extra_fields()
        self._print_logins(password)

    def _load_users(self, password: str) -> None:
        for username, first_name, last_name, role, admin_access in STAFF_USERS:
            user = _demo_user(username, first_name, last_name, User.Kind.STAFF, password)
            user.is_staff = admin_access
            user.save(update_fields=["is_staff"])
            user.groups.set([Group.objects.get(name=role)])
        username, first_name, last_name = PORTAL_USER
        # Demo databases from before portal logins were e-mail addresses.
        User.objects.filter(username="portal", kind=User.Kind.PORTAL).update(
            username=username, email=username
        )
        user = _demo_user(username, first_name, last_name, User.Kind.PORTAL, password)
        user.email = username
        user.save(update_fields=["email"])

    def _load_customers(self) -> None:
        groups = [CustomerGroup.objects.get_or_create(name=name)[0] for name in GROUPS]
        for kind, first, last, company, email, phone, city, born, group in CUSTOMERS:
            name = {"first_name": first, "last_name": last, "company_name": company}
            if Customer.objects.filter(**name).exists():
                continue
            fields: dict[str, Any] = {"kind": kind, "email": email, "phone": phone}
            fields |= {"city": city, **name}
            fields |= {"date_of_birth": born, "group": groups[group]}
            customer_create(change=CustomerChange(fields=fields))

    def _load_debtors(self) -> None:
        if Debtor.objects.exists():
            return
        insurers = DebtorGroup.objects.get_or_create(name="Insurers")[0]
        public = DebtorGroup.objects.get_or_create(name="Public institutions")[0]
        debtor_create(values={"name": "Tryg Forsikring", "kind": "company", "group": insurers})
        municipality = debtor_create(
            values={
                "name": "Aarhus Kommune",
                "kind": "public",
                "ean": "5790000000012",
                "payment_terms_days": 30,
                "group": public,
            }
        )
        customer_make_own_debtor(customer=Customer.objects.get(first_name="Anna"))
        customer_set_debtor(customer=Customer.objects.get(first_name="Sofie"), debtor=municipality)

    def _load_persons(self) -> None:
        """A child patient's parents (one primary) and a company's employees; the demo
        portal user is Nordlys Logistik's office manager."""
        if ContactPerson.objects.exists():
            return
        sofie = Customer.objects.get(first_name="Sofie")
        nordlys = Customer.objects.get(company_name="Nordlys Logistik ApS")
        portal_user = User.objects.get(username=PORTAL_USER[0])
        for customer, title, first, last, description, email, mobile, extra in [
            (sofie, "Mrs", "Mette", "Hansen", "Mother", "mette.h@example.com", "+4522334455", {}),
            (sofie, "Mr", "Jonas", "Hansen", "Father", "", "+4522334466", {}),
            (
                nordlys,
                "Ms",
                "Petra",
                "Portal",
                "Office manager",
                "petra@nordlys.example",
                "+4521212121",
                {"portal_user": portal_user},
            ),
            (nordlys, "Mr", "Ole", "Lund", "Warehouse lead", "ole@nordlys.example", "", {}),
        ]:
            person = ContactPerson.objects.create(
                customer=customer,
                title=title,
                first_name=first,
                last_name=last,
                description=description,
                email=email,
                prefers_email=bool(email),
                prefers_sms=bool(mobile),
                **extra,
            )
            if mobile:
                person.phones.create(kind="mobile", number=mobile)
        contact_person_set_primary(person=sofie.contact_persons.get(first_name="Mette"))

    def _load_portal(self) -> None:
        """Petra has Admin access; Nordlys has a few reservations and one request."""
        petra = ContactPerson.objects.get(portal_user__username=PORTAL_USER[0])
        PortalAccess.objects.get_or_create(person=petra, defaults={"admin_access": True})
        nordlys = petra.customer
        if nordlys.reservations.exists():
            return
        calendar, _ = Calendar.objects.get_or_create(
            name="Tobias Therapist", defaults={"therapist": User.objects.get(username="therapist")}
        )
        today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        for days, service, status in [
            (-30, "Ergonomics workshop", Reservation.Status.DONE),
            (-7, "Back care consultation", Reservation.Status.DONE),
            (7, "Back care follow-up", Reservation.Status.BOOKED),
            (21, "Ergonomics workshop", Reservation.Status.BOOKED),
        ]:
            start = today + timedelta(days=days)
            nordlys.reservations.create(
                calendar=calendar,
                service=service,
                start=start,
                end=start + timedelta(hours=1),
                status=status,
            )
        nordlys.reservations.create(
            service="Workplace assessment",
            start=today + timedelta(days=14, hours=4),
            status=Reservation.Status.REQUESTED,
            note="Two new desks in the office; could you come by?",
            requested_by=petra.portal_user,
        )

    def _load_extra_fields(self) -> None:
        """Two extra customer fields, filled out for Anna Jensen."""
        referred, _ = ExtraField.objects.get_or_create(
            label="Referred by", deleted=None, defaults={"position": 1}
        )
        ExtraField.objects.get_or_create(
            label="Preferred time",
            deleted=None,
            defaults={"position": 2, "kind": "choice", "options": "Morning\nAfternoon"},
        )
        anna = Customer.objects.get(first_name="Anna", last_name="Jensen")
        if referred.key not in anna.extra_fields:
            anna.extra_fields[referred.key] = "Dr. Berg, Aarhus"
            anna.save(update_fields=["extra_fields"])

    def _load_records(self) -> None:
        """Two record groups, and a physiotherapy record for Anna Jensen with three entries."""
        RecordGroup.objects.get_or_create(
            name="Initial assessment",
            defaults={
                "rich_text": True,
                "template": (
                    "<h3>Reason for referral</h3><p></p><h3>Findings</h3>"
                    "<table><thead><tr><th>Test</th><th>Left</th><th>Right</th></tr></thead>"
                    "<tbody><tr><td>Range of motion</td><td></td><td></td></tr>"
                    "<tr><td>Strength (0–5)</td><td></td><td></td></tr></tbody></table>"
                    "<h3>Plan</h3><p></p>"
                ),
            },
        )
        follow_up, _ = RecordGroup.objects.get_or_create(
            name="Treatment note", defaults={"template": "Treatment:\nResponse:\nNext time:"}
        )
        anna = Customer.objects.get(first_name="Anna", last_name="Jensen")
        if anna.records.exists():
            return
        therapist = User.objects.get(username="therapist")
        record = record_create(customer=anna, title="Physiotherapy, left knee", by=therapist)
        notes = [
            (21, "Initial assessment", "Referred by her GP after a fall on ice. Swelling "
             "medial side, flexion 95°. Plan: mobilisation and quadriceps strength."),
            (7, "Treatment note", "Treatment: manual therapy, home exercises.\n"
             "Response: flexion 110°, less pain on stairs.\nNext time: progress load."),
            (0, "Treatment note", "Treatment: strength circuit.\nResponse: no swelling "
             "after exercise.\nNext time: discuss return to running."),
        ]  # fmt: skip
        for days_ago, title, text in notes:
            body = from_plain(text) if writes_rich(False) else text
            entry = entry_create(record=record, title=title, body=body, by=therapist)
            entry.created = timezone.now() - timedelta(days=days_ago)
            entry.group = follow_up if title == "Treatment note" else None
            entry.save(update_fields=["created", "group"])

    def _print_logins(self, password: str) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/"))
        for username, _, _, role, _ in STAFF_USERS:
            write(f"  staff  {username:<10} password {password}   ({role})")
        write(
            f"  portal {PORTAL_USER[0]} password {password}   "
            "(customer portal, Admin access: http://127.0.0.1:8000/portal/)"
        )
        write(
            "  Records ask staff for a second factor: set up any authenticator app (TOTP) "
            "when asked."
        )


def _demo_user(username, first_name, last_name, kind, password) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "kind": kind},
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _new_demo_password() -> str:
    import secrets

    return f"demo-{secrets.token_urlsafe(9)}"
