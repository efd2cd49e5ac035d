#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The bounded stress run of issue 13, run by tests/fuzz/kfuzz.sh:
#
#   stress.sh SECONDS      (in the dibs-vm guest, both clients loaded)
#
# For SECONDS, in parallel: loopback devices st0..st2 added and deleted,
# plain and forced, while dibs_test_client holds DMBs on them; dumps of
# every object (dibsctl -j show, client, dmb, gid, vlan, stats); both
# clients unbound (plain and forced) and bound again; dibs_test_client
# registering, moving into, and unregistering DMBs and VLANs; /dev/dibs
# transfers (dev_fuzz -T) killed with SIGKILL mid-transfer and started
# again; and, two thirds in, rmmod of dibs_test_client while all that
# runs, then insmod again.  SMC-D traffic is not part of it (optional in
# the brief; tests/smcd/smcd.sh covers dibs_smcd.ko under traffic).
#
# Fails (exit 1, "FAIL: " lines) when a dump fails, the running rmmod
# never succeeds, or, once everything stopped, a DMB is left anywhere, a
# stress device cannot be deleted without force, or the clients do not
# unload and load again.  Prints what it did as "stress: " lines.
# The loops run through "$loop" &, which shellcheck cannot follow.
# shellcheck disable=SC2317
set -u

secs=${1:?usage: stress.sh SECONDS}
build=${DIBS_BUILD_DIR:?DIBS_BUILD_DIR must name the meson build directory}
DIBSCTL=$build/cli/dibsctl/dibsctl
DEV_FUZZ=$build/tests/fuzz/dev_fuzz
CTL=/sys/kernel/debug/dibs_test_client/ctl
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
fail() {
	echo "FAIL: $*"
	failed=1
}

start=$SECONDS
end=$((SECONDS + secs))
running() { [ "$SECONDS" -lt "$end" ]; }

quiet() { "$@" >/dev/null 2>&1; }

loop_devices() {
	local i=0 adds=0 dels=0 forced=0 name
	while running; do
		name=st$((i % 3))
		quiet "$DIBSCTL" add loopback name "$name" && adds=$((adds + 1))
		quiet sh -c "echo 'register $name 3 8192' >$CTL"
		if ((i % 2)) && quiet "$DIBSCTL" del "$name"; then
			dels=$((dels + 1))
		elif quiet "$DIBSCTL" del "$name" force; then
			forced=$((forced + 1))
		fi
		i=$((i + 1))
	done
	echo "devices: $adds added, $dels deleted plainly, $forced forced" >"$out/devices"
}

loop_dumps() {
	local n=0 bad=0 cmd
	local cmds=("show" "-s show" "client show" "dmb show" "gid show"
		"vlan show" "stats show")
	while running; do
		for cmd in "${cmds[@]}"; do
			# shellcheck disable=SC2086 # cmd is words
			if ! "$DIBSCTL" -j $cmd >/dev/null 2>"$out/dump.err"; then
				bad=$((bad + 1))
				echo "dibsctl -j $cmd: $(cat "$out/dump.err")" >>"$out/dump.failures"
			fi
			n=$((n + 1))
		done
	done
	echo "dumps: $n, $bad failed" >"$out/dumps"
}

loop_bind() {
	local n=0 ok=0 client dev
	while running; do
		for client in dibs_test_client dibs_user; do
			for dev in sp0 st0 st1; do
				if ((n % 3)); then
					quiet "$DIBSCTL" client unbind "$client" dev "$dev" && ok=$((ok + 1))
				else
					quiet "$DIBSCTL" client unbind "$client" dev "$dev" force &&
						ok=$((ok + 1))
				fi
				quiet "$DIBSCTL" client bind "$client" dev "$dev" && ok=$((ok + 1))
				n=$((n + 2))
			done
		done
	done
	echo "bind/unbind: $n requests, $ok succeeded" >"$out/bind"
}

loop_test_client() {
	local n=0 dev
	while running; do
		for dev in sp0 st1 st2; do
			# the module may be away (rmmod below): errors are expected
			quiet sh -c "echo 'register $dev 4 16384' >$CTL
				echo 'move $dev $((RANDOM % 8)) 0 4096 signal' >$CTL
				echo 'vlan-add $dev $((RANDOM % 4))' >$CTL
				echo 'move $dev $((RANDOM % 8)) 8192 100' >$CTL
				echo 'vlan-del $dev $((RANDOM % 4))' >$CTL
				echo 'unregister $dev' >$CTL"
			n=$((n + 1))
		done
	done
	echo "dibs_test_client rounds: $n" >"$out/tc"
}

loop_transfers() {
	local kills=0 p1 p2
	while running; do
		"$DEV_FUZZ" -T -d sp0 >/dev/null 2>&1 &
		p1=$!
		"$DEV_FUZZ" -T -d st0 >/dev/null 2>&1 &
		p2=$!
		sleep "0.$((RANDOM % 9 + 1))"
		kill -KILL "$p1" "$p2" 2>/dev/null
		wait "$p1" "$p2" 2>/dev/null
		kills=$((kills + 2))
	done
	echo "/dev/dibs transfers killed with SIGKILL: $kills" >"$out/transfers"
}

"$DIBSCTL" add loopback name sp0 >/dev/null || {
	echo "FAIL: dibsctl add loopback name sp0"
	exit 1
}
pids=()
for loop in loop_devices loop_dumps loop_bind loop_test_client loop_transfers; do
	"$loop" &
	pids+=($!)
done

# rmmod of a client while everything runs, then back
sleep $((secs * 2 / 3))
unloaded=
for _ in $(seq 50); do
	if rmmod dibs_test_client 2>"$out/rmmod.err"; then
		unloaded=1
		break
	fi
	sleep 0.2
done
if [ -n "$unloaded" ]; then
	echo "stress: rmmod dibs_test_client under load at $((SECONDS - start)) s: ok"
	insmod "$DIBS_MODULES/dibs_test_client.ko" ||
		fail "insmod dibs_test_client.ko again under load"
else
	fail "rmmod dibs_test_client under load never succeeded: $(cat "$out/rmmod.err")"
fi
wait "${pids[@]}"
echo "stress: ran $((SECONDS - start)) s"
cat "$out"/devices "$out"/dumps "$out"/bind "$out"/tc "$out"/transfers 2>/dev/null |
	sed 's/^/stress: /'
if [ -s "$out/dump.failures" ]; then
	fail "$(wc -l <"$out/dump.failures") dumps failed, e.g.: $(head -3 "$out/dump.failures")"
fi

# Everything stopped: the test client lets its DMBs go, then no DMB may
# be left, and a stress device must go without force.
for dev in sp0 st0 st1 st2; do
	quiet sh -c "echo 'unregister $dev' >$CTL"
	quiet "$DIBSCTL" client bind dibs_user dev "$dev"
	quiet "$DIBSCTL" client bind dibs_test_client dev "$dev"
done
# (no python3 here: it takes seconds to start under TCG)
left=$("$DIBSCTL" -j show | grep -oE '"name": *"[^"]*"|"dmbs_in_use": *[1-9][0-9]*' |
	grep -B1 dmbs_in_use | xargs)
[ -z "$left" ] || fail "DMBs left after the stress run: $left"
left=$("$DIBSCTL" -j client show | grep -oE '"name": *"[^"]*"|"dmbs": *[1-9][0-9]*' |
	grep -B1 '"dmbs"' | xargs)
[ -z "$left" ] || fail "clients hold DMBs after the stress run: $left"
for dev in sp0 st0 st1 st2; do
	[ -e "/sys/class/dibs/$dev" ] || continue
	err=$("$DIBSCTL" del "$dev" 2>&1) || fail "dibsctl del $dev after the stress run: $err"
done

# unload, and load again
for ko in dibs_test_client dibs_user; do
	err=$(rmmod "$ko" 2>&1) || fail "rmmod $ko after the stress run: $err"
done
for ko in dibs_test_client dibs_user; do
	err=$(insmod "$DIBS_MODULES/$ko.ko" 2>&1) || fail "insmod $ko.ko again: $err"
done
echo "stress: SMC-D traffic: not run here (optional; tests/smcd/smcd.sh)"
exit "$failed"
