"""The catalog (``data/plans.yaml``) and :class:`PlanSet`, the input of every analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ._errors import CatalogError, DataError
from ._paths import StampedCache, Workspace
from ._runtime import map_in_parts

__all__ = ["CatalogEntry", "PlanSet", "load_catalog", "read_catalog", "catalog_entry_for"]


@dataclass(frozen=True)
class CatalogEntry:
    """One plan of the catalog."""

    id: str
    title: str | None
    organisation: str | None
    start: int | None
    end: int | None
    file: str
    sha256: str | None
    profile: str | None = None
    value_set: str | None = None
    frameworks: tuple[str, ...] = ()
    note: str | None = None
    line: int | None = None
    #: The catalog file the entry was read from (for errors naming its line).
    catalog: str | None = field(default=None, compare=False, repr=False)
    #: ``(key, line)`` of each key of the entry in that file.
    key_lines: tuple = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class PlanSet:
    """Several plans (ordered by cycle) plus the reference data they are read against.

    Examples
    --------
    >>> ps = load_catalog()
    >>> [p.id for p in ps]
    ['core-2021-2022', 'core-2022-2025']
    >>> ps["core-2022-2025"].period
    (2022, 2025)
    """

    plans: tuple = ()
    reference: object = None
    workspace: Workspace | None = field(default=None, compare=False)

    def __iter__(self):
        return iter(self.plans)

    def __len__(self):
        return len(self.plans)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.plans[key]
        for p in self.plans:
            if p.id == key:
                return p
        raise KeyError(f"no plan {key!r} in the set (have: {', '.join(p.id for p in self.plans)})")

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.plans]

    def subset(self, ids) -> "PlanSet":
        """A PlanSet of the named plans, in catalog order."""
        want = list(ids)
        for i in want:
            self[i]  # raises KeyError for an unknown id
        return PlanSet(tuple(p for p in self.plans if p.id in want), self.reference, self.workspace)


def _catalog_path(ws: Workspace) -> Path | None:
    return ws.find("plans.yaml")


def read_catalog(workspace=None) -> list[CatalogEntry]:
    """The catalog's entries (workspace catalog entries first, then bundled ones not overridden).

    Read once per process while the catalog files are unchanged: :func:`read_plan
    <coreplan_analysis.read_plan>` looks a file's entry up here, once per plan that
    :func:`load_catalog` reads."""
    return list(_cached_catalog(workspace)[0])


def _cached_catalog(workspace) -> tuple[tuple[CatalogEntry, ...], dict]:
    """The catalog's entries, and a dict from each recorded sha256 to the first entry (in
    catalog order) that records it; cached in :data:`_CATALOGS` while the files are unchanged."""
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    key = ws.cache_key()
    hit = _CATALOGS.get(key)
    if hit is None:
        paths = ws.watched(("plans.yaml",))
        stamps = StampedCache.stamps(paths)  # before reading, so an edit made meanwhile is seen next time
        entries = _read_catalog(ws)
        by_sha: dict = {}
        for e in entries:
            by_sha.setdefault(e.sha256, e)
        hit = (entries, by_sha)
        _CATALOGS.put(key, paths, stamps, hit)
    return hit


#: The cache of :func:`_cached_catalog`.
_CATALOGS = StampedCache()


def _read_catalog(ws: Workspace) -> tuple[CatalogEntry, ...]:
    from ._io import load_yaml

    entries: dict[str, CatalogEntry] = {}
    for root in ws.roots:
        path = root / "plans.yaml"
        if not path.is_file():
            continue
        data = load_yaml(path, error=CatalogError)
        for e in _entries(data, path):
            if e.id not in entries:
                entries[e.id] = replace_file(e, root)
    return tuple(sorted(entries.values(), key=lambda e: (e.start or 0, e.end or 0, e.id)))


def replace_file(e: CatalogEntry, root: Path) -> CatalogEntry:
    """*e* with its file, and its profile when given as a relative path (``profiles/x.yaml``),
    relative to *root*, the folder of the catalog naming them (not the current folder)."""
    from dataclasses import replace

    profile = e.profile
    if profile and profile.endswith((".yaml", ".yml")) and not Path(profile).is_absolute():
        profile = str(root / profile)
    return replace(e, file=str(root / e.file), profile=profile)


#: The keys of the catalog file, of one of its entries, and of an entry's cycle.
_TOP_KEYS = ("schema", "plans")
_ENTRY_KEYS = ("id", "title", "organisation", "cycle", "file", "sha256", "profile", "value_set", "frameworks", "note")
_CYCLE_KEYS = ("start", "end")


def _unknown_key(key, known, where: str, path, line) -> CatalogError:
    """The error for an unknown *key*, suggesting the closest of *known*."""
    from difflib import get_close_matches

    close = get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return CatalogError(f"{where}unknown key {key!r} ({hint}known: {', '.join(known)})", path=path, line=line)


def _entries(data, path) -> list[CatalogEntry]:
    from ._io import nearest_line, yaml_lines

    if data is None:
        return []
    try:
        lines = yaml_lines(Path(path).read_text(encoding="utf-8-sig"))
    except OSError:
        lines = {}

    def at(*key):
        return nearest_line(lines, key)

    if not isinstance(data, dict) or not isinstance(data.get("plans", []), list):
        raise CatalogError("expected a mapping with a 'plans' list", path=path, line=at("plans") or 1)
    for key in data:
        if key not in _TOP_KEYS:
            raise _unknown_key(key, _TOP_KEYS, "", path, at(str(key)))
    out = []
    seen: dict[str, int] = {}
    for k, raw in enumerate(data.get("plans") or []):
        if not isinstance(raw, dict):
            raise CatalogError(f"plans[{k}]: expected a mapping", path=path, line=at("plans", k))
        for key in ("id", "file"):
            if not isinstance(raw.get(key), str) or not raw.get(key):
                raise CatalogError(f"plans[{k}]: missing or empty {key!r}", path=path, line=at("plans", k, key))
        where = f"plans[{k}] ({raw['id']}): "
        for key in raw:
            if key not in _ENTRY_KEYS:
                raise _unknown_key(key, _ENTRY_KEYS, where, path, at("plans", k, str(key)))
        if raw["id"] in seen:
            first = seen[raw["id"]]
            raise CatalogError(
                f"{where}duplicate id {raw['id']!r} (already used by plans[{first}], line {at('plans', first)})",
                path=path, line=at("plans", k, "id"))
        seen[raw["id"]] = k
        cycle = raw.get("cycle") or {}
        if not isinstance(cycle, dict):
            raise CatalogError(f"{where}cycle must be {{start: YYYY, end: YYYY}}", path=path, line=at("plans", k, "cycle"))
        for key in cycle:
            if key not in _CYCLE_KEYS:
                raise _unknown_key(key, _CYCLE_KEYS, f"{where}cycle: ", path, at("plans", k, "cycle", str(key)))
        try:
            start = int(cycle["start"]) if cycle.get("start") is not None else None
            end = int(cycle["end"]) if cycle.get("end") is not None else None
        except (TypeError, ValueError):
            raise CatalogError(f"{where}cycle years must be numbers", path=path, line=at("plans", k, "cycle")) from None
        if start is not None and end is not None and end < start:
            raise CatalogError(f"{where}cycle {start}-{end} ends before it starts", path=path,
                               line=at("plans", k, "cycle"))
        fws = raw.get("frameworks") or []
        if isinstance(fws, str):
            fws = [fws]
        out.append(CatalogEntry(
            id=raw["id"], title=raw.get("title"), organisation=raw.get("organisation"), start=start, end=end,
            file=raw["file"], sha256=raw.get("sha256"), profile=raw.get("profile"),
            value_set=raw.get("value_set"), frameworks=tuple(fws), note=raw.get("note"),
            line=at("plans", k), catalog=str(path),
            key_lines=tuple((str(key), at("plans", k, str(key))) for key in raw),
        ))
    return out


def catalog_entry_for(sha256: str, workspace=None) -> CatalogEntry | None:
    """The catalog entry whose recorded sha256 is *sha256*, or ``None``."""
    try:
        return _cached_catalog(workspace)[1].get(sha256)
    except CatalogError:
        return None


def load_catalog(path=None, *, workspace=None, ids=None, annotate: bool = True, n_jobs=None) -> PlanSet:
    """Load every plan of the catalog into a :class:`PlanSet`.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A workspace folder (same as *workspace*); default the bundled data, overlaid by
        ``$COREPLAN_DATA`` when set.
    ids : list of str, optional
        Load only these plans.
    annotate : bool
        Apply ``annotations/<plan id>.yaml`` (what people know that a copy lost), basis
        ``confirmed``. The raw parse (``coreplan parse``) never applies them.
    n_jobs : int, optional
        Processes to read the plans in (``-1``: every core); by default, on Linux, every core
        (at most 4) for 64 plans or more, as :func:`~coreplan_analysis.parse_plans`. The plans
        are the same whatever the count.

    Raises
    ------
    CatalogError
        When a raw file no longer matches its recorded sha256, the catalog is malformed, or an
        entry names a profile or value set that does not exist (at the entry's line in the
        catalog; a malformed profile or value set file raises the error that names that file).
    """
    from ._profile import load_profile
    from ._reference import load_reference

    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace if workspace is not None else path)
    entries = [e for e in read_catalog(ws) if ids is None or e.id in ids]
    # Each value set's reference data and each profile, read here once (before any fork); one
    # that fails to load is raised when its first plan is reached, so the error raised is the
    # first in catalog order.
    refs, profiles = {}, {}
    for e in entries:
        if e.value_set not in refs:
            try:
                refs[e.value_set] = load_reference(ws, value_set=e.value_set)
            except DataError as exc:
                refs[e.value_set] = exc
        if e.profile is not None and e.profile not in profiles:
            try:
                profiles[e.profile] = load_profile(e.profile, ws)
            except DataError as exc:
                profiles[e.profile] = exc

    def load(e: CatalogEntry):
        reference = refs[e.value_set]
        profile = profiles.get(e.profile)
        # As read_plan (every file type: text, Markdown, HTML, Word, PDF; for an entry with no
        # profile, the outline inferred), but as this entry: not the first with the same bytes.
        plan = _read_entry(e, ws, profile=profile, reference=reference)
        if annotate:
            from ._annotations import apply_annotations

            plan = apply_annotations(plan, ws)
        return plan

    plans = map_in_parts(load, entries, n_jobs=n_jobs)  # (forked processes for a large catalog)
    reference = refs.get(None) or load_reference(ws)  # (a failed one was raised by its first plan)
    return PlanSet(tuple(plans), reference, ws)


def _read_entry(e: CatalogEntry, ws: Workspace, *, profile=None, reference=None):
    """The plan of catalog entry *e*, its source path relative to its data folder.

    Raises :class:`CatalogError` when the file no longer matches the recorded sha256. *profile*
    (a name, path or Profile; default the entry's) and *reference* may be a :class:`DataError`
    met while loading them, raised here. A profile or value set the entry names that does not
    exist is reported at the entry's line in the catalog; one given by the caller (``--profile``)
    is not.
    """
    from dataclasses import replace

    from ._formats import extract
    from ._io import sha256_bytes
    from ._parser import _read_extracted

    doc = extract(e.file)
    digest = sha256_bytes(doc.data)
    if e.sha256 and digest != e.sha256:
        raise CatalogError(
            f"raw file {Path(e.file).name} changed since it was catalogued (sha256 {digest[:12]}..., "
            f"catalog has {e.sha256[:12]}...); raw data is immutable: add the new version as a new plan",
            path=e.file,
        )
    if reference is None and e.value_set is not None:  # (coreplan parse: the entry's own value set too)
        from ._reference import load_reference

        try:
            reference = load_reference(ws, value_set=e.value_set)
        except DataError as exc:
            reference = exc
    if isinstance(reference, DataError):
        raise _entry_error(e, "value_set", reference)
    if profile is None and e.profile is not None:
        from ._profile import load_profile

        try:
            profile = load_profile(e.profile, ws)
        except DataError as exc:
            profile = exc
    if isinstance(profile, DataError):
        raise _entry_error(e, "profile", profile)
    plan = _read_extracted(doc, e.file, e, profile=profile, reference=reference, workspace=ws)
    return replace(plan, source=replace(plan.source, path=_rel(e.file, ws)))


def _entry_error(e: CatalogEntry, key: str, exc: DataError) -> DataError:
    """*exc*, met loading the profile or value set (*key*) that entry *e* names: when it names no
    file (the profile or value set does not exist), a :class:`CatalogError` at the line of *key*
    in the catalog; otherwise (a malformed file) *exc* itself, which names that file and line."""
    if exc.path is not None and Path(exc.path).is_file():
        return exc
    if e.catalog is None:  # pragma: no cover - every entry read from a file has its catalog
        return exc
    line = dict(e.key_lines).get(key) or e.line
    message = exc.message
    if key == "profile" and exc.path is not None:  # a profile path that is not a file
        message = f"{message}: {exc.path}"
    err = CatalogError(f"plan {e.id!r}: {message}", path=e.catalog, line=line)
    err.__cause__ = exc
    return err


def _rel(path: str, ws: Workspace) -> str:
    p = Path(path)
    for root in ws.roots:
        try:
            return p.relative_to(root).as_posix()
        except ValueError:
            continue
    return p.name
