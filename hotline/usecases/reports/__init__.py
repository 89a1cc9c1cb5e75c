"""Reports: what the page, the jobs and the command line do with the scheduled analysis of calls.

  compute.py   ReportCalculator: one report from the sources (hotline/ports.py, "reports")
  sources.py   the triage and staffing figures folded from their rows
  reading.py   Reports: stored or live, kept when complete, with the previous period and labels
  jobs.py      ReportJobs: a period on demand, the nightly run, its schedule in the job queue

The arithmetic (periods, windows, tallies, figures, renderings) is the pure core in
hotline/reports/; the SQL behind the ports is in hotline/store/report_*.py.
"""
from hotline.usecases.reports.compute import ReportCalculator
from hotline.usecases.reports.jobs import ReportJobs
from hotline.usecases.reports.reading import Reports, ReportView

__all__ = ["ReportCalculator", "ReportJobs", "ReportView", "Reports"]
