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
       dibsjson.py serve                 validate on request: each stdin line
                                         is SCHEMA<TAB>DEF<TAB>FILE[<TAB>FILE...];
                                         the reply is the problems found, then
                                         a line "\x1e" and the exit status that
                                         validate would give

Strings print raw, numbers in decimal, booleans as true/false.  Exit
status: 0 done, 1 invalid (validate) or not JSON, 3 PATH not present.
Every call starts a Python, which is slow in the VM: suites use few, and
validate through one "serve" process each (tests/cli/common.sh).
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


_validators = {}


def validator_for(schema_path, definition):
    """Validation is slow to start (jsonschema's imports): one process
    checks many documents, and keeps what it built."""
    key = (schema_path, definition)
    if key not in _validators:
        import jsonschema
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        if definition not in schema.get("$defs", {}):
            raise KeyError(f"{schema_path} has no #/$defs/{definition}")
        sub = {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]}
        _validators[key] = jsonschema.validators.validator_for(schema)(sub)
    return _validators[key]


def validate(schema_path, definition, files, out=sys.stderr):
    validator = validator_for(schema_path, definition)
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
            print(f"{name}: {p}", file=out)
        if problems:
            print(f"{name}: {text.strip()}", file=out)
            failed = True
    return 1 if failed else 0


def serve():
    """Answer validate requests, one per stdin line, until end of input.
    A request that cannot be carried out (no such file or definition)
    is answered with status 2 and says why."""
    for line in sys.stdin:
        fields = line.rstrip("\n").split("\t")
        if len(fields) < 3:
            print(f"bad request: {line!r}")
            status = 2
        else:
            try:
                status = validate(fields[0], fields[1], fields[2:], sys.stdout)
            except Exception as e:  # pylint: disable=broad-except
                # one bad request must not end the suite's validator
                print(f"cannot validate: {type(e).__name__}: {e}")
                status = 2
        print(f"\x1e{status}", flush=True)
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "validate" and len(args) >= 2:
        return validate(args[0], args[1], args[2:])
    if cmd == "serve" and not args:
        return serve()

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
