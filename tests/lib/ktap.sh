# shellcheck shell=bash
# KTAP helpers for dibs's shell test suites (bash).  Source it, then:
#
#   ktap_plan 3                      # optional; else the plan comes last
#   ktap_cleanup rmmod dibs_test_client   # runs at exit, last added first
#   expect_eq "lo fabric_id" 0xffff "$(cat /sys/class/dibs/lo/fabric_id)"
#   expect_errno "del unknown" ENODEV dibsctl del nosuch
#   test_lo_gid() {                  # several checks make one test
#           check_file_eq /sys/class/dibs/lo/gid "$gid"$'\n' || return
#           check_match '^[0-9a-f-]{36}$' "$gid" "gid format"
#   }
#   ktap_test "lo gid" test_lo_gid
#   ktap_finish                      # exit 0 pass, 1 fail, 4 all skipped
#
# Sourcing prints "TAP version 13".  Results: ktap_ok, ktap_fail, ktap_skip,
# ktap_skip_all, ktap_test; test names must not contain '#'.
# check_{eq,ne,match,file_eq,exists,absent,status,errno} print what differed
# as "# " lines and return 0 or 1; expect_{eq,ne,match,file_eq,status,
# success,errno} do the same check and report it as one test point.
# run CMD... keeps the last command's status and output in KTAP_STATUS,
# KTAP_STDOUT and KTAP_STDERR (trailing newlines removed).  Cleanups run on
# any exit with their output on stderr; a suite that exits without
# ktap_finish fails.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

KTAP_STATUS=0
KTAP_STDOUT=
KTAP_STDERR=
_ktap_planned=
_ktap_count=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0
_ktap_finished=
_ktap_skip_reason=
_ktap_cleanups=()

echo "TAP version 13"

ktap_diag() {
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

ktap_plan() {
	_ktap_planned=$1
	echo "1..$1"
}

_ktap_point() { # STATUS-WORD NAME [DIRECTIVE]
	_ktap_count=$((_ktap_count + 1))
	echo "$1 $_ktap_count $2${3:+ # $3}"
}

ktap_ok() {
	_ktap_pass=$((_ktap_pass + 1))
	_ktap_point ok "$1"
}

ktap_fail() { # NAME [WHY...]
	_ktap_fail=$((_ktap_fail + 1))
	[ $# -lt 2 ] || ktap_diag "$1: ${*:2}"
	_ktap_point "not ok" "$1"
}

ktap_skip() { # NAME WHY
	_ktap_skip=$((_ktap_skip + 1))
	_ktap_point ok "$1" "SKIP ${2:-skipped}"
}

# The whole suite cannot run here (no module, not root, ...).
ktap_skip_all() { # WHY
	if [ -z "$_ktap_planned" ]; then
		echo "1..0 # SKIP $1"
	else
		# The plan is out already: keep it true.
		while [ "$_ktap_count" -lt "$_ktap_planned" ]; do
			ktap_skip "not run" "$1"
		done
	fi
	_ktap_finished=1
	exit $KSFT_SKIP
}

# Inside a ktap_test function: `ktap_skip_reason "why"; return $KSFT_SKIP`.
ktap_skip_reason() {
	_ktap_skip_reason=$*
}

# Run FUNC [ARGS...] in this shell and report it as test NAME: ok when it
# returns 0, skipped when it returns $KSFT_SKIP, failed otherwise.
ktap_test() { # NAME FUNC [ARGS...]
	local name=$1 status=0
	shift
	_ktap_skip_reason=
	"$@" || status=$?
	case $status in
	0) ktap_ok "$name" ;;
	"$KSFT_SKIP") ktap_skip "$name" "${_ktap_skip_reason:-skipped}" ;;
	*) ktap_fail "$name" ;;
	esac
}

ktap_cleanup() { # CMD [ARGS...]
	local quoted
	quoted=$(printf '%q ' "$@")
	_ktap_cleanups=("$quoted" "${_ktap_cleanups[@]}")
}

_ktap_on_exit() {
	local status=$? cmd
	# Cleanup output must not be taken for test results.
	for cmd in "${_ktap_cleanups[@]}"; do
		eval "$cmd" >&2 || ktap_diag "cleanup failed: $cmd"
	done
	if [ -z "$_ktap_finished" ]; then
		ktap_diag "suite exited early with status $status after $_ktap_count tests"
		[ "$status" -ne 0 ] || status=$KSFT_FAIL
	fi
	exit "$status"
}
trap _ktap_on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ktap_finish() {
	local status=$KSFT_PASS
	if [ -z "$_ktap_planned" ]; then
		echo "1..$_ktap_count"
	elif [ "$_ktap_planned" -ne "$_ktap_count" ]; then
		ktap_diag "planned $_ktap_planned tests but ran $_ktap_count"
		status=$KSFT_FAIL
	fi
	ktap_diag "totals: pass:$_ktap_pass fail:$_ktap_fail skip:$_ktap_skip"
	if [ "$_ktap_fail" -gt 0 ]; then
		status=$KSFT_FAIL
	elif [ "$_ktap_pass" -eq 0 ] && [ "$_ktap_skip" -gt 0 ] &&
		[ "$status" -eq "$KSFT_PASS" ]; then
		status=$KSFT_SKIP
	fi
	_ktap_finished=1
	exit "$status"
}

# A value as the reader needs to see it: quoted, invisible bytes escaped.
_ktap_show() {
	if [[ $1 =~ ^[[:print:]]*$ ]]; then
		printf "'%s'" "$1"
	else
		printf '%q' "$1"
	fi
}

_ktap_differs() { # WHAT EXPECTED GOT
	ktap_diag "${1:+$1: }expected $(_ktap_show "$2"), got $(_ktap_show "$3")"
	return 1
}

check_eq() { # EXPECTED GOT [WHAT]
	[ "$1" = "$2" ] || _ktap_differs "${3:-}" "$1" "$2"
}

check_ne() { # UNWANTED GOT [WHAT]
	[ "$1" != "$2" ] || {
		ktap_diag "${3:+$3: }got $(_ktap_show "$2"), which it must not be"
		return 1
	}
}

check_match() { # ERE GOT [WHAT]
	[[ $2 =~ $1 ]] || {
		ktap_diag "${3:+$3: }$(_ktap_show "$2") does not match /$1/"
		return 1
	}
}

# Byte for byte, trailing newlines included (sysfs formats are exact).
check_file_eq() { # FILE EXPECTED
	local got
	got=$(cat -- "$1" && echo x) || {
		ktap_diag "cannot read $1"
		return 1
	}
	check_eq "$2" "${got%x}" "$1"
}

check_exists() { # PATH
	[ -e "$1" ] || [ -L "$1" ] || {
		ktap_diag "$1 does not exist"
		return 1
	}
}

check_absent() { # PATH
	if [ -e "$1" ] || [ -L "$1" ]; then
		ktap_diag "$1 exists but should not"
		return 1
	fi
}

# KTAP_TMPDIR: a directory of the suite's own, removed at exit.  run's
# output files live there, named by the process that runs (subshells may
# run at once), and are read back with builtins: under TCG every process
# costs tenths of a second, and a mktemp, two cats and an rm per run were
# most of a CLI suite's time.
KTAP_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/ktap-run.XXXXXX") ||
	KTAP_TMPDIR=
[ -z "$KTAP_TMPDIR" ] || ktap_cleanup rm -rf "$KTAP_TMPDIR"

# VAR = the text of FILE without its trailing newlines, as $(cat FILE).
_ktap_slurp() { # VAR FILE
	local _text=
	IFS= read -r -d '' _text <"$2" || true
	while [[ $_text == *$'\n' ]]; do
		_text=${_text%$'\n'}
	done
	printf -v "$1" '%s' "$_text"
}

run() { # CMD [ARGS...]
	local out err
	[ -n "$KTAP_TMPDIR" ] || { ktap_diag "run: no temporary directory"; return 1; }
	out=$KTAP_TMPDIR/out.$BASHPID
	err=$KTAP_TMPDIR/err.$BASHPID
	KTAP_STATUS=0
	"$@" >"$out" 2>"$err" || KTAP_STATUS=$?
	_ktap_slurp KTAP_STDOUT "$out"
	_ktap_slurp KTAP_STDERR "$err"
}

_ktap_show_run() { # CMD...
	ktap_diag "command: $(printf '%q ' "$@")"
	[ -z "$KTAP_STDOUT" ] || ktap_diag "stdout: $KTAP_STDOUT"
	[ -z "$KTAP_STDERR" ] || ktap_diag "stderr: $KTAP_STDERR"
}

# CMD must exit with STATUS.
check_status() { # STATUS CMD [ARGS...]
	local want=$1
	shift
	run "$@"
	[ "$KTAP_STATUS" -eq "$want" ] || {
		ktap_diag "exit status: expected $want, got $KTAP_STATUS"
		_ktap_show_run "$@"
		return 1
	}
}

# strerror() text of an errno name (EEXIST -> "File exists"), as C tools
# print it.
ktap_strerror() { # ENAME
	perl -MErrno -e '
		my $code = Errno->can($ARGV[0]) or exit 1;
		$! = $code->();
		print "$!";' "$1"
}

# CMD must fail (non-zero exit) and name the errno on stderr.
check_errno() { # ENAME CMD [ARGS...]
	local ename=$1 text
	shift
	text=$(ktap_strerror "$ename") || {
		ktap_diag "check_errno: $ename is not an errno name"
		return 1
	}
	run "$@"
	if [ "$KTAP_STATUS" -eq 0 ]; then
		ktap_diag "expected failure with $ename ($text), but it succeeded"
		_ktap_show_run "$@"
		return 1
	fi
	[[ $KTAP_STDERR == *"$text"* ]] || {
		ktap_diag "expected $ename ($text) on stderr"
		_ktap_show_run "$@"
		return 1
	}
}

expect_eq() { # NAME EXPECTED GOT
	ktap_test "$1" check_eq "$2" "$3" "$1"
}

expect_ne() { # NAME UNWANTED GOT
	ktap_test "$1" check_ne "$2" "$3" "$1"
}

expect_match() { # NAME ERE GOT
	ktap_test "$1" check_match "$2" "$3" "$1"
}

expect_file_eq() { # NAME FILE EXPECTED
	ktap_test "$1" check_file_eq "$2" "$3"
}

expect_status() { # NAME STATUS CMD [ARGS...]
	local name=$1
	shift
	ktap_test "$name" check_status "$@"
}

expect_success() { # NAME CMD [ARGS...]
	local name=$1
	shift
	ktap_test "$name" check_status 0 "$@"
}

expect_errno() { # NAME ENAME CMD [ARGS...]
	local name=$1
	shift
	ktap_test "$name" check_errno "$@"
}
