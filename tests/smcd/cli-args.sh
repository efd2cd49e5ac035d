#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host test: dibs-smc and dibs-smc-run refuse bad arguments with exit 2
# before they talk to the kernel, and print help with exit 0.
# usage: cli-args.sh BUILD_DIR
# shellcheck source=tests/lib/ktap.sh
. "$(dirname "$0")/../lib/ktap.sh"

SMC=$1/cli/dibs-smc/dibs-smc
RUN=$1/cli/dibs-smc/dibs-smc-run

expect_status "dibs-smc without a command" 2 "$SMC"
expect_status "dibs-smc unknown command" 2 "$SMC" frob
expect_status "dibs-smc ueid without a verb" 2 "$SMC" ueid
expect_status "dibs-smc ueid unknown verb" 2 "$SMC" ueid frob
expect_status "dibs-smc ueid add lower case" 2 "$SMC" ueid add abc
expect_status "dibs-smc ueid add 33 characters" 2 "$SMC" ueid add \
	AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
expect_status "dibs-smc ueid add bad character" 2 "$SMC" ueid add 'A*B'
expect_status "dibs-smc ueid del without EID" 2 "$SMC" ueid del
expect_status "dibs-smc dev without show" 2 "$SMC" dev
expect_status "dibs-smc help" 0 "$SMC" help
expect_status "dibs-smc-run without a program" 2 "$RUN"
expect_status "dibs-smc-run --help" 0 "$RUN" --help
expect_status "dibs-smc-run missing library" 1 env DIBS_SMC_PRELOAD=/nonexistent "$RUN" true
# the preload library converts nothing but TCP: a program still runs
expect_status "dibs-smc-run runs its program" 0 env DIBS_SMC_QUIET=1 "$RUN" true
ktap_finish
