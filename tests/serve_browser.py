"""serve_browser.py: the office's web page (`vanban serve`) in a real browser: Debian's
Chromium, headless, driven by Selenium through chromium-driver, with the keyboard alone
wherever a person would use it. It pastes a document and reads back the structure vanban
recognised and the PDF it downloads (pdftotext); pastes a document with errors and finds
each message of `vanban check` right under the line it names; uploads a document file;
uploads the sample exports (several files at once, the previous year too) and checks per
file the encoding, delimiter and rows against Python's own reading of the files, the unit
that did not report, and the report PDF; uploads a broken export and finds its located
message; an oversized upload, and the token of a server beyond loopback. Every page is kept
as a screenshot in tests/out/serve-*.png. Run by tests/serve.test with Debian's python3."""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, finish, SRCDIR, VANBAN, text_of_pdf  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

OUT = os.path.join(os.environ.get("top_builddir", "."), "tests", "out")
os.makedirs(OUT, exist_ok=True)
work = tempfile.mkdtemp(prefix="vanban-browser.")
downloads = os.path.join(work, "downloads")
os.makedirs(downloads)


def browser(javascript=True):
    o = Options()
    o.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--user-data-dir=" + os.path.join(work, "profile"),
              "--window-size=1280,1600", "--lang=vi"]:
        o.add_argument(a)
    o.add_experimental_option("prefs", {
        "download.default_directory": downloads, "download.prompt_for_download": False,
        "plugins.always_open_pdf_externally": False,
        "profile.managed_default_content_settings.javascript": 1 if javascript else 2})
    d = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")),
                         options=o)
    d.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    d.set_page_load_timeout(120)
    return d


def shot(d, name, at=None):
    """Keeps a screenshot of the page as tests/out/serve-NAME.png: the window (1280 x 1600)
    from the top, or with `at` (a CSS selector) from that element; and the whole page, however
    long, as serve-NAME-full.png."""
    d.execute_script("window.scrollTo(0, 0)")
    if at:
        d.execute_script("arguments[0].scrollIntoView()", d.find_element(By.CSS_SELECTOR, at))
    d.save_screenshot(os.path.join(OUT, "serve-%s.png" % name))
    height = d.execute_script("return Math.max(document.body.scrollHeight, 800)")
    if height > 1600 and not at:
        d.execute_script("window.scrollTo(0, 0)")
        d.set_window_size(1280, min(int(height) + 40, 16000))
        d.save_screenshot(os.path.join(OUT, "serve-%s-full.png" % name))
        d.set_window_size(1280, 1600)


def active(d):
    return d.switch_to.active_element


def describe(el):
    return (el.tag_name + "#" + (el.get_attribute("id") or "") + " " +
            (el.get_attribute("href") or el.text or "")[:40])


def focus_visible(d, el):
    """Whether the focused element shows its focus: an outline or a box shadow."""
    style = d.execute_script(
        "var s = getComputedStyle(arguments[0]);"
        "return [s.outlineStyle, s.outlineWidth, s.boxShadow];", el)
    return (style[0] != "none" and style[1] not in ("0px", "")) or style[2] not in ("none", "")


def key(d, k):
    """Presses a key as a person does: to whatever has the focus."""
    ActionChains(d).send_keys(k).perform()


def tab_order(d, count):
    """Loads the page again and presses Tab count times: the elements that get focus, and
    whether each shows it."""
    d.get(d.current_url.split("#")[0])
    seen = []
    for _ in range(count):
        key(d, Keys.TAB)
        el = active(d)
        ident = el.get_attribute("id") or el.get_attribute("href") or el.tag_name
        seen.append((ident.rsplit("/", 1)[-1] if ident.startswith("http") else ident,
                     focus_visible(d, el)))
    return seen


def wait_result(d, timeout=120):
    WebDriverWait(d, timeout).until(lambda x: x.find_elements(By.ID, "ket-qua"))
    return d.find_element(By.CSS_SELECTOR, ".trang-thai").text


def wait_download(name, timeout=60):
    path = os.path.join(downloads, name)
    for _ in range(timeout * 10):
        if os.path.exists(path) and not os.path.exists(path + ".crdownload") and os.path.getsize(path):
            return path
        time.sleep(0.1)
    return None


def press(d, el, k=Keys.ENTER):
    """Moves the focus to el with Tab (at most 60 presses) and presses k; returns whether
    Tab reached it."""
    for _ in range(60):
        if active(d) == el:
            break
        key(d, Keys.TAB)
    ok = active(d) == el
    key(d, k)
    return ok


def labelled(d):
    """The form controls of the page that have no label."""
    return d.execute_script(
        "return Array.from(document.querySelectorAll('input,select,textarea'))"
        ".filter(e => !e.labels || e.labels.length === 0).map(e => e.name);")


def cli_stderr(path):
    """`vanban check` on a file in Vietnamese (the page's messages are, whatever the server's
    locale): its stderr."""
    r = subprocess.run([VANBAN, "check", path], capture_output=True, text=True,
                       env=dict(os.environ, VANBAN_DATADIR=SRCDIR, LC_ALL="C.UTF-8", LANGUAGE="vi"))
    return r.stderr


def cli_check(path):
    """`vanban check` on a file, in Vietnamese: its messages as (line, col, text)."""
    found = []
    for line in cli_stderr(path).splitlines():
        m = re.match(r"[^:]*:(\d+):(\d+): (lỗi|cảnh báo): (.*)", line)
        if m:
            found.append((int(m.group(1)), int(m.group(2)), m.group(4)))
    return found


server = Server("--max-upload", "2")
d = browser()
try:
    # ---- the home page, with the keyboard ----
    d.get(server.url("/"))
    check("home: the page is Vietnamese", d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi")
    check("home: both tasks", "Soạn văn bản" in d.page_source and "Tổng hợp báo cáo" in d.page_source)
    order = tab_order(d, 4)
    check("home: Tab goes skip link, site, Soạn văn bản, Tổng hợp báo cáo",
          [o[0] for o in order] == ["#noi-dung", "", "soan", "tong-hop"], order)
    check("home: every focus is visible", all(o[1] for o in order), order)
    shot(d, "home")

    # ---- Soạn văn bản: paste the plan with the keyboard, submit with Enter ----
    d.get(server.url("/"))
    nav = d.find_element(By.CSS_SELECTOR, "nav a[href='/soan']")
    check("home → Soạn văn bản with Tab and Enter", press(d, nav))
    WebDriverWait(d, 30).until(lambda x: x.find_elements(By.ID, "noi_dung"))
    check("Soạn: every control has a label", labelled(d) == [], labelled(d))
    order = tab_order(d, 7)
    check("Soạn: Tab goes skip link, site, tasks, text, file, button",
          [o[0] for o in order][4:] == ["noi_dung", "tep", "button"], order)
    check("Soạn: every focus is visible", all(o[1] for o in order), order)
    shot(d, "soan")
    plan = open(os.path.join(SRCDIR, "samples/plans/soc-trang-125-kh-ubnd.xml"), encoding="utf-8").read()
    area = d.find_element(By.ID, "noi_dung")
    press(d, area, Keys.END)
    # a paste: the text arrives in the text area at once (typing 30 KB key by key is slow)
    d.execute_script("arguments[0].focus(); arguments[0].value = arguments[1];"
                     "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", area, plan)
    check("Soạn: the pasted text is in the text area", area.get_attribute("value") == plan)
    check("Soạn: submit with the keyboard", press(d, d.find_element(By.CSS_SELECTOR, "form button")))
    status = wait_result(d)
    check("Soạn: the result says the document was made", status == "Đã tạo văn bản.", status)
    check("Soạn: focus goes to the result", active(d).get_attribute("id") == "ket-qua")
    terms = {dt.text: dd.text for dt, dd in zip(d.find_elements(By.CSS_SELECTOR, ".cau-truc dt"),
                                                 d.find_elements(By.CSS_SELECTOR, ".cau-truc dd"))}
    check("structure: type", terms.get("Loại văn bản", "").startswith("KẾ HOẠCH (KH)"), terms.get("Loại văn bản"))
    check("structure: số and ký hiệu", terms.get("Số, ký hiệu", "").startswith("Số: 125/KH-UBND"),
          terms.get("Số, ký hiệu"))
    check("structure: agency", "ỦY BAN NHÂN DÂN / TỈNH SÓC TRĂNG" in terms.get("Cơ quan ban hành", ""))
    check("structure: date in the decree's words",
          terms.get("Địa danh, ngày tháng", "").startswith("Sóc Trăng, ngày 02 tháng 11 năm 2020"))
    check("structure: the headings of the body", "I. MỤC ĐÍCH, YÊU CẦU" in terms.get("Nội dung", ""),
          terms.get("Nội dung", "")[:200])
    check("structure: the signer, with quyền hạn and chức vụ",
          terms.get("Chữ ký", "").startswith("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Ngô Hùng"),
          terms.get("Chữ ký"))
    src_lines = plan.count("\n")
    check("Soạn: the source is listed, line by line", len(d.find_elements(By.CSS_SELECTOR, "table.nguon tr[id^=dong-]")) >= src_lines)
    link = d.find_element(By.CSS_SELECTOR, ".cau-truc a.dong")
    check("structure items link to their line", re.match(r".*#dong-\d+$", link.get_attribute("href")))
    frame = d.find_elements(By.CSS_SELECTOR, "iframe.xem-pdf")
    check("Soạn: the PDF is shown in the page", len(frame) == 1)
    shot(d, "soan-ket-qua")
    shot(d, "soan-ket-qua-pdf", at="iframe.xem-pdf")
    for name in os.listdir(downloads):
        os.unlink(os.path.join(downloads, name))
    pdf_link = d.find_element(By.PARTIAL_LINK_TEXT, "Tải tệp PDF")
    check("download the PDF with the keyboard", press(d, pdf_link))
    pdf = wait_download("ke-hoach-125-kh-ubnd.pdf")
    check("the PDF downloads under the document's ký hiệu", pdf is not None, os.listdir(downloads))
    if pdf:
        text = text_of_pdf(pdf)
        check("the downloaded PDF: header", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text)
        check("the downloaded PDF: number and date",
              "125/KH-UBND" in text and "Sóc Trăng, ngày 02 tháng 11 năm 2020" in text)
        r = subprocess.run([VANBAN, "render", os.path.join(SRCDIR, "samples/plans/soc-trang-125-kh-ubnd.xml"),
                            "-o", os.path.join(work, "cli.pdf")], env=dict(os.environ, VANBAN_DATADIR=SRCDIR))
        check("the downloaded PDF is the command line's, byte for byte",
              open(pdf, "rb").read() == open(os.path.join(work, "cli.pdf"), "rb").read())
    press(d, d.find_element(By.PARTIAL_LINK_TEXT, "Tải tệp thông tin văn bản"))
    meta = wait_download("ke-hoach-125-kh-ubnd.nd30.xml")
    check("the metadata sidecar downloads", meta is not None, os.listdir(downloads))
    if meta:
        x = open(meta, encoding="utf-8").read()
        check("the sidecar: number and ký hiệu", "<CodeNumber>125</CodeNumber>" in x and
              "KH-UBND" in x, x[:400])

    # ---- a document with errors: each message under the line it names ----
    bad = plan.replace("<date>2020-11-02</date>", "<date>2020-13-45</date>", 1)
    bad = bad.replace("<luu>", "<luu-x>", 1).replace("</luu>", "</luu-x>", 1)
    bad_path = os.path.join(work, "loi.xml")
    open(bad_path, "w", encoding="utf-8").write(bad)
    expected = cli_check(bad_path)
    check("the document with errors has errors for vanban check", len(expected) >= 2, expected)
    d.get(server.url("/soan"))
    area = d.find_element(By.ID, "noi_dung")
    d.execute_script("arguments[0].value = arguments[1];", area, bad)
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("errors: the result says how many and that no PDF was made",
          ("có %d lỗi" % len([e for e in expected])) in status and "chưa tạo được" in status, status)
    check("errors: no download is offered", not d.find_elements(By.PARTIAL_LINK_TEXT, "Tải tệp PDF"))
    for line, col, message in expected:
        row = d.find_elements(By.ID, "dong-%d" % line)
        after = d.execute_script(
            "var r = document.getElementById('dong-' + arguments[0]); var t = [];"
            "for (var n = r && r.nextElementSibling; n && n.classList.contains('bao-dong');"
            " n = n.nextElementSibling) t.push(n.textContent); return t;", line)
        check("errors: line %d holds the message of vanban check, column %d marked" % (line, col),
              row and any(message in t and ("cột %d" % col) in t for t in after), (after, message))
        if row:
            check("errors: line %d is marked" % line, "co-bao" in row[0].get_attribute("class"))
    listed = [li.text for li in d.find_elements(By.CSS_SELECTOR, "ul.cac-bao li")]
    check("errors: the list of messages has every one", len(listed) == len(expected), listed)
    first_link = d.find_element(By.CSS_SELECTOR, "ul.cac-bao li a")
    press(d, first_link)
    check("errors: a message's link goes to its line", d.execute_script("return location.hash") ==
          "#dong-%d" % expected[0][0])
    check("errors: the pasted text is in the form again, to fix",
          d.find_element(By.ID, "noi_dung").get_attribute("value") == bad)
    shot(d, "soan-loi")
    shot(d, "soan-loi-dong", at="tr.co-bao")

    # ---- upload a document file ----
    d.get(server.url("/soan"))
    d.find_element(By.ID, "tep").send_keys(os.path.join(SRCDIR, "samples/plans/dak-lak-1182-kh-ubnd.xml"))
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("upload a document file: made", status.startswith("Đã tạo văn bản"), status)
    check("upload a document file: its structure", "1182/KH-UBND" in d.page_source)
    shot(d, "soan-tep")
    # ---- the text form: a văn bản pasted as a clerk copies it from Word ----
    notice = "\n".join([
        "UBND TỈNH NGHỆ AN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ Y TẾ\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 1520/TB-SYT\tNghệ An, ngày 14 tháng 6 năm 2024",
        "",
        "THÔNG BÁO",
        "Về việc tạm dừng tiếp nhận hồ sơ cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
        "",
        "Sở Y tế tỉnh Nghệ An thông báo như sau:",
        "1. Tạm dừng tiếp nhận hồ sơ đề nghị cấp chứng chỉ hành nghề từ ngày 20 tháng 6 năm",
        "2024 đến hết ngày 30 tháng 6 năm 2024 để nâng cấp phần mềm.",
        "2. Các hồ sơ đã nộp được giải quyết theo quy định tại điểm a",
        "khoản 2 Điều 31 của Nghị định số 96/2023/NĐ-CP.",
        "Sở Y tế thông báo để các tổ chức, cá nhân biết./.",
        "",
        "Nơi nhận:\tKT. GIÁM ĐỐC",
        "- UBND tỉnh (để b/c);\tPHÓ GIÁM ĐỐC",
        "- Lưu: VT, NVY.\t",
        "\tTrần Văn Bình",
        ""])
    notice_path = os.path.join(work, "thong-bao.txt")
    open(notice_path, "w", encoding="utf-8").write(notice)
    check("text form: vanban check finds nothing to say", cli_check(notice_path) == [])
    d.get(server.url("/soan"))
    area = d.find_element(By.ID, "noi_dung")
    d.execute_script("arguments[0].focus(); arguments[0].value = arguments[1];"
                     "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", area, notice)
    check("text form: submit with the keyboard", press(d, d.find_element(By.CSS_SELECTOR, "form button")))
    status = wait_result(d)
    check("text form: the result says the document was made", status == "Đã tạo văn bản.", status)
    terms = {dt.text: dd.text for dt, dd in zip(d.find_elements(By.CSS_SELECTOR, ".cau-truc dt"),
                                                 d.find_elements(By.CSS_SELECTOR, ".cau-truc dd"))}
    check("text form: its type recognised", terms.get("Loại văn bản", "").startswith("THÔNG BÁO (TB)"),
          terms.get("Loại văn bản"))
    check("text form: số and ký hiệu", terms.get("Số, ký hiệu", "").startswith("Số: 1520/TB-SYT"),
          terms.get("Số, ký hiệu"))
    check("text form: parent agency and agency", "UBND TỈNH NGHỆ AN" in terms.get("Cơ quan chủ quản", "")
          and "SỞ Y TẾ" in terms.get("Cơ quan ban hành", ""), terms)
    check("text form: the signer, from the TAB column",
          terms.get("Chữ ký", "").startswith("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Trần Văn Bình"),
          terms.get("Chữ ký"))
    check("text form: the source is listed, line by line",
          len(d.find_elements(By.CSS_SELECTOR, "table.nguon tr[id^=dong-]")) >= notice.count("\n"))
    shot(d, "soan-van-ban-thuong")
    for name in os.listdir(downloads):
        os.unlink(os.path.join(downloads, name))
    press(d, d.find_element(By.PARTIAL_LINK_TEXT, "Tải tệp PDF"))
    pdf = wait_download("thong-bao-1520-tb-syt.pdf")
    check("text form: the PDF downloads under its ký hiệu", pdf is not None, os.listdir(downloads))
    if pdf:
        text = " ".join(text_of_pdf(pdf).split())
        check("text form, the downloaded PDF: Quốc hiệu, number, date",
              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 1520/TB-SYT" in text
              and "Nghệ An, ngày 14 tháng 6 năm 2024" in text, text[:400])
        check("text form, the downloaded PDF: the sentence broken over lines joined",
              "theo quy định tại điểm a khoản 2 Điều 31" in text, text)
        check("text form, the downloaded PDF: the signer", "PHÓ GIÁM ĐỐC" in text and
              "Trần Văn Bình" in text)
        r = subprocess.run([VANBAN, "render", notice_path, "-o", os.path.join(work, "tb.pdf")],
                           env=dict(os.environ, VANBAN_DATADIR=SRCDIR))
        check("text form: the downloaded PDF is the command line's, byte for byte",
              r.returncode == 0 and open(pdf, "rb").read() == open(os.path.join(work, "tb.pdf"), "rb").read())
    press(d, d.find_element(By.PARTIAL_LINK_TEXT, "Tải văn bản dạng XML"))
    xml = wait_download("thong-bao-1520-tb-syt.xml")
    check("text form: the recognised XML downloads", xml is not None, os.listdir(downloads))
    if xml and pdf:
        r = subprocess.run([VANBAN, "render", xml, "-o", os.path.join(work, "tb-xml.pdf")],
                           env=dict(os.environ, VANBAN_DATADIR=SRCDIR))
        check("text form: its recognised XML renders the very PDF downloaded",
              r.returncode == 0 and open(pdf, "rb").read() == open(os.path.join(work, "tb-xml.pdf"), "rb").read())

    # a text with a line the header cannot place (a warning) and a signature with no name (an
    # error): no PDF, each message under the line it names, as vanban check says
    bad = notice.replace("SỞ Y TẾ\t", "SỞ Y TẾ\t\n(Bản gửi xin ý kiến)\t", 1) \
                .replace("\tTrần Văn Bình\n", "\n", 1)
    bad_path = os.path.join(work, "loi.txt")
    open(bad_path, "w", encoding="utf-8").write(bad)
    expected = cli_check(bad_path)
    check("text form with errors: vanban check has a warning and an error", len(expected) == 2, expected)
    d.get(server.url("/soan"))
    area = d.find_element(By.ID, "noi_dung")
    d.execute_script("arguments[0].value = arguments[1];", area, bad)
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("text form with errors: no PDF made", "có 1 lỗi" in status and "chưa tạo được" in status, status)
    check("text form with errors: no download offered", not d.find_elements(By.PARTIAL_LINK_TEXT, "Tải tệp PDF"))
    for line, col, message in expected:
        after = d.execute_script(
            "var r = document.getElementById('dong-' + arguments[0]); var t = [];"
            "for (var n = r && r.nextElementSibling; n && n.classList.contains('bao-dong');"
            " n = n.nextElementSibling) t.push(n.textContent); return t;", line)
        check("text form with errors: line %d holds the message of vanban check" % line,
              any(message in t and ("cột %d" % col) in t for t in after), (after, message))
    check("text form with errors: the pasted text is in the form again, to fix",
          d.find_element(By.ID, "noi_dung").get_attribute("value").replace("\r\n", "\n") == bad)
    shot(d, "soan-van-ban-thuong-loi")

    # a .txt file chosen: the text form too
    d.get(server.url("/soan"))
    d.find_element(By.ID, "tep").send_keys(os.path.join(SRCDIR, "samples/text/giay-moi.txt"))
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("upload a .txt: made", status.startswith("Đã tạo văn bản"), status)
    terms = {dt.text: dd.text for dt, dd in zip(d.find_elements(By.CSS_SELECTOR, ".cau-truc dt"),
                                                 d.find_elements(By.CSS_SELECTOR, ".cau-truc dd"))}
    check("upload a .txt: recognised as a Giấy mời", terms.get("Loại văn bản", "").startswith("GIẤY MỜI"),
          terms.get("Loại văn bản"))

    # the other forms of Phụ lục III: a văn bản liên tịch (two agencies, two signers) and a
    # Quyết định with its điều and its attached Quy chế
    d.get(server.url("/soan"))
    d.find_element(By.ID, "tep").send_keys(os.path.join(SRCDIR, "samples/documents/ke-hoach-lien-tich.xml"))
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    terms = {dt.text: dd for dt, dd in zip(d.find_elements(By.CSS_SELECTOR, ".cau-truc dt"),
                                            d.find_elements(By.CSS_SELECTOR, ".cau-truc dd"))}
    check("liên tịch: made", status.startswith("Đã tạo văn bản"), status)
    check("an XML document: no recognised XML is offered",
          not d.find_elements(By.PARTIAL_LINK_TEXT, "Tải văn bản dạng XML"))
    agencies = [li.text for li in terms["Cơ quan ban hành"].find_elements(By.TAG_NAME, "li")] \
        if "Cơ quan ban hành" in terms else []
    check("liên tịch: both agencies", len(agencies) == 2 and "LIÊN ĐOÀN LAO ĐỘNG TỈNH" in agencies[1],
          agencies)
    signers = [li.text for li in terms["Chữ ký"].find_elements(By.TAG_NAME, "li")] if "Chữ ký" in terms else []
    check("liên tịch: both signers", len(signers) == 2, signers)
    check("liên tịch: its ký hiệu", "05/KHLT-SLĐTBXH-LĐLĐ" in terms["Số, ký hiệu"].text)
    shot(d, "soan-lien-tich")
    d.get(server.url("/soan"))
    d.find_element(By.ID, "tep").send_keys(os.path.join(SRCDIR, "samples/documents/quyet-dinh-quy-che.xml"))
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    wait_result(d)
    body = d.find_element(By.CSS_SELECTOR, ".cau-truc ul.dan-y").text
    check("quyết định: its điều in the outline", "Điều 1." in body and "Điều 3." in body, body)
    check("quyết định: thẩm quyền and the attached Quy chế",
          "Thẩm quyền ban hành" in d.page_source and "QUY CHẾ: Phối hợp" in d.page_source)

    # ---- an upload past --max-upload, in the browser ----
    big = os.path.join(work, "lon.csv")
    with open(big, "wb") as f:
        f.write(b"x" * (3 << 20))
    d.get(server.url("/tong-hop"))
    d.find_element(By.ID, "so_lieu").send_keys(big)
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    WebDriverWait(d, 60).until(lambda x: "quá lớn" in x.page_source)
    check("an oversized upload: the browser shows the answer", "Dữ liệu gửi lên quá lớn" in d.page_source
          and "2 MB" in d.page_source)
    shot(d, "qua-lon")
    check("an oversized upload leaves nothing", server.leftovers() == [], server.leftovers())

    # ---- Tổng hợp báo cáo: the sample exports, one unit missing, the previous year ----
    d.get(server.url("/tong-hop"))
    check("Tổng hợp: every control has a label", labelled(d) == [], labelled(d))
    order = tab_order(d, 12)
    check("Tổng hợp: Tab goes through the form in order",
          [o[0] for o in order][4:] == ["ho_so", "nam", "so_lieu", "so_lieu_truoc", "so", "ngay",
                                        "nguoi_ky", "button"], order)
    check("Tổng hợp: every focus is visible", all(o[1] for o in order), order)
    profile = d.find_element(By.ID, "ho_so")
    offered = [o.text for o in profile.find_elements(By.TAG_NAME, "option")]
    check("Tổng hợp: the sample profiles are offered",
          "Ủy ban nhân dân tỉnh Sóc Trăng" in offered and
          "Ủy ban nhân dân tỉnh Đắk Lắk" in offered, offered)
    Select(profile).select_by_visible_text("Ủy ban nhân dân tỉnh Sóc Trăng")
    year = d.find_element(By.ID, "nam")
    press(d, year, Keys.BACKSPACE)
    ActionChains(d).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys("2023").perform()
    check("Tổng hợp: the year typed", year.get_attribute("value") == "2023", year.get_attribute("value"))
    exports = sorted(os.path.join(SRCDIR, "samples/exports/2023", n)
                     for n in os.listdir(os.path.join(SRCDIR, "samples/exports/2023")))
    left_out = [p for p in exports if p.endswith("st-vc.csv")]
    sent = [p for p in exports if p not in left_out]
    previous = sorted(os.path.join(SRCDIR, "samples/exports/2022", n)
                      for n in os.listdir(os.path.join(SRCDIR, "samples/exports/2022")))
    d.find_element(By.ID, "so_lieu").send_keys("\n".join(sent))
    d.find_element(By.ID, "so_lieu_truoc").send_keys("\n".join(previous))
    check("Tổng hợp: the page counts the files chosen", "Đã chọn %d tệp." % len(sent) in d.page_source)
    press(d, d.find_element(By.ID, "ngay"), "2023-11-28")
    shot(d, "tong-hop")
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("Tổng hợp: the report is made", status.startswith("Đã tạo báo cáo năm 2023 từ %d tệp"
                                                           % (len(sent) + len(previous))), status)
    rows = d.find_elements(By.CSS_SELECTOR, "table.cac-tep tbody tr")
    check("Tổng hợp: one row per file", len(rows) == len(sent) + len(previous), len(rows))
    shown = {}
    for r in rows:
        cells = [c.text for c in r.find_elements(By.CSS_SELECTOR, "th,td")]
        shown.setdefault(cells[0], []).append(cells)
    units = {r[0]: r[1] for r in csv.reader(open(os.path.join(SRCDIR, "samples/units.csv"),
                                                 encoding="utf-8"))}
    for path in sent + previous:
        raw = open(path, "rb").read()
        name = os.path.basename(path)
        try:
            raw.decode("utf-8")
            want_enc = "UTF-8, có BOM" if raw.startswith(b"\xef\xbb\xbf") else "UTF-8"
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Windows-1258 when Python's codec finds the unit's name in the bytes;
            # else TCVN3, decoded by iconv (Python has no TCVN3 codec)
            first = raw.decode("latin-1").split("\n")[2 if raw.startswith(b"sep=") else 1]
            code = re.split(r"[,;\t]", first)[0].strip()
            unit_name = units.get(code, "?")
            if unit_name in unicodedata.normalize("NFC", raw.decode("cp1258", "replace")):
                want_enc = "Windows-1258"
                text = raw.decode("cp1258")
            else:
                want_enc = "TCVN3"
                text = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw,
                                      capture_output=True).stdout.decode("utf-8")
                check("%s: TCVN3 decodes to the unit's name" % name,
                      unicodedata.normalize("NFC", unit_name) in unicodedata.normalize("NFC", text))
        lines = text.splitlines()
        sep = lines[0].startswith("sep=")
        body = "\n".join(lines[1:] if sep else lines)
        delim = lines[0][4] if sep else max(",;\t", key=lambda c: lines[0].count(c))
        data = [r for r in list(csv.reader(io.StringIO(body), delimiter=delim))[1:] if any(x.strip() for x in r)]
        want_delim = {",": "dấu phẩy (,)", ";": "dấu chấm phẩy (;)", "\t": "dấu tab"}[delim]
        if sep:
            want_delim += " (dòng sep=)"
        kind = "năm trước" if "/2022/" in path else "năm báo cáo"
        got = [c for c in shown.get(name, []) if c[1] == kind]
        check("Tổng hợp: %s (%s) read as %s, %s, %d rows" % (name, kind, want_enc, want_delim, len(data)),
              got and got[0][2] == want_enc and got[0][3] == want_delim and got[0][4] == str(len(data)),
              got)
    missing = [li.text for li in d.find_elements(By.CSS_SELECTOR, "ul.chua-bao-cao li")]
    check("Tổng hợp: the unit that sent nothing is listed", missing == ["ST-VC — Thị xã Vĩnh Châu"], missing)
    check("Tổng hợp: its heading counts it", "Đơn vị chưa báo cáo năm 2023 (1)" in d.page_source)
    warnings = [li.text for li in d.find_elements(By.CSS_SELECTOR, "ul.cac-bao li")]
    check("Tổng hợp: the warning about it", any("ST-VC" in w for w in warnings), warnings)
    shot(d, "tong-hop-ket-qua")
    shot(d, "tong-hop-ket-qua-bao", at="#loi-bao")
    for name in os.listdir(downloads):
        os.unlink(os.path.join(downloads, name))
    press(d, d.find_element(By.PARTIAL_LINK_TEXT, "Tải tệp PDF"))
    report = wait_download("bao-cao-nam-2023.pdf")
    check("the report PDF downloads", report is not None, os.listdir(downloads))
    if report:
        text = text_of_pdf(report)
        check("the report: its title and year", "BÁO CÁO" in text and "2023" in text)
        check("the report: the unit that sent nothing is 'Chưa báo cáo'", "Chưa báo cáo" in text)
        check("the report: dated as asked", "ngày 28 tháng 11 năm 2023" in text)
        cli = os.path.join(work, "cli-report.pdf")
        subprocess.run([VANBAN, "report", "--profile", os.path.join(SRCDIR, "samples/profiles/soc-trang.xml"),
                        "--year", "2023", "--date", "2023-11-28", "-o", cli] +
                       sum((["--previous", p] for p in previous), []) + sent,
                       env=dict(os.environ, VANBAN_DATADIR=SRCDIR), capture_output=True)
        check("the report is the command line's, byte for byte",
              os.path.exists(cli) and open(report, "rb").read() == open(cli, "rb").read())
    press(d, d.find_element(By.PARTIAL_LINK_TEXT, "Tải tệp thông tin văn bản"))
    check("the report's sidecar downloads", wait_download("bao-cao-nam-2023.nd30.xml") is not None)

    # ---- Đắk Lắk 2024: workbooks among the CSV files, one unit missing ----
    d.get(server.url("/tong-hop"))
    Select(d.find_element(By.ID, "ho_so")).select_by_visible_text("Ủy ban nhân dân tỉnh Đắk Lắk")
    year = d.find_element(By.ID, "nam")
    press(d, year, Keys.BACKSPACE)
    ActionChains(d).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys("2024").perform()
    folder = os.path.join(SRCDIR, "samples/exports-dak-lak/2024")
    dl = sorted(os.path.join(folder, n) for n in os.listdir(folder))
    d.find_element(By.ID, "so_lieu").send_keys("\n".join(dl))
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("Đắk Lắk 2024 with workbooks: the report is made", status.startswith(
        "Đã tạo báo cáo năm 2024 từ %d tệp" % len(dl)), status)
    rows = {r.find_element(By.TAG_NAME, "th").text: [c.text for c in r.find_elements(By.TAG_NAME, "td")]
            for r in d.find_elements(By.CSS_SELECTOR, "table.cac-tep tbody tr")}
    for path in dl:
        name = os.path.basename(path)
        if name.endswith(".xlsx"):
            with zipfile.ZipFile(path) as z:
                book = z.read("xl/workbook.xml").decode("utf-8")
            first = re.search(r'<sheet [^>]*name="([^"]*)"', book).group(1)
            got = rows.get(name, [])
            check("Đắk Lắk: %s read as a workbook, its sheet '%s'" % (name, first),
                  got[1:3] == ["bảng tính Excel (.xlsx)", "trang tính " + first] and got[3] == "1", got)
    missing = [li.text for li in d.find_elements(By.CSS_SELECTOR, "ul.chua-bao-cao li")]
    check("Đắk Lắk: the unit without an export is listed", missing == ["DL-LK — Huyện Lắk"], missing)
    shot(d, "tong-hop-xlsx")

    # ---- a broken workbook: its cell named as Excel names it ----
    cases = os.path.join(work, "xlsx-cases")
    subprocess.run([sys.executable, os.path.join(SRCDIR, "tests/xlsx_cases.py"), cases], check=True,
                   capture_output=True)
    broken = os.path.join(cases, "title-rows-bad-number.xlsx")
    expected_lines = [l.replace(broken, "FILE") for l in cli_stderr(broken).splitlines()
                      if ": lỗi: " in l]
    check("a broken workbook: vanban check finds its errors", len(expected_lines) >= 1, expected_lines)
    d.get(server.url("/tong-hop"))
    Select(d.find_element(By.ID, "ho_so")).select_by_visible_text("Ủy ban nhân dân tỉnh Sóc Trăng")
    year = d.find_element(By.ID, "nam")
    press(d, year, Keys.BACKSPACE)
    ActionChains(d).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys("2023").perform()
    d.find_element(By.ID, "so_lieu").send_keys(broken)
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    wait_result(d)
    items = [li.text for li in d.find_elements(By.CSS_SELECTOR, "#tep-1 + ul.cac-bao li")]
    for line in expected_lines:
        m = re.match(r"FILE:(.*?): lỗi: (.*)", line)
        check("a broken workbook: 'ô %s' and its message" % m.group(1),
              any(("ô " + m.group(1)) in t and m.group(2) in t for t in items), items)
    check("a broken workbook: exactly the messages of vanban check", len(items) == len(expected_lines),
          (items, expected_lines))
    check("no server path in the page", "/in/0" not in d.page_source and SRCDIR not in d.page_source)
    shot(d, "tong-hop-xlsx-loi")

    # ---- a broken export: its located message, with its line ----
    broken = os.path.join(SRCDIR, "tests/csv-bad/negative.csv")
    expected = cli_check(broken)
    d.get(server.url("/tong-hop"))
    year = d.find_element(By.ID, "nam")
    year.send_keys(Keys.CONTROL, "a")
    year.send_keys("2023")
    d.find_element(By.ID, "so_lieu").send_keys(broken)
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("a broken export: no report, the errors counted", "lỗi" in status and "chưa tạo được" in status, status)
    items = [li for li in d.find_elements(By.CSS_SELECTOR, "#tep-1 + ul.cac-bao li")]
    for line, col, message in expected:
        check("a broken export: dòng %d, cột %d and the message of vanban check" % (line, col),
              any(("dòng %d, cột %d" % (line, col)) in li.text and message in li.text for li in items),
              [li.text for li in items])
        check("a broken export: the line it names is quoted, the cell marked",
              any(li.find_elements(By.CSS_SELECTOR, "pre.trich mark") for li in items))
    check("a broken export: no download", not d.find_elements(By.PARTIAL_LINK_TEXT, "Tải tệp PDF"))
    shot(d, "tong-hop-loi")
    check("after all these, nothing left of the uploads", server.leftovers() == [], server.leftovers())
finally:
    d.quit()
status, gone, err = server.stop()
check("the server stops cleanly, its temporary folder removed", status == 0 and gone, (status, err[-400:]))

# ---- without JavaScript: the forms work the same ----
server = Server()
d = browser(javascript=False)
try:
    d.get(server.url("/tong-hop"))
    d.find_element(By.ID, "so_lieu").send_keys(os.path.join(SRCDIR, "samples/exports/2023/st-vc.csv"))
    check("without JavaScript: the script is indeed off (no count of the files chosen)",
          "Đã chọn" not in d.page_source)
    d.get(server.url("/soan"))
    plan = open(os.path.join(SRCDIR, "samples/plans/dak-lak-1182-kh-ubnd.xml"), encoding="utf-8").read()
    press(d, d.find_element(By.ID, "noi_dung"), Keys.END)
    d.find_element(By.ID, "noi_dung").send_keys(plan)
    press(d, d.find_element(By.CSS_SELECTOR, "form button"))
    status = wait_result(d)
    check("without JavaScript: a document typed and sent is made", status == "Đã tạo văn bản.", status)
    check("without JavaScript: its structure", "1182/KH-UBND" in d.page_source)
    shot(d, "khong-js")
finally:
    d.quit()
status, gone, err = server.stop()
check("the server of the page without JavaScript stops cleanly", status == 0 and gone)

# ---- beyond loopback: the address with the token, then the cookie ----
server = Server("--listen", "0.0.0.0")
d = browser()
try:
    d.get(server.url("/soan"))
    check("token: a browser without it sees 'Cần mã truy cập'", "Cần mã truy cập" in d.page_source)
    shot(d, "can-ma")
    d.get(server.url("/?token=" + server.token))
    check("token: the address with the token opens the page", "Soạn văn bản" in d.page_source and
          "token" not in d.current_url)
    d.get(server.url("/soan"))
    check("token: afterwards the browser needs it no more", d.find_elements(By.ID, "noi_dung"))
finally:
    d.quit()
status, gone, err = server.stop()
check("token server stops cleanly", status == 0 and gone)
shutil.rmtree(work, ignore_errors=True)
sys.exit(finish())
