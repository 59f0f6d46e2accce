"""The invitation e-mail is background work: enqueued when the grant commits, sent by the
worker, retried later when the mail server is down, never sent twice for one grant."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.models import PortalAccess
from portal.services import AccessChange, portal_access_update
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db

LOGIN_ONLY = AccessChange(login=True, permissions=frozenset())


@pytest.fixture
def person(portal_customer):
    return ContactPersonFactory(customer=portal_customer, first_name="Nina", email="nina@n.example")


def _grant(person, by):
    return portal_access_update(
        person=person, change=LOGIN_ONLY, by=by, site_url="http://testserver"
    )


@pytest.fixture
def closed_port():
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_invitation_is_enqueued_when_the_grant_commits(
    receptionist, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _grant(person, receptionist)
        assert not DBTaskResult.objects.exists()  # nothing while the grant is uncommitted
    assert len(callbacks) == 1
    callbacks[0]()
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "portal.tasks.send_invitation"
    # Ids and plain values only: no name or address is kept in the queue.
    assert "nina" not in str(queued.args_kwargs).lower()


def test_no_invitation_when_the_grant_rolls_back(
    receptionist, person, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _grant(person, receptionist)
        raise RuntimeError("something later in the request failed")
    assert callbacks == []
    assert not PortalAccess.objects.filter(person=person).exists()


def test_a_mail_server_that_is_down_keeps_the_grant_and_retries_later(
    receptionist, person, worker, settings, closed_port
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 5},
        }
    }
    _grant(person, receptionist)
    worker.run()
    access = PortalAccess.objects.get(person=person)
    assert access.invited is None  # not sent
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 1}
    assert timezone.now() + timedelta(seconds=50) < retry.run_after
    worker.run()  # not yet due
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        worker.run()
    (message,) = mail.outbox
    assert message.to == ["nina@n.example"]
    access.refresh_from_db()
    assert access.invited is not None


def test_a_task_run_twice_sends_one_invitation(receptionist, person, worker):
    from django.core.management import call_command

    _grant(person, receptionist)
    worker.run()
    (done,) = DBTaskResult.objects.all()
    # As if a worker had died after sending and before recording it: the task runs again.
    DBTaskResult.objects.filter(pk=done.pk).update(status="READY", finished_at=None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 1
