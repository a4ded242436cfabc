"""The tracer survey's public form, reached by the private link in the alumnus's e-mail. No login.
An unknown link answers 404, a used or expired one 410, both with the same page that names nobody.
POSTs are counted per address like the recruitment public forms (core.throttle)."""

from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sukarela.alumni import selectors
from sukarela.alumni.forms import SurveyForm
from sukarela.alumni.services import surveys
from sukarela.core.throttle import over_limit
from sukarela.core.web import service_errors_to_form


def limited(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and over_limit("alumni_survey", request.META.get("REMOTE_ADDR", "-")):
            return render(request, "recruitment/too_many.html", status=429)
        return view(request, *args, **kwargs)
    return wrapper


def _gone(request, status):
    return render(request, "alumni/survey_gone.html", status=status)


@limited
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    try:
        found = selectors.survey_by_token(token)
    except Http404:
        return _gone(request, 404)
    if surveys.state_of(found) != surveys.LinkState.OPEN:
        return _gone(request, 410)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.answer(found, **form.outcome())
        except ValidationError as exc:
            if getattr(exc, "code", None) in (surveys.LinkState.USED, surveys.LinkState.EXPIRED):
                return _gone(request, 410)  # answered or expired while the form was open
            service_errors_to_form(form, exc)
        else:
            return render(request, "alumni/survey_thanks.html")
    status = 422 if request.method == "POST" else 200
    # The token is in the address; the site-wide Referrer-Policy (same-origin) keeps it from other
    # sites ("no-referrer" would make the browser send Origin: null, which the CSRF check refuses).
    return render(request, "alumni/survey_form.html", {"form": form, "wave": found.wave}, status=status)


urlpatterns = [
    path("alumni/survei/<str:token>/", survey, name="survey"),
]
