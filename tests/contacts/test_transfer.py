"""A category's contacts out as CSV and vCard, and in from CSV with a preview."""

import csv
import io

import pytest
import vobject
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contacts import transfer
from contacts.forms import ImportForm
from contacts.models import Contact
from tests.factories import ContactCategoryFactory, ContactFactory


def _upload(client, category, text: str):
    upload = SimpleUploadedFile("contacts.csv", text.encode("utf-8"), "text/csv")
    return client.post(f"/contacts/categories/{category.pk}/import/", {"file": upload})


def _export_csv(client, category) -> str:
    response = client.get(f"/contacts/categories/{category.pk}/export.csv")
    return b"".join(response.streaming_content).decode("utf-8")


def test_csv_export_then_import_gives_the_same_contacts(client_for, receptionist):
    client = client_for(receptionist)
    source = ContactCategoryFactory(name="Doctors")
    ContactFactory(
        category=source,
        title="Dr",
        first_name="Søren",
        last_name="Ærø",
        phone="+4586123456",
        description="GP, nights",
        notes="Line one\nline two",
        email="s@lægehus.dk",
    )
    ContactFactory(category=source, first_name="Ida", last_name="=Holm", email="i@x.dk")
    text = _export_csv(client, source)
    assert text.startswith("\ufeff")
    assert "'=Holm" in text  # neutralised on the way out
    target = ContactCategoryFactory(name="Copy")
    _upload(client, target, text)
    client.post(f"/contacts/categories/{target.pk}/import/confirm/")
    fields = ["title", "first_name", "last_name", "phone", "description", "notes", "email"]
    exported = list(source.contacts.order_by("created").values_list(*fields))
    imported = list(target.contacts.order_by("created").values_list(*fields))
    assert imported == exported


def test_csv_export_writes_phone_numbers_as_they_are(client_for, receptionist):
    category = ContactCategoryFactory(name="Doctors")
    ContactFactory(category=category, last_name="+Holm", phone="+4586123456")
    text = _export_csv(client_for(receptionist), category)
    (row,) = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    assert row["Phone"] == "+4586123456"
    assert row["Last name or organisation name"] == "'+Holm"


def test_vcard_export_round_trips_through_a_vcard_reader(client_for, receptionist):
    category = ContactCategoryFactory(name="Insurers")
    ContactFactory(
        category=category,
        title="Dr",
        first_name="Ida",
        last_name="Holm; Sr.",
        organisation="Tryg, Aarhus",
        description="Caseworker",
        email="ida@tryg.example",
        phone="+4586123456",
        mobile="+4520304050",
        notes="Calls back, mornings",
    )
    response = client_for(receptionist).get(f"/contacts/categories/{category.pk}/export.vcf")
    assert response["Content-Type"].startswith("text/vcard")
    card = next(vobject.readComponents(response.content.decode()))
    assert card.fn.value == "Dr Ida Holm; Sr."
    assert card.n.value.family == "Holm; Sr."
    assert card.org.value == ["Tryg, Aarhus"]
    assert card.email.value == "ida@tryg.example"
    assert sorted(tel.value for tel in card.tel_list) == ["+4520304050", "+4586123456"]
    assert card.note.value == "Calls back, mornings"
    assert card.categories.value == ["Insurers"]


def test_preview_lists_row_errors_and_imports_nothing_yet(client_for, receptionist):
    client = client_for(receptionist)
    category = ContactCategoryFactory()
    text = (
        "Last name or organisation name;Email;Phone\nHolm;ida@x.dk;\nBerg;;\n;bo@x.dk;\nLund;;12\n"
    )
    content = _upload(client, category, text).content.decode()
    assert "1 row can be imported" in content
    assert "3 rows have errors" in content
    assert "Enter an email address or a phone number." in content
    assert "Enter a valid phone number" in content
    assert not Contact.objects.exists()


def test_nothing_is_imported_from_a_file_with_errors_unless_bad_rows_are_skipped(
    client_for, receptionist
):
    client = client_for(receptionist)
    category = ContactCategoryFactory()
    _upload(client, category, "Last name or organisation name,Email\nHolm,ida@x.dk\nBerg,\n")
    response = client.post(f"/contacts/categories/{category.pk}/import/confirm/", follow=True)
    assert "Nothing was imported: 1 row has errors." in response.content.decode()
    assert not Contact.objects.exists()
    _upload(client, category, "Last name or organisation name,Email\nHolm,ida@x.dk\nBerg,\n")
    response = client.post(
        f"/contacts/categories/{category.pk}/import/confirm/", {"skip_bad_rows": "on"}, follow=True
    )
    assert "1 contact imported into" in response.content.decode()
    assert "1 row with errors was skipped." in response.content.decode()
    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Holm"]


def test_a_file_without_the_name_column_is_refused(client_for, receptionist):
    content = _upload(client_for(receptionist), ContactCategoryFactory(), "Foo,Bar\n1,2\n")
    assert "The first line must name the columns" in content.content.decode()


def test_a_file_that_is_not_utf8_is_refused(client_for, receptionist):
    category = ContactCategoryFactory()
    upload = SimpleUploadedFile("c.csv", "Last name or organisation name\nÆrø\n".encode("cp1252"))
    response = client_for(receptionist).post(
        f"/contacts/categories/{category.pk}/import/", {"file": upload}
    )
    assert "The file is not UTF-8 text." in response.content.decode()


def test_confirm_without_a_checked_file_asks_for_it_again(client_for, receptionist):
    category = ContactCategoryFactory()
    response = client_for(receptionist).post(
        f"/contacts/categories/{category.pk}/import/confirm/", follow=True
    )
    assert "Upload the file again" in response.content.decode()


def test_staff_without_permission_cannot_import_or_export(client_for, nobody):
    category = ContactCategoryFactory()
    client = client_for(nobody)
    assert client.get(f"/contacts/categories/{category.pk}/export.csv").status_code == 403
    assert _upload(client, category, "Last name or organisation name\nX\n").status_code == 403


NAME_HEADER = "Last name or organisation name,Email\n"


def _upload_bytes(client, category, data: bytes):
    upload = SimpleUploadedFile("contacts.csv", data, "text/csv")
    return client.post(f"/contacts/categories/{category.pk}/import/", {"file": upload})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            (NAME_HEADER + "Holm,ida@x.dk\nBerg," + "x" * 131_073 + "\n").encode(),
            "Line 3 has a cell longer than 131072 characters",
            id="huge-cell",
        ),
        pytest.param(
            (NAME_HEADER + 'Holm,ida@x.dk\n"Berg,bo@x.dk\nLund,l@x.dk\n').encode(),
            "Line 3 cannot be read: a quotation mark is not closed",
            id="unclosed-quote",
        ),
        pytest.param(
            (NAME_HEADER + '"Ho"lm,ida@x.dk\n').encode(),
            "Line 2 cannot be read",
            id="text-after-closing-quote",
        ),
        pytest.param(
            "Last name or organisation name\nÆrø\n".encode("cp1252"), "not UTF-8", id="encoding"
        ),
        pytest.param(b"", "The submitted file is empty.", id="empty"),
        pytest.param(NAME_HEADER.encode(), "The file holds no contacts.", id="header-only"),
        pytest.param(
            (NAME_HEADER + "Holm,ida@x.dk\n" * 4).encode(),
            "The file holds more than 3 contacts; import at most 3 at a time.",
            id="too-many-rows",
        ),
        pytest.param(
            b"Last name or organisation name\n" + b"Holm\n" * 20, "larger than 2 MB", id="too-big"
        ),
    ],
)
def test_a_malformed_file_is_refused_at_the_file_field_and_nothing_is_imported(
    client_for, receptionist, monkeypatch, data, message
):
    monkeypatch.setattr(transfer, "MAX_IMPORT_ROWS", 3)
    if "2 MB" in message:
        monkeypatch.setattr(ImportForm, "MAX_BYTES", 100)
    client = client_for(receptionist)
    category = ContactCategoryFactory()
    response = _upload_bytes(client, category, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert 'id="error_1_id_file"' in response.content.decode()
    confirm = client.post(f"/contacts/categories/{category.pk}/import/confirm/", follow=True)
    assert "Upload the file again" in confirm.content.decode()
    assert not Contact.objects.exists()


def test_line_numbers_count_from_where_a_multi_line_record_starts(db):
    preview = transfer.read_csv(
        'Last name or organisation name,Email,Notes\nHolm,ida@x.dk,"one\ntwo"\nBerg,,\n'
    )
    assert [(row.line, bool(row.errors)) for row in preview.rows] == [(2, False), (4, True)]


@pytest.mark.django_db
@hypothesis_settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(alphabet=st.sampled_from(list('ab,;"\n\r\t\x00 é@.+45')), max_size=200))
def test_any_text_is_either_previewed_or_refused_with_a_message(body):
    try:
        preview = transfer.read_csv(NAME_HEADER + body)
    except ValidationError as error:
        assert error.messages
    else:
        assert preview.rows
