"""The citizens' pages: no login, no cookie, no session, nothing stored but a request for an
appointment. The language is chosen by `?lang=en` (a cookie would be one more thing kept),
and the forms post without a CSRF cookie: nobody is logged in here, and the request form has
its own defences (rate limits per address and per phone, a honeypot, a minimum time, a
site's daily cap)."""

from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from koinotita.lib import phones
from koinotita.lib.forms import add_service_errors
from koinotita.public import selectors
from koinotita.public.forms import (
    MemberFormSet,
    MunicipalityForm,
    RequestForm,
    SelfCheckForm,
    facts_from_answers,
)
from koinotita.reception import services as reception
from koinotita.reception.models import RequestRefusal


def public_page(view):
    """Greek unless `?lang=en` (or a form's `lang`); never a cookie; cacheable by nobody."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = "en" if request.GET.get("lang", request.POST.get("lang")) == "en" else "el"
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response["Content-Language"] = language
        response["Cache-Control"] = "no-store" if request.method == "POST" else "max-age=60"
        return response

    return csrf_exempt(wrapped)


def _render(request, template, context=None, status=200):
    english = request.LANGUAGE_CODE == "en"
    context = {
        "english": english,
        "lang_query": "?lang=en" if english else "",
        "lang_and": "lang=en&" if english else "",
        "other_language_query": "" if english else "?lang=en",
        **(context or {}),
    }
    return render(request, template, context, status=status)


@public_page
@require_GET
def index(request):
    """Every centre, and "which site serves me?" by municipality (antennas included)."""
    form = MunicipalityForm(
        request.GET if "municipality" in request.GET else None,
        municipalities=selectors.municipality_list(),
    )
    sites = selectors.sites_serving(form.cleaned_data["municipality"]) if form.is_valid() else []
    context = {"form": form, "sites": sites, "centres": selectors.centre_list()}
    return _render(request, "public/index.html", context)


@public_page
@require_GET
def centre_detail(request, code: str):
    centre = selectors.centre_get(code)
    context = {"centre": centre, "axes": selectors.service_axes()}
    return _render(request, "public/centre.html", context)


@public_page
@require_GET
def programme_list(request):
    query = request.GET.get("q", "")[:100]
    context = {"programmes": selectors.programme_search(query), "q": query}
    return _render(request, "public/programmes.html", context)


@public_page
@require_GET
def programme_detail(request, code: str):
    programme = next((p for p in selectors.programme_search() if p.code == code), None)
    if programme is None:
        return _render(request, "public/not_found.html", status=404)
    return _render(request, "public/programme.html", {"programme": programme})


@public_page
@require_http_methods(["GET", "POST"])
def self_check(request):
    """A few questions, the staff pre-screening's rules, the answer on the page. Posted (so
    that the answers are in no address, history or access log) and never stored."""
    posted = request.method == "POST"
    form = SelfCheckForm(request.POST if posted else None)
    members = MemberFormSet(request.POST if posted else None, prefix="members")
    place = MunicipalityForm(
        request.POST if posted and request.POST.get("municipality") else None,
        municipalities=selectors.municipality_list(),
    )
    results, sites = None, []
    if posted and form.is_valid() and members.is_valid():
        try:
            results = selectors.self_check(facts_from_answers(form, members), timezone.localdate())
        except ValidationError as exc:
            add_service_errors(form, exc)
        if place.is_bound and place.is_valid():
            sites = selectors.sites_serving(place.cleaned_data["municipality"])
    context = {
        "form": form,
        "members": members,
        "place": place,
        "results": results,
        "sites": sites,
        "today": timezone.localdate(),
    }
    return _render(request, "public/check.html", context)


def _phone_key(group, request):
    return phones.e164(request.POST.get("phone", "")) or "none"


def _limited(request) -> str | None:
    """Which limit this request breaks, counting it (None: within every limit)."""
    if is_ratelimited(
        request, group="public-request", key="ip", rate=settings.PUBLIC_RATE_ADDRESS, increment=True
    ):
        return RequestRefusal.Why.RATE_ADDRESS
    if phones.e164(request.POST.get("phone", "")) and is_ratelimited(
        request,
        group="public-request-phone",
        key=_phone_key,
        rate=settings.PUBLIC_RATE_PHONE,
        increment=True,
    ):
        return RequestRefusal.Why.RATE_PHONE
    return None


@public_page
@require_http_methods(["GET", "POST"])
def request_appointment(request):
    """Ask for an appointment at a site: validated whole, saved whole, or refused with a
    clear message (429 for a flood). What was typed is shown back only to its sender."""
    sites = selectors.site_choices()
    posted = request.method == "POST"
    initial = {"site": request.GET.get("site", "")}
    form = RequestForm(request.POST if posted else None, sites=sites, initial=initial)
    if posted:
        site = selectors.site_by_code(request.POST.get("site", ""))
        centre_id = site.centre_id if site else None
        limit = _limited(request)
        if limit is not None:
            reception.refusal_count(why=limit, centre_id=centre_id)
            return _render(request, "public/refused.html", status=429)
        if form.is_bot():
            reception.refusal_count(why=RequestRefusal.Why.BOT, centre_id=centre_id)
            form = RequestForm(request.POST, sites=sites)  # a new time token
            form.is_valid()
            form.add_error(None, _bot_message())
            return _render(request, "public/request.html", {"form": form}, status=400)
        if form.is_valid():
            data = form.cleaned_data
            try:
                received = reception.appointment_request_submit(
                    site=site,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    reason=data["reason"],
                    preferred_times=data["preferred_times"],
                    consent=data["consent"],
                    language=request.LANGUAGE_CODE,
                    request=request,
                )
            except reception.DailyCapReached as exc:
                reception.refusal_count(why=RequestRefusal.Why.DAILY_CAP, centre_id=centre_id)
                form.add_error(None, exc.messages[0])
                return _render(request, "public/request.html", {"form": form}, status=429)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _render(request, "public/request_done.html", {"received": received})
    return _render(request, "public/request.html", {"form": form}, status=400 if posted else 200)


def _bot_message() -> str:
    return translation.gettext(
        "Please check your answers and send the form again (it was sent too quickly)."
    )


@public_page
@require_GET
def accessibility(request):
    return _render(request, "public/accessibility.html")


@public_page
@require_GET
def privacy(request):
    context = {"keep_days": reception.KEEP_ANSWERED_DAYS}
    return _render(request, "public/privacy.html", context)
