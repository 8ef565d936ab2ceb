/*
 * test_dlpack.c - ndv_from_dlpack / ndv_to_dlpack: every representable
 * dtype both ways, strides, ownership (the deleter runs once, on the last
 * release, never on failure) and every refusal.
 */
#include <stdlib.h>

#include "testutil.h"

#if !defined(NDV_TEST_HAVE_DLPACK)

START_TEST(built_without_dlpack)
{
    ndv_view v = NDV_VIEW_INIT;
    struct DLManagedTensor *t = (struct DLManagedTensor *)&v;
    ck_status(ndv_from_dlpack(&v, t, false), NDV_ERR_NOTIMPL);
    ck_msg_has("without DLPack");
    ck_status(ndv_to_dlpack(&v, &t), NDV_ERR_NOTIMPL);
    ck_assert_ptr_null(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dlpack");
    TCase *tc = tcase_create("absent");
    tcase_add_test(tc, built_without_dlpack);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

#else

#include <dlpack/dlpack.h>

/* A producer's tensor over caller memory; counts its deleter calls. */
typedef struct producer {
    DLManagedTensor managed;
    int64_t shape[4], strides[4];
    int deleted;
} producer;

static void count_delete(DLManagedTensor *self)
{
    ((producer *)self)->deleted++;
}

static void producer_init(producer *p, void *data, DLDataType dt, int ndim, const int64_t *shape,
                          const int64_t *strides)
{
    memset(p, 0, sizeof *p);
    for (int d = 0; d < ndim; d++) {
        p->shape[d] = shape[d];
        p->strides[d] = strides ? strides[d] : 0;
    }
    p->managed.dl_tensor = (DLTensor){data, {kDLCPU, 0}, ndim, dt, p->shape,
                                      strides ? p->strides : NULL, 0};
    p->managed.deleter = count_delete;
}

/* Every dtype with a format: code, bits, lanes -> the format ndview gives it. */
static const struct {
    uint8_t code, bits;
    uint16_t lanes;
    const char *format;
} dtypes[] = {
    {kDLInt, 8, 1, "b"},     {kDLInt, 16, 1, "h"},   {kDLInt, 32, 1, "i"},
    {kDLInt, 64, 1, "q"},    {kDLUInt, 8, 1, "B"},   {kDLUInt, 16, 1, "H"},
    {kDLUInt, 32, 1, "I"},   {kDLUInt, 64, 1, "Q"},  {kDLFloat, 16, 1, "e"},
    {kDLFloat, 32, 1, "f"},  {kDLFloat, 64, 1, "d"}, {kDLComplex, 64, 1, "Zf"},
    {kDLComplex, 128, 1, "Zd"}, {6, 8, 1, "?"},      {kDLFloat, 32, 4, "4f"},
    {kDLInt, 16, 3, "3h"},   {kDLUInt, 8, 2, "2B"},
};
enum { NDTYPES = sizeof dtypes / sizeof dtypes[0] };

static unsigned char memory[4096];

static void fill_memory(void)
{
    for (size_t i = 0; i < sizeof memory; i++) /* bytes valid for every type, '?' too */
        memory[i] = (unsigned char)(i * 7 % 2);
    for (size_t i = 0; i < sizeof memory; i += 3)
        memory[i] = (unsigned char)i;
}

START_TEST(import_every_dtype)
{
    fill_memory();
    DLDataType dt = {dtypes[_i].code, dtypes[_i].bits, dtypes[_i].lanes};
    ptrdiff_t itemsize = dt.bits / 8 * dt.lanes;
    producer p;
    const int64_t shape[2] = {3, 5};
    producer_init(&p, memory + 64, dt, 2, shape, NULL);
    ndv_view v = NDV_VIEW_INIT;
    ck_ok(ndv_from_dlpack(&v, &p.managed, false));
    ck_assert_str_eq(v.format, dtypes[_i].format);
    ck_assert_int_eq(v.itemsize, itemsize);
    ck_assert_int_eq(v.ndim, 2);
    ck_assert_int_eq(v.shape[0], 3);
    ck_assert_int_eq(v.shape[1], 5);
    ck_assert_int_eq(v.strides[0], 5 * itemsize);
    ck_assert_int_eq(v.strides[1], itemsize);
    ck_assert_ptr_eq(v.buf, memory + 64);
    ck_assert(!v.readonly);
    ck_assert(ndv_is_contiguous(&v, 'C'));
    unsigned char out[15 * 32];
    ck_ok(ndv_tobytes(&v, out, sizeof out, 'C'));
    ck_assert_mem_eq(out, memory + 64, (size_t)(15 * itemsize));
    ck_assert_int_eq(p.deleted, 0);
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(p.deleted, 1);
}
END_TEST

/* A view of each representable format, non-contiguous with a negative stride. */
START_TEST(round_trip_every_dtype)
{
    fill_memory();
    ptrdiff_t itemsize;
    ck_ok(ndv_calcsize(dtypes[_i].format, &itemsize));
    const ptrdiff_t shape[2] = {4, 3};
    const ptrdiff_t strides[2] = {-5 * itemsize, 2 * itemsize};
    ndv_view v = NDV_VIEW_INIT, back = NDV_VIEW_INIT;
    ck_ok(ndv_view_from_memory(&v, memory, sizeof memory, false, dtypes[_i].format, 2, shape,
                               strides, 20 * itemsize));
    DLManagedTensor *t;
    ck_ok(ndv_to_dlpack(&v, &t));
    const DLTensor *dl = &t->dl_tensor;
    ck_assert_int_eq(dl->dtype.code, dtypes[_i].code);
    ck_assert_int_eq(dl->dtype.bits, dtypes[_i].bits);
    ck_assert_int_eq(dl->dtype.lanes, dtypes[_i].lanes);
    ck_assert_int_eq(dl->device.device_type, kDLCPU);
    ck_assert_int_eq(dl->ndim, 2);
    ck_assert_int_eq(dl->shape[0], 4);
    ck_assert_int_eq(dl->shape[1], 3);
    ck_assert_int_eq(dl->strides[0], -5);
    ck_assert_int_eq(dl->strides[1], 2);
    ck_assert_ptr_eq((char *)dl->data + dl->byte_offset, v.buf);
    ck_ok(ndv_from_dlpack(&back, t, false));
    ck_assert_str_eq(back.format, v.format);
    ck_assert_ptr_eq(back.buf, v.buf);
    for (int d = 0; d < 2; d++) {
        ck_assert_int_eq(back.shape[d], v.shape[d]);
        ck_assert_int_eq(back.strides[d], v.strides[d]);
    }
    bool eq = false;
    ck_ok(ndv_equal(&v, &back, &eq));
    ck_assert(eq || strchr(v.format, 'e') || strchr(v.format, 'f') || strchr(v.format, 'd') ||
              strchr(v.format, 'Z')); /* float bit patterns may be NaN */
    unsigned char a[12 * 32], b[12 * 32];
    ck_ok(ndv_tobytes(&v, a, sizeof a, 'C'));
    ck_ok(ndv_tobytes(&back, b, sizeof b, 'C'));
    ck_assert_mem_eq(a, b, (size_t)(12 * itemsize));
    /* The tensor keeps its own view: the source may go first. */
    ck_ok(ndv_release(&v));
    ck_ok(ndv_tobytes(&back, b, sizeof b, 'C'));
    ck_ok(ndv_release(&back)); /* runs the exported tensor's deleter (ASan checks the free) */
}
END_TEST

START_TEST(import_strides_offset_and_zero_dim)
{
    int32_t data[24];
    for (int i = 0; i < 24; i++)
        data[i] = i;
    producer p;
    const int64_t shape[2] = {3, 2}, strides[2] = {-4, 3};
    producer_init(&p, data, (DLDataType){kDLInt, 32, 1}, 2, shape, strides);
    p.managed.dl_tensor.byte_offset = 8 * sizeof(int32_t);
    ndv_view v = NDV_VIEW_INIT;
    ck_ok(ndv_from_dlpack(&v, &p.managed, true));
    ck_assert(v.readonly);
    ck_assert_int_eq(v.strides[0], -16);
    ck_assert_int_eq(v.strides[1], 12);
    int64_t got[6];
    ck_ok(ndv_unpack_as(&v, NDV_I64, got, 6));
    const int64_t want[6] = {8, 11, 4, 7, 0, 3};
    ck_assert_mem_eq(got, want, sizeof want);
    const ndv_value one = {NDV_KIND_INT, {.i = 1}};
    const ptrdiff_t at[2] = {0, 0};
    ck_status(ndv_pack_item(&v, at, &one, 1), NDV_ERR_READONLY);
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(p.deleted, 1);

    producer_init(&p, data + 5, (DLDataType){kDLFloat, 32, 1}, 0, NULL, NULL);
    ck_ok(ndv_from_dlpack(&v, &p.managed, false));
    ck_assert_int_eq(v.ndim, 0);
    ck_assert_int_eq(v.len, 4);
    ck_assert_ptr_eq(v.buf, data + 5);
    ck_ok(ndv_release(&v));

    const int64_t empty[2] = {0, 7};
    producer_init(&p, NULL, (DLDataType){kDLUInt, 8, 1}, 2, empty, NULL);
    ck_ok(ndv_from_dlpack(&v, &p.managed, false));
    ck_assert_int_eq(v.len, 0);
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(p.deleted, 1);
}
END_TEST

START_TEST(deleter_runs_on_last_release_only)
{
    int16_t data[10] = {0};
    producer p;
    const int64_t shape[1] = {10};
    producer_init(&p, data, (DLDataType){kDLInt, 16, 1}, 1, shape, NULL);
    ndv_view v = NDV_VIEW_INIT, half = NDV_VIEW_INIT, exp = NDV_VIEW_INIT;
    ck_ok(ndv_from_dlpack(&v, &p.managed, false));
    ck_ok(ndv_slice(&v, 0, 0, NDV_NONE, 2, &half));
    ck_ok(ndv_get_buffer(&half, &exp, NDV_BUF_FULL));
    ck_ok(ndv_release(&v));
    ck_assert_int_eq(p.deleted, 0);
    ck_status(ndv_release(&half), NDV_ERR_BUFFER);
    ck_ok(ndv_release(&exp));
    ck_assert_int_eq(p.deleted, 0);
    ck_ok(ndv_release(&half));
    ck_assert_int_eq(p.deleted, 1);
    ck_ok(ndv_release(&half));
    ck_assert_int_eq(p.deleted, 1);

    p.managed.deleter = NULL; /* a producer without a deleter is fine */
    ck_ok(ndv_from_dlpack(&v, &p.managed, false));
    ck_ok(ndv_release(&v));
}
END_TEST

/* Tensors ndview cannot describe: refused, deleter untouched, view released. */
START_TEST(import_refusals)
{
    int64_t data[8] = {0};
    const int64_t shape[2] = {2, 4}, bad_shape[2] = {2, -1};
    const int64_t huge[2] = {INT64_MAX, 1};
    const struct {
        DLDataType dt;
        int ndim;
        const int64_t *shape, *strides;
        int device;
        ndv_status want;
        const char *msg;
    } cases[] = {
        {{kDLBfloat, 16, 1}, 2, shape, NULL, kDLCPU, NDV_ERR_TYPE, "no format"},
        {{kDLFloat, 128, 1}, 2, shape, NULL, kDLCPU, NDV_ERR_TYPE, "no format"},
        {{kDLFloat, 8, 1}, 2, shape, NULL, kDLCPU, NDV_ERR_TYPE, "no format"},
        {{kDLInt, 7, 1}, 2, shape, NULL, kDLCPU, NDV_ERR_TYPE, "no format"},
        {{kDLOpaqueHandle, 64, 1}, 2, shape, NULL, kDLCPU, NDV_ERR_TYPE, "no format"},
        {{kDLInt, 32, 0}, 2, shape, NULL, kDLCPU, NDV_ERR_TYPE, "lanes 0"},
        {{6, 1, 1}, 2, shape, NULL, kDLCPU, NDV_ERR_TYPE, "no format"},
        {{kDLInt, 32, 1}, 2, shape, NULL, kDLCUDA, NDV_ERR_VALUE, "not CPU memory"},
        {{kDLInt, 32, 1}, -1, shape, NULL, kDLCPU, NDV_ERR_VALUE, "ndim -1"},
        {{kDLInt, 32, 1}, 65, shape, NULL, kDLCPU, NDV_ERR_VALUE, "ndim 65"},
        {{kDLInt, 32, 1}, 2, NULL, NULL, kDLCPU, NDV_ERR_VALUE, "shape is NULL"},
        {{kDLInt, 32, 1}, 2, bad_shape, NULL, kDLCPU, NDV_ERR_VALUE, "negative extent"},
        {{kDLInt, 32, 1}, 2, huge, NULL, kDLCPU, NDV_ERR_OVERFLOW, "overflow"},
        {{kDLInt, 32, 1}, 2, shape, huge, kDLCPU, NDV_ERR_OVERFLOW, "overflow"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        producer p;
        producer_init(&p, data, cases[i].dt, 2, shape, cases[i].strides);
        p.managed.dl_tensor.ndim = cases[i].ndim;
        p.managed.dl_tensor.shape = (int64_t *)cases[i].shape;
        p.managed.dl_tensor.device.device_type = (DLDeviceType)cases[i].device;
        ndv_view v = NDV_VIEW_INIT;
        ck_status(ndv_from_dlpack(&v, &p.managed, false), cases[i].want);
        ck_msg_has(cases[i].msg);
        ck_assert(ndv_is_released(&v));
        ck_assert_int_eq(p.deleted, 0);
    }
    ndv_view v = NDV_VIEW_INIT;
    ck_status(ndv_from_dlpack(&v, NULL, false), NDV_ERR_VALUE);
    ck_status(ndv_from_dlpack(NULL, NULL, false), NDV_ERR_VALUE);
}
END_TEST

/* An exporter with a PIL-style indirect first dimension. */
static char row0[4] = {1, 2, 3, 4}, row1[4] = {5, 6, 7, 8};
static char *rows[2] = {row0, row1};
static const ptrdiff_t pil_shape[2] = {2, 4}, pil_strides[2] = {sizeof(char *), 1},
                       pil_sub[2] = {0, -1};

static ndv_status pil_getbuffer(void *obj, ndv_buffer *b, int flags)
{
    (void)obj;
    (void)flags;
    *b = (ndv_buffer){rows, NULL, 8, 1, 0, 2, "B", pil_shape, pil_strides, pil_sub, NULL};
    return NDV_OK;
}

START_TEST(export_refusals)
{
    static char mem[64];
    const ptrdiff_t shape[1] = {4}, odd[1] = {6};
    const struct {
        const char *format;
        const ptrdiff_t *strides;
        bool readonly;
        ndv_status want;
        const char *msg;
    } cases[] = {
        {"i", NULL, true, NDV_ERR_BUFFER, "readonly"},
        {"i", odd, false, NDV_ERR_VALUE, "not a multiple"},
        {"c", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"3s", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"ih", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"T{i:a:h:b:}", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"P", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"g", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"w", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"hx", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
        {"xh", NULL, false, NDV_ERR_TYPE, "no DLPack dtype"},
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        {">i", NULL, false, NDV_ERR_TYPE, "byte order"},
#else
        {"<i", NULL, false, NDV_ERR_TYPE, "byte order"},
#endif
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ndv_view v = NDV_VIEW_INIT;
        ck_ok(ndv_view_from_memory(&v, mem, sizeof mem, cases[i].readonly, cases[i].format, 1,
                                   shape, cases[i].strides, 0));
        DLManagedTensor *t = (DLManagedTensor *)&v;
        ck_status(ndv_to_dlpack(&v, &t), cases[i].want);
        ck_msg_has(cases[i].msg);
        ck_assert_ptr_null(t);
        ck_ok(ndv_release(&v));
    }
    /* Same-size byte order marks are fine for one-byte items. */
    ndv_view v = NDV_VIEW_INIT;
    DLManagedTensor *t;
    ck_ok(ndv_view_from_memory(&v, mem, sizeof mem, false, ">B", 1, shape, NULL, 0));
    ck_ok(ndv_to_dlpack(&v, &t));
    t->deleter(t);
    ck_ok(ndv_release(&v));

    static const ndv_exporter pil = {pil_getbuffer, NULL};
    ck_ok(ndv_view_from_exporter(&v, NULL, &pil, NDV_BUF_FULL_RO));
    ndv_view w = NDV_VIEW_INIT;
    ck_ok(ndv_view_from_view(&v, &w));
    ck_ok(ndv_release(&v));
    ck_status(ndv_to_dlpack(&w, &t), NDV_ERR_NOTIMPL);
    ck_msg_has("suboffsets");
    ck_ok(ndv_release(&w));

    ck_status(ndv_to_dlpack(&w, &t), NDV_ERR_RELEASED);
    ck_status(ndv_to_dlpack(NULL, &t), NDV_ERR_RELEASED);
    ck_status(ndv_to_dlpack(&w, NULL), NDV_ERR_VALUE);
}
END_TEST

/* The tensor made by ndv_to_dlpack can be used after its source is released. */
START_TEST(exported_tensor_outlives_source)
{
    ndv_bytes *bytes;
    ck_ok(ndv_bytes_new(&bytes, 32));
    memset(ndv_bytes_data(bytes), 0x5a, 32);
    ndv_view raw = NDV_VIEW_INIT, v = NDV_VIEW_INIT;
    ck_ok(ndv_view_from_exporter(&raw, bytes, ndv_bytes_exporter(), NDV_BUF_FULL));
    const ptrdiff_t shape[2] = {2, 4};
    ck_ok(ndv_cast(&raw, "i", 2, shape, &v));
    ck_ok(ndv_release(&raw));
    DLManagedTensor *t;
    ck_ok(ndv_to_dlpack(&v, &t));
    ck_ok(ndv_release(&v));
    ck_status(ndv_bytes_free(bytes), NDV_ERR_BUFFER); /* the tensor still holds it */
    ck_assert_int_eq(((int32_t *)t->dl_tensor.data)[7], 0x5a5a5a5a);
    ck_assert_int_eq(t->dl_tensor.strides[0], 4);
    t->deleter(t);
    ck_ok(ndv_bytes_free(bytes));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dlpack");
    TCase *tc = tcase_create("dlpack");
    tcase_add_loop_test(tc, import_every_dtype, 0, NDTYPES);
    tcase_add_loop_test(tc, round_trip_every_dtype, 0, NDTYPES);
    tcase_add_test(tc, import_strides_offset_and_zero_dim);
    tcase_add_test(tc, deleter_runs_on_last_release_only);
    tcase_add_test(tc, import_refusals);
    tcase_add_test(tc, export_refusals);
    tcase_add_test(tc, exported_tensor_outlives_source);
    suite_add_tcase(s, tc);
    return run_suite(s);
}

#endif
