"""Project files agree with each other: environment.yml and pyproject.toml, .gitattributes, raw data."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml
from conftest import RAW, ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_environment_yml_lists_pyproject_dependencies():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    want = {_name(r): r.replace(" ", "") for r in py["dependencies"]}
    for extra in py["optional-dependencies"].values():
        want.update({_name(r): r.replace(" ", "") for r in extra})
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in deps
    have = {_name(d): d.replace(" ", "") for d in deps if _name(d) not in ("python", "pip")}
    assert have == want
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert pip == ["-e ."]


def test_raw_files_match_catalog_hashes():
    import hashlib

    cat = yaml.safe_load((ROOT / "data" / "plans.yaml").read_text())
    for entry in cat["plans"]:
        data = (ROOT / "data" / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["id"]
    assert sorted(p.name for p in RAW.iterdir()) == sorted((ROOT / "data" / e["file"]).name for e in cat["plans"])


def test_gitattributes_keeps_raw_bytes():
    assert "data/raw/** -text" in (ROOT / ".gitattributes").read_text().splitlines()


def test_import_is_cheap():
    code = ("import sys, coreplan_analysis; heavy = [m for m in ('pandas', 'matplotlib', 'sklearn', "
            "'networkx', 'scipy') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
