#!/bin/bash
# Host test of tests/lib/ktap.sh: each case runs a small suite in a fresh
# bash and checks its exact output and exit status.  No VM needed.
# shellcheck disable=SC2016 # the snippets are for the inner bash
# shellcheck disable=SC2317 # test functions run through ktap_test
lib=$(cd "$(dirname "$0")/../lib" && pwd)/ktap.sh
# shellcheck source=tests/lib/ktap.sh
. "$lib"

work=$(mktemp -d "${TMPDIR:-/tmp}/ktap-test.XXXXXX") || exit 1
ktap_cleanup rm -rf "$work"

# Runs SNIPPET as a suite; its stdout, stderr and status land in KTAP_*.
suite() { # SNIPPET
	run bash -c ". '$lib'; $1"
}

expect_suite() { # SNIPPET STATUS STDOUT
	suite "$1"
	check_eq "$2" "$KTAP_STATUS" "exit status" || return
	check_eq "$3" "$KTAP_STDOUT" "stdout"
}

test_pass() {
	expect_suite 'ktap_plan 2; ktap_ok one; expect_eq two a a; ktap_finish' 0 \
'TAP version 13
1..2
ok 1 one
ok 2 two
# totals: pass:2 fail:0 skip:0'
}
ktap_test "passing tests exit 0" test_pass

test_fail() {
	expect_suite 'expect_eq "gid" abc abd; ktap_ok other; ktap_finish' 1 \
"TAP version 13
# gid: expected 'abc', got 'abd'
not ok 1 gid
ok 2 other
1..2
# totals: pass:1 fail:1 skip:0"
}
ktap_test "a failed check says what differed and exits 1" test_fail

test_all_skipped() {
	expect_suite 'ktap_skip a "no device"; ktap_finish' 4 \
'TAP version 13
ok 1 a # SKIP no device
1..1
# totals: pass:0 fail:0 skip:1'
}
ktap_test "only skipped tests exit 4" test_all_skipped

test_skip_all_after_plan() {
	expect_suite 'ktap_plan 3; ktap_ok a; ktap_skip_all "no client"' 4 \
'TAP version 13
1..3
ok 1 a
ok 2 not run # SKIP no client
ok 3 not run # SKIP no client'
}
ktap_test "ktap_skip_all after the plan keeps the plan true" test_skip_all_after_plan

test_plan_mismatch() {
	suite 'ktap_plan 2; ktap_ok a; ktap_finish'
	check_eq 1 "$KTAP_STATUS" "exit status" || return
	check_match '# planned 2 tests but ran 1' "$KTAP_STDOUT" "stdout"
}
ktap_test "running fewer tests than planned fails" test_plan_mismatch

test_early_exit() {
	suite 'ktap_plan 2; ktap_ok a; exit 0'
	check_eq 1 "$KTAP_STATUS" "exit status" || return
	check_match '# suite exited early with status 0 after 1 tests' \
		"$KTAP_STDOUT" "stdout"
}
ktap_test "exiting without ktap_finish fails" test_early_exit

test_cleanup_order() {
	expect_suite 'ktap_cleanup echo first; ktap_cleanup echo "second one";
		ktap_ok a; ktap_finish' 0 \
'TAP version 13
ok 1 a
1..1
# totals: pass:1 fail:0 skip:0' || return
	check_eq $'second one\nfirst' "$KTAP_STDERR" "stderr (cleanup output)"
}
ktap_test "cleanups run last-added first, on stderr" test_cleanup_order

# Runs one check_* call in a fresh suite; "returned N" in KTAP_STDOUT is
# the check's status, the rest of KTAP_STDOUT its diagnostics.
check_call() { # SNIPPET
	suite "$1; echo \"returned \$?\"; ktap_finish"
}

test_file_eq_newline() {
	printf 'ab' >"$work/no-newline"
	check_call "check_file_eq '$work/no-newline' \$'ab\\n'"
	check_match 'returned 1' "$KTAP_STDOUT" "check_file_eq status" || return
	check_match "expected \\\$'ab\\\\n', got 'ab'" "$KTAP_STDOUT" "diagnostic"
}
ktap_test "check_file_eq sees a missing trailing newline" test_file_eq_newline

test_errno() {
	check_call 'check_errno ENOENT cat /nonexistent'
	check_match 'returned 0' "$KTAP_STDOUT" "failing cat, ENOENT expected" ||
		return
	check_call 'check_errno EEXIST cat /nonexistent'
	check_match 'returned 1' "$KTAP_STDOUT" "failing cat, EEXIST expected" ||
		return
	check_match 'expected EEXIST \(File exists\) on stderr' "$KTAP_STDOUT" \
		"diagnostic" || return
	check_call 'check_errno ENOENT true'
	check_match 'returned 1' "$KTAP_STDOUT" "succeeding command" || return
	check_match 'but it succeeded' "$KTAP_STDOUT" "diagnostic"
}
ktap_test "check_errno wants a failure naming the errno" test_errno

test_status() {
	check_call 'check_status 3 sh -c "echo oops >&2; exit 2"'
	check_match 'returned 1' "$KTAP_STDOUT" "check_status status" || return
	check_match '# exit status: expected 3, got 2' "$KTAP_STDOUT" "diagnostic" ||
		return
	check_match '# stderr: oops' "$KTAP_STDOUT" "command's stderr" || return
	check_call 'check_status 2 sh -c "exit 2"'
	check_match 'returned 0' "$KTAP_STDOUT" "matching status"
}
ktap_test "check_status shows the command and its output on a mismatch" test_status

ktap_finish
