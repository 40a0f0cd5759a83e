"""`demo && serve`: with no store of the user's yet, `serve` serves the demo's own store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import tracker.web
from tracker.cli import app
from tracker.config import default_db_path


def test_serve_falls_back_to_the_demo_store_when_there_is_no_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    served: dict[str, Any] = {}

    def fake_serve(store: Any, **kwargs: Any) -> None:
        served["url"] = str(store.url)

    monkeypatch.setattr(tracker.web, "serve", fake_serve)
    demo_db = default_db_path().with_name("demo.db")
    demo_db.parent.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", str(demo_db)]).exit_code == 0
    result = runner.invoke(app, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert served["url"].endswith("demo.db")
    assert "serving the demo's" in result.output
    # once the user has a store of their own, that is what `serve` serves
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["serve", "--port", "8765"]).exit_code == 0
    assert served["url"].endswith("tracker.db")
