"""Deterministic, atomic writers that every export goes through.

Same input, same bytes: CSV, JSON, XLSX, GraphML, GEXF and the SVG and PDF of a figure are
byte-identical when written twice from the same data, minutes or days apart. Each writer builds
the whole file in memory and hands it to :func:`~coreplan_analysis._io.atomic_write`, so a failed
write leaves the previous file untouched and no temporary file behind.

The pitfalls handled here (see DESIGN, "Determinism"):

- openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry: the workbook
  is re-zipped with fixed entry dates and fixed created/modified properties;
- networkx's GraphML and GEXF writers raise on ``None`` and list attributes
  (:func:`flatten_graph`), and GEXF writes today's date (and the networkx version) into its
  header: both are removed;
- matplotlib embeds dates, random ids and its version in SVG, PDF and PNG: they are switched off.

Heavy libraries (pandas, openpyxl, networkx, matplotlib) are imported inside the functions.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path, PurePath

from ._io import atomic_write

__all__ = [
    "write_csv",
    "write_json",
    "write_workbook",
    "flatten_graph",
    "write_graph",
    "read_graph",
    "save_figure",
    "GRAPH_FORMATS",
    "FIXED_DATETIME",
]

#: The file formats :func:`write_graph` and :func:`read_graph` understand, by suffix.
GRAPH_FORMATS = (".graphml", ".gexf", ".json")

#: The date written wherever a file format insists on a date (XLSX document properties).
FIXED_DATETIME = _dt.datetime(2000, 1, 1, 0, 0, 0)

#: The date of every zip entry in an XLSX file (the earliest a zip file can hold).
_ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)

#: Fixed salt for the ids matplotlib puts in SVG files.
_SVG_HASHSALT = "coreplan_analysis"

#: Suffixes taken to be a figure format when stripped from a :func:`save_figure` path.
_FIGURE_SUFFIXES = {".png", ".svg", ".pdf", ".jpg", ".jpeg", ".eps", ".ps", ".tif", ".tiff", ".webp", ".pgf"}

#: Excel's limit on an inline list of a data validation (the text between the quotes).
_EXCEL_LIST_LIMIT = 255

#: Characters Excel refuses in a cell (the C0 controls other than tab, newline, carriage return).
_ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_INVALID_SHEET_CHARS = re.compile(r"[\\*?:/\[\]]")


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


def _is_missing(value) -> bool:
    """``None``, ``pandas.NA`` and ``pandas.NaT`` (not float NaN: that is a number)."""
    if value is None:
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def _order_key(value):
    """A total order over mixed node ids and edge keys: numbers, then strings, then the rest."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not (
        isinstance(value, float) and math.isnan(value)
    ):
        return (0, value, "")
    if isinstance(value, str):
        return (1, 0, value)
    return (2, 0, f"{type(value).__name__}:{value!r}")


def _jsonable(obj):
    """A copy of *obj* that ``json.dumps(sort_keys=True)`` writes the same way every time.

    Mappings get string keys; tuples become lists; sets become sorted lists; NaN, ``None``,
    ``pandas.NA`` and ``NaT`` become ``null``; numpy scalars and arrays become Python values;
    dates become ISO strings; paths become POSIX strings. Anything else raises ``TypeError``.
    """
    if _is_missing(obj):
        return None
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) else obj
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return [_jsonable(v) for v in sorted(obj, key=_order_key)]
    if isinstance(obj, (_dt.datetime, _dt.date, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, PurePath):
        return obj.as_posix()
    if hasattr(obj, "tolist") and hasattr(obj, "dtype"):  # numpy scalar or array
        return _jsonable(obj.tolist())
    if hasattr(obj, "isoformat"):  # pandas Timestamp and the like
        return obj.isoformat()
    raise TypeError(f"cannot write {type(obj).__name__} to JSON: {obj!r}")


def _dumps(obj) -> str:
    return json.dumps(_jsonable(obj), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _as_text(value) -> str:
    """A container as one line of text: lists joined with "; ", mappings as sorted JSON."""
    if isinstance(value, Mapping):
        return json.dumps(_jsonable(value), sort_keys=True, ensure_ascii=False)
    if isinstance(value, (set, frozenset)):
        value = sorted(value, key=_order_key)
    if isinstance(value, (list, tuple)):
        parts = []
        for item in value:
            if _is_missing(item):
                continue
            if isinstance(item, (Mapping, list, tuple, set, frozenset)):
                parts.append(json.dumps(_jsonable(item), sort_keys=True, ensure_ascii=False))
            else:
                parts.append(str(_plain(item)))
        return "; ".join(parts)
    return str(value)


def _plain(value):
    """numpy scalars as Python scalars; everything else unchanged."""
    if hasattr(value, "item") and hasattr(value, "dtype") and getattr(value, "ndim", None) == 0:
        return value.item()
    return value


# ---------------------------------------------------------------------------------------------
# JSON and CSV
# ---------------------------------------------------------------------------------------------


def write_json(obj, path) -> Path:
    """Write *obj* as JSON: sorted keys, two-space indent, UTF-8 text, a final newline; atomic.

    Parameters
    ----------
    obj : object
        Mappings, sequences, strings, numbers, booleans and ``None``; also sets (written as sorted
        lists), numpy values, dates (ISO strings) and paths. Float NaN and pandas' missing values
        are written as ``null``.
    path : str or os.PathLike
        The file to write; its folder is created if needed.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_json({"schema": "demo/1", "b": [1, 2], "a": "é"}, Path(tmp) / "out.json")
    ...     print(p.read_text(encoding="utf-8"), end="")
    {
      "a": "é",
      "b": [
        1,
        2
      ],
      "schema": "demo/1"
    }
    """
    return atomic_write(path, _dumps(obj).encode("utf-8"))


def write_csv(df, path, *, float_format=None) -> Path:
    """Write a DataFrame as CSV: UTF-8 (no BOM), ``"\\n"`` line ends, no index; atomic.

    Missing values (``None``, ``NaN``, ``pd.NA``, ``NaT``) are empty fields. Floats are written in
    their shortest round-trip form (exact, the same on every platform) unless *float_format* is
    given. Cells holding lists, tuples or sets are joined with ``"; "``; mappings are written as
    JSON with sorted keys. The same frame always gives the same bytes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; its index is not written (``reset_index()`` first to keep it).
    path : str or os.PathLike
        The file to write.
    float_format : str, optional
        A ``%``-format for floats, such as ``"%.3f"``.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["a/1", "a/2"], "score": [0.1, None], "owners": [["Board", "Staff"], []]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     data = write_csv(df, Path(tmp) / "t.csv").read_bytes()
    >>> data
    b'id,score,owners\\na/1,0.1,Board; Staff\\na/2,,\\n'
    """
    frame = df.copy()
    for col in range(frame.shape[1]):
        series = frame.iloc[:, col]
        if series.dtype == object:
            frame.isetitem(col, series.map(_csv_cell))
    text = frame.to_csv(index=False, lineterminator="\n", na_rep="", float_format=float_format)
    return atomic_write(path, text.encode("utf-8"))


def _csv_cell(value):
    if _is_missing(value):
        return None
    if isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return _as_text(value)
    return value


# ---------------------------------------------------------------------------------------------
# Workbook
# ---------------------------------------------------------------------------------------------


def write_workbook(
    sheets,
    path,
    *,
    dropdowns=None,
    widths=None,
    freeze_header=True,
    autofilter=True,
    blank_columns=None,
) -> Path:
    """Write DataFrames as sheets of one Excel workbook, byte-identical for the same input; atomic.

    Each sheet has a bold header row (frozen, with an autofilter over the table by default),
    column widths from the content (10 to 60 characters) and wrapped text in long cells. Missing
    values are empty cells, categoricals their labels, lists joined with ``"; "``, mappings JSON.
    Text starting with ``=`` is stored as text, never as a formula.

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame
        Sheet name (at most 31 characters, none of ``\\ / * ? : [ ]``) to table, in order. The
        index is not written.
    path : str or os.PathLike
        The ``.xlsx`` file to write.
    dropdowns : mapping, optional
        ``{sheet: {column: [allowed values]}}``: an in-cell list over that column's data rows
        (a blank column may have one too). A list too long for Excel's 255-character inline
        limit, or whose values contain commas or quotes, is kept in a hidden sheet ``lists``.
    widths : mapping, optional
        ``{sheet: {column: width}}`` (or a sequence of widths in column order); columns not given
        are sized from their content.
    freeze_header : bool, default True
        Freeze the header row (panes at ``A2``).
    autofilter : bool, default True
        Put an autofilter over the header and data rows.
    blank_columns : mapping, optional
        ``{sheet: [column names]}``: empty columns added at the right for people to fill in,
        such as ``"Progress"`` and ``"Notes"`` (a name the table already has is not repeated).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        For no sheets, a bad sheet name, or options naming an unknown sheet or column.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from openpyxl import load_workbook
    >>> df = pd.DataFrame({"Action": ["Recruit members", "Publish budget"], "Status": ["new", None]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_workbook({"Actions": df}, Path(tmp) / "plan.xlsx",
    ...                        dropdowns={"Actions": {"Status": ["new", "completed"]}},
    ...                        blank_columns={"Actions": ["Notes"]})
    ...     ws = load_workbook(p)["Actions"]
    ...     print([c.value for c in ws[1]], ws["B3"].value, ws.freeze_panes, ws.auto_filter.ref)
    ['Action', 'Status', 'Notes'] None A2 A1:C3
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    sheets = dict(sheets)
    if not sheets:
        raise ValueError("write_workbook needs at least one sheet")
    _check_sheet_names(sheets)
    dropdowns = dict(dropdowns or {})
    widths = dict(widths or {})
    blank_columns = dict(blank_columns or {})
    for option, given in (("dropdowns", dropdowns), ("widths", widths), ("blank_columns", blank_columns)):
        unknown = [name for name in given if name not in sheets]
        if unknown:
            raise ValueError(f"{option} names unknown sheet(s) {unknown}; sheets are {list(sheets)}")

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    lists_name = _free_sheet_name("lists", sheets)
    shared_lists: dict[tuple, str] = {}  # allowed values -> absolute range in the lists sheet
    lists_ws = None

    for name, df in sheets.items():
        ws = wb.create_sheet(title=name)
        headers = [_header_text(c) for c in df.columns]
        columns = [_excel_values(df.iloc[:, i]) for i in range(df.shape[1])]
        for extra in blank_columns.get(name, []):
            if str(extra) not in headers:
                headers.append(str(extra))
                columns.append([None] * len(df))
        n_rows = len(df)

        for j, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=j, value=header)
            cell.data_type = "s"
            cell.font = bold
            cell.alignment = top

        col_widths = _resolve_widths(name, headers, columns, widths.get(name))
        for j, (values, width) in enumerate(zip(columns, col_widths, strict=True), start=1):
            ws.column_dimensions[get_column_letter(j)].width = width
            for i, value in enumerate(values, start=2):
                if value is None:
                    continue
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, even if it starts with "="
                    cell.alignment = wrap if ("\n" in value or len(value) > width - 2) else top
                else:
                    cell.alignment = top

        last_col = get_column_letter(max(len(headers), 1))
        if freeze_header:
            ws.freeze_panes = "A2"
        if autofilter and headers:
            ws.auto_filter.ref = f"A1:{last_col}{n_rows + 1}"

        for column, allowed in dropdowns.get(name, {}).items():
            if str(column) not in headers:
                raise ValueError(f"dropdowns: sheet {name!r} has no column {column!r}; columns are {headers}")
            allowed = [_plain(v) for v in allowed]
            if not allowed:
                raise ValueError(f"dropdowns: empty list of allowed values for {name!r}/{column!r}")
            inline = ",".join(str(v) for v in allowed)
            if len(inline) <= _EXCEL_LIST_LIMIT and not any("," in str(v) or '"' in str(v) for v in allowed):
                formula = f'"{inline}"'
            else:
                key = tuple(allowed)
                if key not in shared_lists:
                    if lists_ws is None:
                        lists_ws = wb.create_sheet(title=lists_name)
                        lists_ws.sheet_state = "hidden"
                    k = len(shared_lists) + 1
                    letter = get_column_letter(k)
                    lists_ws.cell(row=1, column=k, value=f"{name}: {column}").data_type = "s"
                    for i, v in enumerate(allowed, start=2):
                        cell = lists_ws.cell(row=i, column=k, value=v)
                        if isinstance(v, str):
                            cell.data_type = "s"
                    shared_lists[key] = f"{quote_sheetname(lists_name)}!${letter}$2:${letter}${len(allowed) + 1}"
                formula = shared_lists[key]
            letter = get_column_letter(headers.index(str(column)) + 1)
            dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
            dv.error = "Choose a value from the list."
            dv.errorTitle = str(column)
            dv.showErrorMessage = True
            dv.add(f"{letter}2:{letter}{max(n_rows + 1, 2)}")
            ws.add_data_validation(dv)

    if lists_ws is not None:  # keep the hidden lists after every data sheet
        wb.move_sheet(lists_ws, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists_name))
    wb.active = 0
    wb.properties.created = FIXED_DATETIME
    wb.properties.modified = FIXED_DATETIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return atomic_write(path, _normalise_xlsx(buffer.getvalue()))


def _check_sheet_names(sheets) -> None:
    seen = set()
    for name in sheets:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"sheet name must be a non-empty string, not {name!r}")
        if len(name) > 31:
            raise ValueError(f"sheet name {name!r} is longer than Excel's 31 characters")
        if _INVALID_SHEET_CHARS.search(name):
            raise ValueError(f"sheet name {name!r} contains one of \\ / * ? : [ ]")
        if name.lower() in seen:
            raise ValueError(f"sheet name {name!r} repeats another (Excel ignores case)")
        seen.add(name.lower())


def _free_sheet_name(base: str, taken) -> str:
    lowered = {t.lower() for t in taken}
    name, k = base, 1
    while name.lower() in lowered:
        k += 1
        name = f"{base}{k}"
    return name


def _header_text(column) -> str:
    if isinstance(column, tuple):  # MultiIndex columns
        return " / ".join(str(c) for c in column if str(c))
    return str(column)


def _excel_values(series) -> list:
    """One column as openpyxl-ready Python values (``None`` for an empty cell)."""
    import pandas as pd

    missing = series.isna().tolist()
    if isinstance(series.dtype, pd.CategoricalDtype):
        values = [str(v) for v in series.astype(object).tolist()]
    else:
        values = series.astype(object).tolist()
    return [None if miss else _excel_value(v) for v, miss in zip(values, missing, strict=True)]


def _excel_value(value):
    if _is_missing(value):
        return None
    value = _plain(value)
    if isinstance(value, bool) or isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None if math.isnan(value) else str(value)
        return value
    if isinstance(value, str):
        return _ILLEGAL_XML_CHARS.sub("", value)
    if isinstance(value, (Mapping, list, tuple, set, frozenset)):
        return _ILLEGAL_XML_CHARS.sub("", _as_text(value))
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, (_dt.datetime, _dt.time)) and value.tzinfo is not None:
        return value.isoformat()  # Excel has no time zones: keep the exact text
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value
    return _ILLEGAL_XML_CHARS.sub("", str(value))


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:g}")
    if isinstance(value, _dt.datetime):
        return 19
    return max((len(line) for line in str(value).splitlines()), default=0)


def _resolve_widths(sheet, headers, columns, given, *, low=10, high=60, blank=20) -> list[float]:
    if given is None:
        given = {}
    elif not isinstance(given, Mapping):
        given = list(given)
        if len(given) > len(headers):
            raise ValueError(f"widths: {len(given)} widths for {len(headers)} columns in sheet {sheet!r}")
        given = dict(zip(headers, given))
    else:
        unknown = [c for c in given if str(c) not in headers]
        if unknown:
            raise ValueError(f"widths: sheet {sheet!r} has no column(s) {unknown}")
        given = {str(k): v for k, v in given.items()}
    out = []
    for header, values in zip(headers, columns, strict=True):
        if header in given:
            out.append(float(given[header]))
            continue
        longest = max((_text_width(v) for v in values), default=0)
        natural = max(len(header), longest) + 2
        if longest == 0:  # an empty column is for writing in
            natural = max(natural, blank)
        out.append(float(min(max(natural, low), high)))
    return out


def _normalise_xlsx(data: bytes) -> bytes:
    """Re-zip an XLSX with fixed entry dates and fixed document dates, entries in their order."""
    import zipfile

    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + stamp.encode() + m.group(3),
                    body,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 0
            fixed.external_attr = 0
            dst.writestr(fixed, body, compresslevel=6)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------------------------


def _flat_value(value):
    """One attribute value as something GraphML and GEXF accept, or ``None`` to drop it."""
    if _is_missing(value):
        return None
    value = _plain(value)
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Mapping):
        return json.dumps(_jsonable(value), sort_keys=True, ensure_ascii=False)
    if isinstance(value, (list, tuple, set, frozenset)):
        return _as_text(value)
    return str(value)


def _flat_attrs(attrs) -> dict:
    out = {}
    for key in sorted(attrs, key=lambda k: str(k)):
        flat = _flat_value(attrs[key])
        if flat is not None:
            out[str(key)] = flat
    return out


def _sorted_copy(G, convert):
    """A new graph of G's class with nodes, edges and attribute names in a stable order."""
    H = G.__class__()
    for key in sorted(G.graph, key=str):
        value = G.graph[key]
        if key in ("node_default", "edge_default") and isinstance(value, Mapping):
            H.graph[key] = convert(value)
        else:
            H.graph.update(convert({key: value}))
    for node in sorted(G.nodes, key=_order_key):
        H.add_node(node, **convert(G.nodes[node]))
    if G.is_multigraph():
        edges = sorted(
            G.edges(keys=True, data=True), key=lambda e: (_order_key(e[0]), _order_key(e[1]), _order_key(e[2]))
        )
        for u, v, k, data in edges:
            H.add_edge(u, v, key=k, **convert(data))
    else:
        for u, v, data in sorted(G.edges(data=True), key=lambda e: (_order_key(e[0]), _order_key(e[1]))):
            H.add_edge(u, v, **convert(data))
    return H


def flatten_graph(G):
    """A copy of *G* whose attributes GraphML and GEXF writers accept.

    On the graph, every node and every edge: ``None`` (and pandas' missing values) are dropped;
    lists, tuples and sets are joined with ``"; "`` (sets sorted first); mappings become JSON
    with sorted keys; strings, integers, floats and booleans are kept (numpy scalars as Python
    ones); anything else becomes its ``str``. The copy has the same class (a MultiDiGraph keeps
    its edge keys), with nodes, edges and attribute names in sorted order. *G* is not changed.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph.

    Returns
    -------
    networkx.Graph
        The flattened copy.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(name="demo")
    >>> G.add_node("b", owners=["Board", "Staff"], note=None, extra={"z": 1, "a": 2}, leaf=True)
    >>> G.add_edge("b", "a", key="serves", evidence=("members", "dues"))
    'serves'
    >>> H = flatten_graph(G)
    >>> list(H.nodes)
    ['a', 'b']
    >>> H.nodes["b"]
    {'extra': '{"a": 2, "z": 1}', 'leaf': True, 'owners': 'Board; Staff'}
    >>> list(H.edges(keys=True, data=True))
    [('b', 'a', 'serves', {'evidence': 'members; dues'})]
    """
    return _sorted_copy(G, _flat_attrs)


def _graph_bytes(G, suffix: str) -> bytes:
    import networkx as nx

    if suffix == ".json":
        H = _sorted_copy(G, lambda attrs: {str(k): attrs[k] for k in sorted(attrs, key=str)})
        data = nx.node_link_data(H, edges="edges")
        return _dumps(data).encode("utf-8")
    H = flatten_graph(G)
    buffer = io.BytesIO()
    if suffix == ".graphml":
        # The ElementTree writer, not lxml's: the same bytes whether or not lxml is installed.
        nx.write_graphml_xml(H, buffer, encoding="utf-8", prettyprint=True)
        return buffer.getvalue()
    nx.write_gexf(_one_type_per_attribute(H), buffer, encoding="utf-8", prettyprint=True)
    data = buffer.getvalue()
    # GEXF's header carries today's date and the networkx version: drop the date, keep a
    # version-free creator, so the bytes depend on the graph only.
    data = re.sub(rb'(<meta\b[^>]*?)\s+lastmodifieddate="[^"]*"', rb"\1", data, count=1)
    data = re.sub(rb"<creator>[^<]*</creator>", b"<creator>NetworkX</creator>", data, count=1)
    return data


def _kind(value) -> type:
    return bool if isinstance(value, bool) else type(value)


def _common(kinds: set):
    """The one type a GEXF attribute declares: int+float as float, any other mix as str."""
    if len(kinds) <= 1:
        return None
    return float if kinds <= {int, float} else str


def _one_type_per_attribute(H):
    """GEXF declares one type per attribute (from the first value it meets) and cannot read back
    a value of another type: give every attribute, and a multigraph's edge keys, one type."""
    node_kinds: dict[str, set] = {}
    for _, data in H.nodes(data=True):
        for k, v in data.items():
            node_kinds.setdefault(k, set()).add(_kind(v))
    edge_kinds: dict[str, set] = {}
    for *_, data in H.edges(data=True):
        for k, v in data.items():
            edge_kinds.setdefault(k, set()).add(_kind(v))
    node_to = {k: t for k, kinds in node_kinds.items() if (t := _common(kinds))}
    edge_to = {k: t for k, kinds in edge_kinds.items() if (t := _common(kinds))}
    key_to = _common({_kind(k) for *_, k in H.edges(keys=True)}) if H.is_multigraph() else None
    if not (node_to or edge_to or key_to):
        return H
    H = H.copy()
    for _, data in H.nodes(data=True):
        for k, t in node_to.items():
            if k in data:
                data[k] = t(data[k])
    if key_to is not None:
        edges = list(H.edges(keys=True, data=True))
        H.remove_edges_from([(u, v, k) for u, v, k, _ in edges])
        for u, v, k, data in edges:
            H.add_edge(u, v, key=key_to(k), **data)
    for *_, data in H.edges(data=True):
        for k, t in edge_to.items():
            if k in data:
                data[k] = t(data[k])
    return H


def _graph_suffix(path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in GRAPH_FORMATS:
        raise ValueError(
            f"unsupported graph file type {Path(path).suffix or '(none)'!r} for {str(path)!r}; "
            f"supported: {', '.join(GRAPH_FORMATS)}"
        )
    return suffix


def write_graph(G, path) -> Path:
    """Write a networkx graph by file type, byte-identical for the same graph; atomic.

    ``.graphml`` and ``.gexf`` are written from :func:`flatten_graph` (GEXF without its date
    stamp); ``.json`` is networkx's node-link data (key ``"edges"``) with sorted keys and
    attributes as they are (sets as sorted lists, NaN as ``null``). Nodes and edges are written
    in sorted order (numbers, then strings, then the rest; edges by source, target, key).

    GEXF gives special meaning to some attribute names (node ``label``, ``pid``, ``start``,
    ``end``; edge ``id``, ``label``, ``weight``, ``type``, ``start``, ``end``) and writes only
    the graph's ``name`` and ``mode``; GraphML writes node ids as strings.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph; it is not changed.
    path : str or os.PathLike
        The file to write; its suffix chooses the format.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        For a suffix other than ``.graphml``, ``.gexf`` or ``.json``.

    Examples
    --------
    >>> import tempfile
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("goal:1", "value:Equity", key="serves", evidence=["equity", "access"])
    'serves'
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     H = read_graph(write_graph(G, Path(tmp) / "plan.graphml"))
    >>> list(H.edges(keys=True, data=True))
    [('goal:1', 'value:Equity', 'serves', {'evidence': 'equity; access'})]
    >>> write_graph(G, "plan.dot")
    Traceback (most recent call last):
    ...
    ValueError: unsupported graph file type '.dot' for 'plan.dot'; supported: .graphml, .gexf, .json
    """
    suffix = _graph_suffix(path)
    return atomic_write(path, _graph_bytes(G, suffix))


def read_graph(path):
    """Read a graph written by :func:`write_graph` (``.graphml``, ``.gexf`` or ``.json``).

    A graph written from a multigraph comes back as one with the same edge keys (integer keys
    as integers), even without parallel edges. What each format cannot carry stays lost: GraphML
    and GEXF give string node ids and flattened attributes; GEXF adds a ``label`` to every node,
    an ``id`` to every edge and ``mode`` to the graph, and both XML readers add empty
    ``node_default``/``edge_default`` graph attributes.

    Parameters
    ----------
    path : str or os.PathLike
        The file; its suffix chooses the format.

    Returns
    -------
    networkx.Graph
        The graph read.

    Examples
    --------
    >>> import tempfile
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key=0, tags=["x", "y"], note=None)
    0
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     H = read_graph(write_graph(G, Path(tmp) / "g.json"))
    >>> type(H).__name__, list(H.edges(keys=True, data=True))
    ('MultiDiGraph', [('a', 'b', 0, {'note': None, 'tags': ['x', 'y']})])
    """
    import networkx as nx

    suffix = _graph_suffix(path)
    p = Path(path)
    if suffix == ".json":
        data = json.loads(p.read_text(encoding="utf-8"))
        return nx.node_link_graph(data, edges="edges")
    raw = p.read_bytes()
    if suffix == ".graphml":
        import xml.etree.ElementTree as ET

        root = ET.fromstring(raw)
        edges = root.iter("{http://graphml.graphdrawing.org/xmlns}edge")
        keyed = any(e.get("id") is not None for e in edges)  # only multigraphs write edge ids
        return nx.parse_graphml(raw.decode("utf-8"), force_multigraph=keyed)
    return _read_gexf(p, keyed=b'title="networkx_key"' in raw)


def _read_gexf(path, *, keyed: bool):
    import networkx as nx
    from networkx.readwrite.gexf import GEXFReader

    if not keyed:
        return nx.read_gexf(path)

    class _KeepMulti(GEXFReader):
        # networkx turns a multigraph without parallel edges into a simple graph, dropping the
        # keys it wrote; keep it a multigraph when the file carries keys.
        def add_edge(self, *args, **kwargs):
            super().add_edge(*args, **kwargs)
            self.simple_graph = False

    with open(path, "rb") as fh:
        return _KeepMulti(node_type=None, version="1.2draft")(fh)


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def save_figure(fig, path, *, formats=("png", "svg", "pdf"), dpi=300) -> list[Path]:
    """Save a matplotlib figure in several formats, deterministically and atomically.

    The path may be given with or without a figure suffix (``coverage.png`` and ``coverage``
    both write ``coverage.png``, ``coverage.svg``, ``coverage.pdf``); any other suffix is kept as
    part of the name. Every format is rendered before any file is written. SVG and PDF carry
    no date, no matplotlib version and (SVG) fixed ids, so they are byte-identical for the same
    figure; PNG carries no software version and the resolution *dpi*.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (anything with a matplotlib ``savefig``).
    path : str or os.PathLike
        Where to write, with or without suffix.
    formats : sequence of str, default ("png", "svg", "pdf")
        Formats the figure's canvas supports.
    dpi : float, default 300
        Resolution of raster output.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of *formats*.

    Raises
    ------
    ValueError
        For a format the canvas cannot write, or no formats.

    Examples
    --------
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.subplots().bar(["a", "b"], [1, 2])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = save_figure(fig, Path(tmp) / "coverage.png")
    ...     print([p.name for p in paths])
    ['coverage.png', 'coverage.svg', 'coverage.pdf']
    """
    import matplotlib

    formats = [str(f).lower().lstrip(".") for f in formats]
    if not formats:
        raise ValueError("save_figure needs at least one format")
    figure = getattr(fig, "figure", fig)
    supported = figure.canvas.get_supported_filetypes()
    unknown = [f for f in formats if f not in supported]
    if unknown:
        raise ValueError(f"unsupported figure format(s) {unknown}; supported: {', '.join(sorted(supported))}")

    p = Path(path)
    if p.suffix.lower() in _FIGURE_SUFFIXES:
        p = p.with_suffix("")
    metadata = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }
    rendered = []
    with matplotlib.rc_context({"svg.hashsalt": _SVG_HASHSALT}):
        for fmt in formats:
            buffer = io.BytesIO()
            kwargs = {"metadata": metadata[fmt]} if fmt in metadata else {}
            fig.savefig(buffer, format=fmt, dpi=dpi, **kwargs)
            rendered.append((p.with_name(f"{p.name}.{fmt}"), buffer.getvalue()))
    return [atomic_write(target, data) for target, data in rendered]
