"""The tracker workbook (.xlsx): all-or-nothing import and a lossless export, per the spec."""

from store.workbook.exporter import export_workbook
from store.workbook.importer import ImportResult, import_workbook
from store.workbook.reader import ImportProblem, WorkbookError

__all__ = ["export_workbook", "import_workbook", "ImportResult", "ImportProblem", "WorkbookError"]
