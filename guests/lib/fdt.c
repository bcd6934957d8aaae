/* A read-only walker for a flattened device tree (all fields big-endian). */
#include "rt.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

const void *rt_fdt;

static u32 hdr(int i)
{
	return be32_to_cpu(((const u32 *)rt_fdt)[i]);
}

static const u8 *structs(void)
{
	return (const u8 *)rt_fdt + hdr(2);
}

static const char *strings(void)
{
	return (const char *)rt_fdt + hdr(3);
}

static u32 word(int off)
{
	return be32_to_cpu(*(const u32 *)(structs() + off));
}

static int align4(int x)
{
	return (x + 3) & ~3;
}

int fdt_valid(void)
{
	return rt_fdt && hdr(0) == FDT_MAGIC && hdr(5) >= 2 && hdr(5) <= 17;
}

/* Offset just past the name of the node starting at off. */
static int after_name(int off)
{
	const char *name = (const char *)structs() + off + 4;
	return off + 4 + align4(strlen(name) + 1);
}

/* Offset of the next token of interest at or after off, skipping NOPs and
 * properties. */
static int skip_props(int off)
{
	for (;;) {
		u32 t = word(off);
		if (t == FDT_NOP)
			off += 4;
		else if (t == FDT_PROP)
			off += 12 + align4(word(off + 4));
		else
			return off;
	}
}

const char *fdt_node_name(int node)
{
	return (const char *)structs() + node + 4;
}

int fdt_first_child(int node)
{
	int off = skip_props(after_name(node));
	return word(off) == FDT_BEGIN_NODE ? off : -1;
}

int fdt_next_sibling(int node)
{
	int depth = 0, off = node;

	for (;;) {
		u32 t = word(off);
		if (t == FDT_BEGIN_NODE) {
			depth++;
			off = after_name(off);
		} else if (t == FDT_END_NODE) {
			off += 4;
			if (--depth == 0)
				break;
		} else if (t == FDT_PROP) {
			off += 12 + align4(word(off + 4));
		} else if (t == FDT_NOP) {
			off += 4;
		} else {
			return -1;
		}
	}
	while (word(off) == FDT_NOP)
		off += 4;
	return word(off) == FDT_BEGIN_NODE ? off : -1;
}

static int name_matches(const char *node, const char *want)
{
	size_t n = strlen(want);
	if (strncmp(node, want, n))
		return 0;
	/* "cpus" matches "cpus"; "cpu" matches "cpu@0" unless want has '@' */
	return node[n] == '\0' || (node[n] == '@' && !strchr(want, '@'));
}

int fdt_subnode(int node, const char *name)
{
	for (int c = fdt_first_child(node); c >= 0; c = fdt_next_sibling(c))
		if (name_matches(fdt_node_name(c), name))
			return c;
	return -1;
}

int fdt_path(const char *path)
{
	char part[64];
	int node = 0;

	if (!fdt_valid())
		return -1;
	while (word(node) == FDT_NOP)
		node += 4;
	while (*path) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		size_t n = 0;
		while (path[n] && path[n] != '/' && n < sizeof(part) - 1) {
			part[n] = path[n];
			n++;
		}
		part[n] = '\0';
		path += n;
		node = fdt_subnode(node, part);
		if (node < 0)
			return -1;
	}
	return node;
}

const void *fdt_prop(int node, const char *name, int *len)
{
	if (node < 0)
		return NULL;
	int off = after_name(node);
	for (;;) {
		u32 t = word(off);
		if (t == FDT_NOP) {
			off += 4;
		} else if (t == FDT_PROP) {
			u32 plen = word(off + 4);
			if (!strcmp(strings() + word(off + 8), name)) {
				if (len)
					*len = (int)plen;
				return structs() + off + 12;
			}
			off += 12 + align4(plen);
		} else {
			return NULL;
		}
	}
}

int fdt_prop_u32(int node, const char *name, u32 *val)
{
	int len;
	const u32 *p = fdt_prop(node, name, &len);
	if (!p || len < 4)
		return -1;
	*val = be32_to_cpu(p[0]);
	return 0;
}

u64 fdt_read_cells(const u32 *p, int cells)
{
	u64 v = 0;
	for (int i = 0; i < cells; i++)
		v = (v << 32) | be32_to_cpu(p[i]);
	return v;
}
