"""Reading a team directory file (CSV or YAML, by extension) into drafts with their line numbers.

Columns (CSV) or keys (YAML), all but `name` and `leads` optional:

    name, leads, channel, city, away_cap, blackouts, sprint_weeks, sprint_start,
    visitors_per_quarter, rest_days

`leads` are Slack user IDs separated by spaces, commas or semicolons (a YAML list works too);
`blackouts` are periods like `2026-12-14..2026-12-18 release freeze` separated by `;` (or a YAML
list). An empty cell leaves a known team's field as it is; `-` alone clears it. Values are taken
as text and read by bot.directory, exactly as the form's are, so a value
YAML would turn into a date, a number or a yes/no is read the same way as in a CSV file.

A file that cannot be read at all raises TeamFileError; a row with unknown keys carries its
problems so the import reports it and carries on with the others.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.user_text import clean_user_text
from bot.directory.model import DRAFT_FIELDS, TeamDraft, split_leads

BLACKOUT_SEPARATOR = ";"
CLEAR = "-"  # a cell holding only this clears the field; an empty cell keeps it
COLUMNS = DRAFT_FIELDS
_YAML_NULL = "tag:yaml.org,2002:null"


class TeamFileError(ValueError):
    """The file as a whole cannot be read; the message names the file and, if known, the line."""


@dataclass(frozen=True)
class TeamRow:
    line: int
    draft: TeamDraft
    problems: tuple[str, ...] = field(default=())


def read_team_file(path: Path) -> list[TeamRow]:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yml", ".yaml"):
        raise TeamFileError(f"{path}: use a .csv, .yml or .yaml file (the extension says which).")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TeamFileError(f"{path}: cannot read it ({error}).") from None
    if suffix == ".csv":
        return parse_team_csv(text, str(path))
    return parse_team_yaml(text, str(path))


def parse_team_csv(text: str, source: str = "<csv>") -> list[TeamRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise TeamFileError(
            f"{source}: the file is empty; the first line names the columns."
        ) from None
    except csv.Error as error:
        raise TeamFileError(f"{source}, line 1: {error}.") from None
    _check_header(header, source)
    rows: list[TeamRow] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(_csv_row(line, header, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise TeamFileError(f"{source}, line {line}: {error}.") from None
    return rows


def _check_header(header: list[str], source: str) -> None:
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise TeamFileError(
            f"{source}, line 1: unknown column {', '.join(map(repr, unknown))}; "
            f"the columns are {', '.join(COLUMNS)}."
        )
    repeated = sorted({column for column in header if header.count(column) > 1})
    if repeated:
        raise TeamFileError(f"{source}, line 1: column {', '.join(repeated)} appears twice.")
    if "name" not in header:
        raise TeamFileError(f"{source}, line 1: the header needs a name column.")


def _csv_row(line: int, header: list[str], cells: list[str]) -> TeamRow:
    problems: tuple[str, ...] = ()
    if len(cells) > len(header):
        problems = (f"it has {len(cells)} cells but the header names {len(header)} columns.",)
    values = dict(zip(header, cells, strict=False))
    return TeamRow(line, _draft(values), problems)


def parse_team_yaml(text: str, source: str = "<yaml>") -> list[TeamRow]:
    """A list of teams, at the top of the file or under a `teams:` key."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{source}, line {mark.line + 1}" if mark else source
        raise TeamFileError(f"{where}: not valid YAML ({error.problem}).") from None
    except yaml.YAMLError as error:
        raise TeamFileError(f"{source}: not valid YAML ({error}).") from None
    if root is None:
        raise TeamFileError(f"{source}: the file is empty; it should list teams.")
    if isinstance(root, yaml.MappingNode):
        teams = [value for key, value in root.value if _scalar(key) == "teams"]
        if not teams:
            raise TeamFileError(f"{source}: put the teams in a list under `teams:`.")
        root = teams[0]
    if not isinstance(root, yaml.SequenceNode):
        raise TeamFileError(
            f"{source}, line {root.start_mark.line + 1}: expected a list of teams "
            "(each starting with `- name: …`)."
        )
    return [_yaml_row(item) for item in root.value]


def _yaml_row(item: yaml.Node) -> TeamRow:
    line = item.start_mark.line + 1
    if not isinstance(item, yaml.MappingNode):
        return TeamRow(line, TeamDraft(), ("expected a team with keys such as `name:`.",))
    values: dict[str, str] = {}
    problems: list[str] = []
    for key_node, value_node in item.value:
        key = _scalar(key_node).strip().lower()
        if key not in COLUMNS:
            problems.append(f"unknown key {key!r}; the keys are {', '.join(COLUMNS)}.")
        elif key in values:
            problems.append(f"{key} is given twice.")
        elif isinstance(value_node, yaml.SequenceNode) and key in ("leads", "blackouts"):
            separator = " " if key == "leads" else BLACKOUT_SEPARATOR
            values[key] = separator.join(_scalars(value_node.value, key, problems))
        elif isinstance(value_node, yaml.ScalarNode):
            values[key] = _scalar(value_node)
        else:
            problems.append(f"{key}: expected a single value.")
    return TeamRow(line, _draft(values), tuple(problems))


def _scalars(nodes: Iterable[yaml.Node], key: str, problems: list[str]) -> list[str]:
    texts = []
    for node in nodes:
        if isinstance(node, yaml.ScalarNode):
            texts.append(_scalar(node))
        else:
            problems.append(f"{key}: each item of the list should be a single value.")
    return texts


def _scalar(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag == _YAML_NULL:
        return ""
    return str(node.value)


def _draft(values: dict[str, str]) -> TeamDraft:
    """The draft of a row; blackouts keep the file's `;` separators (read_team splits them)."""
    text = {name: clean_user_text(values.get(name) or "").strip() for name in COLUMNS}
    leads = split_leads(text.pop("leads"))
    return TeamDraft(**text, leads=leads)
