"""serve_hostile.py: `vanban serve` under hostile requests, each with its documented answer
(vanban(1), TRANG WEB) and nothing left of the uploads afterwards: an oversized upload
(413), too many files (413), a path in a file name (only a label), a missing or wrong
access token when listening beyond loopback (403), a foreign Host or Origin (403), a
client-named result path (404), 50 requests at once (all answered; past --max-queue, 503),
a worker killed mid-render and a runaway input past --job-time (500, the server keeps
serving), a worker past --job-memory, and SIGTERM (clean stop, temporary folder removed).
Run by tests/serve.test."""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, finish, SRCDIR, big_document, multipart  # noqa: E402

PLAN = open(os.path.join(SRCDIR, "samples/plans/soc-trang-125-kh-ubnd.xml"), "rb").read()
EXPORT = open(os.path.join(SRCDIR, "samples/exports/2023/st-vc.csv"), "rb").read()


def html(body):
    return body.decode("utf-8", "replace")


def no_leftovers(server, what):
    left = server.leftovers()
    check(what + ": nothing left of the uploads", not left, left)


def stopped_clean(server, what):
    status, gone, err = server.stop()
    check(what + ": SIGTERM stops the server with status 0", status == 0, (status, err[-500:]))
    check(what + ": the temporary folder is removed", gone)
    return err


# ---- loopback server: limits, names, foreign pages, results ----
s = Server("--max-upload", "1", "--max-files", "3", "--max-jobs", "2")
check("loopback: no token asked", s.token is None)
check("the temporary folder is private (0700)", os.stat(s.root).st_mode & 0o777 == 0o700,
      oct(os.stat(s.root).st_mode))

st, h, body = s.post_form("/soan", files=[("tep", "lon.xml", b"<document>" + b" " * (3 << 20))])
check("oversized upload: 413", st == 413, st)
check("oversized upload: the page says so", "Dữ liệu gửi lên quá lớn" in html(body) and
      "1 MB" in html(body))
no_leftovers(s, "oversized upload")
st, h, body = s.request("POST", "/soan", b"x" * 100, {
    "Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(1 << 40)})
check("a body declared far past the limit: 413 before it is read", st == 413, st)

files = [("so_lieu", "f%d.csv" % i, EXPORT) for i in range(5)]
st, h, body = s.post_form("/tong-hop", [("nam", "2023"), ("ho_so", "soc-trang")], files)
check("too many files: 413", st == 413, st)
check("too many files: the page says so", "Quá nhiều tệp" in html(body) and "3 tệp" in html(body))
no_leftovers(s, "too many files")

st, h, body = s.post_form("/tong-hop", [("nam", "2023"), ("ho_so", "soc-trang")],
                          [("so_lieu", "../../etc/x.csv", EXPORT)])
page = html(body)
check("a path in a file name: the request is answered (200)", st == 200, (st, page[-2000:]))
check("a path in a file name: shown as its last part only", ">x.csv<" in page and
      "../../etc" not in page and "..%2F" not in page)
check("a path in a file name: nothing written outside", not os.path.exists("/etc/x.csv") and
      not any("x.csv" in n for _, _, ns in os.walk(s.root) for n in ns))
no_leftovers(s, "a path in a file name")
st, h, body = s.post_form("/tong-hop", [("nam", "2023")],
                          [("so_lieu", "..\\..\\windows\\<i onmouseover=alert(1)>x.csv", EXPORT)])
page = html(body)
check("a Windows path and markup in a file name: its last part, escaped",
      "&lt;i onmouseover=alert(1)&gt;x.csv" in page and "<i onm" not in page and
      "windows" not in page,
      re.findall(r"<th scope=\"row\">[^<]*", page))
no_leftovers(s, "a Windows path in a file name")
st, h, body = s.post_form("/soan", files=[("tep", "ke-hoach.xml", PLAN)])
m = re.search(r'/ket-qua/([0-9a-f]{32})/van-ban\.pdf', html(body))
check("a document makes a result address", m is not None)
job = m.group(1) if m else "0" * 32
for path in ["/ket-qua/%s/../../../../etc/passwd" % job, "/ket-qua/%s/%%2e%%2e/in/001.xml" % job,
             "/ket-qua/%s/in/001.xml" % job, "/ket-qua/%s/ket-qua.html" % job,
             "/ket-qua/../%s/van-ban.pdf" % job, "/ket-qua/%s/van-ban.pdf" % ("f" * 32)]:
    st, h, body = s.request("GET", path)
    check("a result path the server did not make is 404: " + path, st == 404, st)
st, h, body = s.request("GET", "/ket-qua/%s/van-ban.pdf" % job)
check("the result itself is served", st == 200 and body[:5] == b"%PDF-", st)

st, h, body = s.request("GET", "/", headers={"Host": "evil.example:%d" % s.port})
check("a foreign Host on loopback: 403 (DNS rebinding)", st == 403, st)
st, h, body = s.post_form("/soan", [("noi_dung", PLAN.decode())],
                          headers={"Origin": "http://evil.example"})
check("a form sent from another site: 403", st == 403 and "trang web khác" in html(body), st)
st, h, body = s.request("DELETE", "/")
check("another method: 405", st == 405, st)
st, h, body = s.post_form("/soan", [("noi_dung", "   \n")])
check("an empty document: 400 with what is missing", st == 400 and "Chưa có văn bản" in html(body))
st, h, body = s.post_form("/tong-hop", [("nam", "20x3")], [("so_lieu", "a.csv", EXPORT)])
check("a wrong year: 400", st == 400 and "Năm báo cáo" in html(body), st)
st, h, body = s.post_form("/tong-hop", [("nam", "2023"), ("ho_so", "../../etc/passwd")],
                          [("so_lieu", "a.csv", EXPORT)])
check("a profile the server does not offer: 400", st == 400 and "Hồ sơ" in html(body), st)
no_leftovers(s, "refused forms")
stopped_clean(s, "loopback")

# ---- slow clients: a connection that goes silent is closed, its upload removed ----
s = Server("--client-timeout", "1")
sock = socket.create_connection(("127.0.0.1", s.port))
sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % s.port)   # headers never end
sock.settimeout(10)
start = time.time()
try:
    closed = sock.recv(100) == b""
except ConnectionResetError:
    closed = True
except socket.timeout:
    closed = False
check("a client silent in its headers is dropped after --client-timeout 1 (%.1f s)"
      % (time.time() - start), closed and time.time() - start < 5)
sock.close()
body, ctype = multipart([("nam", "2023")], [("so_lieu", "a.csv", EXPORT)])
sock = socket.create_connection(("127.0.0.1", s.port))
sock.sendall(("POST /tong-hop HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: %s\r\n"
              "Content-Length: %d\r\n\r\n" % (s.port, ctype, len(body))).encode() + body[:len(body) // 2])
sock.settimeout(10)
try:
    closed = sock.recv(100) == b""
except ConnectionResetError:
    closed = True
except socket.timeout:
    closed = False
check("a client silent in the middle of its upload is dropped", closed)
sock.close()
no_leftovers(s, "a client silent mid-upload")
st, h, body = s.request("GET", "/")
check("after slow clients the server keeps serving", st == 200, st)
stopped_clean(s, "slow clients")

# ---- --profiles DIR: the profiles that load are offered, the others said at start ----
pdir = tempfile.mkdtemp(prefix="vanban-profiles.")
profile = open(os.path.join(SRCDIR, "samples/profiles/soc-trang.xml"), encoding="utf-8").read()
open(os.path.join(pdir, "tinh-a.xml"), "w", encoding="utf-8").write(
    profile.replace('href="../units.csv"', 'href="%s"' % os.path.join(SRCDIR, "samples/units.csv")))
open(os.path.join(pdir, "hong.xml"), "w").write("<profile><agency/></profile>")
s = Server("--profiles", pdir)
st, h, body = s.request("GET", "/tong-hop")
check("--profiles: the good profile is offered under its file's name",
      'value="tinh-a"' in html(body) and "Ủy ban nhân dân tỉnh Sóc Trăng" in html(body))
check("--profiles: a broken profile is not offered", 'value="hong"' not in html(body))
st, h, body = s.post_form("/tong-hop", [("nam", "2023"), ("ho_so", "tinh-a")],
                          [("so_lieu", "st-vc.csv", EXPORT)])
check("--profiles: a report with it", st == 200 and "Hồ sơ: Ủy ban nhân dân tỉnh Sóc Trăng." in html(body),
      (st, html(body)[-800:]))
err = stopped_clean(s, "--profiles")
check("--profiles: the broken one is named at start", "hong.xml is not offered" in err, err[:500])
subprocess.run(["rm", "-rf", pdir])

# ---- beyond loopback: the access token ----
s = Server("--listen", "0.0.0.0")
check("beyond loopback: a token is printed", s.token is not None and len(s.token) >= 32)
st, h, body = s.request("GET", "/")
check("no token: 403", st == 403, st)
check("no token: the page says what to do", "Cần mã truy cập" in html(body) and
      "token" in html(body))
st, h, body = s.request("GET", "/?token=" + "0" * len(s.token))
check("a wrong token: 403", st == 403, st)
st, h, body = s.request("GET", "/?token=" + s.token[:-1])
check("a token one character short: 403", st == 403, st)
st, h, body = s.post_form("/soan?token=" + s.token, [("noi_dung", PLAN.decode())])
check("a form with the token in the address but no cookie: 403", st == 403, st)
st, h, body = s.request("GET", "/soan?token=" + s.token)
cookie = h.get("set-cookie", "")
check("the right token: 303 to the page, with a cookie", st == 303 and
      h.get("location") == "/soan" and cookie.startswith("vanban_token=" + s.token), (st, h))
check("the cookie is HttpOnly and SameSite=Strict", "HttpOnly" in cookie and
      "SameSite=Strict" in cookie)
jar = {"Cookie": "vanban_token=" + s.token}
st, h, body = s.request("GET", "/soan", headers=jar)
check("with the cookie: 200", st == 200 and "Soạn văn bản" in html(body), st)
st, h, body = s.request("GET", "/soan", headers={"Cookie": "vanban_token=" + "x" * 32})
check("a wrong cookie: 403", st == 403, st)
st, h, body = s.post_form("/soan", [("noi_dung", PLAN.decode())])
check("a form without the cookie: 403, nothing run", st == 403)
st, h, body = s.post_form("/soan", [("noi_dung", PLAN.decode())], headers=jar)
check("a form with the cookie: 200", st == 200, st)
m = re.search(r'/ket-qua/([0-9a-f]{32})/van-ban\.pdf', html(body))
st, h, body = s.request("GET", "/ket-qua/%s/van-ban.pdf" % (m.group(1) if m else ""))
check("a result without the cookie: 403", st == 403, st)
st, h, body = s.request("GET", "/tai-nguyen/trang.css")
check("the style sheet, which holds nothing of anyone's, needs no token", st == 200 and
      h.get("content-type", "").startswith("text/css"), st)
st, h, body = s.request("GET", "/tai-nguyen/../soan")
check("nothing else under /tai-nguyen/ goes without the token", st == 403, st)
no_leftovers(s, "token")
stopped_clean(s, "token")

# the token of --token-file
tf = os.path.join(os.environ.get("TMPDIR", "/tmp"), "vanban-token.%d" % os.getpid())
with open(tf, "w") as f:
    f.write("office-token-0123456789\n")
s = Server("--listen", "0.0.0.0", "--token-file", tf)
check("--token-file: its token is the one printed", s.token == "office-token-0123456789")
st, h, body = s.request("GET", "/?token=office-token-0123456789")
check("--token-file: its token opens the page", st == 303)
stopped_clean(s, "--token-file")
os.unlink(tf)

# ---- 50 requests at once ----
s = Server("--max-jobs", "2")
results = []
lock = threading.Lock()


def one(i):
    try:
        r = s.post_form("/soan", [("noi_dung", PLAN.decode())], timeout=300)
    except Exception as e:  # noqa: BLE001
        r = (0, {}, str(e).encode())
    with lock:
        results.append(r)


threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
start = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
took = time.time() - start
codes = sorted(r[0] for r in results)
check("50 requests at once: all answered 200 (%.1f s)" % took, codes == [200] * 50,
      {c: codes.count(c) for c in set(codes)})
ids = set(re.findall(r'/ket-qua/([0-9a-f]{32})/van-ban\.pdf', "".join(html(r[2]) for r in results)))
check("50 requests at once: 50 distinct results", len(ids) == 50, len(ids))
check("50 requests at once: each is the document", all("Đã tạo văn bản." in html(r[2]) for r in results))
no_leftovers(s, "50 requests at once")
stopped_clean(s, "50 requests at once")

s = Server("--max-jobs", "1", "--max-queue", "5")
results = []
threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
for t in threads:
    t.start()
for t in threads:
    t.join()
codes = [r[0] for r in results]
busy = [r for r in results if r[0] == 503]
check("50 at once past --max-queue 5: every one 200 or 503", set(codes) <= {200, 503},
      set(codes))
check("50 at once past --max-queue 5: some are told the server is busy", len(busy) > 0 and
      all("Máy chủ đang bận" in html(r[2]) for r in busy), len(busy))
check("50 at once past --max-queue 5: at least 6 are made", codes.count(200) >= 6,
      codes.count(200))
check("503 says when to try again", all(r[1].get("retry-after") for r in busy))
no_leftovers(s, "past --max-queue")
stopped_clean(s, "past --max-queue")

# ---- a worker killed mid-render, a runaway input, a worker past its memory ----
BIG = big_document(15 << 20)
s = Server("--max-pages", "1000000", "--max-upload", "64", "--job-time", "600")
box = {}


def slow():
    box["r"] = s.post_form("/soan", files=[("tep", "dai.xml", BIG)], timeout=600)


t = threading.Thread(target=slow)
t.start()
worker = None
for _ in range(600):
    kids = s.children()
    if kids:
        worker = kids[0]
        break
    time.sleep(0.02)
time.sleep(0.3)
check("a long document runs in a worker process", worker is not None)
killed = False
if worker:
    try:
        os.kill(worker, signal.SIGKILL)
        killed = True
    except ProcessLookupError:
        pass
check("the worker was killed while it rendered", killed)
t.join()
st, h, body = box.get("r", (0, {}, b""))
check("a worker killed mid-render: 500", st == 500, st)
check("a worker killed mid-render: the page says it stopped (signal 9)",
      "Không xử lý được" in html(body) and "tín hiệu 9" in html(body))
st, h, body = s.post_form("/soan", [("noi_dung", PLAN.decode())])
check("after a killed worker the server keeps serving", st == 200 and "Đã tạo văn bản." in html(body))
no_leftovers(s, "killed worker")
stopped_clean(s, "killed worker")

# A runaway worker, made certain: the long document's worker is stopped (SIGSTOP) as soon as
# it is seen, so it can only end by the server's wall-clock limit, however fast this machine.
s = Server("--max-pages", "1000000", "--max-upload", "64", "--job-time", "1")
box = {}
start = time.time()
t = threading.Thread(target=lambda: box.update(r=s.post_form(
    "/soan", files=[("tep", "dai.xml", BIG)], timeout=120)))
t.start()
frozen = False
for _ in range(3000):
    kids = s.children()
    if kids:
        try:
            os.kill(kids[0], signal.SIGSTOP)
            frozen = True
        except ProcessLookupError:
            pass
        break
    time.sleep(0.005)
check("a runaway worker was caught and stopped", frozen)
t.join()
took = time.time() - start
st, h, body = box.get("r", (0, {}, b""))
check("a runaway input past --job-time 1: 500", st == 500, st)
check("a runaway input: the page says the time ran out", "Quá thời gian xử lý" in html(body) and
      "1 giây" in html(body))
check("a runaway input is stopped near its limit (%.1f s)" % took, took < 10)
check("no worker is left running (the stopped one was killed)", s.children() == [])
st, h, body = s.post_form("/soan", [("noi_dung", PLAN.decode())])
check("after a runaway input the server keeps serving", st == 200)
no_leftovers(s, "runaway input")
stopped_clean(s, "runaway input")

if os.environ.get("VANBAN_SANITIZED"):
    check("--job-memory is not enforced under AddressSanitizer (skipped)", True)
else:
    s = Server("--max-pages", "1000000", "--max-upload", "64", "--job-memory", "64")
    st, h, body = s.post_form("/soan", files=[("tep", "dai.xml", BIG)], timeout=300)
    check("a worker past --job-memory 64: 500, no PDF", st == 500 and "/ket-qua/" not in html(body),
          (st, html(body)[-1500:]))
    st, h, body = s.post_form("/soan", [("noi_dung", PLAN.decode())])
    check("after a worker past its memory the server keeps serving", st == 200, st)
    no_leftovers(s, "past --job-memory")
    stopped_clean(s, "past --job-memory")

# ---- SIGTERM while a job runs ----
s = Server("--max-pages", "1000000", "--max-upload", "64", "--job-time", "600")
t = threading.Thread(target=slow)
t.start()
for _ in range(600):
    if s.children():
        break
    time.sleep(0.02)
kids = s.children()
status, gone, err = s.stop()
t.join()
st, h, body = box.get("r", (0, {}, b""))
check("SIGTERM mid-job: the waiting request is told the server stops (503)",
      st == 503 and "Máy chủ đang dừng" in html(body), st)
check("SIGTERM mid-job: exit 0 and the temporary folder removed", status == 0 and gone,
      (status, err[-300:]))
check("SIGTERM mid-job: no worker left", all(not os.path.exists("/proc/%d" % k) or
                                            open("/proc/%d/stat" % k).read().split()[2] == "Z"
                                            for k in kids))

sys.exit(finish())
