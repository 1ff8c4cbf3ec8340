/* SPDX-License-Identifier: MIT */
/*
 * The guest's privilege level and the page permissions the SVSM grants it (RMPADJUST
 * attributes, AMD APM vol 3 "RMPADJUST"). The guest runs at VMPL1; VMPL2 and VMPL3 get
 * nothing, anywhere.
 */
#ifndef CSVSM_GUEST_VMPL_H
#define CSVSM_GUEST_VMPL_H

#include "arch/insn.h"

#define GUEST_VMPL 1
#define GUEST_RWX (RMP_ATTR_READ | RMP_ATTR_WRITE | RMP_ATTR_UEXEC | RMP_ATTR_SEXEC)
#define GUEST_RW (RMP_ATTR_READ | RMP_ATTR_WRITE)

#endif
