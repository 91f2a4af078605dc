"""The essential digital skills the commune plan names, checked per resident."""

SKILLS = {
    "smartphone": "Có điện thoại thông minh",
    "zalo": "Dùng được Zalo",
    "qr": "Quét được mã QR",
    "vneid_level2": "Có VNeID, tài khoản định danh mức độ 2",
    "payment": "Có tài khoản ngân hàng hoặc ví điện tử, trả tiền điện nước bằng đó",
    "public_service": "Đã tự làm một thủ tục dịch vụ công trực tuyến",
    "scam_aware": "Nhận biết được các kiểu lừa đảo thường gặp",
    "sells_online": "Bán hàng qua mạng (nếu có sản xuất, kinh doanh)",
}

# Đề án 146/QĐ-TTg: share of working-age people able to use online public services.
DEFAULT_TARGETS = {2025: 70, 2030: 90}
WORKING_AGE = (15, 60)  # inclusive lower, exclusive upper bound, in years
