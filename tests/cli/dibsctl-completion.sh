#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The bash completion of dibsctl, in a real bash with bash-completion
# loaded: objects, verbs, options, keywords, and device names read live
# from the module (through netlink and through the sysfs fallback).
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/cli/dibsctl-completion.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/common.sh"

cli_require

BASH_COMPLETION=/usr/share/bash-completion/bash_completion
[ -r "$BASH_COMPLETION" ] || ktap_skip_all "bash-completion is not installed"
# shellcheck disable=SC1090,SC1091
. "$BASH_COMPLETION"
# shellcheck source=bash-completion/dibsctl
. "$TOP/bash-completion/dibsctl"

# What bash offers for "dibsctl WORD..." with the cursor at the end of
# the last WORD ('' for a new word): sorted, on one line.
complete_dibsctl() { # WORD...
	local COMP_WORDS=("$DIBSCTL" "$@") COMP_CWORD=$#
	local COMP_LINE COMP_POINT
	COMP_LINE="${COMP_WORDS[*]}"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_dibsctl "$DIBSCTL" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd ' '
}

expect_completion() { # EXPECTED WORD...
	local expected=$1
	shift
	expect_eq "dibsctl $*<TAB> offers '$expected'" "$expected" "$(complete_dibsctl "$@")"
}

expect_eq "completion is registered for dibsctl" "complete -F _dibsctl dibsctl" \
	"$(complete -p dibsctl 2>&1)"

TOP_WORDS="add client config del dev dmb gid help monitor show stats vlan"
expect_completion "$TOP_WORDS" ''
expect_completion "$TOP_WORDS" -j -d ''
expect_completion "del dev dmb" d
expect_completion "--batch --details --help --json --pretty --stats --version -V -b -d -h -j -p -s" -
expect_completion "--stats" --st
expect_completion "--json" --js
expect_completion "add del help show" dev ''
expect_completion "show" dev s
expect_completion "loopback" add ''
expect_completion "gid name" add loopback ''
expect_completion "gid" add loopback name lc1 ''
expect_completion "" add loopback name ''
expect_completion "gid name type" dev add ''
expect_completion "loopback" dev add type ''
expect_completion "gid name" dev add type loopback ''
expect_completion "" help ''
expect_completion "" -V ''
expect_completion "" -j -b cmds.batch ''
# The other objects, their verbs and keywords.
expect_completion "bind help show unbind" client ''
expect_completion "bind" client b
expect_completion "help show" dmb ''
expect_completion "check help show" gid ''
expect_completion "help show" vlan ''
expect_completion "help prometheus reset show" stats ''
expect_completion "apply check help" config ''
expect_completion "all client dev dmb help" monitor ''
expect_completion "client dev" dmb show ''
expect_completion "dev" dmb show client x ''
expect_completion "client" dmb show dev lo ''
expect_completion "dev" vlan show ''
expect_completion "" vlan show dev lo ''
expect_completion "client dev" stats show ''
expect_completion "" stats show dev lo ''
expect_completion "" stats show client x ''
expect_completion "client dev" stats prometheus ''
expect_completion "" stats prometheus dev lo ''
expect_completion "dev" stats reset ''
expect_completion "dev" client bind x ''
expect_completion "" client bind x dev lo ''
expect_completion "dev force" client unbind x ''
expect_completion "force" client unbind x dev lo ''
expect_completion "dev" client unbind x force ''
expect_completion "vlan" gid check lo 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d ''
expect_completion "" gid check lo 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d vlan ''
expect_completion "" gid show ''
expect_completion "rcvbuf" monitor dmb ''
expect_completion "" monitor dmb rcvbuf ''
expect_completion "" monitor all rcvbuf 4096 ''

test_batch_file() {
	local dir got
	dir=$(mktemp -d)
	: >"$dir/cmds.batch"
	got=$(cd "$dir" && complete_dibsctl -b cm)
	rm -rf "$dir"
	check_eq "cmds.batch" "$got" "dibsctl -b cm"
}
ktap_test "-b completes file names" test_batch_file

test_config_file() {
	local dir got
	dir=$(mktemp -d)
	: >"$dir/dibs.conf"
	got=$(cd "$dir" && complete_dibsctl config apply di)
	check_eq "dibs.conf" "$got" "dibsctl config apply di" || { rm -rf "$dir"; return 1; }
	got=$(cd "$dir" && complete_dibsctl config check dibs.conf '')
	rm -rf "$dir"
	check_eq "" "$got" "dibsctl config check dibs.conf <TAB>"
}
ktap_test "config apply and check complete one file name" test_config_file

# Device names come from the module, now.
test_live_names() {
	"$DIBSCTL" add loopback name foo >/dev/null || return
	ktap_cleanup "$DIBSCTL" del foo
	check_eq "$(sysfs_names | paste -sd ' ')" "$(complete_dibsctl show '')" \
		"dibsctl show <TAB>" || return
	check_eq "foo" "$(complete_dibsctl show f)" "dibsctl show f<TAB>" || return
	check_eq "foo" "$(complete_dibsctl dev show f)" "dibsctl dev show f<TAB>" || return
	check_eq "foo" "$(complete_dibsctl -j del f)" "dibsctl -j del f<TAB>" || return
	check_eq "force" "$(complete_dibsctl del foo '')" "dibsctl del foo <TAB>" || return
	check_eq "" "$(complete_dibsctl show foo '')" "dibsctl show foo <TAB>"
}
ktap_test "device names are read live after add loopback name foo" test_live_names

test_deleted_name_gone() {
	"$DIBSCTL" add loopback name gone1 >/dev/null || return
	check_eq "gone1" "$(complete_dibsctl del go)" "before del" || return
	"$DIBSCTL" del gone1 || return
	check_eq "" "$(complete_dibsctl del go)" "after del"
}
ktap_test "a deleted device is no longer offered" test_deleted_name_gone

# Client names come from the module too, and device names after "dev".
test_live_client_names() {
	[ -f "$DIBS_MODULES/dibs_test_client.ko" ] || {
		ktap_skip_reason "no dibs_test_client.ko in $DIBS_MODULES"
		return "$KSFT_SKIP"
	}
	check_eq "" "$(complete_dibsctl client show '')" "no client loaded" || return
	insmod "$DIBS_MODULES/dibs_test_client.ko" || return
	ktap_cleanup sh -c '! [ -d /sys/module/dibs_test_client ] || rmmod dibs_test_client'
	"$DIBSCTL" add loopback name cfoo >/dev/null || return
	ktap_cleanup "$DIBSCTL" del cfoo
	check_eq "dibs_test_client" "$(complete_dibsctl client show '')" \
		"dibsctl client show <TAB>" || return
	check_eq "dibs_test_client" "$(complete_dibsctl client unbind d)" \
		"dibsctl client unbind d<TAB>" || return
	check_eq "dibs_test_client" "$(complete_dibsctl dmb show client '')" \
		"dibsctl dmb show client <TAB>" || return
	check_eq "dibs_test_client" "$(complete_dibsctl stats show client d)" \
		"dibsctl stats show client d<TAB>" || return
	check_eq "cfoo" "$(complete_dibsctl client bind dibs_test_client dev cf)" \
		"dibsctl client bind dibs_test_client dev cf<TAB>" || return
	check_eq "cfoo" "$(complete_dibsctl gid check cf)" "dibsctl gid check cf<TAB>" || return
	check_eq "cfoo" "$(complete_dibsctl stats reset dev cf)" \
		"dibsctl stats reset dev cf<TAB>" || return
	check_eq "cfoo" "$(complete_dibsctl vlan show dev cf)" "dibsctl vlan show dev cf<TAB>"
}
ktap_test "client names are read live; device names after dev" test_live_client_names

test_sysfs_names() {
	local got
	got=$(DIBSCTL_SYSFS=1 complete_dibsctl show '')
	check_eq "$(sysfs_names | paste -sd ' ')" "$got" \
		"DIBSCTL_SYSFS=1 dibsctl show <TAB>"
}
ktap_test "device names from the sysfs fallback's output" test_sysfs_names

ktap_finish
