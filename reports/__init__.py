"""The quarterly Audit Panel pack: figures, past states, tables, charts, Excel and HTML.

pandas, matplotlib and openpyxl only; no botbuilder (the bot calls in through store sessions).
"""
from reports.asof import State, state_as_of
from reports.figures import FIGURE_KEYS, compute_figures, pct_half_up
from reports.frames import Frames, load_frames
from reports.report import Report, build_report, figures_as_of, history_since, report_from_frames

__all__ = ["FIGURE_KEYS", "Frames", "Report", "State", "build_report", "compute_figures", "figures_as_of",
           "history_since", "load_frames", "pct_half_up", "report_from_frames", "state_as_of"]
