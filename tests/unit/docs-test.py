#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The man pages render cleanly and document what exists.

usage: docs-test.py SOURCE_ROOT

libdibsctl.3, dibsctl.8 and dibs.conf.5 render without groff warnings;
libdibsctl.3 names every function of libdibsctl.sym; dibsctl.8 names
every option, verb, keyword and event of dibsctl, every key of the JSON
Schemas, every Prometheus metric family of prometheus.c and the
exit statuses 0, 1 and 2; dibs.conf.5 its declarations.  Prints TAP.
"""

import json
import os
import re
import subprocess
import sys

from tap import Tap

OPTIONS = ["-j", "--json", "-p", "--pretty", "-d", "--details", "-s",
           "--stats", "-b", "--batch", "-V", "--version", "-h", "--help"]
WORDS = ["dev", "show", "add", "del", "help", "loopback", "type", "name",
         "gid", "force", "DIBSCTL_SYSFS", "/sys/class/dibs",
         "client", "bind", "unbind", "dmb", "check", "vlan", "stats",
         "reset", "monitor", "all", "config", "apply", "prometheus",
         "DIBS_TYPE", "DIBS_GID", "DIBS_FABRIC_ID", "dibs.conf", "rcvbuf"]
SCHEMAS = ["dev", "client", "dmb", "gid", "vlan", "stats", "monitor", "config"]
EVENTS = ["dev-new", "dev-del", "client-new", "client-del", "client-bind",
          "client-unbind", "dmb-new", "dmb-del"]


def render(page):
    """The page as plain text on one long line per paragraph."""
    out = subprocess.run(["groff", "-man", "-Tutf8", "-rLL=250n", "-P-cbou",
                          page], check=True, capture_output=True).stdout
    return out.decode("utf-8")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    top = sys.argv[1]
    man3 = os.path.join(top, "docs/libdibsctl.3")
    man8 = os.path.join(top, "docs/dibsctl.8")
    man5 = os.path.join(top, "docs/dibs.conf.5")
    prom = os.path.join(top, "cli/dibsctl/prometheus.c")
    sym = os.path.join(top, "lib/libdibsctl/libdibsctl.sym")
    schema = os.path.join(top, "docs/dibsctl-dev.schema.json")
    tap = Tap()

    for page in (man3, man8, man5):
        run = subprocess.run(["groff", "-man", "-ww", "-z", "-t", page],
                             capture_output=True, text=True)
        tap.check(run.returncode == 0 and not run.stderr,
                  f"{os.path.basename(page)} renders without groff warnings",
                  run.stderr)

    text3 = render(man3)
    with open(sym, encoding="utf-8") as f:
        symbols = re.findall(r"^\s*(dibsctl_\w+);", f.read(), flags=re.M)
    missing = [s for s in symbols if not re.search(rf"\b{s}\b", text3)]
    tap.check(symbols and not missing,
              "libdibsctl.3 documents every exported function",
              "missing: " + " ".join(missing) if symbols else f"none in {sym}")

    text8 = render(man8)
    words = OPTIONS + WORDS + EVENTS + [f"dibsctl-{name}.schema.json"
                                        for name in SCHEMAS]
    missing = [w for w in words
               if not re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text8)]
    tap.check(not missing, "dibsctl.8 documents every option, verb and keyword",
              "missing: " + " ".join(missing))

    with open(prom, encoding="utf-8") as f:
        families = re.findall(r'(?:PROM_ONE\(|\.name = )"(\w+)"', f.read())
    missing = [n for n in families if not re.search(rf"\b{n}\b", text8)]
    tap.check(len(families) == 10 and not missing,
              "dibsctl.8 names every Prometheus metric family",
              f"found {families} in {prom}; missing: {missing}")

    text5 = render(man5)
    missing = [w for w in ("add loopback name", "client bind", "client unbind",
                           "dibsctl config apply", "dibs-config.service")
               if w not in text5]
    tap.check(not missing, "dibs.conf.5 documents every declaration and the unit",
              "missing: " + " ".join(missing))

    keys = []
    for name in SCHEMAS:
        path = schema.replace("-dev.", f"-{name}.")
        with open(path, encoding="utf-8") as f:
            for definition in json.load(f)["$defs"].values():
                for key in definition.get("properties", {}):
                    if key not in keys:
                        keys.append(key)
    missing = [k for k in keys if not re.search(rf"\b{k}\b", text8)]
    tap.check(keys and not missing, "dibsctl.8 documents every JSON key",
              "missing: " + " ".join(missing))

    section = re.search(r"^EXIT STATUS\n(.*?)^\S", text8, flags=re.M | re.S)
    body = section.group(1) if section else ""
    missing = [c for c in "012" if not re.search(rf"^\s+{c}\s", body, flags=re.M)]
    tap.check(section and not missing, "dibsctl.8 describes exit statuses 0, 1 and 2",
              "no EXIT STATUS section" if not section else f"missing: {missing}")
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
