"""The outside validators the tests run over every page: the Nu Html Checker and axe-core.

Both come from npm, pinned in package.json and package-lock.json and installed by `npm ci`
into node_modules/ (`make test` does it when npm is there; .ci/run installs Java and npm
first). The Nu Html Checker is a Java program (vnu-jar's vnu.jar, Java 11 or newer). Without
them a test that needs one is skipped with the reason, except with `CI=true`, where it fails:
a check that CI silently skips is a check nobody runs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
NODE_MODULES = PROJECT_DIR / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
INSTALL_HINT = "run `npm ci` in the project (make test does when npm is installed)"
VNU_TIMEOUT_SECONDS = 300
# One short run: the quick compiler only and the serial collector halve the checker's CPU time
# (measured: 3.5 s instead of 10 s of CPU for 360 pages) with the same report; the quick
# compiler's deeper stack frames need more than the default thread stack.
JAVA_OPTIONS = ["-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
# axe's impacts that fail a page; "moderate" and "minor" are reported by the tools, not here.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
NODES_SHOWN = 3


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def unavailable(reason: str) -> None:
    """Skip the test with `reason`, or fail it when CI must run everything."""
    if running_in_ci():
        pytest.fail(f"{reason}: with CI=true this check must run.", pytrace=False)
    pytest.skip(f"{reason}; skipped.")


def java_and_vnu() -> tuple[str, Path]:
    """The java command and vnu.jar, or the test is skipped (failed in CI)."""
    java = shutil.which("java")
    if java is None:
        unavailable("No `java` on PATH for the Nu Html Checker (Debian: default-jre-headless)")
    if not VNU_JAR.is_file():
        unavailable(f"The Nu Html Checker is not installed ({VNU_JAR}): {INSTALL_HINT}")
    return java, VNU_JAR


def axe_script() -> Path:
    if not AXE_SCRIPT.is_file():
        unavailable(f"axe-core is not installed ({AXE_SCRIPT}): {INSTALL_HINT}")
    return AXE_SCRIPT


@dataclass(frozen=True)
class Document:
    """A page to validate: who saw it, where, and its HTML."""

    role: str
    url: str
    html: str


def vnu_errors(documents: Sequence[Document], workdir: Path) -> list[str]:
    """The Nu Html Checker's errors in every document, in one run of the checker (starting
    Java costs seconds; checking a page costs milliseconds). One line per error, naming the
    role, the address, the line and the checker's message."""
    java, jar = java_and_vnu()
    workdir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Document] = {}  # file name -> the document in it
    for number, document in enumerate(documents):
        path = workdir / f"page-{number:04d}.html"
        path.write_text(document.html, encoding="utf-8")
        files[path.name] = document
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        [java, *JAVA_OPTIONS, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout"]
        + [str(workdir / name) for name in files],
        capture_output=True,
        text=True,
        timeout=VNU_TIMEOUT_SECONDS,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(
            f"The Nu Html Checker gave no report (exit {result.returncode}): "
            f"{result.stderr.strip() or result.stdout.strip()}"
        ) from exc
    errors = []
    for message in messages:
        # The checker names each file by a file: URL; the name is enough to find it.
        document = files.get(message.get("url", "").rsplit("/", 1)[-1])
        where = f"{document.role} {document.url}" if document else message.get("url", "?")
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"- {where}, line {line}: {message['message']} [{extract}]")
    return errors


def blocking_violations(url: str, violations: list[dict[str, Any]]) -> list[str]:
    """axe's serious and critical violations on one page, one line each: rule, impact, help
    and the first elements."""
    lines = []
    for violation in violations:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = [", ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
        more = f" (and {len(targets) - NODES_SHOWN} more)" if len(targets) > NODES_SHOWN else ""
        lines.append(
            f"- {url}: {violation['id']} ({violation['impact']}): {violation['help']}. "
            f"Elements: {'; '.join(targets[:NODES_SHOWN])}{more}"
        )
    return lines
