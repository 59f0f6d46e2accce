"""Form data of the contact person form, as a browser posts it (staff pages and portal)."""


def person_form_data(phones=(), **fields) -> dict:
    """Form data of a contact person with `phones` as (kind, country, number)."""
    data = {
        "title": "",
        "first_name": "Ida",
        "last_name": "Holm",
        "description": "",
        "email": "ida@example.dk",
        "address": "",
        "postal_code": "",
        "city": "",
        "is_active": "on",
        "phones-TOTAL_FORMS": str(len(phones) or 1),
        "phones-INITIAL_FORMS": "0",
        "phones-MIN_NUM_FORMS": "0",
        "phones-MAX_NUM_FORMS": "1000",
    }
    # A browser posts the empty phone row too: its type and country are always chosen.
    for index, (kind, country, number) in enumerate(phones or [("mobile", "DK", "")]):
        data |= {
            f"phones-{index}-kind": kind,
            f"phones-{index}-number_0": country,
            f"phones-{index}-number_1": number,
        }
    return data | {name: value for name, value in fields.items() if value is not None}
