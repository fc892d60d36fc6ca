"""onpath.report: the risk-based analysis document (report.json, report.html, run.json).

`assess(snapshot_dir, country, watchlist, out_dir, thresholds=None) -> dict` runs the analysis and
writes the report; `report_from_analysis(...)` writes it for an analysis already computed.
"""

from onpath.report.api import assess, report_from_analysis

__all__ = ["assess", "report_from_analysis"]
