#!/bin/sh
# Fetch the BearSSL source the build compiles (README "Crypto: BearSSL"): Debian 13's source
# package bearssl, its upstream tarball only, through apt, checked against a pinned sha256.
#
# Usage: scripts/fetch-bearssl.sh [--offline]   print the directory of the unpacked source
#        scripts/fetch-bearssl.sh --dir         print that directory without fetching
#
# Environment: BEARSSL_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/csvsm/bearssl),
# DEBIAN_MIRROR (as scripts/fetch-debian.sh).
#
# How: a private apt configuration with one "deb-src ... trixie main" line (the system's
# Debian mirror, the system's archive keyring), `apt-get update` for the signed Sources index,
# `apt-get source --print-uris` for the tarball's URI and hash, and apt's own downloader
# (apt-helper, which checks that hash). The pin below must then match too. Only the upstream
# tarball is used: csvsm compiles a subset of BearSSL's C files with its own flags, so the
# Debian packaging is not needed. Unpacked once; a cached tarball with the pinned hash is used
# without the network.
set -eu

VERSION=0.6+dfsg.1-4
TARBALL=bearssl_0.6+dfsg.1.orig.tar.xz
SHA256=102a625bd8f6155260867a50c508df8d8c3f796985dd744df1a68e5cd1a79004
TOPDIR=bearssl-0.6

SUITE=trixie
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
CACHE=${BEARSSL_CACHE:-${XDG_CACHE_HOME:-${HOME:?}/.cache}/csvsm/bearssl}
DEST=$CACHE/$VERSION

die() {
	echo "fetch-bearssl: $*" >&2
	exit 1
}

offline=0
case ${1:-} in
--dir)
	echo "$DEST/$TOPDIR"
	exit 0
	;;
--offline) offline=1 ;;
"") ;;
*) die "usage: $0 [--offline | --dir]" ;;
esac

sha256() {
	sha256sum "$1" | cut -d' ' -f1
}

# As scripts/fetch-debian.sh: the archive the system's own apt sources name for its codename.
system_mirror() {
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release; set DEBIAN_MIRROR"
	# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
	apt-get indextargets --format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' |
		awk -v s="$codename" '$1 == "deb" && $3 == s && $4 == "main" { print $2; exit }'
}

download() {
	mirror=${DEBIAN_MIRROR:-$(system_mirror)}
	[ -n "$mirror" ] || die "no Debian archive found in the system's apt sources; set DEBIAN_MIRROR"
	A=$CACHE/apt
	mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/etc/parts" \
		"$A/etc/sources.list.d" "$A/etc/trusted.gpg.d" "$A/etc/preferences.d"
	: >"$A/status"
	echo "deb-src [signed-by=$KEYRING] $mirror $SUITE main" >"$A/etc/sources.list"
	{
		for d in main:/dev/null parts:etc/parts sourcelist:etc/sources.list \
			sourceparts:etc/sources.list.d trusted:etc/trusted.gpg \
			trustedparts:etc/trusted.gpg.d preferences:etc/preferences \
			preferencesparts:etc/preferences.d; do
			p=${d#*:}
			[ "$p" = /dev/null ] || p=$A/$p
			echo "Dir::Etc::${d%%:*} \"$p\";"
		done
		echo "Dir::State \"$A\"; Dir::State::lists \"$A/lists\"; Dir::State::status \"$A/status\";"
		echo "Dir::Cache \"$A/cache\"; Dir::Cache::pkgcache \"\"; Dir::Cache::srcpkgcache \"\";"
		echo "Acquire::Languages \"none\"; Acquire::GzipIndexes \"true\"; Acquire::Retries \"3\";"
		echo "Acquire::CompressionTypes::Order { \"gz\"; };"
		[ "$(id -u)" -ne 0 ] || echo "APT::Sandbox::User \"root\";"
		[ -z "${DEBIAN_MIRROR:-}" ] || echo "Acquire::Check-Valid-Until \"false\";"
	} >"$A/apt.conf"
	export APT_CONFIG="$A/apt.conf"
	echo "fetch-bearssl: apt-get update ($SUITE main Sources from $mirror)" >&2
	apt-get -q --error-on=any update >"$A/update.log" 2>&1 || {
		cat "$A/update.log" >&2
		die "apt-get update failed"
	}
	# "'URI' NAME SIZE SHA256:HASH" per file of the source package
	line=$(apt-get -q source --print-uris "bearssl=$VERSION" 2>/dev/null |
		awk -v t="$TARBALL" '$2 == t { print; exit }')
	[ -n "$line" ] || die "$SUITE no longer serves bearssl $VERSION; update the pin in $0"
	uri=$(echo "$line" | cut -d"'" -f2)
	hash=$(echo "$line" | awk '{ print $4 }')
	[ "$hash" = "SHA256:$SHA256" ] || die "the signed index says $hash for $TARBALL, the pin says $SHA256"
	/usr/lib/apt/apt-helper download-file "$uri" "$CACHE/$TARBALL.tmp" "$hash" >&2 ||
		die "downloading $uri failed"
	mv "$CACHE/$TARBALL.tmp" "$CACHE/$TARBALL"
}

mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9

if [ -f "$DEST/.verified" ]; then
	echo "$DEST/$TOPDIR"
	exit 0
fi
if [ ! -f "$CACHE/$TARBALL" ] || [ "$(sha256 "$CACHE/$TARBALL")" != "$SHA256" ]; then
	[ "$offline" = 0 ] || die "$TARBALL is not in $CACHE and --offline was given"
	download
fi
got=$(sha256 "$CACHE/$TARBALL")
[ "$got" = "$SHA256" ] || die "$TARBALL has sha256 $got, the pin says $SHA256"
rm -rf "$DEST.tmp"
mkdir -p "$DEST.tmp"
tar -xJf "$CACHE/$TARBALL" -C "$DEST.tmp"
[ -f "$DEST.tmp/$TOPDIR/inc/bearssl.h" ] || die "$TARBALL has no $TOPDIR/inc/bearssl.h"
touch "$DEST.tmp/.verified"
rm -rf "$DEST"
mv "$DEST.tmp" "$DEST"
echo "$DEST/$TOPDIR"
