#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dibsperf against the real modules: every mode runs, moves data whose
# echo matches (dibsperf compares it itself and exits 1 otherwise), and
# reports numbers of the right shape: positive rates and latencies,
# ordered percentiles, ratios for the dibs modes.  No timing thresholds.
# It leaves no DMB behind, and refuses bad input with a clear message.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/dibsperf.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require
DIBSPERF=$DIBS_BUILD_DIR/cli/dibsperf/dibsperf
[ -x "$DIBSPERF" ] || {
	ktap_fail "dibsperf is built" "$DIBSPERF is missing"
	ktap_finish
}
[ -f "$DIBS_MODULES/dibs_user.ko" ] || {
	ktap_fail "dibs_user.ko is built" "$DIBS_MODULES/dibs_user.ko is missing"
	ktap_finish
}
# The runner reloads only dibs.ko: take dibs_user out before it does.
ktap_cleanup sh -c '! [ -d /sys/module/dibs_user ] || rmmod dibs_user'
insmod "$DIBS_MODULES/dibs_user.ko" || {
	ktap_fail "insmod dibs_user.ko"
	ktap_finish
}

# Short runs: under TCG every second counts, and shape is what we check.
PERF_TIME=0.2

# Checks dibsperf's JSON (stdin) for MODES x SIZES results of sane shape.
read -r -d '' PERF_JSON_CHECK <<'EOF'
import json
import sys

modes = sys.argv[1].split(",")
sizes = [int(s) for s in sys.argv[2].split(",")]
try:
    doc = json.load(sys.stdin)
except ValueError as e:
    sys.exit(f"not JSON: {e}")
bad = []
for key, kind in (("version", str), ("device", str), ("seconds", float),
                  ("busy_poll", bool), ("results", list)):
    if not isinstance(doc.get(key), kind):
        bad.append(f"top-level {key!r} is {doc.get(key)!r}, not a {kind.__name__}")
if bad:
    sys.exit("\n".join(bad))
got = [(r.get("mode"), r.get("size")) for r in doc["results"]]
want = [(m, s) for s in sizes for m in modes]
if got != want:
    sys.exit(f"results for {got}, expected {want}")
for r in doc["results"]:
    name = f"{r['mode']} {r['size']}"
    lat = r.get("latency_us", {})
    for key, value in (("throughput_bps", r.get("throughput_bps")),
                       ("messages_per_s", r.get("messages_per_s")),
                       ("pingpongs", r.get("pingpongs")),
                       ("latency_us.avg", lat.get("avg")),
                       ("latency_us.p50", lat.get("p50")),
                       ("latency_us.p99", lat.get("p99"))):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            bad.append(f"{name}: {key} is {value!r}, not a positive number")
    if not bad and lat["p50"] > lat["p99"]:
        bad.append(f"{name}: latency p50 {lat['p50']} above p99 {lat['p99']}")
    if not bad and abs(r["throughput_bps"] / r["messages_per_s"] - r["size"]) > 1e-6 * r["size"]:
        bad.append(f"{name}: throughput_bps / messages_per_s is not the size")
    dibs = r["mode"] in ("copy", "nocopy")
    for base in ("unix", "tcp"):
        key = "vs_" + base
        if not dibs:
            if key in r:
                bad.append(f"{name}: a socket has {key}")
            continue
        ratio = r.get(key)
        if base not in modes:
            if ratio is not None:
                bad.append(f"{name}: {key} is {ratio!r} though {base} was not measured")
            continue
        if not isinstance(ratio, dict) or not all(
                isinstance(ratio.get(k), float) and ratio[k] > 0
                for k in ("throughput", "latency")):
            bad.append(f"{name}: {key} is {ratio!r}, not positive ratios")
sys.exit("\n".join(bad) if bad else 0)
EOF

check_perf_json() { # MODES SIZES
	local errors
	errors=$(/usr/bin/python3 -c "$PERF_JSON_CHECK" "$1" "$2" 2>&1) || {
		ktap_diag "dibsperf's JSON: $errors"
		return 1
	}
}

# What the kernel says lo holds: 0 once every dibsperf process is gone.
lo_dmbs_in_use() {
	"$DIBSCTL" -j show lo | dibsjson get 0.dmbs_in_use
}

test_all_modes_json() {
	check_status 0 "$DIBSPERF" -j -t "$PERF_TIME" -s 64,64K || return
	check_eq "" "$KTAP_STDERR" "stderr of dibsperf" || return
	check_perf_json copy,nocopy,unix,tcp 64,65536 <<<"$KTAP_STDOUT"
}
ktap_test "all four modes report sane JSON" test_all_modes_json

test_largest_size() {
	check_status 0 "$DIBSPERF" -j -t "$PERF_TIME" -s 1M -m copy,nocopy,unix || {
		ktap_diag "stderr: $KTAP_STDERR"
		return 1
	}
	check_perf_json copy,nocopy,unix 1048576 <<<"$KTAP_STDOUT"
}
ktap_test "1 MiB messages through copy and nocopy" test_largest_size

test_busy_poll() {
	check_status 0 "$DIBSPERF" -j -b -t "$PERF_TIME" -s 4K -m nocopy,copy || return
	check_perf_json nocopy,copy 4096 <<<"$KTAP_STDOUT" || return
	check_eq true "$(dibsjson get busy_poll <<<"$KTAP_STDOUT")" "busy_poll"
}
ktap_test "busy polling, without signals" test_busy_poll

test_table() {
	local mode line
	check_status 0 "$DIBSPERF" -t "$PERF_TIME" -s 256 || return
	check_match '^dibsperf .*: device lo,' "$(head -n1 <<<"$KTAP_STDOUT")" \
		"first line of the table" || return
	for mode in copy nocopy unix tcp; do
		line=$(grep -E "^$mode " <<<"$KTAP_STDOUT")
		# mode, size, 5 numbers; for dibs the multiples of unix and tcp
		if [ "$mode" = copy ] || [ "$mode" = nocopy ]; then
			check_match "^$mode +256( +[0-9.]+){5}( +[0-9.]+x){4}\$" \
				"$line" "$mode line of the table" || return
		else
			check_match "^$mode +256( +[0-9.]+){5}\$" \
				"$line" "$mode line of the table" || return
		fi
	done
}
ktap_test "table output with ratios" test_table

expect_eq "no DMB left on lo after dibsperf" 0 "$(lo_dmbs_in_use)"

test_unknown_device() {
	check_errno ENODEV "$DIBSPERF" -d nosuch0 -m copy -s 64 -t "$PERF_TIME" || return
	check_eq 1 "$KTAP_STATUS" "exit status" || return
	check_match '^dibsperf: copy: /dev/dibs bound to nosuch0: ' "$KTAP_STDERR" \
		"error message"
}
ktap_test "an unknown device is a clear error" test_unknown_device

test_bad_options() {
	local args
	for args in "-s 32" "-s 2M" "-m copy,bogus" "-t 0" "-t x" "-d 0123456789abcdef"; do
		# shellcheck disable=SC2086 # split on purpose
		check_status 2 "$DIBSPERF" $args || return
		check_match '^dibsperf: ' "$KTAP_STDERR" "stderr for $args" || return
	done
}
ktap_test "bad options exit 2 with a message" test_bad_options

expect_eq "no DMB left on lo after the errors" 0 "$(lo_dmbs_in_use)"

ktap_finish
