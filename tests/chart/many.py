#!/usr/bin/env python3
"""many.py OUT.xml: a document whose landscape Phụ lục holds a chart of 40 groups of three
bars, figures from a fixed seed, and two groups of 60 bars, each, taller than a page (tests/chart.test)."""
import random
import sys

rng = random.Random(14)
series = [("Tỷ lệ A", "85"), ("Tỷ lệ B", "100"), ("Tỷ lệ C", "62.5")]
out = ['<?xml version="1.0" encoding="UTF-8"?>', '<document type="BC">',
       '  <agency abbr="UBND"><line>ỦY BAN NHÂN DÂN</line><line>HUYỆN THỬ</line></agency>',
       '  <number>7</number><place>Thử</place><date>2024-01-15</date>',
       '  <trich-yeu>Kết quả thử biểu đồ dài</trich-yeu>',
       '  <body><p>Biểu đồ tại Phụ lục I.</p></body>',
       '  <signature><authority prefix="TM">ỦY BAN NHÂN DÂN</authority>'
       '<position>CHỦ TỊCH</position><name>Lê Văn Bình</name></signature>',
       '  <noi-nhan><to>Như trên</to><luu>VT</luu></noi-nhan>',
       '  <appendix orientation="landscape"><title>Biểu đồ dài</title>', '    <chart>']
many = [(f"Chỉ tiêu {k + 1}", str(rng.choice([50, 75, 90]))) for k in range(60)]
for name, target in series:
    out.append(f"      <series><name>{name}</name><target>{target}</target></series>")
for g in range(40):
    bars = "".join(f"<bar><percent>{rng.randint(0, 100000) / 1000}</percent></bar>" for _ in series)
    out.append(f"      <group><name>Xã số {g + 1}</name>{bars}</group>")
out += ['    </chart>', '  </appendix>',
        '  <appendix><title>Một nhóm cao hơn một trang</title>', '    <chart>']
for name, target in many:
    out.append(f"      <series><name>{name}</name><target>{target}</target></series>")
bars = "".join(f"<bar><percent>{rng.randint(0, 1000) / 10}</percent></bar>" for _ in many)
out += [f"      <group><name>Xã có nhiều chỉ tiêu</name>{bars}</group>",
        f"      <group><name>Xã sau</name>{bars}</group>",
        '    </chart>', '  </appendix>', '</document>']
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("\n".join(out) + "\n")
