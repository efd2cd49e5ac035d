#!/bin/bash
# /sys/class/dibs and uevents, byte for byte as udev rules and scripts read
# them: gid "%pUb\n" (lowercase UUID), fabric_id "0x%04x\n", type
# "loopback\n", for the default lo and for devices created at run time;
# DIBS_TYPE, DIBS_GID and DIBS_FABRIC_ID in the add uevent and in the
# uevent file; a deleted device leaves sysfs with a remove uevent.
# Run alone: tools/dibs-vm -- tests/kernel/sysfs.sh (see README)
# Test functions run through ktap_test, which shellcheck cannot follow.
# shellcheck disable=SC2317
# shellcheck source=tests/kernel/common.sh
. "$(dirname "$0")/common.sh"
set -u

ktest_require
ktap_plan 14

uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
# Upper-case hex on input: sysfs must still print lowercase.
given_gid_in=0123ABCD-4567-89ef-0A1b-C2d3E4f5A6b7
given_gid=0123abcd-4567-89ef-0a1b-c2d3e4f5a6b7
new_dev=kt_sys.dev-1

uevents=$(mktemp)
ktap_cleanup rm -f "$uevents"

# Prints the properties of kernel uevent ACTION for dibs device NAME, once
# it is in the udevadm monitor log; fails after 10 s.
uevent_props() { # ACTION NAME
	local props
	for _ in $(seq 100); do
		props=$(awk -v action="$1" -v name="/$2" '
			/^KERNEL\[/ {
				path = $3
				tail = substr(path, length(path) - length(name) + 1)
				inblock = $2 == action && tail == name && $4 == "(dibs)"
				next
			}
			/^$/ { if (inblock) exit; next }
			inblock { print }' "$uevents")
		if [ -n "$props" ]; then
			echo "$props"
			return 0
		fi
		sleep 0.1
	done
	ktap_diag "no $1 uevent for $2 within 10 s; udevadm monitor saw:"
	ktap_diag "$(cat "$uevents")"
	return 1
}

# PROPS (KEY=VALUE lines) must hold every KEY=VALUE given.
check_props() { # WHAT PROPS KEY=VALUE...
	local what=$1 props=$2 want got
	shift 2
	for want in "$@"; do
		got=$(grep "^${want%%=*}=" <<<"$props")
		check_eq "$want" "$got" "$what: ${want%%=*}" || return
	done
}

# gid, fabric_id and type of NAME, exactly.
check_identity() { # NAME GID
	check_file_eq "$DIBS_CLASS/$1/gid" "$2"$'\n' || return
	check_file_eq "$DIBS_CLASS/$1/fabric_id" $'0xffff\n' || return
	check_file_eq "$DIBS_CLASS/$1/type" $'loopback\n'
}

# Listens before anything is created, so that no add event is missed.
udevadm monitor --kernel --property --subsystem-match=dibs >"$uevents" &
monitor_pid=$!
ktap_cleanup kill "$monitor_pid"
for _ in $(seq 100); do
	grep -q '^KERNEL - ' "$uevents" && break
	sleep 0.1
done

test_lo_attrs_exist() {
	local attr
	for attr in gid fabric_id type index max_dmbs uevent; do
		check_exists "$DIBS_CLASS/lo/$attr" || return
	done
}
ktap_test "lo has gid, fabric_id, type, index, max_dmbs" test_lo_attrs_exist

test_lo_gid() {
	local raw nl
	raw=$(cat "$DIBS_CLASS/lo/gid" && echo x) || return
	raw=${raw%x}
	check_eq $'\n' "${raw: -1}" "last byte of lo/gid" || return
	check_match "$uuid_re" "${raw%$'\n'}" "lo/gid" || return
	check_nl_ok get lo || return
	nl=$(nl_field "$KTAP_STDOUT" gid)
	check_eq "$nl" "${raw%$'\n'}" "lo/gid vs the netlink gid"
}
ktap_test "lo gid is the netlink GID as a lowercase UUID and newline" \
	test_lo_gid

expect_file_eq "lo fabric_id is 0xffff and newline" "$DIBS_CLASS/lo/fabric_id" \
	$'0xffff\n'
expect_file_eq "lo type is loopback and newline" "$DIBS_CLASS/lo/type" \
	$'loopback\n'

test_lo_uevent_file() {
	local gid index
	gid=$(cat "$DIBS_CLASS/lo/gid") || return
	index=$(cat "$DIBS_CLASS/lo/index") || return
	check_props "lo/uevent" "$(cat "$DIBS_CLASS/lo/uevent")" \
		DIBS_TYPE=loopback "DIBS_GID=$gid" DIBS_FABRIC_ID=0xffff \
		"DIBS_INDEX=$index"
}
ktap_test "lo uevent file has DIBS_TYPE, DIBS_GID, DIBS_FABRIC_ID" \
	test_lo_uevent_file

test_attrs_read_only() {
	local attr mode
	for attr in gid fabric_id type index max_dmbs; do
		mode=$(stat -c %a "$DIBS_CLASS/lo/$attr") || return
		check_eq 444 "$mode" "mode of lo/$attr" || return
	done
}
ktap_test "identity attributes are read-only" test_attrs_read_only

ktap_cleanup ktest_del_if_present "$new_dev"
test_new_dev_sysfs() {
	check_nl_ok new name "$new_dev" gid "$given_gid_in" || return
	check_exists "$DIBS_CLASS/$new_dev" || return
	check_identity "$new_dev" "$given_gid"
}
ktap_test "device created at run time: gid, fabric_id, type exact" \
	test_new_dev_sysfs

test_new_dev_add_uevent() {
	local props
	props=$(uevent_props add "$new_dev") || return
	check_props "add uevent of $new_dev" "$props" DIBS_TYPE=loopback \
		"DIBS_GID=$given_gid" DIBS_FABRIC_ID=0xffff
}
ktap_test "its add uevent carries DIBS_TYPE, DIBS_GID, DIBS_FABRIC_ID" \
	test_new_dev_add_uevent

test_new_dev_uevent_file() {
	check_props "$new_dev/uevent" "$(cat "$DIBS_CLASS/$new_dev/uevent")" \
		DIBS_TYPE=loopback "DIBS_GID=$given_gid" DIBS_FABRIC_ID=0xffff
}
ktap_test "its uevent file says the same" test_new_dev_uevent_file

random_name=
test_random_gid_dev() {
	local gid props
	check_nl_ok new || return
	random_name=$(nl_field "$KTAP_STDOUT" name)
	gid=$(nl_field "$KTAP_STDOUT" gid)
	ktap_cleanup ktest_del_if_present "$random_name"
	check_match "$uuid_re" "$gid" "random GID from netlink" || return
	check_identity "$random_name" "$gid" || return
	props=$(uevent_props add "$random_name") || return
	check_props "add uevent of $random_name" "$props" DIBS_TYPE=loopback \
		"DIBS_GID=$gid" DIBS_FABRIC_ID=0xffff
}
ktap_test "device with a random GID: sysfs and uevent match netlink" \
	test_random_gid_dev

test_del_leaves_sysfs() {
	check_nl_ok del "$new_dev" || return
	check_absent "$DIBS_CLASS/$new_dev"
}
ktap_test "a deleted device leaves /sys/class/dibs" test_del_leaves_sysfs

# udev rules matching on remove need the same properties.
test_remove_uevent() {
	local props
	props=$(uevent_props remove "$new_dev") || return
	check_props "remove uevent of $new_dev" "$props" DIBS_TYPE=loopback \
		"DIBS_GID=$given_gid" DIBS_FABRIC_ID=0xffff
}
ktap_test "deleting it emits a remove uevent with the same DIBS_* values" \
	test_remove_uevent

test_del_by_index_leaves_sysfs() {
	local index
	[ -n "$random_name" ] || { ktap_diag "no random-GID device"; return 1; }
	index=$(cat "$DIBS_CLASS/$random_name/index") || return
	check_nl_ok del index "$index" || return
	check_absent "$DIBS_CLASS/$random_name" || return
	uevent_props remove "$random_name" >/dev/null
}
ktap_test "deleting by index removes it from sysfs with a remove uevent" \
	test_del_by_index_leaves_sysfs

test_only_lo_left() {
	check_eq lo "$(sysfs_names)" "entries under $DIBS_CLASS"
}
ktap_test "only lo is left" test_only_lo_left

ktap_finish
