/*
 * fuzz_format.c - the format parser on any bytes.
 *
 * Every input is a format: ndv_calcsize must return a status, never crash,
 * and a valid format's itemsize is never negative, every field inside it.
 * tests/fuzz/format.dict (passed by tools/run-fuzzers.sh) seeds counts near
 * 2^63, 2^62 and 2^31 and the alignment-sensitive codes.
 * Where the input is a plain struct format (no PEP 3118 extension), a second,
 * independent calcsize written from the struct module's documentation must
 * agree on validity and size. Valid small formats are then used to build a
 * view and render it, which walks every decoder.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndview.h"

static int native_size(char c, int *align)
{
    switch (c) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': *align = 1; return 1;
    case 'h': case 'H': case 'e': *align = 2; return 2;
    case 'i': case 'I': case 'f': *align = 4; return 4;
    case 'l': case 'L': *align = (int)sizeof(long); return (int)sizeof(long);
    case 'q': case 'Q': case 'd': *align = 8; return 8;
    case 'n': case 'N': *align = (int)sizeof(size_t); return (int)sizeof(size_t);
    case 'P': *align = (int)sizeof(void *); return (int)sizeof(void *);
    default: return 0;
    }
}

static int standard_size(char c)
{
    switch (c) {
    case 'x': case 'c': case 'b': case 'B': case '?': case 's': case 'p': return 1;
    case 'h': case 'H': case 'e': return 2;
    case 'i': case 'I': case 'l': case 'L': case 'f': return 4;
    case 'q': case 'Q': case 'd': return 8;
    default: return 0; /* n N P are native only */
    }
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* 1: valid with *size; 0: struct refuses it; -1: not comparable (extensions, huge counts). */
static int reference_calcsize(const char *f, ptrdiff_t *size)
{
    int native = 1;
    if (*f && strchr("@=<>!", *f)) {
        native = *f == '@';
        f++;
    }
    ptrdiff_t off = 0;
    while (*f) {
        if (is_space(*f)) {
            f++;
            continue;
        }
        long count = 1;
        if (*f >= '0' && *f <= '9') {
            count = 0;
            while (*f >= '0' && *f <= '9') {
                count = count * 10 + (*f++ - '0');
                if (count > 1000000)
                    return -1;
            }
            if (!*f)
                return 0; /* repeat count without a code */
        }
        if (strchr("@=<>!^T{}():Zgw", *f))
            return -1; /* PEP 3118 territory */
        int align, sz = native ? native_size(*f, &align) : standard_size(*f);
        if (!sz)
            return 0;
        if (native)
            off = (off + align - 1) / align * align;
        off += (*f == 's' || *f == 'p') ? count : count * sz;
        f++;
    }
    *size = off;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *fmt = malloc(size + 1);
    memcpy(fmt, data, size);
    fmt[size] = 0;
    ptrdiff_t got = -1, want = -1;
    ndv_status s = ndv_calcsize(fmt, &got);
    if (s == NDV_OK && got < 0)
        abort(); /* an itemsize is never negative (alignment padding overflowing once made it) */
    if (s == NDV_OK) { /* every field lies inside the item */
        ndv_layout layout;
        ndv_field fields[64];
        if (ndv_format_layout(fmt, &layout, fields, 64) == NDV_OK)
            for (ptrdiff_t i = 0; i < layout.nfields; i++)
                if (fields[i].offset < 0 || fields[i].size < 0 || fields[i].count < 0 ||
                    (fields[i].size && fields[i].count > (got - fields[i].offset) / fields[i].size))
                    abort();
    }
    if (strlen(fmt) == size) { /* an embedded NUL ends the format early: compare only whole ones */
        int ref = reference_calcsize(fmt, &want);
        if (ref == 1 && (s != NDV_OK || got != want))
            abort();
        if (ref == 0 && s != NDV_ERR_FORMAT)
            abort();
    }
    if (s == NDV_OK && got > 0 && got <= 256) {
        unsigned char mem[512];
        memset(mem, 0xa5, sizeof mem);
        ptrdiff_t n = 2;
        ndv_view v;
        if (ndv_view_from_memory(&v, mem, sizeof mem, false, fmt, 1, &n, NULL, 0) == NDV_OK) {
            char text[8192];
            ptrdiff_t len;
            ndv_repr(&v, text, sizeof text, &len);
            ndv_value vals[64];
            ndv_tolist(&v, vals, 64, &len);
            ndv_release(&v);
        }
    }
    free(fmt);
    return 0;
}
