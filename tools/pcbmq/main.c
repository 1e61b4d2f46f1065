// SPDX-License-Identifier: GPL-2.0
/*
 * pcbmq - message queues on /dev/pcbmq, in the habits of ipcs/ipcmk/ipcrm.
 *
 *   pcbmq ls                       the queues of this IPC namespace
 *   pcbmq mk [-k KEY] [-p MODE]    create a queue, print its id
 *   pcbmq rm ID... | -q ID | -Q KEY
 *   pcbmq stat ID                  everything IPC_STAT says
 *   pcbmq send ID [-t TYPE] [-n] [-T MS] TEXT   (TEXT "-": stdin)
 *   pcbmq recv ID [-t TYPE] [-x] [-e] [-n] [-T MS] [-s SIZE]
 * Every command takes --json.
 *
 * Exit status: 0 done, 1 the call failed (the message names the errno),
 * 2 bad usage, 3 nothing to receive (ENOMSG, or the timeout expired).
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "libpcbmq.h"

#define EXIT_FAILED 1
#define EXIT_USAGE  CLI_EXIT_USAGE
#define EXIT_EMPTY  3
#define TEXT_MAX    (1 << 20)

struct options {
	bool json;
	bool nowait;
	bool except;
	bool noerror;
	long type;
	long key;
	int mode;
	long timeout_ms;
	long size;
	bool by_key;
	int rm_id; /* -q ID; -1: none */
};

static void usage(FILE *out)
{
	fputs("usage: pcbmq ls [--json]\n"
	      "       pcbmq mk [-k KEY] [-p MODE] [--json]\n"
	      "       pcbmq rm ID... | rm -q ID | rm -Q KEY\n"
	      "       pcbmq stat ID [--json]\n"
	      "       pcbmq send ID [-t TYPE] [-n] [-T MS] TEXT|-\n"
	      "       pcbmq recv ID [-t TYPE] [-x] [-e] [-n] [-T MS] [-s SIZE] "
	      "[--json]\n"
	      "\n"
	      "  -t TYPE   message type (send: default 1; recv: msgtyp, "
	      "default 0 = any,\n"
	      "            negative = lowest type up to |TYPE|)\n"
	      "  -x        recv: any type but TYPE (MSG_EXCEPT)\n"
	      "  -e        recv: truncate long messages (MSG_NOERROR)\n"
	      "  -n        do not wait (IPC_NOWAIT)\n"
	      "  -T MS     give up after MS milliseconds\n"
	      "  -s SIZE   recv: largest message accepted (default 8192)\n"
	      "  -k KEY    mk: key (default IPC_PRIVATE); -p MODE: octal "
	      "(default 0644)\n"
	      "  -q ID / -Q KEY   rm by id or by key\n"
	      "\nexit: 0 done, 1 call failed, 2 usage, 3 nothing to receive\n",
	      out);
}

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "pcbmq: %s: %s\n", what, strerror(err));
	if (err == ENOSYS)
		fprintf(stderr, "pcbmq: is pcbstat.ko loaded?\n");
	return err == ENOMSG || err == ETIMEDOUT ? EXIT_EMPTY : EXIT_FAILED;
}

/* argv's next operand: options may come before and after the id. */
static int next_arg;

static int need_id(int argc, char **argv, int *id)
{
	long long v;

	if (next_arg >= argc) {
		fprintf(stderr, "pcbmq: need a queue id\n");
		return EXIT_USAGE;
	}
	if (cli_number("pcbmq", "ID", argv[next_arg], 0, 0, INT_MAX, &v))
		return EXIT_USAGE;
	*id = (int)v;
	next_arg++;
	return 0;
}

static const char *user_name(unsigned int uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		return pw->pw_name;
	snprintf(buf, len, "%u", uid);
	return buf;
}

/* Rows of /proc/pcbmq, like ipcs -q. */
static int cmd_ls(const struct options *o)
{
	FILE *f = fopen("/proc/pcbmq", "r");
	char line[512], ubuf[16];
	unsigned int mode, uid;
	unsigned long bytes, qnum;
	char perms[16];
	struct json j;
	int key, id;

	if (!f)
		return fail("/proc/pcbmq");
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return fail("/proc/pcbmq");
	}
	json_init(&j, stdout, 0);
	if (o->json)
		json_begin_array(&j);
	else
		printf("------ pcbmq Message Queues --------\n"
		       "%-10s %-10s %-10s %-10s %-12s %-12s\n",
		       "key", "msqid", "owner", "perms", "used-bytes",
		       "messages");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%d %d %o %lu %lu %*u %*u %u", &key, &id,
			   &mode, &bytes, &qnum, &uid) != 6)
			continue;
		if (o->json) {
			snprintf(perms, sizeof(perms), "%o", mode);
			json_begin_object(&j);
			json_kv_int(&j, "key", key);
			json_kv_int(&j, "msqid", id);
			json_kv_string(&j, "owner",
				       user_name(uid, ubuf, sizeof(ubuf)));
			json_kv_string(&j, "perms", perms);
			json_kv_uint(&j, "cbytes", bytes);
			json_kv_uint(&j, "qnum", qnum);
			json_end_object(&j);
		} else {
			printf("0x%08x %-10d %-10s %-10o %-12lu %-12lu\n", key,
			       id, user_name(uid, ubuf, sizeof(ubuf)), mode,
			       bytes, qnum);
		}
	}
	if (o->json) {
		json_end_array(&j);
		json_finish(&j);
	}
	fclose(f);
	return 0;
}

static int cmd_mk(const struct options *o)
{
	int id = msgget((key_t)o->key, IPC_CREAT | IPC_EXCL | o->mode);

	if (id < 0)
		return fail("msgget");
	if (o->json) {
		struct json j;

		json_init(&j, stdout, 0);
		json_begin_object(&j);
		json_kv_int(&j, "msqid", id);
		json_end_object(&j);
		json_finish(&j);
	} else {
		printf("Message queue id: %d\n", id);
	}
	return 0;
}

static int remove_id(int id)
{
	char what[32];

	if (!msgctl(id, IPC_RMID, NULL))
		return 0;
	snprintf(what, sizeof(what), "remove %d", id);
	return fail(what);
}

static int cmd_rm(const struct options *o, int argc, char **argv)
{
	int ret = 0, id;

	if (o->by_key) {
		id = msgget((key_t)o->key, 0);
		return id < 0 ? fail("msgget") : remove_id(id);
	}
	if (next_arg >= argc)
		return need_id(argc, argv, &id);
	while (next_arg < argc) {
		int err = need_id(argc, argv, &id);

		if (err)
			return err;
		ret |= remove_id(id);
	}
	return ret;
}

static void stat_json(int id, const struct msqid_ds *ds)
{
	char mode[16];
	struct json j;

	snprintf(mode, sizeof(mode), "%o", ds->msg_perm.mode & 0777);
	json_init(&j, stdout, 0);
	json_begin_object(&j);
	json_kv_int(&j, "msqid", id);
	json_kv_int(&j, "key", ds->msg_perm.__key);
	json_kv_uint(&j, "uid", ds->msg_perm.uid);
	json_kv_uint(&j, "gid", ds->msg_perm.gid);
	json_kv_uint(&j, "cuid", ds->msg_perm.cuid);
	json_kv_uint(&j, "cgid", ds->msg_perm.cgid);
	json_kv_string(&j, "mode", mode);
	json_kv_uint(&j, "cbytes", ds->__msg_cbytes);
	json_kv_uint(&j, "qnum", ds->msg_qnum);
	json_kv_uint(&j, "qbytes", ds->msg_qbytes);
	json_kv_int(&j, "lspid", ds->msg_lspid);
	json_kv_int(&j, "lrpid", ds->msg_lrpid);
	json_kv_int(&j, "stime", (long)ds->msg_stime);
	json_kv_int(&j, "rtime", (long)ds->msg_rtime);
	json_kv_int(&j, "ctime", (long)ds->msg_ctime);
	json_end_object(&j);
	json_finish(&j);
}

static int cmd_stat(const struct options *o, int id)
{
	struct msqid_ds ds;

	if (msgctl(id, IPC_STAT, &ds))
		return fail("msgctl IPC_STAT");
	if (o->json) {
		stat_json(id, &ds);
		return 0;
	}
	printf("msqid  %d\nkey    %d\nuid    %u\ngid    %u\n"
	       "cuid   %u\ncgid   %u\nmode   %o\ncbytes %lu\n"
	       "qnum   %lu\nqbytes %lu\nlspid  %d\nlrpid  %d\n"
	       "stime  %ld\nrtime  %ld\nctime  %ld\n",
	       id, ds.msg_perm.__key, ds.msg_perm.uid, ds.msg_perm.gid,
	       ds.msg_perm.cuid, ds.msg_perm.cgid, ds.msg_perm.mode & 0777,
	       ds.__msg_cbytes, ds.msg_qnum, ds.msg_qbytes, ds.msg_lspid,
	       ds.msg_lrpid, (long)ds.msg_stime, (long)ds.msg_rtime,
	       (long)ds.msg_ctime);
	return 0;
}

static int64_t timeout_ns(const struct options *o)
{
	return o->timeout_ms > 0 ? o->timeout_ms * 1000000LL : 0;
}

static int cmd_send(const struct options *o, int id, int argc, char **argv)
{
	struct msgbuf *m = malloc(sizeof(long) + TEXT_MAX);
	size_t len;
	int ret = 0;

	if (!m)
		return fail("malloc");
	if (next_arg >= argc) {
		fprintf(stderr, "pcbmq: send needs TEXT (or - for stdin)\n");
		free(m);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[next_arg], "-")) {
		len = fread(m->mtext, 1, TEXT_MAX, stdin);
	} else {
		len = strlen(argv[next_arg]);
		if (len > TEXT_MAX)
			len = TEXT_MAX;
		memcpy(m->mtext, argv[next_arg], len);
	}
	m->mtype = o->type ? o->type : 1;
	if (pcbmq_send(id, m, len, o->nowait ? IPC_NOWAIT : 0, timeout_ns(o)))
		ret = fail("msgsnd");
	free(m);
	return ret;
}

static int cmd_recv(const struct options *o, int id)
{
	struct msgbuf *m = malloc(sizeof(long) + o->size);
	int flags = (o->nowait ? IPC_NOWAIT : 0) |
		    (o->except ? MSG_EXCEPT : 0) |
		    (o->noerror ? MSG_NOERROR : 0);
	ssize_t n;

	if (!m)
		return fail("malloc");
	n = pcbmq_recv(id, m, o->size, o->type, flags, timeout_ns(o));
	if (n < 0) {
		free(m);
		return fail("msgrcv");
	}
	if (o->json) {
		struct json j;

		json_init(&j, stdout, 0);
		json_begin_object(&j);
		json_kv_int(&j, "mtype", m->mtype);
		json_kv_int(&j, "size", n);
		/* all of the text: a NUL in it is \u0000, not its end */
		json_key(&j, "text");
		json_string_n(&j, m->mtext, n);
		json_end_object(&j);
		json_finish(&j);
	} else {
		fwrite(m->mtext, 1, n, stdout);
		if (isatty(STDOUT_FILENO))
			putchar('\n');
	}
	free(m);
	return 0;
}

/* -q ID: remove that queue, whatever the command. */
static int set_rm_id(void *ctx, const char *arg)
{
	struct options *o = ctx;
	long long v;

	if (cli_number("pcbmq", "-q", arg, 0, 0, INT_MAX, &v))
		return -1;
	o->rm_id = (int)v;
	return 0;
}

static int set_key(void *ctx, const char *arg)
{
	struct options *o = ctx;
	long long v;

	if (cli_number("pcbmq", "KEY", arg, 0, INT_MIN, UINT_MAX, &v))
		return -1;
	o->key = (long)v;
	return 0;
}

static int set_rm_key(void *ctx, const char *arg)
{
	struct options *o = ctx;

	o->by_key = true;
	return set_key(ctx, arg);
}

/* -p MODE, in octal as chmod's. */
static int set_mode(void *ctx, const char *arg)
{
	struct options *o = ctx;
	long long v;

	if (cli_number("pcbmq", "-p", arg, 8, 0, 0777, &v))
		return -1;
	o->mode = (int)v;
	return 0;
}

/* Options from argv[next_arg] on, up to the next operand. */
static int parse_options(int argc, char **argv, struct options *o)
{
	const struct cli_opt opts[] = {
		CLI_FLAG("json", 'j', &o->json),
		CLI_FLAG("nowait", 'n', &o->nowait),
		CLI_FLAG("except", 'x', &o->except),
		CLI_FLAG("noerror", 'e', &o->noerror),
		CLI_LONG_BASE("type", 't', &o->type, LONG_MIN, LONG_MAX, 0),
		CLI_LONG_BASE("timeout", 'T', &o->timeout_ms, 0,
			      LONG_MAX / 1000000, 0),
		CLI_LONG_BASE("size", 's', &o->size, 0, TEXT_MAX, 0),
		CLI_CALL(NULL, 'k', set_key, o),
		CLI_CALL(NULL, 'Q', set_rm_key, o),
		CLI_CALL(NULL, 'p', set_mode, o),
		CLI_CALL(NULL, 'q', set_rm_id, o),
		CLI_HELP(usage),
		CLI_END,
	};
	int next;

	next = cli_parse("pcbmq", opts, argc - next_arg + 1,
			 argv + next_arg - 1, true);
	if (next < 0)
		return next;
	next_arg += next - 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { .mode = 0644, .size = 8192, .rm_id = -1 };
	const char *cmd;
	int id, err;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	cmd = argv[1];
	next_arg = 2;
	err = parse_options(argc, argv, &o);
	if (err)
		return cli_exit_status(err);
	if (o.rm_id >= 0)
		return remove_id(o.rm_id);
	if (!strcmp(cmd, "ls"))
		return cmd_ls(&o);
	if (!strcmp(cmd, "mk"))
		return cmd_mk(&o);
	if (!strcmp(cmd, "rm"))
		return cmd_rm(&o, argc, argv);
	if (strcmp(cmd, "stat") && strcmp(cmd, "send") && strcmp(cmd, "recv")) {
		fprintf(stderr, "pcbmq: no command '%s' (pcbmq --help)\n", cmd);
		return EXIT_USAGE;
	}
	err = need_id(argc, argv, &id);
	if (err)
		return err;
	/* Options may also follow the id, as in "pcbmq recv 3 -t 2". */
	err = parse_options(argc, argv, &o);
	if (err)
		return cli_exit_status(err);
	if (o.rm_id >= 0)
		return remove_id(o.rm_id);
	if (!strcmp(cmd, "stat"))
		return cmd_stat(&o, id);
	if (!strcmp(cmd, "send"))
		return cmd_send(&o, id, argc, argv);
	return cmd_recv(&o, id);
}
