"""`eval` on a real-corpus layout (gold and meta committed, texts in a cache that may be
missing or stale), and the corpus tool that checks and rebuilds such a directory."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from tracker.cli import app
from tracker.evaluation.corpus import check, import_corpus, main, rebuild, stats

TEXT = (
    "ISLAMABAD, March 4 (APP) - Prime Minister Shehbaz Sharif met Chinese Premier Li Qiang in "
    "Beijing on Monday.\n"
)
GOLD = [
    {
        "type": "meeting",
        "actors": ["PAK", "CHN"],
        "persons": ["Muhammad Shehbaz Sharif", "Li Qiang"],
        "date": "2024-03-04",
        "evidence": (
            "Prime Minister Shehbaz Sharif met Chinese Premier Li Qiang in Beijing on Monday."
        ),
    }
]


def _source(tmp: Path, names: list[str]) -> Path:
    src = tmp / "src"
    src.mkdir()
    for name in names:
        (src / f"{name}.txt").write_text(f"Headline\n{TEXT}", encoding="utf-8")
        (src / f"{name}.json").write_text(json.dumps(GOLD), encoding="utf-8")
        meta = {"url": f"https://example.org/{name}", "outlet": "APP", "published": "2024-03-04"}
        meta |= {"outlet_country": "PAK", "license": "third-party", "query": "sharif li qiang"}
        (src / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return src


def test_import_puts_third_party_texts_in_the_cache_and_check_finds_them(tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    assert import_corpus(_source(tmp_path, ["a", "b"]), target) == 2
    assert not (target / "a.txt").exists() and (target / "cache" / "a.txt").exists()
    meta = json.loads((target / "a.meta.json").read_text())
    assert meta["sha256"] == hashlib.sha256((target / "cache" / "a.txt").read_bytes()).hexdigest()
    assert check(target) == []
    assert stats([target])["articles_per_pair"] == {"CHN-PAK": 2}


def test_eval_skips_missing_and_changed_texts_and_prints_outlets_pairs_errors(
    tmp_path: Path,
) -> None:
    target = tmp_path / "corpus"
    import_corpus(_source(tmp_path, ["a", "b", "c"]), target)
    (target / "cache" / "b.txt").unlink()  # missing
    (target / "cache" / "c.txt").write_text("Headline\nSomething else.\n")  # changed
    result = CliRunner().invoke(app, ["eval", str(target), "--errors"])
    assert result.exit_code == 0, result.output
    assert "skipped 2 articles whose text is missing or changed" in result.output
    assert "By outlet" in result.output and "APP" in result.output
    assert "By pair" in result.output and "CHN-PAK" in result.output
    data = json.loads(CliRunner().invoke(app, ["eval", str(target), "--json"]).stdout)
    assert data["summary"]["articles"] == 1 and sorted(data["skipped"]) == ["b", "c"]
    assert data["by_outlet"][0]["type"] == "APP"


def test_rebuild_writes_only_texts_that_give_back_their_hash(tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    import_corpus(_source(tmp_path, ["a", "b"]), target)
    for name in ("a", "b"):
        (target / "cache" / f"{name}.txt").unlink()
    excerpts = tmp_path / "excerpts.jsonl"
    rows = [
        # the stored page's excerpt: a date marker, then the text (longer than the cut)
        {"url": "https://example.org/a", "excerpt": f" date 2024-03-04 Headline\n{TEXT}More."},
        {"url": "https://example.org/b", "excerpt": "another text altogether"},
    ]
    excerpts.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    written, missing = rebuild(target, excerpts)
    assert (written, missing) == (1, ["b"])
    assert check(target) == ["b: text missing (" + str(target / "cache" / "b.txt") + ")"]
    assert main(["check", str(target)]) == 1
