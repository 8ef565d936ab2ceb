/*
 * numeric.c - what a numeric library does with ndview: export its own N-D
 * array type (ndv_fill_buffer), take a channel of an image and every other
 * pixel in one call each (ndv_subscript), read a column of a record array
 * (ndv_get_field), and add a row to every row of a matrix through a
 * broadcast view (ndv_broadcast_to). Exits non-zero on any wrong answer.
 */
#include <ndview.h>
#include <stdio.h>

/* The library's own array type: float data with any shape and strides. */
typedef struct array {
    float *data;
    int ndim;
    ptrdiff_t shape[3], strides[3];
} array;

/* Its exporter: memory_getbuf's rules come from ndv_fill_buffer. */
static ndv_status array_getbuffer(void *obj, ndv_buffer *view, int flags)
{
    array *a = obj;
    return ndv_fill_buffer(view, a, a->data, sizeof(float), "f", a->ndim, a->shape, a->strides,
                           false, flags);
}

static const ndv_exporter array_exporter = {array_getbuffer, NULL};

static float at2(const ndv_view *v, ptrdiff_t i, ptrdiff_t j)
{
    ptrdiff_t idx[2] = {i, j};
    void *p = NULL;
    return ndv_get_pointer(v, idx, &p) == NDV_OK ? *(float *)p : -1.0f;
}

#define CHECK(call)                                                \
    do {                                                           \
        if ((call) != NDV_OK) {                                    \
            fprintf(stderr, "%s: %s\n", #call, ndv_errmsg());      \
            return 1;                                              \
        }                                                          \
    } while (0)

static int image_channels(void)
{
    static float pixels[4][6][3]; /* rows x columns x RGB */
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 6; c++)
            for (int k = 0; k < 3; k++)
                pixels[r][c][k] = (float)(100 * r + 10 * c + k);
    array img = {&pixels[0][0][0], 3, {4, 6, 3}, {6 * 3 * 4, 3 * 4, 4}};
    ndv_view v, green, thumb;
    CHECK(ndv_view_from_exporter(&v, &img, &array_exporter, NDV_BUF_FULL));
    ndv_sub g[] = {NDV_ALL, NDV_ALL, NDV_INDEX(1)};                          /* img[:, :, 1] */
    CHECK(ndv_subscript(&v, g, 3, &green));
    ndv_sub t[] = {NDV_SLICE(NDV_NONE, NDV_NONE, 2), NDV_SLICE(NDV_NONE, NDV_NONE, 2)};
    CHECK(ndv_subscript(&green, t, 2, &thumb));                            /* [::2, ::2] */
    printf("green[2, 3] = %g, thumb is %td x %td, thumb[1, 2] = %g\n", at2(&green, 2, 3),
           thumb.shape[0], thumb.shape[1], at2(&thumb, 1, 2));
    int bad = at2(&green, 2, 3) != 231.0f || thumb.shape[1] != 3 || at2(&thumb, 1, 2) != 241.0f;
    ndv_release(&thumb);
    ndv_release(&green);
    ndv_release(&v);
    return bad;
}

static int record_column(void)
{
    struct particle { int id; double x, y; } ps[3] = {{1, 0.5, 2.0}, {2, 1.5, 3.0}, {3, 2.5, 4.0}};
    ptrdiff_t n = 3;
    ndv_view a, x;
    CHECK(ndv_view_from_memory(&a, ps, sizeof ps, true, "T{i:id:d:x:d:y:}", 1, &n, NULL, 0));
    CHECK(ndv_get_field(&a, "x", &x));                                     /* a['x'] */
    double xs[3];
    CHECK(ndv_tobytes(&x, xs, sizeof xs, 'C'));
    printf("a['x'] = [%g, %g, %g] (format '%s', stride %td)\n", xs[0], xs[1], xs[2], x.format,
           x.strides[0]);
    int bad = xs[0] != 0.5 || xs[2] != 2.5;
    ndv_release(&x);
    ndv_release(&a);
    return bad;
}

static int broadcast_add(void)
{
    float m[2][3] = {{1, 2, 3}, {4, 5, 6}}, row[3] = {10, 20, 30}, sum[2][3];
    ptrdiff_t mshape[2] = {2, 3}, n3 = 3;
    ndv_view a, r, rb;
    CHECK(ndv_view_from_memory(&a, m, sizeof m, true, "f", 2, mshape, NULL, 0));
    CHECK(ndv_view_from_memory(&r, row, sizeof row, true, "f", 1, &n3, NULL, 0));
    CHECK(ndv_broadcast_to(&r, 2, a.shape, &rb));        /* row as a 2 x 3 view, stride 0 */
    for (ptrdiff_t i = 0; i < a.shape[0]; i++)
        for (ptrdiff_t j = 0; j < a.shape[1]; j++)
            sum[i][j] = at2(&a, i, j) + at2(&rb, i, j);
    printf("m + row = [[%g, %g, %g], [%g, %g, %g]]\n", sum[0][0], sum[0][1], sum[0][2],
           sum[1][0], sum[1][1], sum[1][2]);
    int bad = sum[1][2] != 36.0f || sum[0][0] != 11.0f;
    ndv_release(&rb);
    ndv_release(&r);
    ndv_release(&a);
    return bad;
}

int main(void)
{
    return image_channels() | record_column() | broadcast_add();
}
