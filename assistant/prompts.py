"""Prompt templates from ``prompts/*.md``, loaded by name and checked when loaded.

A template file has a small header naming its variables, then ``[system]`` and ``[user]``
sections written with ``{name}`` placeholders (literal braces doubled). A placeholder the header
does not declare, or a declared variable the text never uses, is a ``ConfigError`` at load time,
not a surprise in the middle of a request.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import PACKAGE_ROOT
from .errors import ConfigError

PROMPTS_DIR = PACKAGE_ROOT / "prompts"
_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.M)


@dataclass(frozen=True)
class Prompt:
    name: str
    variables: frozenset[str]
    system: str
    user: str

    def render(self, **values: str) -> list[dict[str, str]]:
        """Chat messages with every variable filled in; values are inserted as plain text."""
        missing = self.variables - values.keys()
        extra = values.keys() - self.variables
        if missing or extra:
            raise ConfigError(f"prompt {self.name!r}: missing {sorted(missing)}, "
                              f"unexpected {sorted(extra)}")
        values = {k: str(v) for k, v in values.items()}
        return [{"role": "system", "content": self.system.format(**values)},
                {"role": "user", "content": self.user.format(**values)}]


def parse(text: str, name: str) -> Prompt:
    header, body = _header(text, name)
    declared = frozenset(v.strip() for v in header.get("variables", "").split(",") if v.strip())
    parts = _SECTION.split(body)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    if "user" not in sections:
        raise ConfigError(f"prompt {name!r} has no [user] section")
    used: set[str] = set()
    for section in sections.values():
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(section) if f is not None]
        except ValueError as exc:
            raise ConfigError(f"prompt {name!r}: {exc} (write literal braces as {{{{ }}}})") from None
        for f in fields:
            if not f.isidentifier():
                raise ConfigError(f"prompt {name!r}: bad placeholder {{{f}}}")
            used.add(f)
    if used != declared:
        raise ConfigError(f"prompt {name!r}: placeholders {sorted(used)} do not match the "
                          f"declared variables {sorted(declared)}")
    return Prompt(name, declared, sections.get("system", ""), sections["user"])


def _header(text: str, name: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---"):
        raise ConfigError(f"prompt {name!r} must start with a '---' header naming its variables")
    try:
        _, head, body = text.split("---", 2)
    except ValueError:
        raise ConfigError(f"prompt {name!r}: the '---' header is not closed") from None
    pairs = (line.split(":", 1) for line in head.strip().splitlines() if ":" in line)
    return {k.strip(): v.strip() for k, v in pairs}, body


@lru_cache(maxsize=None)
def load(name: str, folder: Path = PROMPTS_DIR) -> Prompt:
    """The template ``prompts/<name>.md``."""
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        raise ConfigError(f"bad prompt name {name!r}")
    path = folder / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read prompt template {path}: {exc.strerror}") from None
    return parse(text, name)
