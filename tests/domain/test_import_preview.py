"""A dry run's preview is plain data: nothing to import when nothing would be added or changed."""

from __future__ import annotations

from domain.import_preview import ADDED, CLOSED, FieldChange, ImportPreview, RowPreview


def test_nothing_only_when_no_row_would_be_added_or_changed() -> None:
    assert ImportPreview().nothing
    assert not ImportPreview(added={"actions": 1}, rows=(RowPreview("action", "R-9", ADDED),)).nothing
    closing = RowPreview("action", "R-1", CLOSED, (FieldChange("status", "open", "closed"),))
    assert not ImportPreview(changed={"actions": 1}, closed={"action": 1}, rows=(closing,)).nothing
