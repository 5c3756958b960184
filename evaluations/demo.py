"""Demo data for evaluations, called by the seed_demo command: two regular meetings of
the demo cell (last month with tasks, this month reviewing them), the quality scores,
monthly ratings, a supervisor's report with a recommendation."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Attendance, AttendanceStatus

from . import selectors, services


def _held(cell, *, day, secretary, taker, spoke_ids):
    starts = timezone.make_aware(datetime.combine(day, time(19, 30)))
    meeting = meeting_services.create_meeting(
        cell=cell, kind="regular", starts_at=starts, by=None, place="Nhà văn hóa"
    )
    minutes = meeting_services.start_meeting(meeting=meeting, by=None)
    minutes = meeting_services.save_minutes(
        minutes=minutes,
        version=minutes.version,
        by=None,
        chair=secretary,
        minute_taker=taker,
        started_at=starts,
        ended_at=starts + timedelta(minutes=105),
        opening="Khai mạc, điểm danh, báo cáo tình hình đóng đảng phí.",
        conclusion="Chi bộ thống nhất các nhiệm vụ trọng tâm tháng tới.",
    )
    Attendance.objects.filter(
        meeting=meeting, member_id__in=spoke_ids, status=AttendanceStatus.PRESENT
    ).update(spoke=True)
    meeting.refresh_from_db()
    return meeting, minutes


def seed_evaluations(*, cell, secretary, member, others, supervisor, today):
    """Create the demo's evaluation records (idempotence is seed_demo's concern)."""
    this_month = today.replace(day=3)
    last_month = (this_month - timedelta(days=20)).replace(day=3)
    speakers = [secretary.pk, member.pk, *(m.pk for m in others[:3])]
    previous, previous_minutes = _held(
        cell, day=last_month, secretary=secretary, taker=member, spoke_ids=speakers
    )
    tasks = [
        services.assign_task(
            meeting=previous,
            text="Vận động các hộ dân đóng góp quỹ khuyến học",
            deadline=last_month + timedelta(days=20),
            assignees=[member],
        ),
        services.assign_task(
            meeting=previous,
            text="Rà soát danh sách hộ nghèo, cận nghèo của khối phố",
            deadline=last_month + timedelta(days=25),
            assignees=[member, others[0]],
        ),
        services.assign_task(
            meeting=previous,
            text="Kiểm tra vệ sinh môi trường các tuyến ngõ",
            deadline=last_month + timedelta(days=15),
            assignees=[others[1]],
        ),
    ]
    meeting_services.adopt_minutes(minutes=previous_minutes, by=None)
    services.score_meeting(
        meeting=previous,
        role="self",
        manual={"content": 3, "steps": 5, "regular_content": 8},
    )
    current, _minutes = _held(
        cell, day=this_month, secretary=secretary, taker=member, spoke_ids=speakers
    )
    services.review_tasks(
        meeting=current,
        outcomes={
            tasks[0].pk: ("exceeded", "Vượt chỉ tiêu 20%"),
            tasks[1].pk: ("done_on_time", ""),
            tasks[2].pk: ("done_late", "Chậm 5 ngày"),
        },
    )
    services.assign_task(
        meeting=current,
        text="Chuẩn bị nội dung sinh hoạt chuyên đề quý",
        deadline=this_month + timedelta(days=25),
        assignees=[secretary, member],
    )
    services.score_meeting(
        meeting=current,
        role="self",
        manual={
            "content": 3,
            "draft": 2,
            "steps": 5,
            "regular_content": 9,
            "praise": 2,
            "flexible": 2,
            "orientation": 3,
            "democratic": 3,
            "synthesis": 1,
            "centralism": 1,
            "self_criticism": 2,
            "fighting": 1,
            "concerns": 1,
            "conclusion_adopted": 2,
        },
    )
    services.score_meeting(
        meeting=current,
        role="supervisor",
        manual={"content": 3, "steps": 4, "regular_content": 8, "orientation": 3},
    )
    services.file_report(
        meeting=current,
        supervisor=supervisor,
        attended=True,
        summary="Chi bộ sinh hoạt đúng ngày, đủ nội dung thường kỳ.",
        observations="Nhiều đảng viên phát biểu; cần tăng thời lượng tự phê bình.",
        recommendations=[
            {
                "text": "Tổ chức sinh hoạt chuyên đề về chuyển đổi số trong quý tới",
                "addressee": "Đảng ủy phường",
                "responsible": "Chi ủy chi bộ",
            },
        ],
    )
    sheet = selectors.monthly_sheet(current)["sheet"]
    services.confirm_monthly_ratings(
        meeting=current,
        levels={row["member"].pk: (row["proposed"], "") for row in sheet},
    )
    return current
