"""Reports: the scheduled analysis of calls (报告：来电的定期分析).

A report covers one period (a day, 7 days or a month of local dates) and gives, per
line and overall, only aggregate figures: counts, rates, means and breakdowns. No
caller key, number, note or answer text ever leaves the database into a report; the
SQL adapter returns sums and counts, and the store keeps those figures alone.

Layout: this package is the pure core — plain data and a `now` in, plain data out;
no database, no Redis, no framework (checked by tests/unit/test_architecture.py):
  periods.py      what "day", "week" and "month ending DATE" mean, and the period before
  windows.py      a period as UTC instants, one window per time zone of the lines
  tally.py        additive partial sums per line (ReportTally), and folding hour buckets into them
  figures.py      finishing a tally into figures: rates, means, breakdowns
  rollovers.py    rolled over in/out, from each rolled-over call's event sequence
  triage_counts.py, staffing.py   counting triage records; staffed hours and coverage gaps
  report.py       a Report: the figures per line and overall, assembled and put in order
  stored.py       a Report as the aggregate rows the store keeps, and back
  schedule.py     the nightly run's settings, next time and job ids
  metrics.py      the catalogue of figures: ids, zh/en labels, units, order
  compare.py      this period against the previous one
  view.py, labels.py, export.py   what the page, CSV/XLSX/JSON and the terminal show
Around it: the use cases in hotline/usecases/reports/ (compute a report from the
sources, stored or live, the jobs and the schedule), the SQL behind their ports in
hotline/store/report_queries.py, report_sources.py and report_store.py (the GROUP BY
queries return plain rows of sums), the entry points hotline/web/reports.py,
hotline/jobs/reports.py and hotline/cli/report.py, and the generated calls, triage
records and rosters in hotline/devtools/synthetic_*.py (tests, benchmark, demos).

Definitions (tested in tests/unit/core/reports, tests/unit/usecases/test_reports_*.py and
tests/integration/reports):

- Period: `day` is the local date END; `week` the 7 local dates ending with END;
  `month` the dates after the same day-of-month one month earlier up to END, i.e.
  exactly the calendar month when END is a month's last day (a month ending
  2026-10-31 is 10-01…10-31; one ending 10-15 is 09-16…10-15). The previous period
  is the same kind ending the day before the first date.
- Time zone: day boundaries, hour of day and weekday are those of the line's zone
  (each line's `timezone`, Asia/Shanghai by default). Lines are grouped by zone and
  each group is queried with its own window; "overall" sums the lines.
- A call's line: its last `line_id` (the queue it was last in). A call that never
  joined a queue (sent to another line at once, or nothing open) has no line_id and
  counts on the line that owns the dialled number; otherwise on "unassigned".
  A counselor's transfer into another hosted line's queue moves the call there.
- offered: calls received (received_at) in the period on the line.
- answered: answered_at is set. abandoned: outcome = abandoned; the wait before
  abandoning is the call's wait_seconds (the queue time), given as a mean and in
  buckets (0-5, 5-20, 20-60, 60-120, 120+ s; each from its lower bound up to
  but not including the upper). short abandons: abandoned with a
  wait under 5 s (a missing wait counts as 0).
- voicemail, transferred, info_only: outcome is that value.
- rolled over out of L: rollover events of the call leaving L's queue; rolled over
  in to L: the step that followed a rollover (joining L's queue or a transfer to L).
  Counted in the period in which the call was received; a call rolled over twice
  counts twice. `offered` counts each call once, on its last line.
- answer rate: answered / offered.
- service level 20 s (60 s): answered with wait_seconds ≤ 20 (60) divided by
  (offered − short abandons). Leaving out callers who hang up within 5 s is the
  common contact-center convention: they dialled by mistake or changed their mind,
  and no staffing could have reached them. Answered calls without a recorded wait
  count in the denominator but not as within the threshold.
- ASA (average speed of answer): mean wait_seconds of answered calls (the wait
  includes time in earlier queues, since a rolled-over caller keeps the arrival).
- talk: mean talk_seconds of calls with a recorded talk time.
- wrap-up: mean time from the end of talk (the call's ended_at) to the counselor
  becoming available again, from `wrap_up_ended` call events. The console does not
  record that event yet (presence lives only in Redis), so this figure is null with
  a note until it does; nothing is estimated.
- repeat callers: the number of distinct caller keys with two or more calls in the
  period (per line: on that line; overall: on any lines). Anonymous callers and
  calls without a key are left out. Only the count leaves the database.
- calls by hour and weekday (the heat map): offered calls by the local weekday
  (Monday = 0) and hour of reception.
- triage (triage_counts.py, per line of the record's call): assessments and risk
  levels (current level) of the period's calls; concerns and population levels from
  their answers, decrypted in memory and counted (a call with two concerns counts
  for each); referrals made = created in the period; completed = reaching
  `completed` in the period; overdue follow-ups = a backlog at the end of the
  period (or now, if earlier): follow-up tasks due and not done by then, plus open
  referrals whose reminder had fallen due by then (replayed from their history).
- staffing (staffing.py): staffed hours = rostered shift hours inside the
  period; open hours = hours any of the line's numbers is open; coverage gaps
  (hosted lines only) = stretches and missing seat-hours where fewer seats are
  rostered than the slots require, as the shifts core's coverage() computes them.
- A source whose store is not installed gives null figures with a note, never 0.
"""
