from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and the synthetic data: the top of the layering, imported by no other app.

    `koinotita demo` (network, sample directory, demo users, synthetic persons, cases,
    referrals, grant operations and ESF records) and `koinotita synth` (synthetic persons,
    households, consents and contacts at national volume) live here; so do the loaders the
    benchmarks in bench/ reuse. Everything it writes is marked or named as synthetic."""

    name = "koinotita.demo"
    label = "demo"
    verbose_name = "Demo"
