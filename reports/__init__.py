"""The quarterly Audit Panel pack: figures, past states, tables, charts, Excel and HTML.

pandas, matplotlib and openpyxl only; no SQL and no botbuilder: the store hands the tracker over as
tables (store.queries.tables.load_tables), and the bot and the CLI pass them in.
"""

from reports.asof import State, state_as_of
from reports.figures import FIGURE_KEYS, compute_figures, pct_half_up
from reports.frames import Frames, Tables, frames_from_tables
from reports.report import Report, build_report, figures_as_of, history_since, report_from_frames

__all__ = [
    "FIGURE_KEYS",
    "Frames",
    "Report",
    "State",
    "Tables",
    "build_report",
    "compute_figures",
    "figures_as_of",
    "frames_from_tables",
    "history_since",
    "pct_half_up",
    "report_from_frames",
    "state_as_of",
]
