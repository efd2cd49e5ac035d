#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Read dibsctl's JSON output (on stdin) for the dibsctl suites.

usage: dibsjson.py validate SCHEMA DEF [FILE...]
                                         check stdin, or each FILE, against
                                         #/$defs/DEF of SCHEMA
       dibsjson.py get PATH              print one value (PATH like 0.name)
       dibsjson.py keys PATH             print the keys of an object, sorted
       dibsjson.py table KEY...          one line per array element: the
                                         values of KEY..., "-" when absent

Strings print raw, numbers in decimal, booleans as true/false.  Exit
status: 0 done, 1 invalid (validate) or not JSON, 3 PATH not present.
Every call starts a Python, which is slow in the VM: suites use few.
"""

import json
import sys


def show(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def lookup(doc, path):
    for part in path.split(".") if path else []:
        if isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        elif isinstance(doc, dict) and part in doc:
            doc = doc[part]
        else:
            raise KeyError(path)
    return doc


def parse(text, what):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        print(f"{what}: not JSON: {e}: {text!r}", file=sys.stderr)
        return None


def validate(schema_path, definition, files):
    """Validation is slow to start (jsonschema's imports): one call
    checks many documents."""
    import jsonschema
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    sub = {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]}
    validator = jsonschema.validators.validator_for(schema)(sub)
    failed = False
    for name in files or ["-"]:
        if name == "-":
            text, name = sys.stdin.read(), "stdin"
        else:
            with open(name, encoding="utf-8") as f:
                text = f.read()
        doc = parse(text, name)
        problems = [] if doc is not None else ["not JSON"]
        if doc is not None:
            problems = [f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}"
                        for e in validator.iter_errors(doc)]
        for p in problems:
            print(f"{name}: {p}", file=sys.stderr)
        if problems:
            print(f"{name}: {text.strip()}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "validate" and len(args) >= 2:
        return validate(args[0], args[1], args[2:])

    doc = parse(sys.stdin.read(), "stdin")
    if doc is None:
        return 1
    if cmd in ("get", "keys") and len(args) == 1:
        try:
            value = lookup(doc, args[0])
        except KeyError:
            return 3
        if cmd == "keys":
            print(" ".join(sorted(value)))
        else:
            print(show(value))
        return 0
    if cmd == "table" and args:
        for elem in doc:
            print(" ".join(show(elem[k]) if k in elem else "-" for k in args))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
