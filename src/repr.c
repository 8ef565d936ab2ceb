/*
 * repr.c - repr(memoryview.tolist()) as CPython prints it.
 *
 * Floats use Python's repr: the shortest digit string that reads back to the
 * same double, in fixed notation when the decimal exponent lies in
 * [-4, 16), else as d.ddde+XX. Bytes, bools, ints and complex numbers follow
 * CPython's bytes_repr, bool_repr, long_repr and complex_repr. The text is
 * locale-independent only in the "C" numeric locale (printf/strtod).
 */
#include <stdio.h>
#include <stdlib.h>

#include "convert.h"

typedef struct sink {
    char *dst;
    ptrdiff_t cap;
    ptrdiff_t len;
    int depth;
    bool first[NDV_MAXDIM + 2];
} sink;

static void put(sink *s, const char *p, ptrdiff_t n)
{
    if (s->dst && s->len < s->cap)
        memcpy(s->dst + s->len, p, (size_t)(s->cap - s->len < n ? s->cap - s->len : n));
    s->len += n;
}

static void puts_(sink *s, const char *p)
{
    put(s, p, (ptrdiff_t)strlen(p));
}

/* ", " between the elements of the innermost open list or tuple. */
static void separate(sink *s)
{
    if (s->depth > 0) {
        if (!s->first[s->depth])
            puts_(s, ", ");
        s->first[s->depth] = false;
    }
}

/* ------------------------------------------------------------------------ */
/* Numbers                                                                   */
/* ------------------------------------------------------------------------ */

enum { ADD_DOT_0 = 1, SIGN = 2 }; /* Python's Py_DTSF_ADD_DOT_0, Py_DTSF_SIGN */

/*
 * The shortest decimal digits that read back as a (> 0, finite): value =
 * 0.DIGITS * 10^decpt. At each precision the correctly rounded string is
 * tried first; when it misses (a tie at a power of two, where the gap below
 * is half the gap above) its neighbour on the other side of a may not.
 */
static int shortest_digits(double a, char *digits, int *decpt)
{
    for (int p = 1; p <= 17; p++) {
        char buf[40];
        snprintf(buf, sizeof buf, "%.*e", p - 1, a);
        unsigned long long d = 0;
        const char *q = buf;
        for (; *q != 'e'; q++)
            if (*q != '.')
                d = d * 10 + (unsigned long long)(*q - '0');
        int exp = atoi(q + 1) - (p - 1); /* a ~ d * 10^exp */
        unsigned long long cand[3] = {d, d + 1, d - 1};
        for (int k = 0; k < 3; k++) {
            char t[48];
            snprintf(t, sizeof t, "%llue%d", cand[k], exp);
            if (cand[k] == 0 || strtod(t, NULL) != a)
                continue;
            int n = snprintf(digits, 24, "%llu", cand[k]);
            *decpt = n + exp;
            while (n > 1 && digits[n - 1] == '0')
                n--;
            digits[n] = 0;
            return n;
        }
    }
    return 0; /* not reached: 17 digits always round-trip */
}

/* PyOS_double_to_string(x, 'r', 0, flags): the shortest round-trip repr. */
static void float_repr(double x, int flags, char *out, size_t outsz)
{
    const char *sign = signbit(x) && !isnan(x) ? "-" : (flags & SIGN) ? "+" : "";
    if (isnan(x) || isinf(x)) {
        snprintf(out, outsz, "%s%s", sign, isnan(x) ? "nan" : "inf");
        return;
    }
    if (x == 0) {
        snprintf(out, outsz, "%s0%s", sign, (flags & ADD_DOT_0) ? ".0" : "");
        return;
    }
    char digits[24];
    int decpt = 0, nd = shortest_digits(fabs(x), digits, &decpt);
    char tmp[64];
    size_t n = 0;
    if (decpt <= -4 || decpt > 16) {
        int exp = decpt - 1;
        tmp[n++] = digits[0];
        if (nd > 1) {
            tmp[n++] = '.';
            memcpy(tmp + n, digits + 1, (size_t)nd - 1);
            n += (size_t)nd - 1;
        }
        n += (size_t)snprintf(tmp + n, sizeof tmp - n, "e%c%02d", exp < 0 ? '-' : '+',
                              exp < 0 ? -exp : exp);
    } else if (decpt <= 0) {
        tmp[n++] = '0';
        tmp[n++] = '.';
        for (int i = 0; i < -decpt; i++)
            tmp[n++] = '0';
        memcpy(tmp + n, digits, (size_t)nd);
        n += (size_t)nd;
    } else {
        for (int i = 0; i < decpt || i < nd; i++) {
            if (i == decpt)
                tmp[n++] = '.';
            tmp[n++] = i < nd ? digits[i] : '0';
        }
        if (decpt >= nd && (flags & ADD_DOT_0)) {
            tmp[n++] = '.';
            tmp[n++] = '0';
        }
    }
    tmp[n] = 0;
    snprintf(out, outsz, "%s%s", sign, tmp);
}

static void put_complex(sink *s, double re, double im)
{
    char a[48], b[48];
    float_repr(im, 0, b, sizeof b);
    if (re == 0 && !signbit(re)) { /* complex_repr: a +0 real part is left out */
        puts_(s, b);
        puts_(s, "j");
        return;
    }
    float_repr(re, 0, a, sizeof a);
    float_repr(im, SIGN, b, sizeof b);
    puts_(s, "(");
    puts_(s, a);
    puts_(s, b);
    puts_(s, "j)");
}

/* ------------------------------------------------------------------------ */
/* bytes and str                                                             */
/* ------------------------------------------------------------------------ */

static void put_bytes(sink *s, const char *p, ptrdiff_t n)
{
    bool has_single = memchr(p, '\'', (size_t)n) != NULL, has_double = memchr(p, '"', (size_t)n);
    char quote = has_single && !has_double ? '"' : '\'';
    char q[2] = {quote, 0};
    puts_(s, "b");
    puts_(s, q);
    for (ptrdiff_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        char esc[8];
        if (c == quote || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\t' || c == '\n' || c == '\r')
            snprintf(esc, sizeof esc, "\\%c", c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
        else if (c < ' ' || c >= 0x7f)
            snprintf(esc, sizeof esc, "\\x%02x", c);
        else
            snprintf(esc, sizeof esc, "%c", c);
        puts_(s, esc);
    }
    puts_(s, q);
}

/* A one-character str; characters outside printable ASCII are escaped. */
static void put_ucs4(sink *s, uint32_t c)
{
    char out[16];
    if (c == '\'')
        snprintf(out, sizeof out, "\"'\"");
    else if (c == '\\')
        snprintf(out, sizeof out, "'\\\\'");
    else if (c == '\t' || c == '\n' || c == '\r')
        snprintf(out, sizeof out, "'\\%c'", c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
    else if (c >= ' ' && c < 0x7f)
        snprintf(out, sizeof out, "'%c'", (char)c);
    else if (c < 0x100)
        snprintf(out, sizeof out, "'\\x%02x'", (unsigned)c);
    else if (c < 0x10000)
        snprintf(out, sizeof out, "'\\u%04x'", (unsigned)c);
    else
        snprintf(out, sizeof out, "'\\U%08x'", (unsigned)c);
    puts_(s, out);
}

/* ------------------------------------------------------------------------ */
/* The visitor                                                               */
/* ------------------------------------------------------------------------ */

static ndv_status on_value(void *ctx, const ndv_value *v)
{
    sink *s = ctx;
    char buf[48];
    separate(s);
    switch (v->kind) {
    case NDV_KIND_INT: snprintf(buf, sizeof buf, "%lld", (long long)v->v.i); break;
    case NDV_KIND_UINT: snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->v.u); break;
    case NDV_KIND_POINTER: snprintf(buf, sizeof buf, "%llu", (unsigned long long)v->v.p); break;
    case NDV_KIND_BOOL: snprintf(buf, sizeof buf, "%s", v->v.b ? "True" : "False"); break;
    case NDV_KIND_FLOAT: float_repr(v->v.f, ADD_DOT_0, buf, sizeof buf); break;
    case NDV_KIND_COMPLEX: put_complex(s, v->v.c.re, v->v.c.im); return NDV_OK;
    case NDV_KIND_BYTES: put_bytes(s, v->v.bytes.ptr, v->v.bytes.len); return NDV_OK;
    case NDV_KIND_UCS4: put_ucs4(s, v->v.ucs4); return NDV_OK;
    }
    puts_(s, buf);
    return NDV_OK;
}

static ndv_status open_(sink *s, const char *bracket)
{
    separate(s);
    puts_(s, bracket);
    s->first[++s->depth] = true;
    return NDV_OK;
}

static ndv_status close_(sink *s, const char *bracket)
{
    puts_(s, bracket);
    s->depth--;
    return NDV_OK;
}

static ndv_status on_begin_list(void *ctx, ptrdiff_t n)
{
    (void)n;
    return open_(ctx, "[");
}

static ndv_status on_end_list(void *ctx)
{
    return close_(ctx, "]");
}

static ndv_status on_begin_tuple(void *ctx, ptrdiff_t n)
{
    (void)n; /* never 1: single values are not tuples */
    return open_(ctx, "(");
}

static ndv_status on_end_tuple(void *ctx)
{
    return close_(ctx, ")");
}

ndv_status ndv_repr(const ndv_view *view, char *dst, ptrdiff_t cap, ptrdiff_t *outlen)
{
    NDV__CHECK_ARG(outlen, "ndv_repr");
    static const ndv_visitor vis = {on_begin_list, on_end_list, on_begin_tuple, on_end_tuple,
                                    on_value};
    sink s = {dst, dst ? cap : 0, 0, 0, {false}};
    ndv_status st = ndv_tolist_visit(view, &vis, &s);
    if (st != NDV_OK)
        return st;
    *outlen = s.len;
    if (dst && cap < s.len)
        return ndv__error(NDV_ERR_VALUE, "room for %td bytes, the repr has %td", cap, s.len);
    if (dst && cap > s.len)
        dst[s.len] = 0;
    return NDV_OK;
}
