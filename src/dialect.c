/*
 * dialect.c - formats as users see them: calcsize, layouts with field
 * names, and the spellings binding layers trip over ('l' vs 'q' vs
 * '<i8'): equivalence of formats and NumPy's dtype.str both ways.
 *
 * Everything here reads the parsed format (format.c); nothing parses text
 * of its own except NumPy's short dtype strings.
 */
#include "convert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char ndv__native_single(const char *fmt)
{
    if (fmt[0] == '@')
        fmt++;
    if (fmt[0] == '\0' || fmt[1] != '\0')
        return 0;
    return strchr("cbBhHiIlLqQnNfd?Pe", fmt[0]) ? fmt[0] : 0;
}

ndv_status ndv_calcsize(const char *fmt, ptrdiff_t *itemsize)
{
    NDV__CHECK_ARG(fmt, "ndv_calcsize");
    NDV__CHECK_ARG(itemsize, "ndv_calcsize");
    ndv_layout layout = {0, 0, 0, 0};
    ndv_status st = ndv_format_layout(fmt, &layout, NULL, 0);
    if (st == NDV_OK)
        *itemsize = layout.itemsize;
    return st;
}

ndv_status ndv_format_layout(const char *fmt, ndv_layout *layout, ndv_field *fields,
                             ptrdiff_t cap)
{
    NDV__CHECK_ARG(fmt, "ndv_format_layout");
    NDV__CHECK_ARG(layout, "ndv_format_layout");
    ndv_status st;
    ndv__format *f = ndv__format_parse(fmt, &st);
    if (!f)
        return st;
    *layout = (ndv_layout){f->itemsize, f->align, f->nfields, f->nvalues};
    if (fields && cap < f->nfields) {
        st = ndv__error(NDV_ERR_VALUE, "ndv_format_layout: %td fields do not fit in %td",
                        f->nfields, cap);
    } else if (fields) {
        for (ptrdiff_t i = 0; i < f->nfields; i++) {
            const ndv__field *in = &f->fields[i];
            ndv_field *out = &fields[i];
            bool complex = in->kind == NDV__K_COMPLEX;
            /* Complex leaves are stored under one letter; the public name is PEP 3118's. */
            out->code[0] = complex ? 'Z' : in->code;
            out->code[1] = complex ? (char)(in->code - 'A' + 'a') : '\0';
            out->code[2] = '\0';
            out->byteorder = in->order;
            out->native_size = in->native;
            out->offset = in->offset;
            out->size = in->size;
            out->count = in->count;
            out->name = in->name_at >= 0 ? fmt + in->name_at : NULL;
            out->name_len = in->name_at >= 0 ? in->name_len : 0;
        }
    }
    ndv__format_unref(f);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Equivalence (NumPy's dtype(a) == dtype(b), names ignored)                 */
/* ------------------------------------------------------------------------ */

/* NumPy's kind of a leaf: 'c' is S1 and 's' Sn, 'P' is uintp. */
static int numpy_kind(const ndv__field *f)
{
    switch ((ndv__kind)f->kind) {
    case NDV__K_CHAR: return NDV__K_STRING;
    case NDV__K_POINTER: return NDV__K_UINT;
    default: return f->kind;
    }
}

/* Leaf i of f, merged with the leaves after it that continue it ("ii" is "2i"). */
static ptrdiff_t next_run(const ndv__format *f, ptrdiff_t i, ndv__field *run)
{
    while (i < f->nfields && f->fields[i].kind == NDV__K_PAD)
        i++;
    if (i == f->nfields)
        return i;
    *run = f->fields[i++];
    bool numeric = run->kind != NDV__K_STRING && run->kind != NDV__K_CHAR &&
                   run->kind != NDV__K_PASCAL;
    while (numeric && i < f->nfields) {
        const ndv__field *g = &f->fields[i];
        if (numpy_kind(g) != numpy_kind(run) || g->size != run->size ||
            (g->size > 1 && g->order != run->order) ||
            g->offset != run->offset + run->size * run->count)
            break;
        run->count += g->count; /* bounded by the itemsize */
        i++;
    }
    return i;
}

ndv_status ndv_format_equivalent(const char *a, const char *b, bool *same)
{
    NDV__CHECK_ARG(a, "ndv_format_equivalent");
    NDV__CHECK_ARG(b, "ndv_format_equivalent");
    NDV__CHECK_ARG(same, "ndv_format_equivalent");
    ndv_status s;
    ndv__format *fa = ndv__format_parse(a, &s), *fb = fa ? ndv__format_parse(b, &s) : NULL;
    if (!fb) {
        ndv__format_unref(fa);
        return s;
    }
    *same = fa->itemsize == fb->itemsize;
    ptrdiff_t i = 0, j = 0;
    while (*same && (i < fa->nfields || j < fb->nfields)) {
        ndv__field x = {0}, y = {0};
        ptrdiff_t ni = next_run(fa, i, &x), nj = next_run(fb, j, &y);
        bool ends = ni == i, endb = nj == j; /* only pads were left */
        *same = ends == endb &&
                (ends || (numpy_kind(&x) == numpy_kind(&y) && x.size == y.size &&
                          x.count == y.count && x.offset == y.offset &&
                          (x.size == 1 || x.order == y.order ||
                           (x.kind == NDV__K_STRING || x.kind == NDV__K_CHAR))));
        if (ends && endb)
            break;
        i = ni;
        j = nj;
    }
    ndv__format_unref(fa);
    ndv__format_unref(fb);
    return NDV_OK;
}

/* ------------------------------------------------------------------------ */
/* NumPy's dtype.str                                                         */
/* ------------------------------------------------------------------------ */

/* NumPy's kind letter and size, and the struct code for it (native size mode). */
static const struct { char kind; int size; const char *code; } numpy_codes[] = {
    {'b', 1, "?"}, {'i', 1, "b"}, {'u', 1, "B"}, {'i', 2, "h"}, {'u', 2, "H"},
    {'i', 4, "i"}, {'u', 4, "I"}, {'i', 8, "q"}, {'u', 8, "Q"}, {'f', 2, "e"},
    {'f', 4, "f"}, {'f', 8, "d"}, {'c', 8, "Zf"}, {'c', 16, "Zd"},
    {'f', (int)sizeof(long double), "g"}, {'c', 2 * (int)sizeof(long double), "Zg"},
};

static char host_order(void)
{
    return ndv__host_little() ? '<' : '>';
}

static ndv_status put_text(char *out, ptrdiff_t cap, const char *text)
{
    size_t n = strlen(text);
    if (cap < 0 || (size_t)cap <= n)
        return ndv__error(NDV_ERR_VALUE, "the result needs %zu bytes, %td given", n + 1, cap);
    memcpy(out, text, n + 1);
    return NDV_OK;
}

ndv_status ndv_format_from_numpy(const char *dtype_str, char *out, ptrdiff_t cap)
{
    NDV__CHECK_ARG(dtype_str, "ndv_format_from_numpy");
    NDV__CHECK_ARG(out, "ndv_format_from_numpy");
    char order = dtype_str[0], kind = order ? dtype_str[1] : 0, *end;
    long size = kind ? strtol(dtype_str + 2, &end, 10) : 0;
    bool ok = strchr("<>|=", order) && kind && size > 0 && *end == '\0' &&
              (dtype_str[2] >= '0' && dtype_str[2] <= '9');
    for (size_t i = 0; ok && i < sizeof numpy_codes / sizeof numpy_codes[0]; i++) {
        if (numpy_codes[i].kind != kind || numpy_codes[i].size != size)
            continue;
        bool native_only = numpy_codes[i].code[strlen(numpy_codes[i].code) - 1] == 'g';
        if (order == '=' || order == '|')
            order = host_order();
        if (size > 1 && native_only && order != host_order())
            break; /* 'g' has no standard size: only the host's order */
        char text[8];
        snprintf(text, sizeof text, "%c%s", size == 1 ? '<' : native_only ? '@' : order,
                 numpy_codes[i].code);
        return put_text(out, cap, size == 1 ? text + 1 : text);
    }
    return ndv__error(NDV_ERR_FORMAT, "dtype '%s' is not a single numeric type ndview can describe",
                      dtype_str);
}

ndv_status ndv_format_to_numpy(const char *fmt, char *out, ptrdiff_t cap)
{
    NDV__CHECK_ARG(fmt, "ndv_format_to_numpy");
    NDV__CHECK_ARG(out, "ndv_format_to_numpy");
    ndv_status s;
    ndv__format *f = ndv__format_parse(fmt, &s);
    if (!f)
        return s;
    const ndv__field *x = f->nfields == 1 ? &f->fields[0] : NULL;
    static const char kinds[] = {[NDV__K_SINT] = 'i', [NDV__K_UINT] = 'u', [NDV__K_POINTER] = 'u',
                                 [NDV__K_BOOL] = 'b', [NDV__K_FLOAT] = 'f',
                                 [NDV__K_COMPLEX] = 'c'};
    char kind = x && x->count == 1 && x->offset == 0 && x->size == f->itemsize &&
                        x->kind < sizeof kinds
                    ? kinds[x->kind]
                    : 0;
    char text[32];
    if (kind)
        snprintf(text, sizeof text, "%c%c%td", x->size == 1 ? '|' : x->order, kind, x->size);
    ndv__format_unref(f);
    if (!kind)
        return ndv__error(NDV_ERR_FORMAT, "format '%s' is not a single numeric field", fmt);
    return put_text(out, cap, text);
}
