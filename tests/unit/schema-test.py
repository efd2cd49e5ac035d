#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Validate dibsctl's JSON output against docs/dibsctl-dev.schema.json.

usage: schema-test.py SCHEMA JSON_SAMPLES_PROGRAM

Runs the json-samples program (dibsctl's real printers on fake devices)
and checks each sample against the schema: show-*.json against
#/$defs/dev-list, add-*.json against #/$defs/dev.  Then checks that the
schema is not vacuous: every mutation of a valid device that breaks
the documented format must be rejected.  Prints TAP.
"""

import copy
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

from tap import Tap


def validator_for(schema, definition):
    """A validator for one of the schema's $defs, resolving its $refs."""
    sub = {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]}
    cls = jsonschema.validators.validator_for(schema)
    return cls(sub)


def errors(validator, instance):
    return "\n".join(e.message for e in validator.iter_errors(instance))


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_path, samples_program = sys.argv[1], sys.argv[2]
    tap = Tap()

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
        tap.check(True, "schema is a valid JSON Schema")
    except jsonschema.SchemaError as e:
        tap.check(False, "schema is a valid JSON Schema", str(e))
        return tap.finish()

    whole = cls(schema)
    dev = validator_for(schema, "dev")
    dev_list = validator_for(schema, "dev-list")

    with tempfile.TemporaryDirectory(prefix="dibsctl-samples-") as tmp:
        subprocess.run([samples_program, tmp], check=True)
        # The other objects' samples (SCHEMA.DEF.N.json) are for
        # objects-schema-test.py.
        names = sorted(n for n in os.listdir(tmp)
                       if n.startswith(("show-", "add-")))
        tap.check(len(names) >= 8, "json-samples wrote its samples",
                  f"got {names}")
        samples = {}
        for name in names:
            with open(os.path.join(tmp, name), encoding="utf-8") as f:
                text = f.read()
            try:
                samples[name] = json.loads(text)
            except json.JSONDecodeError as e:
                tap.check(False, f"{name} is JSON", f"{e}\n{text}")
                continue
            kind, validator = (("dev-list", dev_list) if name.startswith("show-")
                               else ("dev", dev))
            problems = errors(validator, samples[name])
            tap.check(not problems, f"{name} matches #/$defs/{kind}",
                      f"{problems}\n{text}")
            problems = errors(whole, samples[name])
            tap.check(not problems, f"{name} matches the whole schema",
                      problems)

    # Each sample must also fail the other definition: the two are apart.
    tap.check(bool(errors(dev, samples.get("show-one.json", []))),
              "an array is not a dev")
    tap.check(bool(errors(dev_list, samples.get("add-one.json", {}))),
              "an object is not a dev-list")

    base = samples.get("add-one.json")
    if not isinstance(base, dict) or "index" not in base:
        tap.check(False, "add-one.json is a full netlink device", repr(base))
        return tap.finish()

    def mutated(change):
        d = copy.deepcopy(base)
        change(d)
        return d

    bad = {
        "null value": lambda d: d.update(max_dmbs=None),
        "unknown key": lambda d: d.update(stats=1),
        "key with a dash": lambda d: d.update({"fabric-id": d.pop("fabric_id")}),
        "upper-case gid": lambda d: d.update(gid=d["gid"].upper()),
        "gid without dashes": lambda d: d.update(gid=d["gid"].replace("-", "")),
        "gid as bytes list": lambda d: d.update(gid=list(range(16))),
        "fabric_id as hex string": lambda d: d.update(fabric_id="0xffff"),
        "fabric_id above 16 bits": lambda d: d.update(fabric_id=65536),
        "index as string": lambda d: d.update(index="1"),
        "index zero": lambda d: d.update(index=0),
        "negative dmbs_in_use": lambda d: d.update(dmbs_in_use=-1),
        "max_dmbs above 32 bits": lambda d: d.update(max_dmbs=2**32),
        "fractional max_dmbs": lambda d: d.update(max_dmbs=1.5),
        "mmapped_rdmb as yes": lambda d: d.update(mmapped_rdmb="yes"),
        "mmapped_rdmb as 1": lambda d: d.update(mmapped_rdmb=1),
        "type not known": lambda d: d.update(type="ism"),
        "type as number": lambda d: d.update(type=1),
        "name too long": lambda d: d.update(name="abcdefghijklmnop"),
        "empty name": lambda d: d.update(name=""),
        "no name": lambda d: d.pop("name"),
        "no gid": lambda d: d.pop("gid"),
        "index without dmbs_in_use": lambda d: d.pop("dmbs_in_use"),
        "index without mmapped_rdmb": lambda d: d.pop("mmapped_rdmb"),
    }
    for what, change in bad.items():
        instance = mutated(change)
        tap.check(bool(errors(dev, instance)), f"schema rejects {what}",
                  f"accepted {json.dumps(instance)}")

    good = {
        "a type newer than dibsctl": lambda d: d.update(type="7"),
        "the sysfs subset": lambda d: [d.pop(k) for k in
                                       ("index", "type", "max_dmbs",
                                        "dmbs_in_use", "mmapped_rdmb")],
    }
    for what, change in good.items():
        instance = mutated(change)
        problems = errors(dev, instance)
        tap.check(not problems, f"schema accepts {what}", problems)

    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
