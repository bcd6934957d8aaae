/*
 * litmus: the POWER storage model, with CPUs racing for real.
 *
 * The boot CPU starts every other CPU (RTAS start-cpu) and runs each test
 * on a pair of CPUs at a time, CPUs 2p and 2p+1 for pair p, then the lock
 * tests on all CPUs at once. A CPU with nothing to do sleeps in H_CEDE
 * until an IPI wakes it, so only the CPUs of the test use host time. Each
 * test runs LITMUS_N iterations (per pair; per CPU for the locks); the
 * output is the count of outcomes the architecture forbids, which must be
 * 0, and the exact lock-protected counter: it depends only on LITMUS_N and
 * the number of CPUs.
 *
 * The tests (Power ISA v3.0B Book II 1.7.1 storage access ordering, 4.6.3
 * memory barrier instructions, appendix B.2 lock acquisition and release):
 *   mp+lwsync  writer: data = k; lwsync; flag = k.  reader: wait for flag to
 *              change (to f); lwsync; d = data.  Forbidden: d < f.
 *   mp+sync    the same with sync on both sides.
 *   mp+isync   writer as mp+lwsync; the reader's wait ends in a
 *              compare-and-branch on the flag it loaded, then isync, then
 *              d = data: the branch plus isync is an acquire.  Forbidden: d < f.
 *   sb+sync    P0: x = k; sync; r0[k] = y.  P1: y = k; sync; r1[k] = x.
 *              Forbidden: P0's iteration k missing P1's store y = j while
 *              P1's iteration j misses P0's store x = k.
 *   lb+deps    P0: a = x; y = k + dep(a).  P1: b = y; x = k + dep(b), where
 *              each store depends on every load before it.  Forbidden: a
 *              load that reads a store depending on itself.
 *   lock       lwarx/stwcx. then lwsync (or isync), a plain counter
 *              incremented, released by lwsync; stw 0.  The counter must be
 *              exact and no two CPUs inside at once.
 *
 * sb and lb keep what each iteration read in arrays from ARRAYS on; the
 * boot CPU looks for the forbidden cycles afterwards.
 */
#include "rt.h"

#ifndef LITMUS_N
#define LITMUS_N 100000
#endif
#define N ((u32)LITMUS_N)
/* Lock acquisitions per CPU: the lock tests need no lockstep, so they get
 * more iterations for the same time, and a lost update needs many tries. */
#define LOCK_N (4 * N)
#define ARRAYS 0x4000000UL	/* real address of the sb/lb record arrays */

#define SYNC() __asm__ volatile("sync" : : : "memory")
#define LWSYNC() __asm__ volatile("lwsync" : : : "memory")

/* One variable per reservation granule, so that only the accesses a test
 * means to race do. */
struct line {
	volatile u32 v;
	u32 pad[31];
} __attribute__((aligned(128)));

struct pair {
	struct line x, y, data, flag, ack;
	struct line bad;	/* forbidden outcomes the reader saw */
	u32 *rec[2];		/* what each role's iteration k read */
};

enum test { MP_LWSYNC = 1, MP_SYNC, MP_ISYNC, SB_SYNC, LB_DEPS, LOCK_LWSYNC, LOCK_ISYNC, QUIT };

static struct cpu cpus[CPUS_MAX];
static int ncpu, npairs;
static struct pair pair;	/* the variables of the pair test that runs */
static struct line lock, counter, owner;
static struct line overlaps[CPUS_MAX];	/* per CPU: someone else was inside too */
/* What to run next: the test, which CPUs (a mask), and a generation number
 * that changes for every run; each CPU reports the generation it finished. */
static struct line command, players, generation;
static struct line done[CPUS_MAX];

/* ---- the roles ------------------------------------------------------------ */

/*
 * The two CPUs of a pair go in lockstep: neither starts iteration k before
 * the other has finished iteration k - 1 (each waits on a value the other
 * stores anyway, or on the reader's ack). Every iteration is then a real
 * race between two CPUs running at the same time, also when the host runs
 * fewer threads than there are vCPUs: a pair only gets on while both of
 * its CPUs run. The waits only add loads before the accesses a test is
 * about, so they do not change what is forbidden.
 */
static void wait_for(volatile u32 *v, u32 at_least)
{
	while (*v < at_least)
		;
}

static void mp_writer(struct pair *p, int full)
{
	for (u32 k = 1; k <= N; k++) {
		wait_for(&p->ack.v, k - 1);
		p->data.v = k;
		if (full)
			SYNC();
		else
			LWSYNC();
		p->flag.v = k;
	}
}

static void mp_reader(struct pair *p, int full)
{
	u32 last = 0, bad = 0;
	while (last < N) {
		u32 f;
		while ((f = p->flag.v) == last)
			;
		if (full)
			SYNC();
		else
			LWSYNC();
		u32 d = p->data.v;
		if (d < f)
			bad++;
		last = f;
		p->ack.v = f;
	}
	p->bad.v = bad;
}

/* Waits for the flag to differ from last; the loop's final compare-and-branch
 * depends on the flag's value, and isync after it keeps the data load from
 * being performed before the flag load. */
static u32 flag_then_data_isync(volatile u32 *flag, u32 last, volatile u32 *data, u32 *d)
{
	u32 f, v;
	__asm__ volatile("1:	lwz %0,0(%2)\n"
			 "	cmpw %0,%3\n"
			 "	beq- 1b\n"
			 "	isync\n"
			 "	lwz %1,0(%4)\n"
			 : "=&r"(f), "=&r"(v)
			 : "b"(flag), "r"(last), "b"(data)
			 : "cr0", "memory");
	*d = v;
	return f;
}

static void mp_isync_reader(struct pair *p)
{
	u32 last = 0, bad = 0;
	while (last < N) {
		u32 d, f = flag_then_data_isync(&p->flag.v, last, &p->data.v, &d);
		if (d < f)
			bad++;
		last = f;
		p->ack.v = f;
	}
	p->bad.v = bad;
}

static void sb(struct pair *p, int role)
{
	volatile u32 *mine = role ? &p->y.v : &p->x.v, *other = role ? &p->x.v : &p->y.v;
	u32 *rec = p->rec[role];
	for (u32 k = 1; k <= N; k++) {
		wait_for(other, k - 1);
		*mine = k;
		SYNC();
		rec[k] = *other;
	}
}

/* A value that is always 0 but that the hardware must compute from v. */
static inline u32 dep(u32 v)
{
	u32 z;
	__asm__("xor %0,%1,%1" : "=r"(z) : "r"(v));
	return z;
}

static void lb(struct pair *p, int role)
{
	volatile u32 *in = role ? &p->y.v : &p->x.v, *out = role ? &p->x.v : &p->y.v;
	u32 *rec = p->rec[role];
	u32 z = 0;
	for (u32 k = 1; k <= N; k++) {
		wait_for(in, k - 1);
		u32 a = *in;
		z += dep(a);	/* every later store depends on this load */
		*out = k + z;
		rec[k] = a;
	}
}

/* The acquire of Book II B.2.1: lwarx/stwcx. until the lock word goes from
 * 0 to ours, then a barrier that keeps the critical section after the
 * stwcx. The lwsync lock spins on lwarx itself (a reservation per try, the
 * most contention the reservation machinery can get); the isync lock spins
 * with plain loads while the lock is taken, as Linux's spinlocks do. */
#define LOCK_ACQUIRE_LWSYNC()                                   \
	__asm__ volatile("1:	lwarx %0,0,%1\n"               \
			 "	cmpwi %0,0\n"                  \
			 "	bne- 1b\n"                     \
			 "	stwcx. %2,0,%1\n"              \
			 "	bne- 1b\n"                     \
			 "	lwsync\n"                      \
			 : "=&r"(t)                             \
			 : "r"(&lock.v), "r"(me)                \
			 : "cr0", "memory")
#define LOCK_ACQUIRE_ISYNC()                                    \
	__asm__ volatile("1:	lwarx %0,0,%1\n"               \
			 "	cmpwi %0,0\n"                  \
			 "	bne- 2f\n"                     \
			 "	stwcx. %2,0,%1\n"              \
			 "	bne- 1b\n"                     \
			 "	isync\n"                       \
			 "	b 3f\n"                        \
			 "2:	lwz %0,0(%1)\n"                \
			 "	cmpwi %0,0\n"                  \
			 "	bne+ 2b\n"                     \
			 "	b 1b\n"                        \
			 "3:\n"                                \
			 : "=&b"(t)                             \
			 : "b"(&lock.v), "r"(me)                \
			 : "cr0", "memory")

static void locker(int index, int isync)
{
	u32 me = (u32)index + 1, t, seen_other = 0;
	for (u32 k = 0; k < LOCK_N; k++) {
		if (isync)
			LOCK_ACQUIRE_ISYNC();
		else
			LOCK_ACQUIRE_LWSYNC();
		owner.v = me;
		counter.v = counter.v + 1;
		if (owner.v != me)
			seen_other++;
		/* The release of B.2.2: everything above before the store of 0. */
		LWSYNC();
		lock.v = 0;
	}
	overlaps[index].v = seen_other;
}

static void play(int index, enum test t)
{
	int role = index % 2;
	struct pair *p = &pair;
	switch (t) {
	case MP_LWSYNC:
	case MP_SYNC:
		if (role)
			mp_reader(p, t == MP_SYNC);
		else
			mp_writer(p, t == MP_SYNC);
		break;
	case MP_ISYNC:
		if (role)
			mp_isync_reader(p);
		else
			mp_writer(p, 0);
		break;
	case SB_SYNC:
		sb(p, role);
		break;
	case LB_DEPS:
		lb(p, role);
		break;
	case LOCK_LWSYNC:
	case LOCK_ISYNC:
		locker(index, t == LOCK_ISYNC);
		break;
	default:
		break;
	}
}

/* ---- sleeping and waking ------------------------------------------------- */

#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_XIRR 0x74
#define H_CEDE 0xe0
#define XICS_IPI 2

/* The external interrupt handler of every CPU: accept the IPI, clear it,
 * end it. The sleeper's loop looks at what changed. */
static int ipi_handler(struct regs *r)
{
	if (r->vec != 0x500)
		return 0;
	u64 out[3];
	hcall_ret(H_XIRR, 0, 0, 0, 0, 0, 0, out);
	u32 xirr = (u32)out[0];
	if ((xirr & 0xffffff) == XICS_IPI)
		hcall(H_IPI, (long)mfspr(1023), 0xff, 0, 0, 0, 0);
	if (xirr & 0xffffff)
		hcall(H_EOI, xirr, 0, 0, 0, 0, 0);
	return 1;
}

/* Sleeps in H_CEDE while *v == value. The check runs with MSR[EE]=0 and
 * H_CEDE turns EE on, so an IPI sent after the value changed is never lost:
 * it is pending and H_CEDE returns at once. */
static void sleep_while(volatile u32 *v, u32 value)
{
	for (;;) {
		mtmsrd(mfmsr() & ~MSR_EE);
		if (*v != value)
			break;
		hcall(H_CEDE, 0, 0, 0, 0, 0, 0);
	}
	mtmsrd(mfmsr() & ~MSR_EE);
}

static void sleep_until(volatile u32 *v, u32 value)
{
	for (;;) {
		mtmsrd(mfmsr() & ~MSR_EE);
		if (*v == value)
			break;
		hcall(H_CEDE, 0, 0, 0, 0, 0, 0);
	}
	mtmsrd(mfmsr() & ~MSR_EE);
}

static void wake(int index)
{
	hcall(H_IPI, cpus[index].server, 5, 0, 0, 0, 0);
}

/* ---- running a test on some CPUs ----------------------------------------- */

static void worker(struct cpu *c)
{
	int me = (int)c->index;
	u32 seen = 0;
	hcall(H_CPPR, 0xff, 0, 0, 0, 0, 0);
	for (;;) {
		sleep_while(&generation.v, seen);
		SYNC();
		seen = generation.v;
		enum test t = (enum test)command.v;
		if (players.v & (1u << me))
			play(me, t);
		SYNC();
		done[me].v = seen;
		SYNC();
		wake(0);
		if (t == QUIT)
			return;
	}
}

static void run(enum test t, u32 mask)
{
	struct pair *p = &pair;
	p->x.v = p->y.v = p->data.v = p->flag.v = p->ack.v = p->bad.v = 0;
	lock.v = counter.v = owner.v = 0;
	for (int i = 0; i < ncpu; i++)
		overlaps[i].v = 0;
	command.v = t;
	players.v = mask;
	SYNC();
	u32 g = generation.v + 1;
	generation.v = g;
	SYNC();
	for (int i = 1; i < ncpu; i++)
		if (mask & (1u << i))
			wake(i);
	if (mask & 1)
		play(0, t);
	for (int i = 1; i < ncpu; i++)
		if (mask & (1u << i))
			sleep_until(&done[i].v, g);
	SYNC();
}

/* ---- finding the forbidden cycles of sb and lb ---------------------------- */

/*
 * sb: P0's iteration k read y = a, so it missed P1's stores y = a+1 ... N.
 * The outcome is forbidden if one of those iterations j read x < k, i.e.
 * missed P0's store x = k. With m[j] = min(r1[j..N]) that is m[a+1] < k.
 */
static u32 sb_forbidden(struct pair *p)
{
	u32 *r0 = p->rec[0], *m = p->rec[1], bad = 0;
	m[N + 1] = 0xffffffff;
	for (u32 j = N; j >= 1; j--)
		if (m[j + 1] < m[j])
			m[j] = m[j + 1];
	for (u32 k = 1; k <= N; k++) {
		u32 a = r0[k];
		if (a > N || (a < N && m[a + 1] < k))
			bad++;
	}
	return bad;
}

/*
 * lb: P0's iteration k read x = a, written by P1's iteration a, which
 * depends on P1's load of y in that iteration; if that load read y = b with
 * b >= k, it read a store that depends on P0's load in iteration k: a cycle.
 */
static u32 lb_forbidden(struct pair *p)
{
	u32 *r0 = p->rec[0], *r1 = p->rec[1], bad = 0;
	for (u32 k = 1; k <= N; k++) {
		u32 a = r0[k];
		if (a > N || (a >= 1 && r1[a] >= k))
			bad++;
	}
	return bad;
}

/* Build with -DLITMUS_TIMING to see how long each test takes (not for the
 * differential test: the times differ from run to run). */
static void timing(const char *name, u64 since)
{
#ifdef LITMUS_TIMING
	printf("[%s: %lu ms]\n", name, (mftb() - since) / 512000);
#endif
}

static void pair_test(enum test t, const char *name, const char *what)
{
	u64 t0 = mftb();
	u32 bad = 0;
	for (int i = 0; i < npairs; i++) {
		run(t, 3u << (2 * i));
		bad += t == SB_SYNC ? sb_forbidden(&pair) : t == LB_DEPS ? lb_forbidden(&pair) : pair.bad.v;
	}
	timing(name, t0);
	printf("%s: %d pair(s) x %u iterations, forbidden outcomes (%s): %u\n", name, npairs, N, what, bad);
	check(bad == 0, "%s: no forbidden outcome", name);
}

static void lock_test(enum test t, const char *name)
{
	u64 t0 = mftb();
	run(t, (1u << ncpu) - 1);
	timing(name, t0);
	u32 seen = 0;
	for (int i = 0; i < ncpu; i++)
		seen += overlaps[i].v;
	u32 want = (u32)ncpu * LOCK_N;
	printf("%s: %d cpus x %u acquisitions, counter %u (expected %u), overlaps %u\n", name, ncpu, LOCK_N,
	       counter.v, want, seen);
	check(counter.v == want && seen == 0, "%s: the lock-protected counter is exact", name);
}

int main(void)
{
	ncpu = cpus_find(cpus, CPUS_MAX);
	npairs = ncpu / 2;
	printf("litmus: %d cpus, %u iterations per test\n", ncpu, N);
	if (ncpu < 2) {
		skip("one CPU: no litmus test");
		return 0;
	}
	u64 need = 2 * (N + 2) * sizeof(u32);
	if (ARRAYS + need > rt_ram_size) {
		fail("LITMUS_N %u needs %lu bytes of records from 0x%lx; RAM is 0x%lx", N, need, ARRAYS,
		     rt_ram_size);
		return 0;
	}
	for (int r = 0; r < 2; r++)
		pair.rec[r] = (u32 *)(uintptr_t)(ARRAYS + (u64)r * (N + 2) * sizeof(u32));
	rt_trap_hook = ipi_handler;
	hcall(H_CPPR, 0xff, 0, 0, 0, 0, 0);
	int started = 1;
	for (int i = 1; i < ncpu; i++)
		started += cpu_start(&cpus[i], worker) == 0;
	check(started == ncpu, "start-cpu for all %d cpus", ncpu);
	if (started != ncpu)
		return 0;

	pair_test(MP_LWSYNC, "mp+lwsync", "flag new, data old");
	pair_test(MP_SYNC, "mp+sync", "flag new, data old");
	pair_test(MP_ISYNC, "mp+isync", "flag new, data old");
	pair_test(SB_SYNC, "sb+sync", "both loads old");
	pair_test(LB_DEPS, "lb+deps", "a load sees a store depending on it");
	lock_test(LOCK_LWSYNC, "lock+lwsync");
	lock_test(LOCK_ISYNC, "lock+isync");
	run(QUIT, (1u << ncpu) - 1);
	return 0;
}
