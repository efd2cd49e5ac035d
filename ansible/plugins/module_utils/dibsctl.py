# -*- coding: utf-8 -*-
# Copyright: the dibs project
# GNU General Public License v2.0 only (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
# SPDX-License-Identifier: GPL-2.0-only
"""Running dibsctl -j for the dibs.dibs modules.

dibsctl's error line ("dibsctl: <what>: <strerror>: <kernel message>") is
what a failing module reports, so the kernel's message reaches the user.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json


class Dibsctl(object):
    """dibsctl on the managed host, for one module run."""

    def __init__(self, module):
        self.module = module
        self.path = module.get_bin_path(
            'dibsctl', required=True,
            opt_dirs=['/usr/sbin', '/usr/local/sbin', '/sbin'])

    def run(self, args):
        """Runs dibsctl ARGS; returns (rc, stdout, stderr)."""
        return self.module.run_command([self.path] + list(args),
                                       environ_update={'LC_ALL': 'C'})

    def fail(self, args, rc, err, **extra):
        msg = err.strip() or 'dibsctl exited with status %d' % rc
        self.module.fail_json(msg=msg, rc=rc, cmd=[self.path] + list(args),
                              stderr=err, **extra)

    def json(self, args):
        """Runs dibsctl -j ARGS and returns its parsed output."""
        argv = ['-j'] + list(args)
        rc, out, err = self.run(argv)
        if rc != 0:
            self.fail(argv, rc, err)
        if not out.strip():
            return None
        try:
            return json.loads(out)
        except ValueError as e:
            self.module.fail_json(msg='dibsctl printed no JSON: %s' % e,
                                  cmd=[self.path] + argv, stdout=out)

    def change(self, args):
        """Runs a changing command; fails the module when it fails."""
        rc, out, err = self.run(args)
        if rc != 0:
            self.fail(args, rc, err)
        return out

    def devices(self):
        return self.json(['show']) or []

    def device(self, name):
        for dev in self.devices():
            if dev.get('name') == name:
                return dev
        return None

    def clients(self):
        return self.json(['client', 'show']) or []

    def client(self, name):
        for client in self.clients():
            if client.get('name') == name or str(client.get('id')) == name:
                return client
        return None
