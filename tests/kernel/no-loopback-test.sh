#!/bin/bash
# dibs builds without its loopback (Kbuild's DIBS_LO=n) and the core does
# not know the loopback: dibs_nl.c and dibs_main.c reach it only through
# its kind.  For each kernel series of $DIBS_KERNELS (default: 6.1 6.12),
# builds the modules with DIBS_LO=n into $DIBS_BUILD_DIR/kernel-SERIES-nolo,
# checks that dibs.ko has no loopback code, and boots the series with
# tools/dibs-vm to run tests/kernel/no_loopback.sh in it (one VM at a time:
# do not run it beside another VM test).
# Run from the repository top; meson runs it as the test no-loopback.
# Test functions run through ktap_test, which shellcheck cannot follow.
# shellcheck disable=SC2317
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${DIBS_BUILD_DIR:-$top/build}
read -r -a kernels <<<"${DIBS_KERNELS:-6.1 6.12}"
dir=$top/kernel/drivers/dibs

ktap_plan $((1 + 3 * ${#kernels[@]}))

test_core_sources() {
	local f
	for f in dibs_nl.c dibs_main.c; do
		if grep -n 'dibs_lo_\|dibs_dev_is_loopback' "$dir/$f"; then
			ktap_diag "$f calls into the loopback; go through its kind"
			return 1
		fi
	done
	if grep -n '#include "dibs_loopback.h"' "$dir/dibs_nl.c"; then
		ktap_diag "dibs_nl.c includes dibs_loopback.h"
		return 1
	fi
}
ktap_test "the core reaches the loopback only through its kind" \
	test_core_sources

test_build() { # SERIES OUT
	check_status 0 env DIBS_LO=n "$top/tools/build-modules" --kernel "$1" "$2"
}

test_symbols() { # OUT
	local ko=$1/modules/dibs.ko syms
	syms=$(nm "$ko") || { ktap_diag "nm $ko failed"; return 1; }
	if grep 'dibs_lo_' <<<"$syms"; then
		ktap_diag "$ko has loopback code"
		return 1
	fi
	grep -q ' dibs_dev_kind_register$' <<<"$syms" || {
		ktap_diag "$ko has no dibs_dev_kind_register"
		return 1
	}
	if modinfo -p "$ko" | grep default_loopback; then
		ktap_diag "$ko has the parameter default_loopback"
		return 1
	fi
}

for series in "${kernels[@]}"; do
	out=$build/kernel-$series-nolo
	ktap_test "$series: modules build with DIBS_LO=n" test_build "$series" "$out"
	ktap_test "$series: dibs.ko built with DIBS_LO=n has no loopback" \
		test_symbols "$out"
	if [ ! -f "$out/modules/dibs.ko" ]; then
		ktap_fail "$series: the guest without loopback" "no modules built"
	else
		expect_success "$series: the guest without loopback" \
			env DIBS_BUILD_DIR="$build" "$top/tools/dibs-vm" \
			--kernel "$series" --modules "$out/modules" -- \
			tests/kernel/no_loopback.sh
	fi
done

ktap_finish
