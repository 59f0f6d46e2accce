"""The demo data command behind `make run` (demo/management/commands/load_demo.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from contacts.models import ContactPerson
from customers.models import Customer
from records.models import Entry


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.DATA_DIR = tmp_path
    return settings


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_logins_printed_work(db, demo_settings):
    output = load_demo()

    password = (demo_settings.DATA_DIR / "secrets" / "demo_password").read_text().strip()
    assert f"admin      password {password}" in output
    for username in ["admin", "therapist", "reception", "petra@nordlys.example"]:
        assert User.objects.get(username=username).check_password(password), username
    assert User.objects.get(username="admin").groups.filter(name="Administrator").exists()
    assert Customer.objects.filter(company_name="Nordlys Logistik ApS").exists()
    assert Entry.objects.count() == 3


def test_demo_loaded_twice_adds_nothing(db, demo_settings):
    load_demo()
    counts = (Customer.objects.count(), ContactPerson.objects.count(), Entry.objects.count())

    load_demo()

    assert (
        Customer.objects.count(),
        ContactPerson.objects.count(),
        Entry.objects.count(),
    ) == counts


def test_demo_refused_outside_development(db, settings, tmp_path):
    settings.DEBUG = False
    settings.DATA_DIR = tmp_path

    with pytest.raises(CommandError, match="development only"):
        load_demo()
    assert not Customer.objects.exists()
