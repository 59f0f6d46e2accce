"""Staff password reset: a link by e-mail, the same answer for any address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

RESET_URL = reverse("accounts:password_reset")


def without_csrf_token(html: str) -> str:
    """The page without its CSRF token, which is masked differently on every answer."""
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


@pytest.fixture
def ask(client, worker):
    """Post an address to the reset page; then the worker runs what it enqueued."""

    def ask(address):
        answer = client.post(RESET_URL, {"email": address}, follow=True)
        worker.run()
        return answer

    return ask


def test_the_page_answers_the_same_for_known_and_unknown_addresses(ask, receptionist, portal_admin):
    receptionist.email = "rita@clinic.example"
    receptionist.save()
    answers = [
        ask(address)
        for address in ("rita@clinic.example", "nobody@clinic.example", portal_admin.email)
    ]
    assert {answer.redirect_chain[-1][0] for answer in answers} == {
        reverse("accounts:password_reset_done")
    }
    pages = {without_csrf_token(answer.content.decode()) for answer in answers}
    assert len(pages) == 1
    # Only the staff login got a link; the portal user resets in the portal.
    assert [message.to for message in mail.outbox] == [["rita@clinic.example"]]


def test_the_link_sets_a_new_password_that_signs_in(client, ask, receptionist):
    receptionist.email = "rita@clinic.example"
    receptionist.save()
    ask("rita@clinic.example")
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+)", mail.outbox[0].body)[1]
    form_page = client.get(link, follow=True)
    new = "a fresh long passphrase 9"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
    )
    assert b"Your password is changed" in response.content
    receptionist.refresh_from_db()
    assert receptionist.check_password(new)


def test_a_deactivated_staff_member_gets_no_link(ask, receptionist):
    receptionist.email = "rita@clinic.example"
    receptionist.is_active = False
    receptionist.save()
    ask("rita@clinic.example")
    assert mail.outbox == []


def test_the_request_leaves_the_e_mail_to_the_worker(client, receptionist, worker):
    from django_tasks_db.models import DBTaskResult

    receptionist.email = "rita@clinic.example"
    receptionist.save()
    client.post(RESET_URL, {"email": "rita@clinic.example"})
    assert mail.outbox == []  # not inside the request
    worker.run()
    assert [message.to for message in mail.outbox] == [["rita@clinic.example"]]
    # The task's arguments name the user by id: no address is kept in the queue.
    (result,) = DBTaskResult.objects.all()
    assert "rita" not in str(result.args_kwargs)
    worker.run()  # again: the task ran once and is done
    assert len(mail.outbox) == 1
