#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The example program of libdibsctl(3), compiled from the man page by the
# build (tests/unit/meson.build), run against the real module: it lists
# the devices with their GIDs, creates and deletes "example0", and exits
# 0 without leaving anything behind.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/libdibsctl-example.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require
EXAMPLE=$DIBS_BUILD_DIR/tests/unit/libdibsctl-example
ktap_cleanup sh -c "[ ! -e /sys/class/dibs/example0 ] || '$DIBSCTL' del example0"

test_example() {
	local before expected
	[ -x "$EXAMPLE" ] || {
		ktap_diag "$EXAMPLE is not built"
		return 1
	}
	before=$(sysfs_names)
	expected=$(for name in $before; do
		echo "$name $(cat "/sys/class/dibs/$name/gid")"
	done)
	check_status 0 "$EXAMPLE" || { ktap_diag "stderr: $KTAP_STDERR"; return 1; }
	check_eq "" "$KTAP_STDERR" "stderr of the example" || return
	check_eq "$expected" "$(sort <<<"$KTAP_STDOUT")" "devices the example lists" || return
	check_eq "$before" "$(sysfs_names)" "devices after the example"
}
ktap_test "the libdibsctl(3) example lists, adds and deletes" test_example

test_example_reports_errors() {
	# With example0 taken, the example's add fails and it says why.
	"$DIBSCTL" add loopback name example0 >/dev/null || return
	check_status 1 "$EXAMPLE" || return
	check_match '^add: File exists: .+' "$KTAP_STDERR" "stderr of the example" || return
	check_exists /sys/class/dibs/example0
}
ktap_test "the libdibsctl(3) example reports the kernel's message" test_example_reports_errors

ktap_finish
