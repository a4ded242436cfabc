"""Pages of the core app. Thin: reads come from selectors, writes from services."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from sukarela.core import selectors, services
from sukarela.core.exporting import export_response
from sukarela.core.exports import AUDIT_COLUMNS, USER_COLUMNS
from sukarela.core.forms import TokenForm, UserForm
from sukarela.core.navigation import BY_SLUG
from sukarela.core.roles import Role, manageable_roles
from sukarela.core.web import page


def officer_required(view):
    """Signed-in programme officers only: anonymous goes to the login page, other roles get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_officer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure is what this endpoint reports
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


class ActivateView(auth_views.PasswordResetConfirmView):
    """A new account (e.g. a selected TKS) sets its first password through a one-time link."""

    template_name = "core/activate.html"
    success_url = reverse_lazy("core:login")

    def form_valid(self, form):
        messages.success(self.request, _("Kata sandi dibuat. Silakan masuk."))
        return super().form_valid(form)


# Which account this browser is signed in to, readable by scripts (the session cookie is not): an
# offline app (the field app at /lapangan/) compares it with the account its cached page belongs to,
# so on a shared phone nobody runs the app as the previous user. Set at login, removed at logout.
SIGNED_IN_COOKIE = "sukarela_user"


def mark_signed_in(response, user):
    response.set_cookie(SIGNED_IN_COOKIE, str(user.pk), max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, httponly=False)
    return response


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        return mark_signed_in(super().form_valid(form), form.get_user())


class LogoutView(auth_views.LogoutView):
    """Also clears what the browser keeps for this site, so on a shared phone the next person does
    not find the previous one's cached pages (Chromium applies the header on this redirect too).
    The field app's stored groups and queued visits go only when its own "Keluar" button asks
    (`clear_storage`), after it warned how many unsent visits would go with them: a logout from any
    other page must never silently lose a visit recorded offline. What stays is kept aside for its
    owner; the app refuses to show it to another account."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        wipe = request.POST.get("clear_storage") == "1"
        response["Clear-Site-Data"] = '"cache", "storage"' if wipe else '"cache"'
        response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    counts = selectors.role_counts(request.user) if request.user.is_officer else {}
    return render(
        request,
        "core/home.html",
        {"role_counts": [(label, counts.get(value, 0)) for value, label in Role.choices if value in counts]},
    )


@login_required
def stage(request, slug: str):
    stage = BY_SLUG.get(slug)
    if stage is None:
        raise Http404
    return render(request, "core/stage_unavailable.html", {"stage": stage})


@officer_required
def user_list(request):
    q, role, region = request.GET.get("q", "")[:80], request.GET.get("role", ""), request.GET.get("region", "")[:13]
    users = selectors.users_for(request.user, query=q, role=role if role in Role.values else "", region=region)
    exported = export_response(request, _("Pengguna"), "pengguna", USER_COLUMNS, users)
    if exported:
        return exported
    return render(
        request,
        "core/user_list.html",
        {"page": page(request, users), "q": q, "role": role, "roles": Role.choices,
         "can_create": bool(manageable_roles(request.user.role))},
    )


@officer_required
def user_detail(request, pk: int):
    user = selectors.user_for(request.user, pk)
    return render(
        request, "core/user_detail.html", {"subject": user, "can_edit": user.role in manageable_roles(request.user.role)}
    )


def _save_form(request, form, save):
    """Run a service with a bound form; its field errors land on the form's fields."""
    if not form.is_valid():
        return None
    try:
        return save(form.service_data())
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@officer_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        user = _save_form(request, form, lambda data: services.create_user(request.user, **data))
        if user is not None:
            messages.success(request, _("Pengguna %(u)s dibuat.") % {"u": user.username})
            return redirect("core:user_detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form, "subject": None})


@officer_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    subject = selectors.user_for(request.user, pk)
    if subject.role not in manageable_roles(request.user.role):
        raise PermissionDenied
    form = UserForm(request.POST or None, actor=request.user, instance=subject)
    if request.method == "POST":
        user = _save_form(request, form, lambda data: services.update_user(request.user, subject, **data))
        if user is not None:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("core:user_detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form, "subject": subject})


@login_required
def audit_list(request):
    target_type = request.GET.get("target_type", "")[:80]
    target_id = request.GET.get("target_id", "")[:200]
    actor = request.GET.get("actor", "")[:60]
    events = selectors.audit_events(request.user, target_type=target_type, target_id=target_id, actor=actor)
    exported = export_response(request, _("Jejak audit"), "jejak-audit", AUDIT_COLUMNS, events)
    if exported:
        return exported
    return render(
        request,
        "core/audit_list.html",
        {"page": page(request, events), "target_type": target_type, "target_id": target_id, "actor": actor,
         "target_types": selectors.audit_target_types()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        token = selectors.tokens_of(request.user).filter(pk=request.POST.get("revoke")).first()
        if token is None:
            raise Http404
        services.revoke_api_token(request.user, token)
        messages.success(request, _("Token dicabut."))
        return redirect("core:account")
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.create_api_token(request.user, request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request, "core/account.html", {"form": form, "tokens": selectors.tokens_of(request.user), "new_token": new_token}
    )
