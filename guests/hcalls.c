/*
 * hcalls: the hypercalls a Linux guest makes while it boots on pseries, with
 * good and bad arguments, each printed with its status and outputs:
 * H_GET_CPU_CHARACTERISTICS, H_SET_MODE (address translation mode, breakpoint
 * resources), H_REGISTER_VPA for the VPA, the SLB shadow buffer and the
 * dispatch trace log, H_PROD, H_CONFER, H_HOME_NODE_ASSOCIATIVITY,
 * H_SIGNAL_SYS_RESET, and calls Linux probes that the platform may lack
 * (H_GET_PERF_COUNTER_INFO, H_QUERY_VAS_CAPABILITIES).
 */
#include "rt.h"

#define H_REGISTER_VPA 0xdc
#define H_CONFER 0xe4
#define H_PROD 0xe8
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_HOME_NODE_ASSOCIATIVITY 0x2ec
#define H_SIGNAL_SYS_RESET 0x380
#define H_QUERY_VAS_CAPABILITIES 0x398
#define H_GET_PERF_COUNTER_INFO 0xf080
#define SPR_PIR 1023

#define SCRATCH 0x3000000UL

static void show(const char *what, long rc, const u64 *out, int nout)
{
	printf("%s -> %ld", what, rc);
	for (int i = 0; i < nout; i++)
		printf(" 0x%lx", out[i]);
	printf("\n");
}

static long call(const char *what, long nr, long a1, long a2, long a3, long a4, int nout)
{
	u64 out[3] = { 0, 0, 0 };
	long rc = hcall_ret(nr, a1, a2, a3, a4, 0, 0, out);
	show(what, rc, out, nout);
	return rc;
}

/* Puts a size in a registration buffer at offset 4: 2 bytes for the VPA, 4 for the others (PAPR). */
static void prepare(u64 addr, u32 size, int vpa)
{
	memset((void *)addr, 0, 16);
	if (vpa) {
		*(volatile u8 *)(addr + 4) = size >> 8;
		*(volatile u8 *)(addr + 5) = size & 0xff;
	} else {
		*(volatile u32 *)(addr + 4) = cpu_to_be32(size);
	}
	__asm__ volatile("sync" ::: "memory");
}

#define VPA_FLAGS(n) ((u64)(n) << 45)

int main(void)
{
	long me = (long)mfspr(SPR_PIR);
	u64 vpa = SCRATCH, slb = SCRATCH + 0x1000, dtl = SCRATCH + 0x2000;

	call("H_GET_CPU_CHARACTERISTICS", H_GET_CPU_CHARACTERISTICS, 0, 0, 0, 0, 2);

	/* Address translation mode (resource 3): the AIL values, then bad values. */
	for (long ail = 0; ail <= 4; ail++) {
		char what[48];
		snprintf(what, sizeof(what), "H_SET_MODE(AIL %ld)", ail);
		call(what, H_SET_MODE, ail, 3, 0, 0, 0);
	}
	call("H_SET_MODE(AIL 3, value1 1)", H_SET_MODE, 3, 3, 1, 0, 0);
	call("H_SET_MODE(AIL 3, value2 1)", H_SET_MODE, 3, 3, 0, 1, 0);
	call("H_SET_MODE(AIL 0) again", H_SET_MODE, 0, 3, 0, 0, 0);
	/* Breakpoint resources: CIABR (1), DAWR0 (2), DAWR1 (5); resource 0 and 6 do not exist. */
	call("H_SET_MODE(CIABR 0)", H_SET_MODE, 0, 1, 0, 0, 0);
	call("H_SET_MODE(CIABR, flags 1)", H_SET_MODE, 1, 1, 0, 0, 0);
	call("H_SET_MODE(DAWR0 0)", H_SET_MODE, 0, 2, 0, 0, 0);
	call("H_SET_MODE(DAWR1 0)", H_SET_MODE, 0, 5, 0, 0, 0);
	call("H_SET_MODE(resource 0)", H_SET_MODE, 0, 0, 0, 0, 0);
	call("H_SET_MODE(resource 6)", H_SET_MODE, 0, 6, 0, 0, 0);

	/* The SLB shadow and the dispatch trace log need a VPA first. */
	prepare(slb, 0x200, 0);
	call("register SLB shadow, no VPA", H_REGISTER_VPA, VPA_FLAGS(3), me, slb, 0, 0);
	prepare(dtl, 0x200, 0);
	call("register DTL, no VPA", H_REGISTER_VPA, VPA_FLAGS(2), me, dtl, 0, 0);
	prepare(vpa, 640, 1);
	call("register VPA", H_REGISTER_VPA, VPA_FLAGS(1), me, vpa, 0, 0);
	prepare(slb, 0x200, 0);
	call("register SLB shadow", H_REGISTER_VPA, VPA_FLAGS(3), me, slb, 0, 0);
	prepare(slb + 0xf00, 0x200, 0);
	call("register SLB shadow crossing 4K", H_REGISTER_VPA, VPA_FLAGS(3), me, slb + 0xf00, 0, 0);
	prepare(slb, 4, 0);
	call("register SLB shadow of 4 bytes", H_REGISTER_VPA, VPA_FLAGS(3), me, slb, 0, 0);
	prepare(dtl, 0x10, 0);
	call("register DTL of 16 bytes", H_REGISTER_VPA, VPA_FLAGS(2), me, dtl, 0, 0);
	prepare(dtl, 0x200, 0);
	call("register DTL", H_REGISTER_VPA, VPA_FLAGS(2), me, dtl, 0, 0);
	call("deregister VPA while a DTL is registered", H_REGISTER_VPA, VPA_FLAGS(5), me, 0, 0, 0);
	call("deregister DTL", H_REGISTER_VPA, VPA_FLAGS(6), me, 0, 0, 0);
	call("deregister SLB shadow", H_REGISTER_VPA, VPA_FLAGS(7), me, 0, 0, 0);
	call("deregister VPA", H_REGISTER_VPA, VPA_FLAGS(5), me, 0, 0, 0);
	call("H_REGISTER_VPA flags 0", H_REGISTER_VPA, 0, me, vpa, 0, 0);
	call("H_REGISTER_VPA flags 4", H_REGISTER_VPA, VPA_FLAGS(4), me, vpa, 0, 0);

	/* Prodding and conferring. */
	call("H_PROD self", H_PROD, me, 0, 0, 0, 0);
	call("H_PROD 99", H_PROD, 99, 0, 0, 0, 0);
	call("H_PROD -1", H_PROD, -1, 0, 0, 0, 0);
	/* PAPR: H_SUCCESS. QEMU leaves r3 as it was (the call number) when it yields to any processor. */
	long rc = hcall(H_CONFER, -1, 0, 0, 0, 0, 0);
	check(rc == H_SUCCESS || rc == H_CONFER, "H_CONFER -1 (any) returns");
	call("H_CONFER self", H_CONFER, me, 0, 0, 0, 0);

	/* NUMA: the home node of this processor and of processor 99. */
	call("H_HOME_NODE_ASSOCIATIVITY(cpu self)", H_HOME_NODE_ASSOCIATIVITY, 1, me, 0, 0, 3);
	call("H_HOME_NODE_ASSOCIATIVITY(cpu 99)", H_HOME_NODE_ASSOCIATIVITY, 1, 99, 0, 0, 0);
	call("H_HOME_NODE_ASSOCIATIVITY(flags 2)", H_HOME_NODE_ASSOCIATIVITY, 2, me, 0, 0, 0);

	/* A system reset to every other processor (there are none here), and to one that does not exist. */
	call("H_SIGNAL_SYS_RESET(all but self)", H_SIGNAL_SYS_RESET, -2, 0, 0, 0, 0);
	call("H_SIGNAL_SYS_RESET(99)", H_SIGNAL_SYS_RESET, 99, 0, 0, 0, 0);
	call("H_SIGNAL_SYS_RESET(-3)", H_SIGNAL_SYS_RESET, -3, 0, 0, 0, 0);

	call("H_GET_PERF_COUNTER_INFO", H_GET_PERF_COUNTER_INFO, SCRATCH + 0x3000, 64, 0, 0, 0);
	call("H_QUERY_VAS_CAPABILITIES", H_QUERY_VAS_CAPABILITIES, 0, SCRATCH + 0x3000, 0, 0, 0);
	return 0;
}
