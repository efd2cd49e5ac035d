#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Extracts the example program of libdibsctl(3) (the first .EX block of
# its EXAMPLES section) as C source, so that the build compiles it and
# the VM suite runs it: the documented example stays correct.
#
# usage: man-example.sh LIBDIBSCTL_3 OUTPUT_C
set -eu

{
	echo "/* Generated from $(basename "$1") by tests/unit/man-example.sh; edit the man page. */"
	awk '
		/^\.SH EXAMPLES/ { in_section = 1; next }
		/^\.SH / { in_section = 0 }
		in_section && /^\.EX/ && !done { in_example = 1; next }
		in_example && /^\.EE/ { in_example = 0; done = 1; next }
		in_example {
			gsub(/\\-/, "-")
			gsub(/\\e/, "\\")
			print
		}
	' "$1"
} > "$2.tmp"
if ! grep -q 'int main' "$2.tmp"; then
	echo "man-example.sh: no example program found in $1" >&2
	rm -f "$2.tmp"
	exit 1
fi
mv "$2.tmp" "$2"
