"""Helpers of the erasure tests: a customer with personal data in every place the project
keeps it, and a search of the whole database for a piece of text."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pghistory
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from psycopg import sql

from accounts.models import User
from contacts.models import ContactPerson
from customers.models import Customer, CustomerExport, Reservation
from customers.services import customer_make_own_debtor
from portal.models import Permission
from records import services as records
from records.models import Entry, Record
from tests.factories import (
    ContactPersonFactory,
    ContactPersonPhoneFactory,
    CustomerContactFactory,
    CustomerFactory,
    portal_contact,
)

# When the fixture's customer was created and their last entry written.
WRITTEN = datetime(2020, 3, 10, 12, tzinfo=UTC)
# When they asked to be erased.
ASKED = datetime(2020, 6, 1, 9, tzinfo=UTC)
SSN = "010190-1234"


def database_text_containing(needle: str) -> set[tuple[str, str]]:
    """(table, column) of every text, varchar or jsonb column of every table in the public
    schema that holds `needle` anywhere (case ignored)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'character', 'jsonb')
            """
        )
        columns = cursor.fetchall()
        found = set()
        for table, column in columns:
            query = sql.SQL(
                "SELECT 1 FROM {} WHERE strpos(lower({}::text), lower(%s)) > 0 LIMIT 1"
            ).format(sql.Identifier(table), sql.Identifier(column))
            cursor.execute(query, [needle])
            if cursor.fetchone():
                found.add((table, column))
    return found


@dataclass
class Subject:
    """A customer with personal data everywhere, and the texts that must go with them."""

    customer: Customer
    persons: list[ContactPerson]
    portal_user: User
    session_key: str
    # Erased at once, whatever happens to the records.
    contact_data: list[str] = field(default_factory=list)
    # Kept with the records until the purge.
    identity: list[str] = field(default_factory=list)


def customer_with_everything(*, staff: User, with_records: bool = True) -> Subject:
    """Built at WRITTEN: contact details, extra fields, SSN, a directory contact, two
    contact persons (one with portal access, a session, failed sign-ins and preference
    history), a reservation note, their own debtor, admin log lines, an export search term
    and, unless told otherwise, a record with an entry and an earlier version."""
    with time_machine.travel(WRITTEN, tick=False):
        customer = CustomerFactory(
            first_name="Ingeborg",
            last_name="Quistgaard",
            email="ingeborg.quist@mail.example",
            phone="+4522113344",
            address="Rosenvængets Allé 17",
            postal_code="2100",
            city="Østerbrohavn",
            gender=Customer.Gender.FEMALE,
            date_of_birth=date(1990, 1, 1),
            extra_fields={"1": "Allergic to latex gloves"},
        )
        customer.set_ssn(SSN)
        customer.save()
        CustomerContactFactory(customer=customer)
        customer_make_own_debtor(customer=customer)
        customer.refresh_from_db()
        Reservation.objects.create(
            customer=customer, service="Massage", start=WRITTEN, note="Knee hurts on stairs"
        )
        with pghistory.context(user=staff.pk, url="/persons/"):
            relative = ContactPersonFactory(
                customer=customer,
                first_name="Valdemar",
                last_name="Ravnsborg",
                email="valdemar.ravn@family.example",
                address="Sneglehusvej 3",
                prefers_email=True,
            )
            ContactPersonPhoneFactory(person=relative, number="+4531415926")
            relative.prefers_sms = True
            relative.save()
        carer = portal_contact(
            customer=customer,
            permissions=[Permission.ADMIN],
            first_name="Sigrid",
            last_name="Tøttrup",
            email="Sigrid.Tottrup@portal.example",
        )
        ContactPersonPhoneFactory(person=carer, number="+4527182818")
        portal_user = carer.portal_user
        portal_client = Client()
        portal_client.force_login(portal_user)
        for model in (AccessAttempt, AccessLog):
            attempt = {"get_data": "", "post_data": "", "failures_since_start": 1}
            model.objects.create(
                username=portal_user.username,
                ip_address="10.0.0.9",
                user_agent="Firefox",
                http_accept="*/*",
                path_info="/portal/login/",
                **(attempt if model is AccessAttempt else {}),
            )
        for obj in (customer, relative, carer):
            LogEntry.objects.create(
                user=staff,
                content_type=ContentType.objects.get_for_model(obj),
                object_id=str(obj.pk),
                object_repr=str(obj),
                action_flag=CHANGE,
                change_message="[]",
            )
        CustomerExport.objects.create(user=staff, rows=1, query="ingeborg.quist@mail.example")
        if with_records:
            record = records.record_create(customer=customer, title="Lower back", by=staff)
            entry = records.entry_create(
                record=record, title="First visit", body="Stiff in the mornings.", by=staff
            )
            records.entry_update(
                entry=entry, title="First visit", body="Stiff every morning.", by=staff
            )
    return Subject(
        customer=customer,
        persons=[relative, carer],
        portal_user=portal_user,
        session_key=portal_client.session.session_key,
        contact_data=[
            "ingeborg.quist@mail.example",
            "+4522113344",
            "22113344",
            "Rosenvængets",
            "Østerbrohavn",
            "Allergic to latex",
            "Knee hurts on stairs",
            "Valdemar",
            "Ravnsborg",
            "valdemar.ravn@family.example",
            "Sneglehusvej",
            "+4531415926",
            "Sigrid",
            "Tøttrup",
            "sigrid.tottrup@portal.example",
            "+4527182818",
        ],
        identity=["Ingeborg", "Quistgaard"],
    )


def clinical_rows(customer_id) -> int:
    return (
        Record.objects.filter(customer_id=customer_id).count()
        + Entry.objects.filter(record__customer_id=customer_id).count()
    )
