/*
 * smp: secondary CPUs under RTAS and XICS.
 *
 * The CPUs come from the device tree (/cpus/ * with device_type "cpu", their
 * server numbers from ibm,ppc-interrupt-server#s). The boot CPU checks
 * query-cpu-stopped-state, starts every secondary with start-cpu on its
 * own stack, and each secondary reports its PIR, adds to a shared counter
 * with lwarx/stwcx. while the boot CPU does the same, and goes to sleep in
 * H_CEDE with interrupts enabled. The boot CPU wakes it with H_IPI; its
 * external interrupt handler accepts the IPI with H_XIRR, clears it with
 * H_IPI(self, 0xff) and ends it with H_EOI, then the secondary wakes the
 * boot CPU the same way and stops itself with RTAS stop-self. The boot CPU
 * also checks the XICS presentation rules on itself by polling (H_IPOLL)
 * with interrupts off: CPPR gating, accept, EOI, and the IPI staying
 * pending while MFRR is below CPPR.
 *
 * Only the boot CPU prints: secondaries leave their results in memory. The
 * output depends only on the number of CPUs (the differential test uses 2).
 */
#include "rt.h"

#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_CEDE 0xe0
#define H_PARAMETER (-4)
#define SPR_PIR 1023
#define XICS_IPI 2
#define MAX_CPUS 8
#define ADDS 20000		/* counter increments per CPU */
#define SPIN 200000000UL	/* bound on every wait */

#define STACK_SIZE 16384
#define EXC_STACK_SIZE 8192

/* One per CPU; a secondary gets its own slot's address in r3. Offsets of
 * the first two fields are used by the entry code. */
struct slot {
	u64 stack_top;		/* 0 */
	u64 exc_stack_top;	/* 8 */
	u32 server;
	volatile u32 pir;
	volatile u32 phase;	/* how far the secondary got */
	volatile u32 ipis;	/* IPIs taken by its handler */
	volatile u32 entries;	/* times its handler ran for the first IPI */
	volatile u32 runs;	/* times the secondary was started */
	volatile u32 which;	/* 0: first round, 1: the restart */
	volatile long st_cede_first, st_cppr, st_ipi_back;
	volatile u32 xirr_seen;
};

static struct slot slots[MAX_CPUS];
static u8 stacks[MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));
static u8 exc_stacks[MAX_CPUS][EXC_STACK_SIZE] __attribute__((aligned(16)));
static volatile u32 counter __attribute__((aligned(128)));
static volatile u32 go_add;
static u32 boot_server;
static struct slot *boot_slot;
/* Set while the first IPI to a secondary is being handled: its handler
 * then ends the interrupt once without clearing MFRR, so that the IPI must
 * be presented again. */
static volatile u32 level_test_server = 0xffffffff;

static inline u32 pir(void)
{
	return (u32)mfspr(SPR_PIR);
}

static struct slot *my_slot(void)
{
	u32 me = pir();
	for (int i = 0; i < MAX_CPUS; i++)
		if (slots[i].stack_top && slots[i].server == me)
			return &slots[i];
	return NULL;
}

static void atomic_add(volatile u32 *p, u32 v)
{
	u32 t;
	__asm__ volatile("1:	lwarx %0,0,%1\n"
			 "	add %0,%0,%2\n"
			 "	stwcx. %0,0,%1\n"
			 "	bne- 1b\n"
			 : "=&r"(t) : "r"(p), "r"(v) : "cr0", "memory");
}

static void barrier(void)
{
	__asm__ volatile("sync" ::: "memory");
}

/* RTAS with a block of the caller's own (lib/rtas.c has one shared block). */
static int rtas_local(u32 token, int nargs, int nret, u32 *args, u32 *rets)
{
	u32 b[16] __attribute__((aligned(16)));
	b[0] = cpu_to_be32(token);
	b[1] = cpu_to_be32(nargs);
	b[2] = cpu_to_be32(nret);
	for (int i = 0; i < nargs; i++)
		b[3 + i] = cpu_to_be32(args[i]);
	for (int i = 0; i < nret; i++)
		b[3 + nargs + i] = 0;
	barrier();
	long rc = hcall(KVMPPC_H_RTAS, (long)(uintptr_t)b, 0, 0, 0, 0, 0);
	for (int i = 0; i < nret; i++)
		rets[i] = be32_to_cpu(b[3 + nargs + i]);
	return (int)rc;
}

static int query_stopped(u32 server)
{
	u32 a[1] = { server }, r[2];
	rtas_local(rtas_token("query-cpu-stopped-state"), 1, 2, a, r);
	return r[0] ? -100 + (int)r[0] : (int)r[1];
}

static int start_cpu(u32 server, u64 entry, u64 r3)
{
	u32 a[3] = { server, (u32)entry, (u32)r3 }, r[1];
	rtas_local(rtas_token("start-cpu"), 3, 1, a, r);
	return (int)r[0];
}

/* ---- the external interrupt handler (any CPU) ---------------------------- */

static int ext_handler(struct regs *r)
{
	if (r->vec != 0x500)
		return 0;
	struct slot *s = my_slot();
	u64 out[3];
	hcall_ret(H_XIRR, 0, 0, 0, 0, 0, 0, out);
	u32 xirr = (u32)out[0];
	if ((xirr & 0xffffff) != XICS_IPI) {
		/* Nothing (or not ours): end it and carry on. */
		if (xirr & 0xffffff)
			hcall(H_EOI, xirr, 0, 0, 0, 0, 0);
		return 1;
	}
	if (s) {
		s->xirr_seen = xirr;
		if (s->server == level_test_server) {
			s->entries++;
			if (s->entries == 1) {
				/* MFRR stays below CPPR: after this EOI the IPI is
				 * presented again and this handler runs once more. */
				hcall(H_EOI, xirr, 0, 0, 0, 0, 0);
				return 1;
			}
		}
	}
	hcall(H_IPI, pir(), 0xff, 0, 0, 0, 0);
	hcall(H_EOI, xirr, 0, 0, 0, 0, 0);
	if (s) {
		barrier();
		s->ipis++;
	}
	return 1;
}

/* Sleeps in H_CEDE (entered with EE off; the hypervisor enables it) until
 * the handler has counted an IPI beyond `seen`. */
static long cede_until_ipi(struct slot *s, u32 seen)
{
	long first = 1;
	for (unsigned long n = 0; s->ipis == seen && n < SPIN; n++) {
		mtmsrd(mfmsr() & ~MSR_EE);
		long rc = hcall(H_CEDE, 0, 0, 0, 0, 0, 0);
		if (first == 1)
			first = rc;
	}
	mtmsrd(mfmsr() & ~MSR_EE);
	return first;
}

/* ---- secondary CPUs ------------------------------------------------------ */

void secondary_main(struct slot *s);

/*
 * start-cpu enters here big-endian with MSR = SF|ME and r3 = the slot. The
 * first eight words are big-endian in both builds and switch to the build's
 * byte order (as crt0 does); then the slot's stacks, the TOC and C.
 */
#define BEW(x) ".byte ((" #x ")>>24)&0xff,((" #x ")>>16)&0xff,((" #x ")>>8)&0xff,(" #x ")&0xff\n"
#ifdef __LITTLE_ENDIAN__
#define SET_LE BEW(0x618c0001)
#else
#define SET_LE BEW(0x60000000)
#endif
__asm__(
	"	.text\n"
	"	.balign 4\n"
	"	.globl secondary_entry\n"
	"secondary_entry:\n"
	BEW(0x48000005)		/* bl +4 */
	BEW(0x7d6802a6)		/* mflr r11 */
	BEW(0x7d8000a6)		/* mfmsr r12 */
	SET_LE			/* ori r12,r12,1 (LE) or nop */
	BEW(0x396b001c)		/* addi r11,r11,28: 1f */
	BEW(0x7d7a03a6)		/* mtsrr0 r11 */
	BEW(0x7d9b03a6)		/* mtsrr1 r12 */
	BEW(0x4c000024)		/* rfid */
	"1:	ld 1,0(3)\n"
	"	ld 9,8(3)\n"
	"	mtspr 275,9\n"		/* SPRG3: this CPU's interrupt stack */
	"	lis 2,.TOC.@ha\n"
	"	addi 2,2,.TOC.@l\n"
	"	li 0,0\n"
	"	stdu 0,-64(1)\n"
	"	bl secondary_main\n"
	"	nop\n"
	"2:	b 2b\n");
extern char secondary_entry[];

static void stop_self(void)
{
	u32 r[1];
	rtas_local(rtas_token("stop-self"), 0, 0, NULL, r);
	/* stop-self does not return; if it does, say so through the phase. */
	struct slot *s = my_slot();
	if (s)
		s->phase = 99;
	for (;;)
		;
}

void secondary_main(struct slot *s)
{
	mtspr(SPR_DEC, 0x7fffffffUL);
	s->runs++;
	s->pir = pir();
	barrier();
	if (s->which == 1) {
		/* The restart: report and stop again. */
		s->phase = 10;
		barrier();
		stop_self();
	}
	s->phase = 1;
	while (!go_add)
		;
	for (int i = 0; i < ADDS; i++)
		atomic_add(&counter, 1);
	s->st_cppr = hcall(H_CPPR, 0xff, 0, 0, 0, 0, 0);
	barrier();
	s->phase = 2;		/* ready for the IPI */
	s->st_cede_first = cede_until_ipi(s, 0);
	s->phase = 3;
	/* Wake the boot CPU in turn. */
	s->st_ipi_back = hcall(H_IPI, boot_server, 5, 0, 0, 0, 0);
	barrier();
	s->phase = 4;
	stop_self();
}

/* ---- the boot CPU ------------------------------------------------------- */

static int wait_phase(struct slot *s, u32 phase)
{
	for (unsigned long n = 0; n < SPIN; n++)
		if (s->phase >= phase)
			return 1;
	return 0;
}

static int wait_stopped(u32 server)
{
	for (unsigned long n = 0; n < 1000000; n++)
		if (query_stopped(server) == 0)
			return 1;
	return 0;
}

static u32 ipoll(u32 *mfrr)
{
	u64 out[3];
	hcall_ret(H_IPOLL, 0, 0, 0, 0, 0, 0, out);
	*mfrr = (u32)out[1];
	return (u32)out[0];
}

static u32 xirr_accept(void)
{
	u64 out[3];
	hcall_ret(H_XIRR, 0, 0, 0, 0, 0, 0, out);
	return (u32)out[0];
}

/* XICS rules on the boot CPU itself, interrupts off, by polling. */
static void xics_local(void)
{
	u32 me = boot_server, m, x;

	check(hcall(H_CPPR, 0xff, 0, 0, 0, 0, 0) == 0, "H_CPPR(0xff)");
	x = ipoll(&m);
	printf("idle: xirr 0x%08x mfrr 0x%02x\n", x, m);
	check(x == 0xff000000 && m == 0xff, "nothing pending, CPPR 0xff, MFRR 0xff");

	/* CPPR more favoured than the IPI: held back until CPPR drops. */
	hcall(H_CPPR, 3, 0, 0, 0, 0, 0);
	check(hcall(H_IPI, me, 5, 0, 0, 0, 0) == 0, "H_IPI to self, priority 5");
	x = ipoll(&m);
	printf("masked: xirr 0x%08x mfrr 0x%02x\n", x, m);
	check((x & 0xffffff) == 0, "an IPI of priority 5 is not presented under CPPR 3");
	hcall(H_CPPR, 0xff, 0, 0, 0, 0, 0);
	x = ipoll(&m);
	printf("unmasked: xirr 0x%08x mfrr 0x%02x\n", x, m);
	check(x == 0xff000002, "lowering CPPR presents the IPI");

	x = xirr_accept();
	printf("H_XIRR: 0x%08x\n", x);
	check(x == 0xff000002, "H_XIRR returns the old CPPR and source 2");
	u32 y = ipoll(&m);
	printf("accepted: xirr 0x%08x\n", y);
	check(y == 0x05000000, "after H_XIRR, CPPR is the IPI's priority");

	/* EOI without clearing MFRR: the IPI is a level, presented again. */
	hcall(H_EOI, x, 0, 0, 0, 0, 0);
	y = ipoll(&m);
	printf("EOI, MFRR still 5: xirr 0x%08x\n", y);
	check(y == 0xff000002, "the IPI stays pending while MFRR < CPPR");

	/* The usual order: accept, clear MFRR, EOI. */
	x = xirr_accept();
	hcall(H_IPI, me, 0xff, 0, 0, 0, 0);
	hcall(H_EOI, x, 0, 0, 0, 0, 0);
	y = ipoll(&m);
	printf("cleared: xirr 0x%08x mfrr 0x%02x\n", y, m);
	check(y == 0xff000000 && m == 0xff, "accept, H_IPI 0xff, EOI: nothing pending");

	long rc = hcall(H_IPI, 0x7fff, 5, 0, 0, 0, 0);
	check(rc == H_PARAMETER, "H_IPI to a server that does not exist: H_PARAMETER (%ld)", rc);
}

int main(void)
{
	int cpus = fdt_path("/cpus"), n = 0;
	boot_server = pir();
	for (int c = cpus >= 0 ? fdt_first_child(cpus) : -1; c >= 0 && n < MAX_CPUS; c = fdt_next_sibling(c)) {
		int len;
		const char *type = fdt_prop(c, "device_type", &len);
		const u32 *srv = fdt_prop(c, "ibm,ppc-interrupt-server#s", &len);
		if (!type || strcmp(type, "cpu") || !srv || len < 4)
			continue;
		struct slot *s = &slots[n];
		s->server = be32_to_cpu(srv[0]);
		s->stack_top = (u64)(uintptr_t)&stacks[n][STACK_SIZE];
		s->exc_stack_top = (u64)(uintptr_t)&exc_stacks[n][EXC_STACK_SIZE];
		if (s->server == boot_server)
			boot_slot = s;
		n++;
	}
	printf("cpus: %d, boot cpu pir %u\n", n, boot_server);
	check(boot_slot != NULL, "the boot CPU is in /cpus");
	if (!boot_slot)
		return 0;
	for (u32 t = 0; t < 4; t++) {
		static const char *const names[] = { "start-cpu", "stop-self", "query-cpu-stopped-state",
						     "power-off" };
		check(rtas_token(names[t]) != 0xffffffff, "rtas token %s", names[t]);
	}

	rt_trap_hook = ext_handler;
	xics_local();

	if (n < 2) {
		skip("one CPU: nothing to start");
		return 0;
	}

	check(query_stopped(boot_server) == 2, "query-cpu-stopped-state: the boot CPU runs");
	for (int i = 0; i < n; i++) {
		struct slot *s = &slots[i];
		if (s == boot_slot)
			continue;
		int q = query_stopped(s->server);
		printf("cpu %u before start-cpu: state %d\n", s->server, q);
		check(q == 0, "cpu %u is stopped before start-cpu", s->server);
	}
	int st = start_cpu(0x7fff, (u64)(uintptr_t)secondary_entry, 0);
	check(st == -3, "start-cpu of a server that does not exist: parameter error (%d)", st);
	st = start_cpu(boot_server, (u64)(uintptr_t)secondary_entry, (u64)(uintptr_t)boot_slot);
	check(st == -1, "start-cpu of the running boot CPU: hardware error (%d)", st);

	/* Start them all; they report and wait for go_add. */
	for (int i = 0; i < n; i++) {
		struct slot *s = &slots[i];
		if (s == boot_slot)
			continue;
		st = start_cpu(s->server, (u64)(uintptr_t)secondary_entry, (u64)(uintptr_t)s);
		check(st == 0, "start-cpu %u", s->server);
	}
	for (int i = 0; i < n; i++) {
		struct slot *s = &slots[i];
		if (s == boot_slot)
			continue;
		int ok = wait_phase(s, 1);
		check(ok, "cpu %u reached its C function", s->server);
		printf("cpu %u: pir %u\n", s->server, s->pir);
		check(s->pir == s->server, "cpu %u: PIR is its server number", s->server);
		check(query_stopped(s->server) == 2, "cpu %u: query-cpu-stopped-state says running", s->server);
		st = start_cpu(s->server, (u64)(uintptr_t)secondary_entry, (u64)(uintptr_t)s);
		check(st == -1, "start-cpu of running cpu %u: hardware error (%d)", s->server, st);
	}

	/* Everyone adds to the counter at once. */
	barrier();
	go_add = 1;
	for (int i = 0; i < ADDS; i++)
		atomic_add(&counter, 1);
	for (int i = 0; i < n; i++)
		if (&slots[i] != boot_slot)
			wait_phase(&slots[i], 2);
	barrier();
	printf("counter: %u\n", counter);
	check(counter == (u32)n * ADDS, "lwarx/stwcx. counter from %d CPUs", n);

	/* IPIs, one secondary at a time: boot -> secondary (asleep in
	 * H_CEDE), then secondary -> boot (asleep in H_CEDE). */
	hcall(H_CPPR, 0xff, 0, 0, 0, 0, 0);
	for (int i = 0; i < n; i++) {
		struct slot *s = &slots[i];
		if (s == boot_slot)
			continue;
		int first = i == (boot_slot == &slots[0] ? 1 : 0);
		if (first)
			level_test_server = s->server;
		barrier();
		u32 seen = boot_slot->ipis;
		long rc = hcall(H_IPI, s->server, 5, 0, 0, 0, 0);
		check(rc == 0, "H_IPI to cpu %u", s->server);
		long crc = cede_until_ipi(boot_slot, seen);
		check(boot_slot->ipis == seen + 1, "boot CPU woken from H_CEDE by cpu %u's IPI", s->server);
		check(crc == 0, "H_CEDE returns H_SUCCESS");
		int ok = wait_phase(s, 4);
		check(ok && s->ipis == 1, "cpu %u woke from H_CEDE and took one IPI", s->server);
		check(s->st_cppr == 0 && s->st_cede_first == 0 && s->st_ipi_back == 0,
		      "cpu %u: H_CPPR, H_CEDE and H_IPI returned H_SUCCESS", s->server);
		printf("cpu %u: xirr 0x%08x\n", s->server, s->xirr_seen);
		if (first) {
			printf("cpu %u: handler entries for one IPI ended without clearing MFRR: %u\n",
			       s->server, s->entries);
			check(s->entries == 2, "an IPI ended while MFRR < CPPR is presented again");
			level_test_server = 0xffffffff;
		}
		check(wait_stopped(s->server), "cpu %u stopped itself (query-cpu-stopped-state 0)", s->server);
	}

	/* A stopped CPU can be started again. */
	struct slot *s = &slots[boot_slot == &slots[0] ? 1 : 0];
	s->which = 1;
	s->phase = 0;
	barrier();
	st = start_cpu(s->server, (u64)(uintptr_t)secondary_entry, (u64)(uintptr_t)s);
	check(st == 0, "start-cpu %u again after stop-self", s->server);
	check(wait_phase(s, 10) && s->runs == 2, "cpu %u ran a second time", s->server);
	check(wait_stopped(s->server), "cpu %u stopped again", s->server);
	for (int i = 0; i < n; i++)
		if (&slots[i] != boot_slot)
			check(slots[i].phase != 99, "cpu %u: stop-self did not return", slots[i].server);
	return 0;
}
