#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dibsctl under valgrind against the real module (issue 13): show, -j
# show, add and del, client/dmb/gid/vlan/stats show, stats prometheus, a
# batch file, failing and refused commands and a monitor stopped by
# SIGINT each run under memcheck with --leak-check=full, and each must
# exit as it does without valgrind with no memory error and no definite
# leak (--errors-for-leak-kinds=definite makes those errors too).
# valgrind under TCG takes seconds per command: the set is kept small.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/dibsctl-valgrind.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require

CTL=/sys/kernel/debug/dibs_test_client/ctl
TC=dibs_test_client
VG_ERROR=99

command -v valgrind >/dev/null || {
	ktap_fail "valgrind is installed" "no valgrind (tools/install-deps installs it)"
	ktap_finish
}
[ -f "$DIBS_MODULES/$TC.ko" ] || {
	ktap_fail "$TC.ko is built" "$DIBS_MODULES/$TC.ko is missing"
	ktap_finish
}
ktap_cleanup sh -c "! [ -d /sys/module/$TC ] || rmmod $TC"
for name in vg1 vg2 vg3 vgmark; do
	ktap_cleanup sh -c "[ ! -e /sys/class/dibs/$name ] || '$DIBSCTL' del $name force"
done
WORK=$(mktemp -d)
ktap_cleanup rm -rf "$WORK"

# A device with two DMBs and a VLAN of dibs_test_client, so that every
# show has rows to print.
setup() {
	insmod "$DIBS_MODULES/$TC.ko" &&
		"$DIBSCTL" add loopback name vg1 >/dev/null &&
		echo "register vg1 2 8192" >"$CTL" &&
		echo "vlan-add vg1 5" >"$CTL" &&
		echo "move vg1 0 0 100 signal" >"$CTL"
}
if ! setup; then
	ktap_fail "load $TC, add vg1 with two DMBs and VLAN 5"
	ktap_finish
fi
ktap_cleanup sh -c "echo 'unregister vg1' >'$CTL' 2>/dev/null"

VG=(valgrind -q "--error-exitcode=$VG_ERROR" --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
	--num-callers=30)

# valgrind's findings in LOG as diagnostics; fails when there are any
# (exit VG_ERROR) or when dibsctl's exit status is not STATUS.
check_valgrind() { # STATUS LOG ARGS...
	local want=$1 log=$2
	shift 2
	if [ "$KTAP_STATUS" -eq "$VG_ERROR" ]; then
		ktap_diag "valgrind found memory errors or definite leaks in dibsctl $*:"
		while IFS= read -r line; do
			ktap_diag "$line"
		done <"$log"
		return 1
	fi
	[ -s "$log" ] && while IFS= read -r line; do
		ktap_diag "valgrind: $line"
	done <"$log"
	[ "$KTAP_STATUS" -eq "$want" ] || {
		ktap_diag "dibsctl $*: exit status: expected $want, got $KTAP_STATUS"
		ktap_diag "stdout: $KTAP_STDOUT"
		ktap_diag "stderr: $KTAP_STDERR"
		return 1
	}
}

# dibsctl ARGS under valgrind must exit STATUS, clean.
vg() { # STATUS ARGS...
	local want=$1 log=$WORK/valgrind.log
	shift
	rm -f "$log"
	run "${VG[@]}" --log-file="$log" "$DIBSCTL" "$@"
	check_valgrind "$want" "$log" "$@"
}

test_show() {
	vg 0 show || return
	check_match "[0-9]+: vg1: " "$KTAP_STDOUT" "show output"
}
ktap_test "show" test_show

test_json_show() {
	vg 0 -j -d -s show || return
	check_json_schema dev-list "$KTAP_STDOUT" "-j -d -s show"
}
ktap_test "-j -d -s show" test_json_show

test_add_del() {
	vg 0 add loopback name vg2 || return
	check_exists /sys/class/dibs/vg2 || return
	vg 0 dev del vg2 || return
	check_absent /sys/class/dibs/vg2
}
ktap_test "add loopback and dev del" test_add_del

test_objects() {
	local args
	for args in "client show" "-j dmb show" "gid show" "-p vlan show" \
		"stats show" "stats prometheus"; do
		# shellcheck disable=SC2086 # the words of one command
		vg 0 $args || return
		check_ne "" "$KTAP_STDOUT" "output of dibsctl $args" || return
	done
}
ktap_test "client, dmb, gid, vlan, stats show and stats prometheus" test_objects

test_batch() {
	printf '%s\n' "add loopback name 'vg3'  # quoted" "show vg3" \
		"client unbind $TC dev vg3" "client bind $TC dev \"vg3\"" \
		"del vg3" >"$WORK/batch"
	vg 0 -j -b "$WORK/batch" || return
	check_absent /sys/class/dibs/vg3
}
ktap_test "-j -b FILE with add, show, unbind, bind, del" test_batch

test_errors() {
	# Failed in the kernel (ENODEV with its extack message), refused by
	# the parser, refused batch.
	vg 1 del nosuchdev || return
	vg 1 client bind nosuchclient dev vg1 || return
	vg 2 dev add type loopback name "bad name" || return
	printf 'show\nshow "vg1\n' >"$WORK/bad"
	vg 2 -b "$WORK/bad"
}
ktap_test "failing and refused commands" test_errors

# monitor until SIGINT: it must see an event first (valgrind takes a while
# to start it), then exit 0 with all freed.
test_monitor() {
	local log=$WORK/monitor.valgrind out=$WORK/monitor.out pid i
	rm -f "$log"
	"${VG[@]}" --log-file="$log" "$DIBSCTL" monitor dev >"$out" 2>"$WORK/monitor.err" &
	pid=$!
	for i in $(seq 120); do
		"$DIBSCTL" add loopback name vgmark >/dev/null &&
			"$DIBSCTL" del vgmark >/dev/null || return
		grep -q vgmark "$out" && break
		sleep 0.5
	done
	kill -INT "$pid"
	KTAP_STATUS=0
	wait "$pid" || KTAP_STATUS=$?
	KTAP_STDOUT=$(head -n 5 "$out")
	KTAP_STDERR=$(cat "$WORK/monitor.err")
	check_valgrind 0 "$log" monitor dev || return
	check_match "vgmark" "$(cat "$out")" "monitor output (after $i tries)"
}
ktap_test "monitor dev until SIGINT" test_monitor

ktap_finish
