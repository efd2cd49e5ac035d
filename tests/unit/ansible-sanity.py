#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""ansible-test sanity on the collection, as far as it works offline.

usage: ansible-sanity.py SOURCE_ROOT

ansible-test wants the collection at ansible_collections/NS/NAME, so a
copy of ansible/ goes there.  Most of its sanity tests (ansible-doc,
validate-modules, pep8, pylint, yamllint, import) first install their
requirements with pip into a virtualenv, which needs the network; the
ones below run with --local from ansible-core alone.  ansible-doc itself
runs in the VM suite tests/consumers/ansible.sh.  Then galaxy.yml must
build the collection.  Prints TAP; skips when
ansible-test is not installed.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from tap import Tap

OFFLINE_TESTS = [
    "action-plugin-docs", "compile", "empty-init", "future-import-boilerplate",
    "ignores", "line-endings", "metaclass-boilerplate", "no-assert",
    "no-basestring", "no-dict-iteritems", "no-get-exception",
    "no-illegal-filenames", "no-main-display", "no-smart-quotes",
    "no-unicode-literals", "replace-urlopen", "shebang", "symlinks",
    "use-argspec-type-path", "use-compat-six",
]


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    ansible_test = shutil.which("ansible-test")
    if not ansible_test:
        print("1..0 # SKIP ansible-test is not installed (ansible-core, tools/install-deps)")
        return 0
    tap = Tap()
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"
    with tempfile.TemporaryDirectory(prefix="dibs-ansible-") as tmp:
        coll = os.path.join(tmp, "ansible_collections/dibs/dibs")
        shutil.copytree(os.path.join(sys.argv[1], "ansible"), coll,
                        ignore=shutil.ignore_patterns("__pycache__", "tests/output"))
        args = [ansible_test, "sanity", "--local", "--python", python]
        for test in OFFLINE_TESTS:
            args += ["--test", test]
        env = dict(os.environ, ANSIBLE_HOME=os.path.join(tmp, "home"),
                   HOME=tmp)
        run = subprocess.run(args, cwd=coll, env=env, capture_output=True,
                             text=True)
        tap.check(run.returncode == 0,
                  f"ansible-test sanity --local: {len(OFFLINE_TESTS)} offline tests",
                  run.stdout + run.stderr)

        out = os.path.join(tmp, "dist")
        run = subprocess.run(["ansible-galaxy", "collection", "build", "--output-path",
                              out, os.path.join(sys.argv[1], "ansible")],
                             env=env, capture_output=True, text=True)
        tarball = os.path.join(out, "dibs-dibs-0.1.0.tar.gz")
        tap.check(run.returncode == 0 and os.path.exists(tarball),
                  "ansible-galaxy collection build makes dibs-dibs-0.1.0.tar.gz",
                  run.stdout + run.stderr)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
