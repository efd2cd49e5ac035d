#!/bin/bash
# Host-side test of tools/dibs-vm's contract (exit status, separate stdout
# and stderr, working directory, environment, shared directory, timeout,
# module errors) and of how tests/run-vm-suites reports misbehaving suites.
# Runs on the host and boots the VM six times:
#   DIBS_MODULES=/tmp/x/modules tests/vm/dibs-vm-test.sh
# shellcheck disable=SC2016 # '$' in single quotes is for the guest's shell
# shellcheck disable=SC2317 # test functions run through ktap_test
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib/ktap.sh
. "$top/tests/lib/ktap.sh"

dibs_vm=$top/tools/dibs-vm

[ "${DIBS_VM:-}" != 1 ] || ktap_skip_all "runs on the host, not inside the VM"
[ -r "${DIBS_MODULES:-}/dibs.ko" ] ||
	ktap_skip_all "DIBS_MODULES does not name a directory with dibs.ko (tools/build-modules makes one)"

work=$(mktemp -d "${TMPDIR:-/tmp}/dibs-vm-test.XXXXXX") || exit 1
ktap_cleanup rm -rf "$work"

lines_of() { # FILE FIRST [LAST]
	sed -n "$2,${3:-$2}p" "$1"
}

# ------------------------------------------- one boot, most of the contract

(cd "$top/tests" && DIBS_PROBE='two  words $HOME' NOT_FOR_GUEST=leaked \
	"$dibs_vm" --out "$work/out" -- sh -c '
		echo "stdout line"
		echo "stderr line" >&2
		pwd
		echo "probe=$DIBS_PROBE"
		echo "other=${NOT_FOR_GUEST-unset}"
		echo "from the guest" >"$DIBS_VM_OUT/handed-back"
		echo lost >"$1/discarded"
		exit 3' sh "$work") >"$work/basic.out" 2>"$work/basic.err"
status=$?

expect_eq "COMMAND's exit status is dibs-vm's (exit 3 -> 3)" 3 "$status"
expect_eq "stdout is COMMAND's stdout" "stdout line" "$(lines_of "$work/basic.out" 1)"
expect_file_eq "stderr is COMMAND's stderr and nothing else" "$work/basic.err" \
	$'stderr line\n'
expect_eq "COMMAND runs in the caller's directory" "$top/tests" \
	"$(lines_of "$work/basic.out" 2)"
expect_eq "DIBS_* variables reach COMMAND unchanged" 'probe=two  words $HOME' \
	"$(lines_of "$work/basic.out" 3)"
expect_eq "other variables do not reach COMMAND" "other=unset" \
	"$(lines_of "$work/basic.out" 4)"
expect_file_eq "files in \$DIBS_VM_OUT come back (--out)" \
	"$work/out/handed-back" $'from the guest\n'
ktap_test "guest writes elsewhere are discarded" check_absent "$work/discarded"

test_dmesg_kept() {
	check_exists "$work/out/dmesg.txt" || return
	check_match 'Linux version 6\.1\.' "$(head -n 5 "$work/out/dmesg.txt")" \
		"start of dmesg.txt"
}
ktap_test "the guest's kernel log is kept as \$DIBS_VM_OUT/dmesg.txt" test_dmesg_kept

# ------------------------------------------------------------------ timeout

test_timeout() {
	run "$dibs_vm" --timeout 3 -- sleep 600
	check_eq 124 "$KTAP_STATUS" "exit status" || return
	check_match 'COMMAND timed out after 3 s' "$KTAP_STDERR" "stderr" || return
	check_match '---- console\.txt ----' "$KTAP_STDERR" "stderr" || return
	check_match '---- dmesg\.txt ----' "$KTAP_STDERR" "stderr"
}
ktap_test "--timeout stops COMMAND: status 124, console and kernel log on stderr" \
	test_timeout

# A crash ends the VM without a status from the guest: the host must notice.
test_panic() {
	run "$dibs_vm" -- sh -c 'echo c >/proc/sysrq-trigger; sleep 600'
	check_eq 125 "$KTAP_STATUS" "exit status" || return
	check_match 'the VM stopped .* before COMMAND finished' "$KTAP_STDERR" \
		"stderr" || return
	check_match 'Kernel panic' "$KTAP_STDERR" "console log on stderr"
}
ktap_test "a kernel panic during COMMAND exits 125 with the console on stderr" \
	test_panic

# ------------------------------------------------------------ module errors

test_missing_dir() {
	run "$dibs_vm" --modules "$work/nowhere" -- true
	check_eq 125 "$KTAP_STATUS" "exit status" || return
	check_match "module directory $work/nowhere does not exist" "$KTAP_STDERR" "stderr"
}
ktap_test "a missing module directory is a clear error (125)" test_missing_dir

test_no_dibs_ko() {
	mkdir -p "$work/empty"
	run "$dibs_vm" --modules "$work/empty" -- true
	check_eq 125 "$KTAP_STATUS" "exit status" || return
	check_match "no dibs\.ko in $work/empty" "$KTAP_STDERR" "stderr"
}
ktap_test "a module directory without dibs.ko is a clear error (125)" test_no_dibs_ko

# kvm_intel cannot initialise on QEMU's TCG CPU (no VMX), which makes it a
# real module of the right kernel that fails to load in the guest.
test_load_failure() {
	local kver ko
	kver=$(modinfo -F vermagic "$DIBS_MODULES/dibs.ko" | cut -d ' ' -f 1)
	ko=$(find "/lib/modules/$kver/kernel/arch/x86/kvm" -name 'kvm-intel.ko*' 2>/dev/null | head -n 1)
	if [ -z "$ko" ]; then
		ktap_skip_reason "no kvm-intel module for $kver to stand in for a broken dibs.ko"
		return "$KSFT_SKIP"
	fi
	mkdir -p "$work/broken"
	cp "$ko" "$work/broken/dibs.ko"
	run "$dibs_vm" --modules "$work/broken" -- true
	check_eq 125 "$KTAP_STATUS" "exit status" || return
	check_match "cannot load $work/broken/dibs\.ko" "$KTAP_STDERR" "stderr" || return
	check_match '---- console\.txt ----' "$KTAP_STDERR" "stderr"
}
ktap_test "a dibs.ko that fails to load stops the run (125, console on stderr)" \
	test_load_failure

# ------------------------------------------------- kernel series, --no-load

other_series=$("$top/tools/kernel-release" --supported)
other_series=${other_series##* }

# One boot for --kernel SERIES, --no-load and --layer: the layer adds a
# file and its whiteout (a 0/0 character device, as overlayfs writes one)
# hides one of the host's.
test_series_no_load_layer() {
	local release
	release=$("$top/tools/kernel-release" --image "$other_series") || return
	mkdir -p "$work/layer/etc" "$work/layer/usr/share/dibs-vm-test"
	echo "from the layer" >"$work/layer/etc/dibs-vm-layer"
	mknod "$work/layer/etc/hostname" c 0 0 || return
	run "$dibs_vm" --kernel "$other_series" --no-load --layer "$work/layer" -- \
		sh -c 'uname -r; grep -c "^dibs" /proc/modules
			ls /sys/class/dibs 2>&1 | wc -l
			cat /etc/dibs-vm-layer; ls /etc/hostname 2>&1 | wc -l
			test -e /etc/passwd && echo passwd'
	check_eq 0 "$KTAP_STATUS" "exit status" || return
	check_eq "$release" "$(lines_of <(echo "$KTAP_STDOUT") 1)" "uname -r" ||
		return
	check_eq 0 "$(lines_of <(echo "$KTAP_STDOUT") 2)" "dibs modules loaded" ||
		return
	check_eq 1 "$(lines_of <(echo "$KTAP_STDOUT") 3)" \
		"lines of ls /sys/class/dibs (an error: no dibs class)" || return
	check_eq "from the layer" "$(lines_of <(echo "$KTAP_STDOUT") 4)" \
		"a file of the layer" || return
	check_eq 1 "$(lines_of <(echo "$KTAP_STDOUT") 5)" \
		"lines of ls /etc/hostname (an error: the layer's whiteout hides it)" ||
		return
	check_eq passwd "$(lines_of <(echo "$KTAP_STDOUT") 6)" \
		"the host's files under the layer"
}
ktap_test "--kernel $other_series --no-load --layer: that kernel, no dibs.ko, the layer over the root" \
	test_series_no_load_layer

test_unknown_series() {
	run "$dibs_vm" --kernel 6.99 -- true
	check_eq 125 "$KTAP_STATUS" "exit status" || return
	check_match 'no /boot/vmlinuz-6\.99\.\*-amd64; install with: apt-get install' \
		"$KTAP_STDERR" "stderr"
}
ktap_test "--kernel with a series that is not installed is a clear error (125)" \
	test_unknown_series

test_modules_for_other_kernel() {
	run "$dibs_vm" --kernel "$other_series" --modules "$DIBS_MODULES" -- true
	check_eq 125 "$KTAP_STATUS" "exit status" || return
	check_match "dibs\.ko is built for [^ ]+, the kernel is $other_series\." \
		"$KTAP_STDERR" "stderr"
}
ktap_test "modules built for another kernel are refused before booting (125)" \
	test_modules_for_other_kernel

# -------------------------------------------------------------------- usage

test_help() {
	check_status 0 "$dibs_vm" --help || return
	local option
	for option in --kernel --no-load --layer --debug --modules --timeout \
		--out DIBS_VM_OUT 123; do
		check_match "$option" "$KTAP_STDOUT" "--help output" || return
	done
}
ktap_test "--help documents the options and exits 0" test_help

test_bad_usage() {
	check_status 125 "$dibs_vm" --no-such-option -- true || return
	check_status 125 "$dibs_vm" --layer "$work/no-such-layer" -- true || return
	check_status 125 "$dibs_vm" --timeout soon -- true || return
	check_status 125 "$dibs_vm" --modules "$DIBS_MODULES" || return
	# --debug boots its own kernel; checked before anything is built.
	check_status 125 "$dibs_vm" --debug --kernel /boot/vmlinuz -- true || return
	check_match "leave out --kernel" "$KTAP_STDERR" "stderr of --debug --kernel"
}
ktap_test "bad usage exits 125: unknown option, missing --layer, bad --timeout, no COMMAND, --debug with --kernel" \
	test_bad_usage

# ------------------------------------------- tests/run-vm-suites' reporting

# Every way a suite can misbehave, and the one line each must produce.
test_runner_reports() {
	local expected got
	expected=$(cat <<EOF
ok 1 - good: passes
ok 2 - good: skips # SKIP not today
not ok 3 - failing: fails
ok 4 - crash: before the crash
not ok 5 - crash: killed by signal SIGSEGV
not ok 6 - slow: timed out after 2 s
ok 7 - malformed: one
ok 8 - malformed: two
not ok 9 - malformed: malformed KTAP: plan 1..3 but 2 results
ok 10 - noplan: lonely
not ok 11 - noplan: no KTAP plan (1..N) in its output (exit status 0)
ok 12 - skipall # SKIP no hardware
ok 13 - liar: fine
not ok 14 - liar: exited with status 1 but reported no failed test
not ok 15 - does-not-exist: $top/tests/vm/fixtures/does-not-exist.sh is missing or not executable
not ok 16 - needs-build-dir: DIBS_BUILD_DIR is not set, cannot find build:tests/vm/fixtures/needs-build-dir
ok 17 - splat: warns
ok 18 - good # SKIP runs on kernels 9.9,debug only (vm-suites.list), this is 6.1
not ok 19 - kernel log: no BUG, WARNING, Oops or general protection fault
1..19
EOF
)
	(cd "$top" && unset DIBS_BUILD_DIR &&
		DIBS_SUITES_LIST=$top/tests/vm/fixtures/suites.list \
		"$dibs_vm" -- tests/run-vm-suites) >"$work/runner.out" 2>"$work/runner.err"
	check_eq 1 "$?" "run-vm-suites exit status" || return
	check_eq "TAP version 13" "$(head -n 1 "$work/runner.out")" "first line" ||
		return
	got=$(grep -E '^(ok|not ok|1\.\.)' "$work/runner.out")
	if [ "$got" != "$expected" ]; then
		ktap_diag "results differ (- expected, + got):"
		ktap_diag "$(diff <(echo "$expected") <(echo "$got") | grep '^[<>]' |
			sed 's/^</-/; s/^>/+/')"
		return 1
	fi
	check_match 'WARNING: CPU: 0 PID: [0-9]+ at fixture splat\.sh' \
		"$(cat "$work/runner.out")" "kernel log report" || return
	check_match 'fails: expected .expected., got .got.' "$(cat "$work/runner.out")" \
		"failing suite's diagnostics"
}
ktap_test "run-vm-suites turns misbehaving suites into failed test points" \
	test_runner_reports

ktap_finish
