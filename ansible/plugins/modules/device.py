#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the dibs project
# GNU General Public License v2.0 only (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
# SPDX-License-Identifier: GPL-2.0-only

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: device
short_description: Manage dibs loopback devices
version_added: "0.1.0"
description:
  - Creates or deletes a dibs loopback device on the managed host with
    C(dibsctl add loopback) and C(dibsctl del).
  - A device that exists with another GID or of another type is reported as
    a failure and left as it is; it is never silently replaced.
  - Needs the dibs kernel module loaded and root (CAP_NET_ADMIN) to change
    anything.
options:
  name:
    description:
      - Name of the device, 1 to 15 of C(A-Z a-z 0-9 _ . -).
    type: str
    required: true
  state:
    description:
      - C(present) creates the device when it is missing; C(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  gid:
    description:
      - GID of the device, a UUID. When it is left out a new device gets a
        random GID and an existing one keeps its own.
      - Only with I(state=present).
    type: str
  force:
    description:
      - With I(state=absent), delete the device even while clients hold DMBs
        on it (C(dibsctl del NAME force)); the clients drop it first.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
requirements:
  - dibsctl (from the dibs project) on the managed host
notes:
  - The modules run C(dibsctl -j); they do not speak netlink themselves.
seealso:
  - module: dibs.dibs.client_binding
  - module: dibs.dibs.info
author:
  - dibs project
'''

EXAMPLES = r'''
- name: A loopback device with a fixed GID
  dibs.dibs.device:
    name: lo1
    gid: 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d

- name: Delete it, even while clients hold DMBs on it
  dibs.dibs.device:
    name: lo1
    state: absent
    force: true
'''

RETURN = r'''
device:
  description:
    - The device as C(dibsctl -j show) prints it (index, name, type, gid,
      fabric_id, max_dmbs, dmbs_in_use, mmapped_rdmb); empty when it is absent.
  returned: always
  type: dict
  sample:
    index: 2
    name: lo1
    type: loopback
    gid: 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d
    fabric_id: 65535
    max_dmbs: 5000
    dmbs_in_use: 0
    mmapped_rdmb: true
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dibs.dibs.plugins.module_utils.dibsctl import Dibsctl


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            state=dict(type='str', default='present',
                       choices=['present', 'absent']),
            gid=dict(type='str'),
            force=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    name = module.params['name']
    state = module.params['state']
    gid = module.params['gid']
    if gid is not None:
        gid = gid.lower()
        if state == 'absent':
            module.fail_json(msg='gid is only for state=present')

    dibsctl = Dibsctl(module)
    before = dibsctl.device(name)
    result = dict(changed=False, device=before or {})

    if state == 'present' and before is not None:
        if before.get('type') not in (None, 'loopback'):
            module.fail_json(msg='device %s exists as type %s, not loopback; left unchanged'
                             % (name, before.get('type')), **result)
        if gid is not None and before.get('gid') != gid:
            module.fail_json(msg='device %s exists with gid %s, not %s; left unchanged'
                             % (name, before.get('gid'), gid), **result)
        module.exit_json(**result)
    if state == 'absent' and before is None:
        module.exit_json(**result)

    result['changed'] = True
    if state == 'present':
        wanted = dict(name=name, type='loopback')
        if gid is not None:
            wanted['gid'] = gid
        result['diff'] = dict(before={}, after=wanted)
        if not module.check_mode:
            args = ['add', 'loopback', 'name', name]
            if gid is not None:
                args += ['gid', gid]
            result['device'] = dibsctl.json(args) or {}
            result['diff']['after'] = result['device']
        else:
            result['device'] = wanted
    else:
        result['diff'] = dict(before=before, after={})
        result['device'] = {}
        if not module.check_mode:
            args = ['del', name] + (['force'] if module.params['force'] else [])
            dibsctl.change(args)
    module.exit_json(**result)


def main():
    run_module()


if __name__ == '__main__':
    main()
