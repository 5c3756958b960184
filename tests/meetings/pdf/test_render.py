"""Minutes, resolutions and topic covers to PDF (meetings/pdf/render.py): layout
and text read back with pypdf, A4, embedded fonts, PDF/A-3b identification, the
JSON attachment, page 1 as PNG (pdftoppm). Everything is real: WeasyPrint too.
"""

import io
import json
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from meetings import pdf, services
from meetings.models import Meeting, Minutes
from tests.factories.meetings import full_meeting
from tests.factories.times import at
from tests.support import ARTIFACTS
from tests.support.pdf import A4, nfc, text_of


def test_minutes_pdf_reads_back_every_part(tree, users, place):
    # Arrange
    meeting = full_meeting(tree, users)
    excused, unexcused, _present = tree.others

    # Act
    rendered = pdf.render_minutes(meeting)
    text = text_of(rendered.content)

    # Assert: header blocks, title and subtitle
    for line in (
        "ĐẢNG BỘ PHƯỜNG THỬ",
        "CHI BỘ KHỐI PHỐ 5",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Nghệ An, ngày 03 tháng 11 năm 2026",
        "BIÊN BẢN",
        "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2026",
    ):
        assert nfc(line) in text, line
    # attendance counts, absent names with reason, guests, chair and minute-taker
    for line in (
        "Tổng số đảng viên của chi bộ: 5 đồng chí (chính thức: 5, dự bị: 0)",
        "Số đảng viên phải dự sinh hoạt: 5 đồng chí",
        "Có mặt: 3 đồng chí; tỷ lệ dự họp: 60,0%",
        f"Vắng có lý do: 1 đồng chí: {excused.full_name} (Đi công tác Hà Nội)",
        f"Vắng không có lý do: 1 đồng chí: {unexcused.full_name}",
        "Miễn sinh hoạt: 0 đồng chí",
        f"Đến muộn: {_present.full_name}",
        "Võ Thị Cấp Trên, Đảng ủy viên phường (đại diện cấp ủy cấp trên)",
        "Chủ trì: đồng chí Lê Văn Bí Thư. Thư ký: đồng chí Trần Thị Đảng Viên.",
    ):
        assert nfc(line) in text, line
    # each speaker, conclusion, task, recommendation, resolution text, vote line
    assert "Đồng chí Lê Văn Bí Thư: Ý kiến 1" in text
    assert "Đồng chí Trần Thị Đảng Viên: Ý kiến 2" in text
    assert "Kết luận: Chi bộ thống nhất giao chi ủy theo dõi." in text
    assert "Vận động hội viên tham gia Tết trồng cây" in text
    assert "23/11/2026" in text
    assert "Đề nghị Đảng ủy phường hỗ trợ kinh phí sửa nhà văn hóa." in text
    assert "Chi bộ thống nhất ban hành nghị quyết về công tác tháng 12." in text
    assert (
        "Biểu quyết — thông qua nghị quyết số 1: tán thành 2/4 đồng chí (50,0%), "
        "không tán thành 1, không biểu quyết 0 — không được thông qua"
    ) in text
    assert (
        "Ý kiến bảo lưu của đồng chí Trần Thị Đảng Viên: Đề nghị lùi thời hạn "
        "sang tháng 1."
    ) in text
    assert "thời gian sinh hoạt: 120 phút" in text
    # both signature blocks with names; page numbers; no watermark once locked
    assert "NGƯỜI GHI BIÊN BẢN" in text
    assert "CHỦ TRÌ" in text
    assert (
        text.rstrip().endswith(f"Trang {rendered.pages}/{rendered.pages}")
        or f"Trang 1/{rendered.pages}" in text
    )
    assert "DỰ THẢO" not in text
    assert text == nfc(text)


def test_minutes_pdf_is_a4_with_every_font_embedded(tree, users, place):
    meeting = full_meeting(tree, users)

    reader = PdfReader(io.BytesIO(pdf.render_minutes(meeting).content))

    fonts = {}
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (
            pytest.approx(A4[0], abs=0.5),
            pytest.approx(A4[1], abs=0.5),
        )
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            embedded = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts, "no font found"
    assert all(fonts.values()), fonts
    # only our vendored face (declared as "Chibo Serif"), never a system fallback
    assert all("Chibo-Serif" in name for name in fonts), fonts


def test_locked_minutes_are_pdf_a_3b_with_metadata_and_json(tree, users, place):
    meeting = full_meeting(tree, users)

    reader = PdfReader(io.BytesIO(pdf.render_minutes(meeting).content))

    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(=\"|>)3", raw), raw[:500]
    assert re.search(r"pdfaid:conformance(=\"|>)B", raw), raw[:500]
    info = reader.metadata
    assert info.title == "BIÊN BẢN — Chi bộ Khối phố 5"
    assert info.author == "Chi bộ Khối phố 5 — Đảng bộ phường Thử"
    assert info.subject == "Sinh hoạt chi bộ thường kỳ tháng 11 năm 2026"
    locked_at = Minutes.objects.get(meeting=meeting).locked_at
    assert info.creation_date == locked_at.replace(microsecond=0)
    assert "<dc:title>" in raw or "dc:title" in raw
    # the structured record, attached as JSON, parses back to the meeting's data
    attachments = reader.attachments
    assert list(attachments) == [pdf.ATTACHMENT_NAME]
    data = json.loads(attachments[pdf.ATTACHMENT_NAME][0])
    assert data["schema"] == "chibo.minutes/1"
    assert data["meeting_id"] == meeting.pk
    assert data["cell_name"] == "Chi bộ Khối phố 5"
    assert data["chair"] == "Lê Văn Bí Thư"
    assert data["minute_taker"] == "Trần Thị Đảng Viên"
    assert data["date"] == "03/11/2026"
    assert data["duration"] == 120
    assert data["stats"]["present"] == 3
    assert data["stats"]["absent_excused"] == [
        {"name": tree.others[0].full_name, "reason": "Đi công tác Hà Nội"}
    ]
    assert [v["yes"] for v in data["votes"]] == [2]
    assert data["votes"][0]["denominator"] == 4
    assert data["tasks"][0]["text"] == "Vận động hội viên tham gia Tết trồng cây"
    assert data["tasks"][0]["assignees"] == "Trần Thị Đảng Viên"
    assert {row["name"] for row in data["attendance"]} == {
        m.full_name for m in [tree.secretary, tree.member, *tree.others]
    }
    assert data["locked_at"] is not None


def test_draft_minutes_carry_the_watermark_and_are_not_archival(tree, users, place):
    meeting = full_meeting(tree, users, lock=False)

    content = pdf.render_minutes(meeting).content

    text = text_of(content)
    assert "DỰ THẢO" in text
    assert "BIÊN BẢN" in text
    raw = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert (
        "/Metadata" not in raw
        or "pdfaid" not in raw["/Metadata"].get_object().get_data().decode()
    )


def test_resolution_pdf_is_signed_for_the_cell_by_the_secretary(tree, users, place):
    meeting = full_meeting(tree, users)
    services.issue_resolution(
        meeting=meeting,
        title="Về nhiệm vụ trọng tâm tháng 12 năm 2026",
        text="1. Hoàn thành thu đảng phí.\n2. Tổ chức Tết trồng cây.",
        by=users.secretary,
    )

    content = pdf.render_resolution(meeting).content
    text = text_of(content)

    for line in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "CHI BỘ KHỐI PHỐ 5",
        "Số 01-NQ/CB",
        "NGHỊ QUYẾT",
        "Về nhiệm vụ trọng tâm tháng 12 năm 2026",
        "1. Hoàn thành thu đảng phí.",
        "2. Tổ chức Tết trồng cây.",
        "T/M CHI BỘ",
        "BÍ THƯ",
        "Lê Văn Bí Thư",
        "tán thành 2/4 đồng chí (50,0%)",
    ):
        assert nfc(line) in text, line
    assert "DỰ THẢO" not in text
    assert PdfReader(io.BytesIO(content)).attachments == {}


def test_draft_resolution_carries_the_watermark(tree, users, place):
    meeting = full_meeting(tree, users, lock=False)
    Meeting.objects.filter(pk=meeting.pk).update(
        draft_resolution="Dự kiến: hoàn thành thu đảng phí."
    )
    meeting.refresh_from_db()

    text = text_of(pdf.render_resolution(meeting).content)

    assert "DỰ THẢO" in text
    assert "Dự kiến: hoàn thành thu đảng phí." in text


def test_topic_cover_of_a_thematic_meeting(tree, users, place):
    meeting = services.create_meeting(
        cell=tree.cell,
        kind="thematic",
        starts_at=at(2026, 5, 19, 19, 30),
        by=users.secretary,
        topic="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    Meeting.objects.filter(pk=meeting.pk).update(presenter=tree.member)
    meeting.refresh_from_db()

    text = text_of(pdf.render_topic_cover(meeting).content)

    assert "CHUYÊN ĐỀ" in text
    assert "HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG" in text
    assert "Người trình bày: đồng chí Trần Thị Đảng Viên" in text


def page_one_png(content, name, tmp_path):
    """Page 1 of `content` as a PNG kept under var/test-artifacts/ (CI artifact)."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(content)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(  # noqa: S603 — poppler's pdftoppm on our own file
        [
            shutil.which("pdftoppm") or "pdftoppm",
            *("-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"),
            str(source),
            str(target),
        ],
        check=True,
        timeout=60,
    )
    return target.with_suffix(".png")


def test_page_one_renders_to_png_artifact(tree, users, place, tmp_path):
    from PIL import Image

    meeting = full_meeting(tree, users, lock=False)
    locked = full_meeting(tree, users, when=at(2026, 12, 3, 19, 30), tasks=False)
    services.issue_resolution(
        meeting=locked,
        title="Về nhiệm vụ trọng tâm tháng 01 năm 2027",
        text="1. Hoàn thành thu đảng phí.",
        by=users.secretary,
    )

    pngs = [
        page_one_png(pdf.render_minutes(meeting).content, "minutes-page1", tmp_path),
        page_one_png(
            pdf.render_resolution(locked).content, "resolution-page1", tmp_path
        ),
    ]

    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(png) as image:
            width, height = image.size
            assert round(height / width, 2) == round(A4[1] / A4[0], 2)
            # dark ink (text) is present, not a blank page
            assert image.convert("L").getextrema()[0] < 60
