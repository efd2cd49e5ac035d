#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare the dibs metrics node exporter serves with dibsctl's JSON.

usage: prom-check.py STATS_JSON METRICS

STATS_JSON is 'dibsctl -j stats show', METRICS what GET /metrics returned.
Every dibs_ sample must be one that the JSON implies, with the same value,
and every one the JSON implies must be there; every dibs_ family needs a
HELP and a TYPE line, counters end in _total.  Prints what differs and
exits 1, else prints the number of samples compared and exits 0.
"""

import json
import re
import sys

# JSON key -> (metric name after dibs_<scope>_, type, extra label)
COUNTERS = {
    "dmbs_in_use": ("dmbs_in_use", "gauge", None),
    "dmbs_max_in_use": ("dmbs_max_in_use", "gauge", None),
    "dmb_registrations": ("dmb_registrations_total", "counter", None),
    "dmb_unregistrations": ("dmb_unregistrations_total", "counter", None),
    "dmb_fail_nospc": ("dmb_registration_failures_total", "counter",
                       ("reason", "nospc")),
    "dmb_fail_nomem": ("dmb_registration_failures_total", "counter",
                       ("reason", "nomem")),
    "dmb_fail_other": ("dmb_registration_failures_total", "counter",
                       ("reason", "other")),
    "moves": ("moves_total", "counter", None),
    "move_bytes": ("move_bytes_total", "counter", None),
    "move_errors": ("move_errors_total", "counter", None),
    "signals": ("signals_total", "counter", None),
    "events": ("events_total", "counter", None),
}

SAMPLE = re.compile(r'^(dibs_[a-z_]+)\{([^}]*)\} (\S+)$')
LABEL = re.compile(r'([a-z_]+)="((?:[^"\\]|\\.)*)"')


def expected(stats):
    want, types = {}, {}
    for obj in stats:
        if "dev_name" in obj:
            scope, who = "device", obj["dev_name"]
        else:
            scope, who = "client", obj["client_name"]
        for key, (name, kind, extra) in COUNTERS.items():
            if key not in obj:
                continue
            labels = {scope: who}
            if extra:
                labels[extra[0]] = extra[1]
            metric = f"dibs_{scope}_{name}"
            want[(metric, tuple(sorted(labels.items())))] = obj[key]
            types[metric] = kind
    return want, types


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        stats = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        text = f.read()
    want, want_types = expected(stats)
    got, helps, types, problems = {}, set(), {}, []
    for line in text.splitlines():
        if line.startswith("# HELP dibs_"):
            helps.add(line.split()[2])
        elif line.startswith("# TYPE dibs_"):
            types[line.split()[2]] = line.split()[3]
        elif line.startswith("dibs_"):
            m = SAMPLE.match(line)
            if not m:
                problems.append(f"malformed sample: {line!r}")
                continue
            labels = tuple(sorted(LABEL.findall(m.group(2))))
            got[(m.group(1), labels)] = float(m.group(3))
    for key, value in want.items():
        if key not in got:
            problems.append(f"missing: {key[0]}{dict(key[1])} (dibsctl: {value})")
        elif got[key] != value:
            problems.append(f"{key[0]}{dict(key[1])}: scraped {got[key]:g}, dibsctl {value}")
    for key in got:
        if key not in want:
            problems.append(f"unexpected: {key[0]}{dict(key[1])}")
    for metric, kind in want_types.items():
        if metric not in helps:
            problems.append(f"no HELP line for {metric}")
        if types.get(metric) != kind:
            problems.append(f"TYPE of {metric} is {types.get(metric)}, not {kind}")
        if (kind == "counter") != metric.endswith("_total"):
            problems.append(f"{metric}: a {kind} {'without' if kind == 'counter' else 'with'} _total")
    if not want:
        problems.append("dibsctl -j stats show reported nothing")
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{len(want)} samples of {len(want_types)} families equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
