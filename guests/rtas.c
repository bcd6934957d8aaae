/*
 * rtas: every RTAS service QEMU's pseries offers this machine, found in
 * /rtas and called with good and bad arguments; each line prints the RTAS
 * status and the returns, so two machines that answer differently print
 * different lines.
 *
 * Not called: power-off (the guest's own exit), system-reboot and
 * ibm,suspend-me with good arguments (the machine would reset or sleep), and
 * ibm,os-term (it ends the partition, whatever its counts); the first two are
 * called with bad counts. The
 * time of day is compared, never printed.
 */
#include "rt.h"

static const char *const services[] = {
	"display-character", "get-time-of-day", "set-time-of-day", "power-off", "system-reboot",
	"query-cpu-stopped-state", "start-cpu", "stop-self", "ibm,get-system-parameter",
	"ibm,set-system-parameter", "ibm,set-xive", "ibm,get-xive", "ibm,int-off", "ibm,int-on",
	"check-exception", "event-scan", "ibm,set-tce-bypass", "quiesce", "nvram-fetch", "nvram-store",
	"read-pci-config", "write-pci-config", "ibm,read-pci-config", "ibm,write-pci-config",
	"ibm,query-interrupt-source-number", "ibm,change-msi", "set-indicator", "set-power-level",
	"get-power-level", "get-sensor-state", "ibm,configure-connector", "ibm,os-term",
	"ibm,set-eeh-option", "ibm,get-config-addr-info2", "ibm,read-slot-reset-state2",
	"ibm,set-slot-reset", "ibm,configure-pe", "ibm,slot-error-detail", "ibm,query-pe-dma-window",
	"ibm,create-pe-dma-window", "ibm,remove-pe-dma-window", "ibm,reset-pe-dma-window",
	"ibm,suspend-me", "ibm,nmi-register", "ibm,nmi-interlock",
};

static u8 buf[4096] __attribute__((aligned(4096)));

/* Calls a service and prints "name(args) -> status [returns]". */
static int call(const char *name, int nargs, int nret, u32 a0, u32 a1, u32 a2, u32 a3, u32 a4, u32 a5,
		u32 a6)
{
	u32 r[8] = { 0 };
	u32 args[7] = { a0, a1, a2, a3, a4, a5, a6 };
	if (rtas_token(name) == 0xffffffff) {
		printf("%s: absent\n", name);
		return -1;
	}
	int st = rtas_call(name, nargs, nret, r, a0, a1, a2, a3, a4, a5, a6);
	printf("%s(", name);
	for (int i = 0; i < nargs && i < 7; i++)
		printf(i ? ",0x%x" : "0x%x", args[i]);
	printf(") -> %d", nret ? (int)r[0] : st);
	for (int i = 1; i < nret && i < 8; i++)
		printf(" 0x%x", r[i]);
	printf("\n");
	return nret ? (int)r[0] : st;
}

#define CALL0(n, na, nr) call(n, na, nr, 0, 0, 0, 0, 0, 0, 0)
#define CALL(n, na, nr, ...) call(n, na, nr, __VA_ARGS__)

int main(void)
{
	int missing = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(services); i++) {
		if (rtas_token(services[i]) == 0xffffffff) {
			printf("absent: %s\n", services[i]);
			missing++;
		}
	}
	check(missing == 0, "%u RTAS services in /rtas, %d absent", (unsigned)ARRAY_SIZE(services), missing);

	u32 base = (u32)(uintptr_t)buf;

	/* Wrong argument or return counts. */
	CALL0("power-off", 1, 1);
	CALL0("power-off", 2, 0);
	CALL0("system-reboot", 1, 1);
	CALL0("system-reboot", 0, 2);
	CALL0("ibm,suspend-me", 1, 1);
	CALL0("query-cpu-stopped-state", 2, 2);
	CALL0("start-cpu", 3, 2);
	CALL0("get-time-of-day", 1, 8);
	CALL0("set-time-of-day", 6, 1);

	/* Time of day: set, read back (compared, not printed). */
	u32 tod[8];
	int st = rtas_call("set-time-of-day", 7, 1, tod, 2024, 2, 29, 12, 0, 0, 0);
	int st2 = rtas_call("get-time-of-day", 0, 8, tod);
	check(st == 0 && st2 == 0 && tod[1] == 2024 && tod[2] == 2 && tod[3] == 29 && tod[4] == 12 && tod[5] <= 1,
	      "set-time-of-day then get-time-of-day");

	/* CPUs. */
	CALL("query-cpu-stopped-state", 1, 2, 0, 0, 0, 0, 0, 0, 0);
	CALL("query-cpu-stopped-state", 1, 2, 99, 0, 0, 0, 0, 0, 0);
	CALL("query-cpu-stopped-state", 1, 2, 0xffffffff, 0, 0, 0, 0, 0, 0);
	CALL("start-cpu", 3, 1, 0, 0x400000, 0, 0, 0, 0, 0);
	CALL("start-cpu", 3, 1, 99, 0x400000, 0, 0, 0, 0, 0);

	/* System parameters: SPLPAR characteristics (20), diagnostics run mode (42), UUID (48). */
	static const u32 params[] = { 20, 42, 48, 0, 43, 44, 60, 0xffffffff };
	for (unsigned i = 0; i < ARRAY_SIZE(params); i++) {
		memset(buf, 0xee, 300);
		int s = CALL("ibm,get-system-parameter", 3, 1, params[i], base, 256, 0, 0, 0, 0);
		if (s == 0) {
			u32 len = ((u32)buf[0] << 8) | buf[1];
			printf("  length %u:", len);
			for (u32 j = 0; j < len && j < 254; j++)
				printf(buf[2 + j] >= 32 && buf[2 + j] < 127 ? "%c" : "\\x%02x", buf[2 + j]);
			printf(" then 0x%02x\n", buf[2 + len]);
		}
	}
	memset(buf, 0xee, 16);
	CALL("ibm,get-system-parameter", 3, 1, 20, base, 1, 0, 0, 0, 0);
	CALL("ibm,get-system-parameter", 3, 1, 20, base, 10, 0, 0, 0, 0);
	printf("  bytes: %02x %02x %c%c%c%c%c%c%c%c then 0x%02x\n", buf[0], buf[1], buf[2], buf[3], buf[4], buf[5],
	       buf[6], buf[7], buf[8], buf[9], buf[10]);
	for (unsigned i = 0; i < ARRAY_SIZE(params); i++)
		CALL("ibm,set-system-parameter", 2, 1, params[i], base, 0, 0, 0, 0, 0);

	/* Power domains: only the live-insert domain -1 exists. */
	CALL("get-power-level", 1, 2, 0xffffffff, 0, 0, 0, 0, 0, 0);
	CALL("get-power-level", 1, 2, 0, 0, 0, 0, 0, 0, 0);
	CALL("get-power-level", 2, 2, 0xffffffff, 0, 0, 0, 0, 0, 0);
	CALL("set-power-level", 2, 2, 0xffffffff, 100, 0, 0, 0, 0, 0);
	CALL("set-power-level", 2, 2, 0xffffffff, 0, 0, 0, 0, 0, 0);
	CALL("set-power-level", 2, 2, 5, 100, 0, 0, 0, 0, 0);
	CALL("set-power-level", 1, 2, 0xffffffff, 0, 0, 0, 0, 0, 0);

	/* Interrupt sources. */
	static const u32 irqs[] = { 0, 2, 0xfff, 0x1000, 0x1001, 0x1002, 0x1fff, 0x2000, 0xffffffff };
	for (unsigned i = 0; i < ARRAY_SIZE(irqs); i++) {
		CALL("ibm,get-xive", 1, 3, irqs[i], 0, 0, 0, 0, 0, 0);
		CALL("ibm,set-xive", 3, 1, irqs[i], 0, 5, 0, 0, 0, 0);
		CALL("ibm,get-xive", 1, 3, irqs[i], 0, 0, 0, 0, 0, 0);
		CALL("ibm,int-off", 1, 1, irqs[i], 0, 0, 0, 0, 0, 0);
		CALL("ibm,get-xive", 1, 3, irqs[i], 0, 0, 0, 0, 0, 0);
		CALL("ibm,int-on", 1, 1, irqs[i], 0, 0, 0, 0, 0, 0);
		CALL("ibm,get-xive", 1, 3, irqs[i], 0, 0, 0, 0, 0, 0);
	}
	CALL("ibm,set-xive", 3, 1, 0x1002, 1, 5, 0, 0, 0, 0);
	CALL("ibm,set-xive", 3, 1, 0x1002, 99, 5, 0, 0, 0, 0);
	CALL("ibm,set-xive", 3, 1, 0x1002, 0, 0x100, 0, 0, 0, 0);
	CALL("ibm,set-xive", 3, 1, 0x1003, 0, 7, 0, 0, 0, 0);
	CALL("ibm,int-off", 1, 1, 0x1003, 0, 0, 0, 0, 0, 0);
	CALL("ibm,int-off", 1, 1, 0x1003, 0, 0, 0, 0, 0, 0);
	CALL("ibm,int-on", 1, 1, 0x1003, 0, 0, 0, 0, 0, 0);
	CALL("ibm,get-xive", 1, 3, 0x1003, 0, 0, 0, 0, 0, 0);
	CALL("ibm,set-xive", 3, 1, 0x1002, 0, 0xff, 0, 0, 0, 0);
	CALL("ibm,get-xive", 1, 3, 0x1002, 0, 0, 0, 0, 0, 0);
	CALL("ibm,set-xive", 2, 1, 0x1002, 0, 0, 0, 0, 0, 0);
	CALL("ibm,get-xive", 1, 2, 0x1002, 0, 0, 0, 0, 0, 0);
	CALL("ibm,int-on", 2, 1, 0x1002, 0, 0, 0, 0, 0, 0);
	CALL("ibm,int-off", 1, 2, 0x1002, 0, 0, 0, 0, 0, 0);

	/* Events: nothing has happened. */
	memset(buf, 0, 64);
	CALL("event-scan", 4, 1, 0xffffffff, 0, base, 2048, 0, 0, 0);
	CALL("event-scan", 3, 1, 0xffffffff, 0, base, 0, 0, 0, 0);
	CALL("check-exception", 6, 1, 0x500, 0, 0xffffffff, 0, base, 2048, 0);
	CALL("check-exception", 7, 1, 0x500, 0, 0xffffffff, 0, base, 2048, 0);
	CALL("check-exception", 5, 1, 0x500, 0, 0xffffffff, 0, base, 0, 0);
	printf("event buffer untouched: %s\n", buf[0] == 0 && buf[1] == 0 ? "yes" : "no");

	/* Indicators and sensors of dynamic reconfiguration, for connectors that do not exist. */
	CALL("get-sensor-state", 2, 2, 9003, 0x12345678, 0, 0, 0, 0, 0);
	CALL("get-sensor-state", 2, 2, 1, 0, 0, 0, 0, 0, 0);
	CALL("get-sensor-state", 1, 2, 9003, 0, 0, 0, 0, 0, 0);
	CALL("set-indicator", 3, 1, 9001, 0x12345678, 0, 0, 0, 0, 0);
	CALL("set-indicator", 3, 1, 9002, 0x12345678, 1, 0, 0, 0, 0);
	CALL("set-indicator", 3, 1, 9003, 0x12345678, 1, 0, 0, 0, 0);
	CALL("set-indicator", 3, 1, 1, 0, 0, 0, 0, 0, 0);
	CALL("set-indicator", 2, 1, 9001, 0, 0, 0, 0, 0, 0);
	memset(buf, 0, 64);
	buf[3] = 0x12; /* work area: a DRC index of 0x12 */
	CALL("ibm,configure-connector", 2, 1, base, 0, 0, 0, 0, 0, 0);
	CALL("ibm,configure-connector", 1, 1, base, 0, 0, 0, 0, 0, 0);

	/* PCI and its error recovery, for a bus unit that does not exist. */
	CALL("read-pci-config", 2, 2, 0, 4, 0, 0, 0, 0, 0);
	CALL("write-pci-config", 3, 1, 0, 4, 0, 0, 0, 0, 0);
	CALL("ibm,read-pci-config", 4, 2, 0, 0x1234, 0x5678, 4, 0, 0, 0);
	CALL("ibm,write-pci-config", 5, 1, 0, 0x1234, 0x5678, 4, 0, 0, 0);
	CALL("ibm,query-interrupt-source-number", 3, 3, 0, 0x1234, 0x5678, 0, 0, 0, 0);
	CALL("ibm,change-msi", 6, 4, 0, 0x1234, 0x5678, 1, 1, 0, 0);
	CALL("ibm,set-eeh-option", 4, 1, 0, 0x1234, 0x5678, 1, 0, 0, 0);
	CALL("ibm,get-config-addr-info2", 4, 2, 0, 0x1234, 0x5678, 0, 0, 0, 0);
	CALL("ibm,read-slot-reset-state2", 3, 4, 0, 0x1234, 0x5678, 0, 0, 0, 0);
	CALL("ibm,set-slot-reset", 4, 1, 0, 0x1234, 0x5678, 1, 0, 0, 0);
	CALL("ibm,configure-pe", 3, 1, 0, 0x1234, 0x5678, 0, 0, 0, 0);
	CALL("ibm,slot-error-detail", 7, 1, 0, 0x1234, 0x5678, base, 64, 0, 0);
	CALL("ibm,query-pe-dma-window", 3, 5, 0, 0x1234, 0x5678, 0, 0, 0, 0);
	CALL("ibm,create-pe-dma-window", 5, 4, 0, 0x1234, 0x5678, 16, 30, 0, 0);
	CALL("ibm,remove-pe-dma-window", 1, 1, 0x12345678, 0, 0, 0, 0, 0, 0);
	CALL("ibm,reset-pe-dma-window", 3, 1, 0, 0x1234, 0x5678, 0, 0, 0, 0);
	CALL("ibm,set-tce-bypass", 2, 1, 0x12345678, 1, 0, 0, 0, 0, 0);
	CALL("quiesce", 0, 1, 0, 0, 0, 0, 0, 0, 0);

	/* NVRAM: what a fresh machine holds, a store read back, and the bounds. */
	memset(buf, 0xee, 64);
	CALL("nvram-fetch", 3, 2, 0, base, 32, 0, 0, 0, 0);
	printf("  nvram[0..32):");
	for (int i = 0; i < 32; i++)
		printf(" %02x", buf[i]);
	printf("\n");
	u32 sum = 0;
	for (u32 off = 0; off < 0x10000; off += 4096) {
		CALL("nvram-fetch", 3, 2, off, base, 4096, 0, 0, 0, 0);
		for (int i = 0; i < 4096; i++)
			sum = sum * 31 + buf[i];
	}
	printf("  nvram checksum 0x%08x\n", sum);
	for (int i = 0; i < 8; i++)
		buf[i] = 0xa0 + i;
	CALL("nvram-store", 3, 2, 0x100, base, 8, 0, 0, 0, 0);
	memset(buf, 0, 8);
	CALL("nvram-fetch", 3, 2, 0x100, base, 8, 0, 0, 0, 0);
	printf("  read back: %02x %02x %02x %02x %02x %02x %02x %02x\n", buf[0], buf[1], buf[2], buf[3], buf[4],
	       buf[5], buf[6], buf[7]);
	CALL("nvram-fetch", 3, 2, 0xfff8, base, 8, 0, 0, 0, 0);
	CALL("nvram-fetch", 3, 2, 0xfff8, base, 9, 0, 0, 0, 0);
	/* Not called: nvram-fetch at offset 0x10000 with length 0, which kills QEMU 10.0 (SIGSEGV). */
	CALL("nvram-fetch", 3, 2, 0x10000, base, 1, 0, 0, 0, 0);
	CALL("nvram-fetch", 3, 2, 0xffffffff, base, 2, 0, 0, 0, 0);
	CALL("nvram-store", 3, 2, 0xfffc, base, 8, 0, 0, 0, 0);
	CALL("nvram-store", 3, 2, 0, 0x7ffff000, 8, 0, 0, 0, 0);
	CALL("nvram-fetch", 2, 2, 0, base, 8, 0, 0, 0, 0);
	CALL("nvram-store", 3, 1, 0, base, 8, 0, 0, 0, 0);

	/*
	 * Firmware-assisted NMI needs RTAS instantiated in guest memory (linux,rtas-base): a machine
	 * whose firmware left none (QEMU started without SLOF or VOF) refuses it, one that did (jvisor,
	 * which acts as that firmware) takes handlers below 32 MiB. The line printed is the same
	 * either way when each machine answers by its own tree.
	 */
	u32 r[2];
	int instantiated = fdt_prop(fdt_path("/rtas"), "linux,rtas-base", NULL) != NULL;
	int before = rtas_call("ibm,nmi-interlock", 0, 1, r);
	int good = rtas_call("ibm,nmi-register", 2, 1, r, 0x1000, 0x2000);
	int high = rtas_call("ibm,nmi-register", 2, 1, r, 0x4000000, 0x2000);
	int after = rtas_call("ibm,nmi-interlock", 0, 1, r);
	int ok = instantiated ? before == -3 && good == 0 && high == -3 && after == 0
			      : before == -3 && good == -3 && high == -3 && after == -3;
	if (ok)
		pass("ibm,nmi-register and ibm,nmi-interlock answer as the tree's RTAS instantiation says");
	else
		fail("ibm,nmi-register and ibm,nmi-interlock (instantiated %d): %d %d %d %d", instantiated, before, good,
		     high, after);

	/* A token that is no service. */
	static u32 block[5] __attribute__((aligned(16)));
	block[0] = cpu_to_be32(0x1fff);
	block[1] = cpu_to_be32(0);
	block[2] = cpu_to_be32(1);
	block[3] = 0;
	__asm__ volatile("sync" : : : "memory");
	long rc = hcall(KVMPPC_H_RTAS, (long)(uintptr_t)block, 0, 0, 0, 0, 0);
	printf("token 0x1fff: hypercall %ld, status %d\n", rc, (int)be32_to_cpu(block[3]));
	return 0;
}
