"""Password reset links and portal invitations cannot be asked for without end: past the
limit the page says so at the field and nothing more is sent."""

import pytest
from django.core import mail

from accounts import ratelimits

pytestmark = pytest.mark.django_db

STAFF_RESET = "/accounts/password-reset/"
PORTAL_RESET = "/portal/password/"


def _allowed(rate: str) -> int:
    return int(rate.split("/")[0])


@pytest.mark.parametrize("url", [STAFF_RESET, PORTAL_RESET])
@pytest.mark.parametrize("address", ["rita@clinic.example", "nobody@nowhere.example"])
def test_resets_past_the_limit_are_refused_at_the_field_for_any_address(
    client, receptionist, worker, url, address
):
    receptionist.email = "rita@clinic.example"
    receptionist.save()
    for _ in range(_allowed(ratelimits.RESET_PER_ADDRESS)):
        assert client.post(url, {"email": address}).status_code == 302
    refused = client.post(url, {"email": address.upper()})
    assert refused.status_code == 200
    assert "Too many reset links were asked for just now" in refused.content.decode()
    worker.run()
    sent = 0 if address.startswith("nobody") or url == PORTAL_RESET else 3
    assert len(mail.outbox) == sent
    # Another address is not held back by this one's limit.
    assert client.post(url, {"email": "someone@else.example"}).status_code == 302


def test_one_client_cannot_ask_for_links_to_many_addresses(client):
    for number in range(_allowed(ratelimits.RESET_PER_CLIENT)):
        assert client.post(STAFF_RESET, {"email": f"a{number}@x.example"}).status_code == 302
    refused = client.post(STAFF_RESET, {"email": "one.more@x.example"})
    assert "Too many reset links" in refused.content.decode()


def test_invitations_sent_again_past_the_limit_are_refused_with_a_message(
    client_for, receptionist, portal_limited, worker
):
    client = client_for(receptionist)
    url = f"/portal-access/{portal_limited.pk}/invite/"
    for _ in range(_allowed(ratelimits.INVITE_PER_PERSON)):
        client.post(url)
        worker.run()
    refused = client.post(url, follow=True)
    assert "Too many invitations went to this person just now" in refused.content.decode()
    worker.run()
    assert len(mail.outbox) == _allowed(ratelimits.INVITE_PER_PERSON)
