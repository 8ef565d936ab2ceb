/*
 * test_data.c - data operations that read: tobytes, frombytes, copy, hex,
 * tolist, the visitor, unpack_as, repr. Edge cases and error paths; the
 * differential test covers random structures. Writing values is
 * test_pack.c, comparing them test_equal.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static void check_repr(const ndv_view *v, const char *want)
{
    char buf[4096];
    ptrdiff_t n;
    ck_ok(ndv_repr(v, buf, sizeof buf, &n));
    ck_assert_str_eq(buf, want);
    ck_assert_int_eq(n, (ptrdiff_t)strlen(want));
}

/* ------------------------------------------------------------------------ */
/* tobytes / frombytes                                                       */
/* ------------------------------------------------------------------------ */

START_TEST(tobytes_orders)
{
    unsigned char m[6] = {0, 1, 2, 3, 4, 5}, out[8];
    ptrdiff_t shape[2] = {2, 3}, fshape[2] = {3, 2}, fstrides[2] = {1, 3};
    ndv_view c = ck_view(m, 6, "B", 2, shape, NULL, 0);
    ndv_view f = ck_view(m, 6, "B", 2, fshape, fstrides, 0); /* a Fortran array */
    static const struct { char order; unsigned char c[6], f[6]; } want[] = {
        {'C', {0, 1, 2, 3, 4, 5}, {0, 3, 1, 4, 2, 5}},
        {'F', {0, 3, 1, 4, 2, 5}, {0, 1, 2, 3, 4, 5}},
        {'A', {0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5}},
    };
    for (int i = 0; i < 3; i++) {
        ck_ok(ndv_tobytes(&c, out, 6, want[i].order));
        ck_assert_mem_eq(out, want[i].c, 6);
        ck_ok(ndv_tobytes(&f, out, 6, want[i].order));
        ck_assert_mem_eq(out, want[i].f, 6);
    }
    /* Reversed rows: C and A give C order, F walks columns. */
    ndv_view r;
    ck_ok(ndv_slice(&c, 0, NDV_NONE, NDV_NONE, -1, &r));
    unsigned char rc[6] = {3, 4, 5, 0, 1, 2}, rf[6] = {3, 0, 4, 1, 5, 2};
    ck_ok(ndv_tobytes(&r, out, 6, 'A'));
    ck_assert_mem_eq(out, rc, 6);
    ck_ok(ndv_tobytes(&r, out, 6, 'F'));
    ck_assert_mem_eq(out, rf, 6);
    ck_ok(ndv_release(&r));
    ck_ok(ndv_release(&f));
    ck_ok(ndv_release(&c));
}
END_TEST

START_TEST(tobytes_errors_write_nothing)
{
    int32_t m[4] = {1, 2, 3, 4};
    ptrdiff_t n = 4;
    unsigned char out[32];
    ndv_view v = ck_view(m, sizeof m, "i", 1, &n, NULL, 0);
    memset(out, 0xee, sizeof out);
    ck_status(ndv_tobytes(&v, out, 15, 'C'), NDV_ERR_VALUE);
    ck_msg_has("destination holds 15 bytes");
    for (int i = 0; i < 32; i++)
        ck_assert_int_eq(out[i], 0xee);
    ck_status(ndv_tobytes(&v, out, 16, 'X'), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "order must be 'C', 'F' or 'A'");
    ck_status(ndv_tobytes(&v, NULL, 16, 'C'), NDV_ERR_VALUE);
    ck_status(ndv_frombytes(&v, out, 15, 'C'), NDV_ERR_VALUE);
    ck_assert_int_eq(m[0], 1);
    ck_status(ndv_frombytes(&v, out, 16, 'Z'), NDV_ERR_VALUE);
    ndv_view ro;
    ck_ok(ndv_toreadonly(&v, &ro));
    ck_status(ndv_frombytes(&ro, out, 16, 'C'), NDV_ERR_READONLY);
    ck_assert_str_eq(ndv_errmsg(), "cannot modify read-only memory");
    ck_ok(ndv_release(&ro));
    ck_ok(ndv_release(&v));
    ck_status(ndv_tobytes(&v, out, 16, 'C'), NDV_ERR_RELEASED);
    ck_status(ndv_frombytes(&v, out, 16, 'C'), NDV_ERR_RELEASED);
}
END_TEST

/* Small contiguous views (1-65 bytes, every offset mod 16) copy inline: every byte, nothing past. */
START_TEST(tobytes_small_every_length)
{
    unsigned char src[96], out[96];
    for (int i = 0; i < 96; i++)
        src[i] = (unsigned char)(i * 37 + 11);
    for (ptrdiff_t n = 1; n <= 65; n++) {
        for (int off = 0; off < 16; off++) {
            ndv_view v = ck_view(src + off, n, "B", 1, &n, NULL, 0);
            memset(out, 0xee, sizeof out);
            ck_ok(ndv_tobytes(&v, out + off, n, 'C'));
            ck_assert_msg(memcmp(out + off, src + off, (size_t)n) == 0, "%td bytes at +%d", n, off);
            for (int i = 0; i < 96; i++)
                if (i < off || i >= off + n)
                    ck_assert_msg(out[i] == 0xee, "%td bytes at +%d: byte %d written", n, off, i);
            ck_ok(ndv_release(&v));
        }
    }
}
END_TEST

START_TEST(zero_dim_and_empty)
{
    double d = 2.5, back = 0;
    ndv_view s = ck_view(&d, 8, "d", 0, NULL, NULL, 0);
    ck_ok(ndv_tobytes(&s, &back, 8, 'F'));
    ck_assert(back == 2.5);
    check_repr(&s, "2.5");
    back = -1;
    ck_ok(ndv_frombytes(&s, &back, 8, 'C'));
    ck_assert(d == -1);
    ck_ok(ndv_release(&s));
    ptrdiff_t shape[3] = {2, 0, 3};
    ndv_view e = ck_view(NULL, 0, "i", 3, shape, NULL, 0);
    ck_ok(ndv_tobytes(&e, NULL, 0, 'C'));
    check_repr(&e, "[[], []]");
    ptrdiff_t n;
    ck_ok(ndv_tolist(&e, NULL, 0, &n));
    ck_assert_int_eq(n, 0);
    ck_ok(ndv_hex(&e, NULL, 0, ':', 1, &n));
    ck_assert_int_eq(n, 0);
    bool eq;
    ptrdiff_t shape2[3] = {2, 0, 7};
    ndv_view e2 = ck_view(NULL, 0, "d", 3, shape2, NULL, 0);
    ck_ok(ndv_equal(&e, &e2, &eq)); /* shapes agree up to the first zero */
    ck_assert(eq);
    ck_ok(ndv_copy(&e, &e));
    ck_ok(ndv_release(&e2));
    ck_ok(ndv_release(&e));
}
END_TEST

/* Suboffsets: two rows reached through pointers, out of order. */
static unsigned char pil_rows[2][3] = {{10, 11, 12}, {20, 21, 22}};
static unsigned char *pil_ptrs[2] = {pil_rows[1], pil_rows[0]};

static ndv_status pil_get(void *obj, ndv_buffer *b, int flags)
{
    static ptrdiff_t shape[2] = {2, 3}, strides[2] = {sizeof(void *), 1}, subs[2] = {0, -1};
    (void)flags;
    *b = (ndv_buffer){pil_ptrs, obj, 6, 1, 0, 2, "B", shape, strides, subs, NULL};
    return NDV_OK;
}

START_TEST(data_ops_follow_suboffsets)
{
    static const ndv_exporter ops = {pil_get, NULL};
    ndv_view v, t, r;
    unsigned char out[6], c[6] = {20, 21, 22, 10, 11, 12}, f[6] = {20, 10, 21, 11, 22, 12};
    ck_ok(ndv_view_from_exporter(&v, NULL, &ops, NDV_BUF_FULL));
    ck_ok(ndv_tobytes(&v, out, 6, 'C'));
    ck_assert_mem_eq(out, c, 6);
    ck_ok(ndv_tobytes(&v, out, 6, 'F'));
    ck_assert_mem_eq(out, f, 6);
    ck_ok(ndv_tobytes(&v, out, 6, 'A'));
    ck_assert_mem_eq(out, c, 6);
    check_repr(&v, "[[20, 21, 22], [10, 11, 12]]");
    char hex[16];
    ptrdiff_t n;
    ck_ok(ndv_hex(&v, hex, sizeof hex, 0, 0, &n));
    ck_assert_str_eq(hex, "1415160a0b0c");
    /* Copy into and out of the indirect array (through the temporary). */
    unsigned char flat[6] = {1, 2, 3, 4, 5, 6};
    ptrdiff_t shape[2] = {2, 3};
    ndv_view d = ck_view(flat, 6, "B", 2, shape, NULL, 0);
    ck_ok(ndv_copy(&v, &d));
    ck_assert(pil_rows[1][0] == 1 && pil_rows[0][2] == 6);
    ck_ok(ndv_frombytes(&v, c, 6, 'C'));
    ck_assert(pil_rows[1][0] == 20 && pil_rows[0][2] == 12);
    ck_ok(ndv_copy(&d, &v));
    ck_assert_mem_eq(flat, c, 6);
    bool eq;
    ck_ok(ndv_equal(&v, &d, &eq));
    ck_assert(eq);
    ck_ok(ndv_slice(&v, 1, NDV_NONE, NDV_NONE, -2, &t));
    ck_ok(ndv_index(&t, 1, &r));
    check_repr(&t, "[[22, 20], [12, 10]]");
    check_repr(&r, "[12, 10]");
    ck_ok(ndv_release(&r));
    ck_ok(ndv_release(&t));
    ck_ok(ndv_release(&d));
    ck_ok(ndv_release(&v));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* copy                                                                      */
/* ------------------------------------------------------------------------ */

START_TEST(copy_overlap_both_directions)
{
    char m[7] = "abcdef";
    ptrdiff_t n = 6;
    ndv_view v = ck_view(m, 6, "B", 1, &n, NULL, 0), a, b;
    ck_ok(ndv_slice(&v, 0, 1, 5, 1, &a));
    ck_ok(ndv_slice(&v, 0, 0, 4, 1, &b));
    ck_ok(ndv_copy(&a, &b)); /* bb[1:5] = bb[0:4] */
    ck_assert_str_eq(m, "aabcdf");
    memcpy(m, "abcdef", 6);
    ck_ok(ndv_copy(&b, &a)); /* bb[0:4] = bb[1:5] */
    ck_assert_str_eq(m, "bcdeef");
    ck_ok(ndv_release(&a));
    ck_ok(ndv_release(&b));
    /* Strided overlap, same layout: every other byte shifted by two. */
    memcpy(m, "abcdef", 6);
    ck_ok(ndv_slice(&v, 0, 2, 6, 2, &a)); /* c, e */
    ck_ok(ndv_slice(&v, 0, 0, 4, 2, &b)); /* a, c */
    ck_ok(ndv_copy(&a, &b));
    ck_assert_str_eq(m, "abadcf");
    ck_ok(ndv_release(&a));
    ck_ok(ndv_release(&b));
    /* Reversal in place needs the temporary. */
    memcpy(m, "abcdef", 6);
    ck_ok(ndv_slice(&v, 0, NDV_NONE, NDV_NONE, -1, &a));
    ck_ok(ndv_copy(&v, &a));
    ck_assert_str_eq(m, "fedcba");
    ck_ok(ndv_release(&a));
    ck_ok(ndv_release(&v));
}
END_TEST

/* Transposes of every item size (the tile path) and odd sizes, against a plain loop. */
START_TEST(copy_transposes)
{
    static const ptrdiff_t sizes[] = {1, 2, 3, 4, 8, 16};
    static const char *const fmts[] = {"B", "h", "3s", "i", "q", "16s"};
    ptrdiff_t rows = 37 + _i, cols = 70 - _i;
    for (int s = 0; s < 6; s++) {
        ptrdiff_t is = sizes[s], nbytes = rows * cols * is;
        unsigned char *src = malloc((size_t)nbytes), *dst = malloc((size_t)nbytes);
        for (ptrdiff_t i = 0; i < nbytes; i++)
            src[i] = (unsigned char)(i * 7 + 1);
        ptrdiff_t shape[2] = {rows, cols}, tshape[2] = {cols, rows};
        ndv_view a = ck_view(src, nbytes, fmts[s], 2, shape, NULL, 0), t;
        ndv_view d = ck_view(dst, nbytes, fmts[s], 2, tshape, NULL, 0);
        ck_ok(ndv_transpose(&a, NULL, &t));
        ck_ok(ndv_copy(&d, &t));
        for (ptrdiff_t i = 0; i < cols; i++)
            for (ptrdiff_t j = 0; j < rows; j++)
                ck_assert_mem_eq(dst + (i * rows + j) * is, src + (j * cols + i) * is, (size_t)is);
        memset(dst, 0, (size_t)nbytes);
        ck_ok(ndv_tobytes(&t, dst, nbytes, 'C'));
        for (ptrdiff_t i = 0; i < cols; i++)
            ck_assert_mem_eq(dst + i * rows * is, src + i * is, (size_t)is);
        ck_ok(ndv_release(&t));
        ck_ok(ndv_release(&a));
        ck_ok(ndv_release(&d));
        free(src);
        free(dst);
    }
}
END_TEST

START_TEST(copy_structure_rules)
{
    int32_t a[6] = {0}, b[6] = {1, 2, 3, 4, 5, 6};
    ptrdiff_t s23[2] = {2, 3}, s32[2] = {3, 2}, n6 = 6;
    ndv_view va = ck_view(a, sizeof a, "i", 2, s23, NULL, 0);
    ndv_view vb = ck_view(b, sizeof b, "@i", 2, s23, NULL, 0); /* '@i' matches 'i' */
    ck_ok(ndv_copy(&va, &vb));
    ck_assert_int_eq(a[5], 6);
    ndv_view w;
    ck_ok(ndv_view_from_memory(&w, b, sizeof b, false, "<i", 2, s23, NULL, 0));
    ck_status(ndv_copy(&va, &w), NDV_ERR_VALUE);
    ck_msg_has("memoryview assignment: lvalue and rvalue have different structures: "
               "formats 'i' (itemsize 4) and '<i' (itemsize 4) differ");
    ck_ok(ndv_release(&w));
    w = ck_view(b, sizeof b, "i", 2, s32, NULL, 0);
    ck_status(ndv_copy(&va, &w), NDV_ERR_VALUE);
    ck_msg_has("different structures: shapes (2,3) and (3,2) differ");
    ck_ok(ndv_release(&w));
    w = ck_view(b, sizeof b, "i", 1, &n6, NULL, 0);
    ck_status(ndv_copy(&va, &w), NDV_ERR_VALUE);
    ck_ok(ndv_release(&w));
    ndv_view ro;
    ck_ok(ndv_toreadonly(&va, &ro));
    ck_status(ndv_copy(&ro, &vb), NDV_ERR_READONLY);
    ck_ok(ndv_release(&ro));
    ck_ok(ndv_release(&vb));
    ck_status(ndv_copy(&va, &vb), NDV_ERR_RELEASED);
    ck_status(ndv_copy(&vb, &va), NDV_ERR_RELEASED);
    ck_ok(ndv_release(&va));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* hex                                                                       */
/* ------------------------------------------------------------------------ */

START_TEST(hex_separators)
{
    unsigned char m[5] = {0xb9, 0x01, 0xef, 0x00, 0x11};
    ptrdiff_t n = 5, len;
    char out[32];
    ndv_view v = ck_view(m, 5, "B", 1, &n, NULL, 0);
    static const struct { int sep, per; const char *want; } cases[] = {
        {0, 1, "b901ef0011"}, {':', 2, "b9:01ef:0011"}, {':', -2, "b901:ef00:11"},
        {':', 1, "b9:01:ef:00:11"}, {'-', -1, "b9-01-ef-00-11"}, {':', 5, "b901ef0011"},
        {':', -7, "b901ef0011"}, {':', 0, "b901ef0011"}, {' ', 3, "b901 ef0011"},
        {' ', -3, "b901ef 0011"}, {':', 4, "b9:01ef0011"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_ok(ndv_hex(&v, NULL, 0, cases[i].sep, cases[i].per, &len));
        ck_assert_int_eq(len, (ptrdiff_t)strlen(cases[i].want));
        ck_ok(ndv_hex(&v, out, sizeof out, cases[i].sep, cases[i].per, &len));
        ck_assert_str_eq(out, cases[i].want);
    }
    memset(out, 'z', sizeof out);
    ck_status(ndv_hex(&v, out, 11, ':', 2, &len), NDV_ERR_VALUE);
    ck_assert_int_eq(out[0], 'z');
    ck_status(ndv_hex(&v, out, sizeof out, 0xe9, 1, &len), NDV_ERR_VALUE);
    ck_assert_str_eq(ndv_errmsg(), "sep must be ASCII.");
    ck_status(ndv_hex(&v, out, sizeof out, ':', 1, NULL), NDV_ERR_VALUE);
    /* Exactly the needed room: no NUL, nothing past it. */
    memset(out, 'z', sizeof out);
    ck_ok(ndv_hex(&v, out, 12, ':', 2, &len));
    ck_assert_int_eq(out[12], 'z');
    /* A strided view: the C-order bytes. */
    ndv_view s;
    ck_ok(ndv_slice(&v, 0, NDV_NONE, NDV_NONE, -2, &s));
    ck_ok(ndv_hex(&s, out, sizeof out, 0, 0, &len));
    ck_assert_str_eq(out, "11efb9");
    ck_ok(ndv_release(&s));
    ck_ok(ndv_release(&v));
}
END_TEST

/* ------------------------------------------------------------------------ */
/* tolist, visitor, unpack_as                                                */
/* ------------------------------------------------------------------------ */

typedef struct { const char *fmt; unsigned char bytes[24]; ptrdiff_t size; const char *repr; } value_case;

static const value_case value_table[] = {
    {"b", {0xff}, 1, "-1"}, {"B", {0xff}, 1, "255"},
    {"<h", {0x00, 0x80}, 2, "-32768"}, {">H", {0x80, 0x01}, 2, "32769"},
    {"<i", {0xfe, 0xff, 0xff, 0xff}, 4, "-2"}, {">I", {0xff, 0xff, 0xff, 0xfe}, 4, "4294967294"},
    {"<q", {0, 0, 0, 0, 0, 0, 0, 0x80}, 8, "-9223372036854775808"},
    {">Q", {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 8, "18446744073709551615"},
    {"?", {2}, 1, "True"}, {"?", {0}, 1, "False"},
    {"c", {'\''}, 1, "b\"'\""}, {"c", {'\\'}, 1, "b'\\\\'"}, {"c", {'\n'}, 1, "b'\\n'"},
    {"c", {0x7f}, 1, "b'\\x7f'"},
    {"3s", {'a', 0, 'z'}, 3, "b'a\\x00z'"}, {"0sB", {9}, 1, "(b'', 9)"},
    {"4p", {2, 'h', 'i', 'x'}, 4, "b'hi'"}, {"3p", {9, 'a', 'b'}, 3, "b'ab'"},
    {"<e", {0x00, 0x3c}, 2, "1.0"}, {">e", {0x7c, 0x00}, 2, "inf"}, {"<e", {0x01, 0x00}, 2,
     "5.960464477539063e-08"},
    {"<f", {0xcd, 0xcc, 0xcc, 0x3d}, 4, "0.10000000149011612"},
    {">d", {0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a}, 8, "0.1"},
    {"<d", {0, 0, 0, 0, 0, 0, 0, 0x80}, 8, "-0.0"},
    {"<d", {0, 0x80, 0xe0, 0x37, 0x79, 0xc3, 0x41, 0x43}, 8, "1e+16"},
    {"<Zf", {0, 0, 0x80, 0x3f, 0, 0, 0, 0x40}, 8, "(1+2j)"},
    {"<Zd", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f}, 16, "1.5j"},
    {"<w", {'A', 0, 0, 0}, 4, "'A'"}, {">w", {0, 0, 0x20, 0xac}, 4, "'\\u20ac'"},
    {"<2h", {1, 0, 2, 0}, 4, "(1, 2)"}, {"x", {0}, 1, "()"},
    {"<(2)h", {1, 0, 0xff, 0xff}, 4, "(1, -1)"},
    {"T{<h:a:<B:b:}", {5, 0, 6}, 3, "(5, 6)"},
    {"<hxb", {1, 0, 0, 0xfe}, 4, "(1, -2)"},
};

START_TEST(every_format_kind)
{
    const value_case *c = &value_table[_i];
    ptrdiff_t one = 1, size;
    ck_ok(ndv_calcsize(c->fmt, &size));
    ck_assert_int_eq(size, c->size);
    unsigned char mem[24];
    memcpy(mem, c->bytes, sizeof mem);
    ndv_view v = ck_view(mem, c->size, c->fmt, 1, &one, NULL, 0);
    char want[64];
    snprintf(want, sizeof want, "[%s]", c->repr);
    check_repr(&v, want);
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(tolist_values_and_cap)
{
    unsigned char m[11] = {1, 0, 'a', 'b', 0, 0x3c, 0xfe, 0xff, 0xff, 0xff, 7};
    ptrdiff_t one = 1, n;
    ndv_view v = ck_view(m, 11, "<h2s<ei?", 1, &one, NULL, 0);
    ndv_value out[6];
    ck_ok(ndv_tolist(&v, NULL, 0, &n));
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(ndv_item_values(&v), 5);
    ck_status(ndv_tolist(&v, out, 4, &n), NDV_ERR_VALUE);
    ck_ok(ndv_tolist(&v, out, 6, &n));
    ck_assert_int_eq(out[0].kind, NDV_KIND_INT);
    ck_assert_int_eq(out[0].v.i, 1);
    ck_assert_int_eq(out[1].kind, NDV_KIND_BYTES);
    ck_assert_int_eq(out[1].v.bytes.len, 2);
    ck_assert_ptr_eq(out[1].v.bytes.ptr, (char *)m + 2);
    ck_assert_int_eq(out[2].kind, NDV_KIND_FLOAT);
    ck_assert(out[2].v.f == 1.0);
    ck_assert_int_eq(out[3].kind, NDV_KIND_INT);
    ck_assert_int_eq(out[3].v.i, -2);
    ck_assert_int_eq(out[4].kind, NDV_KIND_BOOL);
    ck_assert(out[4].v.b);
    check_repr(&v, "[(1, b'ab', 1.0, -2, True)]");
    ck_ok(ndv_release(&v));
    ck_status(ndv_tolist(&v, out, 5, &n), NDV_ERR_RELEASED);
    ck_assert_int_eq(ndv_item_values(&v), 0);
}
END_TEST

typedef struct { char log[256]; int stop_after; int calls; } trace;

static void note(trace *t, const char *s)
{
    strncat(t->log, s, sizeof t->log - strlen(t->log) - 1);
}

static ndv_status t_begin_list(void *ctx, ptrdiff_t n)
{
    char b[16];
    snprintf(b, sizeof b, "L%td(", n);
    note(ctx, b);
    return NDV_OK;
}
static ndv_status t_end_list(void *ctx) { note(ctx, ")"); return NDV_OK; }
static ndv_status t_begin_tuple(void *ctx, ptrdiff_t n)
{
    char b[16];
    snprintf(b, sizeof b, "T%td<", n);
    note(ctx, b);
    return NDV_OK;
}
static ndv_status t_end_tuple(void *ctx) { note(ctx, ">"); return NDV_OK; }
static ndv_status t_value(void *ctx, const ndv_value *v)
{
    trace *t = ctx;
    char b[16];
    snprintf(b, sizeof b, "%lld,", (long long)v->v.i);
    note(t, b);
    return ++t->calls == t->stop_after ? NDV_ERR_INDEX : NDV_OK;
}

START_TEST(visitor_structure_and_stop)
{
    int16_t m[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ptrdiff_t shape[2] = {2, 2};
    ndv_view v = ck_view(m, sizeof m, "2h", 2, shape, NULL, 0);
    ndv_visitor vis = {t_begin_list, t_end_list, t_begin_tuple, t_end_tuple, t_value};
    trace t = {"", 0, 0};
    ck_ok(ndv_tolist_visit(&v, &vis, &t));
    ck_assert_str_eq(t.log, "L2(L2(T2<1,2,>T2<3,4,>)L2(T2<5,6,>T2<7,8,>))");
    trace s = {"", 3, 0};
    ck_status(ndv_tolist_visit(&v, &vis, &s), NDV_ERR_INDEX);
    ck_assert_str_eq(s.log, "L2(L2(T2<1,2,>T2<3,");
    ndv_visitor only_values = {NULL, NULL, NULL, NULL, t_value};
    trace u = {"", 0, 0};
    ck_ok(ndv_tolist_visit(&v, &only_values, &u));
    ck_assert_str_eq(u.log, "1,2,3,4,5,6,7,8,");
    ck_status(ndv_tolist_visit(&v, NULL, &u), NDV_ERR_VALUE);
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(unpack_as_rules)
{
    int8_t i8[4] = {-1, 2, -128, 127};
    uint64_t big[2] = {1, UINT64_MAX};
    float f[2] = {1.5f, -0.0f};
    ptrdiff_t n4 = 4, n2 = 2;
    int64_t o[4];
    uint64_t u[4];
    double d[4];
    ndv_view v = ck_view(i8, 4, "b", 1, &n4, NULL, 0);
    ck_ok(ndv_unpack_as(&v, NDV_I64, o, 4));
    ck_assert(o[0] == -1 && o[2] == -128 && o[3] == 127);
    ck_ok(ndv_unpack_as(&v, NDV_F64, d, 4));
    ck_assert(d[0] == -1.0 && d[3] == 127.0);
    ck_status(ndv_unpack_as(&v, NDV_U64, u, 4), NDV_ERR_VALUE);
    ck_status(ndv_unpack_as(&v, NDV_I64, o, 3), NDV_ERR_VALUE);
    ck_status(ndv_unpack_as(&v, (ndv_dtype)7, o, 4), NDV_ERR_VALUE);
    ck_ok(ndv_release(&v));
    v = ck_view(big, sizeof big, "Q", 1, &n2, NULL, 0);
    ck_ok(ndv_unpack_as(&v, NDV_U64, u, 2));
    ck_assert(u[1] == UINT64_MAX);
    ck_status(ndv_unpack_as(&v, NDV_I64, o, 2), NDV_ERR_VALUE);
    ck_ok(ndv_release(&v));
    v = ck_view(f, sizeof f, "f", 1, &n2, NULL, 0);
    ck_ok(ndv_unpack_as(&v, NDV_F64, d, 2));
    ck_assert(d[0] == 1.5 && signbit(d[1]));
    ck_status(ndv_unpack_as(&v, NDV_I64, o, 2), NDV_ERR_TYPE);
    ck_ok(ndv_release(&v));
    v = ck_view(f, sizeof f, "2s", 1, &n2, NULL, 0);
    ck_status(ndv_unpack_as(&v, NDV_F64, d, 2), NDV_ERR_TYPE);
    ck_ok(ndv_release(&v));
    /* Big-endian, multi-value items, bools. */
    unsigned char be[6] = {0xff, 0xff, 0xff, 0xfe, 1, 0};
    ptrdiff_t one = 1;
    v = ck_view(be, 6, ">i??", 1, &one, NULL, 0);
    ck_ok(ndv_unpack_as(&v, NDV_I64, o, 3));
    ck_assert(o[0] == -2 && o[1] == 1 && o[2] == 0);
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(repr_structures_and_cap)
{
    int32_t m[6] = {0, 1, 2, 3, 4, 5};
    ptrdiff_t shape[2] = {2, 3}, n;
    ndv_view v = ck_view(m, sizeof m, "i", 2, shape, NULL, 0), t;
    check_repr(&v, "[[0, 1, 2], [3, 4, 5]]");
    ck_ok(ndv_transpose(&v, NULL, &t));
    check_repr(&t, "[[0, 3], [1, 4], [2, 5]]");
    char small[8];
    memset(small, 'z', sizeof small);
    ck_status(ndv_repr(&v, small, 5, &n), NDV_ERR_VALUE);
    ck_assert_int_eq(n, 22);
    ck_assert_mem_eq(small, "[[0, z", 6); /* cut at cap, nothing past it */
    ck_ok(ndv_repr(&v, NULL, 0, &n));
    ck_assert_int_eq(n, 22);
    ck_status(ndv_repr(&v, small, 5, NULL), NDV_ERR_VALUE);
    ck_ok(ndv_release(&t));
    ck_ok(ndv_release(&v));
    ck_status(ndv_repr(&v, small, 5, &n), NDV_ERR_RELEASED);
}
END_TEST

Suite *data_suite(void)
{
    Suite *s = suite_create("data");
    TCase *tc = tcase_create("data");
    tcase_add_test(tc, tobytes_orders);
    tcase_add_test(tc, tobytes_errors_write_nothing);
    tcase_add_test(tc, tobytes_small_every_length);
    tcase_add_test(tc, zero_dim_and_empty);
    tcase_add_test(tc, data_ops_follow_suboffsets);
    tcase_add_test(tc, copy_overlap_both_directions);
    tcase_add_loop_test(tc, copy_transposes, 0, 3);
    tcase_add_test(tc, copy_structure_rules);
    tcase_add_test(tc, hex_separators);
    tcase_add_loop_test(tc, every_format_kind, 0, (int)(sizeof value_table / sizeof value_table[0]));
    tcase_add_test(tc, tolist_values_and_cap);
    tcase_add_test(tc, visitor_structure_and_stop);
    tcase_add_test(tc, unpack_as_rules);
    tcase_add_test(tc, repr_structures_and_cap);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(data_suite());
}
