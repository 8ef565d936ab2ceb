/*
 * hex.c - memoryview.hex(sep, bytes_per_sep) over the C-order bytes.
 *
 * The text is produced straight from the view's runs (no C-order copy);
 * a separator goes before byte i (0 < i < nbytes) when i sits on a group
 * boundary: counted from the right for a positive bytes_per_sep, from the
 * left for a negative one, as bytes.hex does.
 */
#include "kernels/kernels.h"
#include "plan.h"

typedef struct hex_ctx {
    char *out;
    ptrdiff_t pos;    /* bytes done */
    ptrdiff_t nbytes;
    ptrdiff_t itemsize;
    ptrdiff_t group;  /* |bytes_per_sep|, 0 for none */
    bool from_right;
    char sep;
    const ndv__kernels *kernels;
} hex_ctx;

/* Does a separator go before byte pos? */
static bool boundary(const hex_ctx *c, ptrdiff_t pos)
{
    return pos > 0 && (c->from_right ? (c->nbytes - pos) % c->group : pos % c->group) == 0;
}

static void hex_bytes(hex_ctx *c, const unsigned char *p, ptrdiff_t n)
{
    if (!c->group) {
        c->kernels->hex(c->out, p, n);
        c->out += 2 * n;
        c->pos += n;
        return;
    }
    while (n > 0) {
        if (boundary(c, c->pos) && n >= c->group) { /* whole groups, each after a separator */
            ptrdiff_t m = n / c->group, done = m * c->group;
            c->kernels->hex_sep(c->out, p, m, c->group, c->sep);
            c->out += done * 2 + m;
            c->pos += done;
            p += done;
            n -= done;
            continue;
        }
        if (boundary(c, c->pos)) /* the end of a run comes before the group's */
            *c->out++ = c->sep;
        c->kernels->hex(c->out, p, 1);
        c->out += 2;
        c->pos++;
        p++;
        n--;
    }
}

static int hex_block(void *ctx, const ndv__block *b)
{
    hex_ctx *c = ctx;
    if (b->s1[0] == c->itemsize) {
        hex_bytes(c, (const unsigned char *)b->ptr[0], b->n1 * c->itemsize);
        return 0;
    }
    for (ptrdiff_t i = 0; i < b->n1; i++)
        hex_bytes(c, (const unsigned char *)b->ptr[0] + i * b->s1[0], c->itemsize);
    return 0;
}

ndv_status ndv_hex(const ndv_view *view, char *dst, ptrdiff_t dstlen, int sep, int bytes_per_sep,
                   ptrdiff_t *outlen)
{
    ndv_status s = ndv__check_live(view);
    if (s != NDV_OK)
        return s;
    NDV__CHECK_ARG(outlen, "ndv_hex");
    if (sep < 0 || sep > 127)
        return ndv__error(NDV_ERR_VALUE, "sep must be ASCII.");
    ptrdiff_t nbytes = view->len, group = bytes_per_sep < 0 ? -(ptrdiff_t)bytes_per_sep
                                                            : bytes_per_sep;
    if (sep == 0 || group >= nbytes)
        group = 0;
    ptrdiff_t nsep = group ? (nbytes - 1) / group : 0, need;
    if (!ndv__mul(nbytes, 2, &need) || !ndv__add(need, nsep, &need))
        return ndv__error(NDV_ERR_OVERFLOW, "the hex text does not fit ptrdiff_t");
    *outlen = need;
    if (dst == NULL)
        return NDV_OK;
    if (dstlen < need)
        return ndv__error(NDV_ERR_VALUE, "room for %td bytes, the hex text has %td", dstlen,
                          need);
    hex_ctx c = {dst, 0, nbytes, view->itemsize, group, bytes_per_sep > 0, (char)sep,
                 ndv__kernels_active()};
    const ndv__state *st = view->internal_;
    ndv__operand op = ndv__operand_of(view);
    ndv__plan p;
    ndv__plan_init(&p, st->ndim, st->shape, view->itemsize, 1, &op, NDV__C_ORDER);
    ndv__plan_run(&p, 1, hex_block, &c);
    if (dstlen > need)
        dst[need] = 0;
    return NDV_OK;
}
