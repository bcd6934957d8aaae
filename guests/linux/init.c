/*
 * A small init for Debian's kernel that needs no floating point, vector or C library: it reports
 * what user space sees through system calls (uname, its pid, fork and wait with copy-on-write,
 * a pipe, an anonymous mapping, /proc after mounting it) and powers the machine off. Every line
 * starts with "init:" and depends only on the kernel, so two machines that run the same kernel
 * print the same lines.
 */
typedef unsigned long u64;
typedef long s64;

enum {
	SYS_exit = 1, SYS_fork = 2, SYS_read = 3, SYS_write = 4, SYS_open = 5, SYS_close = 6, SYS_waitpid = 7,
	SYS_getpid = 20, SYS_mount = 21, SYS_pipe = 42, SYS_reboot = 88, SYS_munmap = 91, SYS_uname = 122,
	SYS_mmap = 90, SYS_mkdir = 39,
};

static s64 sys(s64 n, s64 a, s64 b, s64 c, s64 d, s64 e, s64 f)
{
	register s64 r0 __asm__("r0") = n, r3 __asm__("r3") = a, r4 __asm__("r4") = b, r5 __asm__("r5") = c,
		     r6 __asm__("r6") = d, r7 __asm__("r7") = e, r8 __asm__("r8") = f;
	__asm__ volatile("sc\n\tbns+ 1f\n\tneg %1,%1\n1:"
			 : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
			 :
			 : "memory", "cr0", "r9", "r10", "r11", "r12", "ctr", "xer");
	return r3;
}

static u64 len(const char *s)
{
	u64 n = 0;
	while (s[n])
		n++;
	return n;
}

static void out(const char *s)
{
	sys(SYS_write, 1, (s64)s, len(s), 0, 0, 0);
}

static void num(s64 v)
{
	char b[24];
	int i = 23;
	int neg = v < 0;
	u64 u = neg ? -(u64)v : (u64)v;
	b[i] = 0;
	do {
		b[--i] = '0' + u % 10;
		u /= 10;
	} while (u);
	if (neg)
		b[--i] = '-';
	out(b + i);
}

static void line(const char *label, s64 v)
{
	out("init: ");
	out(label);
	num(v);
	out("\n");
}

static struct {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domain[65];
} uts;

static volatile u64 shared_page[512];

/*
 * The process entry: r1 points at argc, argv[], NULL, envp[], NULL, and r12 at _start (ELFv2), from
 * which the TOC pointer is made.
 */
__asm__(".globl _start\n_start:\n"
	"\taddis 2,12,.TOC.-_start@ha\n\taddi 2,2,.TOC.-_start@l\n"
	"\tmr 3,1\n\tli 0,0\n\tstdu 0,-64(1)\n\tbl start_c\n\tnop\n");

static int has_env(char **envp, const char *want)
{
	for (; *envp; envp++) {
		const char *a = *envp, *b = want;
		while (*b && *a == *b)
			a++, b++;
		if (!*b && !*a)
			return 1;
	}
	return 0;
}

void start_c(long *sp)
{
	long argc = sp[0];
	char **envp = (char **)(sp + 1 + argc + 1);
	out("init: started\n");
	line("pid ", sys(SYS_getpid, 0, 0, 0, 0, 0, 0));
	sys(SYS_uname, (s64)&uts, 0, 0, 0, 0, 0);
	out("init: ");
	out(uts.sysname);
	out(" ");
	out(uts.machine);
	out("\n");

	/* fork: the child changes its copy of a page; the parent's copy stays as it was. */
	shared_page[7] = 1234;
	s64 child = sys(SYS_fork, 0, 0, 0, 0, 0, 0);
	if (child == 0) {
		shared_page[7] = 99;
		sys(SYS_exit, (s64)shared_page[7], 0, 0, 0, 0, 0);
	}
	int status = 0;
	s64 waited = sys(SYS_waitpid, child, (s64)&status, 0, 0, 0, 0);
	line("child exit status ", (status >> 8) & 0xff);
	line("waited for the child: ", waited == child);
	line("parent's copy after the child wrote its own: ", (s64)shared_page[7]);

	/* A pipe between two processes. */
	int fds[2];
	sys(SYS_pipe, (s64)fds, 0, 0, 0, 0, 0);
	if (sys(SYS_fork, 0, 0, 0, 0, 0, 0) == 0) {
		static const char msg[] = "through a pipe";
		sys(SYS_write, fds[1], (s64)msg, sizeof(msg) - 1, 0, 0, 0);
		sys(SYS_exit, 0, 0, 0, 0, 0, 0);
	}
	char buf[64];
	s64 n = sys(SYS_read, fds[0], (s64)buf, sizeof(buf) - 1, 0, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	out("init: ");
	out(buf);
	out("\n");
	sys(SYS_waitpid, -1, 0, 0, 0, 0, 0);

	/* Anonymous memory: 64 pages touched one by one, summed, unmapped. */
	u64 size = 64 * 65536;
	u64 *p = (u64 *)sys(SYS_mmap, 0, size, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
	u64 sum = 0;
	for (u64 i = 0; i < size / 8; i += 512)
		p[i] = i;
	for (u64 i = 0; i < size / 8; i += 512)
		sum += p[i];
	line("sum over an anonymous mapping ", (s64)sum);
	line("munmap ", sys(SYS_munmap, (s64)p, size, 0, 0, 0, 0));

	/* /proc after mounting it. */
	sys(SYS_mkdir, (s64)"/proc", 0555, 0, 0, 0, 0);
	line("mount proc ", sys(SYS_mount, (s64)"proc", (s64)"/proc", (s64)"proc", 0, 0, 0));
	s64 fd = sys(SYS_open, (s64)"/proc/self/stat", 0, 0, 0, 0, 0);
	n = sys(SYS_read, fd, (s64)buf, 8, 0, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	out("init: /proc/self/stat begins with ");
	out(buf);
	out("\n");
	sys(SYS_close, fd, 0, 0, 0, 0, 0);

	/* With readline=1 on the kernel command line: one line from the console, echoed back. */
	if (has_env(envp, "readline=1")) {
		out("init: type a line\n");
		char in[128];
		u64 got = 0;
		while (got < sizeof(in) - 1) {
			n = sys(SYS_read, 0, (s64)in + got, sizeof(in) - 1 - got, 0, 0, 0);
			if (n <= 0)
				break;
			got += n;
			if (in[got - 1] == '\n' || in[got - 1] == '\r')
				break;
		}
		while (got && (in[got - 1] == '\n' || in[got - 1] == '\r'))
			got--;
		in[got] = 0;
		out("init: the console said: ");
		out(in);
		out("\n");
	}

	out("init: powering off\n");
	sys(SYS_reboot, 0xfee1dead, 672274793, 0x4321fedc, 0, 0, 0);
	for (;;)
		;
}
