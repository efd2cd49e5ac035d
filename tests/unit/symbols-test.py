#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""A shared library exports exactly what its version script lists.

usage: symbols-test.py [--soname SONAME] LIB SYM HEADER...

Checks, from nm -D and objdump -p: every symbol of the version script SYM
is exported at the version node that lists it, nothing else is exported
(with or without a version), every exported symbol is declared in one of
the public HEADERs, and the soname is SONAME (libdibsctl.so.1 unless
given).  Used for libdibsctl and libdibsctl-user.  Prints TAP.
"""

import argparse
import os
import re
import subprocess
import sys

from tap import Tap


def read_version_script(path):
    """{symbol: node} from a GNU ld version script."""
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    symbols = {}
    for node, body in re.findall(r"(\w+)\s*\{(.*?)\}", text, flags=re.S):
        body = re.sub(r"\blocal:.*", "", body, flags=re.S)
        for name in re.findall(r"\b([A-Za-z_]\w*)\s*;", body):
            symbols[name] = node
    return symbols


def read_dynamic_symbols(path):
    """[(name, node or None, nm type)] of the library's defined symbols."""
    out = subprocess.run(["nm", "-D", "--defined-only", path], check=True,
                         capture_output=True, text=True).stdout
    result = []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) != 3:
            continue
        kind, full = fields[1], fields[2]
        name, _, node = full.partition("@")
        result.append((name, node.lstrip("@") or None, kind))
    return result


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("--soname", default="libdibsctl.so.1")
    parser.add_argument("lib")
    parser.add_argument("sym")
    parser.add_argument("headers", nargs="+")
    args = parser.parse_args()
    lib, sym = args.lib, args.sym
    symname = os.path.basename(sym)
    tap = Tap()

    expected = read_version_script(sym)
    nodes = set(expected.values())
    tap.check(bool(expected), f"{symname} lists symbols", sym)

    exported = {}
    unversioned = []
    for name, node, kind in read_dynamic_symbols(lib):
        if node:
            exported[name] = node
        elif not (kind == "A" and name in nodes):
            # The version nodes themselves are the only allowed ones.
            unversioned.append(f"{kind} {name}")

    missing = [f"{n} (wanted at {v}, got {exported.get(n)})"
               for n, v in sorted(expected.items()) if exported.get(n) != v]
    tap.check(not missing, f"every symbol of {symname} is exported at its node",
              "\n".join(missing))
    extra = [f"{n}@{v}" for n, v in sorted(exported.items()) if n not in expected]
    tap.check(not extra, f"nothing is exported beyond {symname}",
              "\n".join(extra))
    tap.check(not unversioned, "every exported symbol carries a version",
              "\n".join(unversioned))

    declared = set()
    for header in args.headers:
        with open(header, encoding="utf-8") as f:
            declared |= set(re.findall(r"\b(dibsctl_\w+)\s*\(", f.read()))
    undeclared = sorted(n for n in exported if n not in declared)
    names = " and ".join(os.path.basename(h) for h in args.headers)
    tap.check(not undeclared, f"every exported symbol is declared in {names}",
              "\n".join(undeclared))

    out = subprocess.run(["objdump", "-p", lib], check=True,
                         capture_output=True, text=True).stdout
    soname = re.search(r"^\s*SONAME\s+(\S+)", out, flags=re.M)
    soname = soname.group(1) if soname else None
    tap.check(soname == args.soname, f"soname is {args.soname}",
              f"got {soname}")
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
