/*
 * test_pack.c - ndv_pack_item: struct.pack's range checks per code, and nothing
 * written when any value of an item is refused; ndv_unpack_item reads it back.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* pack_item                                                                 */
/* ------------------------------------------------------------------------ */

static ndv_value vi(int64_t i) { ndv_value v = {NDV_KIND_INT, {.i = i}}; return v; }
static ndv_value vu(uint64_t u) { ndv_value v = {NDV_KIND_UINT, {.u = u}}; return v; }
typedef struct {
    const char *fmt;
    ndv_value val;
    ndv_status want;
    unsigned char bytes[8]; /* the item afterwards, when packed */
} pack_case;

static const pack_case pack_table[] = {
    {"b", {NDV_KIND_INT, {.i = 127}}, NDV_OK, {127}},
    {"b", {NDV_KIND_INT, {.i = 128}}, NDV_ERR_VALUE, {0}},
    {"b", {NDV_KIND_INT, {.i = -129}}, NDV_ERR_VALUE, {0}},
    {"B", {NDV_KIND_INT, {.i = -1}}, NDV_ERR_VALUE, {0}},
    {"B", {NDV_KIND_BOOL, {.b = true}}, NDV_OK, {1}},
    {"<h", {NDV_KIND_INT, {.i = -2}}, NDV_OK, {0xfe, 0xff}},
    {">H", {NDV_KIND_UINT, {.u = 65536}}, NDV_ERR_VALUE, {0}},
    {">i", {NDV_KIND_INT, {.i = 258}}, NDV_OK, {0, 0, 1, 2}},
    {"<q", {NDV_KIND_UINT, {.u = UINT64_MAX}}, NDV_ERR_VALUE, {0}},
    {"<Q", {NDV_KIND_UINT, {.u = UINT64_MAX}}, NDV_OK, {255, 255, 255, 255, 255, 255, 255, 255}},
    {"<i", {NDV_KIND_FLOAT, {.f = 1.0}}, NDV_ERR_TYPE, {0}},
    {"<i", {NDV_KIND_BYTES, {.bytes = {"a", 1}}}, NDV_ERR_TYPE, {0}},
    {"f", {NDV_KIND_FLOAT, {.f = 1e300}}, NDV_OK, {0, 0, 0x80, 0x7f}},  /* native: inf */
    {"<f", {NDV_KIND_FLOAT, {.f = 1e300}}, NDV_ERR_VALUE, {0}},        /* standard: refused */
    {"<f", {NDV_KIND_INT, {.i = 2}}, NDV_OK, {0, 0, 0, 0x40}},
    {"<e", {NDV_KIND_FLOAT, {.f = 65520.0}}, NDV_ERR_VALUE, {0}},
    {"<e", {NDV_KIND_FLOAT, {.f = 65519.0}}, NDV_OK, {0xff, 0x7b}},
    {"<e", {NDV_KIND_FLOAT, {.f = 0x1p-25}}, NDV_OK, {0, 0}},          /* ties to even: 0 */
    {"<e", {NDV_KIND_FLOAT, {.f = 0x1.8p-24}}, NDV_OK, {2, 0}},        /* 1.5 ulp -> 2 */
    {"?", {NDV_KIND_BYTES, {.bytes = {"", 0}}}, NDV_OK, {0}},
    {"?", {NDV_KIND_FLOAT, {.f = NAN}}, NDV_OK, {1}},
    {"c", {NDV_KIND_BYTES, {.bytes = {"ab", 2}}}, NDV_ERR_VALUE, {0}},
    {"c", {NDV_KIND_INT, {.i = 97}}, NDV_ERR_TYPE, {0}},
    {"c", {NDV_KIND_BYTES, {.bytes = {"q", 1}}}, NDV_OK, {'q'}},
    {"3s", {NDV_KIND_BYTES, {.bytes = {"abcdef", 6}}}, NDV_OK, {'a', 'b', 'c'}},
    {"3s", {NDV_KIND_BYTES, {.bytes = {"a", 1}}}, NDV_OK, {'a', 0, 0}},
    {"4p", {NDV_KIND_BYTES, {.bytes = {"abcdef", 6}}}, NDV_OK, {3, 'a', 'b', 'c'}},
    {"P", {NDV_KIND_INT, {.i = -1}}, NDV_OK, {255, 255, 255, 255, 255, 255, 255, 255}},
    {"<Zf", {NDV_KIND_FLOAT, {.f = 1.0}}, NDV_OK, {0, 0, 0x80, 0x3f, 0, 0, 0, 0}},
    {"<w", {NDV_KIND_UCS4, {.ucs4 = 0x110000}}, NDV_ERR_VALUE, {0}},
    {"<w", {NDV_KIND_UCS4, {.ucs4 = 0x20ac}}, NDV_OK, {0xac, 0x20, 0, 0}},
};

START_TEST(pack_rules)
{
    const pack_case *c = &pack_table[_i];
    unsigned char mem[8] = {0};
    ptrdiff_t one = 1, idx = 0, size;
    ck_ok(ndv_calcsize(c->fmt, &size));
    ndv_view v = ck_view(mem, size, c->fmt, 1, &one, NULL, 0);
    ndv_status s = ndv_pack_item(&v, &idx, &c->val, 1);
    ck_assert_msg(s == c->want, "'%s': got %s (%s)", c->fmt, ndv_status_name(s), ndv_errmsg());
    if (s == NDV_OK) {
        unsigned char want[8];
        memcpy(want, c->bytes, sizeof want);
        /* The table spells native multi-byte numbers little-endian. */
        uint16_t probe = 1;
        bool big_endian = *(unsigned char *)&probe == 0;
        if (big_endian && (strcmp(c->fmt, "f") == 0 || strcmp(c->fmt, "P") == 0))
            for (ptrdiff_t i = 0; i < size / 2; i++) {
                unsigned char t = want[i];
                want[i] = want[size - 1 - i];
                want[size - 1 - i] = t;
            }
        ck_assert_mem_eq(mem, want, (size_t)size);
    } else {
        unsigned char zero[8] = {0};
        ck_assert_mem_eq(mem, zero, (size_t)size); /* nothing written */
        ck_msg_has(s == NDV_ERR_TYPE ? "memoryview: invalid type for format '"
                                     : "memoryview: invalid value for format '");
    }
    ck_ok(ndv_release(&v));
}
END_TEST

START_TEST(pack_all_or_nothing)
{
    int16_t m[4] = {0};
    ptrdiff_t shape[2] = {1, 2}, idx[2] = {0, -1}, bad[2] = {1, 0};
    ndv_view v = ck_view(m, sizeof m, "hh", 2, shape, NULL, 0);
    ndv_value ok2[2] = {vi(5), vu(6)}, bad2[2] = {vi(5), vi(1 << 20)};
    ck_ok(ndv_pack_item(&v, idx, ok2, 2));
    ck_assert(m[2] == 5 && m[3] == 6);
    ck_status(ndv_pack_item(&v, idx, bad2, 2), NDV_ERR_VALUE);
    ck_assert(m[2] == 5 && m[3] == 6); /* the first value was not written either */
    ck_status(ndv_pack_item(&v, idx, ok2, 1), NDV_ERR_TYPE);
    ck_status(ndv_pack_item(&v, bad, ok2, 2), NDV_ERR_INDEX);
    ndv_view ro;
    ck_ok(ndv_toreadonly(&v, &ro));
    ck_status(ndv_pack_item(&ro, idx, ok2, 2), NDV_ERR_READONLY);
    ck_ok(ndv_release(&ro));
    ck_ok(ndv_release(&v));
    ck_status(ndv_pack_item(&v, idx, ok2, 2), NDV_ERR_RELEASED);
}
END_TEST

/* ndv_unpack_item: the mirror of pack_item, what was packed reads back. */
START_TEST(unpack_item_reads_what_pack_wrote)
{
    int16_t m[6] = {0};
    ptrdiff_t shape[2] = {3, 1}, idx[2] = {-1, 0}, bad[2] = {0, 1};
    ndv_view v = ck_view(m, sizeof m, "<h>H", 2, shape, NULL, 0);
    ndv_value in[2] = {vi(-7), vu(0xBEEF)}, out[3];
    ck_ok(ndv_pack_item(&v, idx, in, 2));
    ck_ok(ndv_unpack_item(&v, idx, out, 3));
    ck_assert(out[0].kind == NDV_KIND_INT && out[0].v.i == -7);
    ck_assert(out[1].kind == NDV_KIND_UINT && out[1].v.u == 0xBEEF);
    ck_assert_int_eq(((unsigned char *)m)[10], 0xBE); /* '>H': big-endian bytes */
    ck_status(ndv_unpack_item(&v, idx, out, 1), NDV_ERR_VALUE); /* room for 1 of 2 */
    ck_status(ndv_unpack_item(&v, bad, out, 3), NDV_ERR_INDEX);
    ck_assert_str_eq(ndv_errmsg(), "index out of bounds on dimension 2");
    ck_status(ndv_unpack_item(&v, idx, NULL, 3), NDV_ERR_VALUE);
    ndv_view item;
    ck_ok(ndv_index(&v, 2, &item));
    ck_ok(ndv_index(&item, 0, &item)); /* 0-d: no indices */
    ck_ok(ndv_unpack_item(&item, NULL, out, 2));
    ck_assert(out[0].v.i == -7);
    ck_ok(ndv_release(&item));
    ck_ok(ndv_release(&v));
    ck_status(ndv_unpack_item(&v, idx, out, 3), NDV_ERR_RELEASED);
}
END_TEST

Suite *pack_suite(void)
{
    Suite *s = suite_create("pack");
    TCase *tc = tcase_create("pack");
    tcase_add_loop_test(tc, pack_rules, 0, (int)(sizeof pack_table / sizeof pack_table[0]));
    tcase_add_test(tc, pack_all_or_nothing);
    tcase_add_test(tc, unpack_item_reads_what_pack_wrote);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(pack_suite());
}
