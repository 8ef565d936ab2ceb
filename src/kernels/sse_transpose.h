/*
 * sse_transpose.h - the 16x16 byte and 8x8 16-bit transposes in 128-bit
 * registers: SSE2's tiles (sse2.c), and the pieces AVX2's line tiles for 1-
 * and 2-byte items are built from (avx2.c). Included by a kernel file only.
 */
#ifndef NDV_SSE_TRANSPOSE_H
#define NDV_SSE_TRANSPOSE_H

#include <emmintrin.h>
#include <stddef.h>

/* 16-bit 8x8: three rounds of interleaving. */
static inline void micro2(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m128i r[8], t[8];
    for (int i = 0; i < 8; i++)
        r[i] = _mm_loadu_si128((const __m128i *)(s + i * ss));
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm_unpacklo_epi16(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm_unpackhi_epi16(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 2; i++) {
        r[4 * i + 0] = _mm_unpacklo_epi32(t[4 * i], t[4 * i + 2]);
        r[4 * i + 1] = _mm_unpackhi_epi32(t[4 * i], t[4 * i + 2]);
        r[4 * i + 2] = _mm_unpacklo_epi32(t[4 * i + 1], t[4 * i + 3]);
        r[4 * i + 3] = _mm_unpackhi_epi32(t[4 * i + 1], t[4 * i + 3]);
    }
    for (int i = 0; i < 4; i++) {
        _mm_storeu_si128((__m128i *)(d + (2 * i) * ds), _mm_unpacklo_epi64(r[i], r[i + 4]));
        _mm_storeu_si128((__m128i *)(d + (2 * i + 1) * ds), _mm_unpackhi_epi64(r[i], r[i + 4]));
    }
}

/* Bytes 16x16: four rounds of interleaving. */
static inline void micro1(char *d, ptrdiff_t ds, const char *s, ptrdiff_t ss)
{
    __m128i a[16], b[16];
    for (int i = 0; i < 16; i++)
        a[i] = _mm_loadu_si128((const __m128i *)(s + i * ss));
    for (int i = 0; i < 8; i++) {
        b[i] = _mm_unpacklo_epi8(a[2 * i], a[2 * i + 1]);
        b[i + 8] = _mm_unpackhi_epi8(a[2 * i], a[2 * i + 1]);
    }
    for (int i = 0; i < 8; i++) {
        a[i] = _mm_unpacklo_epi16(b[2 * i], b[2 * i + 1]);
        a[i + 8] = _mm_unpackhi_epi16(b[2 * i], b[2 * i + 1]);
    }
    for (int i = 0; i < 8; i++) {
        b[i] = _mm_unpacklo_epi32(a[2 * i], a[2 * i + 1]);
        b[i + 8] = _mm_unpackhi_epi32(a[2 * i], a[2 * i + 1]);
    }
    for (int i = 0; i < 8; i++) {
        a[i] = _mm_unpacklo_epi64(b[2 * i], b[2 * i + 1]);
        a[i + 8] = _mm_unpackhi_epi64(b[2 * i], b[2 * i + 1]);
    }
    /* After four rounds row r of the result sits at a bit-reversed position. */
    static const int rev[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
    for (int i = 0; i < 16; i++)
        _mm_storeu_si128((__m128i *)(d + i * ds), a[rev[i]]);
}

#endif
