// SPDX-License-Identifier: GPL-2.0-only
/*
 * One print path for plain text and JSON: a table of fields per object
 * type, each read into a typed value that either format renders.
 * Printers take the object and the options they print with; nothing is
 * global.
 *
 * Plain text, one line per object, a second indented one with -d:
 *   1: lo: type loopback fabric_id 0xffff gid 6f1c2f1e-...
 *       max_dmbs 5000 dmbs_in_use 0 mmapped_rdmb yes
 * JSON: one flat object per object with every field the kernel
 * reported, keys as the spec's attribute names with '-' turned into
 * '_'; absent fields are left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dibsctl.h"

enum field_kind {
	FIELD_UINT,	/* decimal; a JSON number */
	FIELD_HEX16,	/* 0x%04x in plain text; a JSON number */
	FIELD_STRING,
	FIELD_BOOL,	/* yes/no in plain text; a JSON boolean */
	FIELD_TOKEN,	/* 0x%016llx, in JSON too, as a string */
	FIELD_NAMES,	/* a,b in plain text; a JSON array of strings */
};

/* Where a field goes in plain text. */
enum field_place {
	PLACE_HEAD,	/* "VALUE: " at the start of the line */
	PLACE_BARE,	/* " VALUE" on the first line, without its key */
	PLACE_MAIN,	/* " key value" on the first line */
	PLACE_DETAIL,	/* " key value" on the second line, only with -d */
	PLACE_JSON,	/* JSON only */
};

struct field_value {
	enum field_kind kind;
	uint64_t u;
	bool b;
	const char *s;
	/* FIELD_NAMES: borrowed from the object; the array is freed. */
	const char **names;
	size_t n_names;
	/* Storage for strings built from the object (GIDs, numbers). */
	char buf[DIBSCTL_GID_STR_LEN];
};

struct field {
	const char *key;
	/* The key in plain text when it differs from the JSON one. */
	const char *plain;
	enum field_place place;
	/* Fills @v and returns true when the object has the field. */
	bool (*get)(const void *obj, struct field_value *v);
};

struct printer {
	const struct field *fields;
	size_t n_fields;
};

#define PRINTER(table) { table, sizeof(table) / sizeof(table[0]) }

static void field_value_release(struct field_value *v)
{
	free(v->names);
	v->names = NULL;
}

static bool set_uint(struct field_value *v, int err, uint64_t val)
{
	if (err < 0)
		return false;
	v->kind = FIELD_UINT;
	v->u = val;
	return true;
}

static bool set_string(struct field_value *v, const char *s)
{
	v->kind = FIELD_STRING;
	v->s = s;
	return s != NULL;
}

static bool set_gid(struct field_value *v, int err, const uint8_t *gid)
{
	if (err < 0 || dibsctl_gid_format(gid, v->buf, sizeof(v->buf)) < 0)
		return false;
	v->kind = FIELD_STRING;
	v->s = v->buf;
	return true;
}

/* Typed getters: GET_U(name, type, call) reads one integer. */
#define GET_U(fn, otype, itype, call)					\
static bool fn(const void *obj, struct field_value *v)			\
{									\
	itype val = 0;							\
	int err = call((const otype *)obj, &val);			\
	return set_uint(v, err, val);					\
}

#define GET_S(fn, otype, call)						\
static bool fn(const void *obj, struct field_value *v)			\
{									\
	return set_string(v, call((const otype *)obj));			\
}

/* Devices. */

GET_U(dev_index, struct dibsctl_dev, uint32_t, dibsctl_dev_get_index)
GET_S(dev_name, struct dibsctl_dev, dibsctl_dev_get_name)
GET_U(dev_max_dmbs, struct dibsctl_dev, uint32_t, dibsctl_dev_get_max_dmbs)
GET_U(dev_dmbs_in_use, struct dibsctl_dev, uint32_t,
      dibsctl_dev_get_dmbs_in_use)

/* A type newer than this dibsctl is shown as its number, as a string. */
static bool dev_type(const void *obj, struct field_value *v)
{
	uint32_t type;

	if (dibsctl_dev_get_type(obj, &type) < 0)
		return false;
	v->kind = FIELD_STRING;
	v->s = dibsctl_dev_type_name(type);
	if (!v->s) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu32, type);
		v->s = v->buf;
	}
	return true;
}

static bool dev_fabric_id(const void *obj, struct field_value *v)
{
	uint16_t fabric_id;

	if (dibsctl_dev_get_fabric_id(obj, &fabric_id) < 0)
		return false;
	v->kind = FIELD_HEX16;
	v->u = fabric_id;
	return true;
}

static bool dev_gid(const void *obj, struct field_value *v)
{
	uint8_t gid[DIBSCTL_GID_LEN];

	return set_gid(v, dibsctl_dev_get_gid(obj, gid), gid);
}

static bool dev_mmapped_rdmb(const void *obj, struct field_value *v)
{
	if (dibsctl_dev_get_mmapped_rdmb(obj, &v->b) < 0)
		return false;
	v->kind = FIELD_BOOL;
	return true;
}

/* The names of a device's bound clients. */
static bool dev_clients(const void *obj, struct field_value *v)
{
	struct dibsctl_client_list *list;
	struct dibsctl_client *client;

	if (dibsctl_dev_get_clients(obj, &list) < 0)
		return false;
	v->kind = FIELD_NAMES;
	v->n_names = 0;
	v->names = calloc(dibsctl_client_list_count(list) + 1,
			  sizeof(*v->names));
	if (v->names) {
		dibsctl_client_list_foreach(client, list) {
			const char *name = dibsctl_client_get_name(client);

			if (name)
				v->names[v->n_names++] = name;
		}
	}
	/* The device holds the list, and the names, on. */
	dibsctl_client_list_unref(list);
	return v->names != NULL;
}

/* Plain text and JSON both follow this order. */
static const struct field dev_fields[] = {
	{ "index", NULL, PLACE_HEAD, dev_index },
	{ "name", NULL, PLACE_HEAD, dev_name },
	{ "type", NULL, PLACE_MAIN, dev_type },
	{ "fabric_id", NULL, PLACE_MAIN, dev_fabric_id },
	{ "gid", NULL, PLACE_MAIN, dev_gid },
	{ "max_dmbs", NULL, PLACE_DETAIL, dev_max_dmbs },
	{ "dmbs_in_use", NULL, PLACE_DETAIL, dev_dmbs_in_use },
	{ "mmapped_rdmb", NULL, PLACE_DETAIL, dev_mmapped_rdmb },
	{ "clients", NULL, PLACE_DETAIL, dev_clients },
};

static const struct printer dev_printer = PRINTER(dev_fields);

/* Clients. */

GET_U(client_id, struct dibsctl_client, uint32_t, dibsctl_client_get_id)
GET_S(client_name, struct dibsctl_client, dibsctl_client_get_name)
GET_U(client_dmbs, struct dibsctl_client, uint32_t, dibsctl_client_get_dmbs)

static bool client_devices(const void *obj, struct field_value *v)
{
	struct dibsctl_dev_list *list;
	struct dibsctl_dev *dev;

	if (dibsctl_client_get_devs(obj, &list) < 0)
		return false;
	v->kind = FIELD_NAMES;
	v->n_names = 0;
	v->names = calloc(dibsctl_dev_list_count(list) + 1, sizeof(*v->names));
	if (v->names) {
		dibsctl_dev_list_foreach(dev, list) {
			const char *name = dibsctl_dev_get_name(dev);

			if (name)
				v->names[v->n_names++] = name;
		}
	}
	dibsctl_dev_list_unref(list);
	return v->names != NULL;
}

static const struct field client_fields[] = {
	{ "id", NULL, PLACE_HEAD, client_id },
	{ "name", NULL, PLACE_HEAD, client_name },
	{ "dmbs", NULL, PLACE_MAIN, client_dmbs },
	{ "devices", NULL, PLACE_MAIN, client_devices },
};

static const struct printer client_printer = PRINTER(client_fields);

/* DMBs. */

GET_U(dmb_dev_index, struct dibsctl_dmb, uint32_t, dibsctl_dmb_get_dev_index)
GET_S(dmb_dev_name, struct dibsctl_dmb, dibsctl_dmb_get_dev_name)
GET_U(dmb_client_id, struct dibsctl_dmb, uint32_t, dibsctl_dmb_get_client_id)
GET_S(dmb_client_name, struct dibsctl_dmb, dibsctl_dmb_get_client_name)
GET_U(dmb_idx, struct dibsctl_dmb, uint32_t, dibsctl_dmb_get_idx)
GET_U(dmb_len, struct dibsctl_dmb, uint32_t, dibsctl_dmb_get_len)
GET_U(dmb_vlan_id, struct dibsctl_dmb, uint16_t, dibsctl_dmb_get_vlan_id)
GET_U(dmb_bytes, struct dibsctl_dmb, uint64_t, dibsctl_dmb_get_bytes)
GET_U(dmb_moves, struct dibsctl_dmb, uint64_t, dibsctl_dmb_get_moves)
GET_U(dmb_signals, struct dibsctl_dmb, uint64_t, dibsctl_dmb_get_signals)

static bool dmb_rgid(const void *obj, struct field_value *v)
{
	uint8_t gid[DIBSCTL_GID_LEN];

	return set_gid(v, dibsctl_dmb_get_rgid(obj, gid), gid);
}

/* "0x%016" PRIx64 into @buf, without snprintf(): a dump formats many. */
static void format_token(uint64_t token, char buf[19])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 17; i >= 2; i--, token >>= 4)
		buf[i] = hex[token & 0xf];
	buf[18] = '\0';
}

/* A token is an identifier: hex, and a string in JSON (above 2^53). */
static bool dmb_token(const void *obj, struct field_value *v)
{
	uint64_t token;

	if (dibsctl_dmb_get_token(obj, &token) < 0)
		return false;
	v->kind = FIELD_TOKEN;
	format_token(token, v->buf);
	v->s = v->buf;
	return true;
}

static bool dmb_attached(const void *obj, struct field_value *v)
{
	if (dibsctl_dmb_get_attached(obj, &v->b) < 0)
		return false;
	v->kind = FIELD_BOOL;
	return true;
}

static const struct field dmb_fields[] = {
	{ "dev_index", NULL, PLACE_JSON, dmb_dev_index },
	{ "dev_name", NULL, PLACE_BARE, dmb_dev_name },
	{ "idx", NULL, PLACE_MAIN, dmb_idx },
	{ "len", NULL, PLACE_MAIN, dmb_len },
	{ "client_id", NULL, PLACE_JSON, dmb_client_id },
	{ "client_name", "client", PLACE_MAIN, dmb_client_name },
	{ "rgid", NULL, PLACE_MAIN, dmb_rgid },
	{ "vlan_id", "vlan", PLACE_MAIN, dmb_vlan_id },
	{ "token", NULL, PLACE_MAIN, dmb_token },
	{ "attached", NULL, PLACE_DETAIL, dmb_attached },
	{ "bytes", NULL, PLACE_DETAIL, dmb_bytes },
	{ "moves", NULL, PLACE_DETAIL, dmb_moves },
	{ "signals", NULL, PLACE_DETAIL, dmb_signals },
};

static const struct printer dmb_printer = PRINTER(dmb_fields);

/* GIDs. */

GET_U(gid_dev_index, struct dibsctl_gid, uint32_t, dibsctl_gid_get_dev_index)
GET_S(gid_dev_name, struct dibsctl_gid, dibsctl_gid_get_dev_name)
GET_U(gid_dmbs, struct dibsctl_gid, uint32_t, dibsctl_gid_get_dmbs)

static bool gid_gid(const void *obj, struct field_value *v)
{
	uint8_t gid[DIBSCTL_GID_LEN];

	return set_gid(v, dibsctl_gid_get_gid(obj, gid), gid);
}

static bool gid_role(const void *obj, struct field_value *v)
{
	uint32_t role;

	if (dibsctl_gid_get_role(obj, &role) < 0)
		return false;
	v->kind = FIELD_STRING;
	v->s = dibsctl_gid_role_name(role);
	if (!v->s) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu32, role);
		v->s = v->buf;
	}
	return true;
}

static bool gid_fabric_id(const void *obj, struct field_value *v)
{
	uint16_t fabric_id;

	if (dibsctl_gid_get_fabric_id(obj, &fabric_id) < 0)
		return false;
	v->kind = FIELD_HEX16;
	v->u = fabric_id;
	return true;
}

static const struct field gid_fields[] = {
	{ "dev_index", NULL, PLACE_JSON, gid_dev_index },
	{ "dev_name", NULL, PLACE_BARE, gid_dev_name },
	{ "role", NULL, PLACE_BARE, gid_role },
	{ "gid", NULL, PLACE_BARE, gid_gid },
	{ "fabric_id", NULL, PLACE_MAIN, gid_fabric_id },
	{ "dmbs", NULL, PLACE_MAIN, gid_dmbs },
};

static const struct printer gid_printer = PRINTER(gid_fields);

/* gid check results. */

static bool check_dev_name(const void *obj, struct field_value *v)
{
	return set_string(v, ((const struct gid_check_result *)obj)->dev);
}

static bool check_gid(const void *obj, struct field_value *v)
{
	return set_gid(v, 0, ((const struct gid_check_result *)obj)->gid);
}

static bool check_vlan_id(const void *obj, struct field_value *v)
{
	const struct gid_check_result *r = obj;

	return set_uint(v, r->vlan_id < 0 ? -ENODATA : 0,
			(uint64_t)(r->vlan_id < 0 ? 0 : r->vlan_id));
}

static bool check_reachable(const void *obj, struct field_value *v)
{
	v->kind = FIELD_BOOL;
	v->b = ((const struct gid_check_result *)obj)->reachable;
	return true;
}

static const struct field gid_check_fields[] = {
	{ "dev_name", NULL, PLACE_BARE, check_dev_name },
	{ "gid", NULL, PLACE_BARE, check_gid },
	{ "vlan_id", "vlan", PLACE_MAIN, check_vlan_id },
	{ "reachable", NULL, PLACE_MAIN, check_reachable },
};

static const struct printer gid_check_printer = PRINTER(gid_check_fields);

/* VLANs. */

GET_U(vlan_dev_index, struct dibsctl_vlan, uint32_t,
      dibsctl_vlan_get_dev_index)
GET_S(vlan_dev_name, struct dibsctl_vlan, dibsctl_vlan_get_dev_name)
GET_U(vlan_id, struct dibsctl_vlan, uint16_t, dibsctl_vlan_get_id)
GET_U(vlan_client_id, struct dibsctl_vlan, uint32_t,
      dibsctl_vlan_get_client_id)
GET_S(vlan_client_name, struct dibsctl_vlan, dibsctl_vlan_get_client_name)
GET_U(vlan_refs, struct dibsctl_vlan, uint32_t, dibsctl_vlan_get_refs)

static const struct field vlan_fields[] = {
	{ "dev_index", NULL, PLACE_JSON, vlan_dev_index },
	{ "dev_name", NULL, PLACE_BARE, vlan_dev_name },
	{ "id", "vlan", PLACE_MAIN, vlan_id },
	{ "client_id", NULL, PLACE_JSON, vlan_client_id },
	{ "client_name", "client", PLACE_MAIN, vlan_client_name },
	{ "refs", NULL, PLACE_MAIN, vlan_refs },
};

static const struct printer vlan_printer = PRINTER(vlan_fields);

/* Statistics: the keys; the counters come from the library's table. */

GET_U(stats_dev_index, struct dibsctl_stats, uint32_t,
      dibsctl_stats_get_dev_index)
GET_S(stats_dev_name, struct dibsctl_stats, dibsctl_stats_get_dev_name)
GET_U(stats_client_id, struct dibsctl_stats, uint32_t,
      dibsctl_stats_get_client_id)
GET_S(stats_client_name, struct dibsctl_stats, dibsctl_stats_get_client_name)

static const struct field stats_fields[] = {
	{ "dev_index", NULL, PLACE_JSON, stats_dev_index },
	{ "dev_name", "dev", PLACE_MAIN, stats_dev_name },
	{ "client_id", NULL, PLACE_JSON, stats_client_id },
	{ "client_name", "client", PLACE_MAIN, stats_client_name },
};

static const struct printer stats_printer = PRINTER(stats_fields);

/* Counters per plain line: registrations, failures, data path. */
static const unsigned int stats_lines[][6] = {
	{ DIBSCTL_STATS_DMBS_IN_USE, DIBSCTL_STATS_DMBS_MAX_IN_USE,
	  DIBSCTL_STATS_DMB_REGISTRATIONS, DIBSCTL_STATS_DMB_UNREGISTRATIONS,
	  DIBSCTL_STATS_COUNTERS },
	{ DIBSCTL_STATS_DMB_FAIL_NOSPC, DIBSCTL_STATS_DMB_FAIL_NOMEM,
	  DIBSCTL_STATS_DMB_FAIL_OTHER, DIBSCTL_STATS_COUNTERS },
	{ DIBSCTL_STATS_MOVES, DIBSCTL_STATS_MOVE_BYTES,
	  DIBSCTL_STATS_MOVE_ERRORS, DIBSCTL_STATS_SIGNALS,
	  DIBSCTL_STATS_EVENTS, DIBSCTL_STATS_COUNTERS },
};

/* "move-bytes" -> "move_bytes" */
static void stats_key(unsigned int counter, char *buf, size_t size)
{
	const char *name = dibsctl_stats_counter_name(counter);
	size_t i;

	snprintf(buf, size, "%s", name ? name : "unknown");
	for (i = 0; buf[i]; i++)
		if (buf[i] == '-')
			buf[i] = '_';
}

/* The rendering of one value in either format. */

static void print_plain_value(FILE *out, const struct field_value *v)
{
	size_t i;

	switch (v->kind) {
	case FIELD_UINT:
		fprintf(out, "%" PRIu64, v->u);
		break;
	case FIELD_HEX16:
		fprintf(out, "0x%04" PRIx64, v->u);
		break;
	case FIELD_STRING:
	case FIELD_TOKEN:
		fputs(v->s, out);
		break;
	case FIELD_BOOL:
		fputs(v->b ? "yes" : "no", out);
		break;
	case FIELD_NAMES:
		for (i = 0; i < v->n_names; i++)
			fprintf(out, "%s%s", i ? "," : "", v->names[i]);
		if (v->n_names == 0)
			fputs("none", out);
		break;
	}
}

static json_object *json_value(const struct field_value *v)
{
	json_object *array;
	size_t i;

	switch (v->kind) {
	case FIELD_UINT:
	case FIELD_HEX16:
		return json_object_new_uint64(v->u);
	case FIELD_STRING:
	case FIELD_TOKEN:
		return json_object_new_string(v->s);
	case FIELD_BOOL:
		return json_object_new_boolean(v->b);
	case FIELD_NAMES:
		array = json_object_new_array();
		for (i = 0; array && i < v->n_names; i++) {
			json_object *s = json_object_new_string(v->names[i]);

			if (!s || json_object_array_add(array, s)) {
				json_object_put(s);
				json_object_put(array);
				return NULL;
			}
		}
		return array;
	}
	return NULL;
}

static const char *plain_key(const struct field *f)
{
	return f->plain ? f->plain : f->key;
}

static int count_place(const struct printer *p, const void *obj,
		       enum field_place place)
{
	struct field_value v = { 0 };
	int count = 0;
	size_t i;

	for (i = 0; i < p->n_fields; i++) {
		if (p->fields[i].place == place && p->fields[i].get(obj, &v))
			count++;
		field_value_release(&v);
	}
	return count;
}

/*
 * Prints the fields of one place, the first after @lead and the others
 * after a space; returns how many were printed.
 */
static int print_plain_place(FILE *out, const struct printer *p,
			     const void *obj, enum field_place place,
			     const char *lead)
{
	struct field_value v = { 0 };
	int printed = 0;
	size_t i;

	for (i = 0; i < p->n_fields; i++) {
		const struct field *f = &p->fields[i];

		if (f->place != place || !f->get(obj, &v)) {
			field_value_release(&v);
			continue;
		}
		fputs(printed ? " " : lead, out);
		if (place == PLACE_HEAD) {
			print_plain_value(out, &v);
			fputc(':', out);
		} else if (place == PLACE_BARE) {
			print_plain_value(out, &v);
		} else {
			fprintf(out, "%s ", plain_key(f));
			print_plain_value(out, &v);
		}
		field_value_release(&v);
		printed++;
	}
	return printed;
}

/* The first line: head, bare and main fields. */
static void print_plain_main(FILE *out, const struct printer *p,
			     const void *obj)
{
	int printed;

	printed = print_plain_place(out, p, obj, PLACE_HEAD, "");
	printed += print_plain_place(out, p, obj, PLACE_BARE,
				     printed ? " " : "");
	print_plain_place(out, p, obj, PLACE_MAIN, printed ? " " : "");
}

static void print_plain_object(const struct print_opts *opts, FILE *out,
			       const struct printer *p, const void *obj)
{
	print_plain_main(out, p, obj);
	fputc('\n', out);
	/* Sources without any detail (sysfs) get no empty second line. */
	if (opts->details && count_place(p, obj, PLACE_DETAIL) > 0) {
		print_plain_place(out, p, obj, PLACE_DETAIL, "    ");
		fputc('\n', out);
	}
}

/* Adds the fields of @obj to the JSON object @json. */
static int add_json_fields(json_object *json, const struct printer *p,
			   const void *obj)
{
	struct field_value v = { 0 };
	size_t i;

	for (i = 0; i < p->n_fields; i++) {
		json_object *val;

		if (!p->fields[i].get(obj, &v)) {
			field_value_release(&v);
			continue;
		}
		val = json_value(&v);
		field_value_release(&v);
		if (!val || json_object_object_add(json, p->fields[i].key, val)) {
			json_object_put(val);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Returns NULL only when out of memory. */
static json_object *object_to_json(const struct printer *p, const void *obj)
{
	json_object *json = json_object_new_object();

	if (json && add_json_fields(json, p, obj)) {
		json_object_put(json);
		return NULL;
	}
	return json;
}

/* The counters of @stats as JSON keys of @json. */
static int add_json_counters(json_object *json,
			     const struct dibsctl_stats *stats)
{
	unsigned int c;

	for (c = 0; c < DIBSCTL_STATS_COUNTERS; c++) {
		json_object *val;
		uint64_t value;
		char key[32];

		if (dibsctl_stats_get_counter(stats, c, &value) < 0)
			continue;
		stats_key(c, key, sizeof(key));
		/* The object's own value of a key wins (dmbs_in_use). */
		if (json_object_object_get_ex(json, key, NULL))
			continue;
		val = json_object_new_uint64(value);
		if (!val || json_object_object_add(json, key, val)) {
			json_object_put(val);
			return -ENOMEM;
		}
	}
	return 0;
}

/* The counters of @stats in plain text, a few per indented line. */
static void print_plain_counters(FILE *out, const struct dibsctl_stats *stats)
{
	size_t line, i;

	for (line = 0; line < sizeof(stats_lines) / sizeof(stats_lines[0]);
	     line++) {
		int printed = 0;

		for (i = 0; stats_lines[line][i] != DIBSCTL_STATS_COUNTERS; i++) {
			unsigned int c = stats_lines[line][i];
			uint64_t value;
			char key[32];

			if (dibsctl_stats_get_counter(stats, c, &value) < 0)
				continue;
			stats_key(c, key, sizeof(key));
			fprintf(out, "%s%s %" PRIu64, printed ? " " : "    ", key,
				value);
			printed++;
		}
		if (printed)
			fputc('\n', out);
	}
}

static int print_json(const struct print_opts *opts, FILE *out,
		      json_object *obj)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *text;

	flags |= opts->format == OUTPUT_JSON_PRETTY ?
		 JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
		 JSON_C_TO_STRING_PLAIN;
	text = json_object_to_json_string_ext(obj, flags);
	if (!text)
		return -ENOMEM;
	fprintf(out, "%s\n", text);
	return 0;
}

/*
 * One element of a JSON array, as json-c itself would print it inside
 * the array: serialised alone, then (pretty) indented one level deeper.
 * JSON strings hold no raw newline, so every newline starts a line.
 */
static int print_json_element(const struct print_opts *opts, FILE *out,
			      json_object *obj)
{
	bool pretty = opts->format == OUTPUT_JSON_PRETTY;
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *text, *nl;

	flags |= pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			  JSON_C_TO_STRING_PLAIN;
	text = json_object_to_json_string_ext(obj, flags);
	if (!text)
		return -ENOMEM;
	if (!pretty) {
		fputs(text, out);
		return 0;
	}
	fputs("  ", out);
	while ((nl = strchr(text, '\n'))) {
		fwrite(text, 1, (size_t)(nl - text) + 1, out);
		fputs("  ", out);
		text = nl + 1;
	}
	fputs(text, out);
	return 0;
}

static const struct printer *list_printers[] = {
	[LIST_DEV] = &dev_printer,
	[LIST_CLIENT] = &client_printer,
	[LIST_DMB] = &dmb_printer,
	[LIST_GID] = &gid_printer,
	[LIST_VLAN] = &vlan_printer,
	[LIST_STATS] = &stats_printer,
};

void list_print_init(struct list_print *lp, const struct print_opts *opts,
		     FILE *out, enum list_kind kind)
{
	lp->opts = opts;
	lp->out = out;
	lp->kind = kind;
	lp->count = 0;
	lp->json = NULL;
	lp->fields = 0;
}

/*
 * The last element's JSON object with the values of @obj, when @obj has
 * the same fields (json-c keeps keys in the order they were added, so
 * only then does it print as a new object would); NULL otherwise.  A
 * long dump so builds and frees no hash table and values per object.
 */
static json_object *reuse_json(struct list_print *lp, const struct printer *p,
			       const void *obj)
{
	struct field_value v = { 0 };
	bool same = lp->json != NULL;
	size_t i;

	for (i = 0; same && i < p->n_fields; i++) {
		json_object *val = lp->values[i];
		bool has = p->fields[i].get(obj, &v);

		if (has != !!(lp->fields & (1U << i))) {
			same = false;
		} else if (has) {
			switch (v.kind) {
			case FIELD_UINT:
			case FIELD_HEX16:
				same = json_object_set_uint64(val, v.u) == 1;
				break;
			case FIELD_STRING:
			case FIELD_TOKEN:
				same = json_object_set_string(val, v.s) == 1;
				break;
			case FIELD_BOOL:
				same = json_object_set_boolean(val, v.b) == 1;
				break;
			case FIELD_NAMES:
				same = false;
				break;
			}
		}
		field_value_release(&v);
	}
	return same ? lp->json : NULL;
}

/*
 * A list element's JSON text is put together here and handed to json-c's
 * buffer in one piece: appending field by field cost more than the
 * fields themselves.
 */
struct flat_buf {
	struct printbuf *pb;
	size_t len;
	bool failed;
	char text[512];
};

static void flat_flush(struct flat_buf *fb)
{
	if (fb->len && printbuf_memappend(fb->pb, fb->text, (int)fb->len) < 0)
		fb->failed = true;
	fb->len = 0;
}

static void flat_put(struct flat_buf *fb, const char *text, size_t len)
{
	if (fb->len + len > sizeof(fb->text)) {
		flat_flush(fb);
		if (len > sizeof(fb->text)) {
			if (printbuf_memappend(fb->pb, text, (int)len) < 0)
				fb->failed = true;
			return;
		}
	}
	memcpy(fb->text + fb->len, text, len);
	fb->len += len;
}

static void flat_uint(struct flat_buf *fb, uint64_t u)
{
	char num[20];
	size_t pos = sizeof(num);

	do {
		num[--pos] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	flat_put(fb, num + pos, sizeof(num) - pos);
}

/*
 * A JSON string as json-c writes it: '"' and '\\' escaped, '/' too
 * unless JSON_C_TO_STRING_NOSLASHESCAPE, the usual short escapes,
 * other bytes below 0x20 as \u00XX, everything else as it is.
 */
static void flat_string(struct flat_buf *fb, const char *s, int flags)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	char esc[6];

	flat_put(fb, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = 2;

		esc[0] = '\\';
		switch (c) {
		case '\b': esc[1] = 'b'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\f': esc[1] = 'f'; break;
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '/':
			if (flags & JSON_C_TO_STRING_NOSLASHESCAPE)
				continue;
			esc[1] = '/';
			break;
		default:
			if (c >= 0x20)
				continue;
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			n = 6;
			break;
		}
		flat_put(fb, run, (size_t)(s - run));
		flat_put(fb, esc, n);
		run = s + 1;
	}
	flat_put(fb, run, (size_t)(s - run));
	flat_put(fb, "\"", 1);
}

/*
 * json-c's own serializer escapes every key of every object again and
 * prints each integer through snprintf(): in a long `-j` dump that was
 * most of dibsctl's time.  List elements are flat objects whose keys are
 * our field names, which need no escaping, so this prints them directly:
 * byte for byte what json-c prints with JSON_C_TO_STRING_PLAIN (the unit
 * tests compare the two).  Values other than numbers, booleans and
 * strings still go through json-c.
 */
static int flat_object_to_json(json_object *jso, struct printbuf *pb,
			       int level, int flags)
{
	struct flat_buf fb = { .pb = pb };
	bool first = true;

	(void)level;
	flat_put(&fb, "{", 1);
	json_object_object_foreach(jso, key, val) {
		const char *text;

		if (!first)
			flat_put(&fb, ",", 1);
		first = false;
		flat_put(&fb, "\"", 1);
		flat_put(&fb, key, strlen(key));
		flat_put(&fb, "\":", 2);
		switch (json_object_get_type(val)) {
		case json_type_int:
			if (json_object_get_int64(val) >= 0) {
				flat_uint(&fb, json_object_get_uint64(val));
				continue;
			}
			break;
		case json_type_boolean:
			if (json_object_get_boolean(val))
				flat_put(&fb, "true", 4);
			else
				flat_put(&fb, "false", 5);
			continue;
		case json_type_string:
			flat_string(&fb, json_object_get_string(val), flags);
			continue;
		default:
			break;
		}
		text = json_object_to_json_string_ext(val, flags);
		if (!text)
			return -1;
		flat_put(&fb, text, strlen(text));
	}
	flat_put(&fb, "}", 1);
	flat_flush(&fb);
	return fb.failed ? -1 : 0;
}

/* Whether @key prints as itself inside JSON quotes. */
static bool plain_json_key(const char *key)
{
	for (; *key; key++)
		if (*key < 0x20 || *key == '"' || *key == '\\' ||
		    *key == '/' || *key > 0x7e)
			return false;
	return true;
}

/* A new element, remembered for reuse_json(). */
static json_object *new_json(struct list_print *lp, const struct printer *p,
			     const void *obj)
{
	bool plain = true;
	size_t i;

	json_object_put(lp->json);
	lp->json = object_to_json(p, obj);
	lp->fields = 0;
	if (!lp->json || p->n_fields > LIST_PRINT_FIELDS)
		return lp->json;
	for (i = 0; i < p->n_fields; i++) {
		if (json_object_object_get_ex(lp->json, p->fields[i].key,
					      &lp->values[i]))
			lp->fields |= 1U << i;
		if (!plain_json_key(p->fields[i].key))
			plain = false;
	}
	/* Pretty printing keeps json-c's own layout. */
	if (plain && lp->opts->format == OUTPUT_JSON)
		json_object_set_serializer(lp->json, flat_object_to_json,
					   NULL, NULL);
	return lp->json;
}

/* client show -d in plain text: a line per bound device with its DMBs. */
static void print_plain_client(const struct print_opts *opts, FILE *out,
			       const struct dibsctl_client *client)
{
	struct print_opts no_details = *opts;
	struct dibsctl_dev_list *devs;
	struct dibsctl_dev *dev;

	no_details.details = false;
	print_plain_object(&no_details, out, &client_printer, client);
	if (!opts->details || dibsctl_client_get_devs(client, &devs) < 0)
		return;
	dibsctl_dev_list_foreach(dev, devs) {
		uint32_t index, dmbs;

		fprintf(out, "    dev %s", dibsctl_dev_get_name(dev) ?
			dibsctl_dev_get_name(dev) : "?");
		if (dibsctl_dev_get_index(dev, &index) == 0)
			fprintf(out, " index %" PRIu32, index);
		if (dibsctl_dev_get_dmbs_in_use(dev, &dmbs) == 0)
			fprintf(out, " dmbs %" PRIu32, dmbs);
		fputc('\n', out);
	}
	dibsctl_dev_list_unref(devs);
}

int list_print_add(struct list_print *lp, const void *obj,
		   const struct dibsctl_stats *stats)
{
	const struct printer *p = list_printers[lp->kind];
	json_object *json;
	int err;

	if (lp->opts->format == OUTPUT_PLAIN) {
		if (lp->kind == LIST_CLIENT)
			print_plain_client(lp->opts, lp->out, obj);
		else
			print_plain_object(lp->opts, lp->out, p, obj);
		if (stats)
			print_plain_counters(lp->out, stats);
		lp->count++;
		return 0;
	}

	if (stats || lp->kind == LIST_STATS ||
	    p->n_fields > LIST_PRINT_FIELDS) {
		/* counters come as extra keys: a new object every time */
		json = object_to_json(p, obj);
		if (json && stats && add_json_counters(json, stats)) {
			json_object_put(json);
			json = NULL;
		}
	} else {
		json = reuse_json(lp, p, obj);
		if (!json)
			json = new_json(lp, p, obj);
		/* lp->json keeps it */
		json = json_object_get(json);
	}
	if (!json)
		return -ENOMEM;
	fputs(lp->count ? "," : "[", lp->out);
	if (lp->opts->format == OUTPUT_JSON_PRETTY)
		fputc('\n', lp->out);
	err = print_json_element(lp->opts, lp->out, json);
	json_object_put(json);
	if (!err)
		lp->count++;
	return err;
}

/*
 * Ends the list.  After a failure (@err) the array printed so far is
 * closed, so that stdout stays valid JSON with the objects it has; with
 * none printed yet, nothing is.  Returns @err.
 */
int list_print_end(struct list_print *lp, int err)
{
	json_object *empty;

	json_object_put(lp->json);
	lp->json = NULL;

	if (lp->opts->format == OUTPUT_PLAIN)
		return err;
	if (lp->count) {
		fputs(lp->opts->format == OUTPUT_JSON_PRETTY ? "\n]\n" : "]\n",
		      lp->out);
		return err;
	}
	if (err)
		return err;
	empty = json_object_new_array();
	if (!empty)
		return -ENOMEM;
	err = print_json(lp->opts, lp->out, empty);
	json_object_put(empty);
	return err;
}

/*
 * "show" of any object from an array: plain lines, or a JSON array,
 * also of one.  @stats, when given, holds the counters of each object
 * (dev show -s).
 */
static int print_list(const struct print_opts *opts, FILE *out,
		      enum list_kind kind, const void *const *objs,
		      struct dibsctl_stats *const *stats, size_t count)
{
	struct list_print lp;
	size_t i;
	int err = 0;

	list_print_init(&lp, opts, out, kind);
	for (i = 0; i < count && !err; i++)
		err = list_print_add(&lp, objs[i], stats ? stats[i] : NULL);
	return list_print_end(&lp, err);
}

json_object *dev_to_json(const struct dibsctl_dev *dev)
{
	return object_to_json(&dev_printer, dev);
}

int print_dev_plain(const struct print_opts *opts, FILE *out,
		    const struct dibsctl_dev *dev)
{
	print_plain_object(opts, out, &dev_printer, dev);
	return 0;
}

int print_dev_list(const struct print_opts *opts, FILE *out,
		   struct dibsctl_dev *const *devs, size_t count)
{
	return print_list(opts, out, LIST_DEV, (const void *const *)devs,
			  NULL, count);
}

int print_dev_list_stats(const struct print_opts *opts, FILE *out,
			 struct dibsctl_dev *const *devs,
			 struct dibsctl_stats *const *stats, size_t count)
{
	return print_list(opts, out, LIST_DEV, (const void *const *)devs,
			  stats, count);
}

/* "add": JSON prints the one object created. */
int print_dev_object(const struct print_opts *opts, FILE *out,
		     const struct dibsctl_dev *dev)
{
	json_object *obj;
	int err;

	if (opts->format == OUTPUT_PLAIN)
		return print_dev_plain(opts, out, dev);

	obj = dev_to_json(dev);
	if (!obj)
		return -ENOMEM;
	err = print_json(opts, out, obj);
	json_object_put(obj);
	return err;
}

/* client show: with -d, a line per bound device with the DMBs there. */
int print_client_list(const struct print_opts *opts, FILE *out,
		      struct dibsctl_client *const *clients, size_t count)
{
	return print_list(opts, out, LIST_CLIENT,
			  (const void *const *)clients, NULL, count);
}

int print_dmb_list(const struct print_opts *opts, FILE *out,
		   struct dibsctl_dmb *const *dmbs, size_t count)
{
	return print_list(opts, out, LIST_DMB, (const void *const *)dmbs,
			  NULL, count);
}

int print_gid_list(const struct print_opts *opts, FILE *out,
		   struct dibsctl_gid *const *gids, size_t count)
{
	return print_list(opts, out, LIST_GID, (const void *const *)gids,
			  NULL, count);
}

/* gid check: one line, or one JSON object. */
int print_gid_check(const struct print_opts *opts, FILE *out,
		    const struct gid_check_result *result)
{
	json_object *obj;
	int err;

	if (opts->format == OUTPUT_PLAIN) {
		print_plain_object(opts, out, &gid_check_printer, result);
		return 0;
	}
	obj = object_to_json(&gid_check_printer, result);
	if (!obj)
		return -ENOMEM;
	err = print_json(opts, out, obj);
	json_object_put(obj);
	return err;
}

int print_vlan_list(const struct print_opts *opts, FILE *out,
		    struct dibsctl_vlan *const *vlans, size_t count)
{
	return print_list(opts, out, LIST_VLAN, (const void *const *)vlans,
			  NULL, count);
}

int print_stats_list(const struct print_opts *opts, FILE *out,
		     struct dibsctl_stats *const *stats, size_t count)
{
	return print_list(opts, out, LIST_STATS, (const void *const *)stats,
			  stats, count);
}

/* Plain words of an event: "dev new", "client bind", ... */
static const char *const event_words[] = {
	[DIBSCTL_EVENT_DEV_NEW] = "dev new",
	[DIBSCTL_EVENT_DEV_DEL] = "dev del",
	[DIBSCTL_EVENT_CLIENT_NEW] = "client new",
	[DIBSCTL_EVENT_CLIENT_DEL] = "client del",
	[DIBSCTL_EVENT_CLIENT_BIND] = "client bind",
	[DIBSCTL_EVENT_CLIENT_UNBIND] = "client unbind",
	[DIBSCTL_EVENT_DMB_NEW] = "dmb new",
	[DIBSCTL_EVENT_DMB_DEL] = "dmb del",
};

/*
 * One line of plain text for an event: the name first, then every other
 * field as "key value" (details too: an event is all there is).
 */
static void print_plain_event_fields(FILE *out, const struct printer *p,
				     const void *obj)
{
	struct field_value v = { 0 };
	size_t i, pass;

	/* Pass 0: names and bare fields; pass 1: everything else. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->n_fields; i++) {
			const struct field *f = &p->fields[i];
			bool first;

			if (f->place == PLACE_JSON || !f->get(obj, &v)) {
				field_value_release(&v);
				continue;
			}
			first = f->place == PLACE_BARE ||
				(f->place == PLACE_HEAD && v.kind == FIELD_STRING);
			if (first == (pass == 0)) {
				fputc(' ', out);
				if (!first)
					fprintf(out, "%s ", plain_key(f));
				print_plain_value(out, &v);
			}
			field_value_release(&v);
		}
	}
}

/* client-bind and client-unbind: the client and its one device. */
static int bind_event_json(json_object *json, const struct dibsctl_client *client)
{
	struct dibsctl_dev_list *devs;
	struct dibsctl_dev *dev;
	int err = 0;

	if (add_json_fields(json, &client_printer, client) < 0)
		return -ENOMEM;
	json_object_object_del(json, "devices");
	json_object_object_del(json, "dmbs");
	if (dibsctl_client_get_devs(client, &devs) < 0)
		return 0;
	dev = dibsctl_dev_list_first(devs);
	if (dev) {
		uint32_t index;
		const char *name = dibsctl_dev_get_name(dev);

		if (dibsctl_dev_get_index(dev, &index) == 0 &&
		    json_object_object_add(json, "dev_index",
					   json_object_new_uint64(index)))
			err = -ENOMEM;
		if (name && json_object_object_add(json, "dev_name",
						   json_object_new_string(name)))
			err = -ENOMEM;
	}
	dibsctl_dev_list_unref(devs);
	return err;
}

static void print_plain_bind_event(FILE *out,
				   const struct dibsctl_client *client)
{
	struct dibsctl_dev_list *devs;
	struct dibsctl_dev *dev;
	const char *name = dibsctl_client_get_name(client);
	uint32_t id;

	fprintf(out, " %s", name ? name : "?");
	if (dibsctl_client_get_devs(client, &devs) == 0) {
		dev = dibsctl_dev_list_first(devs);
		if (dev && dibsctl_dev_get_name(dev))
			fprintf(out, " dev %s", dibsctl_dev_get_name(dev));
		dibsctl_dev_list_unref(devs);
	}
	if (dibsctl_client_get_id(client, &id) == 0)
		fprintf(out, " id %" PRIu32, id);
}

/*
 * monitor: one line per event, flushed, so that a pipe sees it at once.
 * JSON: one object per line, the "event" key first.
 */
int print_event(const struct print_opts *opts, FILE *out,
		const struct dibsctl_event *event)
{
	int type = dibsctl_event_get_type(event);
	const struct printer *p = NULL;
	const void *obj = NULL;
	const char *name = dibsctl_event_type_name(type);
	json_object *json;
	int err = 0;

	if (!name)
		return 0;	/* newer than this dibsctl */
	if (dibsctl_event_get_dev(event)) {
		p = &dev_printer;
		obj = dibsctl_event_get_dev(event);
	} else if (dibsctl_event_get_client(event)) {
		p = &client_printer;
		obj = dibsctl_event_get_client(event);
	} else if (dibsctl_event_get_dmb(event)) {
		p = &dmb_printer;
		obj = dibsctl_event_get_dmb(event);
	}
	if (!p)
		return 0;

	if (opts->format == OUTPUT_PLAIN) {
		fputs(event_words[type], out);
		if (type == DIBSCTL_EVENT_CLIENT_BIND ||
		    type == DIBSCTL_EVENT_CLIENT_UNBIND)
			print_plain_bind_event(out, obj);
		else
			print_plain_event_fields(out, p, obj);
		fputc('\n', out);
		return fflush(out) ? -errno : 0;
	}

	/* One line per event, also with -p. */
	json = json_object_new_object();
	if (!json || json_object_object_add(json, "event",
					    json_object_new_string(name))) {
		json_object_put(json);
		return -ENOMEM;
	}
	if (type == DIBSCTL_EVENT_CLIENT_BIND ||
	    type == DIBSCTL_EVENT_CLIENT_UNBIND)
		err = bind_event_json(json, obj);
	else
		err = add_json_fields(json, p, obj);
	if (!err) {
		const struct print_opts one_line = { .format = OUTPUT_JSON };

		err = print_json(&one_line, out, json);
	}
	json_object_put(json);
	if (!err && fflush(out))
		err = -errno;
	return err;
}
