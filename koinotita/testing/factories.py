"""factory_boy factories shared by the tests of every app."""

import factory

from koinotita.accounts.models import RoleAssignment, User
from koinotita.organisations.models import Centre, Municipality, Region, RegionalUnit, Site


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Όνομα"
    last_name = "Επώνυμο"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Περιφέρεια {n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class RegionalUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalUnit

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Ενότητα {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    regional_unit = factory.SubFactory(RegionalUnitFactory)
    code = factory.Sequence(lambda n: f"municipality-{n}")
    name = factory.Sequence(lambda n: f"Δήμος {n}")
    name_en = factory.Sequence(lambda n: f"Municipality {n}")


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"centre-{n}")
    name = factory.Sequence(lambda n: f"Κέντρο Κοινότητας {n}")
    name_en = factory.Sequence(lambda n: f"Community Centre {n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    centre = factory.SubFactory(CentreFactory)
    kind = Site.Kind.MAIN
    serves_municipality = factory.SelfAttribute("centre.municipality")
    code = factory.Sequence(lambda n: f"site-{n}")
    name = factory.Sequence(lambda n: f"Έδρα {n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "caseworker"
    level = "centre"
