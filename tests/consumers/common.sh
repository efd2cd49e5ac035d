# shellcheck shell=bash
# Setup shared by the consumer suites (tests/consumers/*.sh): udev rules,
# the dibs group, the boot-time unit, Ansible and Prometheus.  Sourced
# after tests/lib/ktap.sh and tests/cli/common.sh.

DATA_DIR=$TOP/data
# shellcheck disable=SC2034 # used by the suites that source this file
DIBSPERF=$DIBS_BUILD_DIR/cli/dibsperf/dibsperf

# Prints "NAME: N.Ns" on stderr for the time since the last stage.
_stage_start=$SECONDS
stage_time() { # NAME
	ktap_diag "stage $1: $((SECONDS - _stage_start))s"
	_stage_start=$SECONDS
}

# The project's udev rules, in force until the suite ends: /run/udev
# takes precedence over nothing the host has, and goes with the VM.
install_udev_rules() {
	mkdir -p /run/udev/rules.d &&
		cp "$DATA_DIR/60-dibs.rules" /run/udev/rules.d/ &&
		udevadm control --reload || return
	ktap_cleanup sh -c 'rm -f /run/udev/rules.d/60-dibs.rules && udevadm control --reload'
}

# The group "dibs", made by systemd-sysusers from our sysusers.d file.
create_dibs_group() {
	getent group dibs >/dev/null && return
	systemd-sysusers "$DATA_DIR/sysusers-dibs.conf" >&2 || return
	ktap_cleanup groupdel dibs
}

load_dibs_user() {
	[ -d /sys/module/dibs_user ] && return
	insmod "$DIBS_MODULES/dibs_user.ko" || return
	ktap_cleanup sh -c '! [ -d /sys/module/dibs_user ] || rmmod dibs_user'
}
