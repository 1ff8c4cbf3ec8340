/* SPDX-License-Identifier: MIT */
/*
 * Error codes: functions that can fail return 0 or a negative code from this list.
 * The values are Linux's, so a host build that also sees libc's <errno.h> gets
 * identical definitions.
 */
#ifndef CSVSM_LIB_ERRNO_H
#define CSVSM_LIB_ERRNO_H

#ifndef EPERM
#define EPERM 1 /* not allowed (wrong VMPL, permission) */
#endif
#ifndef ENOENT
#define ENOENT 2 /* no such item */
#endif
#ifndef EIO
#define EIO 5 /* the hypervisor reported an error */
#endif
#ifndef E2BIG
#define E2BIG 7 /* larger than the buffer or limit */
#endif
#ifndef EAGAIN
#define EAGAIN 11 /* try again (partial progress) */
#endif
#ifndef ENOMEM
#define ENOMEM 12 /* out of memory */
#endif
#ifndef EFAULT
#define EFAULT 14 /* bad address */
#endif
#ifndef EBUSY
#define EBUSY 16 /* in use */
#endif
#ifndef EEXIST
#define EEXIST 17 /* already present or mapped */
#endif
#ifndef ENODEV
#define ENODEV 19 /* device absent */
#endif
#ifndef EINVAL
#define EINVAL 22 /* invalid argument */
#endif
#ifndef ETXTBSY
#define ETXTBSY 26 /* in use by a running vCPU (a VMSA a call is being served from) */
#endif
#ifndef ENOSPC
#define ENOSPC 28 /* no room left */
#endif
#ifndef ERANGE
#define ERANGE 34 /* out of range */
#endif
#ifndef EPROTO
#define EPROTO 71 /* protocol violation by the other side (malformed response) */
#endif
#ifndef EOVERFLOW
#define EOVERFLOW 75 /* arithmetic overflow in an address or size */
#endif
#ifndef ENOTSUP
#define ENOTSUP 95 /* not supported */
#endif
#ifndef EALREADY
#define EALREADY 114 /* already in the requested state (PVALIDATE with CF = 1) */
#endif

#endif
