# Run by the UEFI Shell after its countdown, when the boot manager lands in the shell
# (build/efi/disk-shell.img; disk.img is booted through EFI/BOOT/BOOTX64.EFI instead).
@echo -off
for %d in fs0 fs1 fs2 fs3
  if exist %d:\EFI\csvsm\svsmtest.efi then
    %d:\EFI\csvsm\svsmtest.efi
  endif
endfor
echo "startup.nsh: svsmtest.efi not found, or it returned"
reset -s
