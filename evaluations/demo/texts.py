"""What the demo's cells wrote in their past meetings: user text in Vietnamese, as a
secretary would type it (demo content, not interface strings, so not translated)."""

from members.models import CellType

PLACES = {
    CellType.URBAN: "Nhà văn hóa khối phố",
    CellType.AGENCY: "Phòng họp cơ quan",
    CellType.PUBLIC_SERVICE: "Phòng họp giao ban",
    CellType.PRIVATE_ENTERPRISE: "Phòng họp công ty",
}

# The plan's thematic meeting of each quarter (the second is the year's Hồ Chí Minh
# topic, in May).
THEMATIC_TOPICS = {
    1: "Nâng cao chất lượng sinh hoạt chi bộ theo Chỉ thị 50-CT/TW",
    2: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    3: "Chuyển đổi số trong công tác đảng và ở cơ sở",
    4: "Phòng, chống tham nhũng, lãng phí, tiêu cực",
}
COMBINED_TOPIC = "Sinh hoạt thường kỳ kết hợp chuyên đề “{topic}”"
MERGED_REASON = "Sinh hoạt chuyên đề kết hợp với sinh hoạt thường kỳ tháng {month}"

TASKS = {
    CellType.URBAN: [
        "Vận động các hộ dân đóng góp quỹ khuyến học",
        "Rà soát danh sách hộ nghèo, cận nghèo của khối phố",
        "Kiểm tra vệ sinh môi trường các tuyến ngõ",
        "Tuyên truyền phòng, chống cháy nổ trong khu dân cư",
        "Thăm hỏi đảng viên cao tuổi, ốm đau",
        "Đôn đốc thu đảng phí và quỹ của khối phố",
        "Vận động nhân dân tham gia Ngày hội Đại đoàn kết toàn dân tộc",
        "Nắm tình hình an ninh trật tự, báo cáo Công an phường",
        "Hỗ trợ gia đình chính sách sửa chữa nhà ở",
        "Hướng dẫn người dân cài đặt và dùng ứng dụng dịch vụ công",
    ],
    CellType.AGENCY: [
        "Hoàn thành báo cáo chuyên môn tháng, gửi lãnh đạo Sở",
        "Rà soát thủ tục hành chính thuộc lĩnh vực phụ trách",
        "Triển khai chữ ký số cho cán bộ trong phòng",
        "Góp ý dự thảo văn bản của Sở",
        "Kiểm tra hồ sơ lưu trữ năm trước",
        "Cập nhật số liệu lên hệ thống quản lý văn bản",
        "Chuẩn bị nội dung hội nghị cán bộ, công chức",
        "Đôn đốc thu, nộp đảng phí của chi bộ",
    ],
    CellType.PUBLIC_SERVICE: [
        "Tổ chức khám sàng lọc miễn phí cho người cao tuổi",
        "Kiểm tra việc thực hiện quy chế chuyên môn",
        "Cải tiến quy trình tiếp đón người bệnh",
        "Bồi dưỡng chuyên môn cho viên chức trẻ",
        "Rà soát trang thiết bị, đề xuất sửa chữa",
        "Tuyên truyền quy tắc ứng xử của viên chức",
        "Vận động đoàn viên tham gia hiến máu tình nguyện",
        "Đôn đốc thu, nộp đảng phí của chi bộ",
    ],
    CellType.PRIVATE_ENTERPRISE: [
        "Vận động công nhân tham gia bảo hiểm xã hội",
        "Kiểm tra an toàn lao động ca đêm",
        "Nắm tâm tư, nguyện vọng của người lao động",
        "Phối hợp công đoàn tổ chức thi tay nghề",
        "Đôn đốc thu, nộp đảng phí của chi bộ",
        "Giới thiệu quần chúng ưu tú cho Đảng xem xét",
    ],
}

OUTCOME_COMMENTS = {
    "exceeded": "Vượt chỉ tiêu đề ra",
    "done_late": "Chậm so với thời hạn",
    "not_done": "Chưa thực hiện, chuyển sang tháng sau",
}

REPORT_TEXTS = {
    "monthly": "Báo cáo kết quả thực hiện nhiệm vụ tháng {month}, "
    "đề ra phương hướng nhiệm vụ tháng tới.",
    "news": "Thông tin tình hình thời sự trong nước, của tỉnh và địa phương; "
    "văn bản mới của cấp trên.",
    "ideology": "Đảng viên chấp hành tốt chủ trương, đường lối; "
    "không có biểu hiện suy thoái về tư tưởng.",
    "thematic": "Trình bày chuyên đề: {topic}.",
}

SPEECHES = [
    "Đề nghị chi bộ quan tâm hơn đến việc nắm tình hình tư tưởng đảng viên.",
    "Thống nhất với báo cáo; đề nghị phân công nhiệm vụ cụ thể hơn.",
    "Đề nghị có hình thức động viên các đồng chí hoàn thành tốt nhiệm vụ.",
    "Cần sớm triển khai các nội dung cấp trên chỉ đạo.",
    "Nêu một số khó khăn khi thực hiện nhiệm vụ và đề xuất cách làm.",
    "Đề nghị tăng thời lượng thảo luận, giảm đọc báo cáo.",
    "Tự phê bình việc chậm thực hiện nhiệm vụ được giao tháng trước.",
    "Góp ý đồng chí phụ trách cần đôn đốc sát sao hơn.",
]

THEMATIC_SPEECHES = [
    "Tham luận: liên hệ bản thân, cam kết thực hiện.",
    "Tham luận: kinh nghiệm vận dụng tại nơi công tác và nơi cư trú.",
    "Đề xuất đưa nội dung chuyên đề vào nghị quyết tháng tới.",
]

CONCLUSION = (
    "Chi bộ thống nhất đánh giá kết quả tháng {month}: các nhiệm vụ trọng tâm cơ "
    "bản hoàn thành. Tháng tới tập trung thực hiện các nhiệm vụ đã phân công, nâng "
    "cao chất lượng sinh hoạt, tăng cường nắm tình hình tư tưởng đảng viên."
)
THEMATIC_CONCLUSION = (
    "Chi bộ thống nhất các nội dung chuyên đề “{topic}”; mỗi đảng viên xây dựng kế "
    "hoạch vận dụng vào công việc hằng ngày."
)

EXCUSES = [
    "Đi công tác xa",
    "Ốm, đang điều trị",
    "Gia đình có việc hiếu",
    "Trực ca tại cơ quan",
]

SUPERVISOR_SUMMARY = "Chi bộ sinh hoạt đúng ngày, đủ nội dung thường kỳ."
SUPERVISOR_OBSERVATIONS = [
    "Nhiều đảng viên phát biểu; cần tăng thời lượng tự phê bình.",
    "Chuẩn bị chu đáo, tài liệu gửi trước; chủ trì điều hành linh hoạt.",
    "Nội dung sát tình hình địa phương; phân công nhiệm vụ có thời hạn cụ thể.",
]
RECOMMENDATIONS = [
    {
        "text": "Đề nghị hỗ trợ kinh phí sửa chữa nhà văn hóa khối phố",
        "addressee": "Đảng ủy phường",
        "responsible": "Chi ủy chi bộ",
        "response": "Đảng ủy đã chỉ đạo Ủy ban nhân dân phường bố trí kinh phí.",
    },
    {
        "text": "Đề nghị tập huấn nghiệp vụ công tác đảng cho chi ủy viên mới",
        "addressee": "Đảng ủy phường",
        "responsible": "Ban Xây dựng Đảng",
    },
    {
        "text": "Tổ chức sinh hoạt chuyên đề về chuyển đổi số trong quý tới",
        "addressee": "Đảng ủy phường",
        "responsible": "Chi ủy chi bộ",
    },
]

RESCHEDULE_REASON = "Trùng lịch hội nghị của cấp trên"
RETURN_COMMENT = (
    "Biên bản chưa ghi ý kiến phát biểu của đảng viên ở phần thảo luận; "
    "đề nghị bổ sung."
)
ADDENDUM = (
    "Bổ sung: ở phần thảo luận, các đồng chí đảng viên phát biểu thống nhất với "
    "báo cáo và đề nghị phân công nhiệm vụ cụ thể hơn."
)

DRAFT_TITLE = "Dự thảo nghị quyết tháng {month}"
