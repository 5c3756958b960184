"""Import a year's opening balances and dues categories of a cell's members from
.xlsx (or .csv), with the member import's rules: the file is staged, read with the
same limits (size, rows, columns, unpacked size, time: members.imports.read_table),
previewed with every row's errors, and committed all or nothing.

Columns (first row, Vietnamese headers; case and accents as typed): Họ và tên, Số
thẻ đảng (optional, matched first), Đối tượng (bảo hiểm xã hội / hưu trí / học sinh,
sinh viên / khác), Căn cứ tính (the base, đồng), Số tự nguyện (optional), Số dư đầu
năm (owed from before: positive; paid in advance: negative; optional).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from members.imports import MAX_ROWS as MAX_IMPORT_ROWS
from members.imports import ImportUploadForm, normalise, read_table
from members.models import DuesCategory, DuesOpeningBalance, ImportBatch, Member

from . import services

HEADERS = {
    "họ và tên": "full_name",
    "họ tên": "full_name",
    "số thẻ đảng": "party_card_number",
    "số thẻ đảng viên": "party_card_number",
    "đối tượng": "category",
    "căn cứ tính": "base",
    "số tự nguyện": "declared",
    "số dư đầu năm": "opening",
}
CATEGORY_WORDS = {
    "bảo hiểm xã hội": "insured",
    "bhxh": "insured",
    "hưu trí": "pensioner",
    "hưu": "pensioner",
    "học sinh, sinh viên": "student",
    "học sinh": "student",
    "sinh viên": "student",
    "khác": "other",
}

UploadForm = ImportUploadForm


def stage_dues_import(*, cell, upload, year, by):
    """Keep the uploaded file until the secretary confirms the preview."""
    return ImportBatch.objects.create(
        organization=cell,
        kind=ImportBatch.Kind.DUES,
        created_by=by,
        filename=upload.name[:255],
        content=upload.read(),
        result={"year": year},
    )


@dataclass
class Row:
    line: int
    values: dict
    member: Member | None = None
    errors: list = field(default_factory=list)


@dataclass
class Plan:
    year: int
    rows: list
    errors: list

    @property
    def ok(self):
        return (
            bool(self.rows) and not self.errors and not any(r.errors for r in self.rows)
        )

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]


def _amount(value, *, signed=False):
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        number = value
    else:
        text = normalise(value).replace(".", "").replace(",", "").replace(" ", "")
        try:
            number = int(text)
        except ValueError as error:
            raise ValueError(
                _("“%(value)s” is not an amount in đồng.") % {"value": value}
            ) from error
    if number != int(number):
        raise ValueError(_("Amounts are whole đồng."))
    number = int(number)
    if not signed and number < 0:
        raise ValueError(_("The amount cannot be negative."))
    if abs(number) > 10_000_000_000:
        raise ValueError(_("The amount is too large."))
    return number


def plan_dues_import(batch):
    """Parse and check every row against the cell's members. Reads only."""
    cell, year = batch.organization, int(batch.result.get("year"))
    try:
        table = read_table(batch.filename, bytes(batch.content))
    except ValueError as error:
        return Plan(year, [], [str(error)])
    if not table:
        return Plan(year, [], [_("The file is empty.")])
    if len(table) > MAX_IMPORT_ROWS + 1:
        return Plan(
            year,
            [],
            [_("At most %(n)s rows can be imported at once.") % {"n": MAX_IMPORT_ROWS}],
        )
    _line, header = table[0]
    keys = [HEADERS.get(normalise(value or "").lower()) for value in header]
    missing = {"full_name", "category"} - set(keys)
    if missing:
        return Plan(
            year,
            [],
            [_("The first row must name the columns “Họ và tên” and “Đối tượng”.")],
        )
    members = list(Member.objects.filter(organization=cell, is_active=True))
    by_card = {m.party_card_number: m for m in members if m.party_card_number}
    by_name = {}
    for m in members:
        by_name.setdefault(normalise(m.full_name).lower(), []).append(m)
    rows, seen = [], set()
    for line, values in table[1:]:
        raw = {key: value for key, value in zip(keys, values, strict=False) if key}
        row = Row(line=line, values={})
        card = normalise(raw.get("party_card_number") or "")
        if isinstance(raw.get("party_card_number"), float):
            card = str(int(raw["party_card_number"]))
        name = normalise(raw.get("full_name") or "")
        if card and card in by_card:
            row.member = by_card[card]
        elif name:
            found = by_name.get(name.lower(), [])
            if len(found) == 1:
                row.member = found[0]
            elif len(found) > 1:
                row.errors.append(
                    _(
                        "Several members of the cell are called %(name)s: add the "
                        "party card number."
                    )
                    % {"name": name}
                )
            else:
                row.errors.append(
                    _("No active member of the cell is called %(name)s.")
                    % {"name": name}
                )
        else:
            row.errors.append(_("The full name is missing."))
        if row.member is not None:
            if row.member.pk in seen:
                row.errors.append(_("This member is already on an earlier row."))
            seen.add(row.member.pk)
        word = normalise(raw.get("category") or "").lower()
        row.values["category"] = CATEGORY_WORDS.get(word)
        if row.values["category"] is not None:
            row.values["category_label"] = DuesCategory(row.values["category"]).label
        else:
            row.errors.append(
                _(
                    "The category must be “bảo hiểm xã hội”, “hưu trí”, “học sinh, "
                    "sinh viên” or “khác”."
                )
            )
        for key, signed in (("base", False), ("declared", False), ("opening", True)):
            try:
                row.values[key] = _amount(raw.get(key), signed=signed)
            except ValueError as error:
                row.errors.append(str(error))
        if row.values.get("category") in {
            DuesCategory.INSURED,
            DuesCategory.PENSIONER,
        } and not row.values.get("base"):
            row.errors.append(_("Members paying a percentage need the base amount."))
        rows.append(row)
    return Plan(year, rows, [])


class DuesImportRejectedError(Exception):
    def __init__(self, plan):
        super().__init__("rejected")
        self.plan = plan


@transaction.atomic
def commit_dues_import(*, batch, by):
    """Write every row or none: category and base from January of the year, the
    opening balance of the year. The raw file is dropped once imported."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    plan = plan_dues_import(batch)
    if not plan.ok or batch.status != ImportBatch.Status.STAGED:
        raise DuesImportRejectedError(plan)
    first = date(plan.year, 1, 1)
    for row in plan.rows:
        values = row.values
        services.set_dues_category(
            member=row.member, category=values["category"], start=first, by=by
        )
        if values.get("base") is not None or values.get("declared"):
            services.set_dues_base(
                member=row.member,
                month=first,
                amount=values.get("base") or 0,
                declared_amount=values.get("declared"),
                by=by,
            )
        if values.get("opening") is not None:
            DuesOpeningBalance.objects.update_or_create(
                member=row.member,
                year=plan.year,
                defaults={"cell": batch.organization, "amount": values["opening"]},
            )
    batch.status = ImportBatch.Status.COMMITTED
    batch.content = b""
    batch.result = {"year": plan.year, "imported": len(plan.rows)}
    batch.save(update_fields=["status", "content", "result"])
    return len(plan.rows)
