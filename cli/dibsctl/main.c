// SPDX-License-Identifier: GPL-2.0-only
/*
 * dibsctl - show, create and delete dibs devices.  Everything but this
 * function lives in the dibsctl-cli static library, which the host unit
 * tests link as well.
 */
#include <stdio.h>

#include "dibsctl.h"

int main(int argc, char **argv)
{
	struct cli cli;
	int ret;

	cli_init(&cli, stdout, stderr);
	ret = cli_main(&cli, argc, argv);
	cli_release(&cli);
	return ret;
}
