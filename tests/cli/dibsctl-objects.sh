#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dibsctl client, dmb, gid, vlan and stats against the real module, with
# both clients: dibs_user (DMBs through /dev/dibs, held by dibs-dmb-hold)
# and dibs_test_client (DMBs, VLANs and moves through its debugfs ctl).
# Plain and JSON output, JSON against the schemas in docs/, errors and
# their exit codes, what users without CAP_NET_ADMIN may read and the
# message when refused, batch files.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/dibsctl-objects.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require

CTL=/sys/kernel/debug/dibs_test_client/ctl
HOLD=$DIBS_BUILD_DIR/tests/cli/dibs-dmb-hold
TC=dibs_test_client
DU=dibs_user
as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups
	--inh-caps=-all --bounding-set=-all)

for ko in dibs_test_client dibs_user; do
	[ -f "$DIBS_MODULES/$ko.ko" ] || {
		ktap_fail "$ko.ko is built" "$DIBS_MODULES/$ko.ko is missing"
		ktap_finish
	}
done
[ -x "$HOLD" ] || {
	ktap_fail "dibs-dmb-hold is built" "$HOLD is missing"
	ktap_finish
}
command -v setpriv >/dev/null || ktap_skip_all "no setpriv"

# The runner reloads only dibs.ko: the clients go first.  Cleanups run
# last-registered first.
ktap_cleanup sh -c '! [ -d /sys/module/dibs_test_client ] || rmmod dibs_test_client'
ktap_cleanup sh -c '! [ -d /sys/module/dibs_user ] || rmmod dibs_user'
for name in ob1 ob2; do
	ktap_cleanup sh -c "[ ! -e /sys/class/dibs/$name ] || '$DIBSCTL' del $name force"
done
setup() {
	insmod "$DIBS_MODULES/dibs_test_client.ko" &&
		insmod "$DIBS_MODULES/dibs_user.ko" &&
		"$DIBSCTL" add loopback name ob1 >/dev/null &&
		"$DIBSCTL" add loopback name ob2 >/dev/null
}
if ! setup; then
	ktap_fail "load dibs_test_client and dibs_user, add ob1 and ob2"
	ktap_finish
fi
OB1_GID=$(cat /sys/class/dibs/ob1/gid)
OB2_GID=$(cat /sys/class/dibs/ob2/gid)

# DMBs of dibs_user on ob2, held by a process until the end.
HOLD_OUT=$(mktemp)
"$HOLD" ob2 1 4096 >"$HOLD_OUT" &
HOLD_PID=$!
ktap_cleanup sh -c "kill $HOLD_PID 2>/dev/null; rm -f '$HOLD_OUT'"
for _ in $(seq 100); do
	[ -s "$HOLD_OUT" ] && break
	sleep 0.1
done
if ! [ -s "$HOLD_OUT" ]; then
	ktap_fail "dibs-dmb-hold registers a DMB of dibs_user on ob2"
	ktap_finish
fi
read -r _ HOLD_IDX _ HOLD_TOKEN <"$HOLD_OUT"
# Two DMBs of dibs_test_client on ob1.
if ! echo "register ob1 2 8192" >"$CTL"; then
	ktap_fail "dibs_test_client registers two DMBs on ob1"
	ktap_finish
fi
ktap_cleanup sh -c "echo 'unregister ob1' >'$CTL' 2>/dev/null"

# JSON text must match #/$defs/DEF of docs/dibsctl-NAME.schema.json.
check_schema() { # NAME DEF JSON [WHAT]
	check_json_schema_text "$TOP/docs/dibsctl-$1.schema.json" "$2" "$3" "${4:-}"
}

# Exit 1, nothing on stdout, one line "dibsctl: WHAT: STRERROR..." on stderr.
check_failed() { # WHAT-ERE STRERROR
	[ "$KTAP_STATUS" -eq 1 ] || {
		ktap_diag "exit status: expected 1, got $KTAP_STATUS"
		return 1
	}
	check_eq "" "$KTAP_STDOUT" "stdout of a failed command" || return
	check_one_line "$KTAP_STDERR" "stderr" || return
	check_match "^dibsctl: $1: $2" "$KTAP_STDERR" "stderr"
}

client_id() { # NAME
	"$DIBSCTL" -j client show "$1" | dibsjson get 0.id
}
TC_ID=$(client_id $TC)
DU_ID=$(client_id $DU)

test_client_show() {
	local line
	check_status 0 "$DIBSCTL" client show || return
	for line in "$TC_ID: $TC: dmbs 2 devices " "$DU_ID: $DU: dmbs 1 devices "; do
		grep -qF -- "$line" <<<"$KTAP_STDOUT" || {
			ktap_diag "no line starting \"$line\" in:"
			ktap_diag "$KTAP_STDOUT"
			return 1
		}
	done
	check_match "^$DU_ID: $DU: dmbs 1 devices ([^ ]+,)?ob1,ob2\$" \
		"$(grep "^$DU_ID:" <<<"$KTAP_STDOUT")" "dibs_user's line" || return
	check_status 0 "$DIBSCTL" -d client show "$TC" || return
	check_match "    dev ob1 index [0-9]+ dmbs 2" "$KTAP_STDOUT" "-d lines" || return
	check_match "    dev ob2 index [0-9]+ dmbs 0" "$KTAP_STDOUT" "-d lines"
}
ktap_test "client show lists both clients with their DMBs and devices" test_client_show

test_client_json() {
	check_status 0 "$DIBSCTL" -j client show || return
	check_schema client client-list "$KTAP_STDOUT" "client show -j" || return
	check_eq "$TC 2
$DU 1" "$(dibsjson table name dmbs <<<"$KTAP_STDOUT" | sort)" "name dmbs" || return
	check_status 0 "$DIBSCTL" -p client show "$DU_ID" || return
	check_schema client client-list "$KTAP_STDOUT" "client show -p ID" || return
	check_eq "$DU" "$(dibsjson get 0.name <<<"$KTAP_STDOUT")" "client by id"
}
ktap_test "client show -j matches the schema; clients by name and id" test_client_json

test_dev_show_clients() {
	check_status 0 "$DIBSCTL" -j show ob1 || return
	check_json_schema dev-list "$KTAP_STDOUT" "show -j ob1" || return
	check_eq "$(printf '%s\n' "$TC" "$DU" | sort | paste -sd ' ')" \
		"$(dibsjson get 0.clients <<<"$KTAP_STDOUT" | tr -d '[]",' | tr ' ' '\n' |
			sort | paste -sd ' ')" "clients of ob1" || return
	check_status 0 "$DIBSCTL" -d show ob1 || return
	check_match "clients [a-z_,]*$TC" "$KTAP_STDOUT" "show -d ob1"
}
ktap_test "dev show lists the bound clients (-j and -d)" test_dev_show_clients

test_unbind_bind() {
	check_status 0 "$DIBSCTL" client unbind "$TC" dev ob2 || return
	check_eq "" "$KTAP_STDOUT$KTAP_STDERR" "output of unbind" || return
	check_status 0 "$DIBSCTL" -j client show "$TC" || return
	check_match '"ob1"' "$(dibsjson get 0.devices <<<"$KTAP_STDOUT")" \
		"devices after unbind" || return
	[[ $(dibsjson get 0.devices <<<"$KTAP_STDOUT") != *'"ob2"'* ]] || {
		ktap_diag "$TC still bound to ob2: $KTAP_STDOUT"
		return 1
	}
	check_status 0 "$DIBSCTL" -j show ob2 || return
	[[ $(dibsjson get 0.clients <<<"$KTAP_STDOUT" 2>/dev/null) != *$TC* ]] || {
		ktap_diag "ob2 still lists $TC: $KTAP_STDOUT"
		return 1
	}
	run "$DIBSCTL" client unbind "$TC" dev ob2
	check_failed "client unbind $TC dev ob2" "No such file or directory: " || return
	check_status 0 "$DIBSCTL" client bind "$TC_ID" dev ob2 || return
	check_status 0 "$DIBSCTL" -j client show "$TC" || return
	check_match 'ob2' "$(dibsjson get 0.devices <<<"$KTAP_STDOUT")" \
		"devices after bind" || return
	run "$DIBSCTL" client bind "$TC" dev ob2
	check_failed "client bind $TC dev ob2" "File exists: "
}
ktap_test "client unbind and bind round trip; ENOENT and EEXIST" test_unbind_bind

test_unbind_busy_force() {
	run "$DIBSCTL" client unbind "$TC" dev ob1
	check_failed "client unbind $TC dev ob1" "Device or resource busy: " || return
	check_status 0 "$DIBSCTL" -j dmb show dev ob1 || return
	check_eq 2 "$(dibsjson table idx <<<"$KTAP_STDOUT" | wc -l)" \
		"DMBs kept after EBUSY" || return
	check_status 0 "$DIBSCTL" client unbind "$TC" dev ob1 force || return
	check_status 0 "$DIBSCTL" -j dmb show dev ob1 || return
	check_eq "[]" "$KTAP_STDOUT" "DMBs after unbind force" || return
	check_status 0 "$DIBSCTL" client bind "$TC" dev ob1 || return
	echo "register ob1 2 8192" >"$CTL"
}
ktap_test "client unbind with DMBs: EBUSY, then force" test_unbind_busy_force

test_client_errors() {
	run "$DIBSCTL" client show nosuch
	check_failed "client show nosuch" "No such file or directory: " || return
	run "$DIBSCTL" client bind nosuch dev ob1
	check_failed "client bind nosuch dev ob1" "No such file or directory" || return
	run "$DIBSCTL" client bind "$TC" dev nosuch0
	check_failed "client bind $TC dev nosuch0" "No such device" || return
	run "${as_nobody[@]}" "$DIBSCTL" client unbind "$TC" dev ob2
	check_failed "client unbind $TC dev ob2" "Operation not permitted" || return
	run "${as_nobody[@]}" "$DIBSCTL" client bind "$TC" dev ob2
	check_failed "client bind $TC dev ob2" "Operation not permitted" || return
	run "$DIBSCTL" client bind "$TC"
	[ "$KTAP_STATUS" -eq 2 ] || { ktap_diag "usage: exit $KTAP_STATUS"; return 1; }
	check_status 0 "${as_nobody[@]}" "$DIBSCTL" client show
}
ktap_test "client errors: unknown client or device, EPERM, usage" test_client_errors

test_dmb_show() {
	local ob1_lines
	check_status 0 "$DIBSCTL" dmb show || return
	ob1_lines=$(grep -cE \
		"^ob1 idx [0-9]+ len 8192 client $TC rgid $OB1_GID token 0x[0-9a-f]{16}\$" \
		<<<"$KTAP_STDOUT")
	check_eq 2 "$ob1_lines" "ob1 lines of dmb show" || return
	check_match "^ob2 idx $HOLD_IDX len 4096 client $DU rgid $OB2_GID token $HOLD_TOKEN\$" \
		"$(grep '^ob2 ' <<<"$KTAP_STDOUT")" "ob2 line" || return
	check_status 0 "$DIBSCTL" -d dmb show dev ob2 || return
	check_match "^    attached no bytes 0 moves 0 signals 0\$" \
		"$(sed -n 2p <<<"$KTAP_STDOUT")" "dmb show -d"
}
ktap_test "dmb show lists the DMBs of both clients with tokens" test_dmb_show

test_dmb_filters_json() {
	local args n status=0
	for args in "" "dev ob1" "client $DU" "dev ob1 client $TC" \
		"dev ob1 client $DU" "client $TC_ID"; do
		# shellcheck disable=SC2086 # the words are the arguments
		check_status 0 "$DIBSCTL" -j dmb show $args || return
		check_schema dmb dmb-list "$KTAP_STDOUT" "dmb show -j $args" || status=1
		n=$(dibsjson table dev_name client_name <<<"$KTAP_STDOUT" |
			grep -c . || true)
		case $args in
		"dev ob1" | "dev ob1 client $TC" | "client $TC_ID") [ "$n" = 2 ] ;;
		"client $DU") [ "$n" = 1 ] ;;
		"dev ob1 client $DU") [ "$n" = 0 ] ;;
		*) [ "$n" -ge 3 ] ;;
		esac || { ktap_diag "dmb show $args: $n DMBs"; status=1; }
	done
	check_status 0 "$DIBSCTL" -j dmb show client "$DU" || return
	check_eq "$HOLD_TOKEN $OB2_GID false" \
		"$(dibsjson table token rgid attached <<<"$KTAP_STDOUT")" "dibs_user's DMB" ||
		status=1
	run "$DIBSCTL" dmb show dev nosuch0
	check_failed "dmb show" "No such device" || status=1
	return "$status"
}
ktap_test "dmb show filters by device and client; -j matches the schema" test_dmb_filters_json

# DMBs (tokens, rgids, owners) and peer GIDs are root's (dibsctl(8),
# PRIVILEGES); the refusal says what is missing, the counts stay public
test_dmb_unprivileged() {
	local args object verb
	for args in "dmb show" "-j dmb show" "dmb show dev ob1" "gid show" \
		"-j gid show"; do
		# shellcheck disable=SC2086 # the words of args are arguments
		run "${as_nobody[@]}" "$DIBSCTL" $args
		read -r object verb _ <<<"${args#-j }"
		check_failed "$object $verb" \
			"Operation not permitted: needs CAP_NET_ADMIN\$" || return
	done
	check_status 0 "${as_nobody[@]}" "$DIBSCTL" -j client show "$TC" || return
	check_eq 2 "$(dibsjson get 0.dmbs <<<"$KTAP_STDOUT")" \
		"DMBs of $TC as nobody sees them"
}
ktap_test "without CAP_NET_ADMIN dmb show and gid show are refused, counts stay" \
	test_dmb_unprivileged

test_gid_show() {
	local name status=0
	check_status 0 "$DIBSCTL" gid show || return
	for name in $(sysfs_names); do
		grep -qxF "$name local $(cat "/sys/class/dibs/$name/gid") fabric_id 0xffff" \
			<<<"$KTAP_STDOUT" || {
			ktap_diag "no local line of $name"
			status=1
		}
	done
	check_match "^ob1 peer $OB1_GID( fabric_id 0xffff)? dmbs 2\$" \
		"$(grep '^ob1 peer' <<<"$KTAP_STDOUT")" "peer GID of ob1" || status=1
	check_status 0 "$DIBSCTL" -j gid show || return
	check_schema gid gid-list "$KTAP_STDOUT" "gid show -j" || status=1
	return "$status"
}
ktap_test "gid show: every local GID, the peer GIDs of the DMBs" test_gid_show

test_gid_check() {
	check_status 0 "$DIBSCTL" gid check ob1 "$OB1_GID" || return
	check_eq "ob1 $OB1_GID reachable yes" "$KTAP_STDOUT" "gid check own GID" || return
	check_status 1 "$DIBSCTL" gid check ob1 "$OB2_GID" || return
	check_eq "ob1 $OB2_GID reachable no" "$KTAP_STDOUT" "gid check other GID" || return
	check_eq "" "$KTAP_STDERR" "stderr of not reachable" || return
	check_status 0 "$DIBSCTL" -j gid check ob1 "${OB1_GID^^}" vlan 5 || return
	check_schema gid gid-check "$KTAP_STDOUT" "gid check -j" || return
	check_eq "ob1 $OB1_GID 5 true" \
		"$(dibsjson table dev_name gid vlan_id reachable <<<"[$KTAP_STDOUT]")" \
		"gid check -j" || return
	check_status 1 "$DIBSCTL" -j gid check "$(cat /sys/class/dibs/ob2/index)" "$OB1_GID" ||
		return
	check_schema gid gid-check "$KTAP_STDOUT" "gid check -j INDEX" || return
	run "$DIBSCTL" gid check nosuch0 "$OB1_GID"
	check_failed "gid check nosuch0" "No such device" || return
	check_status 2 "$DIBSCTL" gid check ob1 "$OB1_GID" vlan 4096 || return
	check_status 2 "$DIBSCTL" gid check ob1 not-a-gid || return
	# a device command on hardware: root only
	run "${as_nobody[@]}" "$DIBSCTL" gid check ob1 "$OB1_GID"
	check_failed "gid check ob1" "Operation not permitted: needs CAP_NET_ADMIN\$"
}
ktap_test "gid check exits 0 reachable, 1 not reachable, 2 usage" test_gid_check

test_vlan_show() {
	local status=0
	echo "vlan-add ob1 5" >"$CTL" && echo "vlan-add ob1 5" >"$CTL" &&
		echo "vlan-add ob1 7" >"$CTL" || return
	check_status 0 "$DIBSCTL" vlan show dev ob1 || status=1
	check_eq "ob1 vlan 5 client $TC refs 2
ob1 vlan 7 client $TC refs 1" "$KTAP_STDOUT" "vlan show dev ob1" || status=1
	check_status 0 "$DIBSCTL" -j vlan show || status=1
	check_schema vlan vlan-list "$KTAP_STDOUT" "vlan show -j" || status=1
	check_eq "ob1 5 $TC 2
ob1 7 $TC 1" "$(dibsjson table dev_name id client_name refs <<<"$KTAP_STDOUT" |
		grep '^ob1 ')" "vlan show -j" || status=1
	echo "vlan-del ob1 5" >"$CTL" && echo "vlan-del ob1 5" >"$CTL" &&
		echo "vlan-del ob1 7" >"$CTL" || status=1
	check_status 0 "$DIBSCTL" -j vlan show dev ob1 || status=1
	check_eq "[]" "$KTAP_STDOUT" "vlan show after vlan-del" || status=1
	run "$DIBSCTL" vlan show dev nosuch0
	check_failed "vlan show" "No such device" || status=1
	return "$status"
}
ktap_test "vlan show: client references, -j matches the schema" test_vlan_show

counter() { # KEY STATS-JSON: the value in the first entry
	dibsjson get "0.$1" <<<"$2"
}

test_stats() {
	local json devs clients status=0
	check_status 0 "$DIBSCTL" stats reset dev ob1 || return
	echo "move ob1 0 0 100 signal" >"$CTL" || return
	check_status 0 "$DIBSCTL" -j stats show dev ob1 || return
	json=$KTAP_STDOUT
	check_schema stats stats-list "$json" "stats show -j dev ob1" || status=1
	check_eq "ob1 2 1 100 1 0" \
		"$(dibsjson table dev_name dmbs_in_use moves move_bytes signals dmb_registrations <<<"$json")" \
		"counters of ob1 after a reset and one move" || status=1
	check_status 0 "$DIBSCTL" -j stats show client "$TC" || return
	check_schema stats stats-list "$KTAP_STDOUT" "stats show -j client" || status=1
	check_eq "$TC $TC_ID" "$(dibsjson table client_name client_id <<<"$KTAP_STDOUT")" \
		"stats of the client" || status=1
	check_status 0 "$DIBSCTL" stats show dev ob1 || return
	check_eq "dev ob1" "$(head -n1 <<<"$KTAP_STDOUT")" "plain head line" || status=1
	check_match "^    moves 1 move_bytes 100 move_errors 0 signals 1 events [0-9]+\$" \
		"$(sed -n 4p <<<"$KTAP_STDOUT")" "plain counters" || status=1
	check_status 0 "$DIBSCTL" -j stats show || return
	check_schema stats stats-list "$KTAP_STDOUT" "stats show -j" || status=1
	devs=$(dibsjson table dev_name <<<"$KTAP_STDOUT" | grep -cvx -- -)
	clients=$(dibsjson table client_name <<<"$KTAP_STDOUT" | grep -cvx -- -)
	check_eq "$(sysfs_names | wc -l) 2" "$devs $clients" \
		"entries of every device and client" || status=1
	check_status 0 "$DIBSCTL" stats reset || return
	check_status 0 "$DIBSCTL" -j stats show dev ob1 || return
	check_eq "0 0 2 2" "$(dibsjson table moves move_bytes dmbs_in_use dmbs_max_in_use <<<"$KTAP_STDOUT")" \
		"ob1 after stats reset" || status=1
	run "${as_nobody[@]}" "$DIBSCTL" stats reset
	check_failed "stats reset" "Operation not permitted" || status=1
	run "$DIBSCTL" stats show client nosuch
	check_failed "stats show" "No such file or directory" || status=1
	return "$status"
}
ktap_test "stats show and reset of devices and clients" test_stats

test_dev_show_stats() {
	check_status 0 "$DIBSCTL" -j -s show ob1 || return
	check_json_schema dev-list "$KTAP_STDOUT" "-j -s show ob1" || return
	check_eq "ob1 2 0" "$(dibsjson table name dmbs_in_use moves <<<"$KTAP_STDOUT")" \
		"-s counters in the device object" || return
	check_status 0 "$DIBSCTL" -s show ob1 || return
	check_eq 4 "$(wc -l <<<"$KTAP_STDOUT")" "lines of -s show ob1" || return
	check_match "^    dmbs_in_use 2 dmbs_max_in_use 2 " "$(sed -n 2p <<<"$KTAP_STDOUT")" \
		"-s show ob1"
}
ktap_test "-s adds the counters to dev show" test_dev_show_stats

test_batch() {
	local file
	file=$(mktemp)
	printf '%s\n' "client show" "dmb show dev ob1" "gid show" "vlan show" \
		"stats show dev ob2" "gid check ob1 $OB1_GID" >"$file"
	check_status 0 "$DIBSCTL" -b "$file" || { rm -f "$file"; return 1; }
	rm -f "$file"
	check_match "^ob1 $OB1_GID reachable yes\$" "$(tail -n1 <<<"$KTAP_STDOUT")" \
		"last line of the batch"
}
ktap_test "batch files take the new commands" test_batch

kill "$HOLD_PID" && wait "$HOLD_PID"
expect_eq "dibs-dmb-hold exits cleanly" 0 "$?"

ktap_finish
