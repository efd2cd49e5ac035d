#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the dibs project
# GNU General Public License v2.0 only (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
# SPDX-License-Identifier: GPL-2.0-only

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: client_binding
short_description: Bind dibs clients to dibs devices, or unbind them
version_added: "0.1.0"
description:
  - Binds a registered dibs client (a kernel module such as C(dibs_user) or
    C(dibs_smcd)) to a dibs device, or unbinds it, with
    C(dibsctl client bind) and C(dibsctl client unbind).
  - A binding that already holds is left alone.
  - The kernel binds a new device to every registered client. In check mode
    a device that an earlier task would create is taken to be bound so.
  - Needs root (CAP_NET_ADMIN) to change anything.
options:
  client:
    description:
      - Name of the client, or its id when no client has that name.
    type: str
    required: true
  device:
    description:
      - Name of the device, or its index when no device has that name.
    type: str
    required: true
  state:
    description:
      - C(bound) binds the client to the device; C(unbound) unbinds it.
    type: str
    choices: [bound, unbound]
    default: bound
  force:
    description:
      - With I(state=unbound), unbind even while the client holds DMBs on the
        device; the client drops them. Without it the kernel refuses (EBUSY).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
requirements:
  - dibsctl (from the dibs project) on the managed host
seealso:
  - module: dibs.dibs.device
  - module: dibs.dibs.info
author:
  - dibs project
'''

EXAMPLES = r'''
- name: /dev/dibs users get device lo1
  dibs.dibs.client_binding:
    client: dibs_user
    device: lo1

- name: SMC-D stops using lo
  dibs.dibs.client_binding:
    client: dibs_smcd
    device: lo
    state: unbound
'''

RETURN = r'''
client:
  description:
    - The client after the change as C(dibsctl -j client show) prints it
      (id, name, dmbs, devices); in check mode as it would be.
  returned: always
  type: dict
  sample:
    id: 0
    name: dibs_user
    dmbs: 0
    devices: [lo, lo1]
'''

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dibs.dibs.plugins.module_utils.dibsctl import Dibsctl


def run_module():
    module = AnsibleModule(
        argument_spec=dict(
            client=dict(type='str', required=True),
            device=dict(type='str', required=True),
            state=dict(type='str', default='bound',
                       choices=['bound', 'unbound']),
            force=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    )
    p = module.params
    dibsctl = Dibsctl(module)

    # dibsctl resolves ids and indexes; its error names what is missing.
    before = dibsctl.json(['client', 'show', p['client']])
    before = before[0] if before else {}
    devices = list(before.get('devices', []))
    dev = dibsctl.device(p['device'])
    if dev is None:
        # Not a name: an index, or a device that does not exist.
        rc, out, err = dibsctl.run(['-j', 'show', p['device']])
        if rc == 0:
            dev = json.loads(out)[0]
        elif not module.check_mode:
            dibsctl.fail(['-j', 'show', p['device']], rc, err)
    if dev is None:
        # Created by an earlier task that check mode did not run: the
        # kernel binds a new device to every registered client.
        module.warn('device %s does not exist yet; assuming that it will, '
                    'bound to every client' % p['device'])
        dev_name = p['device']
        bound = True
        before = dict(before, devices=devices + [dev_name])
    else:
        dev_name = dev['name']
        bound = dev_name in devices
    want = p['state'] == 'bound'
    result = dict(changed=False, client=before)
    if bound == want:
        module.exit_json(**result)

    after = dict(before)
    after['devices'] = (devices + [dev_name] if want
                        else [d for d in devices if d != dev_name])
    result.update(changed=True, client=after,
                  diff=dict(before=before, after=after))
    if not module.check_mode:
        if want:
            dibsctl.change(['client', 'bind', p['client'], 'dev', p['device']])
        else:
            dibsctl.change(['client', 'unbind', p['client'], 'dev', p['device']]
                           + (['force'] if p['force'] else []))
        now = dibsctl.json(['client', 'show', p['client']])
        result['client'] = now[0] if now else {}
        result['diff']['after'] = result['client']
    module.exit_json(**result)


def main():
    run_module()


if __name__ == '__main__':
    main()
