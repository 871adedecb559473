// SPDX-License-Identifier: GPL-2.0
/*
 * The 9P2000.L server (devices/p9-server.c) fed raw messages, as the Linux
 * client would send them and as a hostile guest could: the usual file
 * operations, confinement (".." at and below the root, absolute and
 * relative symlinks out, a symlink planted mid-walk, renames and creations
 * aimed outside), read-only shares, and malformed messages.  Each test
 * works in a fresh directory OUT holding the share OUT/share and a canary
 * OUT/secret that nothing may touch.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../devices/p9-server.h"
#include "../../devices/virtio.h"
#include "vmm_test.h"

static char out_dir[64], share[96], secret[96];
static struct p9_server *srv;
static uint8_t req[P9_MSIZE_MAX], rsp[P9_MSIZE_MAX];
static size_t req_len, rsp_len;

/* ---- a share to serve ----------------------------------------------------- */

static void put_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static char *read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void make_share(bool ro)
{
	char path[256];
	int fd;

	snprintf(out_dir, sizeof(out_dir), "/tmp/vmm-p9-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(out_dir));
	snprintf(share, sizeof(share), "%s/share", out_dir);
	snprintf(secret, sizeof(secret), "%s/secret", out_dir);
	ck_assert_int_eq(mkdir(share, 0755), 0);
	put_file("secret", "canary\n");
	put_file("share/hello", "hello from the host\n");
	snprintf(path, sizeof(path), "%s/sub", share);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put_file("share/sub/file", "in sub\n");
	snprintf(path, sizeof(path), "%s/abs", share);
	ck_assert_int_eq(symlink("/etc", path), 0);
	snprintf(path, sizeof(path), "%s/up", share);
	ck_assert_int_eq(symlink("..", path), 0);
	snprintf(path, sizeof(path), "%s/to-secret", share);
	ck_assert_int_eq(symlink(secret, path), 0);
	fd = open(share, O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	srv = p9_server_new(fd, ro);
	close(fd);
	ck_assert_ptr_nonnull(srv);
}

static void check_canary(void)
{
	char buf[64], path[256];
	struct stat st;

	ck_assert_ptr_nonnull(read_file(secret, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "canary\n");
	/* nothing new next to the share */
	snprintf(path, sizeof(path), "%s/stolen", out_dir);
	ck_assert_int_ne(lstat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/created", out_dir);
	ck_assert_int_ne(lstat(path, &st), 0);
}

static void drop_share(void)
{
	char cmd[128];

	p9_server_free(srv);	/* first: its descriptors may have used them all */
	srv = NULL;
	check_canary();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", out_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* ---- messages ------------------------------------------------------------- */

static void p8(uint8_t v) { req[req_len++] = v; }
static void p16(uint16_t v) { v = htole16(v); memcpy(req + req_len, &v, 2); req_len += 2; }
static void p32(uint32_t v) { v = htole32(v); memcpy(req + req_len, &v, 4); req_len += 4; }
static void p64(uint64_t v) { v = htole64(v); memcpy(req + req_len, &v, 8); req_len += 8; }

static void pstr(const char *s)
{
	size_t n = strlen(s);

	p16((uint16_t)n);
	memcpy(req + req_len, s, n);
	req_len += n;
}

static void start(uint8_t type)
{
	req_len = 0;
	p32(0);
	p8(type);
	p16(7);			/* tag */
}

static uint8_t r8(size_t off) { return rsp[off]; }
static uint16_t r16(size_t off) { uint16_t v; memcpy(&v, rsp + off, 2); return le16toh(v); }
static uint32_t r32(size_t off) { uint32_t v; memcpy(&v, rsp + off, 4); return le32toh(v); }
static uint64_t r64(size_t off) { uint64_t v; memcpy(&v, rsp + off, 8); return le64toh(v); }

/* Send the request built; 0 or the Rlerror's errno, the reply checked for shape. */
static int send_req(void)
{
	uint32_t size = htole32((uint32_t)req_len);

	memcpy(req, &size, 4);
	rsp_len = p9_server_handle(srv, req, req_len, rsp, sizeof(rsp));
	ck_assert_uint_ge(rsp_len, 7);
	ck_assert_uint_eq(r32(0), rsp_len);
	ck_assert_uint_eq(r16(5), 7);
	if (r8(4) == P9_RLERROR) {
		ck_assert_uint_eq(rsp_len, 11);
		ck_assert_uint_ne(r32(7), 0);
		return (int)r32(7);
	}
	ck_assert_uint_eq(r8(4), req[4] + 1);
	return 0;
}

static void version_attach(void)
{
	start(P9_TVERSION);
	p32(65536);
	pstr("9P2000.L");
	ck_assert_int_eq(send_req(), 0);
	ck_assert_uint_eq(r32(7), 65536);
	ck_assert_uint_eq(r16(11), 8);
	ck_assert(!memcmp(rsp + 13, "9P2000.L", 8));
	start(P9_TATTACH);
	p32(0);
	p32(P9_NOFID);
	pstr("root");
	pstr("");
	p32(0);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_uint_eq(r8(7), P9_QTDIR);
}

/* Twalk from @fid to @newfid through the names (NULL-ended): nwqid, or -errno. */
static int walk(uint32_t fid, uint32_t newfid, ...)
{
	const char *names[20];
	unsigned int n = 0, i;
	va_list ap;
	int err;

	va_start(ap, newfid);
	while ((names[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	start(P9_TWALK);
	p32(fid);
	p32(newfid);
	p16((uint16_t)n);
	for (i = 0; i < n; i++)
		pstr(names[i]);
	err = send_req();
	if (err)
		return -err;
	ck_assert_uint_eq(rsp_len, 9 + 13 * (size_t)r16(7));
	return r16(7);
}

/* the qid.path of the i-th qid of the last Rwalk */
static uint64_t walk_qid(unsigned int i)
{
	return r64(9 + 13 * i + 5);
}

static int lopen(uint32_t fid, uint32_t flags)
{
	start(P9_TLOPEN);
	p32(fid);
	p32(flags);
	return send_req();
}

static int clunk(uint32_t fid)
{
	start(P9_TCLUNK);
	p32(fid);
	return send_req();
}

static int lcreate(uint32_t dfid, const char *name, uint32_t flags)
{
	start(P9_TLCREATE);
	p32(dfid);
	pstr(name);
	p32(flags);
	p32(0644);
	p32(0);
	return send_req();
}

static int renameat_(uint32_t ofid, const char *oname, uint32_t nfid, const char *nname)
{
	start(P9_TRENAMEAT);
	p32(ofid);
	pstr(oname);
	p32(nfid);
	pstr(nname);
	return send_req();
}

static int unlinkat_(uint32_t dfid, const char *name, uint32_t flags)
{
	start(P9_TUNLINKAT);
	p32(dfid);
	pstr(name);
	p32(flags);
	return send_req();
}

static int mkdir_(uint32_t dfid, const char *name)
{
	start(P9_TMKDIR);
	p32(dfid);
	pstr(name);
	p32(0755);
	p32(0);
	return send_req();
}

static int symlink_(uint32_t dfid, const char *name, const char *target)
{
	start(P9_TSYMLINK);
	p32(dfid);
	pstr(name);
	pstr(target);
	p32(0);
	return send_req();
}

/* Tread @count at @off into @buf (NUL-terminated); bytes read or -errno */
static int read_(uint32_t fid, uint64_t off, uint32_t count, char *buf)
{
	int err;

	start(P9_TREAD);
	p32(fid);
	p64(off);
	p32(count);
	err = send_req();
	if (err)
		return -err;
	ck_assert_uint_eq(rsp_len, 11 + (size_t)r32(7));
	memcpy(buf, rsp + 11, r32(7));
	buf[r32(7)] = '\0';
	return (int)r32(7);
}

static int write_(uint32_t fid, uint64_t off, const char *text)
{
	size_t n = strlen(text);

	start(P9_TWRITE);
	p32(fid);
	p64(off);
	p32((uint32_t)n);
	memcpy(req + req_len, text, n);
	req_len += n;
	return send_req();
}

/* ---- operations ----------------------------------------------------------- */

START_TEST(p9_files)
{
	char buf[256], path[256];
	size_t off;
	bool seen_hello = false, seen_sub = false;

	make_share(false);
	version_attach();
	/* read a host file */
	ck_assert_int_eq(walk(0, 1, "hello", NULL), 1);
	ck_assert_int_eq(lopen(1, P9_DOTL_RDONLY), 0);
	ck_assert_int_eq(read_(1, 0, 100, buf), 20);
	ck_assert_str_eq(buf, "hello from the host\n");
	ck_assert_int_eq(read_(1, 6, 4, buf), 4);
	ck_assert_str_eq(buf, "from");
	start(P9_TGETATTR);
	p32(1);
	p64(P9_STATS_BASIC);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_uint_eq(r64(7), P9_STATS_BASIC);
	ck_assert_uint_eq(r64(7 + 8 + 13 + 4 + 4 + 4 + 8 + 8), 20);	/* size */
	ck_assert_int_eq(clunk(1), 0);
	ck_assert_int_eq(clunk(1), EBADF);

	/* create and write one; the host sees it */
	ck_assert_int_eq(walk(0, 2, NULL), 0);
	ck_assert_int_eq(lcreate(2, "new", P9_DOTL_RDWR), 0);
	ck_assert_int_eq(write_(2, 0, "written by the guest\n"), 0);
	ck_assert_uint_eq(r32(7), 21);
	start(P9_TFSYNC);
	p32(2);
	p32(0);
	ck_assert_int_eq(send_req(), 0);
	snprintf(path, sizeof(path), "%s/new", share);
	ck_assert_str_eq(read_file(path, buf, sizeof(buf)), "written by the guest\n");
	/* truncate through setattr */
	start(P9_TSETATTR);
	p32(2);
	p32(P9_ATTR_SIZE | P9_ATTR_MODE);
	p32(0600);
	p32(0);
	p32(0);
	p64(7);
	p64(0); p64(0); p64(0); p64(0);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_str_eq(read_file(path, buf, sizeof(buf)), "written");
	ck_assert_int_eq(clunk(2), 0);

	/* list the root */
	ck_assert_int_eq(walk(0, 3, NULL), 0);
	ck_assert_int_eq(lopen(3, P9_DOTL_RDONLY), 0);
	start(P9_TREADDIR);
	p32(3);
	p64(0);
	p32(8192);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_uint_eq(rsp_len, 11 + (size_t)r32(7));
	for (off = 11; off < rsp_len; off += 24 + r16(off + 22)) {
		size_t n = r16(off + 22);

		if (n == 5 && !memcmp(rsp + off + 24, "hello", 5))
			seen_hello = true;
		if (n == 3 && !memcmp(rsp + off + 24, "sub", 3))
			seen_sub = r8(off) == P9_QTDIR;
	}
	ck_assert(seen_hello && seen_sub);
	ck_assert_int_eq(clunk(3), 0);

	/* mkdir, symlink, readlink, link, rename, unlink */
	ck_assert_int_eq(mkdir_(0, "dir"), 0);
	ck_assert_int_eq(symlink_(0, "link", "/anywhere/at/all"), 0);
	ck_assert_int_eq(walk(0, 4, "link", NULL), 1);
	start(P9_TREADLINK);
	p32(4);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_uint_eq(r16(7), 16);
	ck_assert(!memcmp(rsp + 9, "/anywhere/at/all", 16));
	ck_assert_int_eq(walk(0, 5, "new", NULL), 1);
	ck_assert_int_eq(walk(0, 6, "dir", NULL), 1);
	start(P9_TLINK);
	p32(6);
	p32(5);
	pstr("hard");
	ck_assert_int_eq(send_req(), 0);
	snprintf(path, sizeof(path), "%s/dir/hard", share);
	ck_assert_str_eq(read_file(path, buf, sizeof(buf)), "written");
	ck_assert_int_eq(renameat_(6, "hard", 0, "moved"), 0);
	snprintf(path, sizeof(path), "%s/moved", share);
	ck_assert_str_eq(read_file(path, buf, sizeof(buf)), "written");
	start(P9_TRENAME);		/* the fid "new" into dir as "renamed" */
	p32(5);
	p32(6);
	pstr("renamed");
	ck_assert_int_eq(send_req(), 0);
	snprintf(path, sizeof(path), "%s/dir/renamed", share);
	ck_assert_str_eq(read_file(path, buf, sizeof(buf)), "written");
	ck_assert_int_eq(unlinkat_(6, "renamed", 0), 0);
	ck_assert_int_eq(unlinkat_(0, "dir", 0), EISDIR);
	ck_assert_int_eq(unlinkat_(0, "dir", P9_AT_REMOVEDIR), 0);
	start(P9_TSTATFS);
	p32(0);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_uint_ne(r32(11), 0);		/* bsize */
	/* xattrs: none, as the client tolerates */
	start(P9_TXATTRWALK);
	p32(0);
	p32(9);
	pstr("security.capability");
	ck_assert_int_eq(send_req(), EOPNOTSUPP);
	drop_share();
}
END_TEST

/* ---- confinement ---------------------------------------------------------- */

START_TEST(p9_dotdot)
{
	uint64_t root;

	make_share(false);
	version_attach();
	root = r64(7 + 5);
	/* ".." of the root is the root; from below, back to the root, never above */
	ck_assert_int_eq(walk(0, 1, "..", NULL), 1);
	ck_assert_uint_eq(walk_qid(0), root);
	ck_assert_int_eq(walk(0, 2, "sub", "..", "..", "..", NULL), 4);
	ck_assert_uint_eq(walk_qid(3), root);
	/* and nothing outside is reachable from there */
	ck_assert_int_eq(walk(2, 3, "secret", NULL), -ENOENT);
	ck_assert_int_eq(walk(0, 3, "..", "secret", NULL), 1);	/* partial: no newfid */
	ck_assert_int_eq(clunk(3), EBADF);
	/* a name is one component */
	ck_assert_int_eq(walk(0, 3, "../secret", NULL), -EINVAL);
	ck_assert_int_eq(walk(0, 3, "sub/../../secret", NULL), -EINVAL);
	ck_assert_int_eq(walk(0, 3, "", NULL), -EINVAL);
	drop_share();
}
END_TEST

START_TEST(p9_symlinks_out)
{
	char buf[64];

	make_share(false);
	version_attach();
	/* an absolute symlink to /etc, a relative one to "..", one to the canary:
	 * walks stop at the link (ENOTDIR), the link itself never opens */
	ck_assert_int_eq(walk(0, 1, "abs", "passwd", NULL), 1);
	ck_assert_uint_eq(r8(9), P9_QTSYMLINK);
	ck_assert_int_eq(clunk(1), EBADF);
	ck_assert_int_eq(walk(0, 1, "up", "secret", NULL), 1);
	ck_assert_int_eq(walk(0, 1, "up", NULL), 1);
	ck_assert_int_eq(walk(1, 2, "secret", NULL), -ENOTDIR);
	ck_assert_int_eq(walk(0, 2, "to-secret", NULL), 1);
	ck_assert_int_eq(lopen(2, P9_DOTL_RDONLY), ELOOP);
	ck_assert_int_eq(lopen(2, P9_DOTL_RDWR | P9_DOTL_TRUNC), ELOOP);
	ck_assert_int_eq(read_(2, 0, 10, buf), -EBADF);
	/* a symlink is no directory to create, rename or unlink in */
	ck_assert_int_eq(lcreate(1, "created", P9_DOTL_RDWR), ENOTDIR);
	ck_assert_int_eq(mkdir_(1, "created"), ENOTDIR);
	ck_assert_int_eq(renameat_(0, "hello", 1, "stolen"), ENOTDIR);
	ck_assert_int_eq(unlinkat_(1, "secret", 0), ENOTDIR);
	/* creating through a dangling or outward link fails, creates nothing */
	ck_assert_int_eq(walk(0, 3, NULL), 0);
	ck_assert_int_eq(lcreate(3, "to-secret", P9_DOTL_RDWR | P9_DOTL_TRUNC), ELOOP);
	ck_assert_int_eq(symlink_(0, "dangling", "../created"), 0);
	ck_assert_int_eq(lcreate(3, "dangling", P9_DOTL_WRONLY), ELOOP);
	/* a hard link of a link fid links the symlink, never the canary */
	start(P9_TLINK);
	p32(0);
	p32(2);
	pstr("hard");
	ck_assert_int_eq(send_req(), 0);
	{
		char hl[256];
		struct stat st;

		snprintf(hl, sizeof(hl), "%s/hard", share);
		ck_assert_int_eq(lstat(hl, &st), 0);
		ck_assert(S_ISLNK(st.st_mode));
		ck_assert_int_eq(stat(secret, &st), 0);
		ck_assert_uint_eq(st.st_nlink, 1);
	}
	/* an existing FIFO is never opened (it would block): EEXIST at once */
	start(P9_TMKNOD);
	p32(0);
	pstr("fifo");
	p32(S_IFIFO | 0644);
	p32(0);
	p32(0);
	p32(0);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_int_eq(lcreate(3, "fifo", P9_DOTL_WRONLY), EEXIST);
	ck_assert_int_eq(lcreate(3, "fifo", P9_DOTL_RDONLY), EEXIST);
	ck_assert_int_eq(walk(0, 4, "fifo", NULL), 1);
	ck_assert_int_eq(lopen(4, P9_DOTL_WRONLY), ENXIO);
	/* but an existing regular file is opened (and truncated if asked) */
	ck_assert_int_eq(lcreate(3, "hello", P9_DOTL_RDONLY), 0);
	ck_assert_int_eq(read_(3, 0, 5, buf), 5);
	ck_assert_str_eq(buf, "hello");
	drop_share();
}
END_TEST

START_TEST(p9_symlink_mid_walk)
{
	char from[256], to[256];

	make_share(false);
	version_attach();
	ck_assert_int_eq(walk(0, 1, "sub", NULL), 1);
	/* the host (or a racing client) swaps sub for a symlink out */
	snprintf(from, sizeof(from), "%s/sub", share);
	snprintf(to, sizeof(to), "%s/sub.old", share);
	ck_assert_int_eq(rename(from, to), 0);
	ck_assert_int_eq(symlink(out_dir, from), 0);
	/* a walk through the new "sub" stops there */
	ck_assert_int_eq(walk(0, 2, "sub", "secret", NULL), 1);
	ck_assert_int_eq(clunk(2), EBADF);
	ck_assert_int_eq(walk(0, 2, "sub", NULL), 1);
	ck_assert_int_eq(lopen(2, P9_DOTL_RDONLY), ELOOP);
	/* the fid walked before still holds the directory it walked to */
	ck_assert_int_eq(walk(1, 3, "secret", NULL), -ENOENT);
	ck_assert_int_eq(walk(1, 3, "file", NULL), 1);
	ck_assert_int_eq(lcreate(1, "created", P9_DOTL_RDWR), 0);
	snprintf(to, sizeof(to), "%s/sub.old/created", share);
	ck_assert_int_eq(access(to, F_OK), 0);
	drop_share();
}
END_TEST

START_TEST(p9_rename_out)
{
	char from[256], to[256];

	make_share(false);
	version_attach();
	ck_assert_int_eq(renameat_(0, "hello", 0, "../stolen"), EINVAL);
	ck_assert_int_eq(renameat_(0, "hello", 0, ".."), EINVAL);
	ck_assert_int_eq(renameat_(0, "..", 0, "x"), EINVAL);
	ck_assert_int_eq(renameat_(0, "../secret", 0, "x"), EINVAL);
	/* a directory fid reached by ".." is the root again */
	ck_assert_int_eq(walk(0, 1, "..", NULL), 1);
	ck_assert_int_eq(renameat_(0, "hello", 1, "moved"), 0);
	snprintf(to, sizeof(to), "%s/moved", share);
	ck_assert_int_eq(access(to, F_OK), 0);
	/* Trename of the root itself, and to a name with a slash */
	start(P9_TRENAME);
	p32(0);
	p32(0);
	pstr("x");
	ck_assert_int_eq(send_req(), EINVAL);
	ck_assert_int_eq(walk(0, 2, "moved", NULL), 1);
	start(P9_TRENAME);
	p32(2);
	p32(0);
	pstr("../stolen");
	ck_assert_int_eq(send_req(), EINVAL);
	/* a directory moved out by the host: ".." from it is refused */
	ck_assert_int_eq(walk(0, 3, "sub", NULL), 1);
	snprintf(from, sizeof(from), "%s/sub", share);
	snprintf(to, sizeof(to), "%s/outside-sub", out_dir);
	ck_assert_int_eq(rename(from, to), 0);
	ck_assert_int_eq(walk(3, 4, "..", NULL), -EXDEV);
	ck_assert_int_eq(rename(to, from), 0);
	ck_assert_int_eq(unlinkat_(0, "..", P9_AT_REMOVEDIR), EINVAL);
	ck_assert_int_eq(mkdir_(0, ".."), EINVAL);
	ck_assert_int_eq(symlink_(0, "a/b", "x"), EINVAL);
	drop_share();
}
END_TEST

START_TEST(p9_read_only)
{
	char buf[64], path[256];

	make_share(true);
	version_attach();
	ck_assert_int_eq(walk(0, 1, "hello", NULL), 1);
	ck_assert_int_eq(lopen(1, P9_DOTL_WRONLY), EROFS);
	ck_assert_int_eq(lopen(1, P9_DOTL_RDONLY | P9_DOTL_TRUNC), EROFS);
	ck_assert_int_eq(lopen(1, P9_DOTL_RDONLY), 0);
	ck_assert_int_eq(read_(1, 0, 5, buf), 5);
	ck_assert_int_eq(write_(1, 0, "x"), EROFS);
	ck_assert_int_eq(walk(0, 2, NULL), 0);
	ck_assert_int_eq(lcreate(2, "new", P9_DOTL_RDWR), EROFS);
	ck_assert_int_eq(mkdir_(0, "new"), EROFS);
	ck_assert_int_eq(symlink_(0, "new", "x"), EROFS);
	ck_assert_int_eq(renameat_(0, "hello", 0, "new"), EROFS);
	ck_assert_int_eq(unlinkat_(0, "hello", 0), EROFS);
	start(P9_TSETATTR);
	p32(1);
	p32(P9_ATTR_SIZE);
	p32(0); p32(0); p32(0);
	p64(0);
	p64(0); p64(0); p64(0); p64(0);
	ck_assert_int_eq(send_req(), EROFS);
	start(P9_TREMOVE);
	p32(1);
	ck_assert_int_eq(send_req(), EROFS);
	snprintf(path, sizeof(path), "%s/hello", share);
	ck_assert_str_eq(read_file(path, buf, sizeof(buf)), "hello from the host\n");
	snprintf(path, sizeof(path), "%s/new", share);
	ck_assert_int_ne(access(path, F_OK), 0);
	drop_share();
}
END_TEST

/* ---- malformed messages --------------------------------------------------- */

START_TEST(p9_bad_messages)
{
	uint8_t junk[64];
	unsigned int i, seed = 1;
	size_t n;

	make_share(false);
	version_attach();
	/* too short for a header: Rlerror with NOTAG */
	n = p9_server_handle(srv, (const uint8_t *)"\x03\0\0", 3, rsp, sizeof(rsp));
	ck_assert_uint_eq(n, 11);
	ck_assert_uint_eq(r8(4), P9_RLERROR);
	ck_assert_uint_eq(r16(5), P9_NOTAG);
	/* no room even for Rlerror */
	start(P9_TCLUNK);
	p32(0);
	ck_assert_uint_eq(p9_server_handle(srv, req, req_len, rsp, 10), 0);
	/* size field beyond the bytes given */
	start(P9_TCLUNK);
	p32(0);
	memcpy(req, &(uint32_t){ htole32(100) }, 4);
	n = p9_server_handle(srv, req, req_len, rsp, sizeof(rsp));
	ck_assert_uint_eq(n, 11);
	ck_assert_uint_eq(r32(7), EINVAL);
	/* truncated body, bad fids, bad counts, unknown and R types */
	start(P9_TWALK);
	p32(0);
	ck_assert_int_eq(send_req(), EINVAL);
	ck_assert_int_eq(walk(0, 1, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
			      "m", "n", "o", "p", "q", NULL), -EINVAL);
	ck_assert_int_eq(walk(42, 1, NULL), -EBADF);
	ck_assert_int_eq(walk(0, 0, NULL), 0);		/* a clone onto itself is fine */
	ck_assert_int_eq(walk(0, P9_NOFID, NULL), -EBADF);
	ck_assert_int_eq(walk(0, 1, "hello", NULL), 1);
	ck_assert_int_eq(walk(0, 1, "sub", NULL), -EBADF);	/* newfid in use */
	ck_assert_int_eq(lopen(1, P9_DOTL_NOACCESS), EINVAL);
	ck_assert_int_eq(lopen(1, P9_DOTL_RDWR), 0);
	ck_assert_int_eq(lopen(1, P9_DOTL_RDWR), EBUSY);
	start(P9_TWRITE);
	p32(1);
	p64(0);
	p32(1000);		/* more than follows */
	p32(0);
	ck_assert_int_eq(send_req(), EINVAL);
	start(P9_TREAD);
	p32(1);
	p64(~0ULL);
	p32(10);
	ck_assert_int_eq(send_req(), EINVAL);
	start(P9_TREAD);	/* a huge count is cut to the msize */
	p32(1);
	p64(0);
	p32(0xffffffff);
	ck_assert_int_eq(send_req(), 0);
	ck_assert_uint_eq(r32(7), 20);
	start(P9_RLERROR);
	ck_assert_int_eq(send_req(), EOPNOTSUPP);
	start(P9_TVERSION + 1);
	ck_assert_int_eq(send_req(), EOPNOTSUPP);
	start(3);
	ck_assert_int_eq(send_req(), EOPNOTSUPP);
	start(P9_TATTACH);	/* a string running past the end */
	p32(5);
	p32(P9_NOFID);
	p16(200);
	ck_assert_int_eq(send_req(), EINVAL);
	start(P9_TMKDIR);	/* a NUL inside a name */
	p32(0);
	p16(3);
	p8('a'); p8(0); p8('b');
	p32(0755);
	p32(0);
	ck_assert_int_eq(send_req(), EINVAL);
	/* random bytes after a valid header, of every type: replies, no crash */
	for (i = 0; i < 20000; i++) {
		size_t len = 7 + rand_r(&seed) % (sizeof(junk) - 7), j;

		for (j = 0; j < len; j++)
			junk[j] = (uint8_t)rand_r(&seed);
		if (rand_r(&seed) % 4)
			memcpy(junk, &(uint32_t){ htole32((uint32_t)len) }, 4);
		if (rand_r(&seed) % 2)
			junk[4] = (uint8_t)(rand_r(&seed) % 128) & ~1;
		if (junk[4] == P9_TVERSION)
			continue;		/* would forget the fids: keep them */
		n = p9_server_handle(srv, junk, len, rsp, sizeof(rsp));
		ck_assert_uint_ge(n, 7);
		ck_assert_uint_eq(r32(0), n);
	}
	drop_share();
}
END_TEST

/* ---- random well-formed requests ------------------------------------------ */

static unsigned int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	unsigned int n = 0;

	/*
	 * Counted in this process: "ls /proc/PID/fd" through popen() raced
	 * with popen()'s own close of the pipe's write end in the parent, so
	 * it saw one descriptor more or less from run to run.
	 */
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;		/* the directory's own */
}

/*
 * 10,000 requests of every kind with fids 0-7 and names from a small set
 * that includes "..", ".", slashes and the links out: whatever they do
 * inside the share, nothing beside it changes, nothing crashes, and every
 * descriptor is closed once the server is gone.
 */
START_TEST(p9_random_ops)
{
	static const char *const names[] = {
		"hello", "sub", "abs", "up", "to-secret", "x", "y", "fifo", "..", ".",
		"../secret", "sub/file", "",
	};
	static const char *const targets[] = { "..", "/etc", "../secret", "x", "/" };
	unsigned int seed = 7, i, fds = open_fds(), ok = 0, nn = sizeof(names) / sizeof(names[0]);
	char buf[256], path[256];
	FILE *f;

#define RND(n)	(rand_r(&seed) % (n))
#define FID()	((uint32_t)RND(8))
#define NAME()	(names[RND(nn)])
	make_share(false);
	version_attach();
	for (i = 0; i < 10000; i++) {
		switch (RND(20)) {
		case 0:
			start(P9_TATTACH); p32(FID()); p32(P9_NOFID); pstr("u"); pstr(""); p32(0);
			break;
		case 1: case 2: case 3: {
			unsigned int n = RND(4), k;

			start(P9_TWALK); p32(FID()); p32(FID()); p16((uint16_t)n);
			for (k = 0; k < n; k++)
				pstr(NAME());
			break;
		}
		case 4:
			start(P9_TLOPEN); p32(FID()); p32((uint32_t)RND(3) | (RND(4) ? 0 : P9_DOTL_TRUNC));
			break;
		case 5:
			start(P9_TLCREATE); p32(FID()); pstr(NAME());
			p32((uint32_t)RND(3) | (RND(3) ? 0 : P9_DOTL_EXCL)); p32(0644); p32(0);
			break;
		case 6:
			start(P9_TREAD); p32(FID()); p64(RND(64)); p32(RND(300));
			break;
		case 7:
			start(P9_TWRITE); p32(FID()); p64(RND(64)); p32(5);
			memcpy(req + req_len, "fuzz!", 5); req_len += 5;
			break;
		case 8:
			start(P9_TCLUNK); p32(FID());
			break;
		case 9:
			start(P9_TMKDIR); p32(FID()); pstr(NAME()); p32(0755); p32(0);
			break;
		case 10:
			start(P9_TSYMLINK); p32(FID()); pstr(NAME()); pstr(targets[RND(5)]); p32(0);
			break;
		case 11:
			start(P9_TLINK); p32(FID()); p32(FID()); pstr(NAME());
			break;
		case 12:
			start(P9_TRENAME); p32(FID()); p32(FID()); pstr(NAME());
			break;
		case 13:
			start(P9_TRENAMEAT); p32(FID()); pstr(NAME()); p32(FID()); pstr(NAME());
			break;
		case 14:
			start(P9_TUNLINKAT); p32(FID()); pstr(NAME()); p32(RND(2) ? P9_AT_REMOVEDIR : 0);
			break;
		case 15:
			start(P9_TSETATTR); p32(FID()); p32((uint32_t)RND(0x200)); p32(0600 + RND(0100));
			p32(0); p32(0); p64(RND(32)); p64(0); p64(0); p64(0); p64(0);
			break;
		case 16:
			start(P9_TREADDIR); p32(FID()); p64(0); p32(RND(4096));
			break;
		case 17:
			start(P9_TMKNOD); p32(FID()); pstr(NAME()); p32(S_IFIFO | 0644); p32(0); p32(0); p32(0);
			break;
		case 18:
			start(P9_TREMOVE); p32(FID());
			break;
		default:
			start(RND(2) ? P9_TGETATTR : P9_TREADLINK); p32(FID()); p64(P9_STATS_BASIC);
			break;
		}
		ok += !send_req();
	}
	ck_assert_uint_gt(ok, 1000);		/* it did get somewhere */
	p9_server_free(srv);
	srv = NULL;
	ck_assert_uint_eq(open_fds(), fds);
	/* beside the share: the canary and the share, nothing else */
	snprintf(buf, sizeof(buf), "ls -A %s | tr '\\n' ' '", out_dir);
	f = popen(buf, "r");
	ck_assert_ptr_nonnull(fgets(path, sizeof(path), f));
	pclose(f);
	ck_assert_str_eq(path, "secret share ");
	srv = p9_server_new(AT_FDCWD, false);	/* for drop_share to free */
	drop_share();
#undef RND
#undef FID
#undef NAME
}
END_TEST

/* ---- over virtio-mmio ------------------------------------------------------ */

#define GBASE		0x80000000ULL
#define RAM_SIZE	0x10000ULL
#define QN		8
#define DESC_GPA	(GBASE + 0x1000)
#define AVAIL_GPA	(GBASE + 0x2000)
#define USED_GPA	(GBASE + 0x3000)
#define MSG_GPA		(GBASE + 0x8000)

static uint8_t *vram;
static struct virtio_mmio vt;
static uint16_t vavail;

static void vnop_irq(void *ctx, int level) { }
static uint8_t *vg(uint64_t gpa) { return vram + (gpa - GBASE); }
static uint32_t vrd(uint64_t off) { return (uint32_t)virtio_mmio_read(&vt, off, 4); }
static void vwr(uint64_t off, uint32_t v) { virtio_mmio_write(&vt, off, 4, v); }
static void vput16(uint64_t gpa, uint16_t v) { v = htole16(v); memcpy(vg(gpa), &v, 2); }
static void vput32(uint64_t gpa, uint32_t v) { v = htole32(v); memcpy(vg(gpa), &v, 4); }
static void vput64(uint64_t gpa, uint64_t v) { v = htole64(v); memcpy(vg(gpa), &v, 8); }
static uint32_t vget32(uint64_t gpa) { uint32_t v; memcpy(&v, vg(gpa), 4); return le32toh(v); }

static void vdesc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	vput64(DESC_GPA + 16 * i, addr);
	vput32(DESC_GPA + 16 * i + 8, len);
	vput16(DESC_GPA + 16 * i + 12, flags);
	vput16(DESC_GPA + 16 * i + 14, next);
}

/* Chain 0 made available and notified; the used length. */
static uint32_t vkick(void)
{
	vput16(AVAIL_GPA + 4 + 2 * (vavail % QN), 0);
	vavail++;
	vput16(AVAIL_GPA + 2, vavail);
	vwr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	ck_assert_uint_eq(vram[USED_GPA - GBASE + 2] | vram[USED_GPA - GBASE + 3] << 8, vavail);
	return vget32(USED_GPA + 8 + 8 * ((vavail - 1) % QN));
}

START_TEST(p9_virtio)
{
	uint64_t f = (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_9P_MOUNT_TAG);
	struct virtio_9p *p;
	int fd;

	make_share(false);
	vram = calloc(1, RAM_SIZE);
	ck_assert_ptr_nonnull(vram);
	fd = open(share, O_PATH | O_DIRECTORY);
	p = virtio_9p_new(fd, false, "hostshare");
	close(fd);
	ck_assert_ptr_nonnull(p);
	virtio_mmio_init(&vt, &virtio_9p_dev_ops, p, vram, GBASE, RAM_SIZE, vnop_irq, NULL);
	virtio_9p_attach(&vt, p);
	ck_assert_uint_eq(vrd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_9P);
	vwr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	ck_assert_uint_eq(vrd(VIRTIO_MMIO_DEVICE_FEATURES) & 1, 1);
	/* struct virtio_9p_config: tag_len, tag */
	ck_assert_uint_eq(virtio_mmio_read(&vt, VIRTIO_MMIO_CONFIG, 2), 9);
	ck_assert_uint_eq(virtio_mmio_read(&vt, VIRTIO_MMIO_CONFIG + 2, 4), 0x74736f68); /* "host" */
	ck_assert_uint_eq(virtio_mmio_read(&vt, VIRTIO_MMIO_CONFIG + 10, 1), 'e');
	vwr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vwr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vwr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
	vwr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	vwr(VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
	vwr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	    VIRTIO_STATUS_FEATURES_OK);
	vwr(VIRTIO_MMIO_QUEUE_SEL, 0);
	vwr(VIRTIO_MMIO_QUEUE_NUM, QN);
	vwr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)DESC_GPA);
	vwr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)AVAIL_GPA);
	vwr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)USED_GPA);
	vwr(VIRTIO_MMIO_QUEUE_READY, 1);
	vwr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	    VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);

	/* Tversion split after its header; Rversion split over two buffers */
	start(P9_TVERSION);
	p32(8192);
	pstr("9P2000.L");
	memcpy(req, &(uint32_t){ htole32((uint32_t)req_len) }, 4);
	memcpy(vg(MSG_GPA), req, req_len);
	vdesc(0, MSG_GPA, 7, VIRTQ_DESC_F_NEXT, 1);
	vdesc(1, MSG_GPA + 7, (uint32_t)req_len - 7, VIRTQ_DESC_F_NEXT, 2);
	vdesc(2, MSG_GPA + 0x100, 9, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3);
	vdesc(3, MSG_GPA + 0x200, 100, VIRTQ_DESC_F_WRITE, 0);
	ck_assert_uint_eq(vkick(), 21);
	ck_assert_uint_eq(vget32(MSG_GPA + 0x100), 21);
	ck_assert_uint_eq(*vg(MSG_GPA + 0x104), P9_TVERSION + 1);
	/* msize's top half, the version's length and text */
	ck_assert(!memcmp(vg(MSG_GPA + 0x200), "\0\0\x08\0" "9P2000.L", 12));
	/* a reply that cannot fit even an Rlerror: the chain comes back empty */
	start(P9_TCLUNK);
	p32(0);
	memcpy(req, &(uint32_t){ htole32((uint32_t)req_len) }, 4);
	memcpy(vg(MSG_GPA), req, req_len);
	vdesc(0, MSG_GPA, (uint32_t)req_len, VIRTQ_DESC_F_NEXT, 1);
	vdesc(1, MSG_GPA + 0x100, 10, VIRTQ_DESC_F_WRITE, 0);
	ck_assert_uint_eq(vkick(), 0);
	/* no writable part at all, and garbage: nothing written, no crash */
	memset(vg(MSG_GPA), 0xff, 64);
	vdesc(0, MSG_GPA, 64, 0, 0);
	ck_assert_uint_eq(vkick(), 0);
	/* a message longer than any msize: Rlerror (EINVAL: cut short) */
	vput32(MSG_GPA, 0x100000);
	vdesc(0, MSG_GPA, 64, VIRTQ_DESC_F_NEXT, 1);
	vdesc(1, MSG_GPA + 0x100, 64, VIRTQ_DESC_F_WRITE, 0);
	ck_assert_uint_eq(vkick(), 11);
	ck_assert_uint_eq(*vg(MSG_GPA + 0x104), P9_RLERROR);
	ck_assert_uint_eq(vget32(MSG_GPA + 0x107), EINVAL);
	/* the driver resets the device: its fids go (p9_reset) */
	vwr(VIRTIO_MMIO_STATUS, 0);
	virtio_mmio_destroy(&vt);
	virtio_9p_free(p);
	free(vram);
	drop_share();
}
END_TEST

Suite *p9_suite(void)
{
	return CHECK_SUITE("p9", 60, p9_files, p9_dotdot, p9_symlinks_out, p9_symlink_mid_walk,
			   p9_rename_out, p9_read_only, p9_bad_messages, p9_random_ops, p9_virtio);
}
