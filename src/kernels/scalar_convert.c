/*
 * scalar_convert.c - the portable conversion kernels (convert_loops.h at
 * the baseline): the reference every SIMD level matches bit for bit.
 */
#include "convert_loops.h"

void ndv__kernels_init_scalar_convert(ndv__kernels *k)
{
    ndv__install_convert_loops(k);
}
