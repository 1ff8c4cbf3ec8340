// SPDX-License-Identifier: MIT
/*
 * /init of the initramfs the linux.* cases boot (tests/linux/README.md): a static program,
 * built with the host's gcc and glibc, that checks from inside Debian's Linux that it runs as
 * an SEV-SNP guest at VMPL1 under an SVSM, then reports through port 0xf4 and powers off.
 *
 * The kernel command line tells it what to expect: csvsm.cpus=N (vCPUs), csvsm.mem=MIB
 * (guest RAM). Each check prints "csvsm-init: ok: ..." or "csvsm-init: FAIL: ..." into the
 * kernel log (/dev/kmsg, so the lines reach the serial console through printk's polled
 * console, not through a tty that would need the UART's interrupt); the last line is
 * "csvsm-init: PASS" or "csvsm-init: FAIL (n checks)". Then a 32-bit OUT to port 0xf4: 0x10
 * for pass, 0x11 for failure (snpemu's result port, tools/snpemu/README.md), and power off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Use most of RAM: allocate and write all but a reserve of what the kernel calls available,
 * then read it back. Pages the firmware or the kernel have not validated yet (unaccepted
 * memory) are validated through the SVSM on the way. */
static void check_memory(long mem_mib)
{
	long total = meminfo_kib("MemTotal:"), avail = meminfo_kib("MemAvailable:");
	long reserve = 24 * 1024, use = avail - reserve;
	size_t len;
	unsigned long *p, bad = 0;

	say("MemTotal %ld KiB, MemAvailable %ld KiB, guest RAM %ld MiB", total, avail, mem_mib);
	check(total > mem_mib * 1024 * 3 / 4, "the kernel has most of RAM (%ld of %ld MiB)",
	      total / 1024, mem_mib);
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
	munmap(p, len);
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
	check_cpus(cpus);
	if (cmdline_long("hotplug", 1))
		check_hotplug(cpus);
	check_memory(mem);
	report();
}
