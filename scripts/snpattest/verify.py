"""Every check scripts/snp-verify makes, one result each, in the order a verifier must trust
things: the chain first (the trusted ARK down to the VCEK), then the report's signature with
that VCEK, then the report's contents.
"""

import datetime

from . import certs as crt
from . import report as rpt

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


class Result:
    def __init__(self, name, status, detail):
        self.name, self.status, self.detail = name, status, detail

    def __repr__(self):
        return "%s %s: %s" % (self.status, self.name, self.detail)


def verify(report_raw, vcek, ask, ark, trusted_ark, expect_vmpl=0, expect_measurement=None,
           expect_report_data=None, allow_debug=False, now=None):
    """report_raw: bytes; vcek/ask/ark/trusted_ark: x509 certificates. expect_measurement and
    expect_report_data: bytes, or None to skip that check (reported as SKIP, never PASS).
    Returns [Result]; the report is acceptable only if no result is FAIL."""
    out = []

    def add(name, err, ok_detail):
        out.append(Result(name, FAIL if err else PASS, err or ok_detail))
        return not err

    try:
        report = rpt.Report(report_raw)
    except rpt.ReportError as e:
        return [Result("report", FAIL, str(e))]
    now = now or datetime.datetime.utcnow()
    chain_ok = True
    details = {"ark": "self-signed RSA-PSS, the trusted root's key",
               "ask": "signed by the ARK (RSA-PSS SHA-384)",
               "vcek": "signed by the ASK (RSA-PSS SHA-384), ECDSA P-384 key"}
    for name, err in crt.check_chain(ark, ask, vcek, trusted_ark, now):
        chain_ok &= add("chain-" + name, err, details[name])
    if chain_ok:
        signing_key = report.key_info >> rpt.KEY_INFO_SIGNING_KEY_SHIFT & 7
        err = None
        if signing_key != 0:
            err = "KEY_INFO names signing key %d, not the VCEK (0)" % signing_key
        err = err or crt.check_vcek_matches(vcek, report)
        add("vcek-tcb", err, "VCEK issued for this chip and REPORTED_TCB %s"
            % report.reported_tcb.hex())
        add("signature", crt.verify_report_signature(report, vcek),
            "ECDSA P-384/SHA-384 over bytes 0x000-0x29F, VCEK key")
    else:
        out.append(Result("vcek-tcb", FAIL, "not checked: the chain is not trusted"))
        out.append(Result("signature", FAIL, "not checked: the chain is not trusted"))
    add("vmpl", None if report.vmpl == expect_vmpl else
        "VMPL is %d, expected %d%s" % (report.vmpl, expect_vmpl,
                                        " (an SVSM report is requested at VMPL0)"
                                        if expect_vmpl == 0 else ""),
        "VMPL %d" % report.vmpl)
    if expect_report_data is None:
        out.append(Result("report-data", SKIP, "no nonce/manifest or REPORT_DATA given"))
    else:
        add("report-data", None if report.report_data == bytes(expect_report_data) else
            "REPORT_DATA %s... != expected %s..." % (report.report_data[:16].hex(),
                                                     bytes(expect_report_data)[:16].hex()),
            "REPORT_DATA = %s..." % report.report_data[:16].hex())
    if expect_measurement is None:
        out.append(Result("measurement", SKIP, "no expected MEASUREMENT given"))
    else:
        add("measurement", None if report.measurement == bytes(expect_measurement) else
            "MEASUREMENT %s != expected %s" % (report.measurement.hex(),
                                              bytes(expect_measurement).hex()),
            "MEASUREMENT %s" % report.measurement.hex())
    debug = report.policy & rpt.POLICY_DEBUG
    add("policy", None if allow_debug or not debug else
        "POLICY 0x%x allows debugging (the host can read and change guest memory)"
        % report.policy, "POLICY 0x%x%s" % (report.policy, ", debug" if debug else ""))
    return out
