"""The budget page and API through the scope harness: budgets inside the officer's region are
listed (never another region's), set within it (audited), refused outside it."""

from decimal import Decimal

from django.urls import reverse

from sukarela.monitoring.models import Budget
from tests.scope_harness import ListCase, RouteCase


def budget(where: str) -> Budget:
    code = "32.01" if where == "in" else "32.02"
    return Budget.objects.create(region_id=code, year=2025, amount=Decimal("123000000"),
                                 note=f"Anggaran {'Bogor' if where == 'in' else 'Sukabumi'} uji")


class BudgetRoute(RouteCase):
    def make(self, world, where):
        return budget(where)

    def marker(self, obj):
        return obj.note


class TestBudgetPage(ListCase, BudgetRoute):
    route = "monitoring:budget"

    def url(self, obj):
        return reverse("monitoring:budget")

    outsider_status = 200  # their own (empty) list, without Bogor's


class TestBudgetPageRefusesFieldRoles(BudgetRoute):
    route = "monitoring:budget"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return reverse("monitoring:budget")


class TestBudgetSet(RouteCase):
    route = "monitoring:budget"
    method = "post"
    ok_status = 302
    outsider = "district_other"
    outsider_status = 200  # the form again, naming the region as outside their work area
    audit_action = "create_budget"

    def url(self, obj):
        return reverse("monitoring:budget")

    def data(self, obj, world):
        return {"region": "32.01", "year": "2025", "amount": "1.500.000.000", "note": "APBN"}


class TestBudgetListApi(ListCase, BudgetRoute):
    route = "GET /api/monitoring/budgets"
    outsider_status = 200

    def url(self, obj):
        return "/api/monitoring/budgets"

    def expected_count(self, world):
        return 1


class TestBudgetListApiRefusesFieldRoles(BudgetRoute):
    route = "GET /api/monitoring/budgets"
    outsider = "tks_in"
    outsider_status = 403

    def url(self, obj):
        return "/api/monitoring/budgets"


class TestBudgetPutApi(RouteCase):
    route = "PUT /api/monitoring/budgets"
    method = "put"
    ok_status = 201
    outsider = "district_other"
    audit_action = "create_budget"

    def url(self, obj):
        return "/api/monitoring/budgets"

    def data(self, obj, world):
        return {"region": "32.01", "year": 2025, "amount": 1_500_000_000, "note": "APBN"}


class TestBudgetPutApiRefusesFieldRoles(TestBudgetPutApi):
    outsider = "tks_in"
    outsider_status = 403
