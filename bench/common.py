"""What the benchmarks share: percentiles of a list of timings."""


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile `p` (0–100) of `values`; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
