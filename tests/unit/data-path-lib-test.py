#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""libdibsctl-user stays the data path without libnl.

usage: data-path-lib-test.py LIBDIBSCTL_USER_SO LIBDIBSCTL_SO PROGRAM...

Checks, from objdump -p, ldd and nm -D: libdibsctl-user has no libnl
among its NEEDED entries nor anywhere in what it loads; each PROGRAM (a
user of the data path only, such as dibsperf) needs libdibsctl-user.so.1,
not libdibsctl.so.1, and loads no libnl; and libdibsctl-user exports the
same dibsctl_user_* functions as libdibsctl does at LIBDIBSCTL_2, so that
code moves between the two by changing only the link flag.  Prints TAP.
"""

import os
import re
import subprocess
import sys

from tap import Tap

NETLINK_LIB = re.compile(r"^libnl")


def needed(path):
    """The NEEDED entries of an ELF file's dynamic section."""
    out = subprocess.run(["objdump", "-p", path], check=True,
                         capture_output=True, text=True).stdout
    return re.findall(r"^\s*NEEDED\s+(\S+)", out, flags=re.M)


def loaded(path):
    """The sonames ldd resolves for path, with what they load in turn."""
    out = subprocess.run(["ldd", path], check=True,
                         capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.split()]


def exported_at(path, node=None):
    """{name} of the dibsctl_user_* functions exported (at node, if given)."""
    out = subprocess.run(["nm", "-D", "--defined-only", path], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) != 3 or not fields[2].startswith("dibsctl_user_"):
            continue
        name, _, version = fields[2].partition("@")
        if node is None or version.lstrip("@") == node:
            names.add(name)
    return names


def main():
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    user_lib, full_lib = sys.argv[1:3]
    programs = sys.argv[3:]
    tap = Tap()

    entries = needed(user_lib)
    bad = [n for n in entries if NETLINK_LIB.match(n)]
    tap.check(entries and not bad, "libdibsctl-user has no libnl NEEDED entry",
              f"NEEDED: {' '.join(entries)}")
    libs = loaded(user_lib)
    bad = [n for n in libs if NETLINK_LIB.match(n)]
    tap.check(libs and not bad, "libdibsctl-user loads no libnl",
              f"ldd: {' '.join(libs)}")

    for program in programs:
        name = os.path.basename(program)
        entries = needed(program)
        tap.check("libdibsctl-user.so.1" in entries and
                  "libdibsctl.so.1" not in entries,
                  f"{name} needs libdibsctl-user.so.1, not libdibsctl.so.1",
                  f"NEEDED: {' '.join(entries)}")
        libs = loaded(program)
        bad = [n for n in libs if NETLINK_LIB.match(n)]
        tap.check(libs and not bad, f"{name} loads no libnl",
                  f"ldd: {' '.join(libs)}")

    own = exported_at(user_lib)
    compat = exported_at(full_lib, "LIBDIBSCTL_2")
    tap.check(own and own == compat,
              "libdibsctl-user exports the dibsctl_user_* of libdibsctl's LIBDIBSCTL_2",
              f"only in libdibsctl-user: {' '.join(sorted(own - compat))}\n"
              f"only in libdibsctl: {' '.join(sorted(compat - own))}")
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
