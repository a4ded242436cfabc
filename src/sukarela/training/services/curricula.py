"""Curriculum templates and their modules: programme-wide, so national officers keep them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sukarela.core import audit
from sukarela.training.models import Curriculum, Module
from sukarela.training.permissions import require_national
from sukarela.training.services.common import assign, fields_of, save_audited

CURRICULUM_FIELDS = ("name", "description")
MODULE_FIELDS = ("order", "code", "title", "outcomes", "planned_hours", "mode", "assessment", "pass_mark")


def check_module(module) -> None:
    errors = {}
    if module.planned_hours is not None and int(module.planned_hours) < 1:
        errors["planned_hours"] = _("Jam rencana minimal 1.")
    if module.pass_mark is not None and not 0 <= float(module.pass_mark) <= 100:
        errors["pass_mark"] = _("Nilai lulus harus antara 0 dan 100.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_curriculum(actor, **data) -> Curriculum:
    require_national(actor)
    curriculum = Curriculum()
    assign(curriculum, data, CURRICULUM_FIELDS)
    save_audited(actor, curriculum, action="create")
    return curriculum


@transaction.atomic
def update_curriculum(actor, curriculum: Curriculum, **data) -> Curriculum:
    require_national(actor)
    curriculum = Curriculum.objects.select_for_update().get(pk=curriculum.pk)
    before = audit.snapshot(curriculum, fields_of(curriculum))
    assign(curriculum, data, CURRICULUM_FIELDS)
    save_audited(actor, curriculum, action="update", before=before)
    return curriculum


@transaction.atomic
def add_module(actor, curriculum: Curriculum, **data) -> Module:
    require_national(actor)
    module = Module(curriculum=curriculum)
    assign(module, data, MODULE_FIELDS)
    module.full_clean()
    check_module(module)
    save_audited(actor, module, action="create")
    return module


@transaction.atomic
def update_module(actor, module: Module, **data) -> Module:
    require_national(actor)
    module = Module.objects.select_for_update().get(pk=module.pk)
    before = audit.snapshot(module, fields_of(module))
    assign(module, data, MODULE_FIELDS)
    module.full_clean()
    check_module(module)
    save_audited(actor, module, action="update", before=before)
    return module


@transaction.atomic
def delete_module(actor, module: Module) -> None:
    """Cohorts hold their own copies, so a template module can always go."""
    require_national(actor)
    audit.record(actor, "delete", module, {"title": [module.title, None]})
    module.delete()
