from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from koinotita.web.selectors import home_for


@require_GET
@login_required
def home(request):
    return render(request, "web/home.html", home_for(request.user))
