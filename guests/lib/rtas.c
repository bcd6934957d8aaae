/* RTAS through the KVMPPC_H_RTAS hypercall. The argument block is a
 * sequence of big-endian 32-bit words: token, nargs, nret, args, rets. */
#include "rt.h"

u32 rtas_token(const char *name)
{
	u32 tok;
	if (fdt_prop_u32(fdt_path("/rtas"), name, &tok))
		return 0xffffffff;
	return tok;
}

static u32 rtas_block[16] __attribute__((aligned(16)));

int rtas_call(const char *name, int nargs, int nret, u32 *rets, ...)
{
	va_list ap;
	u32 tok = rtas_token(name);

	if (tok == 0xffffffff || nargs + nret + 3 > (int)ARRAY_SIZE(rtas_block))
		return -1;
	rtas_block[0] = cpu_to_be32(tok);
	rtas_block[1] = cpu_to_be32(nargs);
	rtas_block[2] = cpu_to_be32(nret);
	va_start(ap, rets);
	for (int i = 0; i < nargs; i++)
		rtas_block[3 + i] = cpu_to_be32(va_arg(ap, u32));
	va_end(ap);
	for (int i = 0; i < nret; i++)
		rtas_block[3 + nargs + i] = 0;
	__asm__ volatile("sync" : : : "memory");
	/* The block is addressed by its real address: the runtime maps RAM
	 * one to one when the MMU is on, so its address is the same. */
	hcall(KVMPPC_H_RTAS, (long)(uintptr_t)rtas_block, 0, 0, 0, 0, 0);
	for (int i = 0; i < nret; i++)
		rets[i] = be32_to_cpu(rtas_block[3 + nargs + i]);
	return nret ? (int)rets[0] : 0;
}

void rtas_power_off(void)
{
	u32 ret[1];
	console_flush();
	rtas_call("power-off", 2, 1, ret, 0xffffffffu, 0xffffffffu);
	for (;;)
		__asm__ volatile("" ::: "memory");
}
