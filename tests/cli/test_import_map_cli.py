"""`import --map mapping.toml` reads the force's own layout; `import --dry-run` shows what would change
and stores nothing."""

from __future__ import annotations

from sqlalchemy import create_engine

from tests.cli.support import run
from tests.store.snapshot import snapshot
from tests.store.workbook.their_layout import MAPPING_TOML, their_sheets
from tests.store.workbooks import minimal_sheets, write_workbook


def test_dry_run_then_import_through_a_mapping(sqlite_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    (tmp_path / "map.toml").write_text(MAPPING_TOML)
    theirs = write_workbook(tmp_path / "theirs.xlsx", their_sheets(minimal_sheets()))
    assert run(capsys, "--today", "2020-11-30", "migrate")[0] == 0
    engine = create_engine(sqlite_url)
    before = snapshot(engine)
    code, out, err = run(
        capsys, "--today", "2020-11-30", "import", str(theirs), "--map", str(tmp_path / "map.toml"), "--dry-run"
    )
    assert code == 0, err
    assert out.splitlines()[0] == (
        f"dry run of {theirs}, nothing was stored: actions: 2 new, 0 changed; audits: 1 new, 0 changed; "
        "inspections: 1 new, 0 changed; people: 2 new, 0 changed"
    )
    assert "  added action R-1" in out.splitlines()
    assert snapshot(engine) == before
    code, out, err = run(capsys, "--today", "2020-11-30", "import", str(theirs), "--map", str(tmp_path / "map.toml"))
    assert code == 0 and out.startswith(f"imported {theirs}: actions: 2 new"), err
    engine.dispose()


def test_a_bad_mapping_file_is_listed_and_nothing_is_imported(sqlite_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    (tmp_path / "map.toml").write_text('[actions.columns]\nreff = "Rec No"\n')
    book = write_workbook(tmp_path / "theirs.xlsx", minimal_sheets())
    code, out, err = run(capsys, "import", str(book), "--map", str(tmp_path / "map.toml"))
    assert code == 1
    assert err.splitlines() == [
        f"error: {tmp_path / 'map.toml'}: 1 problem; nothing was imported:",
        "  map.toml: the mapping names column 'reff': use one of ref, audit_id, description, risk, business_group, "
        "owner_email, due_date, revised_due_date, status, delay_reason, key_theme, implemented_on, closed_on, "
        "last_update_on, last_update_note, evidence_note, evidence_link",
    ]
