from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from koinotita.lib.greek import sort_key
from koinotita.organisations.selectors import centre_get_for, centre_list_for


@require_GET
@login_required
def centre_list(request):
    centres = sorted(
        centre_list_for(request.user),
        key=lambda c: (
            sort_key(c.municipality.regional_unit.region.label),
            c.municipality.regional_unit.region.pk,
            sort_key(c.label),
        ),
    )
    regions = [
        (region, list(items))
        for region, items in groupby(centres, key=lambda c: c.municipality.regional_unit.region)
    ]
    return render(
        request,
        "organisations/centre_list.html",
        {
            "regions": regions,
            "centre_count": len(centres),
            "site_count": sum(len(c.sites.all()) for c in centres),
        },
    )


@require_GET
@login_required
def centre_detail(request, code: str):
    centre = centre_get_for(request.user, code)
    return render(request, "organisations/centre_detail.html", {"centre": centre})
