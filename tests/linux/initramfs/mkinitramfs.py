#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the initramfs of the linux.* cases: an uncompressed cpio archive in the "newc" format
the kernel unpacks (Linux Documentation/driver-api/early-userspace/buffer-format.rst), with
/init (the static program tests/linux/initramfs/init.c), /dev/console (character device 5:1,
so that the kernel can give init a console before devtmpfs is mounted) and the mount points.

    mkinitramfs.py OUT INIT
    mkinitramfs.py --files OUT DIR FILE...

The second form writes an archive of FILE... under DIR (by their base names, mode 0644) with
DIR's directories, to be appended to the first: the kernel unpacks concatenated archives one
after the other into the same root (the linux.attest case adds Debian's kernel modules so).

Every entry has owner 0, mtime 0 and a fixed inode number, so the same input gives the same
archive byte for byte.
"""
import os
import sys


def entry(ino, mode, name, data=b'', rdev=(0, 0)):
    name_b = name.encode() + b'\0'
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
    hdr = b'070701' + b''.join(b'%08X' % f for f in fields)
    out = hdr + name_b
    out += b'\0' * (-len(out) % 4)
    out += data
    out += b'\0' * (-len(out) % 4)
    return out


def finish(arc, ino, path):
    arc += entry(ino, 0, 'TRAILER!!!')
    arc += b'\0' * (-len(arc) % 512)
    with open(path, 'wb') as f:
        f.write(arc)


def files(out, top, paths):
    # inode numbers after the first archive's: links are only matched for nlink > 1, but a
    # reader listing both archives sees no clash
    ino = 100
    arc = b''
    parts = top.strip('/').split('/')
    for i in range(len(parts)):
        arc += entry(ino, 0o040755, '/'.join(parts[:i + 1]))
        ino += 1
    for p in paths:
        arc += entry(ino, 0o100644, top.strip('/') + '/' + os.path.basename(p),
                     open(p, 'rb').read())
        ino += 1
    finish(arc, ino, out)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == '--files':
        files(sys.argv[2], sys.argv[3], sys.argv[4:])
        return
    if len(sys.argv) != 3:
        sys.exit('usage: mkinitramfs.py OUT INIT | --files OUT DIR FILE...')
    init = open(sys.argv[2], 'rb').read()
    arc = b''
    arc += entry(1, 0o040755, 'dev')
    arc += entry(2, 0o020600, 'dev/console', rdev=(5, 1))
    arc += entry(3, 0o040555, 'proc')
    arc += entry(4, 0o040555, 'sys')
    arc += entry(5, 0o100755, 'init', init)
    finish(arc, 6, sys.argv[1])


main()
