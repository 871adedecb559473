/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A command's options as one table, as kvmtool's parse-options: each
 * option is one row (names, the value's name, help, where it goes, how it
 * is read), and both the parser (getopt_long underneath) and the --help
 * text are made from the table.  vmm run's table is in builtin-run.c.
 *
 * Rules every command gets from the table: an option that takes a value
 * may be given once (rows marked .list add to a list instead, and a row
 * .same_as another is that option spelled otherwise); flags may repeat;
 * every error is one line naming the option and what it expects.
 */
#ifndef VMM_OPTIONS_H
#define VMM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum opt_kind {
	OPT_GROUP,		/* no option: a blank line between groups in the help */
	OPT_STRING,		/* const char *: the value itself (argv's) */
	OPT_SET,		/* a flag: stores .value */
	OPT_UINT,		/* a decimal number in [.min, .max] */
	OPT_WORD,		/* one word of .words: stores its value */
	OPT_CALLBACK,		/* .parse() reads the value */
	OPT_UNSUPPORTED,	/* lkvm's, refused: "not supported yet" */
	OPT_HELP,		/* prints the help: the parse ends, returning 1 */
};

#define OPT_WORD_HIDDEN		1	/* accepted, not listed in messages */
#define OPT_WORD_UNSUPPORTED	2	/* known, refused: "not supported yet", or @why */

/* a value of an OPT_WORD option; the list ends with a NULL word */
struct opt_word {
	const char *word;
	long value;
	unsigned int flags;
	const char *why;	/* OPT_WORD_UNSUPPORTED: why, and what to use instead */
};

struct cli_option {
	enum opt_kind kind;
	char short_name;	/* 0: none */
	const char *name;	/* long name, without "--" */
	const char *flag;	/* "--" name, for messages */
	const char *arg;	/* the value's name in the help; NULL: takes none */
	const char *help;	/* '\n' starts a continuation line */
	size_t off, size;	/* where it goes in the command's config (size 0: nowhere) */
	const char *same_as;	/* the option this row is another spelling of */
	bool list;		/* may repeat: each value adds to a list */
	long value;		/* OPT_SET */
	unsigned long min, max;	/* OPT_UINT */
	const struct opt_word *words;	/* OPT_WORD */
	/* OPT_CALLBACK: read @val into @cfg; 0, or -1 with one line printed */
	int (*parse)(void *cfg, const struct cli_option *o, const char *val);
};

/*
 * Row makers: a command defines OPT_CONFIG as its config's type first.
 * F is a field of it, S a short name (0: none), L the long name, A the
 * value's name in the help, H the help.
 */
#define OPT_DST_(F)	.off = offsetof(OPT_CONFIG, F), .size = sizeof(((OPT_CONFIG *)0)->F)
#define OPT_NAME_(S, L)	.short_name = S, .name = L, .flag = "--" L

#define OPT_STR(S, L, F, A, H, ...) \
	{ .kind = OPT_STRING, OPT_NAME_(S, L), .arg = A, .help = H, OPT_DST_(F), __VA_ARGS__ }
#define OPT_BOOL(S, L, F, V, H, ...) \
	{ .kind = OPT_SET, OPT_NAME_(S, L), .help = H, OPT_DST_(F), .value = V, __VA_ARGS__ }
#define OPT_NUM(S, L, F, A, MIN, MAX, H, ...) \
	{ .kind = OPT_UINT, OPT_NAME_(S, L), .arg = A, .help = H, OPT_DST_(F), \
	  .min = MIN, .max = MAX, __VA_ARGS__ }
#define OPT_WORDS(S, L, F, A, W, H, ...) \
	{ .kind = OPT_WORD, OPT_NAME_(S, L), .arg = A, .help = H, OPT_DST_(F), .words = W, \
	  __VA_ARGS__ }
/* a word option whose value goes nowhere (accepted for lkvm's sake) */
#define OPT_WORDS_ONLY(S, L, A, W, H, ...) \
	{ .kind = OPT_WORD, OPT_NAME_(S, L), .arg = A, .help = H, .words = W, __VA_ARGS__ }
/* FN reads the value into the config itself */
#define OPT_CALL(S, L, A, FN, H, ...) \
	{ .kind = OPT_CALLBACK, OPT_NAME_(S, L), .arg = A, .help = H, .parse = FN, __VA_ARGS__ }
#define OPT_NO(L, H) \
	{ .kind = OPT_UNSUPPORTED, OPT_NAME_(0, L), .help = H }
#define OPT_HELPS(S, L, H) \
	{ .kind = OPT_HELP, OPT_NAME_(S, L), .help = H }
#define OPT_BREAK() \
	{ .kind = OPT_GROUP }
/* extras after a row's help */
#define OPT_LIST		.list = true		/* repeatable */
#define OPT_SAME_AS(L)		.same_as = L		/* another spelling of --L */

struct cli_command {
	const char *name;	/* "vmm run": messages start with it */
	const char *usage;	/* the help's first line */
	const char *footer;	/* the help's last lines, after the options */
	const struct cli_option *opts;
	size_t nr_opts;
};

/*
 * Parse argv[1..] into @cfg as @cmd's table says.  0: options done, the
 * operands start at argv[optind]; 1: the help was printed (stdout);
 * -1: a bad option, one line printed on stderr.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *cfg);
void cli_usage(const struct cli_command *cmd, FILE *f);

#endif
