"""Curriculum templates: national officers keep them, every officer reads them, and a
cohort keeps its own copy of the modules whatever later happens to the template."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sukarela.core.models import AuditEvent
from sukarela.training.models import CohortModule, Curriculum, Module
from sukarela.training.services import curricula

MODULE = {"order": 1, "code": "orientasi", "title": "Orientasi program", "outcomes": "Memahami program",
          "planned_hours": 16, "mode": "classroom", "assessment": "Tes tertulis", "pass_mark": 70}


def _post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


# --- services ------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["provincial", "district", "tks_in"])
def test_only_national_officers_write_curricula(world, curriculum, who):
    actor = getattr(world, who)
    module = curriculum.modules.first()
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        curricula.create_curriculum(actor, name="Tidak boleh")
    with pytest.raises(PermissionDenied):
        curricula.update_curriculum(actor, curriculum, name="Tidak boleh")
    with pytest.raises(PermissionDenied):
        curricula.add_module(actor, curriculum, **{**MODULE, "code": "baru"})
    with pytest.raises(PermissionDenied):
        curricula.update_module(actor, module, title="Tidak boleh")
    with pytest.raises(PermissionDenied):
        curricula.delete_module(actor, module)
    assert AuditEvent.objects.count() == before
    assert not Curriculum.objects.filter(name="Tidak boleh").exists()
    assert curriculum.modules.count() == 3


def test_writes_are_audited_with_their_changes(world):
    c = curricula.create_curriculum(world.national, name="Kurikulum Audit")
    m = curricula.add_module(world.national, c, **MODULE)
    curricula.update_module(world.national, m, planned_hours=20)
    events = list(AuditEvent.objects.order_by("id").values_list("action", "changes"))[-3:]
    assert [e[0] for e in events] == ["create", "create", "update"]
    assert events[2][1]["planned_hours"] == [16, 20]


def test_a_duplicate_code_is_named_on_the_code_field(world, curriculum):
    with pytest.raises(ValidationError) as caught:
        curricula.add_module(world.national, curriculum, **{**MODULE, "code": "peran", "order": 9})
    assert set(caught.value.message_dict) == {"code"}
    assert "peran" in caught.value.message_dict["code"][0]
    other = curriculum.modules.get(code="lapangan")
    with pytest.raises(ValidationError) as caught:
        curricula.update_module(world.national, other, code="orientasi")
    assert set(caught.value.message_dict) == {"code"}
    other.refresh_from_db()
    assert other.code == "lapangan"


def test_the_same_code_is_fine_in_another_curriculum(world, curriculum):
    c = curricula.create_curriculum(world.national, name="Kurikulum Lain")
    assert curricula.add_module(world.national, c, **MODULE).code == curriculum.modules.first().code


def test_a_module_keeps_its_own_code_on_update(world, curriculum):
    module = curriculum.modules.get(code="peran")
    assert curricula.update_module(world.national, module, title="Empat peran").code == "peran"


@pytest.mark.parametrize("field, value", [("pass_mark", Decimal("100.01")), ("pass_mark", Decimal("-1")),
                                          ("planned_hours", 0)])
def test_pass_mark_and_hours_are_bounded(world, curriculum, field, value):
    with pytest.raises(ValidationError) as caught:
        curricula.add_module(world.national, curriculum, **{**MODULE, "code": "baru", field: value})
    assert field in caught.value.message_dict
    assert not curriculum.modules.filter(code="baru").exists()


@pytest.mark.parametrize("pass_mark", [Decimal(0), Decimal(100)])
def test_pass_mark_bounds_are_inclusive(world, curriculum, pass_mark):
    assert curricula.add_module(world.national, curriculum, **{**MODULE, "code": "baru", "pass_mark": pass_mark})


def test_a_curriculum_name_is_unique(world, curriculum):
    with pytest.raises(ValidationError) as caught:
        curricula.create_curriculum(world.national, name=curriculum.name)
    assert "name" in caught.value.message_dict


def test_unknown_fields_are_refused(world, curriculum):
    with pytest.raises(ValidationError) as caught:
        curricula.add_module(world.national, curriculum, **{**MODULE, "code": "baru", "cohort": 1})
    assert "cohort" in caught.value.message_dict


def test_a_cohort_copy_is_not_changed_by_editing_the_template(world, curriculum, cohort):
    copies = list(cohort.modules.values_list("code", "title", "planned_hours", "pass_mark", "mode"))
    template = curriculum.modules.get(code="orientasi")
    curricula.update_module(world.national, template, title="Orientasi baru", planned_hours=40, pass_mark=90,
                            mode="online")
    curricula.delete_module(world.national, curriculum.modules.get(code="lapangan"))
    curricula.add_module(world.national, curriculum, **{**MODULE, "code": "tambahan", "order": 9})
    curricula.update_curriculum(world.national, curriculum, name="Kurikulum Ganti Nama")
    assert list(cohort.modules.values_list("code", "title", "planned_hours", "pass_mark", "mode")) == copies
    assert copies[0] == ("orientasi", "Orientasi program", 16, Decimal(70), "classroom")
    assert CohortModule.objects.filter(cohort=cohort).count() == 3
    assert list(curriculum.modules.values_list("code", flat=True)) == ["orientasi", "peran", "tambahan"]


# --- pages ---------------------------------------------------------------------------
def test_every_officer_reads_the_catalogue(client, world, curriculum):
    client.force_login(world.district)
    body = client.get(reverse("training:curriculum_list")).content.decode()
    assert curriculum.name in body
    assert "<td>3</td><td>32</td>" in body  # modules and planned hours, each counted once
    assert reverse("training:curriculum_create") not in body
    detail = client.get(reverse("training:curriculum_detail", args=[curriculum.pk])).content.decode()
    assert "Empat peran TKS" in detail and "Praktik lapangan" in detail
    assert 'id="total-hours">32' in detail
    assert reverse("training:module_create", args=[curriculum.pk]) not in detail
    assert reverse("training:module_edit", args=[curriculum.modules.first().pk]) not in detail


def test_modules_are_shown_in_order_with_their_facts(client, world, curriculum):
    curricula.update_module(world.national, curriculum.modules.get(code="orientasi"), order=5,
                            outcomes="Menjelaskan tujuan program")
    client.force_login(world.national)
    body = client.get(reverse("training:curriculum_detail", args=[curriculum.pk])).content.decode()
    assert body.index("Empat peran TKS") < body.index("Praktik lapangan") < body.index("Orientasi program")
    assert "Menjelaskan tujuan program" in body and "Tes tertulis" in body and "Daring" in body
    assert reverse("training:module_create", args=[curriculum.pk]) in body
    assert 'name="order" value="6"' in body  # the add form proposes the next position


def test_a_national_officer_builds_a_curriculum_through_the_pages(client, world):
    client.force_login(world.national)
    response = client.post(reverse("training:curriculum_create"), {"name": "Kurikulum Halaman", "description": ""})
    curriculum = Curriculum.objects.get(name="Kurikulum Halaman")
    assert response.status_code == 302 and response["Location"] == reverse("training:curriculum_detail",
                                                                            args=[curriculum.pk])
    response = client.post(reverse("training:module_create", args=[curriculum.pk]), MODULE)
    assert response.status_code == 302
    module = curriculum.modules.get()
    response = client.post(reverse("training:module_edit", args=[module.pk]), {**MODULE, "planned_hours": 24})
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.planned_hours == 24
    response = client.post(reverse("training:curriculum_edit", args=[curriculum.pk]),
                           {"name": "Kurikulum Halaman 2", "description": "Baru"})
    assert response.status_code == 302
    curriculum.refresh_from_db()
    assert (curriculum.name, curriculum.description) == ("Kurikulum Halaman 2", "Baru")
    response = client.post(reverse("training:module_delete", args=[module.pk]))
    assert response.status_code == 302
    assert not curriculum.modules.exists()


def test_the_module_form_shows_the_services_errors_on_the_fields(client, world, curriculum):
    client.force_login(world.national)
    response = client.post(reverse("training:module_create", args=[curriculum.pk]),
                           {**MODULE, "code": "peran", "order": 4})
    assert response.status_code == 200
    form = response.context["module_form"]
    assert list(form.errors) == ["code"]
    assert "sudah dipakai" in response.content.decode()
    assert curriculum.modules.count() == 3


def test_the_module_form_refuses_bad_numbers(client, world, curriculum):
    client.force_login(world.national)
    response = client.post(reverse("training:module_create", args=[curriculum.pk]),
                           {**MODULE, "code": "baru", "planned_hours": 0, "pass_mark": 101})
    assert response.status_code == 200
    assert set(response.context["module_form"].errors) == {"planned_hours", "pass_mark"}
    module = curriculum.modules.get(code="peran")
    response = client.post(reverse("training:module_edit", args=[module.pk]), {**MODULE, "code": "orientasi"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]


def test_the_curriculum_form_names_a_duplicate(client, world, curriculum):
    client.force_login(world.national)
    response = client.post(reverse("training:curriculum_create"), {"name": curriculum.name})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert Curriculum.objects.count() == 1


def test_a_missing_module_is_404(client, world):
    client.force_login(world.national)
    assert client.get(reverse("training:module_edit", args=[999999])).status_code == 404
    assert client.get(reverse("training:curriculum_detail", args=[999999])).status_code == 404


# --- API -----------------------------------------------------------------------------
def test_curricula_over_the_api(client, world, curriculum):
    client.force_login(world.district)
    payload = client.get("/api/training/curricula").json()
    assert payload["count"] == 1
    item = payload["items"][0]
    assert item["name"] == curriculum.name and item["total_hours"] == 32
    assert [m["code"] for m in item["modules"]] == ["orientasi", "peran", "lapangan"]


def test_a_curriculum_with_its_modules_in_one_call(client, world):
    client.force_login(world.national)
    response = _post_json(client, "/api/training/curricula", {
        "name": "Lewat API", "modules": [{**MODULE, "order": None}, {**MODULE, "code": "peran", "order": None}]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(m["code"], m["order"]) for m in body["modules"]] == [("orientasi", 1), ("peran", 2)]
    added = _post_json(client, f"/api/training/curricula/{body['id']}/modules",
                       {"code": "lapangan", "title": "Lapangan", "planned_hours": 8, "mode": "field"})
    assert added.status_code == 201, added.content
    assert added.json()["order"] == 3


def test_a_refused_module_names_its_row_and_leaves_nothing(client, world):
    client.force_login(world.national)
    response = _post_json(client, "/api/training/curricula", {"name": "Setengah", "modules": [MODULE, MODULE]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "modules", 1, "code"]
    assert not Curriculum.objects.filter(name="Setengah").exists()
    assert not Module.objects.exists()


def test_a_duplicate_code_over_the_api_names_the_field(client, world, curriculum):
    client.force_login(world.national)
    response = _post_json(client, f"/api/training/curricula/{curriculum.pk}/modules", {**MODULE, "code": "peran"})
    assert response.status_code == 422
    assert [d["loc"] for d in response.json()["detail"]] == [["body", "code"]]


@pytest.mark.parametrize("field, value", [("pass_mark", 120), ("planned_hours", 0), ("mode", "kapal"),
                                          ("code", "")])
def test_the_api_schema_names_a_bad_field(client, world, curriculum, field, value):
    client.force_login(world.national)
    response = _post_json(client, f"/api/training/curricula/{curriculum.pk}/modules",
                          {**MODULE, "code": "baru", field: value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert curriculum.modules.count() == 3
