"""Import members from .xlsx or .csv: stage → preview with per-row errors → commit all
or nothing. De-duplicates on the party card number, else full name + birth date, and
updates members found again."""

import csv
import io
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.worksheet._reader import WorkSheetParser

from . import services
from .models import (
    EventKind,
    Gender,
    ImportBatch,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


class ColumnKind(StrEnum):
    """How a column's cells are read (and written back by the export)."""

    TEXT = "text"
    DATE = "date"
    GENDER = "gender"
    STATUS = "status"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple = ()
    kind: ColumnKind = ColumnKind.TEXT
    max_length: int = 255


COLUMNS = [
    Column("full_name", "Họ và tên", ("full name", "ho ten", "họ tên"), max_length=120),
    Column("gender", "Giới tính", ("gender",), ColumnKind.GENDER),
    Column("birth_date", "Ngày sinh", ("birth date", "date of birth"), ColumnKind.DATE),
    Column(
        "party_card_number",
        "Số thẻ đảng viên",
        ("party card number", "số thẻ"),
        max_length=32,
    ),
    Column("status", "Trạng thái", ("status",), ColumnKind.STATUS),
    Column(
        "admission_decision_date",
        "Ngày quyết định kết nạp",
        ("admission decision date",),
        ColumnKind.DATE,
    ),
    Column("admission_date", "Ngày kết nạp", ("admission date",), ColumnKind.DATE),
    Column(
        "official_date",
        "Ngày công nhận chính thức",
        ("official date",),
        ColumnKind.DATE,
    ),
    Column("phone", "Điện thoại", ("phone", "số điện thoại"), max_length=32),
    Column("email", "Email", ("e-mail",), max_length=254),
    Column("residence", "Nơi cư trú", ("residence",)),
    Column("workplace", "Nơi làm việc", ("workplace",)),
    Column("cell", "Chi bộ", ("cell",)),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# The words a members file uses for the codes: written by the export, read back by
# the import (with the lower-case aliases below).
GENDER_FILE_WORDS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ", Gender.OTHER: "Khác"}
STATUS_FILE_WORDS = {
    MemberStatus.OFFICIAL: "Chính thức",
    MemberStatus.PROBATIONARY: "Dự bị",
}
GENDER_WORDS = {word.lower(): code for code, word in GENDER_FILE_WORDS.items()} | {
    "male": Gender.MALE,
    "nu": Gender.FEMALE,
    "female": Gender.FEMALE,
    "other": Gender.OTHER,
}
STATUS_WORDS = {word.lower(): code for code, word in STATUS_FILE_WORDS.items()} | {
    "official": MemberStatus.OFFICIAL,
    "probationary": MemberStatus.PROBATIONARY,
}


def normalise(text):
    """NFC, single spaces, and no invisible characters: control characters, bidi
    overrides and zero-width marks (Unicode categories Cc and Cf) would make two
    names that look the same differ, defeating de-duplication."""
    text = unicodedata.normalize("NFC", str(text))
    visible = "".join(
        char
        for char in text
        if char.isspace() or unicodedata.category(char) not in {"Cc", "Cf"}
    )
    return " ".join(visible.split())


def _header_key(text):
    wanted = normalise(text).lower()
    for column in COLUMNS:
        if wanted in {column.header.lower(), column.key, *column.aliases}:
            return column.key
    return None


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel (.xlsx) or CSV file"),
        help_text=gettext_lazy("First row: column headers. Dates as dd/mm/yyyy."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Choose an .xlsx or .csv file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        head = upload.read(4)
        upload.seek(0)
        if name.endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError(_("This is not a valid Excel (.xlsx) file."))
        return upload


def stage_import(*, org, upload, by):
    """Keep the uploaded file until the user confirms the preview."""
    return ImportBatch.objects.create(
        organization=org,
        created_by=by,
        filename=upload.name[:255],
        content=upload.read(),
    )


MAX_COLUMNS = 64  # far more than COLUMNS; anything to the right is ignored
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # a 5 MB workbook never unpacks past this
PARSE_SECONDS = 30  # a file that takes longer to read is refused


def _deadline_check(started, line):
    if line % 1000 == 0 and time.monotonic() - started > PARSE_SECONDS:
        raise ValueError(_("The file takes too long to read."))


def _present_rows(sheet):
    """(row number, values) of the rows the sheet's XML holds, in order. openpyxl's
    own iter_rows pads every missing row up to the last one (a single cell at row
    1,048,576 yields a million rows) and every row to the declared <dimension>;
    its row parser (pinned openpyxl 3.1) yields only the rows that are there."""
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=sheet.parent.epoch,
            date_formats=sheet.parent._date_formats,
            timedelta_formats=sheet.parent._timedelta_formats,
        )
        for line, cells in parser.parse():
            yield line, sheet._get_row(cells, 1, MAX_COLUMNS, values_only=True)


def _read_xlsx(content):
    """Streams the first sheet: the declared <dimension> is ignored, at most
    MAX_COLUMNS columns and MAX_ROWS + 1 non-empty rows are read, XML entities are
    refused (openpyxl parses with defusedxml when it is installed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ValueError(_("The Excel file cannot be read.")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValueError(_("The Excel file is too large once unpacked."))
    started = time.monotonic()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            rows = []
            for line, values in _present_rows(workbook.worksheets[0]):
                _deadline_check(started, line)
                if any(value not in (None, "") for value in values):
                    rows.append((line, list(values)))
                    if len(rows) > MAX_ROWS + 1:
                        break
        finally:
            workbook.close()
    except ValueError as error:
        if str(error) == _("The file takes too long to read."):
            raise
        raise ValueError(_("The Excel file cannot be read.")) from error
    except Exception as error:  # openpyxl and defusedxml raise many types
        raise ValueError(_("The Excel file cannot be read.")) from error
    return rows


def _read_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(_("The CSV file must be saved as UTF-8.")) from error
    if "\x00" in text:
        raise ValueError(
            _("The CSV file contains a NUL character: it is not a text file.")
        )
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    started = time.monotonic()
    rows = []
    try:
        for values in reader:
            _deadline_check(started, reader.line_num)
            if any(value.strip() for value in values):
                rows.append((reader.line_num, values[:MAX_COLUMNS]))
                if len(rows) > MAX_ROWS + 1:
                    break
    except csv.Error as error:
        line = reader.line_num
        if "field larger than field limit" in str(error):
            raise ValueError(
                _(
                    "Line %(line)s of the CSV file cannot be read: a cell is longer "
                    "than %(max)s characters."
                )
                % {"line": line, "max": f"{csv.field_size_limit():,}".replace(",", ".")}
            ) from error
        raise ValueError(
            _("Line %(line)s of the CSV file cannot be read.") % {"line": line}
        ) from error
    return rows


def read_table(filename, content):
    """The file's non-empty rows as (line number, cell values), header first; at
    most MAX_ROWS + 2 of them (one more than allowed, to say so). Raises ValueError
    with a message for the user."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normalise(value)
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a date only
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": text})


def _parse_cell(column, value):
    if column.kind == ColumnKind.DATE:
        return _parse_date(value)
    text = "" if value is None else normalise(value)
    if column.kind == ColumnKind.GENDER:
        if not text:
            return ""
        if text.lower() not in GENDER_WORDS:
            raise ValueError(_("Gender must be Nam, Nữ or Khác."))
        return GENDER_WORDS[text.lower()]
    if column.kind == ColumnKind.STATUS:
        if text.lower() not in STATUS_WORDS:
            raise ValueError(_("Status must be “Chính thức” or “Dự bị”."))
        return STATUS_WORDS[text.lower()]
    if column.key == "party_card_number" and isinstance(value, float):
        text = str(int(value))
    if len(text) > column.max_length:
        raise ValueError(
            _("Longer than %(max)s characters.") % {"max": column.max_length}
        )
    return text


@dataclass
class PlanRow:
    line: int
    data: dict
    errors: list = field(default_factory=list)
    action: str = "create"
    member: Member | None = None
    cell: object = None


@dataclass
class Plan:
    rows: list
    errors: list  # file-level errors

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def ok(self):
        return not self.errors and not self.error_rows and bool(self.rows)

    @property
    def creates(self):
        return sum(1 for row in self.rows if row.action == "create" and not row.errors)

    @property
    def updates(self):
        return sum(1 for row in self.rows if row.action == "update" and not row.errors)


AMBIGUOUS = object()


def _target_cells(org):
    if org.kind == OrgKind.CELL:
        return {}
    cells = Organization.objects.filter(
        path__startswith=org.path, kind=OrgKind.CELL, is_active=True
    )
    lookup = {}
    for cell in cells:
        for key in {normalise(cell.name).lower(), normalise(cell.code).lower()} - {""}:
            # A name or code shared by several cells identifies none of them.
            lookup[key] = AMBIGUOUS if lookup.get(key, cell) != cell else cell
    return lookup


def plan_import(batch):
    """Parse and check every row; decide create or update. Reads only."""
    org = batch.organization
    if batch.status == ImportBatch.Status.EXPIRED:
        return Plan(rows=[], errors=[_("This file was deleted; upload it again.")])
    try:
        numbered = read_table(batch.filename, bytes(batch.content))
    except ValueError as error:
        return Plan(rows=[], errors=[str(error)])
    if not numbered:
        return Plan(rows=[], errors=[_("The file is empty.")])
    header = [_header_key(cell or "") for cell in numbered[0][1]]
    errors = []
    if "full_name" not in header:
        errors.append(_("The column “Họ và tên” is missing."))
    if "status" not in header:
        errors.append(_("The column “Trạng thái” is missing."))
    if org.kind != OrgKind.CELL and "cell" not in header:
        errors.append(_("Importing into a committee needs the column “Chi bộ”."))
    if len(numbered) - 1 > MAX_ROWS:
        errors.append(_("At most %(max)s rows per file.") % {"max": MAX_ROWS})
    if errors:
        return Plan(rows=[], errors=errors)
    if len(numbered) == 1:
        return Plan(rows=[], errors=[_("The file has no member rows.")])

    cells = _target_cells(org)
    rows = []
    for line, values in numbered[1:]:
        row = PlanRow(line=line, data={})
        for key, value in zip(header, values, strict=False):
            if key is None:
                continue
            try:
                row.data[key] = _parse_cell(COLUMN_BY_KEY[key], value)
            except ValueError as error:
                row.errors.append(f"{COLUMN_BY_KEY[key].header}: {error}")
        if not row.data.get("full_name"):
            row.errors.append(_("Họ và tên: required."))
        if org.kind == OrgKind.CELL:
            row.cell = org
        else:
            name = (row.data.get("cell") or "").lower()
            row.cell = cells.get(name)
            if row.cell is AMBIGUOUS:
                row.cell = None
                row.errors.append(
                    _("Chi bộ: several cells are called “%(name)s”; use the full name.")
                    % {"name": row.data.get("cell", "")}
                )
            elif row.cell is None:
                row.errors.append(
                    _("Chi bộ: no cell named “%(name)s” here.")
                    % {"name": row.data.get("cell", "")}
                )
        row.data.pop("cell", None)
        rows.append(row)
    _match_existing(org, rows)
    for row in rows:
        if not row.errors:
            _check_row(row)
    return Plan(rows=rows, errors=[])


def _dedupe_key(data):
    card = data.get("party_card_number")
    if card:
        return ("card", card)
    return ("name", data.get("full_name", "").lower(), data.get("birth_date"))


def _match_existing(org, rows):
    cards = [
        r.data["party_card_number"] for r in rows if r.data.get("party_card_number")
    ]
    by_card = {
        m.party_card_number: m
        for m in Member.objects.filter(party_card_number__in=cards).select_related(
            "organization"
        )
    }
    names = {r.data.get("full_name", "") for r in rows}
    by_name = {}
    for member in Member.objects.filter(
        organization__path__startswith=org.path, full_name__in=names
    ):
        by_name[("name", member.full_name.lower(), member.birth_date)] = member
    seen = {}
    for row in rows:
        key = _dedupe_key(row.data)
        if key in seen:
            row.errors.append(_("Same member as row %(line)s.") % {"line": seen[key]})
            continue
        seen[key] = row.line
        if key[0] == "card":
            member = by_card.get(key[1])
            if member is None:
                # A member recorded without a card gets the card from the file.
                name_key = _dedupe_key({**row.data, "party_card_number": ""})
                found = by_name.get(name_key)
                if found is not None and not found.party_card_number:
                    member = found
        else:
            member = by_name.get(key)
        if member is None:
            continue
        if not member.organization.path.startswith(org.path):
            # Where the card lives is not this secretary's business to learn.
            row.errors.append(
                _(
                    "Party card number %(card)s is already registered. Ask the "
                    "superior committee to transfer the member."
                )
                % {"card": key[1]}
            )
            continue
        row.action, row.member = "update", member


def _check_row(row):
    """Validate the row as the member it would become, without saving."""
    data = row.data
    if row.member is not None:
        candidate = Member.objects.get(pk=row.member.pk)
        for name, value in data.items():
            setattr(candidate, name, value)
        candidate.organization = row.cell
    else:
        candidate = Member(organization=row.cell, **data)
    try:
        services.check_member(candidate)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            label = (
                COLUMN_BY_KEY[field_name].header
                if field_name in COLUMN_BY_KEY
                else field_name
            )
            row.errors.extend(f"{label}: {message}" for message in messages)


class ImportRejectedError(Exception):
    def __init__(self, plan):
        super().__init__("import rejected")
        self.plan = plan


@transaction.atomic
def commit_import(*, batch, by):
    """Write every row or none: re-plans, refuses on any error, then saves."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.STAGED:
        return batch.result  # a second confirmation (double click) changes nothing
    plan = plan_import(batch)
    if not plan.ok:
        raise ImportRejectedError(plan)
    created = updated = 0
    for row in plan.rows:
        if row.action == "update":
            data = {**row.data, "organization": row.cell}
            member = services.update_member(member=row.member, by=by, **data)
            updated += 1
        else:
            member = services.create_member(cell=row.cell, by=by, **row.data)
            created += 1
        services.record_event(
            member=member, kind=EventKind.IMPORTED, by=by, note=batch.filename
        )
    batch.status = ImportBatch.Status.COMMITTED
    batch.result = {"created": created, "updated": updated}
    batch.content = b""  # the raw file (personal data) is not kept once imported
    batch.save(update_fields=["status", "result", "content"])
    return batch.result


def purge_import_files(now=None):
    """Delete the raw file of every upload left unconfirmed longer than the
    retention (CHIBO_IMPORT_RETENTION_HOURS); its preview then asks for a new
    upload. Returns how many were purged."""
    now = now or timezone.now()
    hours = settings.CHIBO_IMPORT_RETENTION_HOURS
    return ImportBatch.objects.filter(
        status=ImportBatch.Status.STAGED,
        created_at__lt=now - timedelta(hours=hours),
    ).update(status=ImportBatch.Status.EXPIRED, content=b"")
