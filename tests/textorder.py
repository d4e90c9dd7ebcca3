#!/usr/bin/env python3
"""textorder.py - is the text of a rendered PDF the seed text, in order?

Usage:
    textorder.py --pdf OUT.pdf --seed SEED.txt [--min 0.998] [--reader pdftotext|gs|mutool]
    textorder.py --selftest

The PDF's text comes from `pdftotext -raw` (poppler; content-stream order, with
the spaces the PDF really has), or with --reader from Ghostscript's text device
(`gs -sDEVICE=txtwrite`, which archive and search pipelines use) or MuPDF
(`mutool draw -F txt`); those two order the page's lines by position, so the
header's two columns come out side by side.  The seed is a Markdown-ish extraction of the
original document; it is cleaned before the comparison:
  * every "*Ngo Hung*" fragment wrapped in asterisks is dropped (debris of the
    signature that the extraction scattered; the final, unwrapped signature
    name stays),
  * the remaining "**" and "*" emphasis markers are removed,
  * the text is normalised to NFC and split on white space.
Both sides are compared as word tokens, exactly: punctuation attached to a
word counts ("tinh;" != "tinh").  The PDF may have extra tokens (the header,
page numbers): only the seed's words have to be found, in order.

    ratio = LCS(seed words, pdf words) / len(seed words)

The LCS length is exact, computed with the bit-parallel algorithm of Allison
and Dix / Crochemore et al. on Python integers (one bit per seed word, one
big-integer step per PDF word), so 5000 x 5000 tokens take well under a
second.  The list of missing words (first 20, with context) comes from
difflib's alignment and is for reading only.

Prints the ratio and the missing words; exit 1 when ratio < --min, 0
otherwise, 2 on usage or tool errors.  --selftest runs the comparison on
built-in token lists, including ones that must fail.
"""

import argparse
import difflib
import re
import subprocess
import sys
import unicodedata


def seed_tokens(text):
    """Clean a seed extraction and split it into words."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\*+\s*Ngô\s+Hùng\s*\*+", " ", text)   # signature debris
    text = text.replace("*", "")
    return text.split()


READERS = {
    "pdftotext": lambda pdf: ["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
    "gs": lambda pdf: ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=txtwrite",
                       "-o", "-", pdf],
    "mutool": lambda pdf: ["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf],
}


def pdf_tokens(pdf, reader="pdftotext"):
    """Words of the PDF as the reader extracts them."""
    try:
        proc = subprocess.run(READERS[reader](pdf), capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"cannot run {reader}: {exc}")
    if proc.returncode != 0:
        raise RuntimeError(f"{reader} failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
    text = unicodedata.normalize("NFC", proc.stdout.decode("utf-8", "replace"))
    out = []
    for tok in text.split():
        if len(tok) > 2 and tok.endswith("/."):
            # the end mark vanban writes after the last word ("trong./."): the word with its
            # full stop and without it, as the seed may have either
            out.append(tok[:-2])
            if tok[:-2].endswith(".") and len(tok) > 3:
                out.append(tok[:-3])
        else:
            out.append(tok)
    return out


def lcs_length(a, b):
    """Exact length of the longest common subsequence of token lists a, b.

    Bit i of V is 1 while seed token a[i] is still unmatched in the current
    row of the LCS table; each token of b updates all bits at once:
        U = V & M[token];  V = (V + U) | (V - U)
    and the LCS length is the number of zero bits (Crochemore et al. 2001).
    """
    if not a or not b:
        return 0
    masks = {}
    for i, tok in enumerate(a):
        masks[tok] = masks.get(tok, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for tok in b:
        m = masks.get(tok)
        if m:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def missing_words(seed, pdf, limit=20, context=4):
    """Up to `limit` (index, word, context) of seed words not aligned to the PDF."""
    sm = difflib.SequenceMatcher(None, seed, pdf, autojunk=False)
    matched = set()
    for blk in sm.get_matching_blocks():
        matched.update(range(blk.a, blk.a + blk.size))
    out = []
    for i, word in enumerate(seed):
        if i not in matched:
            ctx = " ".join(seed[max(0, i - context):i]) + " [" + word + "] " + \
                " ".join(seed[i + 1:i + 1 + context])
            out.append((i, word, ctx))
            if len(out) >= limit:
                break
    return out


def compare(seed, pdf, minimum, out=print):
    """Print the report; returns True when the ratio reaches the minimum."""
    if not seed:
        out("seed has no words")
        return False
    ratio = lcs_length(seed, pdf) / len(seed)
    ok = ratio >= minimum
    out(f"{'PASS' if ok else 'FAIL'} textorder: ratio {ratio:.4f} "
        f"({len(seed)} seed words, {len(pdf)} pdf words), expected >= {minimum}")
    miss = missing_words(seed, pdf)
    if miss:
        out(f"first {len(miss)} seed words not found in order:")
        for i, word, ctx in miss:
            out(f"  #{i} {word!r}: …{ctx}…")
    return ok


def selftest():
    """The comparison must pass on equal text and fail on damaged text."""
    seed = seed_tokens("**TM. ỦY BAN NHÂN DÂN**\nKT. CHỦ TỊCH *Ngô Hùng*\n"
                       "Xây dựng quan hệ lao động hài hòa, ổn định; *tiến bộ*.\nNgô Hùng")
    assert seed == ["TM.", "ỦY", "BAN", "NHÂN", "DÂN", "KT.", "CHỦ", "TỊCH", "Xây", "dựng",
                    "quan", "hệ", "lao", "động", "hài", "hòa,", "ổn", "định;", "tiến",
                    "bộ.", "Ngô", "Hùng"], seed
    nfd = unicodedata.normalize("NFD", "hòa")
    assert seed_tokens(nfd) == ["hòa"]
    pdf_ok = ["2"] + seed[:10] + ["3"] + seed[10:]            # page numbers are extra
    checks = [
        ("identical with page numbers", seed, pdf_ok, True),
        ("punctuation counts", seed, [w.rstrip(";,.") for w in seed], False),
        ("a line dropped", seed, seed[:5] + seed[9:], False),
        ("two paragraphs swapped", seed, seed[11:] + seed[:11], False),
        ("empty pdf", seed, [], False),
    ]
    bad = 0
    for name, a, b, want in checks:
        got = compare(a, b, 0.998, out=lambda *_: None)
        status = "ok  " if got == want else "MISS"
        bad += got != want
        print(f"{status} {name}: {'pass' if got else 'fail'} (expected {'pass' if want else 'fail'})")
    # the bit-parallel LCS agrees with the textbook dynamic programme
    import random
    rnd = random.Random(7)
    for _ in range(200):
        a = [rnd.choice("abcd") for _ in range(rnd.randint(0, 30))]
        b = [rnd.choice("abcd") for _ in range(rnd.randint(0, 30))]
        dp = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i in range(len(a)):
            for j in range(len(b)):
                dp[i + 1][j + 1] = dp[i][j] + 1 if a[i] == b[j] else max(dp[i][j + 1], dp[i + 1][j])
        if dp[-1][-1] != lcs_length(a, b):
            print(f"MISS lcs {a} {b}: {lcs_length(a, b)} != {dp[-1][-1]}")
            bad += 1
    print(f"selftest: {'all cases behave' if not bad else f'{bad} cases wrong'}")
    return 1 if bad else 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf")
    ap.add_argument("--seed")
    ap.add_argument("--min", type=float, default=0.998)
    ap.add_argument("--reader", choices=sorted(READERS), default="pdftotext")
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args(argv)
    if args.selftest:
        return selftest()
    if not args.pdf or not args.seed:
        ap.print_usage(sys.stderr)
        print("textorder.py: --pdf and --seed are required", file=sys.stderr)
        return 2
    try:
        with open(args.seed, encoding="utf-8") as fh:
            seed = seed_tokens(fh.read())
        pdf = pdf_tokens(args.pdf, args.reader)
    except (OSError, UnicodeDecodeError, RuntimeError) as exc:
        print(f"textorder.py: {exc}", file=sys.stderr)
        return 2
    return 0 if compare(seed, pdf, args.min) else 1


if __name__ == "__main__":
    sys.exit(main())
