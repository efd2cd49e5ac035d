#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The guest side of record-corpus: with dibs.ko loaded by tools/dibs-vm,
# makes objects of every kind and records what the module sends about
# them into DIR with record-nl-replies.
set -euo pipefail

dir=$1
build=$DIBS_BUILD_DIR
rec=$build/tests/fuzz-user/record-nl-replies
dibsctl=$build/cli/dibsctl/dibsctl
hold=$build/tests/cli/dibs-dmb-hold
ctl=/sys/kernel/debug/dibs_test_client/ctl
mkdir -p "$dir"

insmod "$DIBS_MODULES/dibs_test_client.ko"
insmod "$DIBS_MODULES/dibs_user.ko"

"$rec" "$dir" monitor 200 >"$dir.monitor" &
mon=$!
for _ in $(seq 100); do
	grep -q listening "$dir.monitor" 2>/dev/null && break
	sleep 0.1
done

"$dibsctl" add loopback name fz1 gid 6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d
"$dibsctl" add loopback name fz2
echo "register fz1 2 8192" >"$ctl"
echo "vlan-add fz1 5" >"$ctl"
echo "vlan-add fz1 7" >"$ctl"
echo "move fz1 0 0 100 signal" >"$ctl"
"$hold" fz2 1 4096 >"$dir.hold" &
holder=$!
for _ in $(seq 100); do
	[ -s "$dir.hold" ] && break
	sleep 0.1
done
"$dibsctl" client unbind dibs_test_client dev fz2
"$dibsctl" client bind dibs_test_client dev fz2

"$rec" "$dir" dumps

kill "$holder"
wait "$holder" || true
echo "vlan-del fz1 5" >"$ctl"
echo "unregister fz1" >"$ctl"
"$dibsctl" del fz2
"$dibsctl" del fz1 force
rmmod dibs_user
rmmod dibs_test_client
wait "$mon" || true
cat "$dir.monitor"
rm -f "$dir.monitor" "$dir.hold"
