"""A table as CSV (a header row, then one line per row) or JSON (a list of objects).

In CSV an empty cell is a missing value, booleans are `true`/`false`, and lists and objects
(topics, an audit entry's detail) are written as JSON text, so every cell reads back unambiguously.
"""

from __future__ import annotations

import csv
import io
import json

from bot.export.model import Format, Table, Value


def csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_table(table: Table, format: Format) -> str:
    if format is Format.JSON:
        return json.dumps(table.rows, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([csv_cell(row[column]) for column in table.columns])
    return out.getvalue()
