#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Kernel fuzzers and a stress run (issue 13), with dibs_user.ko and
# dibs_test_client.ko loaded: nl_fuzz on the "dibs" generic netlink family
# (as root and as nobody), dev_fuzz on /dev/dibs, then tests/fuzz/stress.sh.
# Afterwards no DMB and no device of theirs may be left, the clients must
# unload and load again, and the kernel log must hold no report.
#
#   DIBS_BUILD_DIR=build tools/dibs-vm [--debug] -- tests/run-vm-suites kfuzz
#
# Sizes, from the environment: DIBS_FUZZ_SEED (default 13),
# DIBS_FUZZ_NL_COUNT (netlink messages, default 100000),
# DIBS_FUZZ_IOCTL_COUNT (/dev/dibs operations, default 100000) and
# DIBS_FUZZ_STRESS_SECONDS (default 120).  Every kernel runs the same
# defaults: the suite took 142 s on 6.1, about as long on 6.12, and 275 s
# on the debug kernel (nl_fuzz 55 s, dev_fuzz 79 s, stress 128 s).
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
set -u

[ "${DIBS_VM:-}" = 1 ] || ktap_skip_all "not inside tools/dibs-vm"
build=${DIBS_BUILD_DIR:-}
[ -n "$build" ] || ktap_skip_all "DIBS_BUILD_DIR (the meson build directory) not set"
NL_FUZZ=$build/tests/fuzz/nl_fuzz
DEV_FUZZ=$build/tests/fuzz/dev_fuzz
NLREQ=$build/tests/kernel/dibs_nlreq
STRESS=$(dirname "$0")/stress.sh
seed=${DIBS_FUZZ_SEED:-13}
nl_count=${DIBS_FUZZ_NL_COUNT:-100000}
ioctl_count=${DIBS_FUZZ_IOCTL_COUNT:-100000}
stress_secs=${DIBS_FUZZ_STRESS_SECONDS:-120}
for v in seed nl_count ioctl_count stress_secs; do
	[[ ${!v} =~ ^[0-9]+$ ]] || {
		ktap_fail "DIBS_FUZZ settings" "$v: '${!v}' is not a whole number"
		ktap_finish
	}
done

ktap_plan 6
for f in "$NL_FUZZ" "$DEV_FUZZ" "$NLREQ" "$DIBS_MODULES/dibs_user.ko" \
	"$DIBS_MODULES/dibs_test_client.ko"; do
	[ -e "$f" ] || {
		ktap_fail "the fuzzers and clients are built" "$f is missing"
		ktap_finish
	}
done

# The runner reloads only dibs.ko: the clients go at the end.
ktap_cleanup sh -c '! [ -d /sys/module/dibs_test_client ] || rmmod dibs_test_client'
ktap_cleanup sh -c '! [ -d /sys/module/dibs_user ] || rmmod dibs_user'
ktap_cleanup sh -c "[ ! -e /sys/class/dibs/fzio ] || '$NLREQ' del fzio force >/dev/null"
if ! insmod "$DIBS_MODULES/dibs_test_client.ko" ||
	! insmod "$DIBS_MODULES/dibs_user.ko"; then
	ktap_fail "load dibs_test_client and dibs_user"
	ktap_finish
fi
dmesg_start=$(dmesg | wc -l)
suite_start=$SECONDS
summary=()

# Runs a fuzzer, shows its output as diagnostics, keeps its last lines.
run_tool() { # NAME CMD...
	local name=$1 status=0 t0=$SECONDS
	shift
	"$@" >"$out" 2>&1 || status=$?
	sed 's/^/# /' "$out"
	summary+=("$name: $((SECONDS - t0)) s, exit $status")
	summary+=("$(grep -E '^(nl_fuzz|dev_fuzz|stress): ' "$out" | grep -vE 'seed [0-9]+, count' || true)")
	[ "$status" -eq 0 ] || ktap_diag "$name exited $status"
	return "$status"
}
out=$(mktemp)
ktap_cleanup rm -f "$out"

# DMBs of dibs_test_client on lo while nl_fuzz runs, so that nobody's
# dmb-get dumps have tokens to leave out.
test_nl_fuzz() {
	local status=0
	echo "register lo 3 4096" >/sys/kernel/debug/dibs_test_client/ctl || {
		ktap_diag "dibs_test_client cannot register DMBs on lo"
		return 1
	}
	run_tool nl_fuzz "$NL_FUZZ" -s "$seed" -n "$nl_count" || status=$?
	echo "unregister lo" >/sys/kernel/debug/dibs_test_client/ctl || status=1
	return "$status"
}
ktap_test "netlink fuzzer: $nl_count messages, root and nobody, replies checked" \
	test_nl_fuzz

test_dev_fuzz() {
	"$NLREQ" new name fzio >/dev/null || {
		ktap_diag "dibs_nlreq new name fzio failed"
		return 1
	}
	run_tool dev_fuzz "$DEV_FUZZ" -s "$seed" -n "$ioctl_count" -d fzio || return
	# closed files leave nothing: a plain delete must work
	check_status 0 "$NLREQ" del fzio
}
ktap_test "/dev/dibs fuzzer: $ioctl_count operations, fzio deleted without force afterwards" \
	test_dev_fuzz

ktap_test "stress run of $stress_secs s: devices, dumps, binding, DMBs, SIGKILL, rmmod" \
	run_tool stress "$STRESS" "$stress_secs"

test_nothing_left() {
	local devs
	check_nl_dump_clean() {
		local line
		while read -r line; do
			case $line in
			*" dmbs_in_use=0 "*) ;;
			*) ktap_diag "DMBs left: $line"; return 1 ;;
			esac
		done
	}
	devs=$("$NLREQ" dump) || return
	check_nl_dump_clean <<<"$devs" || return
	check_eq lo "$(awk '{ sub("name=", "", $2); print $2 }' <<<"$devs" | xargs)" \
		"devices left after the fuzzers and the stress run"
}
ktap_test "no DMB and no device of the fuzzers or the stress run left" \
	test_nothing_left

test_reload() {
	check_status 0 rmmod dibs_user || return
	check_status 0 rmmod dibs_test_client || return
	check_status 0 insmod "$DIBS_MODULES/dibs_test_client.ko" || return
	check_status 0 insmod "$DIBS_MODULES/dibs_user.ko" || return
	check_status 0 rmmod dibs_user || return
	check_status 0 rmmod dibs_test_client
}
ktap_test "the clients unload and load again" test_reload

test_kernel_log() {
	local reports
	reports=$(dmesg | tail -n +"$((dmesg_start + 1))" |
		grep -E 'BUG:|WARNING:|Oops|general protection|UBSAN:|KASAN:|kmemleak|lockdep|possible recursive|circular locking' || true)
	[ -z "$reports" ] || {
		ktap_diag "kernel reports during the suite:"
		head -40 <<<"$reports" | while IFS= read -r line; do
			ktap_diag "  $line"
		done
		return 1
	}
}
ktap_test "no kernel report in the log" test_kernel_log

ktap_diag "summary (seed $seed, $((SECONDS - suite_start)) s in all):"
for entry in "${summary[@]}"; do
	while IFS= read -r line; do
		[ -z "$line" ] || ktap_diag "  $line"
	done <<<"$entry"
done
ktap_finish
