"""Plan profiles: how a family of plans is written, declared in YAML.

A profile names what marks a top-level division (area), the label words before goals, actions
and values, the section headings, how owners and statuses are written, and how streams and
timeline entries read. ``data/profiles/core.yaml`` is the base: a user's profile only states what
differs, and every key it leaves out is taken from ``core``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import ProfileError
from ._paths import Workspace

__all__ = ["Profile", "load_profile", "list_profiles", "BASE_PROFILE"]

#: The profile every other one extends.
BASE_PROFILE = "core"

_TOP_KEYS = {
    "name": str,
    "description": str,
    "extends": str,
    "area": dict,
    "labels": dict,
    "sections": dict,
    "approval": str,
    "owners": dict,
    "streams": dict,
    "timeline": dict,
}


@dataclass(frozen=True)
class Profile:
    """A compiled profile. Build one with :func:`load_profile`.

    Examples
    --------
    >>> p = load_profile("core")
    >>> p.name
    'core'
    >>> p.label_kind("Actions")
    'action'
    >>> p.section_kind("Accountability & Assessment")
    'accountability'
    """

    name: str
    description: str
    source: str | None
    area_patterns: tuple[re.Pattern, ...]
    numbered_titles: bool
    max_title_words: int
    labels: dict[str, tuple[str, ...]]
    sections: tuple[tuple[str, re.Pattern], ...]
    approval: re.Pattern
    body_words: tuple[str, ...]
    owner_separators: tuple[str, ...]
    stream_pattern: re.Pattern | None
    timeline_pattern: re.Pattern | None
    label_re: re.Pattern = field(repr=False, default=None)

    def label_kind(self, word: str) -> str | None:
        """Which label (goal, action, values, owners) *word* is, or ``None``."""
        w = " ".join(word.split()).casefold()
        for kind, words in self.labels.items():
            if any(w == x.casefold() for x in words):
                return kind
        return None

    def section_kind(self, heading: str) -> str | None:
        """The section kind a heading opens, or ``None``."""
        for kind, pattern in self.sections:
            if pattern.search(heading):
                return kind
        return None


def list_profiles(workspace=None) -> list[tuple[str, Path]]:
    """``(name, path)`` of every profile in the bundled data and the workspace, sorted by name.

    >>> [name for name, _ in list_profiles()][:1]
    ['core']
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    return [(p.stem, p) for p in ws.glob("profiles", "*.yaml")]


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line (1-based) of each mapping key path in a YAML document, for error messages."""
    import yaml

    out: dict[tuple[str, ...], int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out

    def visit(node, path):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = path + (str(k.value),)
                out[key] = k.start_mark.line + 1
                visit(v, key)

    visit(root, ())
    return out


def _compile(pattern, *, path, line, key) -> re.Pattern:
    if not isinstance(pattern, str):
        raise ProfileError(f"{key}: expected a regular expression string", path=path, line=line)
    try:
        return re.compile(pattern, re.IGNORECASE if key.startswith("sections") else 0)
    except re.error as exc:
        raise ProfileError(f"{key}: invalid regular expression ({exc})", path=path, line=line) from None


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


def _read(path: Path) -> tuple[dict, dict]:
    from ._io import load_yaml_text

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"cannot read profile ({exc})", path=path) from None
    data = load_yaml_text(text, path=path, error=ProfileError)
    if not isinstance(data, dict):
        raise ProfileError("a profile must be a YAML mapping", path=path, line=1)
    lines = _key_lines(text)
    for key, value in data.items():
        want = _TOP_KEYS.get(key)
        if want is None:
            raise ProfileError(
                f"unknown key {key!r} (known: {', '.join(sorted(_TOP_KEYS))})", path=path, line=lines.get((key,))
            )
        if not isinstance(value, want):
            raise ProfileError(f"{key}: expected a {want.__name__}", path=path, line=lines.get((key,)))
    return data, lines


def load_profile(name_or_path=None, workspace=None) -> Profile:
    """Load a profile by name (``data/profiles/NAME.yaml``, workspace first) or by path.

    Raises :class:`ProfileError` naming the file and line of whatever is malformed.
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    name_or_path = name_or_path or BASE_PROFILE
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        path = p
        if not path.is_file():
            raise ProfileError("no such profile file", path=path)
    else:
        path = ws.find(f"profiles/{name_or_path}.yaml")
        if path is None:
            known = ", ".join(n for n, _ in list_profiles(ws))
            raise ProfileError(f"no profile named {name_or_path!r} (known: {known})")
    data, lines = _read(path)
    base_name = data.get("extends", BASE_PROFILE)
    if path.stem != BASE_PROFILE or base_name != BASE_PROFILE:
        base_path = ws.find(f"profiles/{base_name}.yaml")
        if base_path is None:
            raise ProfileError(f"extends unknown profile {base_name!r}", path=path, line=lines.get(("extends",)))
        if base_path.resolve() != path.resolve():
            base, _ = _read(base_path)
            data = _merge(base, data)
    return _build(data, path, lines)


def _build(data: dict, path: Path, lines: dict) -> Profile:
    def line(*key):
        return lines.get(tuple(key))

    area = data.get("area", {})
    pats = area.get("patterns", [])
    if not isinstance(pats, list):
        raise ProfileError("area.patterns: expected a list", path=path, line=line("area", "patterns"))
    area_patterns = tuple(_compile(x, path=path, line=line("area", "patterns"), key="area.patterns") for x in pats)
    labels = {}
    for kind in ("goal", "action", "values", "owners"):
        words = data.get("labels", {}).get(kind, [])
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ProfileError(f"labels.{kind}: expected a list of words", path=path, line=line("labels", kind))
        labels[kind] = tuple(words)
    sections = []
    for kind, pat in data.get("sections", {}).items():
        sections.append((kind, _compile(pat, path=path, line=line("sections", kind), key=f"sections.{kind}")))
    owners = data.get("owners", {})
    streams = data.get("streams", {})
    timeline = data.get("timeline", {})
    all_labels = sorted({w for ws_ in labels.values() for w in ws_}, key=lambda w: (-len(w), w))
    label_re = re.compile(
        r"^(?P<label>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in all_labels) + r")\s*:\s*(?P<rest>.*)$",
        re.IGNORECASE,
    )
    try:
        max_words = int(area.get("max_title_words", 8))
    except (TypeError, ValueError):
        raise ProfileError("area.max_title_words: expected a whole number", path=path, line=line("area", "max_title_words")) from None
    return Profile(
        name=str(data.get("name", path.stem)),
        description=str(data.get("description", "")).strip(),
        source=str(path),
        area_patterns=area_patterns,
        numbered_titles=bool(area.get("numbered_titles", True)),
        max_title_words=max_words,
        labels=labels,
        sections=tuple(sections),
        approval=_compile(data.get("approval", r"(?!x)x"), path=path, line=line("approval"), key="approval"),
        body_words=tuple(owners.get("body_words", [])),
        owner_separators=tuple(owners.get("separators", [";"])),
        stream_pattern=(
            _compile(streams["pattern"], path=path, line=line("streams", "pattern"), key="streams.pattern")
            if streams.get("pattern")
            else None
        ),
        timeline_pattern=(
            _compile(timeline["pattern"], path=path, line=line("timeline", "pattern"), key="timeline.pattern")
            if timeline.get("pattern")
            else None
        ),
        label_re=label_re,
    )
