"""The production static pipeline: collectstatic with whitenoise's manifest storage.

With DEBUG off every `{% static %}` goes through the manifest, so a file that collectstatic
could not process makes every page answer 500. These tests run the same storage as
production, into a temporary STATIC_ROOT.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from whitenoise.storage import MissingFileError

PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def collect(static_root: Path, dirs: list[Path]) -> dict[str, str]:
    with override_settings(
        STATIC_ROOT=static_root, STATICFILES_DIRS=dirs, STORAGES=PRODUCTION_STORAGES
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
    return json.loads((static_root / "staticfiles.json").read_text())["paths"]


def test_it_collects_the_projects_static_files_with_hashed_names(tmp_path: Path) -> None:
    paths = collect(tmp_path / "root", [Path(settings.BASE_DIR) / "static"])
    css = paths["vendor/bootstrap/bootstrap.min.css"]
    assert css != "vendor/bootstrap/bootstrap.min.css" and css.endswith(".css")
    assert (tmp_path / "root" / css).exists()
    assert (tmp_path / "root" / (css + ".gz")).exists()  # compressed for whitenoise
    assert "img/favicon.svg" in paths


def test_it_fails_when_a_stylesheet_names_a_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "static"
    (broken / "css").mkdir(parents=True)
    (broken / "css" / "broken.css").write_text("body { background: url(missing.png); }\n")
    with pytest.raises(MissingFileError):
        collect(tmp_path / "root", [broken])


def test_vendored_files_name_no_source_map() -> None:
    # Source maps are not shipped (static/vendor/README): a sourceMappingURL comment would
    # make collectstatic fail with MissingFileError.
    vendor = Path(settings.BASE_DIR) / "static" / "vendor"
    offenders = [
        str(path.relative_to(vendor))
        for path in vendor.rglob("*")
        if path.suffix in {".css", ".js"} and "sourceMappingURL" in path.read_text()
    ]
    assert offenders == []
