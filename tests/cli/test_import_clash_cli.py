"""Issue 25 finding 9 as an operator meets it: `import` of a workbook that reuses a stored Entra object
id prints the sheet, row and column with what to do, exits 1, and shows no IntegrityError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import run
from tests.store.workbooks import minimal_sheets, write_workbook


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_object_id_clash_is_an_import_problem(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.fakes.databases import fresh_database_url, pg_skip_reason

    if backend == "postgresql" and (reason := pg_skip_reason()):
        pytest.skip(reason)
    with fresh_database_url(backend, tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        assert run(capsys, "migrate")[0] == 0
        assert run(capsys, "import", str(write_workbook(tmp_path / "ok.xlsx", minimal_sheets())))[0] == 0
        clash = write_workbook(
            tmp_path / "clash.xlsx",
            {"People": [["email", "name", "aad_object_id"], ["eve@force.example", "Eve New", "aad-ann"]]},
        )
        code, out, err = run(capsys, "import", str(clash))
    assert code == 1, out + err
    assert err == (
        f"error: {clash}: 1 problem; nothing was imported:\n"
        "  People row 2, column aad_object_id: aad_object_id 'aad-ann' already belongs to ann.owner@force.example "
        "in the tracker: check the id; to move it, clear theirs in one import and give it here in the next\n"
    )
    assert "Traceback" not in out + err and "IntegrityError" not in out + err
