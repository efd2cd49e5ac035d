#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The boot-time configuration: the command of dibs-config.service (its
# ExecStart, from the unit meson built) applied to a dibs.conf at the
# unit's path creates the declared devices and bindings; run again it
# changes nothing; a file with a syntax error names FILE:LINE and applies
# nothing; a device that exists with another GID is reported and left as
# it is, while the rest of the file is applied.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/consumers/config.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/../cli/common.sh"
# shellcheck source=tests/consumers/common.sh
. "$(dirname "$0")/common.sh"

cli_require
UNIT=$DIBS_BUILD_DIR/data/dibs-config.service
[ -r "$UNIT" ] || {
	ktap_fail "dibs-config.service is built" "$UNIT is missing"
	ktap_finish
}
load_dibs_user || {
	ktap_fail "insmod dibs_user.ko"
	ktap_finish
}
ktap_plan 7

# ExecStart=BINARY ARGS...: the arguments as the unit passes them, the
# last one being the configuration file.
read -r -a exec_start <<<"$(sed -n 's/^ExecStart=//p' "$UNIT")"
CONF=${exec_start[-1]}
unit_args=("${exec_start[@]:1}")

test_unit_command() {
	check_match '/dibsctl$' "${exec_start[0]}" "the unit's program" &&
		check_eq "config apply $CONF" "${unit_args[*]}" "its arguments" &&
		check_match '/dibs/dibs\.conf$' "$CONF" "the file it applies"
}
ktap_test "dibs-config.service runs dibsctl config apply on dibs.conf" \
	test_unit_command

# Cleanups run last-added first: the directory goes after the file.
if [ ! -d "${CONF%/*}" ]; then
	mkdir -p "${CONF%/*}"
	ktap_cleanup rmdir "${CONF%/*}"
fi
ktap_cleanup rm -f "$CONF"
for d in cfglo1 cfglo2 cfglo3 cfglo4; do
	ktap_cleanup sh -c "$(printf '%q' "$DIBSCTL") del $d force >/dev/null 2>&1 || :"
done

apply() { # runs the unit's command with our dibsctl
	run "$DIBSCTL" "${unit_args[@]}"
}

# What "nothing changed" compares: devices with GIDs, and bindings.
state() {
	"$DIBSCTL" -j show && "$DIBSCTL" -j client show
}

# JSON text must match #/$defs/DEF of docs/dibsctl-NAME.schema.json.
check_json_schema_of() { # NAME DEF JSON
	check_json_schema_text "$TOP/docs/dibsctl-$1.schema.json" "$2" "$3" ""
}

G1=6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d
G2=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d

cat >"$CONF" <<CONF
# devices and bindings of this host
add loopback name cfglo1 gid $G1
dev add type loopback name cfglo2
client bind dibs_user dev cfglo1
client unbind dibs_user dev cfglo2
CONF

test_first_apply() {
	apply
	check_eq 0 "$KTAP_STATUS" "exit status" || { ktap_diag "$KTAP_STDERR"; return 1; }
	check_eq "" "$KTAP_STDERR" "stderr" &&
		check_match "^$CONF:2: add loopback name cfglo1 gid $G1: created" \
			"$KTAP_STDOUT" "report of line 2" &&
		check_match $'\n'"$CONF:5: client unbind dibs_user dev cfglo2: unbound" \
			"$KTAP_STDOUT" "report of line 5" &&
		check_file_eq /sys/class/dibs/cfglo1/gid "$G1"$'\n' &&
		check_exists /sys/class/dibs/cfglo2 || return
	local devices
	devices=$("$DIBSCTL" -j client show dibs_user | dibsjson get 0.devices)
	check_match 'cfglo1' "$devices" "dibs_user is bound to cfglo1" || return
	[[ $devices != *cfglo2* ]] || {
		ktap_diag "dibs_user is still bound to cfglo2: $devices"
		return 1
	}
}
ktap_test "first run creates the devices and changes the bindings" \
	test_first_apply

test_second_apply() {
	local before
	before=$(state) || return
	apply
	check_eq 0 "$KTAP_STATUS" "exit status" || { ktap_diag "$KTAP_STDERR"; return 1; }
	check_eq 4 "$(grep -c ': unchanged$' <<<"$KTAP_STDOUT")" \
		"declarations reported unchanged" &&
		check_eq "$before" "$(state)" "devices and bindings after the second run"
}
ktap_test "second run changes nothing and says so" test_second_apply

test_json_report() {
	run "$DIBSCTL" -j "${unit_args[@]}"
	check_eq 0 "$KTAP_STATUS" "exit status" &&
		check_json_schema_of config config-report "$KTAP_STDOUT" &&
		check_eq "unchanged unchanged unchanged unchanged" \
			"$(dibsjson table result <<<"$KTAP_STDOUT" | tr '\n' ' ' | sed 's/ $//')" \
			"results in the JSON report"
}
ktap_test "-j reports every declaration as JSON" test_json_report

test_syntax_error() {
	local before
	before=$(state) || return
	cat >"$CONF" <<CONF
add loopback name cfglo3
client bind dibs_user dev cfglo3
client bind dibs_user
CONF
	apply
	check_eq 2 "$KTAP_STATUS" "exit status" &&
		check_one_line "$KTAP_STDERR" &&
		check_match "^dibsctl: $CONF:3: client bind: missing \"dev DEV\"$" \
			"$KTAP_STDERR" "the error" &&
		check_eq "" "$KTAP_STDOUT" "stdout" &&
		check_absent /sys/class/dibs/cfglo3 &&
		check_eq "$before" "$(state)" "devices and bindings"
}
ktap_test "a syntax error names FILE:LINE and applies nothing" \
	test_syntax_error

test_conflict() {
	cat >"$CONF" <<CONF
add loopback name cfglo1 gid $G2
add loopback name cfglo4
CONF
	apply
	check_eq 1 "$KTAP_STATUS" "exit status" &&
		check_one_line "$KTAP_STDERR" &&
		check_match "^dibsctl: $CONF:1: device cfglo1 exists with gid $G1, declared $G2; left unchanged$" \
			"$KTAP_STDERR" "the report" &&
		check_match "^$CONF:1: .*: conflict"$'\n'"$CONF:2: .*: created$" \
			"$KTAP_STDOUT" "stdout" &&
		check_file_eq /sys/class/dibs/cfglo1/gid "$G1"$'\n' &&
		check_exists /sys/class/dibs/cfglo4
}
ktap_test "a device with another gid is reported, left alone, the rest applied" \
	test_conflict

test_kernel_failure() {
	cat >"$CONF" <<CONF
add loopback name cfglo3 gid 00000000-0000-0000-0000-000000000000
CONF
	apply
	check_eq 1 "$KTAP_STATUS" "exit status" &&
		check_match "^dibsctl: $CONF:1: add loopback cfglo3: Invalid argument: .*gid must not be all zeroes" \
			"$KTAP_STDERR" "the kernel's message" &&
		check_absent /sys/class/dibs/cfglo3
}
ktap_test "a declaration the kernel refuses fails with the kernel's message" \
	test_kernel_failure

stage_time config
ktap_finish
