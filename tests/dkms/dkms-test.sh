#!/bin/bash
# DKMS, as an admin uses it: the kernel/ tree added to DKMS, built and
# installed for every kernel series under test, then each kernel booted
# with only what DKMS installed, loaded with modprobe (never insmod), and a
# smoke test of the loaded layer.  Also that the Kbuild refuses a kernel
# with its own CONFIG_DIBS.  Runs on the host:
#
#   DIBS_KERNELS="6.1 6.12" DIBS_BUILD_DIR=build tests/dkms/dkms-test.sh
#
# DKMS gets private trees (--dkmstree, --sourcetree, --installtree) under a
# temporary directory, so nothing is installed into the host's
# /lib/modules; the guest copies the installed modules into its own
# /lib/modules, on the VM's throw-away overlay.  depmod runs on the host,
# over a copy of the kernel's module tree plus what DKMS installed: in the
# guest it would read every module of the kernel through 9p under TCG,
# which takes minutes.  (DKMS itself may create its module-signing key in
# /var/lib/dkms, as on any first DKMS install.)
# shellcheck disable=SC2317 # test functions run through ktap_test
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib/ktap.sh
. "$top/tests/lib/ktap.sh"

[ "${DIBS_VM:-}" != 1 ] || ktap_skip_all "runs on the host, not inside the VM"
command -v dkms >/dev/null ||
	ktap_skip_all "dkms is not installed (apt-get install dkms; tools/install-deps does)"
build=${DIBS_BUILD_DIR:-$top/build}
[ -x "$build/cli/dibsctl/dibsctl" ] ||
	ktap_skip_all "no dibsctl in $build (DIBS_BUILD_DIR); build it first"
read -r -a kernels <<<"${DIBS_KERNELS:-$("$top/tools/kernel-release" --supported)}"

version=$(. "$top/kernel/dkms.conf" && echo "$PACKAGE_VERSION")
module=$(. "$top/kernel/dkms.conf" && echo "$PACKAGE_NAME")

work=$(mktemp -d "${TMPDIR:-/tmp}/dibs-dkms-test.XXXXXX") || exit 1
ktap_cleanup rm -rf "$work"
mkdir -p "$work/src" "$work/dkms" "$work/install"
# dkms add takes the tree as /usr/src/<name>-<version> would hold it
cp -R "$top/kernel" "$work/src/$module-$version"
find "$work/src" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
	-o -name '*.mod' -o -name '*.mod.c' -o -name Module.symvers \
	-o -name modules.order \) -delete
# an ERE matching STRING literally (releases hold '+' and '.')
ere_literal() {
	printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g'
}

trees=(--dkmstree "$work/dkms" --sourcetree "$work/src"
	--installtree "$work/install")

test_add() {
	check_status 0 dkms add -m "$module" -v "$version" "${trees[@]}" || return
	check_match "^$module/$(ere_literal "$version"): added" \
		"$(dkms status -m "$module" "${trees[@]}" 2>/dev/null)" "dkms status"
}
ktap_test "dkms add $module/$version from kernel/ (its dkms.conf)" test_add

test_build_install() { # SERIES
	local release kdir installed ko
	release=$("$top/tools/kernel-release" "$1") || return
	kdir=/usr/src/linux-headers-$release
	mkdir -p "$work/install/$release"
	check_status 0 dkms build -m "$module" -v "$version" -k "$release" \
		--kernelsourcedir "$kdir" "${trees[@]}" || {
		cat "$work/dkms/$module/$version/build/make.log" 2>/dev/null |
			tail -n 30 | sed 's/^/# /'
		return 1
	}
	check_status 0 dkms install -m "$module" -v "$version" -k "$release" \
		--kernelsourcedir "$kdir" --no-depmod "${trees[@]}" || return
	check_match "^$module/$(ere_literal "$version, $release"), x86_64: installed" \
		"$(dkms status -m "$module" -k "$release" "${trees[@]}" 2>/dev/null)" \
		"dkms status" || return
	for ko in dibs dibs_user; do
		installed=$(find "$work/install/$release/updates/dkms" \
			-name "$ko.ko*" 2>/dev/null)
		[ -n "$installed" ] || {
			ktap_diag "no $ko.ko* in $work/install/$release/updates/dkms"
			return 1
		}
	done
	# SMC-D over dibs exactly where the kernel exports SMC's SMC-D interface
	installed=$(find "$work/install/$release/updates/dkms" \
		-name "dibs_smcd.ko*" 2>/dev/null)
	if grep -qsw smcd_register_dev "$kdir/Module.symvers"; then
		[ -n "$installed" ] || {
			ktap_diag "no dibs_smcd.ko* for $release, whose SMC has SMC-D"
			return 1
		}
	elif [ -n "$installed" ]; then
		ktap_diag "dibs_smcd.ko* installed for $release, which has no SMC-D"
		return 1
	fi
	# what the guest's /lib/modules/RELEASE will be: the kernel's own
	# modules (through a link), DKMS's updates/, and depmod's index
	local lib=$work/root-$release/lib/modules/$release
	mkdir -p "$lib"
	ln -s "/lib/modules/$release/kernel" "$lib/kernel"
	cp "/lib/modules/$release"/modules.order \
		"/lib/modules/$release"/modules.builtin* "$lib/"
	cp -R "$work/install/$release/updates" "$lib/"
	check_status 0 depmod -b "$work/root-$release" "$release" || return
	grep -q '^updates/dkms/dibs\.ko[^:]*:' "$lib/modules.dep" || {
		ktap_diag "depmod's modules.dep has no line for updates/dkms/dibs.ko*"
		return 1
	}
}

test_boot_modprobe() { # SERIES
	local release
	release=$("$top/tools/kernel-release" "$1") || return
	run "$top/tools/dibs-vm" --kernel "$1" --no-load --timeout 300 -- \
		"$top/tests/dkms/guest-smoke" "$work/root-$release/lib/modules/$release" \
		"$build/cli/dibsctl/dibsctl"
	printf '%s\n' "$KTAP_STDOUT" | sed 's/^/# guest: /'
	[ -z "$KTAP_STDERR" ] || printf '%s\n' "$KTAP_STDERR" | sed 's/^/# guest stderr: /'
	check_eq 0 "$KTAP_STATUS" "guest smoke test exit status"
}

# Kbuild's refusal, where the kernel's own .config would set CONFIG_DIBS
# (upstream 6.18 and later): the same variable given to make.
test_refuses_config_dibs() { # SERIES
	local release
	release=$("$top/tools/kernel-release" --headers "$1") || return
	mkdir -p "$work/refuse-$1"
	cp -R "$top/kernel/." "$work/refuse-$1/"
	run make -C "/usr/src/linux-headers-$release" \
		M="$work/refuse-$1/drivers/dibs" CONFIG_DIBS=m modules
	check_ne 0 "$KTAP_STATUS" "make status" || return
	check_match "dibs: kernel .* already has dibs \\(CONFIG_DIBS=m\\); use its own dibs" \
		"$KTAP_STDERR" "make's error" || return
	if compgen -G "$work/refuse-$1/drivers/dibs/*.o" >/dev/null; then
		ktap_diag "objects were built before the refusal"
		return 1
	fi
}

for series in "${kernels[@]}"; do
	ktap_test "$series: dkms build and install for $series" \
		test_build_install "$series"
	ktap_test "$series: boots with the DKMS modules, modprobe dibs, dibsctl show" \
		test_boot_modprobe "$series"
	ktap_test "$series: the Kbuild refuses a kernel with CONFIG_DIBS" \
		test_refuses_config_dibs "$series"
done

test_remove() {
	check_status 0 dkms remove -m "$module" -v "$version" --all "${trees[@]}" ||
		return
	check_eq "" "$(dkms status -m "$module" "${trees[@]}" 2>/dev/null)" \
		"dkms status after remove"
}
ktap_test "dkms remove --all" test_remove

ktap_finish
