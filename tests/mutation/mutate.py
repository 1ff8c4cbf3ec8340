#!/usr/bin/env python3
"""Mutation audit of csvsm's security rules (tests/mutation/README.md).

Every mutant in mutants.toml breaks one rule of src/ (or include/) by replacing one exact piece
of source text. Each is applied in a scratch copy of the tree, the affected outputs are rebuilt
incrementally, the mutant's tests run (scripts/run-tests.sh with its filters), and the file is
restored. Verdicts:

  killed      a test failed: the rule is tested
  survived    every test passed: the rule has no test that notices it missing
  stillborn   the mutant does not build (fix the mutant)
  stale       the text is not in the file exactly once (src/ changed: update the mutant)
  equivalent  marked in mutants.toml with the reason the tests cannot tell it apart (not run)

A mutant may carry `survives = "why"`: a rule known to lack a test (the reason says what the
test needs). It still runs and still counts as survived; the reason is printed with it.

Python 3.11 standard library only (tomllib).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MUTANTS_FILE = Path(__file__).resolve().parent / "mutants.toml"
REQUIRED = ("name", "file", "find", "replace", "rule", "tests")

# What every snpemu-based case runs: svsm.bin, the test firmware images, snpemu and its probe.
# Up-to-date goals cost a stat each, so they are always named; make rebuilds only those the
# mutated file feeds.
BASE_GOALS = [
    "svsm.bin",
    "build/guest.fd",
    "build/guest-svsm-read.fd",
    "build/guest-vmsa-write.fd",
    "build/guest-bench.fd",
    "build/snpemu/snpemu.rom",
    "build/snpemu/probe.bin",
]


def die(msg):
    print(f"mutate: {msg}", file=sys.stderr)
    sys.exit(2)


def load_mutants(path):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    mutants = data.get("mutant", [])
    seen = set()
    for i, m in enumerate(mutants):
        missing = [k for k in REQUIRED if k not in m]
        if missing:
            die(f"{path.name}: mutant #{i + 1} ({m.get('name', '?')}) lacks {', '.join(missing)}")
        if m["name"] in seen:
            die(f"{path.name}: two mutants named {m['name']}")
        if m["find"] == m["replace"]:
            die(f"{path.name}: mutant {m['name']} changes nothing")
        if not m["tests"]:
            die(f"{path.name}: mutant {m['name']} names no tests")
        seen.add(m["name"])
    return data.get("threshold", 0.95), mutants


def relocate(mutants):
    """For each stale mutant whose text now sits exactly once in another file of src/,
    include/ or start.S (code moved by a refactor), rewrite its `file` in mutants.toml."""
    files = [f for f in source_files()
             if f.startswith(("src/", "include/")) or f == "start.S"]
    texts = {f: (REPO / f).read_bytes() for f in files}
    toml = MUTANTS_FILE.read_text()
    moved = 0
    for m in mutants:
        find = m["find"].encode()
        cur = texts.get(m["file"])
        if cur is not None and cur.count(find) == 1:
            continue
        hits = [f for f, t in texts.items() if t.count(find) == 1 and f != m["file"]]
        if len(hits) != 1:
            print(f"stale       {m['name']}: {m['file']}: found in {len(hits)} other files, "
                  "edit it by hand")
            continue
        start = toml.index(f'name = "{m["name"]}"\n')
        end = toml.find("[[mutant]]", start)
        end = len(toml) if end < 0 else end
        block = toml[start:end].replace(f'file = "{m["file"]}"', f'file = "{hits[0]}"', 1)
        toml = toml[:start] + block + toml[end:]
        print(f"moved       {m['name']}: {m['file']} -> {hits[0]}")
        moved += 1
    MUTANTS_FILE.write_text(toml)
    print(f"mutate: {moved} mutants moved to the file that now holds their text")


def source_files():
    """The tree as git sees it: tracked and untracked-but-not-ignored files."""
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True).stdout
    return sorted({p for p in out.decode().split("\0") if p and (REPO / p).is_file()})


def sync_scratch(scratch):
    """Make scratch a copy of the tree, writing only files whose content differs (so that
    make's timestamps keep the previous run's outputs valid)."""
    files = source_files()
    wanted = set(files)
    for rel in files:
        src, dst = REPO / rel, scratch / rel
        data = src.read_bytes()
        if not dst.is_file() or dst.read_bytes() != data:
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
        shutil.copymode(src, dst)
    # Files gone from the tree (a refactor) must go from the copy: src/svsm.mk builds
    # whatever src/ holds.
    for dirpath, dirnames, filenames in os.walk(scratch):
        rel_dir = Path(dirpath).relative_to(scratch)
        if rel_dir.parts and rel_dir.parts[0] in ("build", ".git", "mutation-logs"):
            dirnames[:] = []
            continue
        for fn in filenames:
            rel = str(rel_dir / fn) if rel_dir.parts else fn
            if rel not in wanted and rel != "svsm.bin":
                (scratch / rel).unlink()


def list_cases(scratch, filters):
    """The cases scripts/run-tests.sh runs for these filters (same listing and matching)."""
    scripts = list((scratch / "tests").rglob("*.test.sh"))
    scripts += (scratch / "tools").glob("*/tests/**/*.test.sh")  # a tool's own cases
    cases = sorted(str(p.relative_to(scratch)) for p in scripts)
    unit = scratch / "tests" / "unit"
    cases += [f"build/unit/{p.stem}" for p in sorted(unit.glob("test_*.c"))]
    if not filters:
        return cases
    return [c for c in cases if any(f in c for f in filters)]


def goals_for(cases):
    """The cheapest make goals that bring every output these cases use up to date."""
    # Host unit tests need only their own binaries (no LTO link of svsm.bin).
    goals = [] if all(c.startswith("build/unit/") for c in cases) else list(BASE_GOALS)
    for c in cases:
        name = Path(c).name
        if c.startswith("build/unit/"):
            goals.append(c)
        elif c.startswith("tests/svsm/selftest"):
            case = name.removesuffix(".test.sh").removeprefix("selftest")
            goals.append("build/svsm-selftest.bin" if not case else
                         f"build/svsm-selftest-{case.lstrip('_-').replace('_', '-')}.bin")
        elif c.startswith("tests/guest/race-"):
            # each race case is its own firmware image (tests/guest/fw/guest.mk)
            goals.append(f"build/guest-{name.removesuffix('.test.sh')}.fd")
        elif c.startswith(("tests/guest/", "tools/snpemu/tests/fault-", "tests/svsm/")):
            pass  # BASE_GOALS
        else:
            goals.append("all")  # conformance, fuzz, efi, bench: whatever they need
    return list(dict.fromkeys(goals))


def run(cmd, cwd, log, timeout=None, env=None):
    with open(log, "a") as f:
        f.write(f"$ {' '.join(cmd)}\n")
        f.flush()
        try:
            return subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT,
                                  timeout=timeout, env=env).returncode
        except subprocess.TimeoutExpired:
            f.write(f"(timed out after {timeout}s)\n")
            return 124


def make(scratch, goals, log):
    return run(["make", "-j2", "--no-print-directory"] + goals, scratch, log)


def run_tests(scratch, filters, log, case_timeout):
    env = dict(os.environ, JOBS="2", TEST_TIMEOUT=str(case_timeout))
    rc = run(["scripts/run-tests.sh"] + filters, scratch, log, env=env)
    failed, why = [], ""
    logdir = scratch / "build" / "test-logs"
    for v in sorted(logdir.glob("*.verdict")):
        line = v.read_text().strip()
        if not line.startswith("FAIL"):
            continue
        failed.append(line.split()[1])
        # The first line that says what went wrong: a guest check, a test helper's FAIL, a
        # cmocka failure, snpemu's verdict.
        lines = Path(str(v).removesuffix(".verdict")).read_text(errors="replace").splitlines()
        for keys in (("not ok - ", "FAIL:", "[  FAILED  ]"), ("RULE:", "timed out")):
            hit = next((t.strip() for t in lines if any(k in t for k in keys)), None)
            if hit:
                why = why or hit
                with open(log, "a") as f:
                    f.write(f"{failed[-1]}: {hit}\n")
                break
    return rc, failed, why


def fmt_secs(s):
    return f"{int(s) // 60}m{int(s) % 60:02d}s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", default=os.environ.get("MUTANTS", ""),
                    help="comma-separated names to run (default: all; env MUTANTS)")
    ap.add_argument("--all-tests", action="store_true",
                    help="run the full suite on each survivor before calling it survived")
    ap.add_argument("--scratch", default=os.environ.get("MUTATE_SCRATCH", ""),
                    help="scratch copy of the tree (default: $TMPDIR/csvsm-mutate-UID); "
                    "kept between runs for incremental builds")
    ap.add_argument("--case-timeout", type=int, default=240,
                    help="seconds per test case under a mutant (a hang counts as killed)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--include-equivalent", action="store_true",
                    help="run the mutants marked equivalent too (to re-check the reasons)")
    ap.add_argument("--relocate", action="store_true",
                    help="point stale mutants at the file that now holds their text, then exit")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the unmutated run of the tests (only after one passed)")
    args = ap.parse_args()

    threshold, mutants = load_mutants(MUTANTS_FILE)
    if args.mutants:
        names = [n.strip() for n in args.mutants.split(",") if n.strip()]
        unknown = [n for n in names if n not in {m["name"] for m in mutants}]
        if unknown:
            die(f"no mutant named {', '.join(unknown)}")
        mutants = [m for m in mutants if m["name"] in names]
    if args.relocate:
        relocate(mutants)
        return 0
    if args.list:
        for m in mutants:
            tag = " (equivalent)" if "equivalent" in m else ""
            print(f"{m['name']:36} {m['file']}: {m['rule']}{tag}")
        return 0

    scratch = Path(args.scratch or Path(tempfile.gettempdir()) / f"csvsm-mutate-{os.getuid()}")
    scratch.mkdir(parents=True, exist_ok=True)
    logdir = scratch / "mutation-logs"
    shutil.rmtree(logdir, ignore_errors=True)
    logdir.mkdir(parents=True)
    start = time.time()
    print(f"mutate: {len(mutants)} mutants, scratch copy {scratch}, logs {logdir}")
    sync_scratch(scratch)

    to_run = [m for m in mutants if "equivalent" not in m or args.include_equivalent]
    all_filters = list(dict.fromkeys(f for m in to_run for f in m["tests"]))
    all_cases = list_cases(scratch, all_filters)

    # The unmutated tree must build and pass every test the mutants use, or a failure would
    # say nothing about a mutant.
    base_log = logdir / "baseline.log"
    if make(scratch, goals_for(all_cases), base_log):
        die(f"the unmutated tree does not build (see {base_log})")
    if to_run and not args.no_baseline:
        t0 = time.time()
        rc, failed, _ = run_tests(scratch, all_filters, base_log, args.case_timeout)
        if rc:
            die(f"unmutated, these tests fail: {' '.join(failed) or '?'} (see {base_log})")
        print(f"baseline: {len(all_cases)} cases pass unmutated ({fmt_secs(time.time() - t0)})")

    results = {}
    for m in mutants:
        name, rel = m["name"], m["file"]
        path = scratch / rel
        log = logdir / f"{name}.log"
        text = path.read_bytes() if path.is_file() else None
        find, replace = m["find"].encode(), m["replace"].encode()
        count = text.count(find) if text is not None else 0
        if count != 1:
            why = "file missing" if text is None else f"text found {count} times"
            results[name] = ("stale", why)
            print(f"stale       {name}: {rel}: {why}")
            continue
        if "equivalent" in m and not args.include_equivalent:
            results[name] = ("equivalent", m["equivalent"])
            continue
        t0 = time.time()
        cases = list_cases(scratch, m["tests"])
        try:
            path.write_bytes(text.replace(find, replace, 1))
            with open(log, "w") as f:
                f.write(f"mutant {name}: {rel}\nrule: {m['rule']}\n"
                        f"- {m['find']!r}\n+ {m['replace']!r}\n")
            if not cases:
                verdict, detail = "stillborn", f"no test case matches {m['tests']}"
            elif make(scratch, goals_for(cases), log):
                verdict, detail = "stillborn", "does not build"
            else:
                rc, failed, why = run_tests(scratch, m["tests"], log, args.case_timeout)
                if rc:
                    verdict = "killed"
                    detail = "by " + " ".join(failed) + (f": {why}" if why else "")
                elif args.all_tests:
                    with open(log, "a") as f:
                        f.write("survived its tests: the full suite\n")
                    if make(scratch, ["all"], log):
                        verdict, detail = "stillborn", "does not build (all)"
                    else:
                        rc, failed, why = run_tests(scratch, [], log, args.case_timeout)
                        verdict = "killed" if rc else "survived"
                        detail = ("by " + " ".join(failed) + " (full suite)") if rc else \
                            "the full suite passes"
                else:
                    verdict, detail = "survived", "its tests pass: " + " ".join(m["tests"])
                if verdict == "survived" and "survives" in m:
                    detail += f" (known: {m['survives']})"
                elif verdict == "killed" and "survives" in m:
                    detail += " (listed as a known survivor: drop its `survives`)"
        finally:
            path.write_bytes(text)
        results[name] = (verdict, detail)
        print(f"{verdict:11} {name} ({fmt_secs(time.time() - t0)}): {detail}", flush=True)

    counts = {}
    for v, _ in results.values():
        counts[v] = counts.get(v, 0) + 1
    killed, survived = counts.get("killed", 0), counts.get("survived", 0)
    live = killed + survived
    ratio = killed / live if live else 1.0
    print()
    for v in ("survived", "stillborn", "stale"):
        for name, (verdict, detail) in results.items():
            if verdict == v:
                print(f"{v}: {name}: {detail}")
    print(f"mutate: {len(results)} mutants: {killed} killed, {survived} survived, "
          f"{counts.get('stillborn', 0)} stillborn, {counts.get('stale', 0)} stale, "
          f"{counts.get('equivalent', 0)} equivalent; killed {killed}/{live} live = "
          f"{ratio * 100:.1f}% (threshold {threshold * 100:.0f}%) in "
          f"{fmt_secs(time.time() - start)}")
    bad = ratio < threshold or counts.get("stale", 0) or counts.get("stillborn", 0)
    if counts.get("stale", 0) or counts.get("stillborn", 0):
        print("mutate: stale or stillborn mutants: update tests/mutation/mutants.toml")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
