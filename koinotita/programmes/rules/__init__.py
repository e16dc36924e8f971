"""Eligibility rules: small functions over a household's facts and the parameters in force
on a day (koinotita.programmes.rules.base). Each rule module registers its functions with
`rule(...)`; `RULES` maps a programme's code to its rule."""

from koinotita.programmes.rules import catalogue, minimum_income  # noqa: F401  (registration)
from koinotita.programmes.rules.base import RULES, Facts, Member, Params, Result, rule

__all__ = ["RULES", "Facts", "Member", "Params", "Result", "rule"]
