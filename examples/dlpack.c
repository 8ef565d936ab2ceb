/*
 * dlpack.c - hand a view to a DLPack consumer and take one back.
 *
 * A producer (here: a plain C array wrapped by hand) gives ndview a
 * DLManagedTensor; ndview views it without copying and calls its deleter
 * when the last view goes. Then a transposed view goes the other way, as a
 * tensor any DLPack consumer (PyTorch, JAX, CuPy, NumPy's from_dlpack) takes.
 */
#include <dlpack/dlpack.h>
#include <stdio.h>
#include <stdlib.h>

#include "ndview.h"

static int64_t shape[2] = {2, 3};
static float data[2][3] = {{1, 2, 3}, {4, 5, 6}};

static void say_deleted(DLManagedTensor *self)
{
    (void)self;
    printf("producer's deleter called\n");
}

#define CHECK(call) \
    do { if ((call) != NDV_OK) { fprintf(stderr, "%s: %s\n", #call, ndv_errmsg()); return 1; } } while (0)

int main(void)
{
    DLManagedTensor in = {
        .dl_tensor = {data, {kDLCPU, 0}, 2, {kDLFloat, 32, 1}, shape, NULL, 0},
        .deleter = say_deleted,
    };
    ndv_view v = NDV_VIEW_INIT, t = NDV_VIEW_INIT;
    CHECK(ndv_from_dlpack(&v, &in, false));
    printf("imported: format %s, shape (%td, %td), strides (%td, %td)\n", v.format, v.shape[0],
           v.shape[1], v.strides[0], v.strides[1]);

    CHECK(ndv_transpose(&v, NULL, &t));
    DLManagedTensor *out;
    CHECK(ndv_to_dlpack(&t, &out));
    printf("exported: dtype code %u bits %u, shape (%lld, %lld), element strides (%lld, %lld)\n",
           out->dl_tensor.dtype.code, out->dl_tensor.dtype.bits,
           (long long)out->dl_tensor.shape[0], (long long)out->dl_tensor.shape[1],
           (long long)out->dl_tensor.strides[0], (long long)out->dl_tensor.strides[1]);
    CHECK(ndv_release(&t));
    CHECK(ndv_release(&v));
    printf("views released; the exported tensor still holds the memory\n");
    out->deleter(out); /* what the consumer does when it is done */
    return 0;
}
