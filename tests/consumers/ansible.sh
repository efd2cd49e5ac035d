#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Ansible collection dibs.dibs (ansible/) with Debian's ansible-core
# against localhost, on the real module: ansible-doc renders every module;
# tests/consumers/ansible/site.yml in check mode reports changes and makes
# none, applied it changes things and leaves the declared state (checked
# with dibsctl), applied again it changes nothing; teardown.yml sees bad
# input fail with the kernel's message, a conflicting device reported and
# left alone, removes the devices and reads the rest back with
# dibs.dibs.info.  Four playbook runs of few tasks: each task starts a
# Python, which takes 10 to 20 s under TCG.
# Run alone: DIBS_BUILD_DIR=BUILD tools/dibs-vm -- tests/consumers/ansible.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
# shellcheck source=tests/cli/common.sh
. "$(dirname "$0")/../cli/common.sh"
# shellcheck source=tests/consumers/common.sh
. "$(dirname "$0")/common.sh"

cli_require
command -v ansible-playbook >/dev/null ||
	ktap_skip_all "ansible-core is not installed (tools/install-deps)"
load_dibs_user || {
	ktap_fail "insmod dibs_user.ko"
	ktap_finish
}
ktap_plan 5

work=$(mktemp -d)
ktap_cleanup rm -rf "$work"
for d in ansilo1 ansilo2 ansilo3; do
	ktap_cleanup sh -c "$(printf '%q' "$DIBSCTL") del $d force >/dev/null 2>&1 || :"
done
# The collection from the source tree, where ansible looks for it.
mkdir -p "$work/collections/ansible_collections/dibs"
ln -s "$TOP/ansible" "$work/collections/ansible_collections/dibs/dibs"
export ANSIBLE_COLLECTIONS_PATH=$work/collections
export ANSIBLE_HOME=$work/home ANSIBLE_LOCAL_TEMP=$work/tmp
export ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
# ansible-core alone has no json callback: the default one's recap line
# ("localhost : ok=5 changed=3 ...") is what is read.
export ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
export ANSIBLE_RETRY_FILES_ENABLED=0
# One Python per task instead of a copy, chmod and cleanup round as well:
# every process counts under TCG.
export ANSIBLE_PIPELINING=1
# The modules find the dibsctl under test first.
PATH=$(dirname "$DIBSCTL"):$PATH
PLAYS=$TOP/tests/consumers/ansible

# Every module under plugins/modules, in one ansible-doc run.
test_doc() {
	local f m modules=()
	for f in "$TOP"/ansible/plugins/modules/*.py; do
		m=${f##*/}
		modules+=("dibs.dibs.${m%.py}")
	done
	check_eq 3 "${#modules[@]}" "modules in ansible/plugins/modules" || return
	check_status 0 ansible-doc "${modules[@]}" ||
		{ ktap_diag "$KTAP_STDERR"; return 1; }
	for m in "${modules[@]}"; do
		check_match "> ${m^^} " "$KTAP_STDOUT" "ansible-doc output" ||
			return
	done
	check_eq 3 "$(grep -c '^EXAMPLES:' <<<"$KTAP_STDOUT")" "EXAMPLES sections" &&
		check_eq 3 "$(grep -c '^RETURN VALUES:' <<<"$KTAP_STDOUT")" \
			"RETURN VALUES sections"
}
ktap_test "ansible-doc renders every module (device, client_binding, info)" test_doc
stage_time ansible-doc

state() {
	"$DIBSCTL" -j show && "$DIBSCTL" -j client show
}

playbook() { # NAME OUTPUT ARGS...
	local name=$1 out=$2
	shift 2
	ansible-playbook -i localhost, -c local "$@" "$PLAYS/$name" \
		>"$out" 2>"$out.err"
}

# KEY=N of the PLAY RECAP line of localhost.
recap() { # FILE KEY
	sed -n "s/^localhost *:.* $2=\([0-9][0-9]*\).*/\1/p" "$1"
}

show_failure() { # FILE
	ktap_diag "$(tail -c 3000 "$1.err")"
	ktap_diag "$(grep -A3 'FAILED\|fatal:' "$1" | head -20)"
}

test_check_mode() {
	local before status=0
	before=$(state) || return
	playbook site.yml "$work/check.out" --check --diff || status=$?
	check_eq 0 "$status" "ansible-playbook --check exit status" ||
		{ show_failure "$work/check.out"; return 1; }
	check_eq "$before" "$(state)" "devices and bindings after --check" &&
		check_eq 3 "$(recap "$work/check.out" changed)" \
			"tasks that would change (ansilo1 is bound to dibs_user on creation)" &&
		check_match $'\n\\+ +"name": "ansilo1"' "$(cat "$work/check.out")" \
			"the diff of the first task (--diff)"
}
ktap_test "check mode reports the changes and makes none" test_check_mode
stage_time check-mode

test_first_run() {
	local status=0
	playbook site.yml "$work/first.out" || status=$?
	check_eq 0 "$status" "ansible-playbook exit status" ||
		{ show_failure "$work/first.out"; return 1; }
	check_eq 3 "$(recap "$work/first.out" changed)" \
		"changed tasks (ansilo1 is bound to dibs_user on creation)" &&
		check_file_eq /sys/class/dibs/ansilo1/gid \
			$'6f1c2f1e-9d3a-4b55-8c1a-0e2f3a4b5c6d\n' &&
		check_exists /sys/class/dibs/ansilo2 &&
		check_eq '["lo", "ansilo1"]' \
			"$("$DIBSCTL" -j client show dibs_user | dibsjson get 0.devices | tr -d '\n')" \
			"devices of dibs_user, in index order"
}
ktap_test "first run changes and reaches the declared state" test_first_run
stage_time first-run

test_second_run() {
	local before status=0
	before=$(state) || return
	playbook site.yml "$work/second.out" || status=$?
	check_eq 0 "$status" "ansible-playbook exit status" ||
		{ show_failure "$work/second.out"; return 1; }
	check_eq 0 "$(recap "$work/second.out" changed)" "changed tasks" &&
		check_eq "$before" "$(state)" "devices and bindings"
}
ktap_test "second run changes nothing" test_second_run
stage_time second-run

test_teardown() {
	local status=0
	playbook teardown.yml "$work/teardown.out" || status=$?
	check_eq 0 "$status" "ansible-playbook exit status" ||
		{ show_failure "$work/teardown.out"; return 1; }
	check_eq 2 "$(recap "$work/teardown.out" ignored)" \
		"tasks that failed as they should" &&
		check_absent /sys/class/dibs/ansilo1 &&
		check_absent /sys/class/dibs/ansilo2 &&
		check_absent /sys/class/dibs/ansilo3
}
ktap_test "bad input fails with the kernel's message; absent removes" \
	test_teardown
stage_time teardown

ktap_finish
