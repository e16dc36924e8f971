from koinotita.monitoring.conftest import person_factory  # noqa: F401  (fixture)
