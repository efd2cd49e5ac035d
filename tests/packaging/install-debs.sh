#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages of tools/build-debs as an admin uses them, inside a
# dibs-vm guest booted without our modules (--no-load): apt-get installs
# them, dibs-dkms's postinst has DKMS build dibs for the running kernel,
# modprobe (not insmod) loads it, the packaged dibsctl lists "lo", the
# -dev package builds the libdibsctl(3) example, and apt-get remove takes
# everything away again.  The guest's overlay absorbs every write.
#
# Run alone:
#   tools/build-debs /tmp/debs
#   DIBS_DEBS=/tmp/debs tools/dibs-vm --no-load -- tests/packaging/install-debs.sh
# shellcheck disable=SC2317 # test functions run through ktap_test
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"

readonly packages=(dibs-dkms libdibsctl1 libdibsctl-dev dibsctl)

[ "${DIBS_VM:-}" = 1 ] ||
	ktap_skip_all "installs packages and loads modules: runs only inside tools/dibs-vm"
debs=${DIBS_DEBS:-}
if [ -z "$debs" ] || ! compgen -G "$debs/dibs-dkms_*.deb" >/dev/null; then
	echo "install-debs.sh: DIBS_DEBS must name the directory of tools/build-debs's .deb files" >&2
	exit 1
fi
for pkg in "${packages[@]}"; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ] ||
		ktap_skip_all "$pkg is installed on the host already; this suite installs it itself"
done

kver=$(uname -r)

# Two costs of an install under TCG that this suite does not test, cut on
# the guest's overlay only: dibs-dkms's postinst builds for the running
# kernel and also for the newest installed one, and each DKMS build takes
# minutes here, so the other kernels' build trees are hidden (booting
# each kernel tests each build); and man-db's trigger would rebuild the
# whole man page index.
for build in /lib/modules/*/build; do
	[ "$build" = "/lib/modules/$kver/build" ] || rm -f "$build"
done
rm -f /var/lib/man-db/auto-update
version=$(dpkg-deb -f "$(compgen -G "$debs/dibs-dkms_*.deb" | head -n 1)" Version)
ktap_diag "kernel $kver, packages $version"
work=$(mktemp -d)
ktap_cleanup rm -rf "$work"
# Whatever happens, leave no module of ours loaded.
# shellcheck disable=SC2016 # the inner sh expands $m
ktap_cleanup sh -c 'for m in dibs_user dibs; do [ ! -d /sys/module/$m ] || rmmod $m; done'

installed_status() { # PACKAGE: prints its dpkg status word
	dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || echo not-installed
}

# apt-get offline: every dependency is on the root file system already,
# and the guest has no network.  (--no-download breaks installing .deb
# files: apt 2.6 then calls their paths not absolute.)
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends "$@"
}

test_not_loaded() {
	check_absent /sys/module/dibs || {
		ktap_diag "the VM was booted with dibs loaded: use tools/dibs-vm --no-load"
		return 1
	}
	check_status 1 modinfo dibs || {
		ktap_diag "a dibs module is installed for $kver before the packages are"
		return 1
	}
}
ktap_test "no dibs module before the packages" test_not_loaded

# The postinst output with seconds since the start on each line, so the
# DKMS build of each kernel can be timed; it grows in $DIBS_VM_OUT too,
# where the host can watch a slow build.
test_install() {
	local start=$SECONDS status line
	(apt_get install "$debs"/*.deb 2>&1; echo "exit $?") |
		while IFS= read -r line; do
			echo "[$((SECONDS - start)) s] $line"
		done | tee "${DIBS_VM_OUT:-$work}/install.log" >"$work/install.log"
	status=$(tail -n 1 "$work/install.log")
	status=${status##* }
	ktap_diag "apt-get install took $((SECONDS - start)) s; the DKMS steps:"
	ktap_diag "$(grep -E 'Building (for|initial)|Done\.|skipped|Error|error' "$work/install.log")"
	check_eq 0 "$status" "exit status of apt-get install" || {
		ktap_diag "$(tail -n 40 "$work/install.log")"
		return 1
	}
	for pkg in "${packages[@]}"; do
		check_eq installed "$(installed_status "$pkg")" "dpkg status of $pkg" || return
	done
}
ktap_test "apt-get install ./*.deb installs the packages" test_install

test_dkms_status() {
	check_status 0 dkms status -m dibs -v "$version" -k "$kver" || return
	check_match "^dibs/$version, $kver, [^:]+: installed" "$KTAP_STDOUT" "dkms status" || return
	check_exists "/usr/src/dibs-$version/dkms.conf"
}
ktap_test "DKMS built and installed dibs for the running kernel" test_dkms_status

test_modprobe() {
	local path
	run modinfo -n dibs
	check_match "^/lib/modules/$kver/updates/dkms/dibs\.ko" "$KTAP_STDOUT" "modinfo -n dibs" ||
		return
	path=$KTAP_STDOUT
	check_status 0 modprobe dibs || {
		ktap_diag "modprobe dibs failed: $KTAP_STDERR"
		return 1
	}
	# What modprobe loaded is the module DKMS installed (the first test
	# showed there was no other).
	check_match "insmod $path" "$(modprobe --show-depends dibs)" "modprobe --show-depends dibs" ||
		return
	check_exists /sys/module/dibs || return
	udevadm settle --timeout=60
	check_exists /sys/class/dibs/lo
}
ktap_test "modprobe dibs loads the DKMS-built module and creates lo" test_modprobe

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
ktap_test "the packaged dibsctl show lists lo" test_dibsctl_show

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
		/usr/include/libdibsctl.h "/usr/src/dibs-$version/drivers/dibs/Kbuild"; do
		check_exists "$path" || return
	done
}
ktap_test "every file the packages list is installed" test_package_files

# The -dev package as a user of the library sees it: pkg-config, the
# header and the .so link, with the example of the installed man page.
test_dev_package() {
	check_status 0 pkg-config --modversion libdibsctl || return
	check_eq "${version%%-*}" "$KTAP_STDOUT" "pkg-config --modversion libdibsctl" || return
	zcat /usr/share/man/man3/libdibsctl.3.gz >"$work/libdibsctl.3" || return
	"$(dirname "$0")/../unit/man-example.sh" "$work/libdibsctl.3" "$work/example.c" || return
	# shellcheck disable=SC2046 # pkg-config prints several words
	check_status 0 cc -o "$work/example" "$work/example.c" \
		$(pkg-config --cflags --libs libdibsctl) || {
		ktap_diag "compiling the example failed: $KTAP_STDERR"
		return 1
	}
	check_status 0 "$work/example" || {
		ktap_diag "the example failed: $KTAP_STDERR"
		return 1
	}
	check_match '(^|'$'\n'')lo ' "$KTAP_STDOUT" "devices the example lists"
}
ktap_test "libdibsctl-dev builds and links the libdibsctl(3) example" test_dev_package

test_unload() {
	check_status 0 modprobe -r dibs || {
		ktap_diag "modprobe -r dibs failed: $KTAP_STDERR"
		return 1
	}
	check_absent /sys/module/dibs
}
ktap_test "modprobe -r dibs unloads it" test_unload

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
ktap_test "apt-get remove takes modules, DKMS tree and tools away" test_remove

ktap_finish
