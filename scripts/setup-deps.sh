#!/bin/sh
# Install every Debian package the build, the tests and the benchmarks need, then fetch the
# Debian 13 files the tests use (scripts/fetch-debian.sh; README "Debian packages fetched
# for tests"). Idempotent: when everything is present it only checks and returns.
#
# Usage: scripts/setup-deps.sh [NAME...]   NAME: rows of scripts/debian-pins.txt to fetch
#                                          (default: ovmf kernel; the kernel is a 108 MB .deb
#                                          the linux.* cases boot)
set -eu

FETCH=${*:-ovmf kernel}

PKGS="make gcc binutils libc6-dev clang libclang-rt-14-dev llvm libcmocka-dev \
qemu-system-x86 ovmf nasm gnu-efi mtools python3 clang-format \
python3-cryptography openssl"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup-deps: installing:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# BearSSL's source (scripts/fetch-bearssl.sh; 0.5 MB once, then a hash check). The build
# fetches it too when it is missing; here it is fatal, as nothing links without it.
"$(dirname "$0")/fetch-bearssl.sh" >/dev/null

# Debian 13 files (ovmf: about 5 s for the index and 6 MB the first time, the kernel 108 MB;
# then a hash check of the cached file). Not fatal here: without one only the tests that use it fail, each
# saying why.
for n in $FETCH; do
	"$(dirname "$0")/fetch-debian.sh" "$n" >/dev/null ||
		echo "setup-deps: warning: no Debian 13 '$n'; the tests that use it will fail"
done
