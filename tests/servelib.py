"""servelib.py: what the tests of `vanban serve` share: a server started on a free port of
127.0.0.1 (or every address, for the token) in a temporary folder of the test's own, raw HTTP
requests with multipart bodies, the check that nothing is left of the uploads, and the
test's count of passed and failed checks. Standard library only; no network beyond
loopback."""

import atexit
import ctypes
import http.client
import os
import re
import signal
import subprocess
import tempfile
import time
import uuid

VANBAN = os.environ.get("VANBAN", "gen/vanban")
SRCDIR = os.path.abspath(os.environ.get("top_srcdir", "."))

passed = 0
failed = 0


def check(name, ok, detail=""):
    """Counts one check and prints PASS or FAIL with its name."""
    global passed, failed
    if ok:
        passed += 1
        print("PASS " + name, flush=True)
    else:
        failed += 1
        print("FAIL " + name + (": " + str(detail) if detail else ""), flush=True)
    return ok


def finish():
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


def _die_with_parent():
    """In the server's process before exec: SIGTERM when the test dies (PR_SET_PDEATHSIG),
    so that a test killed by its time limit leaves no server behind."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


class Server:
    """A `vanban serve` of the test's own: its own TMPDIR, a free port, the lines it prints."""

    def __init__(self, *args, env=None):
        self.tmpdir = tempfile.mkdtemp(prefix="vanban-serve-test.")
        e = dict(os.environ)
        e["TMPDIR"] = self.tmpdir
        e.setdefault("VANBAN_DATADIR", SRCDIR)
        if env:
            e.update(env)
        self.out_path = os.path.join(self.tmpdir, "stdout")
        self.err_path = os.path.join(self.tmpdir, "stderr")
        self.out = open(self.out_path, "w")
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen([VANBAN, "serve", "--port", "0"] + list(args),
                                     stdout=self.out, stderr=self.err, env=e,
                                     preexec_fn=_die_with_parent)
        atexit.register(self._end)
        self.port = None
        self.token = None
        self.root = None
        for _ in range(300):
            text = open(self.out_path).read()
            m = re.search(r"port (\d+)$", text, re.M)
            r = re.search(r"temporary folder (\S+)", text)
            if m and r and "open http" in text:
                self.port = int(m.group(1))
                self.root = r.group(1)
                t = re.search(r"token=([A-Za-z0-9._~-]+)", text)
                self.token = t.group(1) if t else None
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not self.port:
            raise RuntimeError("the server did not start: " + open(self.err_path).read())

    def _end(self):
        """At the test's exit: a server a failed test left running is stopped."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        subprocess.run(["rm", "-rf", self.tmpdir])

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def request(self, method, path, body=None, headers=None, timeout=120):
        """One request on a new connection: (status, headers dict lower-cased, body bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {"Host": "127.0.0.1:%d" % self.port}
        h.update(headers or {})
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        c.close()
        return r.status, hdrs, data

    def post_form(self, path, fields=(), files=(), headers=None, timeout=120):
        """POSTs a multipart form: fields [(name, text)], files [(name, filename, bytes)]."""
        body, ctype = multipart(fields, files)
        h = {"Content-Type": ctype}
        h.update(headers or {})
        return self.request("POST", path, body, h, timeout)

    def leftovers(self, wait=3.0):
        """Every upload still on disk (files under some in/ folder of the temporary root),
        after waiting up to `wait` seconds for the server to finish with its requests (it
        removes them once a response has left)."""
        deadline = time.time() + wait
        while True:
            found = self._leftovers()
            if not found or time.time() > deadline:
                return found
            time.sleep(0.05)

    def _leftovers(self):
        found = []
        for base, dirs, names in os.walk(self.root):
            if os.path.basename(base) == "in" or "/in/" in base + "/":
                found += [os.path.join(base, n) for n in names] or [base]
        return found

    def children(self):
        """The server's worker processes."""
        pids = []
        for task in os.listdir("/proc/%d/task" % self.proc.pid):
            try:
                with open("/proc/%d/task/%s/children" % (self.proc.pid, task)) as f:
                    pids += [int(p) for p in f.read().split()]
            except OSError:
                pass
        return pids

    def stop(self):
        """SIGTERM; returns (exit status, the temporary root is gone, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        self.err.close()
        gone = not os.path.exists(self.root)
        err = open(self.err_path).read()
        subprocess.run(["rm", "-rf", self.tmpdir])
        return self.proc.returncode, gone, err


def multipart(fields, files):
    """A multipart/form-data body and its Content-Type."""
    boundary = "----vanbantest" + uuid.uuid4().hex
    out = []
    for name, value in fields:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n"
                    % (boundary, name)).encode() + value.encode() + b"\r\n")
    for name, filename, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n"
                    % (boundary, name, filename)).encode() + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


def big_document(target_bytes):
    """A valid document of about target_bytes, long enough to take seconds to lay out (with
    its pages unlimited): the Sóc Trăng plan with its body repeated in appendices."""
    head = open(os.path.join(SRCDIR, "samples/plans/soc-trang-125-kh-ubnd.xml"),
                encoding="utf-8").read()
    para = "<p>" + "Đoạn văn dài để vanban dàn trang thật lâu, với nhiều chữ tiếng Việt. " * 20 + "</p>\n"
    per = 4000
    appendix = "<appendix><title>Phụ lục</title>\n" + para * per + "</appendix>\n"
    count = max(1, (target_bytes - len(head.encode())) // len(appendix.encode()))
    appendices = [appendix] * count
    i = head.index("</document>")
    return (head[:i] + "".join(appendices) + head[i:]).encode()


def text_of_pdf(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                          text=True).stdout
