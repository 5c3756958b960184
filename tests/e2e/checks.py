"""The page checkers of the browser tests: axe-core in the open tab (serious and
critical violations) and the Nu HTML Checker on saved pages (errors)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
VNU = Path(__file__).resolve().parents[2] / "var" / "node" / "node_modules" / "vnu-jar"
SERIOUS = {"serious", "critical"}


def vnu_jar():
    jar = VNU / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        pytest.fail(
            f"The Nu HTML Checker is missing at {jar}: `make test` installs it "
            "(npm install --prefix var/node vnu-jar)."
        )
    if shutil.which("java") is None:
        pytest.fail(
            "Java is needed to run the Nu HTML Checker (apt install default-jre)."
        )
    return jar


def axe_problems(tab, axe_source, label):
    """Serious and critical axe-core violations of the page open in `tab`."""
    tab.evaluate(axe_source)
    result = tab.evaluate(
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    return [f"{label}: {v}" for v in result if v["impact"] in SERIOUS]


def html_errors(jar, saved):
    """Nu HTML Checker errors of the saved pages [(file, label)], one java run."""
    checked = subprocess.run(  # noqa: S603 — our own files through java
        [
            shutil.which("java"),
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            *[str(f) for f, _label in saved],
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    labels = {f.as_uri(): label for f, label in saved}
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')
    return [
        f"HTML {labels.get(m.get('url'), m.get('url'))}: {m.get('message')}"
        for m in messages.get("messages", [])
        if m.get("type") == "error"
    ]
