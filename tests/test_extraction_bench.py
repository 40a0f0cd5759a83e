"""The benchmark's ``run`` returns rows the lead's ``manage.py bench`` can include."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def test_run_returns_metric_rows() -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_extraction", ROOT / "benchmarks" / "bench_extraction.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.run(3)
    assert {r["unit"] for r in rows} >= {"articles/s", "ms/article"}
    assert all(set(r) == {"metric", "value", "unit"} for r in rows)
    assert all(isinstance(r["value"], int | float) and r["value"] > 0 for r in rows)
