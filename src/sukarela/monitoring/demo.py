"""Demo programme, monitoring: budgets for the nation, the two demo provinces and Kab. Bogor, the
aggregates refreshed over everything the other apps' demos made, and last month's programme report
(PDF and XLSX) of the nation, Jawa Barat and Kab. Bogor, as the monthly schedule would have built it.
Every amount is synthetic.

Idempotent: budgets and reports that exist are kept; the refresh is incremental.
"""

from decimal import Decimal

from django.utils import timezone

from sukarela.core.models import User
from sukarela.monitoring.models import Budget, Report, ReportFormat
from sukarela.monitoring.periods import add_months, month_start
from sukarela.monitoring.services import budget as budgets
from sukarela.monitoring.services import refresh as refreshing
from sukarela.monitoring.services import reports

# (region code or None for the nation, Rp a year): roughly Rp 45 juta a TKS a year, scaled down.
BUDGETS = [(None, Decimal("29880000000")), ("32", Decimal("2400000000")), ("52", Decimal("1350000000")),
           ("32.01", Decimal("620000000"))]
REPORT_REGIONS = [None, "32", "32.01"]


def build(ctx) -> None:
    national = User.objects.get(username="nasional")
    today = timezone.localdate()
    made = 0
    for code, amount in BUDGETS:
        for year in (today.year - 1, today.year):
            if not Budget.objects.filter(region_id=code, year=year).exists():
                budgets.set_budget(national, code or "", year, amount, "Anggaran demo (sintetis)")
                made += 1
    result = refreshing.refresh(full=True)
    last_month = add_months(month_start(today), -1)
    built = 0
    for code in REPORT_REGIONS:
        for fmt in ReportFormat.values:
            if Report.objects.filter(region_id=code, month=last_month, fmt=fmt, state="done").exists():
                continue
            report = reports.request_report(national, code or "", last_month, fmt, scheduled=True)
            reports.build(report)
            built += 1
    ctx.out.write(f"  monitoring: {made} budgets, aggregates of {result.months} months refreshed in "
                  f"{result.seconds:.1f} s, {built} monthly reports built\n")
