#!/bin/sh
# Install every Debian package the build, the tests and the benchmarks need.
# Idempotent: when everything is present it only checks and returns.
set -eu

PKGS="make gcc binutils libc6-dev clang libclang-rt-14-dev llvm libcmocka-dev \
qemu-system-x86 ovmf nasm gnu-efi python3 clang-format"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
