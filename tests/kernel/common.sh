# shellcheck shell=bash
# What the shell kernel suites share on top of tests/lib/ktap.sh: finding
# dibs_nlreq (raw netlink requests, built by meson into
# $DIBS_BUILD_DIR/tests/kernel), reading its output, checking a refused
# request, and a snapshot of every device to prove that nothing changed.
# Source it from a suite in tests/kernel/, then call ktest_require.

# shellcheck source=tests/lib/ktap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/ktap.sh"

KTEST_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NLREQ=${DIBS_BUILD_DIR:-$KTEST_TOP/build}/tests/kernel/dibs_nlreq
DIBS_CLASS=/sys/class/dibs
# A command prefix for dibs_nlreq in the check_nl_* helpers (e.g. setpriv
# ...); set it with `local` in a test function.
NLREQ_AS=()

# The suite runs only in the dibs-vm guest, with dibs_nlreq built.
ktest_require() {
	[ "${DIBS_VM:-}" = 1 ] || ktap_skip_all "not inside tools/dibs-vm"
	[ -x "$NLREQ" ] ||
		ktap_skip_all "$NLREQ is not built (DIBS_BUILD_DIR: the build dir)"
	[ -n "${DIBS_MODULES:-}" ] || ktap_skip_all "DIBS_MODULES is not set"
}

# Like ktap.sh's run, for dibs_nlreq with the NLREQ_AS prefix, but without
# temporary files per call: every process costs under TCG.
_ktest_stderr=$(mktemp)
ktap_cleanup rm -f "$_ktest_stderr"
nl_run() { # ARGS...
	KTAP_STATUS=0
	KTAP_STDOUT=$("${NLREQ_AS[@]}" "$NLREQ" "$@" 2>"$_ktest_stderr") ||
		KTAP_STATUS=$?
	IFS= read -r -d '' KTAP_STDERR <"$_ktest_stderr" || true
	KTAP_STDERR=${KTAP_STDERR%$'\n'}
}

# The value of KEY in one "key=value key=value" line of dibs_nlreq.
nl_field() { # LINE KEY
	local word
	for word in $1; do
		if [ "${word%%=*}" = "$2" ]; then
			echo "${word#*=}"
			return 0
		fi
	done
	return 1
}

# Runs dibs_nlreq ARGS; it must succeed. Its output is in KTAP_STDOUT.
check_nl_ok() { # ARGS...
	nl_run "$@"
	[ "$KTAP_STATUS" -eq 0 ] || {
		ktap_diag "dibs_nlreq $*: expected success, got exit $KTAP_STATUS"
		[ -z "$KTAP_STDOUT" ] || ktap_diag "stdout: $KTAP_STDOUT"
		[ -z "$KTAP_STDERR" ] || ktap_diag "stderr: $KTAP_STDERR"
		return 1
	}
}

# dibs_nlreq ARGS must be refused with ENAME (exit 1, "errno=ENAME").
check_nl_errno() { # ENAME ARGS...
	local ename=$1
	shift
	nl_run "$@"
	if [ "$KTAP_STATUS" -ne 1 ]; then
		ktap_diag "dibs_nlreq $*: expected refusal with $ename, got exit $KTAP_STATUS"
		[ -z "$KTAP_STDOUT" ] || ktap_diag "stdout: $KTAP_STDOUT"
		[ -z "$KTAP_STDERR" ] || ktap_diag "stderr: $KTAP_STDERR"
		return 1
	fi
	check_eq "$ename" "$(sed -n 's/^errno=//p' <<<"$KTAP_STDOUT")" \
		"dibs_nlreq $*: errno"
}

# As check_nl_errno, plus an extack message whose offset points at ATTR
# (a spec attribute name, or "-" when there is no attribute to point at).
check_nl_refused() { # ENAME ATTR ARGS...
	local ename=$1 attr=$2 got
	shift 2
	check_nl_errno "$ename" "$@" || return
	got=$(sed -n 's/^extack=//p' <<<"$KTAP_STDOUT")
	[ -n "$got" ] || {
		ktap_diag "dibs_nlreq $*: $ename without an extack message"
		return 1
	}
	ktap_diag "extack: $got"
	[ "$attr" = - ] && return 0
	got=$(sed -n 's/^bad_attr=//p' <<<"$KTAP_STDOUT")
	check_eq "$attr" "$got" "dibs_nlreq $*: attribute at the extack offset"
}

# Everything a user can see of the devices: the dump, one line per device
# sorted by index, then every sysfs attribute of every device.
dibs_snapshot() {
	local files=("$DIBS_CLASS"/*/{gid,fabric_id,type,index,max_dmbs})
	"$NLREQ" dump | sort -t= -k2 -n || echo "dump failed: $?"
	# One grep for all files: process creation is slow under TCG.
	[ ! -e "${files[0]}" ] || grep -H . "${files[@]}" 2>&1
}

# The names under /sys/class/dibs, sorted, on one line.
sysfs_names() {
	local dev names=()
	for dev in "$DIBS_CLASS"/*; do
		[ -e "$dev" ] && names+=("${dev##*/}")
	done
	echo "${names[*]}"
}

# For cleanups: deletes device NAME (with force) if it still exists.
ktest_del_if_present() { # NAME
	[ ! -e "$DIBS_CLASS/$1" ] || "$NLREQ" del "$1" force >/dev/null
}

# The kernel log since ktest_dmesg_mark, to tell this suite's messages from
# earlier ones.
ktest_dmesg_mark() {
	_ktest_dmesg_start=$(dmesg | wc -l)
}

ktest_dmesg_since_mark() {
	dmesg | tail -n "+$((${_ktest_dmesg_start:-0} + 1))"
}

# No kernel splat since the mark.
check_dmesg_clean() {
	local bad
	bad=$(ktest_dmesg_since_mark | grep -E \
		'WARNING:|BUG:|Oops|general protection|Call Trace:|UBSAN:|KASAN:|kmemleak:')
	[ -z "$bad" ] || {
		ktap_diag "kernel log since the suite started:"
		ktap_diag "$(ktest_dmesg_since_mark | tail -n 60)"
		return 1
	}
}
