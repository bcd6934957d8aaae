/*
 * mmio: drives the ns16550 UART the device tree lists, with the MMU off and
 * then with the MMU on through its own radix mapping of the device (cache
 * inhibited, non-idempotent I/O), using every access size, sign-extending,
 * update, indexed and byte-reversed forms, writes characters through THR,
 * and loads from an address with no device behind it (a machine check at
 * 0x200 with SRR0 at the load).
 *
 * jvisor's UART registers are bytes; a wider access reaches consecutive
 * registers in address order. With LCR[DLAB] set, offsets 0..7 are DLL, DLM,
 * IIR (FCR when written), LCR, MCR, LSR, MSR, SCR; MSR reads 0xb0 (carrier,
 * DSR, CTS) outside loopback, so it has its top bit set.
 *
 * QEMU's pseries has no such UART: there the guest prints a SKIP line and
 * stops, so it still runs everywhere, but its output differs by design and
 * the differential test leaves it out.
 */
#include "rt.h"

#define DLL 0
#define DLM 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7
#define DLAB 0x80
#define MMIO_EA 0x80000000UL		/* MMU on: the UART's page, beyond RAM's identity map */
#define PTE_ATT_IO 0x20UL		/* ATT = 0b10: non-idempotent I/O */

static u64 uart_pa;

/* Loads and stores of each form, on an address register. */
#define LOAD(op, a) ({ u64 _v; __asm__ volatile(op " %0,0(%1)" : "=r"(_v) : "b"(a) : "memory"); _v; })
#define LOADX(op, a, i) ({ u64 _v; __asm__ volatile(op " %0,%1,%2" : "=r"(_v) : "b"(a), "r"(i) : "memory"); _v; })
#define STORE(op, a, v) __asm__ volatile(op " %0,0(%1)" : : "r"((u64)(v)), "b"(a) : "memory")
#define STOREX(op, a, i, v) __asm__ volatile(op " %0,%1,%2" : : "r"((u64)(v)), "b"(a), "r"(i) : "memory")

static u8 rb(u64 base, int reg)
{
	return (u8)LOAD("lbz", base + reg);
}

static void wb(u64 base, int reg, u8 v)
{
	STORE("stb", base + reg, v);
}

/* The value an n-byte load sees for these bytes in this build's byte order. */
static u64 bytes_value(const u8 *b, int n)
{
	u64 v = 0;
	for (int i = 0; i < n; i++)
#ifdef __LITTLE_ENDIAN__
		v |= (u64)b[i] << (8 * i);
#else
		v = (v << 8) | b[i];
#endif
	return v;
}

static u64 sext(u64 v, int bytes)
{
	int sh = 64 - 8 * bytes;
	return (u64)((s64)(v << sh) >> sh);
}

static u64 bswap(u64 v, int bytes)
{
	return bytes == 2 ? __builtin_bswap16((u16)v) : bytes == 4 ? __builtin_bswap32((u32)v) : __builtin_bswap64(v);
}

static void thr_line(u64 base, const char *s)
{
	console_flush();
	wb(base, LCR, 0x03);			/* 8N1, DLAB off: offset 0 is THR */
	for (; *s; s++)
		wb(base, 0, (u8)*s);
}

static void suite(u64 base, const char *mode)
{
	u64 v, want, a;

	thr_line(base, "THR: ");
	thr_line(base, mode);
	thr_line(base, "\n");

	/* Byte accesses. */
	v = rb(base, MSR);
	check(v == 0xb0, "%s: lbz MSR = 0x%lx", mode, v);
	wb(base, SCR, 0x5a);
	check(rb(base, SCR) == 0x5a, "%s: stb/lbz SCR", mode);
	v = LOADX("lbzx", base, (u64)SCR);
	check(v == 0x5a, "%s: lbzx SCR = 0x%lx", mode, v);
	STOREX("stbx", base, (u64)SCR, 0xa5);
	check(rb(base, SCR) == 0xa5, "%s: stbx SCR", mode);
	a = base;
	__asm__ volatile("lbzu %0,7(%1)" : "=&r"(v), "+b"(a) : : "memory");
	check(v == 0xa5 && a == base + SCR, "%s: lbzu SCR = 0x%lx, RA = base+%lu", mode, v, a - base);
	a = base;
	__asm__ volatile("stbu %1,7(%0)" : "+b"(a) : "r"(0x3cUL) : "memory");
	check(rb(base, SCR) == 0x3c && a == base + SCR, "%s: stbu SCR, RA = base+%lu", mode, a - base);
	a = base;
	__asm__ volatile("lbzux %0,%1,%2" : "=&r"(v), "+b"(a) : "r"((u64)MSR) : "memory");
	check(v == 0xb0 && a == base + MSR, "%s: lbzux MSR = 0x%lx, RA = base+%lu", mode, v, a - base);

	/* Halfwords at MSR: MSR (0xb0) then SCR. */
	wb(base, SCR, 0x81);
	u8 hb[2] = { 0xb0, 0x81 };
	want = bytes_value(hb, 2);
	v = LOAD("lhz", base + MSR);
	check(v == want, "%s: lhz MSR:SCR = 0x%lx", mode, v);
	v = LOAD("lha", base + MSR);
	check(v == sext(want, 2), "%s: lha MSR:SCR = 0x%lx (sign-extended)", mode, v);
	v = LOADX("lhax", base, (u64)MSR);
	check(v == sext(want, 2), "%s: lhax = 0x%lx", mode, v);
	v = LOADX("lhbrx", base, (u64)MSR);
	check(v == bswap(want, 2), "%s: lhbrx = 0x%lx", mode, v);
	a = base;
	__asm__ volatile("lhau %0,6(%1)" : "=&r"(v), "+b"(a) : : "memory");
	check(v == sext(want, 2) && a == base + MSR, "%s: lhau = 0x%lx, RA = base+%lu", mode, v, a - base);
	/* sth at MSR: the byte for MSR is dropped (read-only), SCR takes the other. */
	u8 sb[2] = { 0x11, 0x77 };
	STORE("sth", base + MSR, bytes_value(sb, 2));
	check(rb(base, SCR) == 0x77, "%s: sth MSR:SCR wrote SCR = 0x%x", mode, rb(base, SCR));
	STOREX("sthbrx", base, (u64)MSR, bswap(bytes_value((u8[]){ 0x22, 0x99 }, 2), 2));
	check(rb(base, SCR) == 0x99, "%s: sthbrx wrote SCR = 0x%x", mode, rb(base, SCR));

	/* Words at 0 with DLAB: DLL, DLM, FCR/IIR, LCR. */
	wb(base, FCR, 0);
	wb(base, LCR, DLAB);		/* first: the stw reaches DLL before LCR */
	u8 wbytes[4] = { 0x12, 0xf4, 0x00, DLAB };
	STORE("stw", base, bytes_value(wbytes, 4));
	check(rb(base, DLL) == 0x12 && rb(base, DLM) == 0xf4 && rb(base, LCR) == DLAB,
	      "%s: stw DLL:DLM:FCR:LCR", mode);
	u8 rbytes[4] = { 0x12, 0xf4, 0x01, DLAB };	/* IIR reads 0x01: nothing pending */
	want = bytes_value(rbytes, 4);
	v = LOAD("lwz", base);
	check(v == want, "%s: lwz DLL:DLM:IIR:LCR = 0x%lx", mode, v);
	v = LOAD("lwa", base);
	check(v == sext(want, 4), "%s: lwa = 0x%lx (sign-extended)", mode, v);
	v = LOADX("lwax", base, 0UL);
	check(v == sext(want, 4), "%s: lwax = 0x%lx", mode, v);
	v = LOADX("lwbrx", base, 0UL);
	check(v == bswap(want, 4), "%s: lwbrx = 0x%lx", mode, v);
	a = base - 4;
	__asm__ volatile("lwzu %0,4(%1)" : "=&r"(v), "+b"(a) : : "memory");
	check(v == want && a == base, "%s: lwzu = 0x%lx, RA = base", mode, v);
	STOREX("stwbrx", base, 0UL, bswap(bytes_value((u8[]){ 0x56, 0x78, 0x00, DLAB }, 4), 4));
	check(rb(base, DLL) == 0x56 && rb(base, DLM) == 0x78, "%s: stwbrx DLL:DLM", mode);

	/* Doublewords at 0 with DLAB: all eight registers (LSR masked: it
	 * shows console input). */
	wb(base, MCR, 0x03);
	wb(base, SCR, 0xc3);
	u8 db[8] = { 0x56, 0x78, 0x01, DLAB, 0x03, 0x00, 0xb0, 0xc3 };
	u8 mask[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff };
	u64 m = bytes_value(mask, 8);
	want = bytes_value(db, 8);
	v = LOAD("ld", base);
	check((v & m) == want, "%s: ld all registers = 0x%016lx", mode, v & m);
	v = LOADX("ldx", base, 0UL);
	check((v & m) == want, "%s: ldx", mode);
	v = LOADX("ldbrx", base, 0UL);
	check((v & bswap(m, 8)) == bswap(want, 8), "%s: ldbrx = 0x%016lx", mode, v & bswap(m, 8));
	a = base - 8;
	__asm__ volatile("ldu %0,8(%1)" : "=&r"(v), "+b"(a) : : "memory");
	check((v & m) == want && a == base, "%s: ldu, RA = base", mode);
	u8 sdb[8] = { 0x9a, 0xbc, 0x00, DLAB, 0x00, 0xee, 0xee, 0x42 };
	STORE("std", base, bytes_value(sdb, 8));
	check(rb(base, DLL) == 0x9a && rb(base, DLM) == 0xbc && rb(base, MCR) == 0 && rb(base, SCR) == 0x42 &&
	      rb(base, MSR) == 0xb0, "%s: std all registers (LSR, MSR read-only)", mode);
	STOREX("stdbrx", base, 0UL, bswap(bytes_value((u8[]){ 0x0c, 0x00, 0x00, DLAB, 0x00, 0, 0, 0x24 }, 8), 8));
	check(rb(base, DLL) == 0x0c && rb(base, DLM) == 0 && rb(base, SCR) == 0x24, "%s: stdbrx", mode);

	thr_line(base, "THR: done with ");
	thr_line(base, mode);
	thr_line(base, "\n");
}

/* A load from an address with no device: machine check, then on. */
static volatile struct {
	int armed, taken;
	u64 vec, nip, dar, srr1;
} mc;

static int hook(struct regs *r)
{
	if (!mc.armed || r->vec != 0x200)
		return 0;
	mc.armed = 0;
	mc.taken++;
	mc.vec = r->vec;
	mc.nip = r->nip;
	mc.dar = r->dar;
	mc.srr1 = r->msr;
	r->nip += 4;
	return 1;
}

__asm__("	.text\n"
	"	.globl nowhere_load, t_nowhere\n"
	"nowhere_load:\n"
	"	li 4,0\n"
	"t_nowhere: lwz 4,0(3)\n"
	"	mr 3,4\n"
	"	blr\n");
extern char t_nowhere[];
u64 nowhere_load(u64 addr);

static void test_nowhere(u64 addr, const char *mode)
{
	mc.taken = 0;
	mc.armed = 1;
	u64 v = nowhere_load(addr);
	mc.armed = 0;
	check(mc.taken == 1, "%s: a load from 0x%lx (no device) raised a machine check", mode, addr);
	printf("%s: machine check vec 0x%lx srr0 t_nowhere+%ld dar 0x%lx srr1 0x%016lx, loaded 0x%lx\n", mode,
	       mc.vec, (long)(mc.nip - (u64)t_nowhere), mc.dar, mc.srr1 & SRR1_ARCH_MASK, v);
	check(mc.nip == (u64)t_nowhere, "%s: SRR0 is the load", mode);
	check(mc.dar == addr, "%s: DAR is the load's address", mode);
}

static int find_uart(void)
{
	int root = fdt_path("/");
	for (int c = fdt_first_child(root); c >= 0; c = fdt_next_sibling(c)) {
		int len;
		const char *compat = fdt_prop(c, "compatible", &len);
		const u32 *reg = fdt_prop(c, "reg", &len);
		if (!compat || !reg || len < 16)
			continue;
		for (int i = 0; i < len && compat[i]; i += strlen(compat + i) + 1)
			if (!strcmp(compat + i, "ns16550")) {
				uart_pa = fdt_read_cells(reg, 2);
				printf("uart: %s at 0x%lx, %lu registers\n", fdt_node_name(c), uart_pa,
				       (u64)fdt_read_cells(reg + 2, 2));
				return 1;
			}
	}
	return 0;
}

int main(void)
{
	if (!find_uart()) {
		skip("no ns16550 in the device tree");
		return 0;
	}
	rt_trap_hook = hook;

	suite(uart_pa, "MMU off");
	test_nowhere(uart_pa + 0x1000, "MMU off");

	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	check(!mmu_map(1, MMIO_EA, uart_pa & ~0xfffUL, 4096,
		       PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW | PTE_ATT_IO) &&
	      !mmu_map(1, MMIO_EA + 0x1000, (uart_pa & ~0xfffUL) + 0x1000, 4096,
		       PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW | PTE_ATT_IO),
	      "the UART's page and the next one mapped cache-inhibited at 0x%lx", MMIO_EA);
	check(mmu_register() == 0, "H_REGISTER_PROCESS_TABLE");
	mmu_on(1);
	suite(MMIO_EA + (uart_pa & 0xfff), "MMU on");
	test_nowhere(MMIO_EA + 0x1000, "MMU on");
	mmu_off();
	return 0;
}
