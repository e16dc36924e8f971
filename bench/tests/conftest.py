"""The benchmarks run small in the test suite (marker `slow`): they must keep working and
keep checking their answers against the independent SQL. Figures are never asserted."""

from koinotita.conftest import _default_language, network  # noqa: F401  (fixtures)
