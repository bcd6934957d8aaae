/* Guest runtime: the interface every guest program uses. */
#ifndef RT_H
#define RT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long s64;
typedef unsigned long size_t;
typedef unsigned long uintptr_t;
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define NULL ((void *)0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- hypercalls ---------------------------------------------------- */
#define H_SUCCESS 0
#define H_SET_MODE 0x31C
#define H_PUT_TERM_CHAR 0x58
#define H_REGISTER_PROCESS_TABLE 0x37C
#define KVMPPC_H_RTAS 0xF000

/* sc 1 with up to six arguments; r3 returns the status, r4.. the outputs. */
long hcall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
long hcall_ret(long nr, long a1, long a2, long a3, long a4, long a5,
	       long a6, u64 out[3]);

/* ---- SPRs and MSR ---------------------------------------------------- */
#define MSR_SF (1UL << 63)
#define MSR_EE (1UL << 15)
#define MSR_PR (1UL << 14)
#define MSR_ME (1UL << 12)
#define MSR_IR (1UL << 5)
#define MSR_DR (1UL << 4)
#define MSR_RI (1UL << 1)
#define MSR_LE (1UL << 0)

#define SPR_XER 1
#define SPR_DSISR 18
#define SPR_DAR 19
#define SPR_DEC 22
#define SPR_SRR0 26
#define SPR_SRR1 27
#define SPR_PIDR 48
#define SPR_PVR 287

#define mfspr(n) ({ u64 _v; __asm__ volatile("mfspr %0,%1" : "=r"(_v) : "i"(n)); _v; })
#define mtspr(n, v) __asm__ volatile("mtspr %0,%1" : : "i"(n), "r"((u64)(v)) : "memory")

static inline u64 mfmsr(void)
{
	u64 v;
	__asm__ volatile("mfmsr %0" : "=r"(v));
	return v;
}

static inline void mtmsrd(u64 v)
{
	__asm__ volatile("mtmsrd %0; isync" : : "r"(v) : "memory");
}

static inline u64 mftb(void)
{
	u64 v;
	__asm__ volatile("mftb %0" : "=r"(v));
	return v;
}

/* ---- byte order ------------------------------------------------------ */
static inline u32 be32_to_cpu(u32 v)
{
#ifdef __LITTLE_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}
#define cpu_to_be32 be32_to_cpu

static inline u64 be64_to_cpu(u64 v)
{
#ifdef __LITTLE_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}
#define cpu_to_be64 be64_to_cpu

/* ---- console ----------------------------------------------------------- */
void putchar(int c);
void puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
void console_flush(void);

/* ---- string (implemented in C in lib/string.c) ----------------------- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strcpy(char *d, const char *s);

/* ---- flattened device tree -------------------------------------------- */
extern const void *rt_fdt;
int fdt_path(const char *path);			/* node offset or -1 */
int fdt_subnode(int node, const char *name);	/* name, or name before '@' */
int fdt_first_child(int node);
int fdt_next_sibling(int node);
const char *fdt_node_name(int node);
const void *fdt_prop(int node, const char *name, int *len);
int fdt_prop_u32(int node, const char *name, u32 *val);
u32 fdt_cells(const void *p, int cells);	/* reads 1 or 2 cells, low word */
u64 fdt_read_cells(const u32 *p, int cells);

/* ---- RTAS ------------------------------------------------------------- */
u32 rtas_token(const char *name);		/* 0xffffffff when absent */
int rtas_call(const char *name, int nargs, int nret, u32 *rets, ...);
void rtas_power_off(void) __attribute__((noreturn));

/* ---- platform facts read at start-up ----------------------------------- */
extern u64 rt_ram_size;		/* first memory region */
extern u32 rt_termno;		/* vty unit address */

/* ---- test reporting and exit -------------------------------------------- */
void pass(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void finish(void) __attribute__((noreturn));	/* summary, then power-off */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* ---- interrupts -------------------------------------------------------- */
struct regs {
	u64 gpr[32];
	u64 nip;	/* SRR0 */
	u64 msr;	/* SRR1 */
	u64 lr, ctr, xer, cr;
	u64 dar, dsisr;
	u64 vec;	/* vector offset, 0x300 ... */
};

/* Return 1 when handled (resume with the possibly modified regs). */
typedef int (*trap_fn)(struct regs *r);
void vectors_install(void);
extern trap_fn rt_trap_hook;
/* SRR1 bits an architecture-level comparison may rely on. */
#define SRR1_ARCH_MASK (MSR_SF | MSR_EE | MSR_PR | MSR_IR | MSR_DR | MSR_LE | 0x783F0000UL)

/* ---- radix MMU (lib/mmu.c) ---------------------------------------------- */
#define PTE_V   0x8000000000000000UL
#define PTE_L   0x4000000000000000UL
#define PTE_RPN 0x01FFFFFFFFFFF000UL
#define PTE_R   0x100UL
#define PTE_C   0x080UL
#define PTE_PRIV 0x8UL
#define PTE_RD  0x4UL
#define PTE_RW  0x2UL
#define PTE_X   0x1UL
#define PTE_RWX (PTE_RD | PTE_RW | PTE_X)

void mmu_init(void);			/* empty process table and trees */
u64 mmu_new_tree(unsigned pid);		/* root for a PID, returns root */
int mmu_map(unsigned pid, u64 ea, u64 pa, u64 size, u64 flags);
u64 *mmu_pte(unsigned pid, u64 ea);	/* leaf entry, or NULL */
void mmu_identity(unsigned pid);	/* 0 .. RAM with 2M pages, R/C preset */
int mmu_register(void);			/* H_REGISTER_PROCESS_TABLE */
void mmu_on(unsigned pid);		/* PIDR, then MSR[IR|DR] */
void mmu_off(void);
extern volatile unsigned long mmu_rc_faults;	/* R/C updates done by the handler */
int mmu_fix_rc(struct regs *r);		/* DSI/ISI R/C handling */
void tlbie_va(unsigned pid, u64 ea);	/* one 4K page, process scoped */
void tlbie_pid(unsigned pid);		/* everything of a PID, as Linux flushes a range */

/* ---- secondary CPUs (lib/cpus.c) ----------------------------------------- */
#define CPUS_MAX 8
struct cpu {
	u64 stack_top;		/* 0: read by the entry code */
	u64 exc_stack_top;	/* 8: read by the entry code (SPRG3) */
	void (*fn)(struct cpu *c);	/* what the CPU runs; it stops itself after */
	u32 server;		/* interrupt server number (= PIR) */
	u32 index;		/* 0 for the boot CPU, then 1, 2, ... */
};
/* The CPUs of /cpus, the boot CPU as cpus[0]; returns how many (at most max). */
int cpus_find(struct cpu *cpus, int max);
/* RTAS start-cpu: the CPU runs fn(c) on its own stacks with MSR[EE,IR,DR]=0,
 * then stop-self. Returns the RTAS status. */
int cpu_start(struct cpu *c, void (*fn)(struct cpu *c));
void cpu_stop_self(void) __attribute__((noreturn));
/* Spins until *flag > value, at most limit times; 0 if it gave up (the other CPU is lost). */
int cpu_wait_above(volatile u32 *flag, u32 value, u64 limit);

/* ---- misc --------------------------------------------------------------- */
static inline void flush_icache_range(u64 start, u64 end)
{
	for (u64 a = start & ~127UL; a < end; a += 128)
		__asm__ volatile("dcbst 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("sync" : : : "memory");
	for (u64 a = start & ~127UL; a < end; a += 128)
		__asm__ volatile("icbi 0,%0" : : "r"(a) : "memory");
	__asm__ volatile("sync; isync" : : : "memory");
}

/* A small deterministic pseudo-random generator (xorshift64). */
static inline u64 rnd_next(u64 *s)
{
	u64 x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* FNV-1a style fold of a 64-bit value into a running checksum. */
static inline u64 fold(u64 h, u64 v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (i * 8)) & 0xff;
		h *= 0x100000001b3UL;
	}
	return h;
}
#define FOLD_INIT 0xcbf29ce484222325UL

int main(void);

#endif
