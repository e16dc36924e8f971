"""Koinotita's benchmarks, outside the installed package: `bench/run NAME [options]`
(bench/README.md lists them and their figures).

Each module here defines `help`, `add_arguments(parser)` and `run(options, out)`, and prints
the application's figure next to the best independent SQL for the same answer where there
is one (../shared/PERFORMANCE.md).
"""
