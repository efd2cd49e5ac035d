#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the dibs project
# GNU General Public License v2.0 only (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
# SPDX-License-Identifier: GPL-2.0-only

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: info
short_description: Read dibs devices, clients, DMBs and statistics
version_added: "0.1.0"
description:
  - Returns what C(dibsctl -j) shows of the dibs layer on the managed host -
    devices, clients, DMBs and statistics, as lists of dictionaries whose keys
    are those of dibsctl's JSON output (see dibsctl(8)).
  - Changes nothing. Unprivileged users see everything except DMB tokens.
options:
  gather:
    description:
      - What to read; the others are returned as empty lists.
    type: list
    elements: str
    choices: [devices, clients, dmbs, stats]
    default: [devices, clients, dmbs, stats]
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
requirements:
  - dibsctl (from the dibs project) on the managed host
seealso:
  - module: dibs.dibs.device
  - module: dibs.dibs.client_binding
author:
  - dibs project
'''

EXAMPLES = r'''
- name: Read everything
  dibs.dibs.info:
  register: dibs

- name: Names of the devices
  ansible.builtin.debug:
    msg: "{{ dibs.devices | map(attribute='name') | list }}"

- name: Only the statistics
  dibs.dibs.info:
    gather: [stats]
  register: dibs_stats
'''

RETURN = r'''
devices:
  description: Devices, as C(dibsctl -j show).
  returned: always
  type: list
  elements: dict
  sample:
    - index: 1
      name: lo
      type: loopback
      gid: 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d
      fabric_id: 65535
      max_dmbs: 5000
      dmbs_in_use: 0
      mmapped_rdmb: true
clients:
  description: Clients, as C(dibsctl -j client show).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0
      name: dibs_user
      dmbs: 0
      devices: [lo]
dmbs:
  description: DMBs, as C(dibsctl -j dmb show).
  returned: always
  type: list
  elements: dict
  sample: []
stats:
  description:
    - Statistics of every device, then of every client, as
      C(dibsctl -j stats show); C(dmbs_in_use) and C(dmbs_max_in_use) (the
      high-water mark) are gauges, the rest counters.
  returned: always
  type: list
  elements: dict
  sample:
    - dev_index: 1
      dev_name: lo
      dmbs_in_use: 0
      dmbs_max_in_use: 2
      dmb_registrations: 4
      dmb_unregistrations: 4
      dmb_fail_nospc: 0
      dmb_fail_nomem: 0
      dmb_fail_other: 0
      moves: 10
      move_bytes: 40960
      move_errors: 0
      signals: 10
      events: 0
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dibs.dibs.plugins.module_utils.dibsctl import Dibsctl

COMMANDS = {
    'devices': ['show'],
    'clients': ['client', 'show'],
    'dmbs': ['dmb', 'show'],
    'stats': ['stats', 'show'],
}


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            gather=dict(type='list', elements='str',
                        choices=list(COMMANDS),
                        default=list(COMMANDS)),
        ),
        supports_check_mode=True,
    )
    dibsctl = Dibsctl(module)
    result = dict(changed=False)
    for key, args in COMMANDS.items():
        result[key] = (dibsctl.json(args) or []) if key in module.params['gather'] else []
    module.exit_json(**result)


def main():
    run_module()


if __name__ == '__main__':
    main()
