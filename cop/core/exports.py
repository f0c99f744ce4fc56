"""Tables as downloads: CSV (UTF-8 with a BOM, so spreadsheet apps read the accents) and
XLSX (openpyxl). Cells are already in the viewer's language and zone: the caller
formats them; this module only writes, and keeps spreadsheets from running a cell as a
formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

Cell = str | int | float | None

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Cell) -> Cell:
    """A text cell that starts like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """The table as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """The table as an XLSX workbook of one sheet, the header row bold and frozen."""
    from openpyxl import Workbook  # loaded by the first spreadsheet, not at start (memory)
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31] or "Sheet"
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row in rows:
        cells = [safe_cell(c) for c in row]
        sheet.append(cells)
        widths = [max(w, len(str(c or ""))) for w, c in zip(widths, cells, strict=False)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(
            60, width + 2
        )
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_response(
    kind: str, filename: str, title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]
) -> Response:
    """The table as a ``csv`` or ``xlsx`` download named ``filename`` (without extension)."""
    if kind == "xlsx":
        data, mimetype = xlsx_bytes(title, headers, rows), XLSX
    else:
        data, mimetype = csv_bytes(headers, rows), "text/csv"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
