"""ndview-info and ndview-layout, run as a user runs them: help and errors,
the info report at every level NDVIEW_ISA can select, and ndview-layout's
field offsets checked against CPython's struct module on random formats.
Prints TAP.

usage: tools_test.py NDVIEW_INFO NDVIEW_LAYOUT [--cases N] [--seed S]"""
import argparse
import os
import random
import re
import struct
import subprocess
import sys

results = []


def ok(cond, name, detail=""):
    results.append(bool(cond))
    print("%s %d - %s" % ("ok" if cond else "not ok", len(results), name))
    if not cond and detail:
        for line in str(detail).splitlines()[:20]:
            print("#   " + line)


def run(argv, env=None):
    e = dict(os.environ)
    e.pop("NDVIEW_ISA", None)
    e.update(env or {})
    p = subprocess.run(argv, capture_output=True, text=True, env=e)
    return p.returncode, p.stdout, p.stderr


def parse_info(text):
    head, _, table = text.partition("\nkernel slot")
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    rows = [line.split() for line in table.splitlines()[1:] if line.strip()]
    columns = table.splitlines()[0].split()
    return fields, columns, rows


def test_info(info):
    rc, out, err = run([info, "--help"])
    ok(rc == 0 and out.startswith("Usage: ndview-info"), "ndview-info --help", out + err)
    rc, out, _ = run([info, "--version"])
    ok(rc == 0 and re.fullmatch(r"ndview \d+\.\d+\.\d+\n", out), "ndview-info --version", out)
    rc, out, err = run([info, "--bogus"])
    ok(rc == 2 and "unknown argument" in err, "ndview-info rejects an unknown argument", err)
    rc, out, err = run([info, "--level", "no-such-level"])
    ok(rc == 2 and "not available" in err, "ndview-info --level rejects a bad level", err)

    rc, out, err = run([info])
    fields, columns, rows = parse_info(out)
    levels = fields.get("levels", "").split()
    ok(rc == 0 and "scalar" in levels and fields.get("active") == fields.get("best") ==
       levels[-1], "ndview-info reports levels, best and active", out + err)
    names = [r[0] for r in rows]
    expect = ["copy_run", "copy_strided/1", "copy_strided/16", "copy_tile/8", "copy_runs",
              "unpack/i8->i64", "unpack/swapped/f32->f64", "tolist/u8", "equal/f64", "hex"]
    ok(len(names) == len(set(names)) and all(n in names for n in expect) and
       "unpack/f32->i64" not in names, "ndview-info lists each kernel slot once", names)

    # --all: one column per level; a slot's provider is never above its column's level,
    # and is a level this machine has.
    rc, out, _ = run([info, "--all"])
    _, columns, rows = parse_info(out)
    rank = {name: i for i, name in enumerate(levels)}
    good = columns == levels and all(
        len(r) == 1 + len(levels) and
        all(p in rank and (p == "scalar" or rank[p] <= rank[col])
            for p, col in zip(r[1:], levels)) for r in rows)
    ok(rc == 0 and good, "ndview-info --all: providers at or below each level", out)
    # A level inherits a slot from the one below or fills it itself; both happen at the top.
    inherit = all(all(b in (a, col) for a, b, col in zip(r[1:], r[2:], levels[1:])) for r in rows)
    top = [r[-1] for r in rows]
    by_name = {r[0]: r[-1] for r in rows}
    mixed = len(levels) == 1 or (levels[-1] in top and any(p != levels[-1] for p in top) and
                                 by_name.get("copy_strided/4") == levels[-1])
    ok(inherit and mixed, "ndview-info --all: each level inherits or overrides", out)

    # Every level NDVIEW_ISA can select becomes the active one and its kernels stay at or below it.
    for level in levels:
        rc, out, _ = run([info], {"NDVIEW_ISA": level})
        fields, columns, rows = parse_info(out)
        good = fields.get("active") == level and columns == [level] and all(
            r[1] == "scalar" or rank[r[1]] <= rank[level] for r in rows)
        if level == "scalar":
            good = good and all(r[1] == "scalar" for r in rows)
        ok(rc == 0 and good, "NDVIEW_ISA=%s: active level and its table" % level, out)
    rc, out, _ = run([info], {"NDVIEW_ISA": "pentium"})
    ok(rc == 0 and "note: NDVIEW_ISA=pentium is not one of" in out,
       "ndview-info shows why NDVIEW_ISA was ignored", out)


# ---------------------------------------------------------------- ndview-layout

def parse_layout(text):
    lines = text.splitlines()
    info = dict(l.split(": ", 1) for l in lines if ": " in l and not l.startswith(" "))
    fields = []
    i = next(k for k, l in enumerate(lines) if l.strip().startswith("offset")) + 1
    while i < len(lines) and not lines[i].startswith("view"):
        off, size, count, code, order, sizes = lines[i].split()
        fields.append((int(off), int(size), int(count), code, order, sizes))
        i += 1
    view = {}
    for l in lines[i:]:
        if ": " in l:
            k, v = l.strip().split(": ", 1)
            view[k] = v
    return info, fields, view


NATIVE_ONLY = "nNP"
CODES = "bBhHiIlLqQnNfde?cPspx"


def random_format(rnd):
    prefix = rnd.choice(["", "@", "=", "<", ">", "!"])
    tokens = []
    for _ in range(rnd.randint(1, 6)):
        code = rnd.choice([c for c in CODES if prefix in "@" or c not in NATIVE_ONLY])
        count = rnd.choice(["", "", "2", "3", "5"])
        tokens.append((count, code))
    return prefix, tokens


def struct_values(prefix, tokens):
    """(offset, code) of every value struct would unpack, pads excluded."""
    out = []
    fmt = prefix
    for count, code in tokens:
        n = int(count or 1)
        if code in "sp":
            fmt += count + code
            out.append((struct.calcsize(fmt) - n, code))
            continue
        for _ in range(n):
            fmt += code
            if code != "x":
                out.append((struct.calcsize(fmt) - struct.calcsize(prefix + code), code))
    return out


def layout_values(fields):
    out = []
    for off, size, count, code, _, _ in fields:
        if code != "x":
            out.extend((off + j * size, code) for j in range(count))
    return out


def test_layout(layout, cases, seed):
    rc, out, err = run([layout, "--help"])
    ok(rc == 0 and out.startswith("Usage: ndview-layout"), "ndview-layout --help", out + err)
    rc, out, err = run([layout, "iz"])
    ok(rc == 1 and "bad char in struct format" in err, "ndview-layout reports a bad format", err)
    for argv, what in [(["i", "--shape", "2,3", "--strides", "4"], "shape/strides mismatch"),
                       (["i", "--strides", "4"], "strides without shape"),
                       (["i", "--shape", "2,x"], "malformed shape"), ([], "no format")]:
        rc, _, err = run([layout] + argv)
        ok(rc == 2 and err, "ndview-layout refuses: " + what, err)

    rc, out, _ = run([layout, "T{<i:x:>h:y:}"])
    info, fields, _ = parse_layout(out)
    ok(rc == 0 and info["itemsize"] == "6" and info["values per item"] == "2" and
       fields == [(0, 4, 1, "i", "little", "standard"), (4, 2, 1, "h", "big", "standard")],
       "ndview-layout: a PEP 3118 struct with mixed byte order", out)
    rc, out, _ = run([layout, "@b(2,3)dZf"])
    info, fields, _ = parse_layout(out)
    ok(rc == 0 and info["itemsize"] == "64" and info["alignment"] == "8" and
       [f[:4] for f in fields] == [(0, 1, 1, "b"), (8, 8, 6, "d"), (56, 8, 1, "Zf")],
       "ndview-layout: sub-array and complex fields, native alignment", out)

    # Contiguity of described views: memoryview's rules.
    views = [
        (["d", "--shape", "3,4"], "C yes, F no, any yes"),
        (["d", "--shape", "3,4", "--strides", "8,24"], "C no, F yes, any yes"),
        (["d", "--shape", "3,4", "--strides", "64,16"], "C no, F no, any no"),
        (["h", "--shape", "5"], "C yes, F yes, any yes"),
        (["h", "--shape", "5", "--strides", "-2"], "C no, F no, any no"),
        (["h", "--shape", "1,5", "--strides", "999,2"], "C yes, F yes, any yes"),
        (["h", "--shape", "0,5", "--strides", "3,7"], "C yes, F yes, any yes"),
        (["q", "--shape", ""], "C yes, F yes, any yes"),
    ]
    for argv, want in views:
        rc, out, err = run([layout] + argv)
        _, _, view = parse_layout(out) if rc == 0 else ({}, [], {})
        ok(view.get("contiguous") == want, "ndview-layout contiguity: %s" % " ".join(argv),
           out + err)
    rc, out, _ = run([layout, "i", "--shape", "3,4", "--strides", "-16,-4"])
    _, _, view = parse_layout(out)
    ok(view.get("spans") == "48 bytes (element 0 at byte 44)" and view.get("len") == "48",
       "ndview-layout: negative strides put element 0 at the top", out)

    # Random struct formats: itemsize and every value's offset as struct sees them.
    rnd = random.Random(seed)
    bad = []
    for _ in range(cases):
        prefix, tokens = random_format(rnd)
        fmt = prefix + "".join(c + k for c, k in tokens)
        rc, out, err = run([layout, fmt])
        if rc != 0:
            bad.append("%r: %s" % (fmt, err.strip()))
            continue
        info, fields, _ = parse_layout(out)
        want = struct_values(prefix, tokens)
        if int(info["itemsize"]) != struct.calcsize(fmt) or layout_values(fields) != want:
            bad.append("%r: ndview %s %s, struct %d %s" % (fmt, info["itemsize"],
                       layout_values(fields), struct.calcsize(fmt), want))
    ok(not bad, "ndview-layout agrees with struct on %d random formats (seed %d)" % (cases, seed),
       "\n".join(bad))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("info")
    ap.add_argument("layout")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    test_info(a.info)
    test_layout(a.layout, a.cases, a.seed)
    print("1..%d" % len(results))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
