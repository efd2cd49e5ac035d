#!/bin/bash
# Without CAP_NET_ADMIN, dev-new and dev-del are refused with EPERM and
# change nothing, while dev-get do and dump (and the monitor group) still
# work and say what root sees; the dmb group cannot be joined. Checked as user nobody, and as root with
# CAP_NET_ADMIN dropped (the capability counts, not the user id).
# Run alone: tools/dibs-vm -- tests/kernel/unprivileged.sh (see README)
# Test functions run through ktap_test, which shellcheck cannot follow.
# shellcheck disable=SC2317
# shellcheck source=tests/kernel/common.sh
. "$(dirname "$0")/common.sh"
set -u

ktest_require
ktap_plan 12

as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups
	--inh-caps=-all --bounding-set=-all --)
as_root_without_net_admin=(setpriv --inh-caps=-net_admin
	--bounding-set=-net_admin --)

# dibs_nlreq copied where nobody can run it, whatever the build dir's modes.
tool_dir=$(mktemp -d)
ktap_cleanup rm -rf "$tool_dir"
cp "$NLREQ" "$tool_dir/dibs_nlreq"
chmod 755 "$tool_dir" "$tool_dir/dibs_nlreq"
NLREQ=$tool_dir/dibs_nlreq

# Refused with EPERM, and every device exactly as before. No extack is
# asked for: 6.1's genetlink core refuses admin-perm ops before any dibs
# code runs, and gives none.
check_eperm() { # ARGS...
	local before
	before=$(dibs_snapshot)
	check_nl_errno EPERM "$@" || return
	check_eq "$before" "$(dibs_snapshot)" "devices after the refused request"
}

test_as_nobody() {
	check_status 0 "${as_nobody[@]}" "$NLREQ" family || return
	check_eq nobody "$("${as_nobody[@]}" id -un)" "user" || return
	check_eq 0000000000000000 \
		"$("${as_nobody[@]}" sed -n 's/^CapEff:\t//p' /proc/self/status)" \
		"effective capabilities"
}
ktap_test "setpriv runs dibs_nlreq as nobody without capabilities" \
	test_as_nobody

test_nobody_new() {
	local NLREQ_AS=("${as_nobody[@]}")
	check_eperm new name ktunpriv
}
ktap_cleanup ktest_del_if_present ktunpriv
ktap_test "nobody: dev-new is refused with EPERM, nothing changes" \
	test_nobody_new

test_nobody_del() {
	local NLREQ_AS=("${as_nobody[@]}")
	check_eperm del lo || return
	check_eperm del lo force
}
ktap_test "nobody: dev-del of lo is refused with EPERM, nothing changes" \
	test_nobody_del

test_root_without_cap_new() {
	local NLREQ_AS=("${as_root_without_net_admin[@]}")
	check_eq 0 "$("${NLREQ_AS[@]}" id -u)" "uid" || return
	check_eperm new name ktunpriv
}
ktap_test "root without CAP_NET_ADMIN: dev-new is refused with EPERM" \
	test_root_without_cap_new

ktap_cleanup ktest_del_if_present ktpriv
test_root_without_cap_del() {
	check_nl_ok new name ktpriv || return
	local NLREQ_AS=("${as_root_without_net_admin[@]}")
	check_eperm del ktpriv force || return
	check_exists "$DIBS_CLASS/ktpriv"
}
ktap_test "root without CAP_NET_ADMIN: dev-del force is refused with EPERM" \
	test_root_without_cap_del

# dev-get do by name and index without privileges equals root's answer.
test_get_as() { # WRAPPER-ARRAY-NAME
	local -n wrapper=$1
	local root_view index
	check_nl_ok get ktpriv || return
	root_view=$KTAP_STDOUT
	index=$(nl_field "$root_view" index)
	local NLREQ_AS=("${wrapper[@]}")
	check_nl_ok get ktpriv || return
	check_eq "$root_view" "$KTAP_STDOUT" "dev-get by name vs root's" || return
	check_nl_ok get index "$index" || return
	check_eq "$root_view" "$KTAP_STDOUT" "dev-get by index vs root's"
}
ktap_test "nobody: dev-get do works and matches root's view" \
	test_get_as as_nobody
ktap_test "root without CAP_NET_ADMIN: dev-get do works" \
	test_get_as as_root_without_net_admin

test_dump_as_nobody() {
	local root_view
	check_nl_ok dump || return
	root_view=$KTAP_STDOUT
	local NLREQ_AS=("${as_nobody[@]}")
	check_nl_ok dump || return
	check_eq "$root_view" "$KTAP_STDOUT" "dump as nobody vs as root" || return
	check_eq 2 "$(wc -l <<<"$KTAP_STDOUT")" "devices in the dump (lo, ktpriv)"
}
ktap_test "nobody: dev-get dump works and matches root's view" \
	test_dump_as_nobody

test_monitor_as_nobody() {
	local ntf pid result=0
	ntf=$(mktemp)
	"${as_nobody[@]}" "$NLREQ" monitor 1 5000 >"$ntf" &
	pid=$!
	for _ in $(seq 50); do
		grep -q '^ready' "$ntf" && break
		sleep 0.1
	done
	if check_nl_ok del ktpriv; then
		wait "$pid"
		check_match '^dev-del-ntf index=[0-9]+ name=ktpriv ' \
			"$(sed -n 2p "$ntf")" "notification received by nobody" ||
			result=1
	else
		kill "$pid"
		result=1
	fi
	rm -f "$ntf"
	return "$result"
}
ktap_test "nobody: the monitor group delivers notifications" \
	test_monitor_as_nobody

# the dmb group describes DMBs as dmb-get does: CAP_NET_ADMIN only
test_join_as() { # WRAPPER-ARRAY-NAME
	local -n wrapper=$1
	check_nl_ok join dmb || return
	local NLREQ_AS=("${wrapper[@]}")
	check_nl_errno EPERM join dmb || return
	check_nl_ok join monitor
}
ktap_test "nobody: joining the dmb group is refused with EPERM" \
	test_join_as as_nobody
ktap_test "root without CAP_NET_ADMIN: joining the dmb group is refused" \
	test_join_as as_root_without_net_admin

test_only_lo_left() {
	check_eq lo "$(sysfs_names)" "entries under $DIBS_CLASS"
}
ktap_test "only lo is left" test_only_lo_left

ktap_finish
