// SPDX-License-Identifier: GPL-2.0-only
/*
 * "stats prometheus": the statistics in Prometheus' text exposition
 * format (version 0.0.4), for node exporter's textfile collector.
 *
 * Devices and clients are separate families (dibs_device_*, label
 * "device"; dibs_client_*, label "client"): a client's DMBs are also
 * counted on the devices they are on, so one family holding both would
 * count everything twice when summed.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "dibsctl.h"

enum prom_type {
	PROM_GAUGE,
	PROM_COUNTER,
};

/* One family per counter, or per group of counters told apart by a label. */
struct prom_family {
	const char *name;	/* after dibs_device_ / dibs_client_ */
	enum prom_type type;
	const char *help;
	/* Counters in this family; extra label value per counter. */
	unsigned int counters[3];
	const char *label;	/* NULL: one counter, no extra label */
	const char *label_values[3];
};

#define NO_COUNTER DIBSCTL_STATS_COUNTERS

/* A family of one counter, without an extra label. */
#define PROM_ONE(name_, type_, help_, counter_)				\
	{ .name = (name_), .type = (type_), .help = (help_),		\
	  .counters = { (counter_), NO_COUNTER, NO_COUNTER } }

static const struct prom_family prom_families[] = {
	PROM_ONE("dmbs_in_use", PROM_GAUGE, "DMBs registered now.",
		 DIBSCTL_STATS_DMBS_IN_USE),
	PROM_ONE("dmbs_max_in_use", PROM_GAUGE,
		 "Most DMBs registered at once since the last reset (high-water mark).",
		 DIBSCTL_STATS_DMBS_MAX_IN_USE),
	PROM_ONE("dmb_registrations_total", PROM_COUNTER, "DMBs registered.",
		 DIBSCTL_STATS_DMB_REGISTRATIONS),
	PROM_ONE("dmb_unregistrations_total", PROM_COUNTER,
		 "DMBs unregistered.", DIBSCTL_STATS_DMB_UNREGISTRATIONS),
	{ .name = "dmb_registration_failures_total", .type = PROM_COUNTER,
	  .help = "DMB registrations that failed, by reason: nospc (device full), nomem, other.",
	  .counters = { DIBSCTL_STATS_DMB_FAIL_NOSPC,
			DIBSCTL_STATS_DMB_FAIL_NOMEM,
			DIBSCTL_STATS_DMB_FAIL_OTHER },
	  .label = "reason",
	  .label_values = { "nospc", "nomem", "other" } },
	PROM_ONE("moves_total", PROM_COUNTER, "move_data() calls.",
		 DIBSCTL_STATS_MOVES),
	PROM_ONE("move_bytes_total", PROM_COUNTER,
		 "Bytes written by successful move_data() calls.",
		 DIBSCTL_STATS_MOVE_BYTES),
	PROM_ONE("move_errors_total", PROM_COUNTER,
		 "move_data() calls that failed.", DIBSCTL_STATS_MOVE_ERRORS),
	PROM_ONE("signals_total", PROM_COUNTER,
		 "Successful move_data() calls that signalled the DMB's owner.",
		 DIBSCTL_STATS_SIGNALS),
	PROM_ONE("events_total", PROM_COUNTER, "Events delivered to clients.",
		 DIBSCTL_STATS_EVENTS),
};

/* A label value with \, " and newline escaped, as the format wants. */
void prom_print_label_value(FILE *out, const char *value)
{
	const char *p;

	for (p = value; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
}

/* Which scope @stats is of: its label ("device"/"client") and value. */
static bool prom_scope(const struct dibsctl_stats *stats, bool devices,
		       const char **value)
{
	*value = devices ? dibsctl_stats_get_dev_name(stats) :
			   dibsctl_stats_get_client_name(stats);
	return *value != NULL;
}

static void prom_print_family(FILE *out, const struct prom_family *fam,
			      bool devices, struct dibsctl_stats *const *stats,
			      size_t count)
{
	const char *scope = devices ? "device" : "client";
	bool header = false;
	size_t i, c;

	for (i = 0; i < count; i++) {
		const char *who;

		if (!prom_scope(stats[i], devices, &who))
			continue;
		for (c = 0; c < 3 && fam->counters[c] != NO_COUNTER; c++) {
			uint64_t value;

			if (dibsctl_stats_get_counter(stats[i], fam->counters[c],
						      &value) < 0)
				continue;
			if (!header) {
				fprintf(out, "# HELP dibs_%s_%s %s\n"
					"# TYPE dibs_%s_%s %s\n",
					scope, fam->name, fam->help,
					scope, fam->name,
					fam->type == PROM_GAUGE ? "gauge" :
								  "counter");
				header = true;
			}
			fprintf(out, "dibs_%s_%s{%s=\"", scope, fam->name, scope);
			prom_print_label_value(out, who);
			if (fam->label)
				fprintf(out, "\",%s=\"%s", fam->label,
					fam->label_values[c]);
			fprintf(out, "\"} %" PRIu64 "\n", value);
		}
	}
}

/*
 * Every family of devices, then of clients; a family is printed (with
 * its HELP and TYPE lines) only when some object has a value for it.
 */
int print_stats_prometheus(FILE *out, struct dibsctl_stats *const *stats,
			   size_t count)
{
	size_t f;
	int scope;

	for (scope = 0; scope < 2; scope++)
		for (f = 0; f < sizeof(prom_families) / sizeof(prom_families[0]);
		     f++)
			prom_print_family(out, &prom_families[f], scope == 0,
					  stats, count);
	return ferror(out) ? -EIO : 0;
}
