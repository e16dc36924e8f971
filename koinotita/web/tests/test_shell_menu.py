"""The shell (issue 14): a main menu per role of at most seven grouped entries that collapses
into a "Menu" on a phone, homes that put the role's work first, a favicon, and the demo
banner inside the <main> landmark."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from koinotita.web.selectors import actions_for, menu_for

CAST = ["alice", "rita", "sam", "mona", "ada", "pat", "nobody"]


def home(user) -> str:
    client = Client(headers={"Accept-Language": "el"})
    client.force_login(user)
    return client.get(reverse("web-home")).content.decode()


@pytest.mark.parametrize("who", CAST)
def test_the_menu_has_at_most_seven_entries_and_keeps_every_page(request, who):
    user = request.getfixturevalue(who)
    menu = menu_for(user)
    assert 1 <= len(menu) <= 7
    listed = {e.url for e in menu if not e.items} | {i.url for e in menu for i in e.items}
    assert {a.url for a in actions_for(user)} <= listed
    html = home(user)
    top = re.search(r'<ul class="nav-list">(.*?)</ul>\s*</details>\s*</nav>', html, re.S).group(1)
    assert len(re.findall(r"^          <li>", top, re.M)) == len(menu)


def test_the_supervisor_menu_groups_its_pages_into_menus(sam):
    html = home(sam)
    assert '<details class="nav-menu wrap">' in html and "Μενού</summary>" in html
    assert '<details class="nav-group"><summary>Φάκελοι υποθέσεων</summary>' in html
    assert len(actions_for(sam)) > 7


def test_reception_home_starts_with_the_search_box(rita):
    html = home(rita)
    assert '<input id="home-q" name="q" type="search"' in html
    assert html.index('id="home-search"') < html.index('id="today"') < html.index('id="my-roles"')


def test_caseworker_home_starts_with_cases_tasks_and_appointments(alice):
    html = home(alice)
    order = [html.index(f'id="{i}"') for i in ("my-caseload", "my-due-tasks", "my-appointments")]
    assert order == sorted(order) and order[-1] < html.index('id="today"')


@override_settings(DEMO=True)
def test_the_demo_banner_sits_inside_main_and_there_is_a_favicon(alice):
    html = home(alice)
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert 'class="demo-banner"' in main
    assert html.count('class="demo-banner"') == 1
    assert 'rel="icon" href="/static/web/favicon.svg"' in html
