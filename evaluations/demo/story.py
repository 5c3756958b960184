"""One planned meeting of a demo cell and the steps of its life (past.py schedules
them on the timeline), each through the real services as its people would take it."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from evaluations import domain, selectors, services
from evaluations.models import RecommendationStatus, ScoreRole, Task, TaskOutcome
from meetings import domain as meetings_domain
from meetings.api import (
    add_addendum,
    add_document,
    add_guest,
    adopt_minutes,
    attendance_rows,
    attendance_stats,
    cancel_meeting,
    lock_minutes,
    mark_documents_sent,
    mark_notified,
    record_attendance,
    record_vote,
    render_pending,
    request_excuse,
    reschedule_meeting,
    review_minutes,
    save_minutes,
    sign_addendum,
    sign_minutes,
    start_meeting,
    submit_minutes,
    update_meeting,
)
from meetings.api import decide_excuse as meeting_decide_excuse
from meetings.api import issue_resolution as meeting_issue_resolution
from meetings.models import AttendanceStatus, Guest, MeetingKind, VoteKind
from members.api import rule_value
from members.models import CellType, RuleKey

from . import texts
from .documents import draft_docx

MINUTES = {"regular": 105, "short": 75, "thematic": 100, "combined": 125}


def local_at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def local_day(moment):
    return timezone.localtime(moment).date()


def report_filed_at(cell, day, *, late):
    """When the supervisor files the report on a meeting of `day`: a few days after
    it and by the due day, or (late) three days after the due day."""
    deadline = rule_value(cell, RuleKey.REPORT_DEADLINE_DAY, day)
    due = domain.report_due_date(day, deadline_day=int(deadline))
    if late:
        return local_at(due + timedelta(days=3), 16)
    return local_at(max(day + timedelta(days=1), min(day + timedelta(days=4), due)), 16)


class Story:
    """One planned meeting of a cell and the steps that make up its life."""

    def __init__(self, cast, run, meeting, flags, rng):
        self.cast, self.run, self.meeting, self.flags, self.rng = (
            cast,
            run,
            meeting,
            flags,
            rng,
        )
        self.regular = meeting.kind == MeetingKind.REGULAR
        self.minutes = None
        self.excuse = None
        self.report = None
        self.rendered = 0

    # --- the schedule ------------------------------------------------------------

    def schedule(self, timeline, *, recommendation=None):
        start = self.meeting.starts_at
        day = local_day(start)
        at = timeline.at
        if "merged" in self.flags:  # held with the month's regular meeting
            at(local_at(day - timedelta(days=14), 10), self.cancel_merged)
            return
        if "rescheduled" in self.flags:
            at(local_at(day - timedelta(days=6), 10), self.reschedule)
            start += timedelta(days=2)
            day = local_day(start)
        at(local_at(day - timedelta(days=5), 9), self.prepare)
        notice = day - timedelta(days=1 if "late_notice" in self.flags else 4)
        at(local_at(notice, 9, 30), self.notify)
        persona = self.run.persona
        if self.regular and persona:
            at(local_at(day - timedelta(days=2), 17), self.send_documents)
        if persona:
            at(local_at(day - timedelta(days=2), 20), self.ask_excuse)
            at(local_at(day - timedelta(days=1), 8), self.decide_excuse)
        if self.regular and self.supervised and not self.supervisor_is_member:
            at(local_at(day - timedelta(days=1), 8, 30), self.invite_supervisor)
        if "missed" in self.flags:
            return
        length = MINUTES[
            "short"
            if "short" in self.flags
            else "combined"
            if "combined" in self.flags
            else self.meeting.kind
        ]
        end = start + timedelta(minutes=length)
        at(start, self.start)
        at(start + timedelta(minutes=10), self.roll_call)
        if self.regular:
            at(start + timedelta(minutes=30), self.review_tasks)
            at(start + timedelta(minutes=length - 25), self.assign_tasks)
            at(start + timedelta(minutes=length - 10), self.vote)
        at(end, lambda: self.write(start, end))
        at(end + timedelta(minutes=3), self.adopt)
        at(end + timedelta(minutes=5), self.sign)
        lock_day = day + timedelta(days=5 if "late_lock" in self.flags else 1)
        lock = local_at(lock_day, 9)
        at(lock, self.lock)
        at(lock + timedelta(minutes=5), self.score)
        if self.regular and persona:
            at(lock + timedelta(minutes=10), self.issue_resolution)
        if persona:
            at(lock + timedelta(minutes=15), self.render)
        at(lock + timedelta(minutes=20), self.submit)
        if self.regular and persona:
            at(lock + timedelta(minutes=30), self.rate_members)
        if self.regular and self.supervised:
            filed = self.report_moment(day)
            at(filed, lambda: self.file_report(recommendation))
            if recommendation is not None and "response" in recommendation:
                at(filed + timedelta(days=10), self.take_up_recommendation)
                at(filed + timedelta(days=30), self.resolve_recommendation)
        if "returned" in self.flags:
            at(local_at(day + timedelta(days=5), 10), self.return_minutes)
            at(local_at(day + timedelta(days=6), 9), self.answer_return)
            at(local_at(day + timedelta(days=6), 9, 30), self.submit)
            at(local_at(day + timedelta(days=8), 10), self.acknowledge)
        else:
            at(local_at(day + timedelta(days=6), 10), self.acknowledge)

    @property
    def supervised(self):
        return self.run.cell.pk in self.cast.supervised

    @property
    def supervisor_is_member(self):
        return self.cast.supervisor.organization_id == self.run.cell.pk

    def report_moment(self, day):
        return report_filed_at(self.run.cell, day, late="report_late" in self.flags)

    # --- before the meeting ------------------------------------------------------

    def cancel_merged(self):
        self.meeting = cancel_meeting(
            meeting=self.meeting,
            reason=texts.MERGED_REASON.format(month=self.month_label()),
            by=self.run.chair_user,
        )

    def reschedule(self):
        self.meeting = reschedule_meeting(
            meeting=self.meeting,
            starts_at=self.meeting.starts_at + timedelta(days=2),
            reason=texts.RESCHEDULE_REASON,
            by=self.run.chair_user,
        )

    def prepare(self):
        self.meeting.refresh_from_db()
        cell, members = self.run.cell, self.run.steady or self.run.members
        fields = {
            "place": f"{texts.PLACES.get(cell.cell_type, 'Phòng họp')}",
            "preparer": self.run.taker,
        }
        quarter = meetings_domain.quarter_of(self.meeting.planned_date.month)
        if self.regular:
            fields["news_briefer"] = self.rng.choice(members)
            fields["draft_resolution"] = self.conclusion()
        if not self.regular or "combined" in self.flags:
            topic = self.topic()
            fields["topic"] = (
                texts.COMBINED_TOPIC.format(topic=topic) if self.regular else topic
            )
            fields["is_combined"] = self.regular
            fields["is_ho_chi_minh_topic"] = (
                quarter == meetings_domain.HO_CHI_MINH_QUARTER
            )
            fields["presenter"] = self.rng.choice(members)
        self.meeting = update_meeting(
            meeting=self.meeting, by=self.run.chair_user, **fields
        )

    def notify(self):
        self.meeting = mark_notified(meeting=self.meeting, by=self.run.chair_user)

    def send_documents(self):
        month = self.month_label()
        title = texts.DRAFT_TITLE.format(month=month)
        upload = draft_docx(
            f"du-thao-nghi-quyet-{self.meeting.planned_date:%Y-%m}.docx",
            title,
            [self.conclusion()],
        )
        add_document(
            meeting=self.meeting, upload=upload, title=title, by=self.run.chair_user
        )
        mark_documents_sent(meeting=self.meeting, by=self.run.chair_user)

    def ask_excuse(self):
        keep = {self.run.chair.pk, self.run.taker.pk, self.cast.supervisor.pk}
        members = [m for m in self.run.steady if m.pk not in keep]
        if not members or self.rng.random() < 0.3:
            return
        self.excuse = request_excuse(
            meeting=self.meeting,
            member=self.rng.choice(members),
            reason=self.rng.choice(texts.EXCUSES),
        )

    def decide_excuse(self):
        if self.excuse is not None:
            meeting_decide_excuse(
                excuse=self.excuse, accept=True, by=self.run.chair_user
            )

    def invite_supervisor(self):
        add_guest(
            meeting=self.meeting,
            name=self.cast.supervisor.full_name,
            role=Guest.Role.SUPERIOR,
            title="Cấp ủy viên cấp trên được phân công theo dõi chi bộ",
            by=self.run.chair_user,
        )

    # --- at the meeting ----------------------------------------------------------

    def start(self):
        self.minutes = start_meeting(meeting=self.meeting, by=self.run.chair_user)
        self.meeting.refresh_from_db()

    def roll_call(self):
        """Most members present (the excused prefilled from accepted requests);
        in the other cells one excused absence now and then, recorded at the roll
        call; an unexcused absence when the departure asks for it (or rarely in a
        large cell); one late arrival; about half to four fifths speak."""
        rows = attendance_rows(self.meeting)
        keep = {self.run.chair.pk, self.run.taker.pk}
        if self.supervisor_is_member:
            keep.add(self.cast.supervisor.pk)
        present = [r for r in rows if r.status == AttendanceStatus.PRESENT]
        others = [r.member_id for r in present if r.member_id not in keep]
        absent = {}
        if others and not self.run.persona and self.rng.random() < 0.5:
            absent[self.rng.choice(others)] = (
                AttendanceStatus.ABSENT_EXCUSED,
                self.rng.choice(texts.EXCUSES),
            )
        free = [pk for pk in others if pk not in absent]
        if free and (
            "unexcused" in self.flags or (len(free) >= 9 and self.rng.random() < 0.1)
        ):
            absent[self.rng.choice(free)] = (AttendanceStatus.ABSENT_UNEXCUSED, "")
        attending = [r.member_id for r in present if r.member_id not in absent]
        share = self.rng.uniform(0.45, 0.8)
        speakers = keep | set(self.rng.sample(attending, round(len(attending) * share)))
        late = {self.rng.choice(free)} if free else set()
        data = {}
        for row in rows:
            status, reason = absent.get(row.member_id, (row.status, row.reason))
            here = status == AttendanceStatus.PRESENT
            data[row.member_id] = {
                "status": status,
                "reason": reason,
                "late": here and row.member_id in late - absent.keys(),
                "spoke": here and row.member_id in speakers,
            }
        record_attendance(meeting=self.meeting, rows=data, by=self.run.taker_user)

    def review_tasks(self):
        day = local_day(self.meeting.starts_at)
        due = Task.objects.filter(
            selectors.review_candidates_q(self.meeting), outcome="", deadline__lt=day
        ).order_by("pk")
        outcomes = {}
        for task in due:
            draw = self.rng.random()
            outcome = (
                TaskOutcome.EXCEEDED
                if draw < 0.15
                else TaskOutcome.DONE_LATE
                if draw < 0.25
                else TaskOutcome.NOT_DONE
                if draw < 0.3
                else TaskOutcome.DONE_ON_TIME
            )
            outcomes[task.pk] = (outcome, texts.OUTCOME_COMMENTS.get(outcome, ""))
        if outcomes:
            services.review_tasks(
                meeting=self.meeting, outcomes=outcomes, by=self.run.chair_user
            )

    def assign_tasks(self):
        day = local_day(self.meeting.starts_at)
        pool = texts.TASKS.get(self.run.cell.cell_type, texts.TASKS[CellType.URBAN])
        members = self.present_members()
        for text in self.rng.sample(pool, 2):
            assignees = self.rng.sample(
                members, min(len(members), self.rng.randint(1, 2))
            )
            services.assign_task(
                meeting=self.meeting,
                text=text,
                deadline=day + timedelta(days=self.rng.randint(14, 24)),
                assignees=assignees,
                by=self.run.chair_user,
            )

    def vote(self):
        rows = attendance_rows(self.meeting)
        voters = attendance_stats(rows)["official_present"]
        record_vote(
            minutes=self.minutes,
            subject=f"Thông qua nghị quyết tháng {self.month_label()}",
            kind=VoteKind.RESOLUTION,
            yes=voters,
            no=0,
            abstain=0,
            by=self.run.taker_user,
        )

    def write(self, start, end):
        self.minutes = save_minutes(
            minutes=self.minutes,
            version=self.minutes.version,
            by=self.run.taker_user,
            chair=self.run.chair,
            minute_taker=self.run.taker,
            started_at=start,
            ended_at=end,
            opening=(
                f"Đồng chí {self.run.chair.full_name} khai mạc, nêu mục đích, yêu cầu "
                f"buổi sinh hoạt; chi bộ cử đồng chí {self.run.taker.full_name} làm "
                "thư ký. Đảng phí tháng trước đã thu, nộp đủ."
            ),
            items=self.items(),
            conclusion=self.conclusion(),
        )

    def adopt(self):
        self.minutes = adopt_minutes(minutes=self.minutes, by=self.run.chair_user)

    def sign(self):
        self.minutes = sign_minutes(minutes=self.minutes, user=self.run.taker_user)
        if self.run.chair_user != self.run.taker_user:
            self.minutes = sign_minutes(minutes=self.minutes, user=self.run.chair_user)

    # --- after the meeting -------------------------------------------------------

    def lock(self):
        self.minutes = lock_minutes(minutes=self.minutes, by=self.run.chair_user)
        self.meeting.refresh_from_db()

    def score(self):
        services.score_meeting(
            meeting=self.meeting,
            role=ScoreRole.SELF,
            manual=self.manual_points(0.15),
            by=self.run.chair_user,
        )

    def issue_resolution(self):
        meeting_issue_resolution(
            meeting=self.meeting,
            title=f"Nghị quyết chi bộ tháng {self.month_label()}",
            text=self.conclusion(),
            by=self.run.chair_user,
        )

    def render(self):
        self.rendered = len(render_pending(cell_id=self.run.cell.pk).rendered)

    def submit(self):
        self.meeting = submit_minutes(meeting=self.meeting, by=self.run.chair_user)

    def rate_members(self):
        sheet = selectors.monthly_sheet(self.meeting)["sheet"]
        services.confirm_monthly_ratings(
            meeting=self.meeting,
            levels={row["member"].pk: (row["proposed"], "") for row in sheet},
            by=self.run.chair_user,
        )

    def file_report(self, recommendation):
        supervisor_user = self.cast.users["supervisor"]
        services.score_meeting(
            meeting=self.meeting,
            role=ScoreRole.SUPERVISOR,
            manual=self.manual_points(0.3),
            by=supervisor_user,
        )
        rows = []
        if recommendation is not None:
            rows = [
                {k: recommendation[k] for k in ("text", "addressee", "responsible")}
            ]
        self.report = services.file_report(
            meeting=self.meeting,
            supervisor=self.cast.supervisor,
            attended=True,
            summary=texts.SUPERVISOR_SUMMARY,
            observations=self.rng.choice(texts.SUPERVISOR_OBSERVATIONS),
            recommendations=rows,
            by=supervisor_user,
        )

    def take_up_recommendation(self):
        for rec in self.report.recommendations.all():
            services.respond_recommendation(
                recommendation=rec,
                status=RecommendationStatus.IN_PROGRESS,
                response="",
                by=self.cast.users["committee"],
            )

    def resolve_recommendation(self):
        for rec in self.report.recommendations.all():
            response = next(
                r["response"] for r in texts.RECOMMENDATIONS if r["text"] == rec.text
            )
            services.respond_recommendation(
                recommendation=rec,
                status=RecommendationStatus.RESOLVED,
                response=response,
                by=self.cast.users["committee"],
            )

    def reviewer(self):
        if self.run.cell.pk in self.cast.committee_cells:
            return self.cast.users["committee"]
        return None

    def return_minutes(self):
        self.meeting = review_minutes(
            meeting=self.meeting,
            accept=False,
            comment=texts.RETURN_COMMENT,
            by=self.reviewer(),
        )

    def answer_return(self):
        addendum = add_addendum(
            minutes=self.minutes, text=texts.ADDENDUM, by=self.run.chair_user
        )
        sign_addendum(addendum=addendum, user=self.run.taker_user)
        if self.run.chair_user != self.run.taker_user:
            sign_addendum(addendum=addendum, user=self.run.chair_user)

    def acknowledge(self):
        self.meeting = review_minutes(
            meeting=self.meeting, accept=True, comment="", by=self.reviewer()
        )

    # --- content -----------------------------------------------------------------

    def month_label(self):
        return f"{self.meeting.planned_date:%m/%Y}"

    def present_members(self):
        by_id = {m.pk: m for m in self.run.members}
        return [
            by_id[r.member_id]
            for r in attendance_rows(self.meeting)
            if r.status == AttendanceStatus.PRESENT and r.member_id in by_id
        ]

    def topic(self):
        quarter = meetings_domain.quarter_of(self.meeting.planned_date.month)
        return texts.THEMATIC_TOPICS[quarter]

    def conclusion(self):
        thematic = texts.THEMATIC_CONCLUSION.format(topic=self.topic())
        if not self.regular:
            return thematic
        regular = texts.CONCLUSION.format(month=self.month_label())
        return f"{regular} {thematic}" if "combined" in self.flags else regular

    def manual_points(self, slack):
        """Points for the rubric's items scored by hand (the ◆ ones fill themselves):
        full marks, one point less here and there."""
        rubric = selectors.rubric_for_meeting(self.meeting)
        return {
            item["key"]: item["max"] - 1
            if item["max"] >= 1 and self.rng.random() < slack
            else item["max"]
            for group in rubric.groups
            for item in group["items"]
            if not item.get("auto")
        }

    def items(self):
        rows = attendance_rows(self.meeting)
        speakers = [r.member.full_name for r in rows if r.spoke]
        briefer = self.meeting.news_briefer or self.run.chair
        presenter = self.meeting.presenter or self.run.chair
        reviewed = list(Task.objects.filter(reviewed_in=self.meeting))
        done = sum(1 for t in reviewed if t.outcome in domain.DONE_OUTCOMES)
        said = list(texts.THEMATIC_SPEECHES if not self.regular else texts.SPEECHES)
        self.rng.shuffle(said)

        def speech(name, index):
            return {"name": name, "gist": said[index % len(said)]}

        filled = []
        for item in self.minutes.items:
            title = item["title"]
            people, conclusion = [], ""
            if title.startswith("Báo cáo kết quả"):
                gist = texts.REPORT_TEXTS["monthly"].format(month=self.month_label())
                people = [{"name": self.run.chair.full_name, "gist": gist}]
            elif title.startswith("Kiểm điểm việc thực hiện"):
                conclusion = (
                    f"Hoàn thành {done}/{len(reviewed)} nhiệm vụ được giao tháng trước."
                )
            elif title.startswith("Thông tin thời sự"):
                people = [
                    {"name": briefer.full_name, "gist": texts.REPORT_TEXTS["news"]}
                ]
            elif title.startswith("Tình hình tư tưởng"):
                conclusion = texts.REPORT_TEXTS["ideology"]
            elif title.startswith("Đảng viên được phân công trình bày"):
                gist = texts.REPORT_TEXTS["thematic"].format(topic=self.topic())
                people = [{"name": presenter.full_name, "gist": gist}]
            elif title.startswith(("Thảo luận", "Tham luận")):
                people = [speech(name, i) for i, name in enumerate(speakers[:5])]
            elif title.startswith(("Kết luận", "Chủ trì kết luận")):
                conclusion = self.conclusion()
            filled.append(
                {"title": title, "speakers": people, "conclusion": conclusion}
            )
        return filled
