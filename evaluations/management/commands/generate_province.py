"""Build a province-scale data set for the dashboards' benchmark: a tree of communes,
grassroots committees and cells of varied types and sizes, members, a year of meetings
with attendance, minutes, scores, supervisors' reports, recommendations and tasks, with
a realistic share of non-compliance; then the rollup. PostgreSQL COPY, in minutes.

    manage.py generate_province --members 200000 --cells 10000 --months 12 --seed 1
"""

import io
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from evaluations.dashboard import rollup
from evaluations.dashboard.periods import add_months, current_month
from evaluations.models import ScoreRole, TaskOutcome
from meetings.models import AttendanceStatus, MeetingKind, MeetingState
from members.models import CellType, MemberStatus, Organization, OrgKind

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CELL_TYPES = [
    (CellType.RURAL, 40),
    (CellType.URBAN, 25),
    (CellType.AGENCY, 10),
    (CellType.PUBLIC_SERVICE, 10),
    (CellType.STATE_ENTERPRISE, 3),
    (CellType.PRIVATE_ENTERPRISE, 5),
    (CellType.STUDENTS, 2),
    (CellType.ARMY, 2),
    (CellType.POLICE, 3),
]
CELLS_PER_COMMUNE = 80


def _value(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class Copier:
    """COPY rows into a table in chunks, with ids assigned here."""

    def __init__(self, cursor, table, columns):
        self.cursor, self.table, self.columns = cursor, table, columns
        self.buffer, self.count, self.total = io.StringIO(), 0, 0
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        self.next_id = cursor.fetchone()[0] + 1

    def add(self, *values):
        pk = self.next_id
        self.next_id += 1
        self.buffer.write("\t".join([str(pk), *(_value(v) for v in values)]) + "\n")
        self.count += 1
        if self.count >= 100_000:
            self.flush()
        return pk

    def flush(self):
        if self.count:
            self.buffer.seek(0)
            self.cursor.copy_expert(
                f"COPY {self.table} (id, {', '.join(self.columns)}) FROM STDIN",
                self.buffer,
            )
            self.total += self.count
        self.buffer, self.count = io.StringIO(), 0

    def close(self):
        self.flush()
        sql = (
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {}))"
        )
        self.cursor.execute(sql.format(self.table), [self.table])
        return self.total


def _weighted(rng, options):
    total = sum(weight for _value, weight in options)
    pick = rng.random() * total
    for value, weight in options:
        pick -= weight
        if pick <= 0:
            return value
    return options[-1][0]


class Command(BaseCommand):
    help = "Generate a realistic province (tree, members, a year of meetings)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=200_000)
        parser.add_argument("--cells", type=int, default=10_000)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-rollup", action="store_true", help="skip building the rollup"
        )

    def log(self, message):
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f} s] {message}")
        self.stdout.flush()

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_province loads with PostgreSQL COPY.")
        if options["cells"] < 1 or options["members"] < 2 * options["cells"]:
            raise CommandError("Give at least one cell and two members per cell.")
        self.started = time.monotonic()
        rng = random.Random(options["seed"])  # noqa: S311 — test data, not secrets
        now = timezone.now()
        this = current_month(timezone.localdate())
        months = [add_months(this, -i) for i in range(options["months"] - 1, -1, -1)]
        with transaction.atomic(), connection.cursor() as cursor:
            root, cells = self._tree(cursor, rng, options, now)
            self.log(f"tree: root id {root}, {len(cells)} cells")
            roster = self._members(cursor, rng, cells, options["members"], now)
            self.log(f"members: {sum(len(r) for r in roster.values())}")
            self._meetings(cursor, rng, cells, roster, months, now)
        if not options["no_rollup"]:
            years = sorted({m.year for m in months})
            org = Organization.objects.get(pk=root)
            changed = rollup.rebuild(
                org=org,
                years=years,
                progress=lambda y, d, t: (
                    d % 3000 < rollup.CHUNK and self.log(f"rollup {y}: {d}/{t} cells")
                ),
            )
            self.log(f"rollup rows written: {changed}")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.log(f"done: province root id {root}")

    # --- tree ---------------------------------------------------------------------

    def _tree(self, cursor, rng, options, now):
        orgs = Copier(
            cursor,
            "members_organization",
            [
                "created_at",
                "updated_at",
                "name",
                "kind",
                "is_grassroots",
                "cell_type",
                "code",
                "place",
                "path",
                "depth",
                "is_active",
                "parent_id",
            ],
        )

        def add(
            name, kind, parent_path, depth, parent_id, cell_type="", grassroots=False
        ):
            pk = orgs.next_id
            path = f"{parent_path}{pk:08d}/"
            orgs.add(
                now,
                now,
                name,
                kind,
                grassroots,
                cell_type,
                "CB" if kind == OrgKind.CELL else "ĐU",
                "",
                path,
                depth,
                True,
                parent_id,
            )
            return pk, path

        seed = options["seed"]
        root, root_path = add(
            f"Đảng bộ tỉnh Mô Phỏng (seed {seed})",
            OrgKind.PROVINCE_COMMITTEE,
            "",
            0,
            None,
        )
        n_cells = options["cells"]
        n_communes = max(1, round(n_cells / CELLS_PER_COMMUNE))
        cells = []
        for c in range(n_communes):
            kind = OrgKind.COMMUNE_COMMITTEE if c % 7 else OrgKind.BLOC_COMMITTEE
            label = "xã" if kind == OrgKind.COMMUNE_COMMITTEE else "Khối cơ quan"
            commune, commune_path = add(
                f"Đảng bộ {label} {c + 1:03d}",
                kind,
                root_path,
                1,
                root,
                grassroots=True,
            )
            share = n_cells // n_communes + (1 if c < n_cells % n_communes else 0)
            i = 0
            while i < share:
                if rng.random() < 0.08 and share - i >= 6:
                    size = min(share - i, rng.randint(5, 15))
                    group, group_path = add(
                        f"Đảng bộ bộ phận {c + 1:03d}-{i + 1}",
                        OrgKind.PARTIAL_COMMITTEE,
                        commune_path,
                        2,
                        commune,
                    )
                    for j in range(size):
                        pk, path = add(
                            f"Chi bộ {c + 1:03d}-{i + j + 1:03d}",
                            OrgKind.CELL,
                            group_path,
                            3,
                            group,
                            cell_type=_weighted(rng, CELL_TYPES),
                        )
                        cells.append((pk, path))
                    i += size
                else:
                    pk, path = add(
                        f"Chi bộ {c + 1:03d}-{i + 1:03d}",
                        OrgKind.CELL,
                        commune_path,
                        2,
                        commune,
                        cell_type=_weighted(rng, CELL_TYPES),
                    )
                    cells.append((pk, path))
                    i += 1
        orgs.close()
        return root, cells

    # --- members ------------------------------------------------------------------

    def _members(self, cursor, rng, cells, total, now):
        weights = [min(rng.paretovariate(1.3), 40.0) for _cell in cells]
        scale = (total - 2 * len(cells)) / sum(weights)
        sizes = [2 + int(w * scale) for w in weights]
        for i in range(total - sum(sizes)):
            sizes[i % len(sizes)] += 1
        members = Copier(
            cursor,
            "members_member",
            [
                "created_at",
                "updated_at",
                "full_name",
                "gender",
                "birth_date",
                "party_card_number",
                "phone",
                "email",
                "residence",
                "workplace",
                "status",
                "admission_date",
                "official_date",
                "is_active",
                "deactivation_reason",
                "organization_id",
            ],
        )
        roster = {}
        n = 0
        for (cell_id, _path), size in zip(cells, sizes, strict=True):
            rows = []
            for _i in range(size):
                n += 1
                official = rng.random() < 0.93
                pk = members.add(
                    now,
                    now,
                    f"Đảng viên {n:06d}",
                    rng.choice(["male", "female"]),
                    date(
                        1950 + rng.randint(0, 50),
                        rng.randint(1, 12),
                        rng.randint(1, 28),
                    ),
                    "",
                    "",
                    "",
                    "",
                    "",
                    MemberStatus.OFFICIAL if official else MemberStatus.PROBATIONARY,
                    date(2000 + rng.randint(0, 24), 3, 3),
                    date(2001 + rng.randint(0, 23), 3, 3) if official else None,
                    True,
                    "",
                    cell_id,
                )
                rows.append((pk, official))
            roster[cell_id] = rows
        members.close()
        return roster

    # --- meetings and what hangs on them -------------------------------------------

    def _meetings(self, cursor, rng, cells, roster, months, now):
        meeting_cols = [
            "created_at",
            "updated_at",
            "kind",
            "state",
            "plan_slot",
            "planned_date",
            "starts_at",
            "place",
            "topic",
            "is_combined",
            "is_model",
            "is_online",
            "is_ho_chi_minh_topic",
            "agenda",
            "draft_resolution",
            "cancel_reason",
            "submitted_at",
            "reviewed_at",
            "review_comment",
            "cell_id",
            "notified_at",
        ]
        meetings = Copier(cursor, "meetings_meeting", meeting_cols)
        attendance = Copier(
            cursor,
            "meetings_attendance",
            [
                "status",
                "reason",
                "late",
                "spoke",
                "was_official",
                "was_attached_in",
                "was_suspended",
                "member_id",
                "meeting_id",
            ],
        )
        minutes = Copier(
            cursor,
            "meetings_minutes",
            [
                "created_at",
                "updated_at",
                "started_at",
                "ended_at",
                "opening",
                "items",
                "recommendations",
                "conclusion",
                "version",
                "adopted_at",
                "locked_at",
                "attendance_summary",
                "meeting_id",
            ],
        )
        tasks = Copier(
            cursor,
            "evaluations_task",
            [
                "created_at",
                "updated_at",
                "text",
                "deadline",
                "outcome",
                "outcome_comment",
                "cell_id",
                "meeting_id",
            ],
        )
        scores = Copier(
            cursor,
            "evaluations_qualityscore",
            [
                "created_at",
                "updated_at",
                "role",
                "points",
                "facts",
                "total",
                "maximum",
                "percent",
                "band",
                "note",
                "meeting_id",
                "rubric_id",
            ],
        )
        reports = Copier(
            cursor,
            "evaluations_supervisionreport",
            [
                "created_at",
                "updated_at",
                "attended",
                "summary",
                "observations",
                "due_on",
                "submitted_at",
                "cell_id",
                "meeting_id",
                "supervisor_id",
            ],
        )
        recs = Copier(
            cursor,
            "evaluations_recommendation",
            [
                "created_at",
                "updated_at",
                "text",
                "addressee",
                "responsible",
                "status",
                "response",
                "raised_on",
                "cell_id",
                "meeting_id",
                "report_id",
            ],
        )
        cursor.execute("SELECT id FROM evaluations_rubric ORDER BY id LIMIT 1")
        row = cursor.fetchone()
        rubric_id = row[0] if row else None
        locks = io.StringIO()
        today = timezone.localdate()
        all_members = [pk for rows in roster.values() for pk, _o in rows[:2]]
        outcomes = [
            (TaskOutcome.DONE_ON_TIME, 70),
            (TaskOutcome.DONE_LATE, 10),
            (TaskOutcome.NOT_DONE, 10),
            (TaskOutcome.EXCEEDED, 10),
        ]

        def hold(cell_id, kind, day, discipline, *, combined=False, hcm=False):
            start = datetime(day.year, day.month, day.day, 19, 30, tzinfo=HANOI)
            if start > now:
                return None
            length = (
                rng.randint(92, 150)
                if rng.random() < 0.88 + 0.1 * discipline
                else rng.randint(50, 89)
            )
            end = start + timedelta(minutes=length)
            r = rng.random()
            if r < 0.8 + 0.15 * discipline:
                locked = end + timedelta(hours=rng.randint(2, 44))
            elif r < 0.97:
                locked = end + timedelta(hours=rng.randint(50, 300))
            else:
                locked = None
            if locked is not None and locked > now:
                locked = None
            submitted = None
            if locked is not None and rng.random() < 0.85:
                submitted = locked + timedelta(hours=rng.randint(0, 30))
                if submitted > now:
                    submitted = None
            state = MeetingState.HELD
            if locked is not None:
                state = MeetingState.LOCKED
            if submitted is not None:
                state = (
                    MeetingState.ACKNOWLEDGED
                    if rng.random() < 0.7
                    else MeetingState.SUBMITTED
                )
            meeting_id = meetings.add(
                now,
                now,
                kind,
                state,
                "",
                day,
                start,
                "Hội trường",
                "",
                combined,
                False,
                False,
                hcm,
                "[]",
                "",
                "",
                submitted,
                submitted + timedelta(days=2)
                if state == MeetingState.ACKNOWLEDGED
                else None,
                "",
                cell_id,
                start - timedelta(days=3),
            )
            present_p = 0.82 + 0.16 * discipline
            spoke_p = 0.3 + 0.35 * discipline
            for member_id, official in roster[cell_id]:
                r = rng.random()
                if r < present_p:
                    status, spoke = AttendanceStatus.PRESENT, rng.random() < spoke_p
                elif r < present_p + (1 - present_p) * 0.75:
                    status, spoke = AttendanceStatus.ABSENT_EXCUSED, False
                elif r < present_p + (1 - present_p) * 0.9:
                    status, spoke = AttendanceStatus.ABSENT_UNEXCUSED, False
                else:
                    status, spoke = AttendanceStatus.EXEMPT, False
                attendance.add(
                    status,
                    "Bận công tác" if status == AttendanceStatus.ABSENT_EXCUSED else "",
                    False,
                    spoke,
                    official,
                    False,
                    False,
                    member_id,
                    meeting_id,
                )
            minutes.add(
                now,
                now,
                start,
                end,
                "",
                "[]",
                "",
                "",
                1,
                locked,
                None,  # locked at the end (a trigger refuses later attendance)
                "{}",
                meeting_id,
            )
            if locked is not None:
                locks.write(f"{meeting_id}\t{locked.isoformat()}\n")
            return meeting_id, locked

        for index, (cell_id, _path) in enumerate(cells):
            discipline = rng.random() ** 0.35  # most cells good, a tail of weak ones
            hcm_done = False
            for month in months:
                day = month.replace(day=3)
                if rng.random() < 0.86 + 0.14 * discipline:
                    quarter_end = month.month % 3 == 0
                    combined = quarter_end and rng.random() < 0.4
                    held = hold(
                        cell_id, MeetingKind.REGULAR, day, discipline, combined=combined
                    )
                    if held and rng.random() < 0.5 and rubric_id:
                        percent = min(99, max(35, rng.gauss(70 + 25 * discipline, 10)))
                        band = (
                            "good"
                            if percent >= 90
                            else "fair"
                            if percent >= 70
                            else "average"
                            if percent >= 50
                            else "poor"
                        )
                        scores.add(
                            now,
                            now,
                            ScoreRole.SELF,
                            "{}",
                            "{}",
                            percent,
                            100,
                            percent,
                            band,
                            "",
                            held[0],
                            rubric_id,
                        )
                    if held:
                        for t in range(2):
                            deadline = add_months(month, 1).replace(day=20 + t)
                            outcome = (
                                _weighted(rng, outcomes) if deadline < today else ""
                            )
                            tasks.add(
                                now,
                                now,
                                "Nhiệm vụ tháng",
                                deadline,
                                outcome,
                                "",
                                cell_id,
                                held[0],
                            )
                        if rng.random() < 0.1:
                            due = add_months(month, 1).replace(day=10)
                            r = rng.random()
                            filed = None
                            if r < 0.8:
                                filed = datetime(
                                    due.year,
                                    due.month,
                                    rng.randint(1, 10),
                                    9,
                                    tzinfo=HANOI,
                                )
                            elif r < 0.9:
                                filed = datetime(
                                    due.year,
                                    due.month,
                                    rng.randint(11, 25),
                                    9,
                                    tzinfo=HANOI,
                                )
                            if filed is not None and filed > now:
                                filed = None
                            report_id = reports.add(
                                now,
                                now,
                                True,
                                "",
                                "Sinh hoạt đúng quy định",
                                due,
                                filed,
                                cell_id,
                                held[0],
                                rng.choice(all_members),
                            )
                            if rng.random() < 0.3:
                                recs.add(
                                    now,
                                    now,
                                    "Tăng cường sinh hoạt chuyên đề",
                                    "Chi bộ",
                                    "Bí thư chi bộ",
                                    _weighted(
                                        rng,
                                        [
                                            ("open", 4),
                                            ("in_progress", 2),
                                            ("resolved", 4),
                                        ],
                                    ),
                                    "",
                                    due - timedelta(days=5),
                                    cell_id,
                                    held[0],
                                    report_id,
                                )
                elif rng.random() < 0.5:
                    start = datetime(day.year, day.month, day.day, 19, 30, tzinfo=HANOI)
                    meetings.add(
                        now,
                        now,
                        MeetingKind.REGULAR,
                        "cancelled",
                        "",
                        day,
                        start,
                        "",
                        "",
                        False,
                        False,
                        False,
                        False,
                        "[]",
                        "",
                        "Bận phòng chống bão lũ",
                        None,
                        None,
                        "",
                        cell_id,
                        None,
                    )
                if month.month % 3 == 2 and rng.random() < 0.55 + 0.4 * discipline:
                    hcm = not hcm_done and month.month >= 5 and rng.random() < 0.7
                    hcm_done = hcm_done or hcm
                    hold(
                        cell_id, "thematic", month.replace(day=15), discipline, hcm=hcm
                    )
            if index % 1000 == 999:
                self.log(f"meetings: {index + 1}/{len(cells)} cells")
        for name, copier in (
            ("meetings", meetings),
            ("attendance", attendance),
            ("minutes", minutes),
            ("tasks", tasks),
            ("scores", scores),
            ("reports", reports),
            ("recommendations", recs),
        ):
            self.log(f"{name}: {copier.close()} rows")
        cursor.execute(
            "CREATE TEMP TABLE generate_locks (meeting_id bigint, locked_at timestamptz)"  # noqa: E501
        )
        locks.seek(0)
        cursor.copy_expert("COPY generate_locks FROM STDIN", locks)
        cursor.execute(
            "UPDATE meetings_minutes m SET locked_at = g.locked_at "
            "FROM generate_locks g WHERE m.meeting_id = g.meeting_id"
        )
        self.log(f"minutes locked: {cursor.rowcount}")
        cursor.execute("DROP TABLE generate_locks")
