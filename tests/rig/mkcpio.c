// SPDX-License-Identifier: GPL-2.0
/*
 * mkcpio: write a "newc" cpio archive (the initramfs format, see the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst) to stdout from
 * a list read on stdin, one entry a line, in the spirit of the kernel's
 * usr/gen_init_cpio:
 *
 *	dir   NAME MODE
 *	file  NAME SOURCE MODE
 *	slink NAME TARGET MODE
 *	nod   NAME MODE c|b MAJOR MINOR
 *
 * MODE is octal permission bits.  Owner is root, mtime 0, so the same inputs
 * give the same bytes.  Device nodes need no privilege: they are headers only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long ino = 721;
static unsigned long long offset;

static void pad4(void)
{
	while (offset & 3) {
		putchar(0);
		offset++;
	}
}

static void header(const char *name, unsigned long mode, unsigned long nlink,
		   unsigned long size, unsigned long rmaj, unsigned long rmin)
{
	unsigned long namesize = strlen(name) + 1;

	/* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	 * devminor, rdevmajor, rdevminor, namesize, check */
	printf("070701%08lX%08lX%08X%08X%08lX%08X%08lX%08X%08X%08lX%08lX%08lX%08X",
	       ino++, mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin, namesize, 0);
	fwrite(name, 1, namesize, stdout);
	offset += 110 + namesize;
	pad4();
}

static int put_file(const char *name, const char *src, unsigned long perm)
{
	char buf[65536];
	struct stat st;
	size_t n, left;
	FILE *f = fopen(src, "rb");

	if (!f || fstat(fileno(f), &st) < 0) {
		fprintf(stderr, "mkcpio: %s: %s\n", src, strerror(errno));
		return -1;
	}
	header(name, S_IFREG | perm, 1, (unsigned long)st.st_size, 0, 0);
	for (left = (size_t)st.st_size; left; left -= n) {
		n = fread(buf, 1, left < sizeof(buf) ? left : sizeof(buf), f);
		if (n == 0) {
			fprintf(stderr, "mkcpio: %s: short read\n", src);
			fclose(f);
			return -1;
		}
		fwrite(buf, 1, n, stdout);
		offset += n;
	}
	fclose(f);
	pad4();
	return 0;
}

static int put_line(char *line, int lineno)
{
	char *kind, *name, *a, *b, *c, *d;
	const char *sep = " \t\n";
	unsigned long perm;

	kind = strtok(line, sep);
	if (!kind || kind[0] == '#')
		return 0;
	name = strtok(NULL, sep);
	a = strtok(NULL, sep);
	b = strtok(NULL, sep);
	c = strtok(NULL, sep);
	d = strtok(NULL, sep);
	if (!name || !a)
		goto bad;
	while (*name == '/')
		name++;
	if (!strcmp(kind, "dir")) {
		header(name, S_IFDIR | strtoul(a, NULL, 8), 2, 0, 0, 0);
		return 0;
	}
	if (!strcmp(kind, "file") && b)
		return put_file(name, a, strtoul(b, NULL, 8));
	if (!strcmp(kind, "slink") && b) {
		size_t len = strlen(a);

		header(name, S_IFLNK | strtoul(b, NULL, 8), 1, len, 0, 0);
		fwrite(a, 1, len, stdout);
		offset += len;
		pad4();
		return 0;
	}
	if (!strcmp(kind, "nod") && d && (!strcmp(b, "c") || !strcmp(b, "b"))) {
		perm = strtoul(a, NULL, 8) | (b[0] == 'c' ? S_IFCHR : S_IFBLK);
		header(name, perm, 1, 0, strtoul(c, NULL, 0), strtoul(d, NULL, 0));
		return 0;
	}
bad:
	fprintf(stderr, "mkcpio: line %d: cannot parse \"%s\"\n", lineno, kind);
	return -1;
}

int main(void)
{
	char line[4096];
	int lineno = 0;

	while (fgets(line, sizeof(line), stdin))
		if (put_line(line, ++lineno) < 0)
			return 1;
	header("TRAILER!!!", 0, 1, 0, 0, 0);
	/* the kernel reads the archive in 512-byte blocks, like cpio writes it */
	while (offset & 511) {
		putchar(0);
		offset++;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "mkcpio: write error\n");
		return 1;
	}
	return 0;
}
