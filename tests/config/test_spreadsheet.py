"""Spreadsheet formula injection is neutralised in every export."""

import pytest

from config.spreadsheet import csv_response, neutralise, restore


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+4520123456", "-2+3", "@SUM(A1)", "\tx", "\rx", "\0x", '=HYPERLINK("http://x")'],
)
def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(cell):
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["-5", "-3.25", "-7,5", "Anna", "", "1=1", "'quoted"])
def test_harmless_cells_and_plain_negative_numbers_stay(cell):
    assert neutralise(cell) == cell
    assert restore(cell) == cell


def test_csv_response_starts_with_a_bom_and_neutralises_every_cell():
    response = csv_response("x.csv", ["Name", "=Header"], [["=cmd|' /C calc'!A0", "-5"]])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert "'=Header" in body
    assert "'=cmd|' /C calc'!A0,-5\r\n" in body
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
