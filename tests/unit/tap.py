# SPDX-License-Identifier: GPL-2.0-only
"""TAP output for the Python host tests (meson's protocol 'tap')."""


class Tap:
    """Numbered test points; a failure carries a note saying what differed."""

    def __init__(self):
        self.count = 0
        self.failed = 0
        print("TAP version 13", flush=True)

    def check(self, ok, name, why=""):
        self.count += 1
        if ok:
            print(f"ok {self.count} {name}")
        else:
            self.failed += 1
            print(f"not ok {self.count} {name}")
            for line in str(why).splitlines():
                print(f"# {line}")
        return ok

    def finish(self):
        """Prints the plan; returns the exit status."""
        print(f"1..{self.count}")
        return 1 if self.failed else 0
