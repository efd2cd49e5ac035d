// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a dibsctl batch file, split into quoted words and
 * every line parsed (batch_parse(), as -b FILE and config apply do before
 * running anything).  Nothing runs and libdibsctl is never opened: the
 * target aborts if it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct batch_cmd *cmds = NULL;
	struct cli cli;
	size_t n = 0, i;
	FILE *in;

	if (size == 0 || size > 16384)
		return 0;
	in = fmemopen((void *)data, size, "r");
	if (!in)
		abort();
	cli_init(&cli, sink, sink);
	if (batch_parse(&cli, in, "fuzz", &cmds, &n) == EXIT_OK) {
		for (i = 0; i < n; i++) {
			/* Every word is a string within the line's text. */
			if (!cmds[i].argc || cmds[i].argv[cmds[i].argc])
				abort();
			cli.where_line = cmds[i].line;
			config_check_declaration(&cli, &cmds[i].cmd);
		}
		cli.where_file = NULL;
		batch_free(cmds, n);
	}
	fclose(in);
	if (cli.ctx || cli.where_file)
		abort();
	cli_release(&cli);
	return 0;
}
