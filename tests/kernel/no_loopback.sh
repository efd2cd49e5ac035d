#!/bin/bash
# In the guest, with a dibs.ko built with DIBS_LO=n (no loopback kind): the
# module loads with no device and no default_loopback parameter, and
# dev-new of a loopback is refused with a message naming the cause and
# changes nothing.  Not in tests/vm-suites.list: it needs those modules;
# tests/kernel/no-loopback-test.sh builds them and runs it.
# Test functions run through ktap_test, which shellcheck cannot follow.
# shellcheck disable=SC2317
# shellcheck source=tests/kernel/common.sh
. "$(dirname "$0")/common.sh"
set -u

ktest_require
ktap_plan 3

test_no_device() {
	check_eq "" "$(sysfs_names)" "devices under $DIBS_CLASS" || return
	check_absent /sys/module/dibs/parameters/default_loopback
}
ktap_test "dibs.ko without loopback loads with no device" test_no_device

test_new_refused() {
	local before
	before=$(dibs_snapshot)
	check_nl_refused EOPNOTSUPP type new name ktnolo || return
	check_match 'no driver creates devices of' \
		"$(sed -n 's/^extack=//p' <<<"$KTAP_STDOUT")" "extack message" ||
		return
	check_eq "$before" "$(dibs_snapshot)" "devices after the refused dev-new"
}
ktap_test "dev-new of a loopback is refused: no driver for the type" \
	test_new_refused

test_unload() {
	check_status 0 rmmod dibs || return
	check_status 0 insmod "$DIBS_MODULES/dibs.ko" || return
	check_eq "" "$(sysfs_names)" "devices after loading again"
}
ktap_test "dibs.ko without loopback unloads and loads again" test_unload

ktap_finish
