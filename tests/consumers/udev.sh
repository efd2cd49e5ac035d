#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The udev rules (data/60-dibs.rules) and the group of data/sysusers-dibs.conf
# under the real systemd-udevd of the VM: /dev/dibs is root:dibs 0660 once
# dibs_user.ko loads, a member of dibs runs dibsperf without root and a
# non-member is refused, dibs devices carry TAG systemd and the properties
# DIBS_TYPE, DIBS_GID and DIBS_FABRIC_ID, and udevadm test applies the rules.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/consumers/udev.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/../cli/common.sh"
# shellcheck source=tests/consumers/common.sh
. "$(dirname "$0")/common.sh"

cli_require
pidof systemd-udevd >/dev/null || ktap_skip_all "systemd-udevd is not running"
ktap_plan 8

ktap_test "systemd-sysusers creates group dibs" create_dibs_group
install_udev_rules || {
	ktap_fail "udev rules installed"
	ktap_finish
}
ktap_cleanup sh -c "$(printf '%q' "$DIBSCTL") del udevlo0 >/dev/null 2>&1 || :"

test_dev_dibs_mode() {
	[ ! -d /sys/module/dibs_user ] || rmmod dibs_user || return
	load_dibs_user || return
	udevadm settle --timeout=60 || return
	check_eq "root dibs 660" "$(stat -c '%U %G %a' /dev/dibs)" \
		"owner, group and mode of /dev/dibs"
}
ktap_test "/dev/dibs is root:dibs 0660 after dibs_user.ko loads" \
	test_dev_dibs_mode

gid=$(getent group dibs | cut -d: -f3)
as_member=(setpriv --reuid=nobody --regid=nogroup --groups="${gid:-0}"
	--inh-caps=-all --bounding-set=-all --)
as_other=(setpriv --reuid=nobody --regid=nogroup --clear-groups
	--inh-caps=-all --bounding-set=-all --)

test_member_runs_dibsperf() {
	check_status 0 "${as_member[@]}" "$DIBSPERF" -d lo -m copy -s 64 -t 0.2 ||
		{ ktap_diag "$KTAP_STDERR"; return 1; }
}
ktap_test "a member of dibs (not root) runs dibsperf" test_member_runs_dibsperf

test_other_refused() {
	run "${as_other[@]}" "$DIBSPERF" -d lo -m copy -s 64 -t 0.2
	check_ne 0 "$KTAP_STATUS" "exit status of dibsperf as a non-member" ||
		return
	check_match 'Permission denied' "$KTAP_STDERR" "its error"
}
ktap_test "a user outside dibs is refused /dev/dibs" test_other_refused

# A device made after the rules are in force, so its uevent met them.
test_udevadm_info() {
	local props sysgid
	check_status 0 "$DIBSCTL" add loopback name udevlo0 || return
	udevadm settle --timeout=60 || return
	read -r sysgid </sys/class/dibs/udevlo0/gid || return
	props=$(udevadm info --query=property /sys/class/dibs/udevlo0) || return
	check_match $'(^|\n)DIBS_TYPE=loopback(\n|$)' "$props" "DIBS_TYPE" &&
		check_match $'(^|\n)DIBS_GID='"$sysgid"$'(\n|$)' "$props" "DIBS_GID" &&
		check_match $'(^|\n)DIBS_FABRIC_ID=0xffff(\n|$)' "$props" \
			"DIBS_FABRIC_ID" &&
		check_match $'(^|\n)TAGS=[^\n]*:systemd:' "$props" "TAGS"
}
ktap_test "udevadm info: DIBS_TYPE, DIBS_GID, DIBS_FABRIC_ID and tag systemd" \
	test_udevadm_info

test_udevadm_test_dev() {
	check_status 0 udevadm test /sys/class/dibs/lo || return
	local all=$KTAP_STDOUT$'\n'$KTAP_STDERR
	check_match '60-dibs\.rules' "$all" "udevadm test names our rules file" &&
		check_match $'(^|\n)TAGS=[^\n]*:systemd:' "$all" "the tag it sets"
}
ktap_test "udevadm test /sys/class/dibs/lo applies TAG+=systemd" \
	test_udevadm_test_dev

test_udevadm_test_misc() {
	check_status 0 udevadm test /sys/class/misc/dibs || return
	local all=$KTAP_STDOUT$'\n'$KTAP_STDERR
	check_match '60-dibs\.rules:[0-9]+ GROUP' "$all" \
		"udevadm test sets the group from our rules" &&
		check_match '60-dibs\.rules:[0-9]+ MODE 0660' "$all" \
			"and the mode"
}
ktap_test "udevadm test /sys/class/misc/dibs applies GROUP and MODE" \
	test_udevadm_test_misc

# A user's own rule on the documented properties (the dibsctl(8) example).
test_own_rule() {
	printf '%s\n' 'SUBSYSTEM=="dibs", ENV{DIBS_TYPE}=="loopback", ENV{DIBS_FABRIC_ID}=="0xffff", ENV{SYSTEMD_WANTS}+="dibs-app@%k.service"' \
		>/run/udev/rules.d/61-dibs-test.rules || return
	udevadm control --reload || return
	check_status 0 udevadm test /sys/class/dibs/lo || return
	rm -f /run/udev/rules.d/61-dibs-test.rules
	udevadm control --reload
	check_match $'(^|\n)SYSTEMD_WANTS=dibs-app@lo\\.service(\n|$)' \
		"$KTAP_STDOUT"$'\n'"$KTAP_STDERR" "the unit the rule asks for"
}
ktap_test "a rule matching DIBS_TYPE and DIBS_FABRIC_ID applies" test_own_rule

stage_time udev
ktap_finish
