"""feeds.yaml loading: typed feeds, and one-line errors naming file, line, field and fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tracker.cli import app
from tracker.config import load_feeds, parse_interval
from tracker.errors import ConfigError

GOOD = """\
defaults:
  interval: 20m
  max_bytes: 500000
feeds:
  - name: dawn
    url: https://www.dawn.com/feeds/pakistan
    pairs: [pakistan, CN]
  - name: local
    url: feeds/x.xml
    interval: 90s
    tags: [sample]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text)
    return path


def test_good_file_merges_defaults(tmp_path: Path) -> None:
    config = load_feeds(_write(tmp_path, GOOD))
    dawn, local = config.feeds
    assert (dawn.interval, dawn.max_bytes, dawn.pairs) == (1200.0, 500000, ("PAK", "CHN"))
    assert (local.interval, local.is_local, local.tags) == (90.0, True, ("sample",))
    assert config.get("dawn") is dawn


def test_shipped_files_load() -> None:
    real = load_feeds(ROOT / "feeds.yaml")
    assert len(real.feeds) >= 10 and all(not f.is_local for f in real.feeds)
    sample = load_feeds(ROOT / "samples" / "feeds.yaml")
    assert len(sample.feeds) >= 3 and all(f.is_local for f in sample.feeds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "feeds:\n  - name: a\n    url: [unclosed\n",
            "feeds.yaml:4: broken YAML: expected ',' or ']', but got '<stream end>'",
        ),
        (
            "feeds:\n  - name: a\n    url: https://a.example/rss\n    intervall: 5m\n",
            "feeds.yaml:4: feeds[0].intervall: unknown key 'intervall' (check the spelling)",
        ),
        (
            "feeds:\n  - name: a\n    url: ftp://a.example/rss\n",
            "feeds.yaml:3: feeds[0].url: bad URL 'ftp://a.example/rss': use http(s)://..., "
            "file://... or a local path",
        ),
        (
            "feeds:\n  - name: a\n    url: https:///rss\n",
            "feeds.yaml:3: feeds[0].url: bad URL 'https:///rss': no host",
        ),
        (
            "feeds:\n  - name: a\n    url: https://a.example/rss\n  - name: b\n"
            "    url: https://b.example/rss\n    interval: 15x\n",
            "feeds.yaml:6: feeds[1].interval: bad interval '15x': use e.g. 90s, 15m, 2h or 1d",
        ),
        (
            "defaults:\n  interval: soon\nfeeds:\n  - name: a\n    url: https://a.example/\n",
            "feeds.yaml:2: defaults.interval: bad interval 'soon': use e.g. 90s, 15m, 2h or 1d",
        ),
        (
            "feeds:\n  - name: a\n    url: https://a.example/\n  - name: a\n    url: https://b.example/\n",
            "feeds.yaml:4: feeds[1].name: duplicate feed name 'a'",
        ),
        (
            "feeds:\n  - url: https://a.example/\n",
            "feeds.yaml:2: feeds[0].name: Field required",
        ),
        (
            "feeds:\n  - name: a\n    url: https://a.example/\n    pairs: [CHN, Atlantis]\n",
            "feeds.yaml:4: feeds[0].pairs: unknown country 'Atlantis'",
        ),
        ("sources: []\n", "feeds.yaml:1: feeds: expected a list of feeds"),
        ("- a\n- b\n", "feeds.yaml:1: expected a mapping with a 'feeds:' list"),
    ],
    ids=[
        "yaml-syntax",
        "unknown-key",
        "bad-scheme",
        "no-host",
        "bad-interval",
        "bad-default",
        "duplicate",
        "missing-name",
        "bad-country",
        "no-feeds",
        "not-mapping",
    ],
)
def test_broken_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_feeds(path)
    text_out = str(info.value)
    assert "\n" not in text_out
    assert text_out.startswith(str(path.parent) + "/")
    assert message in text_out


def test_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"feeds file not found \(create it, or pass --feeds"):
        load_feeds(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("value", "seconds"), [("15m", 900), ("2h", 7200), ("90s", 90), ("1d", 86400), (45, 45)]
)
def test_intervals(value: object, seconds: float) -> None:
    assert parse_interval(value) == seconds


@pytest.mark.parametrize("value", ["0m", "-5m", "31d", True, "m", ""])
def test_bad_intervals(value: object) -> None:
    with pytest.raises(ValueError, match="bad interval"):
        parse_interval(value)


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` for real (the error wrapper is what is under test)."""
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args, "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_exits_2_with_the_error_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "feeds:\n  - name: a\n    url: https://a.example/\n    every: 5m\n")
    result = _cli(tmp_path, "poll", "--feeds", str(path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        f"Error: {path}:4: feeds[0].every: unknown key 'every' (check the spelling)"
    )
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["feeds", "run"])
def test_other_commands_raise_the_config_error(tmp_path: Path, command: str) -> None:
    path = _write(tmp_path, "feeds:\n  - name: a\n    url: https://a.example/\n    every: 5m\n")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(app, [command, "--feeds", str(path), "--db", db])
    assert result.exit_code == ConfigError.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: {path}:4: feeds[0].every: unknown key 'every' (check the spelling)"
    )


def test_cli_unknown_feed_name_exits_2(tmp_path: Path) -> None:
    path = ROOT / "samples" / "feeds.yaml"
    result = _cli(tmp_path, "poll", "--feeds", str(path), "--feed", "nope")
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"Error: no feed named 'nope' in {path} (known: ")
