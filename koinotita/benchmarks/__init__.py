"""Benchmarks run by `koinotita bench NAME` (bench/README.md lists them).

Each module here defines `help`, `add_arguments(parser)` and `run(options, out)` and prints
its figures (application next to raw SQL where the figure has a raw-SQL floor).
"""
