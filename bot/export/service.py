"""`tourism export`: one data set as a table, leaving out what people did not agree to share."""

from __future__ import annotations

from typing import Protocol

from bot.export.model import COLUMNS, Dataset, Row, Table, with_consent


class ExportSource(Protocol):
    def rows(self, dataset: Dataset, workspace_id: str | None) -> list[Row]: ...


class ExportReader(Protocol):
    @property
    def export(self) -> ExportSource: ...


def export_table(uow: ExportReader, dataset: Dataset, workspace_id: str | None) -> Table:
    """Every workspace's rows when `workspace_id` is None (each row names its workspace)."""
    rows = uow.export.rows(dataset, workspace_id)
    if dataset is Dataset.RETROS:
        rows = [with_consent(row) for row in rows]
    return Table(COLUMNS[dataset], rows)
