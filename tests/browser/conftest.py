"""Fixtures of the browser tests: Debian's headless Chromium driven by Selenium, JupyterLab on a
free port of 127.0.0.1 serving a copy of the notebooks.

These tests run only from ``make test-browser`` (which sets ``COREPLAN_BROWSER_TESTS=1``); plain
``pytest`` / ``make test`` does not collect them. Without Chromium they skip with one line
saying how to install it, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

if not os.environ.get("COREPLAN_BROWSER_TESTS"):
    collect_ignore = ["test_browser.py"]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
WORK = BUILD / "browser"
SCREENSHOTS = BUILD / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL = "apt-get install chromium chromium-driver"

#: Flags measured to work for headless Chromium on this kind of machine (stack notes).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

#: JupyterLab settings for a test run: no news toast or update check covering the page, no
#: autosave, every cell attached to the page (no windowing), so what is checked is all there.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def _missing() -> str | None:
    for path, what in ((CHROMIUM, "Chromium"), (CHROMEDRIVER, "chromedriver")):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{what} not found at {path}: install it with `{INSTALL}` (as root)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    return None


@pytest.fixture(scope="session")
def browser_available():
    why = _missing()
    if why:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="session")
def timings():
    """Seconds per step, written to build/screenshots/timings.json at the end."""
    out: dict = {}
    yield out
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "timings.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


@pytest.fixture(scope="session")
def jupyter_env():
    """Environment keeping Jupyter, IPython, matplotlib and the lab settings under build/browser."""
    env = dict(os.environ)
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                     ("MPLCONFIGDIR", "matplotlib"), ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
        (WORK / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(WORK / sub)
    env.pop("MPLBACKEND", None)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab(browser_available, jupyter_env, timings):
    """A JupyterLab server on a copy of notebooks/ (runs never touch the committed files).

    Yields a dict with ``url`` (base URL), ``token`` and ``root`` (the served folder).
    """
    root = WORK / "root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = WORK / "app-settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=1))
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
           "--ServerApp.open_browser=False", "--LabApp.expose_app_in_browser=True",
           f"--LabApp.app_settings_dir={settings}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(WORK / "lab.log", "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=root, env=jupyter_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start (see {WORK / 'lab.log'})")
            time.sleep(0.25)
        timings["lab_start_s"] = round(time.monotonic() - t0, 1)
        yield {"url": url, "token": token, "root": root}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def driver(browser_available, timings):
    """A Selenium-driven headless Chromium (Debian's chromium and chromedriver)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="coreplan-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}", "--window-size=1400,1000"]:
        opts.add_argument(flag)
    WORK.mkdir(parents=True, exist_ok=True)  # chromedriver exits at once if it cannot open its log
    t0 = time.monotonic()
    drv = webdriver.Chrome(service=Service(CHROMEDRIVER, log_output=str(WORK / "chromedriver.log")),
                           options=opts)
    timings["browser_start_s"] = round(time.monotonic() - t0, 1)
    drv.set_page_load_timeout(60)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def screenshots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def packet(lab, timings):
    """The retreat packet of the bundled plans, where notebook 05 writes it (so the served copy
    of notebook 05 finds it as the committed one would): ``<root>/build/notebook-packet``."""
    import coreplan_analysis as cpa

    t0 = time.monotonic()
    folder = cpa.build_packet(cpa.load_catalog(), lab["root"] / "build" / "notebook-packet", pdf=False)
    timings["packet_build_s"] = round(time.monotonic() - t0, 1)
    return folder


@pytest.fixture()
def chromium_cmd(browser_available):
    """The headless Chromium command line for one-shot jobs (--print-to-pdf), own profile each."""
    profile = tempfile.mkdtemp(prefix="coreplan-chromium-")
    yield [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    shutil.rmtree(profile, ignore_errors=True)
