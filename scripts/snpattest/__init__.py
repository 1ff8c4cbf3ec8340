"""csvsm's host-side SEV-SNP attestation helpers (README.md in this directory).

measure  the SNP launch digest (MEASUREMENT) of what snpemu or an SVSM host launches
report   the ATTESTATION_REPORT layout, REPORT_DATA for an SVSM report, the services manifest
certs    the AMD certificate chain (ARK -> ASK -> VCEK), the GHCB certificate table, test chains
verify   every check of scripts/snp-verify, one result per check
"""
