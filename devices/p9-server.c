// SPDX-License-Identifier: GPL-2.0
/*
 * 9P2000.L over one host directory (p9-server.h).  Message formats are the
 * Linux client's (net/9p/client.c, include/net/9p/9p.h); every field is
 * little-endian; a string is len[2] and that many bytes.
 *
 * A fid is a node (an O_PATH descriptor of the file, shared by clones),
 * the node of the directory it was walked from with the name it had there
 * (for Trename and Tremove, checked against the node before use), and once
 * opened a second descriptor.  Nothing here ever follows a symlink or
 * concatenates names: walks, creations and removals are single components
 * under a directory node, through openat2(RESOLVE_BENEATH) or *at() calls
 * with a name that holds no '/' and is not "." or "..".  Opening a node
 * goes through /proc/self/fd, which reopens exactly the inode walked to.
 */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "p9-server.h"

#define FID_BUCKETS		256
#define FIDS_MAX		16384
#define WALK_MAX		16		/* MAXWELEM */
#define NAME_MAX_9P		255
#define RLERROR_LEN		11
#define RREAD_HDR		11		/* size type tag count[4] */
#define DEPTH_MAX		4096

struct p9_node {
	int fd;				/* O_PATH | O_NOFOLLOW */
	unsigned int refs;
};

struct p9_fid {
	uint32_t fid;
	struct p9_node *node;
	struct p9_node *parent;		/* NULL: the root, or reached by ".." */
	char *name;			/* in parent */
	int open_fd;			/* -1: not opened */
	bool is_dir;
	struct p9_fid *next;
};

struct p9_server {
	int root_fd;
	dev_t root_dev;
	ino_t root_ino;
	bool ro;
	uint32_t msize;
	unsigned int nr_fids;
	struct p9_fid *fids[FID_BUCKETS];
};

/* ---- messages ------------------------------------------------------------ */

struct p9_in {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

struct p9_out {
	uint8_t *p;
	size_t max, off;
	bool full;
};

static const uint8_t *take(struct p9_in *in, size_t n)
{
	const uint8_t *p;

	if (in->bad || n > in->len - in->off) {
		in->bad = true;
		return NULL;
	}
	p = in->p + in->off;
	in->off += n;
	return p;
}

static uint8_t get8(struct p9_in *in)
{
	const uint8_t *p = take(in, 1);

	return p ? *p : 0;
}

static uint16_t get16(struct p9_in *in)
{
	const uint8_t *p = take(in, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static uint32_t get32(struct p9_in *in)
{
	const uint8_t *p = take(in, 4);
	uint32_t v;

	if (!p)
		return 0;
	memcpy(&v, p, 4);
	return le32toh(v);
}

static uint64_t get64(struct p9_in *in)
{
	const uint8_t *p = take(in, 8);
	uint64_t v;

	if (!p)
		return 0;
	memcpy(&v, p, 8);
	return le64toh(v);
}

/* A string into @buf (NUL-terminated): 0, or -ENAMETOOLONG / -EINVAL (NUL inside). */
static int get_str(struct p9_in *in, char *buf, size_t size)
{
	uint16_t n = get16(in);
	const uint8_t *p = take(in, n);

	if (!p)
		return -EINVAL;
	if (n >= size)
		return -ENAMETOOLONG;
	if (memchr(p, 0, n))
		return -EINVAL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

static uint8_t *room(struct p9_out *out, size_t n)
{
	uint8_t *p;

	if (out->full || n > out->max - out->off) {
		out->full = true;
		return NULL;
	}
	p = out->p + out->off;
	out->off += n;
	return p;
}

static void put8(struct p9_out *out, uint8_t v)
{
	uint8_t *p = room(out, 1);

	if (p)
		*p = v;
}

static void put16(struct p9_out *out, uint16_t v)
{
	uint8_t *p = room(out, 2);

	v = htole16(v);
	if (p)
		memcpy(p, &v, 2);
}

static void put32(struct p9_out *out, uint32_t v)
{
	uint8_t *p = room(out, 4);

	v = htole32(v);
	if (p)
		memcpy(p, &v, 4);
}

static void put64(struct p9_out *out, uint64_t v)
{
	uint8_t *p = room(out, 8);

	v = htole64(v);
	if (p)
		memcpy(p, &v, 8);
}

static void put_str(struct p9_out *out, const char *s, size_t n)
{
	uint8_t *p;

	if (n > UINT16_MAX) {
		out->full = true;
		return;
	}
	put16(out, (uint16_t)n);
	p = room(out, n);
	if (p)
		memcpy(p, s, n);
}

static uint8_t qid_type(mode_t mode)
{
	if (S_ISDIR(mode))
		return P9_QTDIR;
	if (S_ISLNK(mode))
		return P9_QTSYMLINK;
	return P9_QTFILE;
}

/* qid.path: the inode, with the device folded in off the root's file system */
static uint64_t qid_path(const struct p9_server *s, dev_t dev, ino_t ino)
{
	uint64_t path = (uint64_t)ino;

	if (dev != s->root_dev)
		path ^= ((uint64_t)major(dev) << 56) ^ ((uint64_t)minor(dev) << 40);
	return path;
}

static void put_qid(struct p9_out *out, const struct p9_server *s, const struct stat *st)
{
	put8(out, qid_type(st->st_mode));
	put32(out, 0);
	put64(out, qid_path(s, st->st_dev, st->st_ino));
}

/* ---- nodes and fids ------------------------------------------------------ */

static struct p9_node *node_new(int fd)
{
	struct p9_node *n = malloc(sizeof(*n));

	if (!n) {
		close(fd);
		return NULL;
	}
	n->fd = fd;
	n->refs = 1;
	return n;
}

static struct p9_node *node_get(struct p9_node *n)
{
	if (n)
		n->refs++;
	return n;
}

static void node_put(struct p9_node *n)
{
	if (n && !--n->refs) {
		close(n->fd);
		free(n);
	}
}

static struct p9_fid **fid_slot(struct p9_server *s, uint32_t fid)
{
	struct p9_fid **pp = &s->fids[fid % FID_BUCKETS];

	while (*pp && (*pp)->fid != fid)
		pp = &(*pp)->next;
	return pp;
}

static struct p9_fid *fid_find(struct p9_server *s, uint32_t fid)
{
	return *fid_slot(s, fid);
}

/* A new fid (taking @node, @parent and @name); NULL: in use, too many, or no memory. */
static struct p9_fid *fid_add(struct p9_server *s, uint32_t fid, struct p9_node *node,
			      struct p9_node *parent, char *name, int *err)
{
	struct p9_fid **pp = fid_slot(s, fid), *f;

	*err = -EBADF;
	if (*pp || fid == P9_NOFID)
		goto fail;
	*err = -ENFILE;
	if (s->nr_fids >= FIDS_MAX)
		goto fail;
	*err = -ENOMEM;
	f = calloc(1, sizeof(*f));
	if (!f)
		goto fail;
	f->fid = fid;
	f->node = node;
	f->parent = parent;
	f->name = name;
	f->open_fd = -1;
	*pp = f;
	s->nr_fids++;
	return f;
fail:
	node_put(node);
	node_put(parent);
	free(name);
	return NULL;
}

static void fid_free(struct p9_fid *f)
{
	node_put(f->node);
	node_put(f->parent);
	free(f->name);
	if (f->open_fd >= 0)
		close(f->open_fd);
	free(f);
}

static int fid_remove(struct p9_server *s, uint32_t fid)
{
	struct p9_fid **pp = fid_slot(s, fid), *f = *pp;

	if (!f)
		return -EBADF;
	*pp = f->next;
	s->nr_fids--;
	fid_free(f);
	return 0;
}

void p9_server_reset(struct p9_server *s)
{
	struct p9_fid *f, *next;
	unsigned int i;

	for (i = 0; i < FID_BUCKETS; i++) {
		for (f = s->fids[i]; f; f = next) {
			next = f->next;
			fid_free(f);
		}
		s->fids[i] = NULL;
	}
	s->nr_fids = 0;
	s->msize = 8192;
}

struct p9_server *p9_server_new(int root_fd, bool ro)
{
	struct p9_server *s = calloc(1, sizeof(*s));
	struct stat st;

	if (!s)
		return NULL;
	s->root_fd = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->root_fd < 0 || fstat(s->root_fd, &st) < 0) {
		if (s->root_fd >= 0)
			close(s->root_fd);
		free(s);
		return NULL;
	}
	s->root_dev = st.st_dev;
	s->root_ino = st.st_ino;
	s->ro = ro;
	s->msize = 8192;
	return s;
}

void p9_server_free(struct p9_server *s)
{
	if (!s)
		return;
	p9_server_reset(s);
	close(s->root_fd);
	free(s);
}

/* ---- file system helpers -------------------------------------------------- */

static int openat2_beneath(int dirfd, const char *name, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* A name of one component that creates or removes: no '/', not "." or "..". */
static int check_name(const char *name)
{
	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	return 0;
}

static bool is_root(const struct p9_server *s, const struct stat *st)
{
	return st->st_dev == s->root_dev && st->st_ino == s->root_ino;
}

static void proc_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/*
 * Whether the directory @fd lies under the root: its ".." chain meets the
 * root before "/" (a directory moved out by the host would not).
 */
static bool beneath_root(const struct p9_server *s, int fd)
{
	struct stat st, up_st;
	int cur = dup(fd), up, depth;
	bool ok = false;

	if (cur < 0 || fstat(cur, &st) < 0)
		goto out;
	for (depth = 0; depth < DEPTH_MAX; depth++) {
		if (is_root(s, &st)) {
			ok = true;
			break;
		}
		up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (up < 0 || fstat(up, &up_st) < 0) {
			if (up >= 0)
				close(up);
			break;
		}
		close(cur);
		cur = up;
		if (up_st.st_dev == st.st_dev && up_st.st_ino == st.st_ino)
			break;		/* "/" */
		st = up_st;
	}
out:
	if (cur >= 0)
		close(cur);
	return ok;
}

static int node_stat(const struct p9_node *n, struct stat *st)
{
	return fstat(n->fd, st) < 0 ? -errno : 0;
}

/* The directory fid @fid's node (not opened). */
static int dir_fid(struct p9_server *s, uint32_t fid, struct p9_fid **out)
{
	struct p9_fid *f = fid_find(s, fid);
	struct stat st;
	int ret;

	if (!f)
		return -EBADF;
	ret = node_stat(f->node, &st);
	if (ret)
		return ret;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	*out = f;
	return 0;
}

/* The qid of @name in the directory @dirfd (just made). */
static int put_child_qid(struct p9_server *s, struct p9_out *out, int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	put_qid(out, s, &st);
	return 0;
}

/* Tlopen/Tlcreate flags to open(2)'s; -EINVAL for NOACCESS */
static int open_flags(uint32_t fl)
{
	int f;

	switch (fl & 3) {
	case P9_DOTL_RDONLY:	f = O_RDONLY; break;
	case P9_DOTL_WRONLY:	f = O_WRONLY; break;
	case P9_DOTL_RDWR:	f = O_RDWR; break;
	default:		return -EINVAL;
	}
	if (fl & P9_DOTL_TRUNC)
		f |= O_TRUNC;
	if (fl & P9_DOTL_APPEND)
		f |= O_APPEND;
	if (fl & P9_DOTL_DSYNC)
		f |= O_DSYNC;
	if (fl & P9_DOTL_SYNC)
		f |= O_SYNC;
	return f;
}

static bool open_modifies(uint32_t fl)
{
	return (fl & 3) != P9_DOTL_RDONLY || (fl & (P9_DOTL_TRUNC | P9_DOTL_CREATE));
}

/* ---- requests ------------------------------------------------------------- */

struct p9_req {
	struct p9_server *s;
	struct p9_in *in;
	struct p9_out *out;
};

/* The request's fid: -EINVAL if the message was short, -EBADF if unknown. */
static int req_fid(struct p9_req *r, uint32_t fid, struct p9_fid **f)
{
	if (r->in->bad)
		return -EINVAL;
	*f = fid_find(r->s, fid);
	return *f ? 0 : -EBADF;
}

static int do_version(struct p9_req *r)
{
	uint32_t msize = get32(r->in);
	char version[32];
	int ret = get_str(r->in, version, sizeof(version));

	if (r->in->bad)
		return -EINVAL;
	if (msize < 512)
		return -EINVAL;
	p9_server_reset(r->s);
	r->s->msize = msize < P9_MSIZE_MAX ? msize : P9_MSIZE_MAX;
	put32(r->out, r->s->msize);
	if (!ret && !strcmp(version, "9P2000.L"))
		put_str(r->out, "9P2000.L", 8);
	else
		put_str(r->out, "unknown", 7);
	return 0;
}

static int do_attach(struct p9_req *r)
{
	char uname[256], aname[256];
	uint32_t fid = get32(r->in);
	struct p9_node *node;
	struct stat st;
	int fd, err;

	get32(r->in);			/* afid: no authentication */
	if (get_str(r->in, uname, sizeof(uname)) || get_str(r->in, aname, sizeof(aname)))
		return -EINVAL;
	get32(r->in);			/* n_uname */
	if (r->in->bad)
		return -EINVAL;
	if (fid_find(r->s, fid))
		return -EBADF;
	fd = openat(r->s->root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	node = node_new(fd);
	if (!node)
		return -ENOMEM;
	if (!fid_add(r->s, fid, node, NULL, NULL, &err))
		return err;
	put_qid(r->out, r->s, &st);
	return 0;
}

/* One step of a walk from @cur: the next node in *next (its stat in @st). */
static int walk_one(struct p9_server *s, struct p9_node *cur, const char *name,
		    struct p9_node **next, struct stat *st)
{
	struct stat cst;
	int fd, ret;

	ret = node_stat(cur, &cst);
	if (ret)
		return ret;
	if (!S_ISDIR(cst.st_mode))
		return -ENOTDIR;
	if (!strcmp(name, ".") || (!strcmp(name, "..") && is_root(s, &cst))) {
		/* ".." of the root is the root (9P: walk(5)) */
		*next = node_get(cur);
		*st = cst;
		return 0;
	}
	if (!strcmp(name, "..")) {
		fd = openat(cur->fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (!beneath_root(s, fd)) {
			close(fd);
			return -EXDEV;
		}
	} else {
		if (!*name || strchr(name, '/'))
			return -EINVAL;
		fd = openat2_beneath(cur->fd, name, O_PATH, 0);
		if (fd < 0)
			return fd;
	}
	if (fstat(fd, st) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	*next = node_new(fd);
	return *next ? 0 : -ENOMEM;
}

static int do_walk(struct p9_req *r)
{
	struct p9_server *s = r->s;
	uint32_t fid = get32(r->in), newfid = get32(r->in);
	uint16_t nwname = get16(r->in), i;
	char names[WALK_MAX][NAME_MAX_9P + 1];
	struct p9_node *cur, *parent, *next = NULL;
	struct p9_fid *f, *nf;
	struct stat st;
	char *name;
	int ret = 0;

	if (nwname > WALK_MAX)
		return -EINVAL;
	for (i = 0; i < nwname; i++) {
		ret = get_str(r->in, names[i], sizeof(names[i]));
		if (ret)
			return ret;
	}
	if (r->in->bad)
		return -EINVAL;
	f = fid_find(s, fid);
	if (!f)
		return -EBADF;
	if (newfid != fid && fid_find(s, newfid))
		return -EBADF;
	cur = node_get(f->node);
	parent = node_get(f->parent);
	name = f->name ? strdup(f->name) : NULL;
	if (f->name && !name) {
		ret = -ENOMEM;
		goto out;
	}
	put16(r->out, 0);		/* nwqid, set below */
	for (i = 0; i < nwname; i++) {
		ret = walk_one(s, cur, names[i], &next, &st);
		if (ret)
			break;
		put_qid(r->out, s, &st);
		if (!strcmp(names[i], ".")) {
			node_put(next);
			continue;
		}
		node_put(parent);
		free(name);
		parent = NULL;
		name = NULL;
		if (strcmp(names[i], "..")) {
			/* no (parent, name) upwards: Trename/Tremove refuse such a fid */
			parent = cur;
			cur = NULL;
			name = strdup(names[i]);
		}
		node_put(cur);
		cur = next;
		if (parent && !name) {
			ret = -ENOMEM;
			break;
		}
	}
	if (i < nwname) {
		node_put(cur);
		node_put(parent);
		free(name);
		if (!i)
			return ret ? ret : -ENOMEM;
		/* a partial walk: the qids so far, newfid not made */
		r->out->off = P9_HDR + 2 + 13 * (size_t)i;
		r->out->p[P9_HDR] = (uint8_t)i;
		r->out->p[P9_HDR + 1] = (uint8_t)(i >> 8);
		return 0;
	}
	r->out->p[P9_HDR] = (uint8_t)nwname;
	r->out->p[P9_HDR + 1] = (uint8_t)(nwname >> 8);
	if (newfid == fid) {
		if (f->open_fd >= 0) {
			ret = -EBUSY;
			goto out;
		}
		node_put(f->node);
		node_put(f->parent);
		free(f->name);
		f->node = cur;
		f->parent = parent;
		f->name = name;
		return 0;
	}
	nf = fid_add(s, newfid, cur, parent, name, &ret);
	return nf ? 0 : ret;
out:
	node_put(cur);
	node_put(parent);
	free(name);
	return ret;
}

/* Open the node of @f with open(2) flags @flags (a regular file or a directory). */
static int fid_open(struct p9_fid *f, int flags)
{
	char path[64];
	struct stat st;
	int fd, ret;

	ret = node_stat(f->node, &st);
	if (ret)
		return ret;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (S_ISDIR(st.st_mode)) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		flags = O_RDONLY | O_DIRECTORY;
	} else if (!S_ISREG(st.st_mode)) {
		/* the client opens devices, FIFOs and sockets on its side */
		return -ENXIO;
	}
	proc_path(f->node->fd, path, sizeof(path));
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	f->open_fd = fd;
	f->is_dir = S_ISDIR(st.st_mode);
	return 0;
}

static int do_lopen(struct p9_req *r)
{
	uint32_t fid = get32(r->in), fl = get32(r->in);
	struct p9_fid *f;
	int err;
	struct stat st;
	int flags, ret;

	err = req_fid(r, fid, &f);
	if (err)
		return err;
	if (f->open_fd >= 0)
		return -EBUSY;
	if (r->s->ro && open_modifies(fl))
		return -EROFS;
	flags = open_flags(fl);
	if (flags < 0)
		return flags;
	ret = fid_open(f, flags);
	if (ret)
		return ret;
	if (fstat(f->open_fd, &st) < 0)
		return -errno;
	put_qid(r->out, r->s, &st);
	put32(r->out, 0);		/* iounit: the client's msize */
	return 0;
}

static int do_lcreate(struct p9_req *r)
{
	uint32_t fid = get32(r->in), fl, mode;
	char name[NAME_MAX_9P + 1], path[64];
	struct p9_node *node;
	struct p9_fid *f;
	struct stat st;
	int flags, fd, pfd, ret;

	ret = get_str(r->in, name, sizeof(name));
	fl = get32(r->in);
	mode = get32(r->in);
	get32(r->in);			/* gid: files are the server's */
	if (r->in->bad)
		return -EINVAL;
	if (ret)
		return ret;
	ret = dir_fid(r->s, fid, &f);
	if (ret)
		return ret;
	if (r->s->ro)
		return -EROFS;
	if (f->open_fd >= 0)
		return -EBUSY;
	ret = check_name(name);
	if (ret)
		return ret;
	flags = open_flags(fl);
	if (flags < 0)
		return flags;
	/*
	 * Create with O_EXCL, never opening what is already there through the
	 * name (a FIFO would block the vCPU); an existing entry is opened as
	 * Tlopen opens a fid, if it is a regular file.
	 */
	fd = openat2_beneath(f->node->fd, name, flags | O_CREAT | O_EXCL, mode & 07777);
	if (fd == -EEXIST && !(fl & P9_DOTL_EXCL)) {
		pfd = openat2_beneath(f->node->fd, name, O_PATH, 0);
		if (pfd < 0)
			return pfd;
		ret = fstat(pfd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 :
		      S_ISLNK(st.st_mode) ? -ELOOP : S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
		if (ret) {
			close(pfd);
			return ret;
		}
		proc_path(pfd, path, sizeof(path));
		fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			ret = -errno;
			close(pfd);
			return ret;
		}
	} else {
		if (fd < 0)
			return fd;
		pfd = openat2_beneath(f->node->fd, name, O_PATH, 0);
		if (pfd < 0) {
			close(fd);
			return pfd;
		}
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(pfd);
		close(fd);
		return -EINVAL;
	}
	node = node_new(pfd);
	if (!node) {
		close(fd);
		return -ENOMEM;
	}
	/* the fid is now the new file, opened */
	node_put(f->parent);
	free(f->name);
	f->parent = f->node;
	f->node = node;
	f->name = strdup(name);
	f->open_fd = fd;
	f->is_dir = false;
	put_qid(r->out, r->s, &st);
	put32(r->out, 0);
	return 0;
}

static int do_read(struct p9_req *r)
{
	uint32_t fid = get32(r->in), count;
	uint64_t off = get64(r->in);
	struct p9_fid *f;
	int err;
	uint8_t *data;
	size_t avail;
	ssize_t n;

	count = get32(r->in);
	err = req_fid(r, fid, &f);
	if (err)
		return err;
	if (f->open_fd < 0 || f->is_dir)
		return -EBADF;
	if (off > INT64_MAX)
		return -EINVAL;
	avail = r->out->max - RREAD_HDR;
	if (count > avail)
		count = (uint32_t)avail;
	put32(r->out, 0);
	data = room(r->out, count);
	if (!data)
		return -EINVAL;
	do
		n = pread(f->open_fd, data, count, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r->out->off = RREAD_HDR + (size_t)n;
	n = htole32((uint32_t)n);
	memcpy(r->out->p + P9_HDR, &n, 4);
	return 0;
}

static int do_write(struct p9_req *r)
{
	uint32_t fid = get32(r->in), count;
	uint64_t off = get64(r->in);
	const uint8_t *data;
	struct p9_fid *f;
	ssize_t n;

	count = get32(r->in);
	data = take(r->in, count);
	if (!data)
		return -EINVAL;
	f = fid_find(r->s, fid);
	if (!f)
		return -EBADF;
	if (r->s->ro)
		return -EROFS;
	if (f->open_fd < 0 || f->is_dir)
		return -EBADF;
	if (off > INT64_MAX)
		return -EINVAL;
	do
		n = pwrite(f->open_fd, data, count, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	put32(r->out, (uint32_t)n);
	return 0;
}

static int do_clunk(struct p9_req *r)
{
	uint32_t fid = get32(r->in);

	if (r->in->bad)
		return -EINVAL;
	return fid_remove(r->s, fid);
}

/* Whether (parent, name) of @f still names its node. */
static int fid_entry(struct p9_fid *f)
{
	struct stat a, b;

	if (!f->parent || !f->name)
		return -EINVAL;		/* the root, or reached by ".." */
	if (fstatat(f->parent->fd, f->name, &a, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (fstat(f->node->fd, &b) < 0)
		return -errno;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return -ENOENT;
	return 0;
}

static int do_remove(struct p9_req *r)
{
	uint32_t fid = get32(r->in);
	struct p9_fid *f;
	int err;
	struct stat st;
	int ret;

	err = req_fid(r, fid, &f);
	if (err)
		return err;
	if (r->s->ro)
		ret = -EROFS;
	else
		ret = fid_entry(f);
	if (!ret)
		ret = node_stat(f->node, &st);
	if (!ret && unlinkat(f->parent->fd, f->name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0)
		ret = -errno;
	fid_remove(r->s, fid);		/* clunked whatever happened (remove(5)) */
	return ret;
}

/* Linux's new_encode_dev(), which the client decodes */
static uint64_t encode_dev(dev_t dev)
{
	uint64_t ma = major(dev), mi = minor(dev);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffULL) << 12);
}

static int do_getattr(struct p9_req *r)
{
	uint32_t fid = get32(r->in);
	struct p9_fid *f;
	int err;
	struct stat st;
	int ret;

	get64(r->in);			/* request_mask: the basic set always */
	err = req_fid(r, fid, &f);
	if (err)
		return err;
	ret = node_stat(f->node, &st);
	if (ret)
		return ret;
	put64(r->out, P9_STATS_BASIC);
	put_qid(r->out, r->s, &st);
	put32(r->out, st.st_mode);
	put32(r->out, st.st_uid);
	put32(r->out, st.st_gid);
	put64(r->out, st.st_nlink);
	put64(r->out, encode_dev(st.st_rdev));
	put64(r->out, (uint64_t)st.st_size);
	put64(r->out, (uint64_t)st.st_blksize);
	put64(r->out, (uint64_t)st.st_blocks);
	put64(r->out, (uint64_t)st.st_atim.tv_sec);
	put64(r->out, (uint64_t)st.st_atim.tv_nsec);
	put64(r->out, (uint64_t)st.st_mtim.tv_sec);
	put64(r->out, (uint64_t)st.st_mtim.tv_nsec);
	put64(r->out, (uint64_t)st.st_ctim.tv_sec);
	put64(r->out, (uint64_t)st.st_ctim.tv_nsec);
	put64(r->out, 0);		/* btime, gen, data_version: not in BASIC */
	put64(r->out, 0);
	put64(r->out, 0);
	put64(r->out, 0);
	return 0;
}

static int do_setattr(struct p9_req *r)
{
	uint32_t fid = get32(r->in), valid = get32(r->in), mode = get32(r->in);
	uint32_t uid = get32(r->in), gid = get32(r->in);
	uint64_t size = get64(r->in);
	struct timespec ts[2];
	struct p9_fid *f;
	int err;
	char path[64];
	struct stat st;
	int ret;

	ts[0].tv_sec = (time_t)get64(r->in);
	ts[0].tv_nsec = (long)get64(r->in);
	ts[1].tv_sec = (time_t)get64(r->in);
	ts[1].tv_nsec = (long)get64(r->in);
	err = req_fid(r, fid, &f);
	if (err)
		return err;
	if (r->s->ro)
		return -EROFS;
	ret = node_stat(f->node, &st);
	if (ret)
		return ret;
	proc_path(f->node->fd, path, sizeof(path));
	if (S_ISLNK(st.st_mode) && (valid & (P9_ATTR_MODE | P9_ATTR_SIZE)))
		return -EOPNOTSUPP;	/* nothing to chmod or truncate through a link */
	if ((valid & P9_ATTR_MODE) && chmod(path, mode & 07777) < 0)
		return -errno;
	if ((valid & (P9_ATTR_UID | P9_ATTR_GID)) &&
	    fchownat(f->node->fd, "", (valid & P9_ATTR_UID) ? uid : (uid_t)-1,
		     (valid & P9_ATTR_GID) ? gid : (gid_t)-1, AT_EMPTY_PATH) < 0)
		return -errno;
	if (valid & P9_ATTR_SIZE) {
		if (size > INT64_MAX)
			return -EFBIG;
		if (!S_ISREG(st.st_mode))
			return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		if (truncate(path, (off_t)size) < 0)
			return -errno;
	}
	if ((valid & (P9_ATTR_ATIME | P9_ATTR_MTIME)) && !S_ISLNK(st.st_mode)) {
		if (!(valid & P9_ATTR_ATIME))
			ts[0].tv_nsec = UTIME_OMIT;
		else if (!(valid & P9_ATTR_ATIME_SET))
			ts[0].tv_nsec = UTIME_NOW;
		if (!(valid & P9_ATTR_MTIME))
			ts[1].tv_nsec = UTIME_OMIT;
		else if (!(valid & P9_ATTR_MTIME_SET))
			ts[1].tv_nsec = UTIME_NOW;
		if (utimensat(AT_FDCWD, path, ts, 0) < 0)
			return -errno;
	}
	return 0;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int do_readdir(struct p9_req *r)
{
	uint32_t fid = get32(r->in), count;
	uint64_t off = get64(r->in);
	size_t avail, pos, start, got = 0, entry;
	struct p9_fid *f;
	int err;
	uint8_t *buf;
	long n;

	count = get32(r->in);
	err = req_fid(r, fid, &f);
	if (err)
		return err;
	if (f->open_fd < 0 || !f->is_dir)
		return -ENOTDIR;
	if (off > INT64_MAX)
		return -EINVAL;
	avail = r->out->max - RREAD_HDR;
	if (count > avail)
		count = (uint32_t)avail;
	/* offsets are getdents64's d_off cookies, which lseek takes back */
	if (lseek(f->open_fd, (off_t)off, SEEK_SET) < 0)
		return -errno;
	buf = malloc(count + 512);
	if (!buf)
		return -ENOMEM;
	n = syscall(SYS_getdents64, f->open_fd, buf, count + 512);
	if (n < 0) {
		n = -errno;
		free(buf);
		return (int)n;
	}
	put32(r->out, 0);
	start = r->out->off;
	for (pos = 0; pos < (size_t)n; pos += ((struct linux_dirent64 *)(buf + pos))->d_reclen) {
		struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + pos);
		size_t len = strlen(d->d_name);

		entry = 13 + 8 + 1 + 2 + len;
		if (got + entry > count)
			break;
		put8(r->out, d->d_type == DT_DIR ? P9_QTDIR : d->d_type == DT_LNK ?
		     P9_QTSYMLINK : P9_QTFILE);
		put32(r->out, 0);
		put64(r->out, d->d_ino);
		put64(r->out, (uint64_t)d->d_off);
		put8(r->out, d->d_type);
		put_str(r->out, d->d_name, len);
		got += entry;
	}
	free(buf);
	if (!got && n > 0)
		return -EINVAL;		/* @count holds not even one entry */
	memcpy(r->out->p + P9_HDR, &(uint32_t){ htole32((uint32_t)got) }, 4);
	r->out->off = start + got;
	return 0;
}

static int do_statfs(struct p9_req *r)
{
	uint32_t fid = get32(r->in);
	struct p9_fid *f;
	int err;
	struct statfs sf;
	uint64_t fsid;

	err = req_fid(r, fid, &f);
	if (err)
		return err;
	if (fstatfs(f->node->fd, &sf) < 0)
		return -errno;
	memcpy(&fsid, &sf.f_fsid, sizeof(fsid));
	put32(r->out, (uint32_t)sf.f_type);
	put32(r->out, (uint32_t)sf.f_bsize);
	put64(r->out, sf.f_blocks);
	put64(r->out, sf.f_bfree);
	put64(r->out, sf.f_bavail);
	put64(r->out, sf.f_files);
	put64(r->out, sf.f_ffree);
	put64(r->out, fsid);
	put32(r->out, (uint32_t)sf.f_namelen);
	return 0;
}

/* The directory fid and the new entry's name of a creating request. */
static int create_args(struct p9_req *r, uint32_t dfid, const char *name, int name_ret,
		       struct p9_fid **d)
{
	int ret;

	if (r->in->bad)
		return -EINVAL;
	if (name_ret)
		return name_ret;
	ret = dir_fid(r->s, dfid, d);
	if (ret)
		return ret;
	if (r->s->ro)
		return -EROFS;
	return check_name(name);
}

static int do_mkdir(struct p9_req *r)
{
	uint32_t dfid = get32(r->in), mode;
	char name[NAME_MAX_9P + 1];
	int nret = get_str(r->in, name, sizeof(name)), ret;
	struct p9_fid *d;

	mode = get32(r->in);
	get32(r->in);			/* gid */
	ret = create_args(r, dfid, name, nret, &d);
	if (ret)
		return ret;
	if (mkdirat(d->node->fd, name, mode & 07777) < 0)
		return -errno;
	return put_child_qid(r->s, r->out, d->node->fd, name);
}

static int do_symlink(struct p9_req *r)
{
	uint32_t dfid = get32(r->in);
	char name[NAME_MAX_9P + 1], target[PATH_MAX];
	int nret = get_str(r->in, name, sizeof(name)), tret, ret;
	struct p9_fid *d;

	tret = get_str(r->in, target, sizeof(target));
	get32(r->in);			/* gid */
	ret = create_args(r, dfid, name, nret ? nret : tret, &d);
	if (ret)
		return ret;
	/* the target is the client's to resolve, in its namespace: never followed here */
	if (symlinkat(target, d->node->fd, name) < 0)
		return -errno;
	return put_child_qid(r->s, r->out, d->node->fd, name);
}

static int do_mknod(struct p9_req *r)
{
	uint32_t dfid = get32(r->in), mode, ma, mi;
	char name[NAME_MAX_9P + 1];
	int nret = get_str(r->in, name, sizeof(name)), ret;
	struct p9_fid *d;

	mode = get32(r->in);
	ma = get32(r->in);
	mi = get32(r->in);
	get32(r->in);			/* gid */
	ret = create_args(r, dfid, name, nret, &d);
	if (ret)
		return ret;
	/* no device nodes on the host for a guest */
	if (!S_ISFIFO(mode) && !S_ISSOCK(mode) && !S_ISREG(mode))
		return -EPERM;
	if (mknodat(d->node->fd, name, mode & (S_IFMT | 07777), makedev(ma, mi)) < 0)
		return -errno;
	return put_child_qid(r->s, r->out, d->node->fd, name);
}

static int do_readlink(struct p9_req *r)
{
	uint32_t fid = get32(r->in);
	char target[PATH_MAX];
	struct p9_fid *f;
	int err;
	ssize_t n;

	err = req_fid(r, fid, &f);
	if (err)
		return err;
	n = readlinkat(f->node->fd, "", target, sizeof(target));
	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(target))
		return -ENAMETOOLONG;
	put_str(r->out, target, (size_t)n);
	return 0;
}

static int do_link(struct p9_req *r)
{
	uint32_t dfid = get32(r->in), fid = get32(r->in);
	char name[NAME_MAX_9P + 1], path[64];
	int nret = get_str(r->in, name, sizeof(name)), ret;
	struct p9_fid *d, *f;
	struct stat st;

	ret = create_args(r, dfid, name, nret, &d);
	if (ret)
		return ret;
	f = fid_find(r->s, fid);
	if (!f)
		return -EBADF;
	ret = node_stat(f->node, &st);
	if (ret)
		return ret;
	if (S_ISDIR(st.st_mode))
		return -EPERM;
	/* the inode walked to, through its descriptor (AT_EMPTY_PATH wants a capability) */
	proc_path(f->node->fd, path, sizeof(path));
	if (linkat(AT_FDCWD, path, d->node->fd, name, AT_SYMLINK_FOLLOW) < 0)
		return -errno;
	return 0;
}

static int do_rename(struct p9_req *r)
{
	uint32_t fid = get32(r->in), dfid = get32(r->in);
	char name[NAME_MAX_9P + 1];
	int nret = get_str(r->in, name, sizeof(name)), ret;
	struct p9_fid *d, *f;

	ret = create_args(r, dfid, name, nret, &d);
	if (ret)
		return ret;
	f = fid_find(r->s, fid);
	if (!f)
		return -EBADF;
	ret = fid_entry(f);
	if (ret)
		return ret;
	if (renameat(f->parent->fd, f->name, d->node->fd, name) < 0)
		return -errno;
	/* the fid follows its file */
	node_put(f->parent);
	f->parent = node_get(d->node);
	free(f->name);
	f->name = strdup(name);
	return 0;
}

static int do_renameat(struct p9_req *r)
{
	uint32_t ofid = get32(r->in), nfid;
	char oname[NAME_MAX_9P + 1], nname[NAME_MAX_9P + 1];
	int oret = get_str(r->in, oname, sizeof(oname)), ret;
	struct p9_fid *od, *nd;

	nfid = get32(r->in);
	ret = create_args(r, nfid, nname, get_str(r->in, nname, sizeof(nname)), &nd);
	if (oret)
		return oret;
	if (ret)
		return ret;
	ret = dir_fid(r->s, ofid, &od);
	if (ret)
		return ret;
	ret = check_name(oname);
	if (ret)
		return ret;
	if (renameat(od->node->fd, oname, nd->node->fd, nname) < 0)
		return -errno;
	return 0;
}

static int do_unlinkat(struct p9_req *r)
{
	uint32_t dfid = get32(r->in), flags;
	char name[NAME_MAX_9P + 1];
	int nret = get_str(r->in, name, sizeof(name)), ret;
	struct p9_fid *d;

	flags = get32(r->in);
	ret = create_args(r, dfid, name, nret, &d);
	if (ret)
		return ret;
	if (flags & ~(uint32_t)P9_AT_REMOVEDIR)
		return -EINVAL;
	if (unlinkat(d->node->fd, name, (flags & P9_AT_REMOVEDIR) ? AT_REMOVEDIR : 0) < 0)
		return -errno;
	return 0;
}

static int do_fsync(struct p9_req *r)
{
	uint32_t fid = get32(r->in), datasync = get32(r->in);
	struct p9_fid *f;
	int err;

	err = req_fid(r, fid, &f);
	if (err)
		return err;
	if (f->open_fd < 0)
		return -EBADF;
	if ((datasync ? fdatasync(f->open_fd) : fsync(f->open_fd)) < 0)
		return -errno;
	return 0;
}

/* No extended attributes: the client takes EOPNOTSUPP as "none" */
static int do_xattr(struct p9_req *r)
{
	uint32_t fid = get32(r->in);

	if (r->in->bad)
		return -EINVAL;
	return fid_find(r->s, fid) ? -EOPNOTSUPP : -EBADF;
}

/*
 * POSIX locks are the client's (its VFS keeps them for its processes);
 * the server grants every Tlock and reports no conflicting lock.
 */
static int do_lock(struct p9_req *r)
{
	uint32_t fid = get32(r->in);
	char client[256];

	get8(r->in);			/* type */
	get32(r->in);			/* flags */
	get64(r->in);			/* start */
	get64(r->in);			/* length */
	get32(r->in);			/* proc_id */
	if (get_str(r->in, client, sizeof(client)) || r->in->bad)
		return -EINVAL;
	if (!fid_find(r->s, fid))
		return -EBADF;
	put8(r->out, 0);		/* P9_LOCK_SUCCESS */
	return 0;
}

static int do_getlock(struct p9_req *r)
{
	uint32_t fid = get32(r->in), proc_id;
	uint64_t start, length;
	char client[256];

	get8(r->in);			/* type */
	start = get64(r->in);
	length = get64(r->in);
	proc_id = get32(r->in);
	if (get_str(r->in, client, sizeof(client)) || r->in->bad)
		return -EINVAL;
	if (!fid_find(r->s, fid))
		return -EBADF;
	put8(r->out, 2);		/* P9_LOCK_TYPE_UNLCK: no conflict */
	put64(r->out, start);
	put64(r->out, length);
	put32(r->out, proc_id);
	put_str(r->out, client, strlen(client));
	return 0;
}

/* Requests are answered in order, each before the next: nothing to flush */
static int do_flush(struct p9_req *r)
{
	get16(r->in);			/* oldtag */
	return r->in->bad ? -EINVAL : 0;
}

static int do_auth(struct p9_req *r)
{
	(void)r;
	return -EOPNOTSUPP;
}

/* ---- dispatch ------------------------------------------------------------- */

struct p9_op {
	int (*fn)(struct p9_req *r);
};

static const struct p9_op ops[256] = {
	[P9_TSTATFS]		= { do_statfs },
	[P9_TLOPEN]		= { do_lopen },
	[P9_TLCREATE]		= { do_lcreate },
	[P9_TSYMLINK]		= { do_symlink },
	[P9_TMKNOD]		= { do_mknod },
	[P9_TRENAME]		= { do_rename },
	[P9_TREADLINK]		= { do_readlink },
	[P9_TGETATTR]		= { do_getattr },
	[P9_TSETATTR]		= { do_setattr },
	[P9_TXATTRWALK]		= { do_xattr },
	[P9_TXATTRCREATE]	= { do_xattr },
	[P9_TREADDIR]		= { do_readdir },
	[P9_TFSYNC]		= { do_fsync },
	[P9_TLOCK]		= { do_lock },
	[P9_TGETLOCK]		= { do_getlock },
	[P9_TLINK]		= { do_link },
	[P9_TMKDIR]		= { do_mkdir },
	[P9_TRENAMEAT]		= { do_renameat },
	[P9_TUNLINKAT]		= { do_unlinkat },
	[P9_TVERSION]		= { do_version },
	[P9_TAUTH]		= { do_auth },
	[P9_TATTACH]		= { do_attach },
	[P9_TFLUSH]		= { do_flush },
	[P9_TWALK]		= { do_walk },
	[P9_TREAD]		= { do_read },
	[P9_TWRITE]		= { do_write },
	[P9_TCLUNK]		= { do_clunk },
	[P9_TREMOVE]		= { do_remove },
};

static void put_header(struct p9_out *out, uint32_t size, uint8_t type, uint16_t tag)
{
	out->off = 0;
	out->full = false;
	put32(out, size);
	put8(out, type);
	put16(out, tag);
}

size_t p9_server_handle(struct p9_server *s, const uint8_t *req, size_t len, uint8_t *rsp,
			size_t max)
{
	struct p9_in in = { .p = req, .len = len };
	struct p9_out out = { .p = rsp };
	struct p9_req r = { .s = s, .in = &in, .out = &out };
	uint16_t tag = P9_NOTAG;
	uint32_t size;
	uint8_t type = 0;
	int ret = -EINVAL;

	/* a reply fits the negotiated msize (Tversion's own: what we offer) */
	out.max = max < P9_MSIZE_MAX ? max : P9_MSIZE_MAX;
	if (len >= P9_HDR)
		memcpy(&type, req + 4, 1);
	if (type != P9_TVERSION && out.max > s->msize)
		out.max = s->msize;
	if (out.max < RLERROR_LEN)
		return 0;
	size = get32(&in);
	type = get8(&in);
	tag = get16(&in);
	if (in.bad)
		tag = P9_NOTAG;		/* not even a header */
	if (in.bad || size < P9_HDR || size > len)
		goto error;
	in.len = size;			/* what follows the message is not its */
	if ((type & 1) || !ops[type].fn) {
		ret = -EOPNOTSUPP;
		goto error;
	}
	put_header(&out, 0, (uint8_t)(type + 1), tag);
	ret = ops[type].fn(&r);
	if (ret)
		goto error;
	if (out.full) {
		ret = -EMSGSIZE;
		goto error;
	}
	size = htole32((uint32_t)out.off);
	memcpy(rsp, &size, 4);
	return out.off;
error:
	put_header(&out, RLERROR_LEN, P9_RLERROR, tag);
	put32(&out, (uint32_t)-ret);
	return RLERROR_LEN;
}
