"""Training pages: curriculum templates and their modules.

Every officer reads the templates (a district plans its cohorts from them); only national
officers change them, and the services refuse anyone else (403).
"""

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sukarela.core.exporting import export_response
from sukarela.core.views import officer_required
from sukarela.core.web import run_service
from sukarela.training import exports, selectors
from sukarela.training.forms import CurriculumForm, ModuleForm
from sukarela.training.models import Module
from sukarela.training.permissions import require_national
from sukarela.training.services import curricula as service


def _module_for(user, pk) -> Module:
    try:
        return Module.objects.select_related("curriculum").get(pk=pk, curriculum__in=selectors.curricula_for(user))
    except (Module.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _next_order(curriculum) -> int:
    last = curriculum.modules.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@officer_required
def curriculum_list(request):
    curricula = selectors.curricula_for(request.user).annotate(hours=Sum("modules__planned_hours"))
    exported = export_response(request, _("Kurikulum pelatihan"), "kurikulum", exports.CURRICULUM_COLUMNS, curricula)
    if exported:
        return exported
    return render(request, "training/curriculum_list.html", {"curricula": curricula})


def _detail(request, curriculum, module_form=None, status=200):
    modules = list(curriculum.modules.all())
    if module_form is None and request.user.is_national:
        module_form = ModuleForm(initial={"order": _next_order(curriculum)})
    return render(request, "training/curriculum_detail.html", {
        "curriculum": curriculum, "modules": modules, "total_hours": sum(m.planned_hours for m in modules),
        "module_form": module_form, "n_cohorts": curriculum.cohorts.count()}, status=status)


@officer_required
def curriculum_detail(request, pk: int):
    return _detail(request, selectors.curriculum_for(request.user, pk))


@officer_required
@require_http_methods(["GET", "POST"])
def curriculum_create(request):
    require_national(request.user)
    form = CurriculumForm(request.POST or None)
    if request.method == "POST":
        curriculum = run_service(form, lambda: service.create_curriculum(request.user, **form.cleaned_data))
        if curriculum is not None:
            messages.success(request, _("Kurikulum dibuat. Sekarang tambahkan modulnya."))
            return redirect("training:curriculum_detail", pk=curriculum.pk)
    return render(request, "training/curriculum_form.html", {"form": form, "curriculum": None})


@officer_required
@require_http_methods(["GET", "POST"])
def curriculum_edit(request, pk: int):
    require_national(request.user)
    curriculum = selectors.curriculum_for(request.user, pk)
    initial = {f: getattr(curriculum, f) for f in service.CURRICULUM_FIELDS}
    form = CurriculumForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if run_service(form, lambda: service.update_curriculum(request.user, curriculum, **form.cleaned_data)):
            messages.success(request, _("Perubahan disimpan."))
            return redirect("training:curriculum_detail", pk=curriculum.pk)
    return render(request, "training/curriculum_form.html", {"form": form, "curriculum": curriculum})


@officer_required
@require_POST
def module_create(request, pk: int):
    require_national(request.user)
    curriculum = selectors.curriculum_for(request.user, pk)
    form = ModuleForm(request.POST)
    if run_service(form, lambda: service.add_module(request.user, curriculum, **form.cleaned_data)):
        messages.success(request, _("Modul ditambahkan."))
        return redirect("training:curriculum_detail", pk=curriculum.pk)
    # The detail page again, with the refused form and its errors where the user typed.
    return _detail(request, curriculum, module_form=form)


@officer_required
@require_http_methods(["GET", "POST"])
def module_edit(request, pk: int):
    require_national(request.user)
    module = _module_for(request.user, pk)
    form = ModuleForm(request.POST or None, initial={f: getattr(module, f) for f in service.MODULE_FIELDS})
    if request.method == "POST":
        if run_service(form, lambda: service.update_module(request.user, module, **form.cleaned_data)):
            messages.success(request, _("Modul disimpan."))
            return redirect("training:curriculum_detail", pk=module.curriculum_id)
    return render(request, "training/curriculum_module_form.html", {"form": form, "module": module})


@officer_required
@require_POST
def module_delete(request, pk: int):
    require_national(request.user)
    module = _module_for(request.user, pk)
    curriculum_id = module.curriculum_id
    service.delete_module(request.user, module)
    messages.success(request, _("Modul %(title)s dihapus.") % {"title": module.title})
    return redirect("training:curriculum_detail", pk=curriculum_id)


urlpatterns = [
    path("pelatihan/kurikulum/", curriculum_list, name="curriculum_list"),
    path("pelatihan/kurikulum/baru/", curriculum_create, name="curriculum_create"),
    path("pelatihan/kurikulum/<int:pk>/", curriculum_detail, name="curriculum_detail"),
    path("pelatihan/kurikulum/<int:pk>/ubah/", curriculum_edit, name="curriculum_edit"),
    path("pelatihan/kurikulum/<int:pk>/modul/", module_create, name="module_create"),
    path("pelatihan/modul/<int:pk>/ubah/", module_edit, name="module_edit"),
    path("pelatihan/modul/<int:pk>/hapus/", module_delete, name="module_delete"),
]
