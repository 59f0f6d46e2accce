"""Spreadsheet formula injection is neutralised in every export."""

import pytest

from config.spreadsheet import csv_response, neutralise, restore


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "-2+3",
        "+1+1",
        "+45 2012 3456=A1",
        "+45-20123456",
        "-5.",
        "+",
        "@SUM(A1)",
        "\tx",
        "\t5",
        "\rx",
        "\0x",
        '=HYPERLINK("http://x")',
        "+١٢٣",  # digits of another script: not a plain number to every spreadsheet
    ],
)
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(cell):
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["-5", "-3.25", "-7,5", "Anna", "", "1=1", "'quoted"])
def test_harmless_cells_and_plain_negative_numbers_stay(cell):
    assert neutralise(cell) == cell
    assert restore(cell) == cell


@pytest.mark.parametrize(
    "cell", ["+4520123456", "+45 20 12 34 56", "+1 212 555 0100", "+5", "+2,50", "-1 000,25"]
)
def test_phone_numbers_and_signed_numbers_are_written_as_they_are(cell):
    assert neutralise(cell) == cell
    assert restore(cell) == cell


def test_csv_response_starts_with_a_bom_and_neutralises_every_cell():
    response = csv_response("x.csv", ["Name", "=Header"], [["=cmd|' /C calc'!A0", "-5"]])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "'=Header" in body
    assert "'=cmd|' /C calc'!A0,-5\r\n" in body
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
