"""A streaming .xlsx writer for the exports: each row goes to the file as it is made, as plain XML text.

Why not openpyxl here: its write-only mode streams too, but without lxml (not a dependency) it writes
each cell through a pure-Python XML tree at about a millisecond a row, so 100,000 actions with a
million history rows took many minutes (issue 25). The exports need a small, fixed part of the format:
text (inline strings), numbers, dates and date-times, a bold header row, text kept from being read as a
formula (quote prefix), column widths and a frozen header. Reading is still openpyxl's (the import), and
tests/store/workbook/test_export_stream.py checks the result cell for cell against openpyxl's own.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterable
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from domain.text import clean

__all__ = ["Sheet", "StreamedWorkbook"]

# Text starting with these would be read by spreadsheet programs as a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@")
# Cell styles (indexes into styles.xml's cellXfs below).
PLAIN, BOLD, DAY, MOMENT, QUOTED = 0, 1, 2, 3, 4
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


class Sheet:
    """Where one sheet is being written: rows of values, each cell written as the exports want it.

    Text is cleaned by the one rule (domain.text.clean: no control characters, so nothing XML cannot
    hold), a tuple is written as its items joined by commas, True/False as yes/no, and text starting
    like a formula gets the quote prefix so no spreadsheet program runs it (formula injection)."""

    def __init__(self, out: IO[bytes], columns: int):
        self.out = out
        self._letters = [get_column_letter(i) for i in range(1, columns + 1)]

    def header(self, names: Iterable[str]) -> None:
        cells = "".join(
            f'<c r="{letter}1" s="{BOLD}" t="inlineStr"><is><t xml:space="preserve">{escape(name)}</t></is></c>'
            for letter, name in zip(self._letters, names)
        )
        self.out.write(f'<row r="1">{cells}</row>'.encode())

    def row(self, number: int, values: Iterable[Any]) -> None:
        """Row ``number`` (from 2); None leaves a cell empty. One pass, no call per cell but the
        cleaning: a million history rows go through here."""
        parts = [f'<row r="{number}">']
        add = parts.append
        for letter, value in zip(self._letters, values):
            if value is None:
                continue
            if isinstance(value, tuple):
                if not value:
                    continue
                value = ", ".join(value)
            elif value is True or value is False:
                value = "yes" if value else "no"
            if isinstance(value, str):
                text = clean(value)
                style = f' s="{QUOTED}"' if text.startswith(_FORMULA_START) else ""
                add(
                    f'<c r="{letter}{number}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
                )
            elif isinstance(value, datetime):
                add(f'<c r="{letter}{number}" s="{MOMENT}"><v>{to_excel(value)}</v></c>')
            elif isinstance(value, date):
                add(f'<c r="{letter}{number}" s="{DAY}"><v>{to_excel(value)}</v></c>')
            else:
                add(f'<c r="{letter}{number}"><v>{value}</v></c>')
        add("</row>")
        self.out.write("".join(parts).encode("utf-8"))


class StreamedWorkbook:
    """Sheets written one after another straight into the zip file; ``close`` writes the rest."""

    def __init__(self, path: str | Path):
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._titles: list[str] = []

    def sheet(self, title: str, widths: list[float], *, freeze_header: bool = False) -> "_SheetWriter":
        self._titles.append(title)
        return _SheetWriter(self._zip, len(self._titles), widths, freeze_header)

    def close(self) -> None:
        n = len(self._titles)
        sheets = "".join(
            f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, t in enumerate(self._titles, 1)
        )
        self._zip.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f"<sheets>{sheets}</sheets></workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        self._zip.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG}">{rels}</Relationships>')
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        kinds = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{kinds}.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        self._zip.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{kinds}.styles+xml"/>{overrides}</Types>',
        )
        self._zip.close()


class _SheetWriter:
    def __init__(self, archive: zipfile.ZipFile, index: int, widths: list[float], freeze_header: bool):
        self._archive, self._index, self._widths, self._freeze = archive, index, widths, freeze_header
        self._out: IO[bytes] | None = None

    def __enter__(self) -> Sheet:
        self._out = self._archive.open(f"xl/worksheets/sheet{self._index}.xml", "w", force_zip64=True)
        pane = (
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            if self._freeze
            else ""
        )
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(self._widths, 1))
        head = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
        )
        self._out.write(head.encode("utf-8"))
        return Sheet(self._out, len(self._widths))

    def __exit__(self, *exc: object) -> None:
        assert self._out is not None
        self._out.write(b"</sheetData></worksheet>")
        self._out.close()
