/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 9P2000.L file server for one host directory, apart from any transport:
 * it takes one request message and makes its reply, so that tests can feed
 * it raw messages.  devices/virtio-9p.c puts it on virtio.
 *
 * Confinement: every fid holds an O_PATH descriptor reached from the root
 * by single-component openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
 * steps that never follow a symlink; names are never joined into paths.
 * The guest resolves symlinks itself, in its own namespace.
 */
#ifndef VMM_P9_SERVER_H
#define VMM_P9_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the largest message either way (Rversion offers no more) */
#define P9_MSIZE_MAX		(256 * 1024)
#define P9_HDR			7		/* size[4] type[1] tag[2] */
#define P9_NOTAG		0xffff
#define P9_NOFID		0xffffffffu

/* message types (9P2000.L and the 9P2000 ones .L keeps) */
#define P9_RLERROR		7
#define P9_TSTATFS		8
#define P9_TLOPEN		12
#define P9_TLCREATE		14
#define P9_TSYMLINK		16
#define P9_TMKNOD		18
#define P9_TRENAME		20
#define P9_TREADLINK		22
#define P9_TGETATTR		24
#define P9_TSETATTR		26
#define P9_TXATTRWALK		30
#define P9_TXATTRCREATE		32
#define P9_TREADDIR		40
#define P9_TFSYNC		50
#define P9_TLOCK		52
#define P9_TGETLOCK		54
#define P9_TLINK		70
#define P9_TMKDIR		72
#define P9_TRENAMEAT		74
#define P9_TUNLINKAT		76
#define P9_TVERSION		100
#define P9_TAUTH		102
#define P9_TATTACH		104
#define P9_TFLUSH		108
#define P9_TWALK		110
#define P9_TREAD		116
#define P9_TWRITE		118
#define P9_TCLUNK		120
#define P9_TREMOVE		122

/* Tlopen/Tlcreate flags (Linux's generic O_* values, include/net/9p/9p.h) */
#define P9_DOTL_RDONLY		00000000
#define P9_DOTL_WRONLY		00000001
#define P9_DOTL_RDWR		00000002
#define P9_DOTL_NOACCESS	00000003
#define P9_DOTL_CREATE		00000100
#define P9_DOTL_EXCL		00000200
#define P9_DOTL_TRUNC		00001000
#define P9_DOTL_APPEND		00002000
#define P9_DOTL_DSYNC		00010000
#define P9_DOTL_DIRECTORY	00200000
#define P9_DOTL_SYNC		04000000

/* Tsetattr valid bits */
#define P9_ATTR_MODE		0x001
#define P9_ATTR_UID		0x002
#define P9_ATTR_GID		0x004
#define P9_ATTR_SIZE		0x008
#define P9_ATTR_ATIME		0x010
#define P9_ATTR_MTIME		0x020
#define P9_ATTR_CTIME		0x040
#define P9_ATTR_ATIME_SET	0x080
#define P9_ATTR_MTIME_SET	0x100

#define P9_STATS_BASIC		0x7ffULL
#define P9_AT_REMOVEDIR		0x200

#define P9_QTDIR		0x80
#define P9_QTSYMLINK		0x02
#define P9_QTFILE		0x00

struct p9_server;

/*
 * A server for the directory @root_fd (any descriptor of it; the server
 * dups it).  @ro: every modifying request gets EROFS.  NULL: no memory.
 */
struct p9_server *p9_server_new(int root_fd, bool ro);
void p9_server_free(struct p9_server *s);
/* Forget every fid (a device reset, a new Tversion). */
void p9_server_reset(struct p9_server *s);

/*
 * Serve the request @req (@len bytes, as received: any garbage) into @rsp
 * (at most @max bytes).  Returns the reply's length: an R-message, Rlerror
 * for anything wrong with the request; 0 only when @max < 11 leaves no room
 * for even an Rlerror.
 */
size_t p9_server_handle(struct p9_server *s, const uint8_t *req, size_t len, uint8_t *rsp,
			size_t max);

#endif
