"""Monthly reports an officer may see: those of their region and the regions below it (the national
report only for national officers). Out of scope is absent, and a direct request answers 404."""

from django.http import Http404

from sukarela.core.scope import get_scoped_or_404, scoped
from sukarela.monitoring.models import Report, ReportState
from sukarela.regions.models import Region


def report_list(user):
    return scoped(user, Report.objects.select_related("region", "requested_by")).order_by("-requested_at", "-pk")


def report_for(user, pk) -> Report:
    return get_scoped_or_404(user, Report.objects.select_related("region", "requested_by"), pk=pk)


def done_report_for(user, pk) -> Report:
    """A report whose file can be downloaded; 404 while it is being built or when it failed."""
    report = report_for(user, pk)
    if report.state != ReportState.DONE or not report.path:
        raise Http404("Not built")
    return report


def region_choices(user) -> list[tuple[str, str]]:
    """What the request form offers: the officer's own region and the regions right below it
    (the nation and its provinces, a province and its regencies, a regency alone)."""
    root = getattr(user, "scope_code", None)
    if root is None:
        return []
    if root == "":
        own = [("", "Indonesia")]
        below = Region.objects.filter(level=1, active=True)
    else:
        region = Region.objects.filter(code=root).first()
        if region is None:
            return []
        own = [(region.code, f"{region.name} ({region.code})")]
        below = Region.objects.filter(parent_id=root, active=True, level=2) if region.level == 1 else []
    return own + [(r.code, f"{r.name} ({r.code})") for r in below]
