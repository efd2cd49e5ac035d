// SPDX-License-Identifier: GPL-2.0-only
/*
 * One print path for plain text and JSON: a table of device fields,
 * each read into a typed value that either format renders.  Printers
 * take the device and the options they print with; nothing is global.
 *
 * Plain text, one line per device, a second indented one with -d:
 *   1: lo: type loopback fabric_id 0xffff gid 6f1c2f1e-...
 *       max_dmbs 5000 dmbs_in_use 0 mmapped_rdmb yes
 * JSON: one flat object per device with every field the source
 * reported, keys as the spec's attribute names with '-' turned into '_';
 * absent fields are left out.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "dibsctl.h"

enum field_kind {
	FIELD_UINT,	/* decimal; a JSON number */
	FIELD_HEX16,	/* 0x%04x in plain text; a JSON number */
	FIELD_STRING,
	FIELD_BOOL,	/* yes/no in plain text; a JSON boolean */
};

/* Where a field goes in plain text. */
enum field_place {
	PLACE_HEAD,	/* "VALUE: " at the start of the line */
	PLACE_MAIN,	/* " key value" on the first line */
	PLACE_DETAIL,	/* " key value" on the second line, only with -d */
};

struct field_value {
	enum field_kind kind;
	uint64_t u;
	bool b;
	const char *s;
	/* Storage for strings built from the device (GID, unknown types). */
	char buf[DIBSCTL_GID_STR_LEN];
};

struct dev_field {
	const char *key;
	enum field_place place;
	/* Fills @v and returns true when the device has the field. */
	bool (*get)(const struct dibsctl_dev *dev, struct field_value *v);
};

static bool get_index(const struct dibsctl_dev *dev, struct field_value *v)
{
	uint32_t index;

	if (dibsctl_dev_get_index(dev, &index) < 0)
		return false;
	v->kind = FIELD_UINT;
	v->u = index;
	return true;
}

static bool get_name(const struct dibsctl_dev *dev, struct field_value *v)
{
	v->kind = FIELD_STRING;
	v->s = dibsctl_dev_get_name(dev);
	return v->s != NULL;
}

/* A type newer than this dibsctl is shown as its number, as a string. */
static bool get_type(const struct dibsctl_dev *dev, struct field_value *v)
{
	uint32_t type;

	if (dibsctl_dev_get_type(dev, &type) < 0)
		return false;
	v->kind = FIELD_STRING;
	v->s = dibsctl_dev_type_name(type);
	if (!v->s) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu32, type);
		v->s = v->buf;
	}
	return true;
}

static bool get_fabric_id(const struct dibsctl_dev *dev, struct field_value *v)
{
	uint16_t fabric_id;

	if (dibsctl_dev_get_fabric_id(dev, &fabric_id) < 0)
		return false;
	v->kind = FIELD_HEX16;
	v->u = fabric_id;
	return true;
}

static bool get_gid(const struct dibsctl_dev *dev, struct field_value *v)
{
	uint8_t gid[DIBSCTL_GID_LEN];

	if (dibsctl_dev_get_gid(dev, gid) < 0 ||
	    dibsctl_gid_format(gid, v->buf, sizeof(v->buf)) < 0)
		return false;
	v->kind = FIELD_STRING;
	v->s = v->buf;
	return true;
}

static bool get_max_dmbs(const struct dibsctl_dev *dev, struct field_value *v)
{
	uint32_t val;

	if (dibsctl_dev_get_max_dmbs(dev, &val) < 0)
		return false;
	v->kind = FIELD_UINT;
	v->u = val;
	return true;
}

static bool get_dmbs_in_use(const struct dibsctl_dev *dev,
			    struct field_value *v)
{
	uint32_t val;

	if (dibsctl_dev_get_dmbs_in_use(dev, &val) < 0)
		return false;
	v->kind = FIELD_UINT;
	v->u = val;
	return true;
}

static bool get_mmapped_rdmb(const struct dibsctl_dev *dev,
			     struct field_value *v)
{
	if (dibsctl_dev_get_mmapped_rdmb(dev, &v->b) < 0)
		return false;
	v->kind = FIELD_BOOL;
	return true;
}

/* Plain text and JSON both follow this order. */
static const struct dev_field dev_fields[] = {
	{ "index", PLACE_HEAD, get_index },
	{ "name", PLACE_HEAD, get_name },
	{ "type", PLACE_MAIN, get_type },
	{ "fabric_id", PLACE_MAIN, get_fabric_id },
	{ "gid", PLACE_MAIN, get_gid },
	{ "max_dmbs", PLACE_DETAIL, get_max_dmbs },
	{ "dmbs_in_use", PLACE_DETAIL, get_dmbs_in_use },
	{ "mmapped_rdmb", PLACE_DETAIL, get_mmapped_rdmb },
};

#define N_DEV_FIELDS (sizeof(dev_fields) / sizeof(dev_fields[0]))

static void print_plain_value(FILE *out, const struct field_value *v)
{
	switch (v->kind) {
	case FIELD_UINT:
		fprintf(out, "%" PRIu64, v->u);
		break;
	case FIELD_HEX16:
		fprintf(out, "0x%04" PRIx64, v->u);
		break;
	case FIELD_STRING:
		fputs(v->s, out);
		break;
	case FIELD_BOOL:
		fputs(v->b ? "yes" : "no", out);
		break;
	}
}

static int count_place(const struct dibsctl_dev *dev, enum field_place place)
{
	struct field_value v;
	int count = 0;
	size_t i;

	for (i = 0; i < N_DEV_FIELDS; i++)
		if (dev_fields[i].place == place && dev_fields[i].get(dev, &v))
			count++;
	return count;
}

/*
 * Prints the fields of one place, the first after @lead and the others
 * after a space; returns how many were printed.
 */
static int print_plain_place(FILE *out, const struct dibsctl_dev *dev,
			     enum field_place place, const char *lead)
{
	struct field_value v;
	int printed = 0;
	size_t i;

	for (i = 0; i < N_DEV_FIELDS; i++) {
		if (dev_fields[i].place != place || !dev_fields[i].get(dev, &v))
			continue;
		fputs(printed ? " " : lead, out);
		if (place == PLACE_HEAD) {
			print_plain_value(out, &v);
			fputc(':', out);
		} else {
			fprintf(out, "%s ", dev_fields[i].key);
			print_plain_value(out, &v);
		}
		printed++;
	}
	return printed;
}

int print_dev_plain(const struct print_opts *opts, FILE *out,
		    const struct dibsctl_dev *dev)
{
	int head;

	head = print_plain_place(out, dev, PLACE_HEAD, "");
	print_plain_place(out, dev, PLACE_MAIN, head ? " " : "");
	fputc('\n', out);

	/* Sources without any detail (sysfs) get no empty second line. */
	if (opts->details && count_place(dev, PLACE_DETAIL) > 0) {
		print_plain_place(out, dev, PLACE_DETAIL, "    ");
		fputc('\n', out);
	}
	return 0;
}

static json_object *json_value(const struct field_value *v)
{
	switch (v->kind) {
	case FIELD_UINT:
	case FIELD_HEX16:
		return json_object_new_int64((int64_t)v->u);
	case FIELD_STRING:
		return json_object_new_string(v->s);
	case FIELD_BOOL:
		return json_object_new_boolean(v->b);
	}
	return NULL;
}

/* Returns NULL only when out of memory. */
json_object *dev_to_json(const struct dibsctl_dev *dev)
{
	json_object *obj = json_object_new_object();
	struct field_value v;
	size_t i;

	if (!obj)
		return NULL;
	for (i = 0; i < N_DEV_FIELDS; i++) {
		json_object *val;

		if (!dev_fields[i].get(dev, &v))
			continue;
		val = json_value(&v);
		if (!val || json_object_object_add(obj, dev_fields[i].key, val)) {
			json_object_put(val);
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
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

/* "show": JSON prints an array, also for a single device. */
int print_dev_list(const struct print_opts *opts, FILE *out,
		   struct dibsctl_dev *const *devs, size_t count)
{
	json_object *array;
	size_t i;
	int err;

	if (opts->format == OUTPUT_PLAIN) {
		for (i = 0; i < count; i++) {
			err = print_dev_plain(opts, out, devs[i]);
			if (err)
				return err;
		}
		return 0;
	}

	array = json_object_new_array();
	if (!array)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		json_object *obj = dev_to_json(devs[i]);

		if (!obj || json_object_array_add(array, obj)) {
			json_object_put(obj);
			json_object_put(array);
			return -ENOMEM;
		}
	}
	err = print_json(opts, out, array);
	json_object_put(array);
	return err;
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
