"""Importing young people and tutor groups from a CSV export of the school's MIS: all or nothing.

The file needs a header row naming six columns (the common MIS spellings are understood, see HEADERS):
UPN, forename, surname, date of birth, year group and tutor group. Every row is checked; if any row is
refused, nothing is saved and the report says, row by row, what is wrong. If every row passes, every row is
saved in one transaction: a row whose UPN is already recorded updates that young person; tutor groups not yet
recorded are created. Young people who are not in the file are left as they are.

Rows are numbered as a spreadsheet numbers them: the header is row 1, the first young person row 2.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import PurePath

from cse_platform.accounts.models import User
from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.selectors.people import people_manager

from .people import (
    NOT_ALLOWED,
    date_of_birth_problem,
    name_problem,
    tutor_group_name_problem,
    upn_normalise,
    upn_problem,
    year_group_problem,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
FILE_EXTENSIONS = (".csv", ".txt")


class Column(StrEnum):
    UPN = "upn"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    DATE_OF_BIRTH = "date_of_birth"
    YEAR_GROUP = "year_group"
    TUTOR_GROUP = "tutor_group"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Column.UPN: "UPN",
    Column.FIRST_NAME: "forename",
    Column.LAST_NAME: "surname",
    Column.DATE_OF_BIRTH: "date of birth",
    Column.YEAR_GROUP: "year group",
    Column.TUTOR_GROUP: "tutor group",
}

# Header spellings of the common MIS exports. Headers are compared without case, spaces or punctuation, so
# "Legal Forename", "LEGAL_FORENAME" and "legal-forename" are one; "Forename(s)" reads as "Forenames".
HEADERS: dict[Column, tuple[str, ...]] = {
    Column.UPN: ("UPN", "Unique Pupil Number", "Pupil UPN"),
    Column.FIRST_NAME: ("Legal Forename", "Legal Forenames", "Forename", "Forenames", "Forename(s)", "First name",
                        "First names", "Given name", "Given names"),
    Column.LAST_NAME: ("Legal Surname", "Surname", "Last name", "Family name"),
    Column.DATE_OF_BIRTH: ("DOB", "Date of Birth", "Birth date", "Birthdate"),
    Column.YEAR_GROUP: ("Year", "NC Year", "NC Year Actual", "Year group", "National Curriculum Year",
                        "Curriculum Year"),
    Column.TUTOR_GROUP: ("Reg Group", "Registration Group", "Reg", "Tutor Group", "Tutor", "Form", "Form Group",
                         "Form Class"),
}


def header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower().replace("(s)", "s"))


_HEADER_COLUMNS = {header_key(spelling): column for column, spellings in HEADERS.items() for spelling in spellings}


@dataclass
class RowReport:
    """One refused row: its number, its UPN as written, and each problem in plain words."""

    row: int
    upn: str
    problems: list[str]


@dataclass
class ImportReport:
    check_only: bool
    saved: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    tutor_groups_created: list[str] = field(default_factory=list)
    columns_ignored: list[str] = field(default_factory=list)
    refused: list[RowReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def summary(self) -> str:
        if self.refused:
            count = len(self.refused)
            return (f"Nothing was saved: {count} row{'s' if count != 1 else ''} of {self.rows} "
                    f"{'have' if count != 1 else 'has'} a problem. Correct the file and import it again.")
        would = "" if self.saved else "would be "
        parts = [f"{self.created} young {'person' if self.created == 1 else 'people'} {would}added",
                 f"{self.updated} {would}updated", f"{self.unchanged} {'are' if not self.saved else 'were'} "
                 "already up to date"]
        if self.tutor_groups_created:
            parts.append(f"tutor group{'s' if len(self.tutor_groups_created) != 1 else ''} "
                         f"{', '.join(self.tutor_groups_created)} {would}created")
        head = "Imported" if self.saved else "The file is ready to import, nothing was saved"
        return f"{head}: " + "; ".join(parts) + "."

    def as_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok, "summary": self.summary}


@dataclass
class _Row:
    number: int
    upn_raw: str
    upn: str = ""
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    year_group: int | None = None
    tutor_group: str = ""
    problems: list[str] = field(default_factory=list)


def _refuse_file(*messages: str):
    raise ValidationError({"file": list(messages)})


# Reading the file -------------------------------------------------------------------------------------------


def _text_of(content: bytes, filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if content.startswith(b"PK\x03\x04") or content.startswith(b"\xd0\xcf\x11\xe0"):
        _refuse_file("This is an Excel workbook, not a CSV file. Open it in Excel and save it as “CSV UTF-8”, "
                     "or export CSV from the MIS, then upload that file.")
    if content.startswith(b"%PDF"):
        _refuse_file("This is a PDF, not a CSV file. Export the list from the MIS as CSV.")
    if suffix and suffix not in FILE_EXTENSIONS:
        _refuse_file(f"“{PurePath(filename).name}” is not a CSV file: the file must be a CSV export (ending .csv).")
    if b"\x00" in content:
        _refuse_file("This file is not a CSV file (it is not text). Export the list from the MIS as CSV.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    _refuse_file("This file's text could not be read. Save it as “CSV UTF-8” and upload it again.")
    return ""  # pragma: no cover - _refuse_file raises


def _delimiter(text: str) -> str:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _records(text: str) -> list[list[str]]:
    try:
        return [[cell.strip() for cell in record] for record in csv.reader(io.StringIO(text, newline=""),
                                                                          delimiter=_delimiter(text))]
    except csv.Error as error:
        _refuse_file(f"The file could not be read as CSV ({error}). Export it from the MIS as CSV again.")
        return []  # pragma: no cover


def _columns(header: list[str]) -> tuple[dict[Column, int], list[str]]:
    found: dict[Column, list[int]] = {}
    ignored = []
    for index, title in enumerate(header):
        column = _HEADER_COLUMNS.get(header_key(title))
        if column is None:
            if title:
                ignored.append(title)
        else:
            found.setdefault(column, []).append(index)
    problems = []
    if not found and any(upn_problem(upn_normalise(cell)) is None for cell in header):
        _refuse_file("The first row must be a header naming the columns, but it looks like a young person's "
                     "details. Add a header row, e.g. UPN, Legal Forename, Legal Surname, DOB, Year, Reg Group.")
    for column in Column:
        if column not in found:
            spellings = " or ".join(f"“{s}”" for s in HEADERS[column][:3])
            problems.append(f"The file has no {column.label} column (a header such as {spellings}).")
        elif len(found[column]) > 1:
            titles = " and ".join(f"“{header[i]}”" for i in found[column])
            problems.append(f"The file has more than one {column.label} column ({titles}): keep one.")
    if problems:
        if not found:
            problems.insert(0, "The first row must be a header naming the columns; none of its headings is one "
                               "this import knows.")
        _refuse_file(*problems)
    return {column: indexes[0] for column, indexes in found.items()}, ignored


_DATE_FORMATS = ((re.compile(r"\d{1,2}/\d{1,2}/\d{4}"), "%d/%m/%Y"), (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "%Y-%m-%d"))


def _parse_date(value: str) -> date | None:
    """DD/MM/YYYY or YYYY-MM-DD, four-digit years only; a midnight time that spreadsheets add is ignored."""
    value = re.sub(r"\s+00:00(:00)?$", "", value)
    for pattern, date_format in _DATE_FORMATS:
        if pattern.fullmatch(value):
            try:
                return datetime.strptime(value, date_format).date()
            except ValueError:
                return None
    return None


def _parse_year(value: str) -> int | None:
    match = re.fullmatch(r"(?:(?:nc\s*)?(?:year|yr|y)\s*)?0*(\d{1,2})", value.strip().lower())
    return int(match.group(1)) if match else None


def _row(number: int, cells: list[str], columns: dict[Column, int], *, today: date) -> _Row:
    def cell(column: Column) -> str:
        index = columns[column]
        return cells[index] if index < len(cells) else ""

    row = _Row(number=number, upn_raw=cell(Column.UPN))
    row.upn = upn_normalise(row.upn_raw)
    row.first_name, row.last_name = cell(Column.FIRST_NAME), cell(Column.LAST_NAME)
    row.tutor_group = cell(Column.TUTOR_GROUP)
    problems = [upn_problem(row.upn), name_problem("forename", row.first_name),
                name_problem("surname", row.last_name)]

    born = cell(Column.DATE_OF_BIRTH)
    if not born:
        problems.append("The date of birth is missing.")
    else:
        row.date_of_birth = _parse_date(born)
        problems.append(f"The date of birth “{born}” is not a date: write it as DD/MM/YYYY or YYYY-MM-DD."
                        if row.date_of_birth is None else date_of_birth_problem(row.date_of_birth, today=today))

    year = cell(Column.YEAR_GROUP)
    if not year:
        problems.append("The year group is missing.")
    else:
        row.year_group = _parse_year(year)
        problems.append(f"The year group “{year}” is not a year: use a number from 7 to 14."
                        if row.year_group is None else year_group_problem(row.year_group))

    # A blank tutor group is allowed: the young person is then in no tutor group.
    if row.tutor_group:
        problems.append(tutor_group_name_problem(row.tutor_group))
    row.problems = [problem for problem in problems if problem]
    return row


def mis_upload_read(upload) -> bytes:
    """The bytes of an uploaded file, refusing one too large without reading it all."""
    if upload.size > MAX_BYTES:
        _refuse_file(f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest file this import takes is "
                     f"{MAX_BYTES // 1024 // 1024} MB. Split it, for example by year group.")
    return upload.read(MAX_BYTES + 1)


def mis_file_read(*, content: bytes, filename: str = "", today: date | None = None) -> tuple[list[_Row], list[str]]:
    """The rows of an MIS export, each checked on its own, and the headings that were ignored. A file that
    cannot be used at all raises ValidationError({"file": [...]}) naming what is wrong."""
    if not content.strip():
        _refuse_file("The file is empty.")
    if len(content) > MAX_BYTES:
        _refuse_file(f"The file is {len(content) / 1024 / 1024:.1f} MB; the largest file this import takes is "
                     f"{MAX_BYTES // 1024 // 1024} MB. Split it, for example by year group.")
    records = _records(_text_of(content, filename))
    numbered = [(number, cells) for number, cells in enumerate(records, start=1) if any(cells)]
    if not numbered:
        _refuse_file("The file is empty.")
    (_, header), *data = numbered
    columns, ignored = _columns(header)
    if not data:
        _refuse_file("The file has a header row but no young people in it.")
    if len(data) > MAX_ROWS:
        _refuse_file(f"The file has {len(data):,} rows of young people; the most one file may have is "
                     f"{MAX_ROWS:,}. Split it, for example by year group.")
    today = today or timezone.localdate()
    rows = [_row(number, cells, columns, today=today) for number, cells in data]
    seen: dict[str, list[int]] = {}
    for row in rows:
        if row.upn:
            seen.setdefault(row.upn, []).append(row.number)
    for row in rows:
        others = [n for n in seen.get(row.upn, []) if n != row.number]
        if others:
            listed = ", ".join(str(n) for n in others)
            row.problems.append(f"The UPN {row.upn} is also on row{'s' if len(others) > 1 else ''} {listed}: "
                                "each young person must appear once.")
    return rows, ignored


# Saving -----------------------------------------------------------------------------------------------------


def _group_year(rows: list[_Row]) -> int:
    """A new tutor group takes the year group most of its young people are in (the lowest, on a tie)."""
    counts = Counter(row.year_group for row in rows)
    return min(counts, key=lambda year: (-counts[year], year))


_FIELDS = ("first_name", "last_name", "date_of_birth", "year_group", "tutor_group")


def _apply(rows: list[_Row], report: ImportReport, *, save: bool) -> dict[str, list[int]]:
    groups = {group.name.lower(): group for group in TutorGroup.objects.all()}
    new_groups: dict[str, list[_Row]] = {}
    for row in rows:
        if row.tutor_group and row.tutor_group.lower() not in groups:
            new_groups.setdefault(row.tutor_group.lower(), []).append(row)
    for key, members in new_groups.items():
        group = TutorGroup(name=members[0].tutor_group, year_group=_group_year(members))
        if save:
            group.save()
        groups[key] = group
        report.tutor_groups_created.append(group.name)

    existing = {person.upn: person for person in
                YoungPerson.objects.filter(upn__in=[row.upn for row in rows]).select_related("tutor_group")}
    to_create, to_update = [], []
    for row in rows:
        values = {"first_name": row.first_name, "last_name": row.last_name, "date_of_birth": row.date_of_birth,
                  "year_group": row.year_group,
                  "tutor_group": groups[row.tutor_group.lower()] if row.tutor_group else None}
        person = existing.get(row.upn)
        if person is None:
            to_create.append(YoungPerson(upn=row.upn, **values))
            continue
        before = [getattr(person, name) for name in _FIELDS]
        for name, value in values.items():
            setattr(person, name, value)
        if [getattr(person, name) for name in _FIELDS] != before:
            to_update.append(person)
    report.created, report.updated = len(to_create), len(to_update)
    report.unchanged = len(rows) - len(to_create) - len(to_update)
    if not save:
        return {}
    created = YoungPerson.objects.bulk_create(to_create, batch_size=500)
    YoungPerson.objects.bulk_update(to_update, list(_FIELDS), batch_size=500)
    report.saved = True
    return {"created_ids": [p.pk for p in created], "updated_ids": [p.pk for p in to_update]}


def mis_import(*, actor: User, content: bytes, filename: str = "", check_only: bool = False) -> ImportReport:
    """Check an MIS export and, unless `check_only`, save it: every row or none.

    A file that cannot be used raises ValidationError({"file": [...]}). Otherwise the report says what was
    (or would be) created and updated, or, if any row is refused, each refused row's problems; then nothing is
    saved. One audit event records the outcome and the counts, never a name.
    """
    if not people_manager(actor):
        raise ActionRefused([NOT_ALLOWED])
    rows, ignored = mis_file_read(content=content, filename=filename)
    report = ImportReport(check_only=check_only, rows=len(rows), columns_ignored=ignored)
    report.refused = [RowReport(row=row.number, upn=row.upn_raw, problems=row.problems)
                      for row in rows if row.problems]
    ids: dict[str, list[int]] = {}
    try:
        with transaction.atomic():
            if report.ok:
                ids = _apply(rows, report, save=not check_only)
            outcome = "refused" if not report.ok else "checked" if check_only else "saved"
            audit_record(actor=actor, action="young_people.import", subject_type="mis_import", detail={
                "outcome": outcome, "rows": report.rows, "refused_rows": len(report.refused),
                "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
                "tutor_groups_created": len(report.tutor_groups_created), **ids,
            })
    except IntegrityError:
        raise ActionRefused(["Someone else changed these young people while this file was being imported. "
                             "Nothing from the file was saved: import it again."]) from None
    return report
