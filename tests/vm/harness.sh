#!/bin/bash
# Smoke suite for the VM harness itself (tools/dibs-vm and
# tests/run-vm-suites): the guest looks the way every other suite assumes.
# Run alone: tools/dibs-vm -- tests/vm/harness.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"

[ "${DIBS_VM:-}" = 1 ] || ktap_skip_all "not inside tools/dibs-vm"

ktap_plan 6

expect_success "dibs.ko is loaded" grep -qw '^dibs' /proc/modules

# The GNU build ID identifies the exact binary that was loaded.
test_module_is_ours() {
	local want got
	want=$(objcopy -O binary --only-section=.note.gnu.build-id \
		"$DIBS_MODULES/dibs.ko" /dev/stdout | od -An -tx1) || return
	got=$(od -An -tx1 /sys/module/dibs/notes/.note.gnu.build-id) || return
	check_eq "$want" "$got" "build ID note of the loaded dibs vs \$DIBS_MODULES/dibs.ko"
}
ktap_test "the loaded dibs.ko is \$DIBS_MODULES/dibs.ko" test_module_is_ours

ktap_test "/sys/class/dibs/lo exists" check_exists /sys/class/dibs/lo

expect_success "systemd-udevd runs" pgrep -x systemd-udevd

test_udev_monitor() {
	local log pid
	log=$(mktemp)
	udevadm monitor --udev --subsystem-match=dibs >"$log" &
	pid=$!
	# The header appears once the monitor listens.
	for _ in $(seq 50); do
		grep -q 'UDEV' "$log" && break
		sleep 0.1
	done
	udevadm trigger --action=change --settle /sys/class/dibs/lo
	sleep 0.5
	kill "$pid"
	wait "$pid" 2>/dev/null
	check_match 'change +/devices/virtual/dibs/lo' "$(cat "$log")" \
		"udevadm monitor output"
	local status=$?
	rm -f "$log"
	return "$status"
}
ktap_test "a triggered uevent reaches udevadm monitor" test_udev_monitor

test_out_writable() {
	local file=$DIBS_VM_OUT/harness-probe
	check_exists "$DIBS_VM_OUT" || return
	echo probe >"$file" || { ktap_diag "cannot write $file"; return 1; }
	check_file_eq "$file" $'probe\n' || return
	rm -f "$file"
}
ktap_test "\$DIBS_VM_OUT is writable" test_out_writable

ktap_finish
