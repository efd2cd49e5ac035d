#!/bin/bash
# Devices in use: with tests/modules' dibs_test_client holding DMBs on a
# loopback device, dev-del is refused with EBUSY (and an extack message)
# and changes nothing, dmbs-in-use counts the DMBs; dev-del with force
# calls the client's del_dev() first, removes the device and leaves no DMB
# behind, also when the client forgets to release its DMBs.
# Run alone: tools/dibs-vm -- tests/kernel/busy_force.sh (see README)
# Test functions run through ktap_test, which shellcheck cannot follow.
# shellcheck disable=SC2317
# shellcheck source=tests/kernel/common.sh
. "$(dirname "$0")/common.sh"
set -u

ktest_require
ktap_plan 12

client=dibs_test_client
client_ctl_file=/sys/kernel/debug/$client/ctl
client_status=/sys/kernel/debug/$client/status
leaky=$client/parameters/unregister_on_del

ktest_dmesg_mark

# The client's line for device NAME: "device NAME index N present 0|1
# add_dev N del_dev N dmbs N bound 0|1 handle_irq N handle_event N".
client_line() { # NAME
	grep "^device $1 " "$client_status"
}

# The client's counters for NAME up to dmbs must be exactly WANT ("present
# 1 add_dev 1 del_dev 0 dmbs 3"); those after are not this suite's concern.
check_client() { # NAME WANT
	local line
	line=$(client_line "$1") || {
		ktap_diag "$client has no record of device $1:"
		ktap_diag "$(cat "$client_status")"
		return 1
	}
	line=${line#device "$1" index * present}
	line=${line%% bound *}
	check_eq "$2" "present$line" "$client counters for $1"
}

# dmbs-in-use of device NAME through dev-get must be WANT.
check_in_use() { # NAME WANT
	check_nl_ok get "$1" || return
	check_eq "$2" "$(nl_field "$KTAP_STDOUT" dmbs_in_use)" \
		"dmbs-in-use of $1"
}

unload_client() {
	! grep -q "^$client " /proc/modules || rmmod "$client"
}

client_ctl() { # COMMAND...
	echo "$*" >"$client_ctl_file" || {
		ktap_diag "writing '$*' to $client_ctl_file failed"
		return 1
	}
}

test_client_loads() {
	check_status 0 insmod "$DIBS_MODULES/$client.ko" || return
	ktap_cleanup unload_client
	check_client lo "present 1 add_dev 1 del_dev 0 dmbs 0"
}
ktap_test "$client loads and gets add_dev for lo" test_client_loads

ktap_cleanup ktest_del_if_present ktbusy1
test_new_dev_offered() {
	check_nl_ok new name ktbusy1 || return
	check_client ktbusy1 "present 1 add_dev 1 del_dev 0 dmbs 0"
}
ktap_test "a device created at run time gets add_dev" test_new_dev_offered

test_dmbs_in_use() {
	client_ctl register lo 3 8192 || return
	client_ctl register ktbusy1 2 4096 || return
	check_in_use lo 3 || return
	check_in_use ktbusy1 2 || return
	check_client ktbusy1 "present 1 add_dev 1 del_dev 0 dmbs 2"
}
ktap_test "dmbs-in-use counts the client's DMBs per device" test_dmbs_in_use

test_busy_del_refused() {
	local before index
	before=$(dibs_snapshot)
	index=$(cat "$DIBS_CLASS/ktbusy1/index") || return
	check_nl_refused EBUSY name del ktbusy1 || return
	check_nl_refused EBUSY index del index "$index" || return
	check_eq "$before" "$(dibs_snapshot)" "devices after the refused dev-del" ||
		return
	check_in_use ktbusy1 2 || return
	check_client ktbusy1 "present 1 add_dev 1 del_dev 0 dmbs 2"
}
ktap_test "dev-del of a busy device: EBUSY with extack, nothing changes" \
	test_busy_del_refused

test_force_del() {
	local ntf pid
	ntf=$(mktemp)
	"$NLREQ" monitor 1 5000 >"$ntf" &
	pid=$!
	for _ in $(seq 50); do
		grep -q '^ready' "$ntf" && break
		sleep 0.1
	done
	check_nl_ok del ktbusy1 force || { kill "$pid"; rm -f "$ntf"; return 1; }
	wait "$pid"
	check_match '^dev-del-ntf index=[0-9]+ name=ktbusy1 ' \
		"$(sed -n 2p "$ntf")" "notification of the forced deletion" ||
		{ rm -f "$ntf"; return 1; }
	rm -f "$ntf"
	check_client ktbusy1 "present 0 add_dev 1 del_dev 1 dmbs 0"
}
ktap_test "dev-del force: the client gets del_dev and drops its DMBs" \
	test_force_del

test_force_del_gone() {
	check_absent "$DIBS_CLASS/ktbusy1" || return
	check_nl_refused ENODEV name get ktbusy1 || return
	check_eq "" "$(grep '^dmb ktbusy1 ' "$client_status")" \
		"DMBs the client still lists"
}
ktap_test "the force-deleted device is gone from sysfs and netlink" \
	test_force_del_gone

test_others_untouched() {
	check_in_use lo 3 || return
	check_client lo "present 1 add_dev 1 del_dev 0 dmbs 3"
}
ktap_test "the other device keeps its DMBs and gets no del_dev" \
	test_others_untouched

test_released_then_del() {
	client_ctl unregister lo || return
	check_in_use lo 0 || return
	check_nl_ok new name ktbusy2 || return
	client_ctl register ktbusy2 1 4096 || return
	check_in_use ktbusy2 1 || return
	client_ctl unregister ktbusy2 || return
	check_in_use ktbusy2 0 || return
	check_nl_ok del ktbusy2 || return
	check_absent "$DIBS_CLASS/ktbusy2"
}
ktap_cleanup ktest_del_if_present ktbusy2
ktap_test "released DMBs: dmbs-in-use drops to 0 and dev-del needs no force" \
	test_released_then_del

# A client that keeps its DMBs past del_dev(): the driver frees them and
# names the client in the kernel log.
ktap_cleanup ktest_del_if_present ktbusy3
test_force_del_leftovers() {
	echo N >"/sys/module/$leaky" || return
	check_nl_ok new name ktbusy3 || return
	client_ctl register ktbusy3 2 4096 || return
	check_in_use ktbusy3 2 || return
	check_nl_ok del ktbusy3 force || return
	echo Y >"/sys/module/$leaky" || return
	check_absent "$DIBS_CLASS/ktbusy3" || return
	check_client ktbusy3 "present 0 add_dev 1 del_dev 1 dmbs 0" || return
	check_match "ktbusy3: .*$client" "$(ktest_dmesg_since_mark)" \
		"kernel log about the DMBs $client left behind"
}
ktap_test "dev-del force frees DMBs a client left behind, with a warning" \
	test_force_del_leftovers

test_only_lo_left() {
	check_nl_ok dump || return
	check_eq 1 "$(wc -l <<<"$KTAP_STDOUT")" "devices in the dump" || return
	check_eq lo "$(sysfs_names)" "entries under $DIBS_CLASS"
}
ktap_test "afterwards only lo is left" test_only_lo_left

test_client_unloads() {
	client_ctl register lo 2 4096 || return
	check_status 0 rmmod "$client" || return
	check_in_use lo 0
}
ktap_test "unloading the client releases its DMBs" test_client_unloads

ktap_test "no WARNING or BUG in the kernel log" check_dmesg_clean

ktap_finish
