"""``api/catalog.csv``: the catalog as a spreadsheet-friendly CSV.

UTF-8 with a byte-order mark so that spreadsheet programs read Chinese right,
CRLF line ends (RFC 4180). Text cells that a spreadsheet would run as a
formula (starting with ``= + - @`` or a tab) get a leading apostrophe: the
content is hostile until proven otherwise, and the CSV is opened by
citizens' spreadsheet programs.
"""

from __future__ import annotations

import csv
import io

from .schemas import CSV_COLUMNS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        value = ";".join(value)
    text = str(value).replace("\r\n", " ").replace("\n", " ")
    return "'" + text if text.startswith(_FORMULA_START) else text


def catalog_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
