#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Validate dibsctl's JSON output of clients, DMBs, GIDs, VLANs,
statistics and monitor events against their schemas in docs/.

usage: objects-schema-test.py DOCS_DIR JSON_SAMPLES_PROGRAM

Runs the json-samples program (dibsctl's real printers on objects made
from hand-made netlink messages); each sample SCHEMA.DEF.N.json must
match #/$defs/DEF of DOCS_DIR/dibsctl-SCHEMA.schema.json (monitor
samples are one object per line).  Then checks that no schema is
vacuous: mutations that break the documented format must be rejected.
Prints TAP.
"""

import copy
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

from tap import Tap

SCHEMAS = ["dev", "client", "dmb", "gid", "vlan", "stats", "monitor"]


def validator_for(schema, definition):
    sub = {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]}
    return jsonschema.validators.validator_for(schema)(sub)


def errors(validator, instance):
    return "\n".join(e.message for e in validator.iter_errors(instance))


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    docs, samples_program = sys.argv[1], sys.argv[2]
    tap = Tap()

    schemas = {}
    for name in SCHEMAS:
        path = os.path.join(docs, f"dibsctl-{name}.schema.json")
        with open(path, encoding="utf-8") as f:
            schemas[name] = json.load(f)
        cls = jsonschema.validators.validator_for(schemas[name])
        try:
            cls.check_schema(schemas[name])
            tap.check(True, f"dibsctl-{name}.schema.json is a valid JSON Schema")
        except jsonschema.SchemaError as e:
            tap.check(False, f"dibsctl-{name}.schema.json is a valid JSON Schema",
                      str(e))
            return tap.finish()

    samples = {}
    with tempfile.TemporaryDirectory(prefix="dibsctl-samples-") as tmp:
        subprocess.run([samples_program, tmp], check=True)
        names = sorted(n for n in os.listdir(tmp) if n.count(".") == 3)
        for name in names:
            schema, definition, _, _ = name.split(".")
            with open(os.path.join(tmp, name), encoding="utf-8") as f:
                text = f.read()
            if schema == "monitor":
                lines = text.split("\n")
                tap.check(len(lines) == 2 and lines[1] == "",
                          f"{name} is one line", repr(text))
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as e:
                tap.check(False, f"{name} is JSON", f"{e}\n{text}")
                continue
            samples[name] = doc
            problems = errors(validator_for(schemas[schema], definition), doc)
            tap.check(not problems,
                      f"{name} matches #/$defs/{definition} of dibsctl-{schema}",
                      f"{problems}\n{text}")
    tap.check(len([n for n in samples if n.startswith("monitor.")]) == 8,
              "a sample of every event type", " ".join(samples))

    def check_rejects(sample, definition, what, change):
        base = samples.get(sample)
        if base is None:
            tap.check(False, f"{definition} rejects {what}", f"no {sample}")
            return
        doc = copy.deepcopy(base)
        change(doc)
        schema = sample.split(".")[0]
        tap.check(bool(errors(validator_for(schemas[schema], definition), doc)),
                  f"{schema} {definition} rejects {what}",
                  f"accepted {json.dumps(doc)}")

    first = lambda f: lambda d: f(d[0])  # noqa: E731
    bad = [
        ("client.client-list.1.json", "client-list", "null value",
         first(lambda c: c.update(dmbs=None))),
        ("client.client-list.1.json", "client-list", "unknown key",
         first(lambda c: c.update(bound_dev=[]))),
        ("client.client-list.1.json", "client-list", "id above 7",
         first(lambda c: c.update(id=8))),
        ("client.client-list.1.json", "client-list", "devices as a string",
         first(lambda c: c.update(devices="lo,lo3"))),
        ("client.client-list.1.json", "client-list", "no devices",
         first(lambda c: c.pop("devices"))),
        ("client.client-list.1.json", "client-list", "an object",
         lambda d: d.__setitem__(slice(None), [{"x": 1}])),
        ("dmb.dmb-list.1.json", "dmb-list", "token as a number",
         first(lambda d: d.update(token=18364758544493064720))),
        ("dmb.dmb-list.1.json", "dmb-list", "token without 0x",
         first(lambda d: d.update(token=d["token"][2:]))),
        ("dmb.dmb-list.1.json", "dmb-list", "upper-case token",
         first(lambda d: d.update(token=d["token"].upper().replace("0X", "0x")))),
        ("dmb.dmb-list.1.json", "dmb-list", "short token",
         first(lambda d: d.update(token="0x1"))),
        ("dmb.dmb-list.1.json", "dmb-list", "upper-case rgid",
         first(lambda d: d.update(rgid=d["rgid"].upper()))),
        ("dmb.dmb-list.1.json", "dmb-list", "vlan_id 4096",
         first(lambda d: d.update(vlan_id=4096))),
        ("dmb.dmb-list.1.json", "dmb-list", "attached as yes",
         first(lambda d: d.update(attached="yes"))),
        ("dmb.dmb-list.1.json", "dmb-list", "key with a dash",
         first(lambda d: d.update({"dev-name": d.pop("dev_name")}))),
        ("dmb.dmb-list.1.json", "dmb-list", "negative bytes",
         first(lambda d: d.update(bytes=-1))),
        ("gid.gid-list.1.json", "gid-list", "unknown role",
         first(lambda g: g.update(role="remote"))),
        ("gid.gid-list.1.json", "gid-list", "gid without dashes",
         first(lambda g: g.update(gid=g["gid"].replace("-", "")))),
        ("gid.gid-check.1.json", "gid-check", "reachable as 1",
         lambda g: g.update(reachable=1)),
        ("gid.gid-check.1.json", "gid-check", "no reachable",
         lambda g: g.pop("reachable")),
        ("gid.gid-check.1.json", "gid-check", "an array",
         lambda g: None if False else g.clear()),
        ("vlan.vlan-list.1.json", "vlan-list", "client_id without client_name",
         lambda d: d[1].pop("client_name")),
        ("vlan.vlan-list.1.json", "vlan-list", "zero refs",
         first(lambda v: v.update(refs=0))),
        ("vlan.vlan-list.1.json", "vlan-list", "id 4096",
         first(lambda v: v.update(id=4096))),
        ("stats.stats-list.1.json", "stats-list", "both device and client",
         first(lambda s: s.update(client_id=0, client_name="x"))),
        ("stats.stats-list.1.json", "stats-list", "neither device nor client",
         first(lambda s: [s.pop("dev_index"), s.pop("dev_name")])),
        ("stats.stats-list.1.json", "stats-list", "a missing counter",
         first(lambda s: s.pop("move_bytes"))),
        ("stats.stats-list.1.json", "stats-list", "a counter as a string",
         first(lambda s: s.update(events="12"))),
        ("stats.stats-list.1.json", "stats-list", "a dashed counter",
         first(lambda s: s.update({"move-bytes": s.pop("move_bytes")}))),
        ("dev.dev-list.1.json", "dev-list", "counters cut short",
         first(lambda d: d.pop("events"))),
        ("dev.dev-list.1.json", "dev-list", "clients as a string",
         first(lambda d: d.update(clients="dibs_user"))),
        ("monitor.event.1.json", "event", "no event key",
         lambda e: e.pop("event")),
        ("monitor.event.1.json", "event", "an unknown event",
         lambda e: e.update(event="dev-changed")),
        ("monitor.event.5.json", "event", "a bind without its device",
         lambda e: e.pop("dev_name")),
        ("monitor.event.7.json", "event", "a token in an event",
         lambda e: e.update(token="0x0000000000000001")),
        ("monitor.event.8.json", "event", "dmb-del without counters",
         lambda e: e.pop("bytes")),
        ("monitor.event.7.json", "event", "dmb-new as dmb-del",
         lambda e: e.update(event="dmb-del")),
    ]
    for sample, definition, what, change in bad:
        check_rejects(sample, definition, what, change)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
