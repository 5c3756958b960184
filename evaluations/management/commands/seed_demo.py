"""Build a believable demo organisation and the demo logins (idempotent).

Figures follow the seed articles: a ward with residential cells (one of 11 members,
seed 001) and a bloc committee with grassroots committees of agencies, a hospital and
enterprises; about 150 members with Vietnamese names and varied standing.
"""

import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from evaluations.demo import Cast, build_past, past_years
from meetings.api import create_meeting
from meetings.models import MeetingKind, Minutes
from members.api import create_member, create_organization, set_rule
from members.models import (
    AttachmentDirection,
    CellType,
    Exemption,
    ExemptionReason,
    Gender,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    RuleKey,
    SupervisionAssignment,
    Suspension,
    TemporaryAttachment,
    User,
)

PASSWORD = "chibo-demo"  # noqa: S105 — documented demo password, DEBUG only
ROOT_NAME = "Đảng bộ tỉnh Nghệ An"

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Cao",
    "Thái",
]
MIDDLE_M = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Công", "Xuân", "Đình", "Trọng"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng"]
GIVEN_M = [
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Tuấn",
    "Thắng",
    "Vinh",
    "Hiếu",
    "Khoa",
    "Lâm",
]
GIVEN_F = [
    "Hà",
    "Hạnh",
    "Hòa",
    "Hương",
    "Lan",
    "Mai",
    "Nga",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
    "Linh",
    "Huyền",
    "Phương",
    "Dung",
    "Nhung",
]

# (name, cell type, size, officers) per cell; None size marks the persona cell.
WARD_CELLS = [
    ("Chi bộ Khối phố 1", CellType.URBAN, 18),
    ("Chi bộ Khối phố 2", CellType.URBAN, 14),
    ("Chi bộ Khối phố 3", CellType.URBAN, 26),
    ("Chi bộ Khối phố 5", CellType.URBAN, 11),
    ("Chi bộ Trường Tiểu học Trường Vinh", CellType.PUBLIC_SERVICE, 9),
]
BLOC = [
    (
        "Đảng bộ Sở Tài chính",
        [
            ("Chi bộ Văn phòng Sở", CellType.AGENCY, 10),
            ("Chi bộ Phòng Quản lý ngân sách", CellType.AGENCY, 8),
        ],
    ),
    (
        "Đảng bộ Bệnh viện Đa khoa tỉnh",
        [
            ("Chi bộ Khoa Nội", CellType.PUBLIC_SERVICE, 20),
            ("Chi bộ Khoa Ngoại", CellType.PUBLIC_SERVICE, 12),
            ("Chi bộ Khoa Nhi", CellType.PUBLIC_SERVICE, 9),
        ],
    ),
]
GRASSROOTS_CELLS = [
    ("Chi bộ Công ty CP Thủy sản Cửa Lò", CellType.PRIVATE_ENTERPRISE, 7),
    ("Chi bộ Công ty TNHH May Hoàng Mai", CellType.PRIVATE_ENTERPRISE, 2),
]


class Command(BaseCommand):
    help = "Create the demo organisation, members and logins (DEBUG only, idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run when DEBUG is off.")
        if Organization.objects.filter(name=ROOT_NAME, parent__isnull=True).exists():
            self.stdout.write("Demo data already present; logins refreshed.")
            self._refresh_passwords()
            cell = Organization.objects.get(name="Chi bộ Khối phố 5")
            if not cell.meetings.filter(starts_at__gt=timezone.now()).exists():
                with transaction.atomic():
                    self._meeting_due_now(cell)
                self.stdout.write("An upcoming meeting was added to the demo cell.")
            return
        with transaction.atomic():
            self._seed()
        locked = Minutes.objects.filter(locked_at__isnull=False).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data created: {Organization.objects.count()} organisations, "
                f"{Member.objects.count()} members; the past since "
                f"01/01/{self.past.years[0]}: {locked} minutes locked, "
                f"{self.past.rendered} of their PDFs rendered (the worker renders "
                "the others)."
            )
        )

    def _meeting_due_now(self, cell):
        """An extraordinary meeting at the next 08:00 at least an hour away, so the
        worker sends its notice on the first scan whatever the hour: by day notices
        go out in sending hours, and a meeting less than 12 hours away is noticed
        at night too (21:00 → 08:00 is 11 hours)."""
        now = timezone.localtime()
        starts_at = now.replace(hour=8, minute=0, second=0, microsecond=0)
        if starts_at < now + timedelta(hours=1):
            starts_at += timedelta(days=1)
        create_meeting(
            cell=cell,
            kind=MeetingKind.EXTRAORDINARY,
            starts_at=starts_at,
            by=None,
            place="Văn phòng khối phố 5",
            topic="Bàn công tác phòng chống lụt bão của khối phố",
        )

    def _refresh_passwords(self):
        for user in User.objects.filter(
            username__in=[
                "secretary",
                "member",
                "committee",
                "supervisor",
                "outsider",
                "admin",
            ]
        ):
            if not user.check_password(PASSWORD):  # a rerun changes nothing else
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])

    def _name(self, rng, gender):
        if gender == Gender.FEMALE:
            return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"

    def _fill_cell(self, rng, cell, size, *, residential):
        today = timezone.localdate()
        members = []
        for index in range(size):
            gender = rng.choice([Gender.MALE, Gender.FEMALE])
            age = (
                rng.randint(62, 88)
                if residential and rng.random() < 0.6
                else rng.randint(24, 58)
            )
            birth = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
            probationary = index >= 2 and rng.random() < 0.1
            if probationary:
                admitted = today - timedelta(days=rng.randint(120, 360))
            else:
                admitted = date(
                    rng.randint(max(birth.year + 19, 1965), today.year - 2),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
            member = create_member(
                cell=cell,
                by=None,
                full_name=self._name(rng, gender),
                gender=gender,
                birth_date=birth,
                party_card_number=f"{rng.randint(10, 99)}.{rng.randint(1, 999999):06d}",
                status=MemberStatus.PROBATIONARY
                if probationary
                else MemberStatus.OFFICIAL,
                admission_decision_date=admitted - timedelta(days=14),
                admission_date=admitted,
                official_date=None if probationary else admitted + timedelta(days=380),
                phone=f"09{rng.randint(10000000, 99999999)}",
                # demo addresses, so `make run` shows the notices in var/mail/
                email=f"dangvien{Member.objects.count() + 1}@demo.chibo.vn",
                residence="Phường Trường Vinh, Nghệ An" if residential else "",
                workplace="" if residential else cell.name.replace("Chi bộ ", ""),
            )
            members.append(member)
        return members

    def _officers(self, cell, members, count):
        officials = [m for m in members if m.is_official]
        roles = [PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY] + [
            PositionRole.COMMITTEE_MEMBER
        ] * 5
        start = timezone.localdate().replace(month=1, day=1) - timedelta(days=400)
        for member, role in zip(officials[:count], roles, strict=False):
            Position.objects.create(
                member=member, organization=cell, role=role, start=start
            )

    def _user(self, username, member=None, **extra):
        # One hash for the six logins (hashing is slow on purpose): same password.
        if not getattr(self, "_password", None):
            self._password = make_password(PASSWORD)
        user = User.objects.create_user(
            username=username, password=None, member=member, **extra
        )
        user.password = self._password
        user.save(update_fields=["password"])
        return user

    def _seed(self):
        rng = random.Random(20261103)  # noqa: S311 — demo data, not security
        today = timezone.localdate()
        province = create_organization(
            parent=None,
            name=ROOT_NAME,
            kind=OrgKind.PROVINCE_COMMITTEE,
            code="TU",
            place="Nghệ An",
        )
        set_rule(
            org=province,
            key=RuleKey.MEETING_DAY,
            value=3,
            valid_from=date(2020, 1, 1),
            source="Quy định của Tỉnh ủy (địa phương)",
        )
        set_rule(
            org=province,
            key=RuleKey.NOTICE_DAYS,
            value=3,
            valid_from=date(2020, 1, 1),
            source="Quy định của Tỉnh ủy (địa phương)",
        )
        ward = create_organization(
            parent=province,
            name="Đảng bộ phường Trường Vinh",
            kind=OrgKind.COMMUNE_COMMITTEE,
            code="ĐU",
            place="Nghệ An",
        )
        set_rule(  # residential cells meet in the evening
            org=ward,
            key=RuleKey.MEETING_TIME,
            value="19:30",
            valid_from=date(2020, 1, 1),
            source="Hướng dẫn của Đảng ủy phường",
        )
        set_rule(
            org=ward,
            key=RuleKey.MEETING_SHIFT,
            value="next_working_day",
            valid_from=date(2025, 7, 1),
            source="Hướng dẫn của Đảng ủy phường",
        )
        bloc = create_organization(
            parent=province,
            name="Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh",
            kind=OrgKind.BLOC_COMMITTEE,
            code="ĐU",
            place="Nghệ An",
        )
        cells = {}
        for name, cell_type, size in WARD_CELLS:
            cell = create_organization(
                parent=ward,
                name=name,
                kind=OrgKind.CELL,
                cell_type=cell_type,
                code="CB",
                place="Nghệ An",
            )
            cells[name] = (
                cell,
                self._fill_cell(
                    rng, cell, size, residential=cell_type == CellType.URBAN
                ),
            )
        for committee_name, committee_cells in BLOC:
            committee = create_organization(
                parent=bloc,
                name=committee_name,
                kind=OrgKind.GRASSROOTS_COMMITTEE,
                code="ĐU",
                place="Nghệ An",
            )
            for name, cell_type, size in committee_cells:
                cell = create_organization(
                    parent=committee,
                    name=name,
                    kind=OrgKind.CELL,
                    cell_type=cell_type,
                    code="CB",
                    place="Nghệ An",
                )
                cells[name] = (
                    cell,
                    self._fill_cell(rng, cell, size, residential=False),
                )
        for name, cell_type, size in GRASSROOTS_CELLS:
            cell = create_organization(
                parent=bloc,
                name=name,
                kind=OrgKind.CELL,
                cell_type=cell_type,
                code="CB",
                place="Nghệ An",
                is_grassroots=True,
            )
            cells[name] = (cell, self._fill_cell(rng, cell, size, residential=False))

        for name, (cell, members) in cells.items():
            # Khối phố 3 has 9+ official members but only two officers: an alert.
            count = (
                2
                if name == "Chi bộ Khối phố 3"
                else (3 if sum(m.is_official for m in members) >= 9 else 2)
            )
            self._officers(cell, members, count)

        # Personas -----------------------------------------------------------------
        kp5, kp5_members = cells["Chi bộ Khối phố 5"]
        secretary = Position.objects.get(
            organization=kp5, role=PositionRole.SECRETARY
        ).member
        plain = [m for m in kp5_members if not m.positions.exists() and m.is_official]
        member = plain[0]
        self._user("secretary", secretary)
        self._user("member", member)
        group = create_organization(
            parent=kp5, name="Tổ đảng số 1", kind=OrgKind.PARTY_GROUP
        )
        Member.objects.filter(pk__in=[m.pk for m in kp5_members[:6]]).update(
            party_group=group
        )
        # an old member exempted, one transferred out, one attached from elsewhere
        Exemption.objects.create(
            member=plain[1],
            reason=ExemptionReason.OLD_AGE,
            start=date(today.year - 1, 3, 1),
            resolution_ref="NQ 05-NQ/CB",
        )
        TemporaryAttachment.objects.create(
            member=plain[2],
            direction=AttachmentDirection.OUT,
            other_unit="Chi bộ Quân sự phường Hưng Dũng",
            start=today - timedelta(days=60),
            end=today + timedelta(days=120),
        )
        kp1, kp1_members = cells["Chi bộ Khối phố 1"]
        attached = create_member(
            cell=kp1,
            by=None,
            full_name="Trịnh Văn Lợi",
            gender=Gender.MALE,
            birth_date=date(1990, 5, 12),
            status=MemberStatus.OFFICIAL,
            admission_date=date(2015, 3, 3),
            official_date=date(2016, 3, 20),
        )
        TemporaryAttachment.objects.create(
            member=attached,
            direction=AttachmentDirection.IN,
            other_unit="Chi bộ Công ty Xây dựng số 4, Hà Tĩnh",
            start=today - timedelta(days=30),
            end=today + timedelta(days=150),
        )
        Suspension.objects.create(
            member=kp1_members[5],
            reason="Đang bị xem xét kỷ luật",
            start=today - timedelta(days=20),
        )

        official = next(
            m for m in kp1_members[6:] if m.is_official and not m.positions.exists()
        )
        Position.objects.create(
            member=official,
            organization=ward,
            role=PositionRole.COMMITTEE_MEMBER,
            start=date(2025, 7, 1),
        )
        self._user("committee", official)

        kp2, kp2_members = cells["Chi bộ Khối phố 2"]
        supervisor = kp2_members[0]
        followed_from = min(date(2025, 7, 1), date(past_years(today)[0], 1, 1))
        for cell in (kp5, kp2):
            SupervisionAssignment.objects.create(
                supervisor=supervisor, cell=cell, start=followed_from
            )
        self._user("supervisor", supervisor)

        # The year so far, lived by every cell through the real services.
        self.past = build_past(
            Cast(
                province=province,
                cells=list(cells.values()),
                persona_cell=kp5,
                member=member,
                users={u.username: u for u in User.objects.all()},
                supervisor=supervisor,
                supervised={kp5.pk, kp2.pk},
                committee_cells={
                    cell.pk for cell, _m in cells.values() if cell.parent_id == ward.pk
                },
            )
        )
        # A thematic meeting two days ahead: the worker and beat started by
        # `make run` send its notices at once (email files in var/mail/).
        create_meeting(
            cell=kp5,
            kind=MeetingKind.THEMATIC,
            starts_at=timezone.make_aware(
                datetime.combine(today + timedelta(days=2), time(19, 30))
            ),
            by=None,
            place="Nhà văn hóa khối phố 5",
            topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        )

        self._meeting_due_now(kp5)

        _, noi_members = cells["Chi bộ Khoa Nội"]
        self._user("outsider", noi_members[-1])
        admin = self._user("admin", None, is_staff=True, is_superuser=True)
        admin.first_name, admin.last_name = "Quản trị", "hệ thống"
        admin.save()
