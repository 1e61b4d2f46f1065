// SPDX-License-Identifier: GPL-2.0
/*
 * Loading a policy without knowing its skeleton's type: every policy keeps
 * its exit record and counters in the same named sections (bpf/pcb_sched.h)
 * and its ops in the struct_ops map "<ops name>_ops", so one loader serves
 * them all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "pcb_sched.h"
#include "pcbsched.h"

static bool libbpf_verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG && !libbpf_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Byte offset of a member of struct sched_ext_ops, from the object's BTF. */
static int ops_member_offset(const struct btf *btf, const char *member)
{
	const struct btf_member *m;
	const struct btf_type *t;
	int id, i;

	id = btf__find_by_name_kind(btf, "sched_ext_ops", BTF_KIND_STRUCT);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(btf, id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(btf, m->name_off), member))
			return btf_member_bit_offset(t, i) / 8;
	return -ENOENT;
}

static bool find_enumerator(const struct btf *btf, const struct btf_type *t,
			    const char *name, __u64 *value)
{
	int i;

	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_enum64 *e64 = btf_enum64(t) + i;
		const struct btf_enum *e = btf_enum(t) + i;
		bool wide = btf_is_enum64(t);
		__u32 name_off = wide ? e64->name_off : e->name_off;

		if (strcmp(btf__name_by_offset(btf, name_off), name))
			continue;
		*value = wide ? btf_enum64_value(e64) : (__u32)e->val;
		return true;
	}
	return false;
}

/* Value of an enumerator of the running kernel, e.g. a SCX_OPS_* flag. */
static int kernel_enum_value(const char *name, __u64 *value)
{
	struct btf *btf = btf__load_vmlinux_btf();
	bool found = false;
	int id, n;

	if (!btf)
		return -errno;
	n = btf__type_cnt(btf);
	for (id = 1; id < n && !found; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_any_enum(t))
			found = find_enumerator(btf, t, name, value);
	}
	btf__free(btf);
	return found ? 0 : -ENOENT;
}

static int set_partial(struct bpf_object *obj, struct bpf_map *ops_map)
{
	size_t size;
	char *ops = bpf_map__initial_value(ops_map, &size);
	__u64 flag = 0, *flags;
	int off;

	off = ops_member_offset(bpf_object__btf(obj), "flags");
	if (off < 0 || !ops || off + sizeof(*flags) > size) {
		fprintf(stderr, "pcbsched: cannot find sched_ext_ops.flags\n");
		return -ENOENT;
	}
	if (kernel_enum_value("SCX_OPS_SWITCH_PARTIAL", &flag)) {
		fprintf(stderr,
			"pcbsched: this kernel has no SCX_OPS_SWITCH_PARTIAL\n");
		return -ENOENT;
	}
	flags = (__u64 *)(ops + off);
	*flags |= flag;
	return 0;
}

static struct bpf_map *find_rodata(struct bpf_object *obj)
{
	struct bpf_map *map;
	const char *name;
	size_t len;

	bpf_object__for_each_map(map, obj)
	{
		name = bpf_map__name(map);
		len = strlen(name);
		if (len >= 7 && !strcmp(name + len - 7, ".rodata"))
			return map;
	}
	return NULL;
}

/* Offset of a global in the object's .rodata, from its BTF DATASEC. */
static int rodata_offset(const struct btf *btf, const char *var, size_t size)
{
	const struct btf_var_secinfo *vs;
	const struct btf_type *sec;
	int id, i;

	id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (id < 0)
		return -ENOENT;
	sec = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, v->name_off), var))
			continue;
		return vs->size == size ? (int)vs->offset : -EINVAL;
	}
	return -ENOENT;
}

static int apply_settings(struct bpf_object *obj,
			  const struct pcbsched_setting *settings, int n)
{
	struct bpf_map *rodata = find_rodata(obj);
	char *data;
	size_t size = 0;
	int i, off;

	if (!n)
		return 0;
	data = rodata ? bpf_map__initial_value(rodata, &size) : NULL;
	for (i = 0; i < n; i++) {
		__u64 v = settings[i].value;

		off = data ? rodata_offset(bpf_object__btf(obj),
					   settings[i].var, sizeof(v))
			   : -ENOENT;
		if (off < 0 || off + sizeof(v) > size) {
			fprintf(stderr, "pcbsched: policy has no knob %s\n",
				settings[i].var);
			return -ENOENT;
		}
		memcpy(data + off, &v, sizeof(v));
	}
	return 0;
}

static void *shared_section(struct bpf_object *obj, const char *name,
			    size_t want)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	size_t size = 0;
	void *p;

	if (!map)
		return NULL;
	p = bpf_map__initial_value(map, &size);
	return size >= want ? p : NULL;
}

static const char *attach_error(int err)
{
	switch (err) {
	case EBUSY:
	case EEXIST:
		return "another sched_ext scheduler is already loaded";
	case EPERM:
		return "not permitted (needs root: CAP_SYS_ADMIN and CAP_BPF)";
	case EOPNOTSUPP:
	case 524: /* the kernel's internal ENOTSUPP leaks out of bpf() */
		return "this kernel does not support sched_ext";
	default:
		return strerror(err);
	}
}

int pcbsched_load(const struct pcbsched_policy *policy, bool partial,
		  bool verbose, const struct pcbsched_setting *settings,
		  int nr_settings, struct pcbsched_loaded *out)
{
	char map_name[64];
	struct bpf_map *ops_map;
	const void *bytes;
	size_t size;
	int err;

	libbpf_verbose = verbose;
	libbpf_set_print(print_libbpf);
	memset(out, 0, sizeof(*out));
	out->queues_fd = -1;
	out->policy = policy;

	bytes = policy->elf_bytes(&size);
	out->obj = bpf_object__open_mem(bytes, size, NULL);
	if (!out->obj) {
		err = -errno;
		fprintf(stderr, "pcbsched: cannot open %s: %s\n", policy->ops,
			strerror(-err));
		return err;
	}
	snprintf(map_name, sizeof(map_name), "%s_ops", policy->ops);
	ops_map = bpf_object__find_map_by_name(out->obj, map_name);
	if (!ops_map) {
		fprintf(stderr, "pcbsched: %s has no map %s\n", policy->ops,
			map_name);
		err = -ENOENT;
		goto err_close;
	}
	if (partial) {
		err = set_partial(out->obj, ops_map);
		if (err)
			goto err_close;
	}
	err = apply_settings(out->obj, settings, nr_settings);
	if (err)
		goto err_close;
	err = bpf_object__load(out->obj);
	if (err) {
		fprintf(stderr, "pcbsched: the kernel rejected %s: %s%s\n",
			policy->ops, strerror(-err),
			verbose ? "" : " (--verbose shows the verifier log)");
		goto err_close;
	}
	out->exit = shared_section(out->obj, PCB_EXIT_SEC, sizeof(*out->exit));
	out->stats =
		shared_section(out->obj, PCB_STATS_SEC, sizeof(*out->stats));
	if (!out->exit || !out->stats) {
		fprintf(stderr, "pcbsched: %s lacks its shared sections\n",
			policy->ops);
		err = -ENOENT;
		goto err_close;
	}
	ops_map = bpf_object__find_map_by_name(out->obj, PCB_QUEUES_MAP);
	out->queues_fd = ops_map ? bpf_map__fd(ops_map) : -1;
	ops_map = bpf_object__find_map_by_name(out->obj, map_name);
	out->link = bpf_map__attach_struct_ops(ops_map);
	if (!out->link) {
		err = -errno;
		fprintf(stderr, "pcbsched: cannot attach %s: %s\n", policy->ops,
			attach_error(-err));
		goto err_close;
	}
	return 0;

err_close:
	bpf_object__close(out->obj);
	out->obj = NULL;
	return err;
}

/* Detaching runs ops.exit, so the exit record is complete afterwards. */
void pcbsched_detach(struct pcbsched_loaded *loaded)
{
	bpf_link__destroy(loaded->link);
	loaded->link = NULL;
}

void pcbsched_close(struct pcbsched_loaded *loaded)
{
	pcbsched_detach(loaded);
	bpf_object__close(loaded->obj);
	loaded->obj = NULL;
	loaded->exit = NULL;
	loaded->stats = NULL;
}
