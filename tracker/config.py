"""Settings: where the store lives and which feeds file to read.

Precedence: command-line option, then environment variable, then default.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from urllib.request import url2pathname

import yaml
from platformdirs import user_data_dir
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from events import UnknownCountryError, resolve_country
from tracker.errors import ConfigError, InputError

APP_NAME = "diplomatic-tracker"
DB_ENV = "TRACKER_DB_URL"
FEEDS_ENV = "TRACKER_FEEDS"


def default_db_path() -> Path:
    """The embedded SQLite file under the user's data directory."""
    return Path(user_data_dir(APP_NAME)) / "tracker.db"


def resolve_db_url(option: str | None = None, *, create: bool = False) -> str:
    """The database URL: ``--db``, else ``$TRACKER_DB_URL``, else the SQLite default.

    A URL is taken as given (``postgres://`` and ``postgresql://`` mean the psycopg 3 driver);
    anything else is a path to a SQLite file, which must exist unless ``create`` (``init``).
    Raises InputError for a path that names no store.
    """
    url = option or os.environ.get(DB_ENV) or f"sqlite:///{default_db_path()}"
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    if sep:
        return url
    path = Path(url).expanduser().resolve()
    if not create and not path.is_file():
        raise InputError(
            f"no store at {url!r}: give an existing SQLite file, a database URL "
            "(sqlite:///PATH, postgresql://user@host/db), or create it with "
            f"'tracker init --db {shlex.quote(url)}'"
        )
    return f"sqlite:///{path}"


def own_db_url(name: str) -> str:
    """The URL of a command's own SQLite store in the user data directory (``demo.db``)."""
    return f"sqlite:///{default_db_path().with_name(name)}"


def resolve_feeds_path(option: str | Path | None = None) -> Path:
    """The feeds file: ``--feeds``, else ``$TRACKER_FEEDS``, else ``./feeds.yaml``."""
    return Path(option or os.environ.get(FEEDS_ENV) or "feeds.yaml")


# -- feeds.yaml --------------------------------------------------------------------------------
#
# A mapping with a ``feeds:`` list and optional ``defaults:`` merged into every feed (a feed's
# own keys win). Every key is checked (unknown keys are errors, so a typo never silently does
# nothing), and an error names ``file:line`` (from the YAML node marks) plus the field path.

_INTERVAL_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
USER_AGENT = "diplomatic-tracker/0.1 (+https://github.com/diplomatic-tracker/diplomatic-tracker)"


def parse_interval(value: object) -> float:
    """Seconds in an interval such as ``15m``, ``2h``, ``90s``, ``1d`` or a bare number of
    seconds; raises ValueError with the accepted forms."""
    if isinstance(value, bool):
        raise ValueError(f"bad interval {value!r}: use e.g. 90s, 15m, 2h or 1d")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _INTERVAL_RE.match(str(value))
        if not match:
            raise ValueError(f"bad interval {value!r}: use e.g. 90s, 15m, 2h or 1d")
        seconds = float(match.group(1)) * _UNIT_SECONDS[(match.group(2) or "s").lower()]
    if not 0 < seconds <= 30 * 86400:
        raise ValueError(f"bad interval {value!r}: must be more than 0s and at most 30d")
    return seconds


Interval = Annotated[float, BeforeValidator(parse_interval)]


class FeedSettings(BaseModel):
    """Settings every feed has; ``defaults:`` in feeds.yaml sets them for all feeds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    interval: Interval = 1800.0
    enabled: bool = True
    fetch_full_text: bool = False
    min_summary_chars: int = Field(default=300, ge=0)
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    max_entries: int = Field(default=1000, ge=1)
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)
    total_timeout: float = Field(default=120.0, gt=0)
    max_redirects: int = Field(default=5, ge=0, le=20)
    backoff_max: Interval = 86400.0
    lease: Interval = 300.0
    user_agent: str = USER_AGENT

    @model_validator(mode="after")
    def _check_lease(self) -> FeedSettings:
        # the lease is renewed between entries; one fetch must fit in half of it
        if self.lease < 2 * self.total_timeout:
            raise ValueError(
                f"lease ({self.lease:g}s) must be at least twice total_timeout "
                f"({self.total_timeout:g}s), or a slow fetch could outlive its lease"
            )
        return self


class FeedConfig(FeedSettings):
    """One feed of feeds.yaml (``url`` is http(s), file:// or a path relative to the file)."""

    name: str = Field(min_length=1, max_length=200)
    url: str
    tags: tuple[str, ...] = ()
    pairs: tuple[str, ...] = ()

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https"):
            if not parts.hostname:
                raise ValueError(f"bad URL {value!r}: no host")
            return value.strip()
        if parts.scheme == "file" or (not parts.scheme and value.strip()):
            return value.strip()
        if len(parts.scheme) == 1:  # a Windows drive letter, C:\feeds\x.xml
            return value.strip()
        raise ValueError(f"bad URL {value!r}: use http(s)://..., file://... or a local path")

    @field_validator("pairs")
    @classmethod
    def _check_pairs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        out = []
        for code in value:
            try:
                out.append(resolve_country(code))
            except UnknownCountryError as e:
                raise ValueError(str(e)) from None
        return tuple(out)

    @property
    def is_local(self) -> bool:
        """True when the feed is a file on disk rather than an HTTP resource."""
        return not self.url.startswith(("http://", "https://"))


class FeedsConfig(BaseModel):
    """The whole feeds.yaml: its path, the defaults and the feeds (names unique)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    defaults: FeedSettings = FeedSettings()
    feeds: tuple[FeedConfig, ...] = ()

    def get(self, name: str) -> FeedConfig:
        """The feed called ``name``; raises InputError listing the known names."""
        for feed in self.feeds:
            if feed.name == name:
                return feed
        known = ", ".join(f.name for f in self.feeds) or "none"
        raise InputError(f"no feed named {name!r} in {self.path} (known: {known})")


def _marks(node: yaml.Node, path: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], int]:
    """Line number (1-based) of every key / item of a composed YAML document."""
    out = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, str(key.value))
            out.update(_marks(value, sub))
            out[sub] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.update(_marks(item, (*path, i)))
    return out


def _line_of(marks: dict[tuple[str | int, ...], int], loc: tuple[str | int, ...]) -> int | None:
    while loc:
        if loc in marks:
            return marks[loc]
        loc = loc[:-1]
    return marks.get(())


def _field_path(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_feeds(path: str | Path) -> FeedsConfig:
    """Read and validate a feeds file; raises ConfigError naming ``file:line``, field and fix."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: feeds file not found (create it, or pass --feeds PATH / set {FEEDS_ENV})"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the feeds file: {e}") from None
    try:
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
        data = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"{where}: broken YAML: {problem}") from None
    if not isinstance(data, dict) or node is None:
        raise ConfigError(f"{path}:1: expected a mapping with a 'feeds:' list")
    marks = _marks(node)
    defaults = data.get("defaults") or {}
    feeds = data.get("feeds")
    if not isinstance(defaults, dict):
        raise ConfigError(f"{path}:{_line_of(marks, ('defaults',))}: defaults: expected a mapping")
    if not isinstance(feeds, list):
        raise ConfigError(f"{path}:{_line_of(marks, ('feeds',))}: feeds: expected a list of feeds")
    merged = [{**defaults, **f} if isinstance(f, dict) else f for f in feeds]
    try:
        config = FeedsConfig.model_validate(
            {**data, "path": path, "defaults": defaults, "feeds": merged}
        )
    except ValidationError as e:
        err = e.errors()[0]
        loc = tuple(err["loc"])
        if (
            loc
            and loc[0] == "feeds"
            and len(loc) > 2
            and loc[2] in defaults
            and (
                isinstance(feeds[loc[1]], dict) and loc[2] not in feeds[loc[1]]  # type: ignore[index]
            )
        ):
            loc = ("defaults", *loc[2:])  # the bad value came from defaults:
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key {loc[-1]!r} (check the spelling)"
        raise ConfigError(f"{path}:{_line_of(marks, loc)}: {_field_path(loc)}: {msg}") from None
    names = [f.name for f in config.feeds]
    for i, name in enumerate(names):
        if name in names[:i]:
            line = _line_of(marks, ("feeds", i, "name"))
            raise ConfigError(f"{path}:{line}: feeds[{i}].name: duplicate feed name {name!r}")
    return config


def resolve_feed_location(feed: FeedConfig, base: Path) -> str:
    """The feed's URL, or the absolute path of a local feed (relative to ``base``)."""
    if not feed.is_local:
        return feed.url
    return str(local_path(feed.url, base))


def local_path(url: str, base: Path) -> Path:
    """The file a ``file://`` URL or a (relative) path names; relative to ``base``."""
    if url.startswith("file://"):
        return Path(url2pathname(urlsplit(url).path))
    p = Path(url).expanduser()
    return p if p.is_absolute() else (base / p).resolve()
