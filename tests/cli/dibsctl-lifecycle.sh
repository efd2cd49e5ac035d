#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dibsctl add and del against the real module: round trips, add printing
# the created device (plain and -j), errors carrying the kernel's extack
# message (and attribute with -d), exit codes 0/1/2 with nothing changed
# on failure, EBUSY and force with DMBs held by dibs_test_client, missing
# CAP_NET_ADMIN, and batch files.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/dibsctl-lifecycle.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require

GID_UPPER=5A4B3C2D-1E0F-4A9B-8C7D-6E5F4A3B2C1D
GID=${GID_UPPER,,}
ZERO_GID=00000000-0000-0000-0000-000000000000

# Devices the suite creates are removed at exit whatever happened.
for name in lc1 lc2 lc3 lc4 lc5 lcbusy b1 b2 b3 b4 b5 b6 b7 b8; do
	ktap_cleanup sh -c "[ ! -e /sys/class/dibs/$name ] || '$DIBSCTL' del $name force"
done

# The stderr of a failed operation: one line, the strerror text, then
# the kernel's message (not empty).
check_op_error() { # WHAT STRERROR
	[ "$KTAP_STATUS" -eq 1 ] || {
		ktap_diag "exit status: expected 1, got $KTAP_STATUS"
		return 1
	}
	check_eq "" "$KTAP_STDOUT" "stdout of a failed command" || return
	check_one_line "$KTAP_STDERR" "stderr" || return
	check_match "^dibsctl: $1: $2: [^ ].*$" "$KTAP_STDERR" "stderr"
}

test_add_prints_like_show() {
	check_status 0 "$DIBSCTL" add loopback name lc1 || return
	local added=$KTAP_STDOUT
	check_exists /sys/class/dibs/lc1 || return
	check_status 0 "$DIBSCTL" show lc1 || return
	check_eq "$KTAP_STDOUT" "$added" "add output vs show lc1"
}
ktap_test "add loopback prints the new device as show does" test_add_prints_like_show

test_add_json_object() {
	check_status 0 "$DIBSCTL" -j dev add type loopback name lc2 gid "$GID_UPPER" || return
	local added=$KTAP_STDOUT
	check_json_schema dev "$added" "dibsctl -j dev add" || return
	check_eq "lc2 $GID 65535 loopback 0" \
		"$(dibsjson table name gid fabric_id type dmbs_in_use <<<"[$added]")" \
		"name gid fabric_id type dmbs_in_use of the added device" || return
	check_eq "$(cat /sys/class/dibs/lc2/index)" "$(dibsjson get index <<<"$added")" \
		"index vs sysfs" || return
	check_status 0 "$DIBSCTL" -j show lc2 || return
	check_eq "$(dibsjson get 0 <<<"$KTAP_STDOUT")" "$(dibsjson get '' <<<"$added")" \
		"add -j object vs show -j lc2"
}
ktap_test "-j add prints the created object, as show -j has it" test_add_json_object

test_default_name_random_gid() {
	local name gid
	check_status 0 "$DIBSCTL" -j add loopback || return
	name=$(dibsjson get name <<<"$KTAP_STDOUT")
	gid=$(dibsjson get gid <<<"$KTAP_STDOUT")
	ktap_cleanup "$DIBSCTL" del "$name"
	check_match '^lo[0-9]+$' "$name" "default name" || return
	check_ne "$ZERO_GID" "$gid" "default gid" || return
	check_file_eq "/sys/class/dibs/$name/gid" "$gid"$'\n'
}
ktap_test "add without name or gid gets loN and a random GID" test_default_name_random_gid

test_del_by_name() {
	check_status 0 "$DIBSCTL" del lc1 || return
	check_eq "" "$KTAP_STDOUT" "stdout of del" || return
	check_eq "" "$KTAP_STDERR" "stderr of del" || return
	check_absent /sys/class/dibs/lc1 || return
	check_status 1 "$DIBSCTL" show lc1
}
ktap_test "del by name removes the device silently" test_del_by_name

test_del_by_index() {
	local index
	index=$(cat /sys/class/dibs/lc2/index) || return
	check_status 0 "$DIBSCTL" dev del "$index" || return
	check_absent /sys/class/dibs/lc2
}
ktap_test "del by index removes the device" test_del_by_index

test_round_trip() {
	local before
	before=$(sysfs_names)
	check_status 0 "$DIBSCTL" add loopback name lc3 gid "$GID" || return
	check_status 0 "$DIBSCTL" -j show || return
	check_eq "lc3 $GID" "$(dibsjson table name gid <<<"$KTAP_STDOUT" | grep '^lc3 ')" \
		"lc3 in show -j" || return
	check_status 0 "$DIBSCTL" del lc3 || return
	check_eq "$before" "$(sysfs_names)" "devices after add and del"
}
ktap_test "add, show, del round trip leaves the devices as they were" test_round_trip

test_name_taken() {
	local before
	"$DIBSCTL" add loopback name lc3 >/dev/null || return
	before=$(sysfs_devices)
	run "$DIBSCTL" add loopback name lc3
	check_op_error "add loopback lc3" "File exists" || return
	check_eq "$before" "$(sysfs_devices)" "devices after the refused add"
}
ktap_test "a taken name fails with EEXIST and the kernel's message" test_name_taken

test_gid_taken() {
	local gid
	gid=$(cat /sys/class/dibs/lc3/gid)
	run "$DIBSCTL" add loopback name lc4 gid "$gid"
	check_op_error "add loopback lc4" "File exists" || return
	check_absent /sys/class/dibs/lc4
}
ktap_test "a taken GID fails with EEXIST and the kernel's message" test_gid_taken

# With -d the offending netlink attribute is named too.
test_details_name_attribute() {
	run "$DIBSCTL" -d add loopback name lc3
	check_op_error "add loopback lc3" "File exists" || return
	check_match ' \(attribute name\)$' "$KTAP_STDERR" "stderr with -d" || return
	run "$DIBSCTL" add loopback name lc3
	[[ $KTAP_STDERR != *"(attribute"* ]] || {
		ktap_diag "without -d the attribute is named: $KTAP_STDERR"
		return 1
	}
}
ktap_test "-d names the offending attribute" test_details_name_attribute

test_zero_gid() {
	local before
	before=$(sysfs_devices)
	run "$DIBSCTL" -d add loopback name lc4 gid "$ZERO_GID"
	check_op_error "add loopback lc4" "Invalid argument" || return
	check_match ' \(attribute gid\)$' "$KTAP_STDERR" "stderr with -d" || return
	check_eq "$before" "$(sysfs_devices)" "devices after the refused add"
}
ktap_test "an all-zero GID fails with EINVAL, naming the gid" test_zero_gid

test_del_missing() {
	local dev status=0
	for dev in nosuch 4000000000; do
		run "$DIBSCTL" del "$dev"
		check_op_error "del $dev" "No such device" || status=1
	done
	return "$status"
}
ktap_test "del of a missing device fails with ENODEV and the kernel's message" test_del_missing

# Usage errors exit 2, print one line and change nothing.
test_usage_errors() {
	local before status=0 args
	before=$(sysfs_devices)
	while IFS= read -r args; do
		# shellcheck disable=SC2086 # the words are the arguments
		check_status 2 "$DIBSCTL" $args || { status=1; continue; }
		check_eq "" "$KTAP_STDOUT" "stdout of dibsctl $args" || status=1
		check_one_line "$KTAP_STDERR" "stderr of dibsctl $args" || status=1
	done <<'EOF_ARGS'
frob
dev frob
dev ad type loopback name lc5
-S show
--statistics show
add loopback name lc5/x
add loopback name lc5 gid 12345
add loopback name abcdefghijklmnop
add other name lc5
add loopback name lc5 nmae lc5
add loopback name lc5 name lc5
dev add name lc5
del
del lc3 forced
del lc3 force force
EOF_ARGS
	check_eq "$before" "$(sysfs_devices)" "devices after the usage errors" || status=1
	return "$status"
}
ktap_test "usage errors exit 2 with one line and change nothing" test_usage_errors

test_unprivileged() {
	local before status=0
	command -v setpriv >/dev/null || {
		ktap_skip_reason "no setpriv"
		return "$KSFT_SKIP"
	}
	before=$(sysfs_devices)
	run setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		--bounding-set=-all "$DIBSCTL" add loopback name lc5
	[ "$KTAP_STATUS" -eq 1 ] || { ktap_diag "add exit $KTAP_STATUS"; status=1; }
	check_match '^dibsctl: add loopback lc5: Operation not permitted' \
		"$KTAP_STDERR" "stderr" || status=1
	run setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		--bounding-set=-all "$DIBSCTL" del lc3
	[ "$KTAP_STATUS" -eq 1 ] || { ktap_diag "del exit $KTAP_STATUS"; status=1; }
	check_match '^dibsctl: del lc3: Operation not permitted' "$KTAP_STDERR" \
		"stderr" || status=1
	check_eq "$before" "$(sysfs_devices)" "devices after refused add and del" || status=1
	check_status 0 setpriv --reuid=nobody --regid=nogroup --clear-groups \
		--inh-caps=-all --bounding-set=-all "$DIBSCTL" -j show || status=1
	return "$status"
}
ktap_test "without CAP_NET_ADMIN add and del fail with EPERM, show works" test_unprivileged

# DMBs held by dibs_test_client make del fail with EBUSY until force.
test_busy_and_force() {
	local ctl=/sys/kernel/debug/dibs_test_client/ctl
	[ -r "$DIBS_MODULES/dibs_test_client.ko" ] || {
		ktap_skip_reason "no dibs_test_client.ko in $DIBS_MODULES"
		return "$KSFT_SKIP"
	}
	insmod "$DIBS_MODULES/dibs_test_client.ko" || return
	ktap_cleanup rmmod dibs_test_client
	"$DIBSCTL" add loopback name lcbusy >/dev/null || return
	echo "register lcbusy 3 8192" >"$ctl" || {
		ktap_diag "cannot register DMBs through $ctl"
		return 1
	}
	check_status 0 "$DIBSCTL" -j show lcbusy || return
	check_eq 3 "$(dibsjson get 0.dmbs_in_use <<<"$KTAP_STDOUT")" "dmbs_in_use" || return
	run "$DIBSCTL" del lcbusy
	check_op_error "del lcbusy" "Device or resource busy" || return
	check_exists /sys/class/dibs/lcbusy || return
	check_status 0 "$DIBSCTL" del lcbusy force || return
	check_absent /sys/class/dibs/lcbusy
}
ktap_test "del of a device with DMBs fails with EBUSY, del force removes it" test_busy_and_force

# Commands from a file: all run in order.
test_batch() {
	local file
	file=$(mktemp)
	printf '%s\n' "# make two, drop one" "add loopback name b1" "" \
		"dev add type loopback name b2   # trailing comment" "del b1" >"$file"
	check_status 0 "$DIBSCTL" -b "$file" || return
	check_absent /sys/class/dibs/b1 || return
	check_exists /sys/class/dibs/b2 || return
	# The add lines print the new devices, as add does.
	check_eq 2 "$(grep -c ': type loopback ' <<<"$KTAP_STDOUT")" "lines printed" || return
	rm -f "$file"
}
ktap_test "-b FILE runs every line in order" test_batch

test_batch_stops_at_failure() {
	local file
	file=$(mktemp)
	printf '%s\n' "add loopback name b3" "add loopback name b3" \
		"add loopback name b4" >"$file"
	check_status 1 "$DIBSCTL" -b "$file" || return
	check_one_line "$KTAP_STDERR" "stderr" || return
	check_match "^dibsctl: $file:2: add loopback b3: File exists: [^ ]" \
		"$KTAP_STDERR" "stderr" || return
	check_exists /sys/class/dibs/b3 || return
	check_absent /sys/class/dibs/b4 || return
	rm -f "$file"
}
ktap_test "-b stops at the first failing line and names it" test_batch_stops_at_failure

test_batch_usage_error_runs_nothing() {
	local before
	before=$(sysfs_names)
	check_status 2 "$DIBSCTL" -b - <<<$'add loopback name b5\nshow\ndel b5 now\n' || return
	check_match '^dibsctl: <stdin>:3: del: unknown keyword "now"$' "$KTAP_STDERR" \
		"stderr" || return
	check_eq "" "$KTAP_STDOUT" "stdout" || return
	check_eq "$before" "$(sysfs_names)" "devices after the refused batch"
}
ktap_test "-b with a usage error on any line runs nothing" test_batch_usage_error_runs_nothing

test_batch_stdin_json() {
	check_status 0 "$DIBSCTL" -j -b - <<<$'add loopback name b6\nshow b6\ndel b6\n' || return
	local lines
	mapfile -t lines <<<"$KTAP_STDOUT"
	check_eq 2 "${#lines[@]}" "lines of output" || return
	check_json_schema dev "${lines[0]}" "line 1 (add -j)" || return
	check_json_schema dev-list "${lines[1]}" "line 2 (show -j)" || return
	check_absent /sys/class/dibs/b6
}
ktap_test "-j -b - prints one JSON document per command" test_batch_stdin_json

# Quoted words reach the kernel unquoted: a name in single quotes, a GID
# in double quotes, a backslash-escaped character; a quote in a comment
# is part of the comment.
test_batch_quoting() {
	local file
	file=$(mktemp)
	printf '%s\n' "add loopback name 'b7' gid \"$GID_UPPER\"  # a comment" \
		"show b\\7" "dev show \"b7\" # 'not a quote" >"$file"
	check_status 0 "$DIBSCTL" -j -b "$file" || return
	check_eq "" "$KTAP_STDERR" "stderr" || return
	local lines
	mapfile -t lines <<<"$KTAP_STDOUT"
	check_eq 3 "${#lines[@]}" "lines of output" || return
	check_eq "b7 $GID" "$(dibsjson table name gid <<<"[${lines[0]}]")" \
		"name and gid of the device added from quoted words" || return
	check_eq "b7" "$(dibsjson get 0.name <<<"${lines[1]}")" "show b\\7" || return
	check_eq "b7" "$(dibsjson get 0.name <<<"${lines[2]}")" "dev show \"b7\"" || return
	check_eq "$GID" "$(cat /sys/class/dibs/b7/gid)" "sysfs gid of b7" || return
	check_status 0 "$DIBSCTL" del b7 || return
	rm -f "$file"
}
ktap_test "-b FILE: quoted and escaped words, comments after them" test_batch_quoting

test_batch_unterminated_quote_runs_nothing() {
	local before
	before=$(sysfs_names)
	check_status 2 "$DIBSCTL" -b - <<<$'add loopback name b8\n\nshow "b8\n' || return
	check_one_line "$KTAP_STDERR" "stderr" || return
	check_match '^dibsctl: <stdin>:3: unterminated " quote$' "$KTAP_STDERR" \
		"stderr" || return
	check_eq "" "$KTAP_STDOUT" "stdout" || return
	check_eq "$before" "$(sysfs_names)" "devices after the refused batch"
}
ktap_test "-b with an unterminated quote names its line and runs nothing" \
	test_batch_unterminated_quote_runs_nothing

ktap_finish
