#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dibsctl monitor against the real module: a scripted sequence of device,
# client and DMB changes comes out in order, one line per event, through
# a pipe as it happens; -j lines match docs/dibsctl-monitor.schema.json;
# the dev, client and dmb filters; exit 0 on SIGINT and SIGTERM; events
# for unprivileged users too; a burst of 1000 devices is all there with
# the default receive buffer, and one that overruns a tiny buffer
# (rcvbuf) is reported on stderr while monitoring goes on.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/dibsctl-monitor.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require

CTL=/sys/kernel/debug/dibs_test_client/ctl
TC=dibs_test_client
MON_SCHEMA=$TOP/docs/dibsctl-monitor.schema.json

[ -f "$DIBS_MODULES/$TC.ko" ] || {
	ktap_fail "$TC.ko is built" "$DIBS_MODULES/$TC.ko is missing"
	ktap_finish
}
ktap_cleanup sh -c "! [ -d /sys/module/$TC ] || rmmod $TC"
for name in mon1 mon2 mon3 mon4 mon5 mon6 mon7 mark1 mark2 mark3 mark4 mark5 mark6; do
	ktap_cleanup sh -c "[ ! -e /sys/class/dibs/$name ] || '$DIBSCTL' del $name force"
done

# shellcheck disable=SC2016 # expanded by sh
ktap_cleanup sh -c 'for d in /sys/class/dibs/burst*; do
	[ ! -e "$d" ] || "$0" del "${d##*/}"; done' "$DIBSCTL"

WORK=$(mktemp -d)
ktap_cleanup rm -rf "$WORK"
MON_PID=
CAT_PID=

# Starts CMD (a dibsctl monitor) writing through a pipe, read by cat
# into $WORK/OUT, and waits until events come through (the monitor
# subscribes a little after it starts): a marker device gets a client and
# a DMB, until the monitor reports the device or the client, whatever
# its filter.  The marker's lines are dropped.
start_monitor() { # OUT CMD...
	local out=$WORK/$1 i
	shift
	rm -f "$out.fifo"
	mkfifo "$out.fifo" || return
	: >"$out"
	# Appending: the file is emptied under cat's feet.
	cat "$out.fifo" >>"$out" &
	CAT_PID=$!
	"$@" >"$out.fifo" 2>"$out.err" &
	MON_PID=$!
	for i in 1 2 3 4 5 6; do
		"$DIBSCTL" add loopback name "mark$i" >/dev/null &&
			insmod "$DIBS_MODULES/$TC.ko" &&
			echo "register mark$i 1 4096" >"$CTL" &&
			echo "unregister mark$i" >"$CTL" &&
			rmmod "$TC" &&
			"$DIBSCTL" del "mark$i" || return
		sleep 0.5
		if grep -qaE "mark$i|$TC" "$out"; then
			# The marker's last events too, then start afresh.
			sleep 0.5
			: >"$out"
			return 0
		fi
	done
	ktap_diag "the monitor showed none of the markers:"
	ktap_diag "$(cat "$out" "$out.err")"
	stop_monitor INT
	return 1
}

# Stops the monitor with SIGNAL and returns its exit status.
stop_monitor() { # SIGNAL
	local status
	kill "-$1" "$MON_PID" || return
	wait "$MON_PID"
	status=$?
	wait "$CAT_PID"
	return "$status"
}

# Waits until FILE has at least N lines.
wait_lines() { # FILE N
	for _ in $(seq 100); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	ktap_diag "$1 has $(wc -l <"$1") lines, expected $2:"
	ktap_diag "$(cat "$1")"
	return 1
}

# The scripted sequence: 8 events (dev-new, client-new, client-unbind,
# client-bind, dmb-new, dmb-del, client-del, dev-del).
scripted_sequence() { # DEV
	"$DIBSCTL" add loopback name "$1" >/dev/null &&
		insmod "$DIBS_MODULES/$TC.ko" &&
		"$DIBSCTL" client unbind "$TC" dev "$1" &&
		"$DIBSCTL" client bind "$TC" dev "$1" &&
		echo "register $1 1 8192" >"$CTL" &&
		echo "move $1 0 0 64 signal" >"$CTL" &&
		echo "unregister $1" >"$CTL" &&
		rmmod "$TC" &&
		"$DIBSCTL" del "$1"
}

# "EVENT NAME" per JSON line: the device's or client's name, or the
# DMB's device.
json_events() { # FILE
	local line
	while read -r line; do
		dibsjson table event name dev_name <<<"[$line]"
	done <"$1" | awk '{ print $1, ($2 != "-" ? $2 : $3) }'
}

test_json_sequence() {
	local out=$WORK/json i=0 status=0 line
	start_monitor json "$DIBSCTL" -j monitor || return
	scripted_sequence mon1 || { stop_monitor INT; return 1; }
	wait_lines "$out" 8
	stop_monitor INT || { ktap_diag "exit status after SIGINT: $?"; status=1; }
	check_eq "dev-new mon1
client-new $TC
client-unbind $TC
client-bind $TC
dmb-new mon1
dmb-del mon1
client-del $TC
dev-del mon1" "$(json_events "$out")" "events in order" || status=1
	while read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" >"$WORK/event$i.json"
	done <"$out"
	dibsjson_validate "$MON_SCHEMA" event "$WORK"/event*.json || {
		ktap_diag "events do not match #/\$defs/event of the schema:"
		ktap_diag "$DIBSJSON_ERRORS"
		status=1
	}
	check_match '"bytes":64,"moves":1,"signals":1' "$(grep dmb-del "$out")" \
		"final counters of dmb-del" || status=1
	check_match '"event":"client-bind","id":[0-7],"name":"'"$TC"'","dev_index":[0-9]+,"dev_name":"mon1"' \
		"$(grep client-bind "$out")" "client-bind" || status=1
	[[ $(cat "$out") != *token* ]] || { ktap_diag "a token in an event"; status=1; }
	check_eq "" "$(cat "$out.err")" "stderr of monitor" || status=1
	return "$status"
}
ktap_test "monitor -j: a scripted sequence in order through a pipe, lines match the schema" \
	test_json_sequence

test_plain_sequence() {
	local out=$WORK/plain status=0
	start_monitor plain "$DIBSCTL" monitor all || return
	scripted_sequence mon2 || { stop_monitor TERM; return 1; }
	wait_lines "$out" 8
	stop_monitor TERM || { ktap_diag "exit status after SIGTERM: $?"; status=1; }
	check_eq "dev new mon2 index
client new $TC id
client unbind $TC dev
client bind $TC dev
dmb new mon2 idx
dmb del mon2 idx
client del $TC id
dev del mon2 index" "$(cut -d' ' -f1-4 "$out")" "plain events" || status=1
	check_match "^dmb new mon2 idx 0 len 8192 client $TC rgid [0-9a-f-]{36}\$" \
		"$(grep '^dmb new' "$out")" "dmb new line" || status=1
	check_match " bytes 64 moves 1 signals 1\$" "$(grep '^dmb del' "$out")" \
		"dmb del line" || status=1
	check_match "^client bind $TC dev mon2 id [0-7]\$" \
		"$(grep '^client bind' "$out")" "client bind line" || status=1
	return "$status"
}
ktap_test "monitor: plain lines in order; SIGTERM exits 0" test_plain_sequence

test_filters() {
	local status=0 kind n dev=3
	for kind in dev client dmb; do
		start_monitor "$kind" "$DIBSCTL" -j monitor "$kind" || return
		scripted_sequence "mon$dev" || { stop_monitor INT; return 1; }
		dev=$((dev + 1))
		case $kind in
		dev | dmb) n=2 ;;
		client) n=4 ;;
		esac
		wait_lines "$WORK/$kind" "$n"
		# Anything else would have come by now.
		sleep 1
		stop_monitor INT || status=1
		check_eq "$n" "$(wc -l <"$WORK/$kind")" "lines of monitor $kind" ||
			status=1
		if grep -qv "\"event\":\"$kind-" "$WORK/$kind"; then
			ktap_diag "monitor $kind printed other events:"
			ktap_diag "$(cat "$WORK/$kind")"
			status=1
		fi
	done
	return "$status"
}
ktap_test "monitor dev, client and dmb print only their events" test_filters

test_unprivileged() {
	local status=0
	command -v setpriv >/dev/null || {
		ktap_skip_reason "no setpriv"
		return "$KSFT_SKIP"
	}
	# all events but the DMBs', which need CAP_NET_ADMIN (dibsctl(8))
	start_monitor nobody setpriv --reuid=nobody --regid=nogroup \
		--clear-groups --inh-caps=-all --bounding-set=-all \
		"$DIBSCTL" monitor || return
	"$DIBSCTL" add loopback name mon5 >/dev/null && "$DIBSCTL" del mon5 || status=1
	wait_lines "$WORK/nobody" 2 || status=1
	stop_monitor INT || status=1
	check_match "^dev del mon5 " "$(tail -n1 "$WORK/nobody")" "nobody's events" ||
		status=1
	check_eq "dibsctl: monitor: DMB events need CAP_NET_ADMIN, showing the others" \
		"$(cat "$WORK/nobody.err")" "nobody's monitor stderr" || status=1
	run setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
		--bounding-set=-all "$DIBSCTL" monitor dmb
	check_eq 1 "$KTAP_STATUS" "exit status of monitor dmb as nobody" || status=1
	check_match "^dibsctl: monitor: Operation not permitted" "$KTAP_STDERR" \
		"monitor dmb as nobody" || status=1
	return "$status"
}
ktap_test "monitor without CAP_NET_ADMIN: all but DMB events; monitor dmb refused" \
	test_unprivileged

# A batch file adding (add) or deleting (del) the devices burst1..N.
burst_batch() { # add|del N FILE
	local i
	for i in $(seq "$2"); do
		if [ "$1" = add ]; then
			echo "add loopback name burst$i"
		else
			echo "del burst$i"
		fi
	done >"$3"
}

# Waits until FILE has N lines matching PATTERN; a long bound for TCG.
wait_matches() { # FILE PATTERN N
	local i
	for i in $(seq 1200); do
		[ "$(grep -c -- "$2" "$1")" -ge "$3" ] && return 0
		sleep 0.1
	done
	ktap_diag "$1 has $(grep -c -- "$2" "$1") lines of $2, expected $3"
	return 1
}

# The monitor is stopped (SIGSTOP) during the burst, so every event has to
# wait in the socket's receive buffer: the default one holds them all.
test_burst_default_buffer() {
	local out=$WORK/burst status=0 n=1000
	burst_batch add "$n" "$WORK/burst-add"
	burst_batch del "$n" "$WORK/burst-del"
	start_monitor burst "$DIBSCTL" -j monitor dev || return
	kill -STOP "$MON_PID"
	"$DIBSCTL" -b "$WORK/burst-add" >/dev/null || status=1
	kill -CONT "$MON_PID"
	wait_matches "$out" '"event":"dev-new"' "$n" || status=1
	kill -STOP "$MON_PID"
	"$DIBSCTL" -b "$WORK/burst-del" >/dev/null || status=1
	kill -CONT "$MON_PID"
	wait_matches "$out" '"event":"dev-del"' "$n" || status=1
	stop_monitor INT || status=1
	check_eq "$n $n" "$(grep -c '"event":"dev-new","index":[0-9]*,"name":"burst' "$out") $(grep -c '"event":"dev-del","index":[0-9]*,"name":"burst' "$out")" \
		"dev-new and dev-del events of the burst" || status=1
	check_eq "" "$(cat "$out.err")" "stderr of monitor (no ENOBUFS)" || status=1
	return "$status"
}
ktap_test "monitor: 1000 devices added and deleted in a batch, no event lost with the default buffer" \
	test_burst_default_buffer

test_burst_tiny_buffer() {
	local out=$WORK/tiny status=0 n=200
	burst_batch add "$n" "$WORK/tiny-add"
	burst_batch del "$n" "$WORK/tiny-del"
	start_monitor tiny "$DIBSCTL" monitor dev rcvbuf 1024 || return
	kill -STOP "$MON_PID"
	"$DIBSCTL" -b "$WORK/tiny-add" >/dev/null || status=1
	kill -CONT "$MON_PID"
	wait_matches "$out.err" "dropped events (ENOBUFS)" 1 || status=1
	# and it goes on: a device added after the gap is reported
	"$DIBSCTL" add loopback name mon7 >/dev/null || status=1
	wait_matches "$out" "^dev new mon7 " 1 || status=1
	stop_monitor INT || { ktap_diag "exit status after SIGINT: $?"; status=1; }
	check_eq "dibsctl: monitor: the kernel dropped events (ENOBUFS); some are missing (a bigger \"rcvbuf\" may help)" \
		"$(sort -u "$out.err")" "stderr of monitor" || status=1
	[ "$(grep -c '^dev new burst' "$out")" -lt "$n" ] || {
		ktap_diag "all $n events fit into a 1024-byte buffer"
		status=1
	}
	"$DIBSCTL" -b "$WORK/tiny-del" >/dev/null && "$DIBSCTL" del mon7 || status=1
	return "$status"
}
ktap_test "monitor rcvbuf 1024: a burst that overruns it is reported, monitoring goes on" \
	test_burst_tiny_buffer

test_usage() {
	check_status 2 "$DIBSCTL" monitor dmbs || return
	check_status 2 "$DIBSCTL" monitor dev extra || return
	check_status 2 "$DIBSCTL" monitor dev rcvbuf 100 || return
	check_status 2 "$DIBSCTL" monitor dev rcvbuf || return
	check_status 0 "$DIBSCTL" monitor help
}
ktap_test "monitor usage errors exit 2" test_usage

ktap_finish
