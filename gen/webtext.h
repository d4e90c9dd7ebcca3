/*
 * webtext.h: every word the web page (vanban serve) shows a person, in one place. The page
 * is for Vietnamese clerks, so its words are Vietnamese; the server's start-up lines, for
 * whoever runs it, are English like the rest of the command line. When the program's
 * messages go through gettext, each string here is wrapped (_("...")) where it is defined,
 * and nothing else changes. Format strings keep their conversions in the same order.
 */
#ifndef VANBAN_WEBTEXT_H
#define VANBAN_WEBTEXT_H

/* ---- the frame of every page ---- */
#define WT_SITE_NAME "vanban"
#define WT_SKIP_LINK "Bỏ qua, đến nội dung chính"
#define WT_NAV_LABEL "Các việc"
#define WT_TASK_SOAN "Soạn văn bản"
#define WT_TASK_TONG_HOP "Tổng hợp báo cáo"
#define WT_FOOTER "Văn bản được trình bày theo Nghị định 30/2020/NĐ-CP. Tệp tải lên bị xóa " \
    "ngay sau khi trả lời; kết quả được giữ để tải về trong %u phút."

/* ---- the home page ---- */
#define WT_HOME_TITLE "Trang chủ"
#define WT_HOME_HEADING "Văn bản hành chính và báo cáo tổng hợp"
#define WT_HOME_SOAN "Dán hoặc chọn tệp một văn bản, xem vanban nhận ra những gì và các lỗi " \
    "ngay cạnh dòng, rồi tải tệp PDF sẵn sàng trình ký."
#define WT_HOME_TONG_HOP "Chọn các tệp số liệu do đơn vị gửi lên, xem từng tệp đã được đọc " \
    "thế nào, đơn vị nào chưa báo cáo, rồi tải báo cáo tổng hợp."

/* ---- Soạn văn bản: the form ---- */
#define WT_SOAN_INTRO "Dán nội dung văn bản vào ô dưới đây, hoặc chọn tệp văn bản. vanban " \
    "kiểm tra văn bản, cho xem cấu trúc nhận ra được và mọi lỗi ngay cạnh dòng có lỗi, rồi " \
    "tạo tệp PDF đúng thể thức."
#define WT_SOAN_TEXT_LABEL "Nội dung văn bản"
#define WT_SOAN_TEXT_HINT "Dán văn bản như chép từ Word: các dòng theo thứ tự đọc, hai cột " \
    "của phần đầu và phần cuối cách nhau bằng dấu TAB hoặc mỗi ô một dòng. Cũng có thể viết " \
    "theo dạng XML của vanban (xem trang hướng dẫn vanban-xml)."
#define WT_SOAN_FILE_LABEL "Hoặc chọn tệp văn bản (.xml, .txt)"
#define WT_SOAN_FILE_HINT "Khi đã chọn tệp, nội dung dán ở trên không được dùng."
#define WT_SOAN_SUBMIT "Tạo văn bản"
#define WT_SOAN_PASTED_NAME "văn bản dán vào"

/* ---- Tổng hợp báo cáo: the form ---- */
#define WT_TH_INTRO "Chọn hồ sơ của cơ quan và năm báo cáo, rồi chọn cùng lúc các tệp số " \
    "liệu mà các đơn vị đã gửi (CSV hoặc Excel). vanban đọc và kiểm tra từng tệp, cho biết " \
    "đơn vị nào chưa báo cáo, rồi tạo báo cáo tổng hợp."
#define WT_TH_PROFILE_LABEL "Hồ sơ của cơ quan báo cáo"
#define WT_TH_PROFILE_HINT "Hồ sơ cho biết cơ quan ban hành, kế hoạch được báo cáo và các chỉ " \
    "tiêu, người ký và danh mục đơn vị."
#define WT_TH_PROFILE_NEUTRAL "Không dùng hồ sơ (để các chỗ chấm cho văn thư điền)"
#define WT_TH_YEAR_LABEL "Năm báo cáo"
#define WT_TH_FILES_LABEL "Các tệp số liệu của năm báo cáo"
#define WT_TH_FILES_HINT "Có thể chọn nhiều tệp cùng lúc (giữ phím Ctrl hoặc Shift)."
#define WT_TH_PREVIOUS_LABEL "Các tệp số liệu của năm trước (không bắt buộc)"
#define WT_TH_PREVIOUS_HINT "Có các tệp này thì báo cáo so sánh với năm trước."
#define WT_TH_DETAILS "Số, ngày và người ký (không bắt buộc)"
#define WT_TH_NUMBER_LABEL "Số của báo cáo"
#define WT_TH_DATE_LABEL "Ngày của báo cáo (năm-tháng-ngày, ví dụ 2023-11-28)"
#define WT_TH_SIGNER_LABEL "Họ tên người ký"
#define WT_TH_BLANK_HINT "Để trống thì số và ngày được để trống cho hệ thống quản lý văn " \
    "bản điện tử điền."
#define WT_TH_SUBMIT "Tổng hợp báo cáo"

/* ---- while the request is sent (the little script) ---- */
#define WT_WORKING "Đang xử lý, xin chờ…"
#define WT_FILES_CHOSEN "Đã chọn %d tệp."

/* ---- results ---- */
#define WT_RESULT_HEADING "Kết quả"
#define WT_DOC_DONE "Đã tạo văn bản."
#define WT_DOC_DONE_WARNINGS "Đã tạo văn bản; có %zu cảnh báo, xem bên dưới."
#define WT_DOC_ERRORS "Văn bản có %zu lỗi nên chưa tạo được tệp PDF. Sửa các dòng được chỉ " \
    "ra bên dưới rồi gửi lại."
#define WT_REPORT_DONE "Đã tạo báo cáo năm %d từ %zu tệp."
#define WT_REPORT_DONE_WARNINGS "Đã tạo báo cáo năm %d từ %zu tệp; có %zu cảnh báo, xem " \
    "bên dưới."
#define WT_REPORT_ERRORS "Số liệu có %zu lỗi nên chưa tạo được báo cáo. Sửa các tệp được chỉ " \
    "ra bên dưới rồi gửi lại."
#define WT_INTERNAL_ERRORS "Không tạo được kết quả vì một lỗi của máy chủ (xem lời báo bên " \
    "dưới). Hãy báo cho người quản trị."
#define WT_MEMORY_ERRORS "Không tạo được kết quả: việc này cần nhiều bộ nhớ hơn giới hạn của " \
    "máy chủ. Văn bản hoặc số liệu có thể quá lớn; nếu cần, hãy nhờ người quản trị tăng giới " \
    "hạn (tùy chọn --job-memory)."
#define WT_FILE_USED "Đã dùng tệp %s; nội dung dán vào không được dùng."
#define WT_DOWNLOADS "Tải về"
#define WT_DOWNLOAD_PDF "Tải tệp PDF"
#define WT_DOWNLOAD_SIDECAR "Tải tệp thông tin văn bản (Phụ lục VI, XML)"
#define WT_DOWNLOAD_XML "Tải văn bản dạng XML mà vanban nhận ra (để xem lại và lưu giữ)"
#define WT_OPEN_PDF "Mở tệp PDF trong thẻ mới"
#define WT_KEPT_FOR "Các tệp được giữ %u phút."
#define WT_PDF_HEADING "Bản PDF"
#define WT_PDF_FRAME_TITLE "Bản PDF của văn bản"
#define WT_PDF_FALLBACK "Trình duyệt không hiện được tệp PDF ở đây: hãy mở hoặc tải tệp."

/* ---- the structure of a document ---- */
#define WT_STRUCTURE "Cấu trúc vanban nhận ra"
#define WT_ST_TYPE "Loại văn bản"
#define WT_ST_CODE "Số, ký hiệu"
#define WT_ST_BLANK_NUMBER "để trống số cho hệ thống điền"
#define WT_ST_PARENT "Cơ quan chủ quản"
#define WT_ST_AGENCY "Cơ quan ban hành"
#define WT_ST_MARKS "Độ mật, độ khẩn, phạm vi"
#define WT_ST_DRAFT "DỰ THẢO"
#define WT_ST_DATE "Địa danh, ngày tháng"
#define WT_ST_BLANK_DATE "để trống ngày cho hệ thống điền"
#define WT_ST_TRICH_YEU "Trích yếu"
#define WT_ST_THAM_QUYEN "Thẩm quyền ban hành"
#define WT_ST_CAN_CU "Căn cứ"
#define WT_ST_KINH_GUI "Kính gửi"
#define WT_ST_BODY "Nội dung"
#define WT_ST_BODY_COUNTS "%zu đoạn văn, %zu bảng"
#define WT_ST_SIGNATURE "Chữ ký"
#define WT_ST_NOI_NHAN "Nơi nhận"
#define WT_ST_LUU "Lưu: %s"
#define WT_ST_APPENDIX "Phụ lục"
#define WT_ST_LINE "dòng %ld"
#define WT_ST_NONE "không có"

/* ---- messages and the source ---- */
#define WT_MESSAGES "Lời báo (%zu)"
#define WT_NO_MESSAGES "Không có lỗi hay cảnh báo nào."
#define WT_ERROR "Lỗi"
#define WT_WARNING "Cảnh báo"
#define WT_AT_LINE_COL "dòng %ld, cột %ld"
#define WT_AT_LINE "dòng %ld"
#define WT_AT_CELL "ô %s"
#define WT_GENERAL "Chung"
#define WT_SOURCE "Văn bản nguồn, với các lời báo cạnh dòng"
#define WT_SOURCE_PART "Văn bản nguồn quanh các dòng có lời báo (văn bản dài %ld dòng)"
#define WT_SOURCE_CAPTION "Số dòng và nội dung"
#define WT_UNITS_FILE "danh mục đơn vị"
#define WT_MORE_MESSAGES "Còn %zu lời báo nữa không hiện ra."

/* ---- the exports read ---- */
#define WT_FILES_READ "Các tệp đã đọc"
#define WT_FILES_CAPTION "Bảng mã, dấu phân cách và số dòng vanban nhận ra ở từng tệp"
#define WT_COL_FILE "Tệp"
#define WT_COL_YEAR_KIND "Loại"
#define WT_COL_ENCODING "Bảng mã"
#define WT_COL_DELIMITER "Dấu phân cách"
#define WT_COL_ROWS "Số dòng số liệu"
#define WT_COL_PROBLEMS "Lỗi, cảnh báo"
#define WT_KIND_YEAR "năm báo cáo"
#define WT_KIND_PREVIOUS "năm trước"
#define WT_WITH_BOM "%s, có BOM"
#define WT_SEP_LINE "%s (dòng sep=)"
#define WT_UNREADABLE "không đọc được"
#define WT_WORKBOOK "bảng tính Excel (.xlsx)"
#define WT_SHEET "trang tính %s"
#define WT_DELIM_COMMA "dấu phẩy (,)"
#define WT_DELIM_SEMICOLON "dấu chấm phẩy (;)"
#define WT_DELIM_TAB "dấu tab"
#define WT_DELIM_PIPE "dấu gạch đứng (|)"
#define WT_PROBLEM_COUNTS "%zu lỗi, %zu cảnh báo"
#define WT_MISSING_UNITS "Đơn vị chưa báo cáo năm %d (%zu)"
#define WT_MISSING_UNITS_UNUSABLE "Đơn vị chưa có số liệu dùng được cho năm %d (%zu)"
#define WT_ALL_REPORTED "Mọi đơn vị trong danh mục đã báo cáo năm %d."
#define WT_PROFILE_USED "Hồ sơ: %s."
#define WT_NEUTRAL_USED "Không dùng hồ sơ: tên cơ quan, kế hoạch, nơi nhận và người ký là " \
    "các chỗ chấm để điền sau."

/* ---- answers other than a result ---- */
#define WT_ERR_TITLE "Không thực hiện được"
#define WT_BACK_HOME "Về trang chủ"
#define WT_TRY_AGAIN "Quay lại và gửi lại"
#define WT_NOT_FOUND "Không có trang này. Kết quả cũ được xóa sau %u phút; hãy tạo lại."
#define WT_METHOD "Trang này không nhận cách gửi đó."
#define WT_TOKEN_NEEDED_TITLE "Cần mã truy cập"
#define WT_TOKEN_NEEDED "Trang này chỉ mở được bằng địa chỉ có mã truy cập mà người quản trị " \
    "nhận được khi khởi động vanban (dạng http://…/?token=…). Hãy hỏi người quản trị địa " \
    "chỉ đó; sau lần mở đầu tiên, trình duyệt này không cần mã nữa."
#define WT_WRONG_HOST "Trang này chỉ mở được từ chính máy chạy vanban, bằng địa chỉ " \
    "127.0.0.1 hoặc localhost."
#define WT_CROSS_SITE "Yêu cầu này đến từ một trang web khác nên không được nhận."
#define WT_TOO_BIG_TITLE "Dữ liệu gửi lên quá lớn"
#define WT_TOO_BIG "Một lần gửi chỉ được tối đa %zu MB tệp và nội dung. Hãy gửi ít tệp hơn, " \
    "hoặc nhờ người quản trị tăng giới hạn (tùy chọn --max-upload)."
#define WT_TOO_MANY_TITLE "Quá nhiều tệp"
#define WT_TOO_MANY "Một lần gửi chỉ được tối đa %u tệp. Hãy gửi ít tệp hơn, hoặc nhờ người " \
    "quản trị tăng giới hạn (tùy chọn --max-files)."
#define WT_BAD_FORM_TITLE "Thiếu thông tin"
#define WT_BAD_FORM "Không đọc được biểu mẫu đã gửi; hãy tải lại trang rồi gửi lại."
#define WT_OUT_OF_MEMORY "Máy chủ không đủ bộ nhớ cho yêu cầu này; hãy thử lại sau."
#define WT_NO_DOCUMENT "Chưa có văn bản: hãy dán nội dung văn bản hoặc chọn một tệp."
#define WT_NO_EXPORTS "Chưa chọn tệp số liệu nào của năm báo cáo."
#define WT_BAD_YEAR "Năm báo cáo phải là một năm như 2023."
#define WT_BAD_DATE "Ngày phải viết năm-tháng-ngày, ví dụ 2023-11-28."
#define WT_BAD_NUMBER "Số của báo cáo chỉ gồm chữ số, ví dụ 125."
#define WT_BAD_PROFILE "Hồ sơ đã chọn không có trên máy chủ; hãy chọn lại."
#define WT_FIELD_TOO_LONG "Một ô của biểu mẫu quá dài."
#define WT_BUSY_TITLE "Máy chủ đang bận"
#define WT_BUSY "Đang có quá nhiều yêu cầu chờ xử lý. Hãy đợi một lát rồi gửi lại."
#define WT_STOPPING "Máy chủ đang dừng. Hãy gửi lại khi máy chủ chạy lại."
#define WT_TIMEOUT_TITLE "Quá thời gian xử lý"
#define WT_TIMEOUT "Việc tạo văn bản này cần hơn %u giây nên đã bị dừng. Văn bản hoặc số " \
    "liệu có thể quá dài, hoặc có chỗ khiến vanban xử lý mãi không xong. Các yêu cầu khác " \
    "không bị ảnh hưởng."
#define WT_CRASH_TITLE "Không xử lý được"
#define WT_CRASH "Tiến trình tạo văn bản này đã dừng bất thường (%s) và không cho kết quả. " \
    "Các yêu cầu khác không bị ảnh hưởng. Nếu lỗi lặp lại với cùng văn bản, hãy gửi văn " \
    "bản cho người quản trị."
#define WT_CRASH_MEMORY "có thể vì cần quá nhiều bộ nhớ"
#define WT_CRASH_SIGNAL "tín hiệu %d"
#define WT_CRASH_STATUS "mã thoát %d"
#define WT_INTERNAL_TITLE "Lỗi của máy chủ"
#define WT_INTERNAL "Máy chủ không thực hiện được yêu cầu (%s). Hãy thử lại; nếu lỗi lặp lại, " \
    "hãy báo cho người quản trị."

#endif
