"""The network: Region → Regional unit → Municipality → Centre → Site.

Names are stored in Greek (`name`, as the official name is written) and in Latin script
(`name_en`); `label` picks the one for the active language.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NamedPlace(models.Model):
    name = models.CharField(_("name (Greek)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "el").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Region(NamedPlace):
    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]


class RegionalUnit(NamedPlace):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="regional_units", verbose_name=_("region")
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("regional unit")
        verbose_name_plural = _("regional units")
        ordering = ["name"]


class Municipality(NamedPlace):
    regional_unit = models.ForeignKey(
        RegionalUnit,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("regional unit"),
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)
    seat = models.CharField(_("seat"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]


class Centre(NamedPlace):
    """A Community Centre. Every record about a person belongs to exactly one centre."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="centres",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=50, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("community centre")
        verbose_name_plural = _("community centres")
        ordering = ["name"]


class Site(NamedPlace):
    """Where people are served: the main office, an antenna, a branch or a mobile unit."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main office")
        ANTENNA = "antenna", _("Antenna")
        BRANCH = "branch", _("Branch")
        MOBILE = "mobile", _("Mobile unit")

    class Specialisation(models.TextChoices):
        NONE = "", _("None")
        ROMA = "roma", _("Roma support")

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="sites", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    specialisation = models.CharField(
        _("specialisation"),
        max_length=20,
        choices=Specialisation.choices,
        blank=True,
        default=Specialisation.NONE,
    )
    serves_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="served_by_sites",
        verbose_name=_("serves municipality"),
        help_text=_("The municipality whose residents this site serves."),
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    hours = models.CharField(
        _("opening hours (Greek)"),
        max_length=300,
        blank=True,
        help_text=_("E.g. Δευτ.–Παρ. 08:00–15:00"),
    )
    hours_en = models.CharField(_("opening hours (English)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["centre__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre"],
                condition=models.Q(kind="main"),
                name="organisations_site_one_main_office_per_centre",
            )
        ]

    @property
    def hours_label(self) -> str:
        if (get_language() or "el").startswith("en") and self.hours_en:
            return self.hours_en
        return self.hours
