#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages of tools/build-debs as an admin uses them, in three
# phases (tests/packaging/run drives them):
#
#   install  in a throw-away root (the host's / under an overlay, chrooted):
#            apt-get installs the packages, dibs-dkms's postinst has DKMS
#            build and install dibs for every kernel of $DIBS_KERNELS, the
#            -dev package builds the libdibsctl(3) example;
#   check    in a dibs-vm guest of one kernel booted without our modules
#            (--no-load) with that root's changes laid over its own
#            (--layer): modprobe (not insmod) loads the DKMS module, the
#            packaged dibsctl lists "lo", the example runs, modprobe -r;
#   remove   in the throw-away root again: apt-get remove takes modules,
#            DKMS tree and tools away.
#
# Under TCG an install inside the guest took 15 minutes a kernel (the DKMS
# build and depmod read every module of the kernel through 9p); natively
# it takes seconds, and the guest still loads and runs what it installed.
#
# usage: DIBS_DEBS=DIR DIBS_KERNELS="6.1 6.12" install-debs.sh install|check|remove
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"

readonly packages=(dibs-dkms libdibsctl1 libdibsctl-user1 libdibsctl-dev dibsctl)
# the example of libdibsctl(3), built in the install phase, run in check
readonly example=/var/tmp/dibs-packaging-example
top=$(cd "$(dirname "$0")/../.." && pwd)

phase=${1:-}
case $phase in
install | remove)
	[ "${DIBS_PACKAGING_ROOT:-}" = 1 ] ||
		ktap_skip_all "installs packages: runs only in tests/packaging/run's throw-away root"
	;;
check)
	[ "${DIBS_VM:-}" = 1 ] ||
		ktap_skip_all "loads modules: runs only inside tools/dibs-vm"
	;;
*)
	echo "usage: install-debs.sh install|check|remove" >&2
	exit 2
	;;
esac
debs=${DIBS_DEBS:-}
if [ -z "$debs" ] || ! compgen -G "$debs/dibs-dkms_*.deb" >/dev/null; then
	echo "install-debs.sh: DIBS_DEBS must name the directory of tools/build-debs's .deb files" >&2
	exit 1
fi
if [ "$phase" = install ]; then
	for pkg in "${packages[@]}"; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ] ||
			ktap_skip_all "$pkg is installed on the host already; this suite installs it itself"
	done
fi

# The release as an ERE: 6.12's has a "+".
ere() {
	# shellcheck disable=SC2001 # a class of characters, not one string
	sed 's/[][\.*^$+?(){}|]/\\&/g' <<<"$1"
}

version=$(dpkg-deb -f "$(compgen -G "$debs/dibs-dkms_*.deb" | head -n 1)" Version)
work=$(mktemp -d)
ktap_cleanup rm -rf "$work"

installed_status() { # PACKAGE: prints its dpkg status word
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || echo not-installed
}

# apt-get offline: every dependency is on the root file system already,
# and the guest has no network.  (--no-download breaks installing .deb
# files: apt 2.6 then calls their paths not absolute.)
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends "$@"
}

# ------------------------------------------------------------------ install

phase_install() {
	local kver release
	releases=()
	for kver in ${DIBS_KERNELS:-$("$top/tools/kernel-release" --supported)}; do
		release=$("$top/tools/kernel-release" "$kver") || exit 1
		releases+=("$release")
	done
	ktap_diag "packages $version, kernels ${releases[*]}"
	# man-db's trigger would rebuild the whole man page index: not tested
	rm -f /var/lib/man-db/auto-update
	ktap_test "no dibs module before the packages" test_not_installed
	ktap_test "apt-get install ./*.deb installs the packages" test_install
	for release in "${releases[@]}"; do
		ktap_test "DKMS built and installed dibs for $release" \
			test_dkms_status "$release"
	done
	ktap_test "every file the packages list is installed" test_package_files
	ktap_test "libdibsctl-dev builds and links the libdibsctl(3) example" \
		test_dev_package
}

test_not_installed() {
	local release
	for release in "${releases[@]}"; do
		check_status 1 modinfo -k "$release" dibs || {
			ktap_diag "a dibs module is installed for $release before the packages are"
			return 1
		}
	done
}

# The postinst output with seconds since the start on each line, so the
# DKMS build of each kernel can be timed; it grows in $DIBS_VM_OUT too,
# where the host can watch a slow build.
test_install() {
	local start=$SECONDS status line release
	(apt_get install "$debs"/*.deb 2>&1; echo "exit $?") |
		while IFS= read -r line; do
			echo "[$((SECONDS - start)) s] $line"
		done | tee "${DIBS_VM_OUT:-$work}/install.log" >"$work/install.log"
	status=$(tail -n 1 "$work/install.log")
	status=${status##* }
	ktap_diag "apt-get install took $((SECONDS - start)) s; the DKMS steps:"
	ktap_diag "$(grep -E 'Building (for|initial)|Done\.|skipped|Error|error' "$work/install.log")"
	# dibs-dkms's postinst builds for every kernel when the running one
	# (the host's) is not installed, as in any chroot
	for release in "${releases[@]}"; do
		grep -q "Building initial module for $release" "$work/install.log" || {
			ktap_diag "the postinst did not build for $release"
			return 1
		}
	done
	check_eq 0 "$status" "exit status of apt-get install" || {
		ktap_diag "$(tail -n 40 "$work/install.log")"
		return 1
	}
	for pkg in "${packages[@]}"; do
		check_eq installed "$(installed_status "$pkg")" "dpkg status of $pkg" || return
	done
}

test_dkms_status() { # RELEASE
	check_status 0 dkms status -m dibs -v "$version" -k "$1" || return
	check_match "^dibs/$version, $(ere "$1"), [^:]+: installed" "$KTAP_STDOUT" "dkms status" || return
	check_exists "/usr/src/dibs-$version/dkms.conf" || return
	run modinfo -k "$1" -n dibs
	check_match "^/lib/modules/$(ere "$1")/updates/dkms/dibs\.ko(\.[a-z]+)?$" \
		"$KTAP_STDOUT" "modinfo -k $1 -n dibs (depmod's index)"
}

# -------------------------------------------------------------------- check

phase_check() {
	kver=$(uname -r)
	kver_re=$(ere "$kver")
	ktap_diag "kernel $kver, packages $version"
	# Whatever happens, leave no module of ours loaded.
	# shellcheck disable=SC2016 # the inner sh expands $m
	ktap_cleanup sh -c 'for m in dibs_user dibs; do [ ! -d /sys/module/$m ] || rmmod $m; done'
	ktap_test "no dibs module loaded at boot (--no-load)" check_absent /sys/module/dibs
	ktap_test "modprobe dibs loads the DKMS-built module and creates lo" test_modprobe
	ktap_test "the packaged dibsctl show lists lo" test_dibsctl_show
	ktap_test "the libdibsctl(3) example built against the -dev package lists lo" \
		test_example
	ktap_test "/dev/dibs is root:dibs 0660 by the package's udev rule and group" \
		test_dev_dibs
	ktap_test "modprobe -r dibs unloads it" test_unload
}

test_dev_dibs() {
	check_status 0 getent group dibs || {
		ktap_diag "no group dibs: the postinst's systemd-sysusers did not create it"
		return 1
	}
	check_status 0 modprobe dibs_user || {
		ktap_diag "modprobe dibs_user failed: $KTAP_STDERR"
		return 1
	}
	udevadm settle --timeout=60
	[ -c /dev/dibs ] || {
		ktap_diag "/dev/dibs is not a character device"
		return 1
	}
	check_eq "root dibs 660" "$(stat -c '%U %G %a' /dev/dibs)" \
		"owner, group and mode of /dev/dibs"
}

test_modprobe() {
	local path
	run modinfo -n dibs
	check_match "^/lib/modules/$kver_re/updates/dkms/dibs\.ko(\.[a-z]+)?$" "$KTAP_STDOUT" "modinfo -n dibs" ||
		return
	path=$KTAP_STDOUT
	check_status 0 modprobe dibs || {
		ktap_diag "modprobe dibs failed: $KTAP_STDERR"
		return 1
	}
	# What modprobe loaded is the module DKMS installed (the first test
	# showed there was no other).
	run modprobe --show-depends dibs
	[[ $KTAP_STDOUT == *"insmod $path"* ]] || {
		ktap_diag "modprobe --show-depends dibs does not load $path: $KTAP_STDOUT"
		return 1
	}
	check_exists /sys/module/dibs || return
	udevadm settle --timeout=60
	check_exists /sys/class/dibs/lo
}

test_dibsctl_show() {
	local dibsctl lib
	dibsctl=$(dpkg -L dibsctl | grep -E '/s?bin/dibsctl$')
	check_eq /usr/sbin/dibsctl "$dibsctl" "dibsctl in the dibsctl package" || return
	# It runs with the packaged library, not one from a build tree.
	lib=$(ldd "$dibsctl" | awk '$1 == "libdibsctl.so.1" { print $3 }')
	run dpkg -S "$(readlink -f "$lib")"
	check_match '^libdibsctl1(:[a-z0-9]+)?: ' "$KTAP_STDOUT" "package of $lib" || return
	check_status 0 "$dibsctl" show || {
		ktap_diag "dibsctl show failed: $KTAP_STDERR"
		return 1
	}
	check_match '(^|'$'\n'')[0-9]+: lo: type loopback ' "$KTAP_STDOUT" "dibsctl show" || return
	check_eq "" "$KTAP_STDERR" "stderr of dibsctl show"
}

test_package_files() {
	local pkg path missing=0
	for pkg in "${packages[@]}"; do
		while IFS= read -r path; do
			[ -e "$path" ] || {
				ktap_diag "$pkg lists $path, which does not exist"
				missing=1
			}
		done < <(dpkg -L "$pkg")
	done
	[ "$missing" -eq 0 ] || return 1
	for path in /usr/bin/dibsperf /usr/share/bash-completion/completions/dibsctl \
		/usr/share/man/man8/dibsctl.8.gz /usr/share/man/man1/dibsperf.1.gz \
		/usr/share/man/man3/libdibsctl.3.gz /usr/share/dibs/dibsctl-dev.schema.json \
		/usr/include/libdibsctl.h /usr/include/libdibsctl-user.h \
		"/usr/src/dibs-$version/drivers/dibs/Kbuild" \
		/lib/udev/rules.d/60-dibs.rules /usr/lib/sysusers.d/dibs.conf \
		/lib/systemd/system/dibs-config.service /usr/sbin/dibs-smc \
		/usr/bin/dibs-smc-run /usr/share/man/man5/dibs.conf.5.gz; do
		check_exists "$path" || return
	done
}

# The -dev package as a user of the library sees it: pkg-config, the
# header and the .so link, with the example of the installed man page;
# the check phase runs it.
test_dev_package() {
	check_status 0 pkg-config --modversion libdibsctl || return
	check_eq "${version%%-*}" "$KTAP_STDOUT" "pkg-config --modversion libdibsctl" || return
	zcat /usr/share/man/man3/libdibsctl.3.gz >"$work/libdibsctl.3" || return
	"$(dirname "$0")/../unit/man-example.sh" "$work/libdibsctl.3" "$work/example.c" || return
	# shellcheck disable=SC2046 # pkg-config prints several words
	check_status 0 cc -o "$example" "$work/example.c" \
		$(pkg-config --cflags --libs libdibsctl) || {
		ktap_diag "compiling the example failed: $KTAP_STDERR"
		return 1
	}
}

test_example() {
	check_status 0 "$example" || {
		ktap_diag "the example failed: $KTAP_STDERR"
		return 1
	}
	check_match '(^|'$'\n'')lo ' "$KTAP_STDOUT" "devices the example lists"
}

test_unload() {
	check_status 0 modprobe -r dibs_user dibs || {
		ktap_diag "modprobe -r dibs failed: $KTAP_STDERR"
		return 1
	}
	check_absent /sys/module/dibs
}

# ------------------------------------------------------------------- remove

test_remove() {
	local pkg leftovers
	run apt_get remove "${packages[@]}"
	check_eq 0 "$KTAP_STATUS" "exit status of apt-get remove" || {
		ktap_diag "$(tail -n 40 <<<"$KTAP_STDOUT$KTAP_STDERR")"
		return 1
	}
	for pkg in "${packages[@]}"; do
		check_ne installed "$(installed_status "$pkg")" "dpkg status of $pkg" || return
	done
	check_eq "" "$(dkms status -m dibs)" "dkms status -m dibs after removal" || return
	leftovers=$(find /lib/modules -path '*/updates/dkms/dibs*' 2>/dev/null)
	check_eq "" "$leftovers" "dibs modules left in /lib/modules" || return
	check_status 1 modinfo dibs || return
	check_absent "/usr/src/dibs-$version" || return
	check_absent /usr/sbin/dibsctl
}

case $phase in
install) phase_install ;;
check) phase_check ;;
remove)
	ktap_test "apt-get remove takes modules, DKMS tree and tools away" test_remove
	rm -f "$example"
	;;
esac
ktap_finish
