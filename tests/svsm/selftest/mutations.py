#!/usr/bin/env python3
"""Prove that the self-test images' tests can fail (tests/svsm/selftest/README.md).

Not a test case (run-tests.sh does not run it): by hand, from the repository root, with a
clean work tree:

    python3 tests/svsm/selftest/mutations.py [NAME...]

Each mutation breaks one thing in the SVSM the self-tests are meant to watch (a #VC handler
path, the #DF stack, the panic report, ...), rebuilds, runs the tests that must notice, and
puts the source back. Every test listed must go RED; the script exits 1 if one stays green,
a pattern is missing or a build fails. A full run takes a few minutes (one build each).
"""
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
LOG = os.path.join(ROOT, "build", "mutations")

# (name, file, text to find (exactly once), replacement, tests that must fail)
MUTATIONS = [
 ("cpuid-zeros", "src/sev/vc.c", "\tsnp_cpuid_lookup(t, (u32)f->rax, (u32)f->rcx, SVSM_XCR0, SVSM_XSS, &r);\n", "\t(void)t;\n", ["selftest.test.sh"]),
 ("cpuid-asks-hv", "src/sev/vc.c", "\tsnp_cpuid_lookup(t, (u32)f->rax, (u32)f->rcx, SVSM_XCR0, SVSM_XSS, &r);\n",
   "\tif (snp_cpuid_lookup(t, (u32)f->rax, (u32)f->rcx, SVSM_XCR0, SVSM_XSS, &r)) {\n\t\tstruct ghcb *g = ghcb_begin();\n\t\tu64 v = 0;\n\t\tghcb_set(g, GHCB_OFF_RAX, (u32)f->rax);\n\t\tghcb_set(g, GHCB_OFF_RCX, (u32)f->rcx);\n\t\tghcb_set(g, GHCB_OFF_XCR0, 1);\n\t\tghcb_nae(g, SVM_EXIT_CPUID, 0, 0, NULL);\n\t\tghcb_get(g, GHCB_OFF_RAX, &v); r.eax = (u32)v;\n\t\tghcb_get(g, GHCB_OFF_RBX, &v); r.ebx = (u32)v;\n\t\tghcb_get(g, GHCB_OFF_RCX, &v); r.ecx = (u32)v;\n\t\tghcb_get(g, GHCB_OFF_RDX, &v); r.edx = (u32)v;\n\t\tghcb_end(g);\n\t}\n", ["selftest.test.sh"]),
 ("no-rep", "src/sev/vc.c", "\tu64 count = io->rep ? f->rcx : 1;\n", "\tu64 count = 1;\n", ["selftest.test.sh"]),
 ("rep-rcx-kept", "src/sev/vc.c", "\tif (io->rep)\n\t\tf->rcx = 0;\n", "", ["selftest.test.sh"]),
 ("in-no-merge", "src/sev/vc.c", "\tf->rax = io->size == 4 ? val : (f->rax & ~mask) | val;\n", "\tf->rax = val;\n", ["selftest.test.sh"]),
 ("in32-no-zext", "src/sev/vc.c", "\tf->rax = io->size == 4 ? val : (f->rax & ~mask) | val;\n", "\tf->rax = (f->rax & ~mask) | val;\n", ["selftest.test.sh"]),
 ("port-always-dx", "src/sev/vc.c", "\tport = io.port_imm ? io.port : (u16)f->rdx;\n", "\tport = (u16)f->rdx;\n", ["selftest.test.sh"]),
 ("opsize16-ignored", "src/sev/vc_insn.c", "\t\tif (opsize16 && io->size == 4)\n\t\t\tio->size = 2;\n", "\t\t(void)opsize16;\n", ["selftest.test.sh"]),
 ("rdmsr-no-rdx", "src/sev/vc.c", "\t\tf->rdx = val >> 32;\n", "", ["selftest.test.sh"]),
 ("rdmsr-rax-64", "src/sev/vc.c", "\t\tf->rax = (u32)val;\n", "\t\tf->rax = val | (f->rax & 0xffffffff00000000ULL);\n", ["selftest.test.sh"]),
 ("wrmsr-no-nae", "src/sev/vc.c", "\t\tif (ghcb_msr_write((u32)f->rcx, ((f->rdx & 0xffffffff) << 32) | (u32)f->rax))\n", "\t\tif (0)\n", ["selftest.test.sh"]),
 ("nested-no-backup", "src/sev/ghcb_nae.c", "\t\tmemcpy(p->ghcb_backup, p->ghcb, sizeof(*p->ghcb));\n", "", ["selftest.test.sh"]),
 ("nested-no-restore", "src/sev/ghcb_nae.c", "\t\tmemcpy(g, p->ghcb_backup, sizeof(*g));\n", "\t\t(void)g;\n", ["selftest.test.sh"]),
 ("entry-rbx-clobber", "src/arch/entry.S", "\tpopq\t%rbx\n\tpopq\t%rax\n", "\tpopq\t%rax\n\tpopq\t%rax\n", ["selftest.test.sh"]),
 ("string-chunk-too-big", "src/sev/ghcb_nae.c", "\tsize_t per_exit = GHCB_SHARED_BUFFER_SIZE / size;\n", "\tsize_t per_exit = 4096 / size;\n", ["selftest.test.sh"]),
 ("df-no-ist", "src/arch/percpu_setup.c", "\tidt_set_ist(X86_TRAP_DF, IST_DF);\n", "", ["selftest-df.test.sh", "selftest.test.sh"]),
 ("df-as-panic", "src/arch/exception.c", "\t\texception_fatal(f, TERM_DOUBLE_FAULT, \"double fault\");\n", "\t\texception_fatal(f, TERM_PANIC, \"double fault\");\n", ["selftest-df.test.sh"]),
 ("no-guard-page", "src/mm/paging.c", "\tunmap_page(va_of(boot_stack_guard), \"the boot stack guard\");\n", "\t(void)unmap_page;\n", ["selftest-df.test.sh"]),
 ("cr2-wrong", "src/arch/exception.c", "(unsigned long long)read_cr2(),", "(unsigned long long)read_cr3(),", ["selftest-pf.test.sh"]),
 ("trace-frame0-only", "src/arch/exception.c", "\tfor (i = 1; i < STACK_TRACE_MAX; i++) {\n", "\tfor (i = 1; i < 1; i++) {\n", ["selftest-pf.test.sh", "selftest-de.test.sh", "selftest-df.test.sh", "selftest-vc-wbinvd.test.sh"]),
 ("trace-no-ret-1", "src/arch/exception.c", "\t\tlog_err(\"    #%u %#llx\", i, (unsigned long long)ret);\n", "\t\tlog_err(\"    #%u %#llx\", i, (unsigned long long)next);\n", ["selftest-de.test.sh"]),
 ("pf-no-errcode", "src/arch/entry.S", "\tSTUB 14, 1\n", "\tSTUB 14, 0\n", ["selftest-pf.test.sh"]),
 ("ud-name", "src/arch/exception.c", "[X86_TRAP_UD] = \"#UD invalid opcode\",", "[X86_TRAP_UD] = \"#UD\",", ["selftest-ud.test.sh"]),
 ("regs-no-r13", "src/arch/exception.c", "\tlog_err(\"  r13 0x%016llx r14 0x%016llx r15 0x%016llx\", (unsigned long long)f->r13,\n\t\t(unsigned long long)f->r14, (unsigned long long)f->r15);\n", "", ["selftest-gp.test.sh"]),
 ("vc-unhandled-as-panic", "src/sev/vc.c", "\texception_fatal(f, TERM_UNHANDLED_VC, what);\n", "\texception_fatal(f, TERM_PANIC, what);\n", ["selftest-vc-wbinvd.test.sh", "selftest-vc-vmmcall.test.sh"]),
 ("vc-no-exitcode", "src/sev/vc.c", "\t\t\t     \"#VC with exit code %#llx, which the SVSM does not handle\",\n", "\t\t\t     \"#VC, which the SVSM does not handle%.0llx\",\n", ["selftest-vc-wbinvd.test.sh"]),
 ("gp-vector-not-fatal", "src/arch/exception.c", "\tdefault:\n\t\texception_fatal(f, TERM_PANIC, \"unexpected exception\");\n", "\tcase X86_TRAP_GP:\n\t\tf->rip += 3;\n\t\treturn;\n\tdefault:\n\t\texception_fatal(f, TERM_PANIC, \"unexpected exception\");\n", ["selftest-gp.test.sh"]),
 ("ap-no-ist", "src/arch/percpu_setup.c", "\tp->tss.ist[IST_DF - 1] = top;\n", "\tp->tss.ist[IST_DF - 1] = p == &bsp_percpu ? top : 0;\n", ["selftest-ap-df.test.sh", "selftest.test.sh"]),
 ("ap-stack-bounds", "src/arch/percpu_setup.c", "\tp->stack_lo = bottom;\n", "\tp->stack_lo = top;\n", ["selftest-ap-pf.test.sh"]),
 ("ap-main-old-order", "src/main.c", "\tghcb_register_this_cpu();\n\tpercpu_load_descriptors(p);\n", "\tpercpu_load_descriptors(p);\n\tghcb_register_this_cpu();\n", ["selftest-ap-early.test.sh"]),
 ("msr-refusal-ignored", "src/sev/vc.c", "\t\tif (ghcb_msr_read((u32)f->rcx, &val))\n\t\t\tvc_fatal(f, \"the hypervisor refused RDMSR\");\n", "\t\tval = 0;\n\t\t(void)ghcb_msr_read((u32)f->rcx, &val);\n", ["selftest-vc-msr-refused.test.sh"]),
 ("vc-rip-not-advanced-msr", "src/sev/vc.c", "\t\tif (ghcb_msr_write((u32)f->rcx, ((f->rdx & 0xffffffff) << 32) | (u32)f->rax))\n\t\t\tvc_fatal(f, \"the hypervisor refused WRMSR\");\n\t}\n\tf->rip += 2;\n", "\t\tif (ghcb_msr_write((u32)f->rcx, ((f->rdx & 0xffffffff) << 32) | (u32)f->rax))\n\t\t\tvc_fatal(f, \"the hypervisor refused WRMSR\");\n\t\tf->rip += 1;\n\t}\n\tf->rip += 1;\n", ["selftest.test.sh"]),
]

def sh(cmd):
    return subprocess.run(cmd, shell=True, cwd=ROOT, capture_output=True, text=True)


def main():
    sel = sys.argv[1:]
    files = sorted({m[1] for m in MUTATIONS})
    if sh("git diff --quiet -- " + " ".join(files)).returncode:
        sys.exit("mutations: commit or stash your changes to " + " ".join(files) + " first")
    os.makedirs(LOG, exist_ok=True)
    bad = 0
    for name, f, old, new, tests in MUTATIONS:
        if sel and name not in sel:
            continue
        path = os.path.join(ROOT, f)
        src = open(path).read()
        if src.count(old) != 1:
            print(f"{name}: pattern not found in {f}")
            bad += 1
            continue
        open(path, "w").write(src.replace(old, new))
        try:
            if sh(f"make -j2 all >{LOG}/{name}.build.log 2>&1").returncode:
                print(f"{name}: build failed ({LOG}/{name}.build.log)")
                bad += 1
                continue
            print(name)
            for t in tests:
                log = f"{LOG}/{name}.{t}.log"
                rc = sh(f"bash tests/svsm/{t} >{log} 2>&1").returncode
                why = sh(f"grep -a '^FAIL' {log} | head -1").stdout.strip()
                print(f"    {t}: {'RED' if rc else 'still GREEN'} {why}")
                bad += rc == 0
        finally:
            open(path, "w").write(src)
    sh("make -j2 all >/dev/null 2>&1")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
