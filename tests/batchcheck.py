#!/usr/bin/env python3
"""batchcheck.py - check the documents of a `vanban batch` run against its jobs file.

Usage:
    batchcheck.py --jobs JOBS.csv --out DIR --units UNITS.csv [--selftest]

Every expectation is derived here, by a route of its own, from the jobs file, the units
directory and the exports (never from vanban's code):

  output    the job's output pattern with {unit.code}, {unit.name}, {unit.slug} (name
            without diacritics, lower case, đ as d, other runs as '-') and {COLUMN}
            filled in; the file must exist under DIR and be a PDF
  header    for a district unit: "ỦY BAN NHÂN DÂN" and its name in upper case; the
            number as "Số: N/" (numbers below 10 padded to two digits); the date line
            "PLACE, ngày DD tháng M năm YYYY" with the decree's zero rule, PLACE being the
            unit's name without "Huyện", "Thị xã" or "Thành phố" (the province name,
            Sóc Trăng, for the other units); the signer's name
  figures   for a job with exports (a unit's report): every figure of the unit's row of
            the year (tests/figures.py's reading and arithmetic: totals, the three
            ratios, the change of so_doanh_nghiep and so_dn_co_cdcs against the unit's
            previous export) must appear in the PDF's text

Prints "PASS name" / "FAIL name: why" per check and "N passed, M failed"; exit 0 when
all passed. --selftest perturbs each kind of expectation (a number, a date, a figure, a
signer) and asserts the check then fails.
"""
import argparse
import csv
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import figures  # noqa: E402  (tests/figures.py: the independent export reader)

DISTRICT_LEVELS = {"huyen", "thi_xa", "thanh_pho"}
PLACE_PREFIXES = ["Huyện ", "Quận ", "Thị xã ", "Thành phố "]


def slug(name):
    s = unicodedata.normalize("NFD", name)
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D").lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def date_words(iso, place):
    y, m, d = (int(x) for x in iso.split("-"))
    day = f"{d:02d}"
    month = f"{m:02d}" if m <= 2 else str(m)
    return f"{place}, ngày {day} tháng {month} năm {y}"


def read_units(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {r["code"]: r for r in csv.DictReader(f)}


def expand(pattern, job, unit):
    def one(m):
        key = m.group(1)
        if key.startswith("unit."):
            field = key[5:]
            return {"code": unit["code"], "name": unit["name"], "slug": slug(unit["name"]),
                    "level": unit["level"]}[field]
        return job[key]
    return re.sub(r"\{([^}]+)\}", one, pattern)


def pdf_lines(pdf):
    return figures.normalise(figures.pdf_text(pdf, "-layout")) + \
        figures.normalise(figures.pdf_text(pdf, "-raw"))


def expectations(jobs_path, out, units):
    """-> list of (check name, pdf path, kind, expected)."""
    base = os.path.dirname(jobs_path)
    exp = []
    with open(jobs_path, encoding="utf-8-sig", newline="") as f:
        for line, job in enumerate(csv.DictReader(f), 2):
            job = {k: (v or "").strip() for k, v in job.items()}
            unit = units[job["unit"]]
            pdf = os.path.join(out, expand(job["output"], job, unit))
            name = f"line{line}"
            exp.append((f"{name}.exists", pdf, "exists", None))
            district = unit["level"] in DISTRICT_LEVELS
            if district:
                exp.append((f"{name}.agency", pdf, "text", "ỦY BAN NHÂN DÂN"))
                exp.append((f"{name}.unit", pdf, "text", unit["name"].upper()))
            if job.get("number"):
                n = job["number"]
                exp.append((f"{name}.number", pdf, "text",
                            f"Số: {int(n):02d}/" if len(n) < 2 else f"Số: {n}/"))
            if job.get("date"):
                place = unit["name"]
                for p in PLACE_PREFIXES:
                    if place.startswith(p):
                        place = place[len(p):]
                if not district:
                    place = "Sóc Trăng"
                exp.append((f"{name}.date", pdf, "text", date_words(job["date"], place)))
            if job.get("signer"):
                exp.append((f"{name}.signer", pdf, "text", job["signer"]))
            if job.get("exports"):
                year = int(job["year"])
                files = [os.path.join(base, p.strip()) for p in job["exports"].split(";")]
                rows = figures.records_for(files, year)
                prev = None
                if job.get("previous"):
                    pfiles = [os.path.join(base, p.strip()) for p in job["previous"].split(";")]
                    prev = figures.records_for(pfiles, year - 1)
                rows = {k: v for k, v in rows.items() if k == job["unit"]}
                if prev is not None:
                    prev = {k: v for k, v in prev.items() if k == job["unit"]}
                fig = figures.expected_figures(rows, prev, {})
                for c, v in fig["totals"].items():
                    exp.append((f"{name}.total.{c}", pdf, "int", v))
                for r, v in fig["ratios"].items():
                    exp.append((f"{name}.ratio.{r}", pdf, "pct", v))
                for c, v in fig["changes"].items():
                    exp.append((f"{name}.change.{c}", pdf, "pct", abs(v)))
    return exp


def run(exp):
    texts = {}
    results = []
    for name, pdf, kind, want in exp:
        if kind == "exists":
            ok = os.path.isfile(pdf) and open(pdf, "rb").read(5) == b"%PDF-"
            results.append((name, ok, f"{pdf} missing or not a PDF"))
            continue
        if pdf not in texts:
            texts[pdf] = pdf_lines(pdf) if os.path.isfile(pdf) else []
        lines = texts[pdf]
        if kind == "text":
            flat = " ".join(lines)
            ok = want in flat
            msg = f"{want!r} not in {pdf}"
        elif kind == "int":
            ok = any(figures.int_re(want).search(l) for l in lines)
            msg = f"{figures.fmt_int(want)} not in {pdf}"
        else:
            ok = any(figures.pct_re(want).search(l) for l in lines)
            msg = f"{figures.fmt_pct(want)} not in {pdf}"
        results.append((name, ok, msg))
    return results


def selftest(exp):
    """Each mutation must make its check fail."""
    mutated = 0
    failures = 0
    seen = set()
    for i, (name, pdf, kind, want) in enumerate(exp):
        key = (kind, name.split(".")[1] if "." in name else name)
        if kind == "exists" or key in seen:
            continue
        seen.add(key)
        if kind == "text":
            bad = want + "9" if not want.endswith("/") else want.replace("Số: ", "Số: 9")
        else:
            bad = want + 1
        res = run([(name, pdf, kind, bad)])
        mutated += 1
        if res[0][1]:
            failures += 1
            print(f"FAIL selftest {name}: mutation {bad!r} still passes")
    print(f"selftest: {mutated} mutations, {failures} not caught")
    return 1 if failures or mutated == 0 else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jobs", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--units", required=True)
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args()
    try:
        exp = expectations(args.jobs, args.out, read_units(args.units))
    except (figures.InputError, OSError, KeyError) as exc:
        print(f"batchcheck: {exc}", file=sys.stderr)
        return 2
    if args.selftest:
        return selftest(exp)
    return 1 if figures.report(run(exp)) else 0


if __name__ == "__main__":
    sys.exit(main())
