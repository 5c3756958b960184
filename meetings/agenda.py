"""The national orders of business (DOMAIN.md §3.2), as data.

A data migration copies them into AgendaTemplate rows, which organisations may
override; services fall back to these when no row exists.
"""

OPENING = [
    "Khai mạc: mục đích, giới thiệu đại biểu",
    "Cử thư ký ghi biên bản",
    "Điểm danh: tổng số, có mặt, vắng có lý do, vắng không lý do, miễn sinh hoạt, "
    "sinh hoạt tạm thời",
    "Tình hình thu, nộp đảng phí",
    "Thông qua chương trình sinh hoạt",
]
CLOSING_READBACK = "Thư ký đọc lại biên bản, chi bộ thông qua"
DEFAULT_AGENDAS = {
    "regular": [
        *OPENING,
        "Báo cáo kết quả thực hiện nhiệm vụ tháng",
        "Kiểm điểm việc thực hiện nhiệm vụ tháng trước của chi bộ và từng đảng viên",
        "Thông tin thời sự, chủ trương, chính sách mới; chỉ đạo của cấp trên",
        "Tình hình tư tưởng đảng viên; tự phê bình và phê bình",
        "Thảo luận",
        "Chủ trì tổng hợp ý kiến",
        "Phân công nhiệm vụ tháng tới cho từng đảng viên, có thời hạn",
        "Trả lời kiến nghị của đảng viên; kiến nghị với cấp trên",
        "Kết luận hoặc nghị quyết, biểu quyết",
        "Tự chấm điểm chất lượng buổi sinh hoạt",
        CLOSING_READBACK,
    ],
    "thematic": [
        *OPENING,
        "Mục đích, yêu cầu của buổi sinh hoạt chuyên đề",
        "Đảng viên được phân công trình bày chuyên đề",
        "Tham luận và thảo luận",
        "Chủ trì kết luận những nội dung cần vận dụng",
        "Nghị quyết (nếu có), biểu quyết",
        CLOSING_READBACK,
    ],
    "extraordinary": [
        *OPENING,
        "Nội dung cần giải quyết",
        "Thảo luận",
        "Biểu quyết",
        CLOSING_READBACK,
    ],
    "committee": [
        "Đánh giá kết quả tháng",
        "Thống nhất nội dung sinh hoạt chi bộ",
        "Đề xuất nhiệm vụ tháng tới",
        "Chọn nội dung thảo luận, biểu quyết",
        CLOSING_READBACK,
    ],
    "annual_review": [
        *OPENING,
        "Báo cáo kiểm điểm tập thể chi ủy, chi bộ",
        "Đảng viên tự kiểm điểm",
        "Thảo luận, góp ý",
        "Đề xuất xếp loại chất lượng",
        "Biểu quyết",
        CLOSING_READBACK,
    ],
    "congress": [
        *OPENING,
        "Báo cáo chính trị",
        "Báo cáo kiểm điểm của chi ủy",
        "Thảo luận",
        "Bầu cử",
        "Thông qua nghị quyết đại hội",
        CLOSING_READBACK,
    ],
}
