#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Runs one command and measures it, for bench/dump-vs-ip-vm (in the guest).

usage: dump-vs-ip-measure.py dump KIND -- CMD...
       dump-vs-ip-measure.py alternate RUNS -- CMD_A... -- CMD_B...

dump: runs CMD once with its stdout on a pipe read here, and prints one
JSON line: wall_ns (start to exit), first_byte_ns (start to the first
byte of output), bytes, maxrss_kib (CMD's peak RSS, as GNU time reports
it from wait4's rusage) and objects (the length of the JSON array it
printed; KIND "route" counts only the routes of the benchmark's dummy
device).  CMD runs under /usr/bin/time: a child forked by this Python
process would report Python's own RSS as its peak, which the kernel
carries over exec; time's child starts from time's small one.

alternate: runs CMD_A and CMD_B one after the other RUNS times each
(output discarded) and prints one JSON line with the wall times in ns,
{"a_ns": [...], "b_ns": [...]}.
"""
import json
import os
import subprocess
import sys
import tempfile
import time


def run_dump(kind, cmd):
    rss_file = tempfile.NamedTemporaryFile(mode="r", prefix="maxrss.")
    start = time.monotonic_ns()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file.name]
                            + cmd, stdout=subprocess.PIPE, bufsize=0)
    chunks = []
    first = None
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        if first is None:
            first = time.monotonic_ns()
        chunks.append(chunk)
    _, status, _ = os.wait4(proc.pid, 0)
    end = time.monotonic_ns()
    maxrss = int(rss_file.read().split()[-1])
    rss_file.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"{cmd[0]} exited with {proc.returncode}")
    doc = json.loads(b"".join(chunks))
    if kind == "route":
        objects = sum(1 for r in doc if r.get("dev") == "dvi0")
    else:
        objects = len(doc)
    return {
        "wall_ns": end - start,
        "first_byte_ns": (first if first is not None else end) - start,
        "bytes": sum(len(c) for c in chunks),
        "maxrss_kib": maxrss,
        "objects": objects,
    }


def wall(cmd):
    start = time.monotonic_ns()
    status = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
    end = time.monotonic_ns()
    if status:
        sys.exit(f"{cmd[0]} exited with {status}")
    return end - start


def main():
    args = sys.argv[1:]
    if len(args) >= 4 and args[0] == "dump" and args[2] == "--":
        print(json.dumps(run_dump(args[1], args[3:])))
        return 0
    if len(args) >= 6 and args[0] == "alternate" and args[2] == "--" \
            and "--" in args[4:]:
        runs = int(args[1])
        sep = args.index("--", 4)
        a, b = args[3:sep], args[sep + 1:]
        a_ns, b_ns = [], []
        for i in range(runs):
            # alternate which goes first
            if i % 2:
                b_ns.append(wall(b))
                a_ns.append(wall(a))
            else:
                a_ns.append(wall(a))
                b_ns.append(wall(b))
        print(json.dumps({"a_ns": a_ns, "b_ns": b_ns}))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
