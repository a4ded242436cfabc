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
    """Field checks, the model's own and ours, all at once and each on its field.

    Django reports a two-field unique constraint (curriculum, code) as a form-wide error,
    so the duplicate code is checked here to name the `code` field instead."""
    errors = {}
    try:
        module.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if "planned_hours" not in errors and module.planned_hours is not None and int(module.planned_hours) < 1:
        errors["planned_hours"] = [_("Jam rencana minimal 1.")]
    if "pass_mark" not in errors and module.pass_mark is not None and not 0 <= float(module.pass_mark) <= 100:
        errors["pass_mark"] = [_("Nilai lulus harus antara 0 dan 100.")]
    if "code" not in errors and Module.objects.filter(curriculum_id=module.curriculum_id, code=module.code).exclude(
            pk=module.pk).exists():
        errors["code"] = [_("Kode %(code)s sudah dipakai modul lain di kurikulum ini.") % {"code": module.code}]
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
    check_module(module)
    save_audited(actor, module, action="create")
    return module


@transaction.atomic
def update_module(actor, module: Module, **data) -> Module:
    require_national(actor)
    module = Module.objects.select_for_update().get(pk=module.pk)
    before = audit.snapshot(module, fields_of(module))
    assign(module, data, MODULE_FIELDS)
    check_module(module)
    save_audited(actor, module, action="update", before=before)
    return module


@transaction.atomic
def delete_module(actor, module: Module) -> None:
    """Cohorts hold their own copies, so a template module can always go."""
    require_national(actor)
    audit.record(actor, "delete", module, {"title": [module.title, None]})
    module.delete()
