// SPDX-License-Identifier: GPL-2.0
/*
 * Option values shared by the subcommands, and the parser and help of a
 * command's option table (options.h).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "hv.h"
#include "options.h"

const char *printable(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	if (!s)
		s = "";
	/* room for one escape (4) and "..." (3) and the NUL */
	for (; *s && o + 8 < len; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
	}
	if (*s)
		o += (size_t)snprintf(buf + o, len - o, "...");
	if (o >= len)		/* a @len under 8: snprintf cut the escape */
		o = len - 1;
	buf[o] = '\0';
	return buf;
}

int parse_uint_option(const char *opt, const char *val, unsigned long min,
		      unsigned long max, unsigned long *out)
{
	char *end, shown[PRINTABLE_MAX];
	unsigned long v = 0;

	/* strtoul would take blanks, a sign or a 0x prefix: only digits here */
	if (val && isdigit((unsigned char)*val)) {
		errno = 0;
		v = strtoul(val, &end, 10);
	}
	if (!val || !isdigit((unsigned char)*val) || errno || *end || v < min || v > max) {
		fprintf(stderr, "vmm: %s '%s': expects a number from %lu to %lu\n", opt,
			printable(val, shown, sizeof(shown)), min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_sve_vl_option(const char *opt, const char *val, unsigned long *out)
{
	unsigned long v;

	if (parse_uint_option(opt, val, 1, SVE_VL_BITS_MAX, &v))
		return -1;
	/* the architecture's rule; the hypervisor's own set is checked later */
	if (v % 128) {
		fprintf(stderr, "vmm: %s %lu: a vector length is a multiple of 128 bits\n",
			opt, v);
		return -1;
	}
	*out = v;
	return 0;
}

int parse_accel_option(const char *val)
{
	char shown[PRINTABLE_MAX];

	if (hv_known(val))
		return 0;
	fprintf(stderr, "vmm: --accel '%s': expected auto, vkvm or kvm\n",
		printable(val, shown, sizeof(shown)));
	return -1;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	return "not a regular file";
}

static bool kind_ok(mode_t mode, bool blk_ok)
{
	return S_ISREG(mode) || (blk_ok && S_ISBLK(mode));
}

static int refuse(char *why, size_t len, mode_t mode, bool blk_ok)
{
	snprintf(why, len, "is %s; expected a regular file%s", file_kind(mode),
		 blk_ok ? " or a block device" : "");
	return -1;
}

int open_option_file(const char *path, int flags, bool blk_ok, struct stat *st,
		     char *why, size_t len)
{
	struct stat pre;
	int fd;

	if (!*path) {
		snprintf(why, len, "expects a file name");
		return -1;
	}
	/*
	 * Look before opening: open() of a FIFO waits for the other end, and
	 * O_CREAT would make a new file where a directory entry of another
	 * kind stands.  O_NONBLOCK covers a swap between stat and open.
	 */
	if (stat(path, &pre) == 0 && !kind_ok(pre.st_mode, blk_ok))
		return refuse(why, len, pre.st_mode, blk_ok);
	fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!kind_ok(st->st_mode, blk_ok)) {
		close(fd);
		return refuse(why, len, st->st_mode, blk_ok);
	}
	/* regular files and block devices never block anyway: plain I/O from here */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- a command's option table (options.h) -------------------------------- */

#define OPT_MAX		64	/* rows of one table */
#define HELP_COL	27	/* where the help of an option starts */

/* The option a row is another spelling of: its once-slot and its name. */
static const struct cli_option *canonical(const struct cli_command *cmd,
					  const struct cli_option *o)
{
	size_t i;

	for (i = 0; o->same_as && i < cmd->nr_opts; i++)
		if (cmd->opts[i].name && !strcmp(cmd->opts[i].name, o->same_as))
			return &cmd->opts[i];
	return o;
}

/*
 * A second value would silently override the first: an option that takes
 * one (or is another spelling of one that does) is given once, lists apart.
 */
static int once(const struct cli_command *cmd, const char **seen, const struct cli_option *o,
		const char *val)
{
	const struct cli_option *c = canonical(cmd, o);
	const char *shown = o->arg ? val : o->flag;
	char a[PRINTABLE_MAX], b[PRINTABLE_MAX];
	size_t slot = (size_t)(c - cmd->opts);

	if (o->list || (!o->arg && !c->arg))
		return 0;
	if (seen[slot]) {
		fprintf(stderr, "vmm: %s given twice ('%s', then '%s'); give it once\n", c->flag,
			printable(seen[slot], a, sizeof(a)), printable(shown, b, sizeof(b)));
		return -1;
	}
	seen[slot] = shown;
	return 0;
}

/* @v into the row's field, whatever its integer width */
static void store(void *cfg, const struct cli_option *o, unsigned long long v)
{
	uint8_t v8 = (uint8_t)v;
	uint32_t v32 = (uint32_t)v;
	uint64_t v64 = v;
	void *src = o->size == 1 ? (void *)&v8 : o->size == 4 ? (void *)&v32 : (void *)&v64;

	if (o->size == 1 || o->size == 4 || o->size == 8)
		memcpy((char *)cfg + o->off, src, o->size);
}

/* "a, b or c": the words a message offers (hidden and refused ones left out) */
static const char *word_list(const struct opt_word *w, char *buf, size_t len)
{
	size_t n = 0, i = 0, o = 0;
	const struct opt_word *p;

	for (p = w; p->word; p++)
		n += !p->flags;
	buf[0] = '\0';
	for (p = w; p->word && o < len; p++) {
		if (p->flags)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? (i + 1 == n ? " or " : ", ")
				      : "", p->word);
		i++;
	}
	return buf;
}

static int take_word(void *cfg, const struct cli_option *o, const char *val)
{
	const struct opt_word *w;
	char list[128], shown[PRINTABLE_MAX];

	for (w = o->words; w->word && strcmp(w->word, val); w++)
		;
	if (w->word && !(w->flags & OPT_WORD_UNSUPPORTED)) {
		store(cfg, o, (unsigned long long)w->value);
		return 0;
	}
	if (w->word && w->why) {
		fprintf(stderr, "vmm: %s '%s': %s\n", o->flag, w->word, w->why);
		return -1;
	}
	fprintf(stderr, "vmm: %s '%s': %sexpected %s\n", o->flag,
		printable(val, shown, sizeof(shown)), w->word ? "not supported yet; " : "",
		word_list(o->words, list, sizeof(list)));
	return -1;
}

/* One option given: 0, 1 (help printed) or -1 (message printed). */
static int take(const struct cli_command *cmd, const struct cli_option *o, void *cfg,
		const char *val)
{
	unsigned long v;

	switch (o->kind) {
	case OPT_STRING:
		store(cfg, o, (uintptr_t)val);
		return 0;
	case OPT_SET:
		store(cfg, o, (unsigned long long)o->value);
		return 0;
	case OPT_UINT:
		if (parse_uint_option(o->flag, val, o->min, o->max, &v))
			return -1;
		store(cfg, o, v);
		return 0;
	case OPT_WORD:
		return take_word(cfg, o, val);
	case OPT_CALLBACK:
		return o->parse(cfg, o, val);
	case OPT_UNSUPPORTED:
		fprintf(stderr, "vmm: %s: not supported yet\n", o->flag);
		return -1;
	case OPT_HELP:
		cli_usage(cmd, stdout);
		return 1;
	case OPT_GROUP:
		break;
	}
	return -1;
}

/* getopt_long's val of a row: its short name, or past every char */
static int val_of(const struct cli_command *cmd, const struct cli_option *o)
{
	return o->short_name ? o->short_name : 0x100 + (int)(o - cmd->opts);
}

static const struct cli_option *row_of(const struct cli_command *cmd, int val)
{
	size_t i;

	for (i = 0; i < cmd->nr_opts; i++)
		if (cmd->opts[i].name && val_of(cmd, &cmd->opts[i]) == val)
			return &cmd->opts[i];
	return NULL;
}

static void getopt_tables(const struct cli_command *cmd, struct option *longs, char *shorts)
{
	const struct cli_option *o;
	size_t n = 0;

	*shorts++ = ':';	/* a missing value is ':', told apart from '?' */
	for (o = cmd->opts; o < cmd->opts + cmd->nr_opts; o++) {
		if (!o->name)
			continue;
		longs[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
					      NULL, val_of(cmd, o) };
		if (o->short_name) {
			*shorts++ = o->short_name;
			if (o->arg)
				*shorts++ = ':';
		}
	}
	longs[n] = (struct option){ 0 };
	*shorts = '\0';
}

/* getopt_long returned '?': an unknown option, or a value given to a flag */
static void unknown(const struct cli_command *cmd, char **argv)
{
	const char *arg = argv[optind - 1];
	const struct cli_option *o = optopt ? row_of(cmd, optopt) : NULL;
	char shown[PRINTABLE_MAX], c[2] = { (char)optopt, 0 };

	if (o && !strncmp(arg, "--", 2))
		fprintf(stderr, "%s: %s takes no value\n", cmd->name, o->flag);
	else if (optopt && optopt < 0x100 && arg[1] != '-')	/* in a cluster: -xk FILE */
		fprintf(stderr, "%s: unknown option '-%s'; see '%s --help'\n", cmd->name,
			printable(c, shown, sizeof(shown)), cmd->name);
	else
		fprintf(stderr, "%s: unknown option '%s'; see '%s --help'\n", cmd->name,
			printable(arg, shown, sizeof(shown)), cmd->name);
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *cfg)
{
	struct option longs[OPT_MAX + 1];
	char shorts[2 * OPT_MAX + 2], shown[PRINTABLE_MAX];
	const char *seen[OPT_MAX] = { 0 };
	const struct cli_option *o;
	int c, r;

	if (cmd->nr_opts > OPT_MAX)
		return -1;
	getopt_tables(cmd, longs, shorts);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == ':') {
			fprintf(stderr, "%s: %s needs a value\n", cmd->name,
				printable(argv[optind - 1], shown, sizeof(shown)));
			return -1;
		}
		o = row_of(cmd, c);
		if (!o) {
			unknown(cmd, argv);
			return -1;
		}
		if (once(cmd, seen, o, optarg))
			return -1;
		r = take(cmd, o, cfg, optarg);
		if (r)
			return r;
	}
	return 0;
}

static void print_option(FILE *f, const struct cli_option *o)
{
	const char *h, *nl;
	char left[128];
	int n;

	if (o->short_name)
		n = snprintf(left, sizeof(left), "  -%c, %s", o->short_name, o->flag);
	else
		n = snprintf(left, sizeof(left), "      %s", o->flag);
	if (o->arg)
		n += snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->arg);
	/* the help in its column, or below when the option is too wide */
	if (n <= HELP_COL - 2)
		fprintf(f, "%-*s", HELP_COL, left);
	else
		fprintf(f, "%s\n%*s", left, HELP_COL, "");
	for (h = o->help; (nl = strchr(h, '\n')); h = nl + 1)
		fprintf(f, "%.*s\n%*s", (int)(nl - h), h, HELP_COL, "");
	fprintf(f, "%s\n", h);
}

void cli_usage(const struct cli_command *cmd, FILE *f)
{
	const struct cli_option *o;

	fprintf(f, "%s\n\n", cmd->usage);
	for (o = cmd->opts; o < cmd->opts + cmd->nr_opts; o++) {
		if (o->kind == OPT_GROUP)
			fputc('\n', f);
		else if (o->help)
			print_option(f, o);
	}
	if (cmd->footer)
		fprintf(f, "\n%s", cmd->footer);
}
