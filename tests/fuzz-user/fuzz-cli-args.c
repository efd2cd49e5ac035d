// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: dibsctl's command line, options then command, parsed
 * as cli_main() parses it but never run.  The input is the words after
 * "dibsctl", each ended by a NUL byte.  A parse must not open
 * libdibsctl (that would talk to the kernel): the target aborts if it did.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

#define MAX_WORDS 64

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
	char *argv[MAX_WORDS + 2], *text, *p;
	struct cli cli;
	struct cmd cmd;
	int argc = 0, first;

	if (size > 4096)
		return 0;
	/* One more NUL, so that the last word ends too. */
	text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	argv[argc++] = "dibsctl";
	for (p = text; p < text + size && argc <= MAX_WORDS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	cli_init(&cli, sink, sink);
	if (cli_parse_options(&cli, argc, argv, &first) == EXIT_OK &&
	    !cli.show_help && !cli.show_version && !cli.batch_file &&
	    cli_parse_command(&cli, argc - first, argv + first, &cmd) == EXIT_OK &&
	    cmd.object && strcmp(cmd.object->name, "config") != 0)
		/* What a configuration file would say of it: pure too. */
		config_check_declaration(&cli, &cmd);
	if (cli.ctx)
		abort();
	cli_release(&cli);
	free(text);
	return 0;
}
