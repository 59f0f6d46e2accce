"""Rich text (the Editor setting): sanitised with an allow-list on save and on display,
tables kept; plain text escaped; the editor only where the setting asks for it."""

import pytest
from django.urls import reverse

from records import rich_text, services
from records.models import Entry, RecordGroup

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p onmouseover="alert(1)">hover</p>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<td background="javascript:alert(1)">cell</td>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<<script>script>alert(1)<</script>/script>",
    "<div><style>body{display:none}</style>text</div>",
]
FORBIDDEN = ["<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe", "<svg",
             "style=", "<style", "<object", "<form", "<img", "background="]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_scripts_handlers_and_javascript_urls_do_not_survive(payload):
    cleaned = rich_text.clean(payload).lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in cleaned, (payload, cleaned)


def test_tables_and_structure_survive():
    html = (
        "<h3>Plan</h3><table><thead><tr><th>Exercise</th><th>Reps</th></tr></thead>"
        '<tbody><tr><td colspan="2">Squats</td></tr></tbody></table><ul><li>Ice</li></ul>'
    )
    assert rich_text.clean(html) == html


def test_a_rich_entry_is_sanitised_before_it_is_stored(record, therapist, customer_settings):
    customer_settings(record_editor_enabled=True)
    entry = services.entry_create(
        record=record,
        title="Note",
        body='<p onclick="steal()">Knee <b>better</b></p><script>steal()</script>',
        by=therapist,
    )
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.rich_text is True
    assert stored.body == "<p>Knee <b>better</b></p>"


def test_a_plain_entry_is_shown_escaped(therapist_client, customer, write, customer_settings):
    customer_settings(record_editor_enabled=False)
    write("Note", "<b>not bold</b>\nsecond line")
    html = therapist_client.get(
        reverse("customers:detail", args=[customer.pk]) + "?tab=record"
    ).content.decode()
    assert "&lt;b&gt;not bold&lt;/b&gt;<br>second line" in html


def test_what_is_stored_is_cleaned_again_when_shown(therapist_client, customer, record, write):
    entry = write("Note", "placeholder")
    # A row written before the allow-list was tightened (or by hand): sealed as it is.
    entry.rich_text = True
    entry.seal(title="Note", body='<p>Fine</p><img src=x onerror="alert(1)"><script>x()</script>')
    entry.save()
    html = therapist_client.get(
        reverse("customers:detail", args=[customer.pk]) + "?tab=record"
    ).content.decode()
    assert "<p>Fine</p>" in html
    assert "onerror" not in html
    assert "x()" not in html


def test_the_editor_is_used_only_while_the_setting_is_on(
    therapist_client, record, customer_settings
):
    url = reverse("records:entry_create", args=[record.pk])
    customer_settings(record_editor_enabled=False)
    plain = therapist_client.get(url)
    assert b"tinymce.min.js" not in plain.content
    assert "'unsafe-inline'" not in plain["Content-Security-Policy"]
    customer_settings(record_editor_enabled=True)
    rich = therapist_client.get(url)
    assert b"tinymce.min.js" in rich.content
    assert b'class="tinymce' in rich.content
    assert "style-src 'self' 'unsafe-inline'" in rich["Content-Security-Policy"]
    assert "script-src 'self'" in rich["Content-Security-Policy"]


def test_a_rich_entry_stays_rich_when_the_editor_is_switched_off(
    therapist_client, record, therapist, customer_settings
):
    customer_settings(record_editor_enabled=True)
    entry = services.entry_create(
        record=record, title="Plan", body="<table><tr><td>Ice</td></tr></table>", by=therapist
    )
    customer_settings(record_editor_enabled=False)
    page = therapist_client.get(reverse("records:entry_edit", args=[entry.pk]))
    assert b"tinymce.min.js" in page.content


def test_a_plain_template_becomes_rich_text_for_a_rich_entry(
    therapist_client, record, customer_settings
):
    customer_settings(record_editor_enabled=True)
    group = RecordGroup.objects.create(name="Check-up", template="Pain <1-10>:\nSleep:")
    url = reverse("records:entry_create", args=[record.pk]) + f"?group={group.pk}"
    page = therapist_client.get(url).content.decode()
    # The template is escaped into the textarea the editor takes over.
    assert "&lt;p&gt;Pain &amp;lt;1-10&amp;gt;:&lt;br&gt;Sleep:&lt;/p&gt;" in page


def test_an_editor_left_empty_is_no_entry(therapist_client, record, customer_settings):
    customer_settings(record_editor_enabled=True)
    response = therapist_client.post(
        reverse("records:entry_create", args=[record.pk]),
        {"title": "Empty", "body": "<p>&nbsp;</p>"},
    )
    assert "Write the entry before saving it." in response.content.decode()
    assert not record.entries.exists()
