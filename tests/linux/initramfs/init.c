// SPDX-License-Identifier: MIT
/*
 * /init of the initramfs the linux.* cases boot (tests/linux/README.md): a static program,
 * built with the host's gcc and glibc, that checks from inside Debian's Linux that it runs as
 * an SEV-SNP guest at VMPL1 under an SVSM, then reports through port 0xf4 and powers off.
 *
 * The kernel command line tells it what to expect: csvsm.cpus=N (vCPUs), csvsm.mem=MIB
 * (guest RAM), csvsm.unaccepted=MIB (the least unaccepted memory at its start, which its memory
 * test must have the kernel accept; 0 or absent: none expected). Each check prints
 * "csvsm-init: ok: ..." or "csvsm-init: FAIL: ..." into the kernel log (/dev/kmsg, so the
 * lines reach the serial console through printk's polled console, not through a tty that
 * would need the UART's interrupt); the last line is "csvsm-init: PASS" or "csvsm-init: FAIL
 * (n checks)". Then a 32-bit OUT to port 0xf4: 0x10 for pass, 0x11 for failure (snpemu's
 * result port, tools/snpemu/README.md), and power off.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/module.h>

#include <bearssl.h>

#define RESULT_PORT 0xf4
#define RESULT_PASS 0x10
#define RESULT_FAIL 0x11

static int kmsg = -1;
static int failures;
static char log_buf[1 << 20]; /* the kernel log, read once from /dev/kmsg */
static size_t log_len;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[512];
	int n;
	va_list ap;

	n = snprintf(line, sizeof(line), "<5>csvsm-init: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	/* one record per line: a record without its newline stays open for a continuation, and
	 * the console prints it only once the next record closes it */
	if (n >= (int)sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (kmsg < 0 || write(kmsg, line, (size_t)n) < 0) {
		fwrite(line + 3, 1, (size_t)n - 3, stderr);
	}
}

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	say("%s: %s", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return (int)n;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* csvsm.NAME=VALUE from the kernel command line, or @def. */
static long cmdline_long(const char *name, long def)
{
	static char cmdline[4096];
	char key[64];
	const char *p;

	if (!cmdline[0] && read_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		return def;
	snprintf(key, sizeof(key), "csvsm.%s=", name);
	for (p = cmdline; (p = strstr(p, key)); p++)
		if (p == cmdline || p[-1] == ' ')
			return strtol(p + strlen(key), NULL, 0);
	return def;
}

/* The kernel log so far: every record of /dev/kmsg, text only, one line each. */
static void read_log(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char rec[8192];

	log_len = 0;
	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *text;
		size_t len;

		if (n < 0 && errno == EPIPE)
			continue; /* overwritten records: go on with the next */
		if (n <= 0)
			break;
		rec[n] = 0;
		text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		len = strcspn(text, "\n");
		if (log_len + len + 2 > sizeof(log_buf))
			break;
		memcpy(log_buf + log_len, text, len);
		log_len += len;
		log_buf[log_len++] = '\n';
	}
	log_buf[log_len] = 0;
	close(fd);
}

/* The first kernel log line containing @s (printed), or NULL. */
static const char *log_find(const char *s)
{
	const char *p = strstr(log_buf, s), *b, *e;

	if (!p)
		return NULL;
	for (b = p; b > log_buf && b[-1] != '\n'; b--)
		;
	e = strchr(p, '\n');
	say("  log: %.*s", (int)(e ? e - b : (long)strlen(b)), b);
	return p;
}

/* ---- Attestation through configfs-tsm (csvsm.attest=NONCE) ----
 *
 * What a user of Debian's kernel does to get a report (Linux Documentation/ABI/testing/
 * configfs-tsm): load sev-guest and what it needs from the modules the case appends to the
 * initramfs (/lib/modules), mount configfs, and make one report directory per request. With
 * service_provider "svsm" the driver asks the SVSM (SVSM_ATTEST_SERVICES through its calling
 * area; SVSM spec #58019 §7 "Attestation Protocol"); without it, the PSP itself with the
 * kernel's own VMPCK1 (an extended guest request to the host; SNP ABI #56860 MSG_REPORT_REQ).
 * Each report is checked here as far as the guest can, and dumped as "blob NAME OFFSET HEX"
 * lines for the case to verify with scripts/snp-verify.
 */

#define NONCE_LEN 64
#define SNP_REPORT_LEN 1184 /* ATTESTATION_REPORT (SNP ABI #56860) */
#define REP_VERSION 0x000
#define REP_VMPL 0x030
#define REP_SIG_ALGO 0x034
#define REP_REPORT_DATA 0x050
#define REP_MEASUREMENT 0x090
#define REP_CHIP_ID 0x1a0
#define TSM_REPORTS "/sys/kernel/config/tsm/report"
#define BLOB_MAX (64 * 1024)

/* Load order: dependencies first (gcm needs crypto_null, ghash-generic gf128mul, tsm configfs,
 * sev-guest tsm). sev-guest's probe builds gcm(aes) for the VMPCK messages: Debian has gcm,
 * ghash and their helpers as modules, and without modprobe in this initramfs the kernel
 * cannot fetch them itself, so they come before it. */
static const char *const attest_modules[] = {
	"crypto_null", "gcm", "gf128mul", "ghash-generic", "configfs", "tsm", "sev-guest",
};

/* -- SHA-512 (BearSSL, as everywhere in this tree), for REPORT_DATA = SHA-512(nonce || manifest) -- */

/* SHA-512 of @a (@alen bytes) followed by @b (@blen bytes) into @out. */
static void sha512_2(const void *a, size_t alen, const void *b, size_t blen, unsigned char *out)
{
	br_sha512_context c;

	br_sha512_init(&c);
	br_sha512_update(&c, a, alen);
	br_sha512_update(&c, b, blen);
	br_sha512_out(&c, out);
}

/* -- helpers -- */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* csvsm.NAME=VALUE from the kernel command line into @buf, or -1. */
static int cmdline_str(const char *name, char *buf, size_t size)
{
	char cmdline[4096], key[64];
	const char *p;

	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		return -1;
	snprintf(key, sizeof(key), "csvsm.%s=", name);
	for (p = cmdline; (p = strstr(p, key)); p++) {
		if (p == cmdline || p[-1] == ' ') {
			size_t n = strcspn(p + strlen(key), " ");

			if (n >= size)
				return -1;
			memcpy(buf, p + strlen(key), n);
			buf[n] = 0;
			return 0;
		}
	}
	return -1;
}

/* Exactly 2 * @len hex digits of @s into @out: 0, or -1. */
static int unhex(const char *s, unsigned char *out, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	if (strlen(s) != 2 * len)
		return -1;
	for (size_t i = 0; i < 2 * len; i++) {
		const char *d = strchr(digits, tolower((unsigned char)s[i]));

		if (!isxdigit((unsigned char)s[i]) || !d)
			return -1;
		out[i / 2] = (unsigned char)(i % 2 ? out[i / 2] << 4 | (d - digits) : d - digits);
	}
	return 0;
}

/* "blob NAME OFFSET HEX" lines, 64 bytes each: the case reassembles them. */
static void dump(const char *name, const unsigned char *p, ssize_t len)
{
	for (ssize_t off = 0; off < len; off += 64) {
		char hex[129];
		ssize_t n = len - off < 64 ? len - off : 64;

		for (ssize_t i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", p[off + i]);
		say("blob %s 0x%04zx %s", name, (size_t)off, hex);
	}
}

/* A whole binary configfs attribute, or -errno (the driver's answer, for a report). */
static ssize_t read_blob(const char *dir, const char *attr, unsigned char *buf, size_t size)
{
	char path[256];
	size_t got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + got, size - got);

		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0 || (got += (size_t)n) == size)
			break;
	}
	close(fd);
	return (ssize_t)got;
}

static int write_blob(const char *dir, const char *attr, const void *p, size_t len)
{
	char path[256];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = write(fd, p, len) == (ssize_t)len ? 0 : -errno;
	close(fd);
	return rc;
}

/* Load /lib/modules/NAME.ko.xz (the kernel decompresses it) with @params: 0 or -errno. */
static int load_module(const char *name, const char *params)
{
	char path[128];
	int fd, rc;

	snprintf(path, sizeof(path), "/lib/modules/%s.ko.xz", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = (int)syscall(SYS_finit_module, fd, params, MODULE_INIT_COMPRESSED_FILE);
	rc = rc ? -errno : 0;
	close(fd);
	return rc;
}

/* -- the reports -- */

struct tsm_result {
	unsigned char out[BLOB_MAX], manifest[BLOB_MAX], aux[BLOB_MAX];
	ssize_t out_len, manifest_len, aux_len;
};

/* One report through configfs-tsm directory @dir_name (made if new; @name labels the lines):
 * service provider @sp (NULL: the PSP directly, at @privlevel), inblob @nonce. 0, or -1 after
 * a FAIL line. */
static int tsm_report(const char *dir_name, const char *name, const char *sp, int privlevel,
		      const unsigned char *nonce, struct tsm_result *r)
{
	char dir[128], provider[64] = "?", floor[16] = "?", path[192];
	int rc;

	snprintf(dir, sizeof(dir), TSM_REPORTS "/%s", dir_name);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		check(0, "mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/provider", dir);
	read_file(path, provider, sizeof(provider));
	snprintf(path, sizeof(path), "%s/privlevel_floor", dir);
	read_file(path, floor, sizeof(floor));
	/* the kernel at VMPL1 uses VMPCK1: a report below VMPL1 is not its to ask for */
	check(!strcmp(provider, "sev_guest") && !strcmp(floor, "1"),
	      "%s: provider %s, privlevel_floor %s", name, provider, floor);
	rc = sp ? write_blob(dir, "service_provider", sp, strlen(sp)) : 0;
	if (!rc && !sp) {
		char lvl[8];

		snprintf(lvl, sizeof(lvl), "%d", privlevel);
		rc = write_blob(dir, "privlevel", lvl, strlen(lvl));
	}
	if (!rc)
		rc = write_blob(dir, "inblob", nonce, NONCE_LEN);
	if (rc) {
		check(0, "%s: writing the request: %s", name, strerror(-rc));
		return -1;
	}
	/* the first read makes the report; the others read what it brought */
	r->out_len = read_blob(dir, "outblob", r->out, sizeof(r->out));
	if (r->out_len < 0) {
		check(0, "%s: outblob: %s (the driver's answer; see the kernel log)", name,
		      strerror((int)-r->out_len));
		return -1;
	}
	r->manifest_len = sp ? read_blob(dir, "manifestblob", r->manifest, sizeof(r->manifest)) : 0;
	r->aux_len = read_blob(dir, "auxblob", r->aux, sizeof(r->aux));
	say("%s: outblob %zd bytes, manifestblob %zd, auxblob %zd", name, r->out_len,
	    r->manifest_len, r->aux_len);
	return 0;
}

/* The report's own fields: size, VERSION, SIGNATURE_ALGO, VMPL, REPORT_DATA. */
static void check_report(const char *name, const struct tsm_result *r, uint32_t vmpl,
			 const unsigned char *report_data)
{
	const unsigned char *rep = r->out;

	if (r->out_len != SNP_REPORT_LEN) {
		check(0, "%s: a report of %zd bytes, not %d", name, r->out_len, SNP_REPORT_LEN);
		return;
	}
	check(le32(rep + REP_VERSION) >= 2 && le32(rep + REP_SIG_ALGO) == 1,
	      "%s: ATTESTATION_REPORT version %u, signed with ECDSA P-384 (%u)", name,
	      le32(rep + REP_VERSION), le32(rep + REP_SIG_ALGO));
	check(le32(rep + REP_VMPL) == vmpl, "%s: VMPL %u (want %u)", name, le32(rep + REP_VMPL),
	      vmpl);
	check(!memcmp(rep + REP_REPORT_DATA, report_data, 64), "%s: REPORT_DATA as expected", name);
}

/* The services manifest (SVSM spec #58019 §7): a GUID table with the services manifest GUID
 * 63849ebb-3d92-4670-a1ff-58f9c94b87bb, its total length and entry count, 24-byte entries. */
static void check_manifest(const char *name, const struct tsm_result *r)
{
	static const unsigned char guid[16] = { 0xbb, 0x9e, 0x84, 0x63, 0x92, 0x3d, 0x70, 0x46,
						0xa1, 0xff, 0x58, 0xf9, 0xc9, 0x4b, 0x87, 0xbb };
	const unsigned char *m = r->manifest;

	if (r->manifest_len < 24) {
		check(0, "%s: a manifest of %zd bytes", name, r->manifest_len);
		return;
	}
	check(!memcmp(m, guid, 16) && le32(m + 16) == r->manifest_len &&
		      24 + 24 * (uint64_t)le32(m + 20) <= (uint64_t)r->manifest_len,
	      "%s: services manifest: %zd bytes, %u services", name, r->manifest_len, le32(m + 20));
}

/* The host's certificate table (GHCB spec #56421 §4.1.8.1): entries (GUID, offset, length)
 * up to an all-zero one; the VCEK's among them, every certificate after the table and inside
 * the blob. */
static void check_certs(const char *name, const struct tsm_result *r)
{
	static const unsigned char vcek[16] = { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
						0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd };
	static const unsigned char zero[24];
	int entries = 0, have_vcek = 0, inside = 1;
	ssize_t end = 0;

	while (end + 24 <= r->aux_len && memcmp(r->aux + end, zero, 24))
		end += 24;
	for (ssize_t e = 0; e < end; e += 24) {
		uint64_t o = le32(r->aux + e + 16), l = le32(r->aux + e + 20);

		entries++;
		have_vcek |= !memcmp(r->aux + e, vcek, 16);
		inside &= o >= (uint64_t)end + 24 && o + l <= (uint64_t)r->aux_len;
	}
	check(end + 24 <= r->aux_len && have_vcek && inside,
	      "%s: certificate table: %d certificates in %zd bytes, the VCEK's among them", name,
	      entries, r->aux_len);
}

/* A report from the PSP with privlevel left at 0: VMPCK1 may not ask for VMPL0. The PSP answers
 * with STATUS INVALID_PARAM in a valid response (SNP ABI #56860 MSG_REPORT_REQ: VMPL at least
 * the key's), the driver with EINVAL, and VMPCK1 stays usable (the next report uses it). */
static void check_plain_vmpl0(const unsigned char *nonce)
{
	static unsigned char out[BLOB_MAX];
	const char *dir = TSM_REPORTS "/plain0";
	ssize_t n;

	if (mkdir(dir, 0700)) {
		check(0, "mkdir %s: %s", dir, strerror(errno));
		return;
	}
	n = write_blob(dir, "inblob", nonce, NONCE_LEN);
	if (!n)
		n = read_blob(dir, "outblob", out, sizeof(out));
	check(n == -EINVAL, "plain, privlevel 0: no VMPL0 report with VMPCK1 (%s)",
	      n < 0 ? strerror((int)-n) : "got one");
}

static size_t blob_len(ssize_t n)
{
	return n > 0 ? (size_t)n : 0;
}

static void check_attest(const char *nonce_hex)
{
	static struct tsm_result svsm, svsm2, plain;
	unsigned char nonce[NONCE_LEN], nonce2[NONCE_LEN], rd[64];
	int rc;

	if (unhex(nonce_hex, nonce, NONCE_LEN)) {
		check(0, "csvsm.attest= is not %d bytes of hex", NONCE_LEN);
		return;
	}
	for (size_t i = 0; i + 1 < sizeof(attest_modules) / sizeof(*attest_modules); i++) {
		rc = load_module(attest_modules[i], "");
		if (rc) {
			check(0, "module %s: %s", attest_modules[i], strerror(-rc));
			return;
		}
	}
	/* The driver probes as it loads. Told to use VMPCK0 it must find the key empty: the
	 * guest's secrets page is the SVSM's with VMPCK0 cleared (SVSM spec #58019), so the
	 * probe fails and so does the load. Then as a user loads it: VMPCK1, the kernel's VMPL. */
	rc = load_module("sev-guest", "vmpck_id=0");
	read_log();
	check(rc < 0 && log_find("Empty VMPCK0 communication key"),
	      "sev-guest with vmpck_id=0 refused: VMPCK0 is not in the guest's secrets page (%s)",
	      rc ? strerror(-rc) : "loaded");
	rc = load_module("sev-guest", "");
	read_log();
	if (rc || !log_find("using VMPCK1 communication key")) {
		check(0, "sev-guest loaded with VMPCK1: %s", rc ? strerror(-rc) : "not said");
		return;
	}
	check(1, "modules loaded: crypto_null gcm gf128mul ghash-generic configfs tsm sev-guest");
	if (mount("configfs", "/sys/kernel/config", "configfs", 0, NULL)) {
		check(0, "mount configfs: %s", strerror(errno));
		return;
	}

	/* the SVSM's report: VMPL0, REPORT_DATA = SHA-512(nonce || manifest) */
	if (tsm_report("svsm", "svsm", "svsm", 0, nonce, &svsm))
		return;
	check_manifest("svsm", &svsm);
	sha512_2(nonce, NONCE_LEN, svsm.manifest, blob_len(svsm.manifest_len), rd);
	check_report("svsm", &svsm, 0, rd);
	check_certs("svsm", &svsm);
	dump("svsm-report", svsm.out, svsm.out_len);
	dump("svsm-manifest", svsm.manifest, svsm.manifest_len);
	dump("svsm-certs", svsm.aux, svsm.aux_len);

	/* a new nonce in the same directory: the driver asks again, the report follows it */
	for (int i = 0; i < NONCE_LEN; i++)
		nonce2[i] = nonce[i] ^ 0xff;
	if (!tsm_report("svsm", "svsm, second nonce", "svsm", 0, nonce2, &svsm2)) {
		check(svsm2.manifest_len == svsm.manifest_len &&
			      !memcmp(svsm2.manifest, svsm.manifest, blob_len(svsm.manifest_len)),
		      "svsm, second nonce: the same manifest");
		sha512_2(nonce2, NONCE_LEN, svsm2.manifest, blob_len(svsm2.manifest_len), rd);
		check_report("svsm, second nonce", &svsm2, 0, rd);
	}

	/* the kernel's own report (VMPCK1, VMPL1): REPORT_DATA is the inblob itself */
	check_plain_vmpl0(nonce);
	if (tsm_report("plain", "plain", NULL, 1, nonce, &plain))
		return;
	check_report("plain", &plain, 1, nonce);
	check_certs("plain", &plain);
	check(plain.out_len == SNP_REPORT_LEN && svsm.out_len == SNP_REPORT_LEN &&
		      !memcmp(plain.out + REP_MEASUREMENT, svsm.out + REP_MEASUREMENT, 48) &&
		      !memcmp(plain.out + REP_CHIP_ID, svsm.out + REP_CHIP_ID, 64),
	      "plain and svsm reports: the same MEASUREMENT and CHIP_ID");
	check(plain.aux_len == svsm.aux_len && !memcmp(plain.aux, svsm.aux, blob_len(svsm.aux_len)),
	      "plain and svsm: the same certificate table");
	dump("plain-report", plain.out, plain.out_len);
}

static int online_cpus(void)
{
	return (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* Run a child pinned to @cpu that touches memory there; 0 when it ran on @cpu. */
static int run_on(int cpu)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		cpu_set_t set;
		volatile char buf[4096];

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			_exit(2);
		sched_yield();
		memset((char *)buf, 0x5a, sizeof(buf));
		_exit(sched_getcpu() == cpu ? 0 : 3);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long meminfo_kib(const char *field)
{
	static char buf[8192];
	const char *p;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, field);
	return p ? strtol(p + strlen(field), NULL, 10) : -1;
}

static void check_sev(void)
{
	check(log_find("Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP") != NULL,
	      "the kernel runs as an SEV-SNP guest");
	/* snp_vmpl comes from the secrets page's svsm_guest_vmpl once the kernel has found the
	 * SVSM's calling area (svsm_setup_ca); below VMPL0 without an SVSM it stops
	 * (GHCB_TERM_NOT_VMPL0) */
	check(log_find("SNP running at VMPL1") != NULL, "the kernel runs at VMPL1 through the SVSM "
							"it found");
	check(log_find("Using SNP CPUID table") != NULL, "the kernel uses the SNP CPUID table");
}

static void check_cpus(long want)
{
	char online[64] = "?";

	read_file("/sys/devices/system/cpu/online", online, sizeof(online));
	check(online_cpus() == want, "%d of %ld vCPUs online (%s)", online_cpus(), want, online);
	for (int cpu = 0; cpu < want && cpu < online_cpus(); cpu++)
		check(run_on(cpu) == 0, "a task ran on CPU %d", cpu);
}

/* Take the last AP offline and online again: the kernel deletes its VMSA and creates a new
 * one through the SVSM (DELETE_VCPU, CREATE_VCPU). */
static void check_hotplug(long want)
{
	char path[96], state[16];
	int cpu = (int)want - 1;

	if (want < 2) {
		say("one vCPU: no AP to take offline");
		return;
	}
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	check(write_file(path, "0") == 0, "CPU %d taken offline", cpu);
	read_file(path, state, sizeof(state));
	check(!strcmp(state, "0") && online_cpus() == want - 1, "CPU %d is offline (%d online)",
	      cpu, online_cpus());
	check(write_file(path, "1") == 0, "CPU %d brought online again", cpu);
	read_file(path, state, sizeof(state));
	check(!strcmp(state, "1") && online_cpus() == want, "CPU %d is online (%d online)", cpu,
	      online_cpus());
	check(run_on(cpu) == 0, "a task ran on CPU %d after it came back", cpu);
}

/*
 * Use most of RAM: allocate and write all but a reserve of what the kernel calls available,
 * then read it back. Pages the firmware or the kernel have not validated yet are validated
 * through the SVSM on the way: unaccepted memory (EfiUnacceptedMemoryType, UEFI 2.9 and
 * later, section 7.2, EFI_BOOT_SERVICES.AllocatePages()), which OVMF leaves above 4 GiB
 * under SEV-SNP and the kernel accepts when its page allocator gets to it (/proc/meminfo
 * "Unaccepted:" counts what is left; it is part of MemFree and MemAvailable). @unacc_mib: the
 * least unaccepted memory expected at the start (csvsm.unaccepted=MIB), 0 when none need be.
 */
static void check_memory(long mem_mib, long unacc_mib)
{
	long total = meminfo_kib("MemTotal:"), avail = meminfo_kib("MemAvailable:");
	long unacc = meminfo_kib("Unaccepted:"), unacc_end;
	long reserve = 24 * 1024, use = avail - reserve;
	size_t len;
	unsigned long *p, bad = 0;

	say("MemTotal %ld KiB, MemAvailable %ld KiB, Unaccepted %ld KiB, guest RAM %ld MiB", total,
	    avail, unacc, mem_mib);
	check(total > mem_mib * 1024 * 3 / 4, "the kernel has most of RAM (%ld of %ld MiB)",
	      total / 1024, mem_mib);
	if (unacc_mib)
		check(unacc >= unacc_mib * 1024,
		      "%ld MiB of RAM unaccepted at the start (at least %ld)", unacc / 1024,
		      unacc_mib);
	if (use < 0) {
		check(0, "no memory available to use");
		return;
	}
	len = (size_t)use * 1024;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1,
		 0);
	if (p == MAP_FAILED) {
		check(0, "mmap of %ld MiB: %s", use / 1024, strerror(errno));
		return;
	}
	for (size_t i = 0; i < len / sizeof(*p); i += 512)
		p[i] = i ^ 0x5a5a5a5aUL;
	for (size_t i = 0; i < len / sizeof(*p); i += 512)
		bad += p[i] != (i ^ 0x5a5a5a5aUL);
	check(bad == 0, "%ld MiB written and read back (%ld%% of RAM)", use / 1024,
	      use * 100 / (mem_mib * 1024));
	/* before munmap: what the kernel accepted for it, not for what runs after */
	unacc_end = meminfo_kib("Unaccepted:");
	munmap(p, len);
	say("Unaccepted %ld KiB after the memory test", unacc_end);
	if (unacc_mib)
		check(unacc_end >= 0 && unacc - unacc_end >= unacc_mib * 1024,
		      "%ld MiB of unaccepted memory accepted for it (at least %ld)",
		      (unacc - unacc_end) / 1024, unacc_mib);
}

static void report(void)
{
	int ok = failures == 0;

	if (ok)
		say("PASS");
	else
		say("FAIL (%d checks)", failures);
	sync();
	if (ioperm(RESULT_PORT, 4, 1) == 0)
		outl(ok ? RESULT_PASS : RESULT_FAIL, RESULT_PORT);
	else
		say("ioperm: %s", strerror(errno));
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

int main(void)
{
	char nonce[2 * NONCE_LEN + 2];
	long cpus, mem;

	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	cpus = cmdline_long("cpus", 1);
	mem = cmdline_long("mem", 512);
	say("started: expecting %ld vCPUs, %ld MiB", cpus, mem);

	read_log();
	check(log_len > 0, "the kernel log is readable (%zu bytes)", log_len);
	check_sev();
	if (cmdline_str("attest", nonce, sizeof(nonce)) == 0)
		check_attest(nonce);
	check_cpus(cpus);
	if (cmdline_long("hotplug", 1))
		check_hotplug(cpus);
	check_memory(mem, cmdline_long("unaccepted", 0));
	report();
}
