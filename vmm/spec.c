// SPDX-License-Identifier: GPL-2.0
/* Guest test specs: parser and console check (spec.h). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "spec.h"

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* ${VAR} from the environment; ${SPECDIR} is the spec file's directory. */
static char *expand(const char *v, const char *specdir)
{
	size_t cap = strlen(v) + 256, len = 0;
	char *out = malloc(cap);
	const char *p = v;

	if (!out)
		return NULL;
	while (*p) {
		const char *val = NULL;
		char name[128];
		const char *end;
		size_t n;

		if (p[0] == '$' && p[1] == '{' && (end = strchr(p + 2, '}')) &&
		    (size_t)(end - p - 2) < sizeof(name)) {
			memcpy(name, p + 2, (size_t)(end - p - 2));
			name[end - p - 2] = '\0';
			val = !strcmp(name, "SPECDIR") ? specdir : getenv(name);
			if (!val)
				val = "";
			p = end + 1;
		}
		n = val ? strlen(val) : 1;
		if (len + n + 1 > cap) {
			char *bigger;

			cap = (len + n + 1) * 2;
			bigger = realloc(out, cap);
			if (!bigger) {
				free(out);
				return NULL;
			}
			out = bigger;
		}
		if (val) {
			memcpy(out + len, val, n);
			len += n;
		} else {
			out[len++] = *p++;
		}
	}
	out[len] = '\0';
	return out;
}

/* vmm test sets these itself (from kernel, initrd, params, timeout, -a) */
static const char *const runner_options[][2] = {
	{ "--kernel", "the kernel key" }, { "-k", "the kernel key" },
	{ "--initrd", "the initrd key" }, { "-i", "the initrd key" },
	{ "--params", "the params key" }, { "-p", "the params key" },
	{ "--timeout", "the timeout key" }, { "--accel", "the accel key and vmm test --accel" },
};

static const char *runner_option(const char *arg)
{
	size_t i, n;

	for (i = 0; i < sizeof(runner_options) / sizeof(runner_options[0]); i++) {
		n = strlen(runner_options[i][0]);
		if (!strncmp(arg, runner_options[i][0], n) &&
		    (!arg[n] || (arg[n] == '=' && arg[1] == '-') || (arg[1] != '-' && n == 2)))
			return runner_options[i][1];
	}
	return NULL;
}

/* Split vmm options on blanks, honouring '...' and "..." quoting. */
static int split_args(struct spec *s, const char *v, char *why, size_t len)
{
	const char *p = v, *key;
	char *buf = malloc(strlen(v) + 1);

	if (!buf) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	while (*p) {
		size_t n = 0;
		char q = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		while (*p && (q || !isspace((unsigned char)*p))) {
			if (!q && (*p == '\'' || *p == '"'))
				q = *p;
			else if (q && *p == q)
				q = 0;
			else
				buf[n++] = *p;
			p++;
		}
		buf[n] = '\0';
		if (q) {
			snprintf(why, len, "an unclosed %c quote", q);
			goto bad;
		}
		if (s->nr_options == SPEC_MAX_ARGS) {
			snprintf(why, len, "more than %d options", SPEC_MAX_ARGS);
			goto bad;
		}
		key = runner_option(buf);
		if (key) {
			snprintf(why, len, "%.40s is set by vmm test: use %s", buf, key);
			goto bad;
		}
		s->options[s->nr_options] = strdup(buf);
		if (!s->options[s->nr_options]) {
			snprintf(why, len, "out of memory");
			goto bad;
		}
		s->nr_options++;
	}
	free(buf);
	return 0;
bad:
	free(buf);
	return -1;
}

static void spec_free(struct spec *s)
{
	unsigned int i;

	free(s->name); free(s->file); free(s->kernel); free(s->initrd); free(s->params);
	free(s->accel_only); free(s->skip_reason); free(s->skip_vkvm); free(s->skip_kvm);
	for (i = 0; i < s->nr_options; i++)
		free(s->options[i]);
	for (i = 0; i < s->nr_expect; i++)
		free(s->expect[i]);
	for (i = 0; i < s->nr_reject; i++)
		free(s->reject[i]);
	memset(s, 0, sizeof(*s));
}

static void spec_copy(struct spec *dst, const struct spec *src)
{
	unsigned int i;

#define DUP(f) dst->f = src->f ? strdup(src->f) : NULL
	*dst = *src;
	DUP(name); DUP(file); DUP(kernel); DUP(initrd); DUP(params); DUP(accel_only);
	DUP(skip_reason); DUP(skip_vkvm); DUP(skip_kvm);
	for (i = 0; i < src->nr_options; i++)
		DUP(options[i]);
	for (i = 0; i < src->nr_expect; i++)
		DUP(expect[i]);
	for (i = 0; i < src->nr_reject; i++)
		DUP(reject[i]);
#undef DUP
}

#define REGEX_COST_MAX	100000		/* pattern nodes: ~0.3 s of regcomp */
#define REGEX_DEPTH_MAX	32

/*
 * What glibc would make of @re, before regcomp() sees it: POSIX EREs have
 * no back-references, and glibc's (\1..\9) match in exponential time: a
 * console line of 2000 bytes held `vmm test` for minutes.  An interval
 * copies its atom: ((a{100}){100}){100} is a million nodes, seconds of
 * regcomp, and (a{32767}){32767} never ends.  So: no back-references, and
 * the copies counted (sums along, products down the nesting) stay under
 * REGEX_COST_MAX.
 */
static int check_regex_cost(const char *re, char *why, size_t len)
{
	unsigned long long frame[REGEX_DEPTH_MAX + 1] = { 0 }, atom = 0, k, m;
	int depth = 0;
	const char *p = re;
	char *end;

	while (*p) {
		switch (*p) {
		case '\\':
			if (p[1] >= '1' && p[1] <= '9') {
				snprintf(why, len, "back-reference \\%c: not in POSIX EREs, and "
					 "slow", p[1]);
				return -1;
			}
			p += p[1] ? 2 : 1;
			atom = 1;
			frame[depth] += atom;
			continue;
		case '[':
			/* a bracket expression is one atom: "[]...]", "[^]...]", "[[:x:]]" */
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
					const char *close = strstr(p + 2, (char[]){ p[1], ']', 0 });

					p = close ? close + 2 : p + strlen(p);
					continue;
				}
				p++;
			}
			if (*p)
				p++;
			atom = 1;
			frame[depth] += atom;
			continue;
		case '(':
			if (depth == REGEX_DEPTH_MAX) {
				snprintf(why, len, "groups nested deeper than %d", REGEX_DEPTH_MAX);
				return -1;
			}
			frame[++depth] = 0;
			p++;
			continue;
		case ')':
			if (depth) {
				atom = frame[depth--];
				frame[depth] += atom;
			}
			p++;
			continue;
		case '{':
			errno = 0;
			m = strtoull(p + 1, &end, 10);
			k = m;
			if (*end == ',' && isdigit((unsigned char)end[1]))
				k = strtoull(end + 1, &end, 10);
			else if (*end == ',')
				end++;
			if (*end != '}' || errno) {
				p++;	/* not an interval: regcomp says what it is */
				atom = 1;
				frame[depth] += atom;
				continue;
			}
			if (k < m)
				k = m;
			/* the atom is there once already: k - 1 more copies */
			if (k && atom > REGEX_COST_MAX / k)
				k = REGEX_COST_MAX + 1, atom = 1;
			frame[depth] += atom * (k ? k - 1 : 0);
			atom *= k ? k : 1;
			p = end + 1;
			break;
		case '|': case '*': case '+': case '?': case '^': case '$':
			p++;
			continue;
		default:
			p++;
			atom = 1;
			frame[depth] += atom;
			continue;
		}
		if (frame[depth] > REGEX_COST_MAX)
			break;
	}
	for (; depth > 0; depth--)
		frame[depth - 1] += frame[depth];
	if (frame[0] > REGEX_COST_MAX) {
		snprintf(why, len, "its repetitions make more than %d pattern nodes",
			 REGEX_COST_MAX);
		return -1;
	}
	return 0;
}

static int check_regex(const char *re, char *why, size_t len)
{
	regex_t r;
	int ret;
	char msg[128];

	if (check_regex_cost(re, msg, sizeof(msg))) {
		snprintf(why, len, "regex '%.60s': %s", re, msg);
		return -1;
	}
	ret = regcomp(&r, re, REG_EXTENDED | REG_NOSUB);
	if (ret) {
		regerror(ret, &r, msg, sizeof(msg));
		snprintf(why, len, "bad regex '%.60s': %s", re, msg);
		return -1;
	}
	regfree(&r);
	return 0;
}

static void set_str(char **f, char *v)
{
	free(*f);
	*f = v;
}

/* Keys that hold one value: a second one in a section would silently win. */
static const char *const single_keys[][3] = {
	{ "kernel", "file" }, { "initrd" }, { "params", "args", "append" }, { "smp" },
	{ "exit", "status" }, { "timeout" }, { "accel" }, { "skip" },
	{ "skip-vkvm", "skip_vkvm" }, { "skip-kvm", "skip_kvm" },
};

static int key_given_twice(const char *key, unsigned int *seen, char *why, size_t len)
{
	unsigned int i, j;

	for (i = 0; i < sizeof(single_keys) / sizeof(single_keys[0]); i++)
		for (j = 0; j < 3 && single_keys[i][j]; j++) {
			if (strcmp(key, single_keys[i][j]))
				continue;
			if (*seen & (1u << i)) {
				snprintf(why, len, "%s given twice in one section", single_keys[i][0]);
				return -1;
			}
			*seen |= 1u << i;
			return 0;
		}
	return 0;
}

/* Apply one key = value to @s; -1 with a reason in @why. */
static int apply(struct spec *s, const char *key, const char *raw, const char *specdir,
		 char *why, size_t len)
{
	char *v = expand(raw, specdir), *end, msg[128];
	unsigned long n;

	if (!v) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (!*v && (!strcmp(key, "kernel") || !strcmp(key, "file") || !strcmp(key, "initrd"))) {
		snprintf(why, len, "%s = : expects a file name", key);
		free(v);
		return -1;
	}
	if (!strcmp(key, "kernel") || !strcmp(key, "file")) {
		set_str(&s->kernel, v);
	} else if (!strcmp(key, "initrd")) {
		set_str(&s->initrd, v);
	} else if (!strcmp(key, "params") || !strcmp(key, "args") ||
		   !strcmp(key, "append")) {
		set_str(&s->params, v);
	} else if (!strcmp(key, "options") || !strcmp(key, "extra") ||
		   !strcmp(key, "vmm") || !strcmp(key, "smp")) {
		if (!strcmp(key, "smp")) {
			char buf[64];

			if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 8) {
				snprintf(why, len, "smp = %.40s: expected a number of vCPUs", v);
				free(v);
				return -1;
			}
			snprintf(buf, sizeof(buf), "--cpus %s", v);
			free(v);
			v = strdup(buf);
		}
		if (!v || split_args(s, v, msg, sizeof(msg))) {
			snprintf(why, len, "%s: %s", key, v ? msg : "out of memory");
			free(v);
			return -1;
		}
		free(v);
	} else if (!strcmp(key, "expect")) {
		if (s->nr_expect == SPEC_MAX_PATTERNS || check_regex(v, why, len)) {
			if (s->nr_expect == SPEC_MAX_PATTERNS)
				snprintf(why, len, "more than %d expect lines", SPEC_MAX_PATTERNS);
			free(v);
			return -1;
		}
		s->expect[s->nr_expect++] = v;
	} else if (!strcmp(key, "reject") || !strcmp(key, "not")) {
		if (s->nr_reject == SPEC_MAX_PATTERNS || check_regex(v, why, len)) {
			if (s->nr_reject == SPEC_MAX_PATTERNS)
				snprintf(why, len, "more than %d reject lines", SPEC_MAX_PATTERNS);
			free(v);
			return -1;
		}
		s->reject[s->nr_reject++] = v;
	} else if (!strcmp(key, "exit") || !strcmp(key, "status")) {
		errno = 0;
		n = strtoul(v, &end, 0);
		if (errno || !*v || *end || n > 255) {
			snprintf(why, len, "%s = %.40s: expected an exit status 0..255", key, v);
			free(v);
			return -1;
		}
		s->exit_status = (int)n;
		free(v);
	} else if (!strcmp(key, "timeout")) {
		errno = 0;
		n = strtoul(v, &end, 10);
		if (*end == 's')
			end++;
		if (errno || !*v || *end || !n || n > 86400) {
			snprintf(why, len, "timeout = %.40s: expected seconds (1..86400)", v);
			free(v);
			return -1;
		}
		s->timeout_s = n;
		free(v);
	} else if (!strcmp(key, "accel")) {
		set_str(&s->accel_only, v);
	} else if (!strcmp(key, "skip")) {
		set_str(&s->skip_reason, v);
	} else if (!strcmp(key, "skip-vkvm") || !strcmp(key, "skip_vkvm")) {
		set_str(&s->skip_vkvm, v);
	} else if (!strcmp(key, "skip-kvm") || !strcmp(key, "skip_kvm")) {
		set_str(&s->skip_kvm, v);
	} else if (!strcmp(key, "groups") || !strcmp(key, "arch")) {
		free(v);	/* kvm-unit-tests keys without a meaning here */
	} else {
		snprintf(why, len, "unknown key '%s'", key);
		free(v);
		return -1;
	}
	return 0;
}

void spec_file_name(const char *name, char *buf, size_t len)
{
	size_t o = 0;

	for (; *name && o + 1 < len; name++)
		buf[o++] = (isalnum((unsigned char)*name) || *name == '-' || *name == '_' ||
			    *name == '.') ? *name : '_';
	buf[o] = '\0';
}

static int finish(struct spec_list *list, struct spec *s, char *why, size_t len)
{
	char a[SPEC_NAME_MAX + 1], b[SPEC_NAME_MAX + 1];
	struct spec *v;
	size_t i;

	if (!s->kernel) {
		snprintf(why, len, "[%s] has no kernel", s->name);
		return -1;
	}
	/* each test's log is DIR/<name>.log: two names must not share one */
	spec_file_name(s->name, a, sizeof(a));
	for (i = 0; i < list->n; i++) {
		spec_file_name(list->v[i].name, b, sizeof(b));
		if (!strcmp(a, b)) {
			snprintf(why, len, "[%s]: the same name (log file %s.log) as [%s] at "
				 "%.100s:%d", s->name, a, list->v[i].name, list->v[i].file,
				 list->v[i].line);
			return -1;
		}
	}
	v = realloc(list->v, (list->n + 1) * sizeof(*v));
	if (!v) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	list->v = v;
	list->v[list->n++] = *s;
	memset(s, 0, sizeof(*s));
	return 0;
}

int spec_parse(struct spec_list *list, const char *file, const char *text,
	       char *err, size_t errlen)
{
	struct spec defaults = { .timeout_s = 30 }, cur = { 0 };
	char *copy = strdup(text), *save = NULL, *ln, *fcopy = strdup(file);
	const char *specdir = dirname(fcopy);
	char why[256];
	bool in_section = false;
	unsigned int seen = 0;
	int lineno = 0, sect_line = 0, ret = -1;

	if (!copy || !fcopy) {
		snprintf(err, errlen, "%s: out of memory", file);
		goto out;
	}
	/* strtok_r would skip empty lines and lose their numbers: walk by hand */
	for (ln = copy; ln; ln = save) {
		char *nl = strchr(ln, '\n'), *line, *eq, *name;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		line = trim(ln);
		if (!*line || *line == '#' || *line == ';')
			continue;
		if (*line == '[') {
			char *close = strchr(line, ']');

			if (!close || close == line + 1 || *trim(close + 1)) {
				snprintf(why, sizeof(why), "bad section header");
				goto bad;
			}
			*close = '\0';
			name = trim(line + 1);
			if (!*name || strlen(name) > SPEC_NAME_MAX) {
				snprintf(why, sizeof(why), "a test name has 1 to %d characters",
					 SPEC_NAME_MAX);
				goto bad;
			}
			/* it goes on a TAP line: no '#' (a directive there) or control bytes */
			for (char *c = name; *c; c++)
				if (*c == '#' || (unsigned char)*c < 0x20 || *c == 0x7f) {
					snprintf(why, sizeof(why), "a test name may not have '#' or "
						 "control characters");
					goto bad;
				}
			if (in_section && finish(list, &cur, why, sizeof(why))) {
				lineno = sect_line;
				goto bad;
			}
			spec_copy(&cur, &defaults);
			free(cur.name);
			free(cur.file);
			cur.name = strdup(name);
			cur.file = strdup(file);
			if (!cur.name || !cur.file) {
				snprintf(why, sizeof(why), "out of memory");
				goto bad;
			}
			cur.line = lineno;
			sect_line = lineno;
			in_section = true;
			seen = 0;
			continue;
		}
		eq = strchr(line, '=');
		if (!eq) {
			snprintf(why, sizeof(why), "expected 'key = value' or '[name]'");
			goto bad;
		}
		*eq = '\0';
		if (key_given_twice(trim(line), &seen, why, sizeof(why)) ||
		    apply(in_section ? &cur : &defaults, trim(line), trim(eq + 1), specdir,
			  why, sizeof(why)))
			goto bad;
	}
	if (in_section && finish(list, &cur, why, sizeof(why))) {
		lineno = sect_line;
		goto bad;
	}
	if (!in_section) {
		snprintf(err, errlen, "%s: no [test] section", file);
		goto out;
	}
	ret = 0;
	goto out;
bad:
	snprintf(err, errlen, "%s:%d: %s", file, lineno, why);
out:
	spec_free(&cur);
	spec_free(&defaults);
	free(copy);
	free(fcopy);
	return ret;
}

int spec_parse_file(struct spec_list *list, const char *file, char *err, size_t errlen)
{
	char why[128], *text;
	struct stat st;
	size_t len = 0;
	ssize_t n = 0;
	int fd, ret;

	fd = open_option_file(file, O_RDONLY, false, &st, why, sizeof(why));
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", file, why);
		return -1;
	}
	if (st.st_size > SPEC_FILE_MAX) {
		snprintf(err, errlen, "%s: %lld bytes; a spec file has at most %d", file,
			 (long long)st.st_size, SPEC_FILE_MAX);
		close(fd);
		return -1;
	}
	text = malloc(SPEC_FILE_MAX + 2);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", file);
		close(fd);
		return -1;
	}
	/* to the end, which may have moved since fstat: one byte more tells */
	while (len < SPEC_FILE_MAX + 1) {
		n = read(fd, text + len, SPEC_FILE_MAX + 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0 || len > SPEC_FILE_MAX || memchr(text, '\0', len)) {
		snprintf(err, errlen, "%s: %s", file, n < 0 ? strerror(errno) :
			 len > SPEC_FILE_MAX ? "grew past the 1 MiB a spec file may have" :
			 "has a NUL byte: not a text file");
		free(text);
		return -1;
	}
	text[len] = '\0';
	ret = spec_parse(list, file, text, err, errlen);
	free(text);
	return ret;
}

void spec_list_free(struct spec_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		spec_free(&list->v[i]);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		bool start = p == list || isspace((unsigned char)p[-1]) || p[-1] == ',';
		bool end = !p[n] || isspace((unsigned char)p[n]) || p[n] == ',';

		if (start && end)
			return true;
		p += n;
	}
	return false;
}

const char *spec_skip_reason(const struct spec *s, const char *accel)
{
	static __thread char buf[128];

	if (s->skip_reason)
		return s->skip_reason;
	if (!strcmp(accel, "vkvm") && s->skip_vkvm)
		return s->skip_vkvm;
	if (!strcmp(accel, "kvm") && s->skip_kvm)
		return s->skip_kvm;
	if (s->accel_only && !word_in(s->accel_only, accel)) {
		snprintf(buf, sizeof(buf), "accel %s only", s->accel_only);
		return buf;
	}
	return NULL;
}

int spec_check_output(const struct spec *s, const char *out, char *why, size_t len)
{
	regex_t re[SPEC_MAX_PATTERNS], ex[SPEC_MAX_PATTERNS];
	const char *p, *nl;
	char *line = NULL, shown[PRINTABLE_MAX];
	unsigned int next = 0, i, nre = 0, nex = 0;
	int ret = -1;

	/* every pattern compiled once (apply() checked they compile) */
	for (i = 0; i < s->nr_reject; i++, nre++)
		if (regcomp(&re[i], s->reject[i], REG_EXTENDED | REG_NOSUB))
			goto out;
	for (i = 0; i < s->nr_expect; i++, nex++)
		if (regcomp(&ex[i], s->expect[i], REG_EXTENDED | REG_NOSUB))
			goto out;
	for (p = out; *p; p = nl ? nl + 1 : p + strlen(p)) {
		size_t n;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		free(line);
		line = strndup(p, n);
		if (!line)
			goto out;
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		for (i = 0; i < s->nr_reject; i++)
			if (!regexec(&re[i], line, 0, NULL, 0)) {
				snprintf(why, len, "console shows rejected /%s/: %s", s->reject[i],
					 printable(line, shown, sizeof(shown)));
				goto out;
			}
		if (next < s->nr_expect && !regexec(&ex[next], line, 0, NULL, 0))
			next++;
		if (!nl)
			break;
	}
	if (next < s->nr_expect) {
		snprintf(why, len, "console never showed /%s/%s", s->expect[next],
			 next ? " (after the earlier expected lines)" : "");
		goto out;
	}
	ret = 0;
out:
	free(line);
	for (i = 0; i < nre; i++)
		regfree(&re[i]);
	for (i = 0; i < nex; i++)
		regfree(&ex[i]);
	return ret;
}
