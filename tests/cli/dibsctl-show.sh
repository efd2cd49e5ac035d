#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dibsctl show against the real module: plain text and JSON agree with
# /sys/class/dibs, JSON matches the schema, lookups by name and index,
# errors, and the sysfs fallback (DIBSCTL_SYSFS=1) agreeing with netlink.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/dibsctl-show.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require

GID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d

# A few devices besides lo, one with a GID we know.
setup() {
	"$DIBSCTL" add loopback name show1 >/dev/null &&
		"$DIBSCTL" add loopback name show2 gid "$GID" >/dev/null
}
if ! setup; then
	ktap_fail "set up devices show1 and show2"
	ktap_finish
fi
ktap_cleanup "$DIBSCTL" del show1
ktap_cleanup "$DIBSCTL" del show2

# show lists exactly the sysfs devices, one line each.
test_show_lists_sysfs() {
	local names
	check_status 0 "$DIBSCTL" show || return
	names=$(while read -r index name _; do
		[[ $index =~ ^[0-9]+:$ ]] || { echo "bad line: $index $name"; continue; }
		echo "${name%:}"
	done <<<"$KTAP_STDOUT" | sort)
	check_eq "$(sysfs_names)" "$names" "device names in 'dibsctl show'"
}
ktap_test "show lists exactly the devices of /sys/class/dibs" test_show_lists_sysfs

# Each plain line is built from the device's sysfs attributes.
test_plain_lines() {
	local name gid fabric index type max expected
	expected=$(while read -r name gid fabric index type max; do
		printf '%s: %s: type %s fabric_id 0x%04x gid %s\n' "$index" "$name" \
			"$type" "$fabric" "$gid"
	done < <(sysfs_devices) | sort)
	check_status 0 "$DIBSCTL" show || return
	check_eq "$expected" "$(sort <<<"$KTAP_STDOUT")" "dibsctl show vs sysfs"
}
ktap_test "plain line of every device matches sysfs" test_plain_lines

test_details_line() {
	local max
	max=$(cat /sys/class/dibs/show2/max_dmbs)
	check_status 0 "$DIBSCTL" -d show show2 || return
	check_eq "$(cat /sys/class/dibs/show2/index): show2: type loopback fabric_id 0xffff gid $GID
    max_dmbs $max dmbs_in_use 0 mmapped_rdmb yes" "$KTAP_STDOUT" "dibsctl -d show show2"
}
ktap_test "-d adds the details line" test_details_line

test_json_show_schema() {
	local args dir n=0 status=0
	dir=$(mktemp -d)
	for args in "-j show" "-p show" "-j show lo" "-j dev show show2" \
		"--json --details show" "-p show $(cat /sys/class/dibs/show1/index)"; do
		n=$((n + 1))
		# shellcheck disable=SC2086 # the words are the arguments
		"$DIBSCTL" $args >"$dir/$n.json" || {
			ktap_diag "dibsctl $args failed"
			status=1
		}
	done
	check_json_schema_files dev-list "$dir"/*.json || status=1
	rm -rf "$dir"
	return "$status"
}
ktap_test "show -j output matches the schema's dev-list" test_json_show_schema

# The JSON values are the sysfs ones, with fabric_id a plain number.
test_json_matches_sysfs() {
	local json
	check_status 0 "$DIBSCTL" -j show || return
	json=$(dibsjson table name gid fabric_id index type max_dmbs <<<"$KTAP_STDOUT" | sort)
	check_eq "$(sysfs_devices)" "$json" "dibsctl -j show vs sysfs (name gid fabric_id index type max_dmbs)"
}
ktap_test "show -j values match sysfs" test_json_matches_sysfs

test_json_every_key() {
	check_status 0 "$DIBSCTL" -j show show2 || return
	check_eq "dmbs_in_use fabric_id gid index max_dmbs mmapped_rdmb name type" \
		"$(dibsjson keys 0 <<<"$KTAP_STDOUT")" "keys of a device" || return
	check_eq "0 true" "$(dibsjson table dmbs_in_use mmapped_rdmb <<<"$KTAP_STDOUT")" \
		"dmbs_in_use mmapped_rdmb of a fresh loopback"
}
ktap_test "show -j reports every attribute" test_json_every_key

test_json_single_is_array() {
	check_status 0 "$DIBSCTL" -j show lo || return
	check_match '^\[\{.*\}\]$' "$KTAP_STDOUT" "dibsctl -j show lo"
}
ktap_test "show -j of one device is an array of one" test_json_single_is_array

test_by_index() {
	local index
	index=$(cat /sys/class/dibs/show2/index)
	check_status 0 "$DIBSCTL" -j show show2 || return
	local by_name=$KTAP_STDOUT
	check_status 0 "$DIBSCTL" -j show "$index" || return
	check_eq "$by_name" "$KTAP_STDOUT" "show $index vs show show2"
}
ktap_test "show by index equals show by name" test_by_index

test_pretty_same_document() {
	check_status 0 "$DIBSCTL" -j show || return
	local flat=$KTAP_STDOUT
	check_status 0 "$DIBSCTL" -p show || return
	check_eq "$(dibsjson get '' <<<"$flat")" "$(dibsjson get '' <<<"$KTAP_STDOUT")" \
		"-j vs -p, normalised" || return
	check_ne "1" "$(wc -l <<<"$KTAP_STDOUT")" "lines of -p output"
}
ktap_test "-p prints the same JSON, indented" test_pretty_same_document

# A missing device: exit 1, nothing on stdout, one stderr line carrying
# the kernel's extack message after the strerror text.
test_missing_device() {
	local dev status=0
	for dev in nosuch 4000000000; do
		check_status 1 "$DIBSCTL" show "$dev" || { status=1; continue; }
		check_eq "" "$KTAP_STDOUT" "stdout of show $dev" || status=1
		check_one_line "$KTAP_STDERR" "stderr of show $dev" || status=1
		check_match "^dibsctl: show $dev: No such device: .+" "$KTAP_STDERR" \
			"stderr of show $dev" || status=1
	done
	return "$status"
}
ktap_test "show of a missing device fails with the kernel's message" test_missing_device

test_show_usage_error() {
	check_status 2 "$DIBSCTL" show lo extra || return
	check_eq "" "$KTAP_STDOUT" "stdout" || return
	check_one_line "$KTAP_STDERR"
}
ktap_test "show with an extra argument is a usage error" test_show_usage_error

# The fallback reads only what upstream's sysfs has: name, gid, fabric_id.
test_sysfs_agrees() {
	local nl fs
	check_status 0 "$DIBSCTL" -j show || return
	nl=$(dibsjson table name gid fabric_id <<<"$KTAP_STDOUT" | sort)
	DIBSCTL_SYSFS=1 check_status 0 "$DIBSCTL" -j show || return
	check_json_schema dev-list "$KTAP_STDOUT" "DIBSCTL_SYSFS=1 dibsctl -j show" || return
	# The fourth column, index, is absent ("-") in the fallback.
	fs=$(dibsjson table name gid fabric_id index <<<"$KTAP_STDOUT" | sort)
	check_eq "${nl//$'\n'/ -$'\n'} -" "$fs" \
		"name gid fabric_id index: netlink (index left out) vs DIBSCTL_SYSFS=1"
}
ktap_test "sysfs fallback agrees with netlink on name, gid, fabric_id" test_sysfs_agrees

test_sysfs_plain() {
	DIBSCTL_SYSFS=1 check_status 0 "$DIBSCTL" -d show show2 || return
	check_eq "show2: fabric_id 0xffff gid $GID" "$KTAP_STDOUT" \
		"DIBSCTL_SYSFS=1 dibsctl -d show show2"
}
ktap_test "sysfs fallback plain line has no index, type or details" test_sysfs_plain

test_sysfs_read_only() {
	local before status=0
	before=$(sysfs_names)
	DIBSCTL_SYSFS=1 check_status 1 "$DIBSCTL" add loopback name ro1 || status=1
	check_match '^dibsctl: add loopback ro1: Operation not supported: .*read-only' \
		"$KTAP_STDERR" "stderr" || status=1
	DIBSCTL_SYSFS=1 check_status 1 "$DIBSCTL" del show1 || status=1
	check_match '^dibsctl: del show1: Operation not supported: .*read-only' \
		"$KTAP_STDERR" "stderr" || status=1
	check_eq "$before" "$(sysfs_names)" "devices after refused add/del" || status=1
	return "$status"
}
ktap_test "sysfs fallback refuses add and del, changing nothing" test_sysfs_read_only

test_sysfs_no_index() {
	local index
	index=$(cat /sys/class/dibs/show1/index)
	DIBSCTL_SYSFS=1 check_status 1 "$DIBSCTL" show "$index" || return
	check_match "^dibsctl: show $index: No such device" "$KTAP_STDERR" "stderr"
}
ktap_test "sysfs fallback finds devices by name only" test_sysfs_no_index

ktap_finish
