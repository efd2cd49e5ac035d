#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dibsctl stats prometheus with Debian's real prometheus-node-exporter:
# the file written for its textfile collector is read without error, and
# every dibs_ sample scraped from /metrics over loopback HTTP equals what
# dibsctl -j stats show reports at the same moment (DMBs held, so the
# gauges are not zero), with HELP and TYPE for every family.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/consumers/prometheus.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/../cli/common.sh"
# shellcheck source=tests/consumers/common.sh
. "$(dirname "$0")/common.sh"

cli_require
EXPORTER=/usr/bin/prometheus-node-exporter
[ -x "$EXPORTER" ] || ktap_skip_all "prometheus-node-exporter is not installed (tools/install-deps)"
command -v curl >/dev/null || ktap_skip_all "curl is not installed (tools/install-deps)"
HOLD=$DIBS_BUILD_DIR/tests/cli/dibs-dmb-hold
load_dibs_user || {
	ktap_fail "insmod dibs_user.ko"
	ktap_finish
}
ktap_plan 4

work=$(mktemp -d)
ktap_cleanup rm -rf "$work"
textdir=$work/textfile
mkdir "$textdir"

# Some history: DMBs registered and moved into, then two held open.
"$DIBSPERF" -d lo -m copy -s 64 -t 0.2 >/dev/null || ktap_diag "dibsperf failed"
"$HOLD" lo 2 4096 >"$work/hold" &
hold_pid=$!
ktap_cleanup sh -c "kill $hold_pid 2>/dev/null; wait $hold_pid 2>/dev/null"
for _ in $(seq 100); do
	[ "$(wc -l <"$work/hold")" -ge 2 ] && break
	sleep 0.1
done

# The documented setup: write to a temporary name, rename into place.
test_write_file() {
	check_status 0 sh -c "'$DIBSCTL' stats prometheus >'$textdir/dibs.prom.\$\$' && mv '$textdir/dibs.prom.\$\$' '$textdir/dibs.prom'" ||
		return
	"$DIBSCTL" -j stats show >"$work/stats.json" || return
	check_match '^# HELP dibs_device_dmbs_in_use ' "$(head -n1 "$textdir/dibs.prom")" \
		"first line of the file"
}
ktap_test "dibsctl stats prometheus writes the textfile" test_write_file
stage_time write

port=19100
ip link set lo up 2>/dev/null
"$EXPORTER" --web.listen-address=127.0.0.1:$port --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$textdir" \
	>"$work/exporter.log" 2>&1 &
exporter_pid=$!
ktap_cleanup sh -c "kill $exporter_pid 2>/dev/null; wait $exporter_pid 2>/dev/null"

test_scrape() {
	local i
	for i in $(seq 150); do
		curl -sf "http://127.0.0.1:$port/metrics" -o "$work/metrics" && return
		kill -0 "$exporter_pid" 2>/dev/null || break
		sleep 0.2
	done
	ktap_diag "no answer from node exporter on 127.0.0.1:$port after $i tries"
	ktap_diag "$(cat "$work/exporter.log")"
	return 1
}
ktap_test "node exporter serves /metrics on 127.0.0.1" test_scrape
stage_time scrape

test_no_scrape_error() {
	check_match $'(^|\n)node_textfile_scrape_error 0(\n|$)' \
		"$(cat "$work/metrics" 2>/dev/null)" \
		"node_textfile_scrape_error (1: the collector could not parse the file)"
}
ktap_test "the textfile collector parses the file" test_no_scrape_error

test_values() {
	check_status 0 /usr/bin/python3 "$TOP/tests/consumers/prom-check.py" \
		"$work/stats.json" "$work/metrics" || {
		ktap_diag "$KTAP_STDOUT"
		return 1
	}
	ktap_diag "$KTAP_STDOUT"
	check_match '^2$' "$(dibsjson get 0.dmbs_in_use <"$work/stats.json")" \
		"dmbs_in_use of lo while two DMBs are held"
}
ktap_test "every scraped dibs_ sample equals dibsctl -j stats show" test_values

ktap_finish
