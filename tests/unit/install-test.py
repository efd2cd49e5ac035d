#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""What meson install puts where, for the consumers of dibs.

usage: install-test.py BUILD_DIR PREFIX SBINDIR SYSCONFDIR UDEVRULESDIR
                       UNITDIR SYSUSERSDIR

Installs BUILD_DIR into a temporary DESTDIR and checks: the udev rules,
the sysusers.d file, the unit and the example dibs.conf are where Debian
looks for them; the unit runs the installed dibsctl on
SYSCONFDIR/dibs/dibs.conf; systemd-sysusers makes group dibs from the
installed file in a scratch root.  Prints TAP.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from tap import Tap


def main():
    if len(sys.argv) != 8:
        print(__doc__, file=sys.stderr)
        return 2
    build, prefix, sbindir, sysconfdir, rulesdir, unitdir, sysusersdir = sys.argv[1:]
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="dibs-install-") as dest:
        run = subprocess.run(["meson", "install", "-C", build, "--no-rebuild",
                              "--destdir", dest, "--quiet"],
                             capture_output=True, text=True)
        if not tap.check(run.returncode == 0, "meson install --destdir",
                         run.stdout + run.stderr):
            return tap.finish()

        def path(directory, name):
            directory = os.path.join(prefix, directory)
            return os.path.join(dest, directory.lstrip("/"), name)

        files = {
            "udev rules": path(rulesdir, "60-dibs.rules"),
            "sysusers.d file": path(sysusersdir, "dibs.conf"),
            "systemd unit": path(unitdir, "dibs-config.service"),
            "example dibs.conf": path("share/doc/dibs/examples", "dibs.conf"),
            "dibs.conf(5)": path("share/man/man5", "dibs.conf.5"),
            "dibsctl": path(sbindir, "dibsctl"),
        }
        for what, name in files.items():
            tap.check(os.path.isfile(name), f"{what} installed",
                      f"{name} is missing")

        with open(files["udev rules"], encoding="utf-8") as f:
            rules = f.read()
        for want in ('KERNEL=="dibs", GROUP="dibs", MODE="0660"',
                     'SUBSYSTEM=="dibs", ACTION!="remove", TAG+="systemd"'):
            tap.check(want in rules, f"the rules hold {want}", rules)

        with open(files["systemd unit"], encoding="utf-8") as f:
            unit = f.read().splitlines()
        conf = os.path.join(prefix, sysconfdir, "dibs/dibs.conf")
        want = (f"ExecStart={os.path.join(prefix, sbindir, 'dibsctl')} "
                f"config apply {conf}")
        tap.check(want in unit, "the unit applies dibs.conf with the installed dibsctl",
                  f"expected {want!r} in {unit}")
        tap.check(f"ConditionPathExists={conf}" in unit,
                  "the unit does nothing without dibs.conf", str(unit))

        sysusers = shutil.which("systemd-sysusers")
        if not tap.check(sysusers, "systemd-sysusers is installed (package systemd)"):
            pass
        else:
            root = os.path.join(dest, "scratch-root")
            os.makedirs(os.path.join(root, "etc"))
            run = subprocess.run([sysusers, f"--root={root}", files["sysusers.d file"]],
                                 capture_output=True, text=True)
            group = ""
            if os.path.exists(os.path.join(root, "etc/group")):
                with open(os.path.join(root, "etc/group"), encoding="utf-8") as f:
                    group = f.read()
            tap.check(run.returncode == 0 and
                      any(line.startswith("dibs:") for line in group.splitlines()),
                      "systemd-sysusers makes group dibs from the installed file",
                      f"status {run.returncode}: {run.stderr}; /etc/group: {group!r}")
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
