# shellcheck shell=bash
# Setup shared by the dibsctl suites (tests/cli/*.sh), sourced after
# tests/lib/ktap.sh: where dibsctl and the schema are, JSON helpers, and
# the state of the devices for "nothing changed" checks.

CLI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$CLI_DIR/../.." && pwd)
SCHEMA=$TOP/docs/dibsctl-dev.schema.json
DIBSCTL=${DIBS_BUILD_DIR:-}/cli/dibsctl/dibsctl

# Skips the suite outside the VM; a missing dibsctl is a failure.
cli_require() {
	[ "${DIBS_VM:-}" = 1 ] || ktap_skip_all "not inside tools/dibs-vm"
	[ -n "${DIBS_BUILD_DIR:-}" ] ||
		ktap_skip_all "DIBS_BUILD_DIR (the meson build directory) not set"
	if [ ! -x "$DIBSCTL" ]; then
		ktap_fail "dibsctl is built" "$DIBSCTL is missing"
		ktap_finish
	fi
}

dibsjson() {
	/usr/bin/python3 "$CLI_DIR/dibsjson.py" "$@"
}

# Validate each FILE against #/$defs/DEF of SCHEMA; the problems found go
# to DIBSJSON_ERRORS.  One Python answers every request of a suite
# (dibsjson.py serve, a coprocess started on first use): importing
# jsonschema takes seconds under TCG.  Runs in this shell, not in $(...),
# so that the coprocess outlives the call.
dibsjson_validate() { # SCHEMA DEF FILE...
	local line request
	DIBSJSON_ERRORS=
	if [ -z "${DIBSJSON[1]:-}" ]; then
		coproc DIBSJSON { exec /usr/bin/python3 "$CLI_DIR/dibsjson.py" serve 2>&1; }
	fi
	printf -v request '%s\t' "$@"
	printf '%s\n' "${request%$'\t'}" >&"${DIBSJSON[1]}" || {
		DIBSJSON_ERRORS="dibsjson.py serve is gone"
		return 2
	}
	while IFS= read -r line <&"${DIBSJSON[0]}"; do
		if [[ $line == $'\x1e'* ]]; then
			return "${line#$'\x1e'}"
		fi
		DIBSJSON_ERRORS+=${DIBSJSON_ERRORS:+$'\n'}$line
	done
	DIBSJSON_ERRORS+=${DIBSJSON_ERRORS:+$'\n'}"dibsjson.py serve ended without an answer"
	return 2
}

# JSON text must match #/$defs/DEF of SCHEMA.
check_json_schema_text() { # SCHEMA DEF JSON WHAT
	local file=${KTAP_TMPDIR:?}/json.$BASHPID
	printf '%s\n' "$3" >"$file" || return
	dibsjson_validate "$1" "$2" "$file" || {
		ktap_diag "${4:+$4: }does not match #/\$defs/$2 of ${1##*/}:"
		ktap_diag "$DIBSJSON_ERRORS"
		return 1
	}
}

# JSON text must match #/$defs/DEF of the schema.
check_json_schema() { # DEF JSON [WHAT]
	check_json_schema_text "$SCHEMA" "$1" "$2" "${3:-}"
}

# Every FILE must hold JSON matching #/$defs/DEF.
check_json_schema_files() { # DEF FILE...
	local def=$1
	shift
	dibsjson_validate "$SCHEMA" "$def" "$@" || {
		ktap_diag "does not match #/\$defs/$def of the schema:"
		ktap_diag "$DIBSJSON_ERRORS"
		return 1
	}
}

# One line per device, "name gid fabric_id index type max_dmbs", read
# straight from sysfs (with read, not cat: processes are slow in the VM),
# sorted by name; fabric_id in decimal.
sysfs_devices() {
	local dir gid fabric index type max
	for dir in /sys/class/dibs/*; do
		[ -e "$dir" ] || continue
		read -r gid <"$dir/gid" && read -r fabric <"$dir/fabric_id" &&
			read -r index <"$dir/index" && read -r type <"$dir/type" &&
			read -r max <"$dir/max_dmbs" || return
		printf '%s %s %d %s %s %s\n' "${dir##*/}" "$gid" "$fabric" \
			"$index" "$type" "$max"
	done | sort
}

sysfs_names() {
	local dir
	for dir in /sys/class/dibs/*; do
		[ -e "$dir" ] && printf '%s\n' "${dir##*/}"
	done | sort
}

# Stderr of the last run must be exactly one line.
check_one_line() { # TEXT [WHAT]
	[[ -n $1 && $1 != *$'\n'* ]] || {
		ktap_diag "${2:+$2: }expected one line, got $(printf '%q' "$1")"
		return 1
	}
}
