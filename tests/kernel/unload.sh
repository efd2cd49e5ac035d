#!/bin/bash
# Unloading dibs.ko with devices present (and after a client that held DMBs
# was removed first, as module references require) succeeds, announces
# every device's removal, takes /sys/class/dibs and the genetlink family
# with it and leaves no WARNING or BUG in the kernel log; loading it again
# gives a fresh lo, and default_loopback=0 gives none.
# Run alone: tools/dibs-vm -- tests/kernel/unload.sh (see README)
# Test functions run through ktap_test, which shellcheck cannot follow.
# shellcheck disable=SC2317
# shellcheck source=tests/kernel/common.sh
. "$(dirname "$0")/common.sh"
set -u

ktest_require
ktap_plan 14

client=dibs_test_client
client_ctl_file=/sys/kernel/debug/$client/ctl

module_loaded() { # NAME
	grep -q "^$1 " /proc/modules
}

# Whatever happened, leave dibs loaded as the runner expects (it reloads
# it before the next suite) and the client gone.
restore_modules() {
	! module_loaded "$client" || rmmod "$client"
	module_loaded dibs || insmod "$DIBS_MODULES/dibs.ko"
}
ktap_cleanup restore_modules

ktest_dmesg_mark

test_devices_with_dmbs() {
	local name
	for name in lo1 lo2 ktunload; do
		check_nl_ok new name "$name" || return
	done
	check_status 0 insmod "$DIBS_MODULES/$client.ko" || return
	echo "register lo1 2 4096" >"$client_ctl_file" || return
	echo "register lo 1 4096" >"$client_ctl_file" || return
	check_nl_ok get lo1 || return
	check_eq 2 "$(nl_field "$KTAP_STDOUT" dmbs_in_use)" "dmbs-in-use of lo1"
}
ktap_test "four devices, the test client holding DMBs on two" \
	test_devices_with_dmbs

test_rmmod_refused_while_client() {
	local before
	before=$(dibs_snapshot)
	run rmmod dibs
	check_ne 0 "$KTAP_STATUS" "rmmod dibs exit status while $client uses it" ||
		return
	module_loaded dibs || { ktap_diag "dibs is gone anyway"; return 1; }
	check_eq "$before" "$(dibs_snapshot)" "devices after the refused rmmod"
}
ktap_test "rmmod dibs is refused while the client module uses it" \
	test_rmmod_refused_while_client

test_rmmod_client() {
	check_status 0 rmmod "$client" || return
	check_nl_ok get lo1 || return
	check_eq 0 "$(nl_field "$KTAP_STDOUT" dmbs_in_use)" "dmbs-in-use of lo1"
}
ktap_test "removing the client first releases its DMBs" test_rmmod_client

ntf=$(mktemp)
ktap_cleanup rm -f "$ntf"
test_rmmod_with_devices() {
	"$NLREQ" monitor 4 5000 >"$ntf" &
	monitor_pid=$!
	for _ in $(seq 50); do
		grep -q '^ready' "$ntf" && break
		sleep 0.1
	done
	check_status 0 rmmod dibs || return
	! module_loaded dibs || { ktap_diag "dibs still in /proc/modules"; return 1; }
	check_absent /sys/module/dibs
}
ktap_test "rmmod dibs with four devices present succeeds" \
	test_rmmod_with_devices

test_unload_notifies() {
	local names
	wait "$monitor_pid"
	names=$(sed -n 's/^dev-del-ntf index=[0-9]* name=\([^ ]*\) .*/\1/p' "$ntf" |
		sort | tr '\n' ' ')
	check_eq "ktunload lo lo1 lo2 " "$names" \
		"devices announced by dev-del-ntf during unload" || {
		ktap_diag "monitor output: $(cat "$ntf")"
		return 1
	}
}
ktap_test "the unload sends dev-del-ntf for every device" test_unload_notifies

ktap_test "/sys/class/dibs is gone" check_absent "$DIBS_CLASS"

test_family_gone() {
	check_status 3 "$NLREQ" family || return
	run genl ctrl get name dibs
	check_ne 0 "$KTAP_STATUS" "exit status of genl ctrl get name dibs"
}
ktap_test "the dibs genetlink family is gone" test_family_gone

ktap_test "no WARNING or BUG in the kernel log after the unload" \
	check_dmesg_clean

# A fresh load: only lo, and a working family.
check_fresh_lo() {
	check_nl_ok dump || return
	check_eq 1 "$(wc -l <<<"$KTAP_STDOUT")" "devices in the dump" || return
	check_eq lo "$(nl_field "$KTAP_STDOUT" name)" "the device's name" || return
	check_eq 0 "$(nl_field "$KTAP_STDOUT" dmbs_in_use)" "lo dmbs-in-use" ||
		return
	check_eq lo "$(sysfs_names)" "entries under $DIBS_CLASS"
}

test_reload() {
	check_status 0 insmod "$DIBS_MODULES/dibs.ko" || return
	check_fresh_lo
}
ktap_test "insmod again gives a fresh lo" test_reload

test_no_default_loopback() {
	check_status 0 rmmod dibs || return
	check_status 0 insmod "$DIBS_MODULES/dibs.ko" default_loopback=0 ||
		return
	check_exists "$DIBS_CLASS" || return
	check_eq "" "$(sysfs_names)" "entries under $DIBS_CLASS" || return
	check_nl_ok dump || return
	check_eq "" "$KTAP_STDOUT" "dump with default_loopback=0"
}
ktap_test "default_loopback=0 gives no lo" test_no_default_loopback

test_new_without_lo() {
	check_nl_ok new || return
	check_eq lo1 "$(nl_field "$KTAP_STDOUT" name)" "default name" || return
	check_eq lo1 "$(sysfs_names)" "entries under $DIBS_CLASS"
}
ktap_test "without lo, dev-new still works and picks lo1" test_new_without_lo

test_reload_again() {
	check_status 0 rmmod dibs || return
	check_absent "$DIBS_CLASS" || return
	check_status 0 insmod "$DIBS_MODULES/dibs.ko" || return
	check_fresh_lo
}
ktap_test "rmmod and insmod once more: lo is back" test_reload_again

test_add_del_after_reload() {
	check_nl_ok new name ktafter || return
	check_nl_ok del ktafter || return
	check_eq lo "$(sysfs_names)" "entries under $DIBS_CLASS"
}
ktap_test "devices come and go after the reloads" test_add_del_after_reload

ktap_test "no WARNING or BUG in the kernel log at the end" check_dmesg_clean

ktap_finish
