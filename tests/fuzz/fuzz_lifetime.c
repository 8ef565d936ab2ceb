/*
 * fuzz_lifetime.c - derive, export, release and resize in fuzzed order.
 *
 * A pool of views over one ndv_bytes block. Each input byte picks an action
 * on a pool slot. The invariants: a resize succeeds exactly when no view of
 * the block is alive; a release fails exactly while the view has exports;
 * every live view stays readable (ASan sees any use of freed memory); at the
 * end, once everything is released, the block is free to resize and free.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndview.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
enum { SLOTS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ndv_bytes *b;
    CHECK(ndv_bytes_new(&b, 64) == NDV_OK);
    ndv_view pool[SLOTS];
    int parent[SLOTS]; /* slot exported from, or -1 */
    for (int i = 0; i < SLOTS; i++) {
        pool[i] = (ndv_view)NDV_VIEW_INIT;
        parent[i] = -1;
    }
    unsigned char out[8192];
    for (size_t i = 0; i + 1 < size; i += 2) {
        int slot = data[i] % SLOTS, from = (data[i] / SLOTS) % SLOTS;
        unsigned action = data[i + 1] % 9;
        ndv_view *v = &pool[slot], *src = &pool[from];
        bool busy = !ndv_is_released(v) || slot == from;
        switch (action) {
        case 0: /* a new registration */
            if (!busy)
                CHECK(ndv_view_from_exporter(v, b, ndv_bytes_exporter(), NDV_BUF_FULL) == NDV_OK);
            break;
        case 1: /* slice */
            if (!busy && !ndv_is_released(src))
                ndv_slice(src, 0, data[i + 1] % 7, NDV_NONE, 1 + data[i] % 3, v);
            break;
        case 2: /* cast */
            if (!busy && !ndv_is_released(src))
                ndv_cast(src, data[i] & 1 ? "B" : "i", -1, NULL, v);
            break;
        case 3: /* export */
            if (!busy && !ndv_is_released(src) &&
                ndv_get_buffer(src, v, data[i] & 1 ? NDV_BUF_SIMPLE : NDV_BUF_FULL_RO) == NDV_OK)
                parent[slot] = from;
            break;
        case 4: { /* release: fails exactly while exports live */
            bool has_exports = false;
            for (int j = 0; j < SLOTS; j++)
                has_exports |= parent[j] == slot && !ndv_is_released(&pool[j]);
            ndv_status s = ndv_release(v);
            CHECK((s == NDV_ERR_BUFFER) == has_exports);
            if (s == NDV_OK)
                parent[slot] = -1;
            break;
        }
        case 5: { /* resize: succeeds exactly when no view is alive */
            bool alive = false;
            for (int j = 0; j < SLOTS; j++)
                alive |= !ndv_is_released(&pool[j]);
            ndv_status s = ndv_bytes_resize(b, (data[i] % 4) * 40);
            CHECK((s == NDV_OK) == !alive);
            break;
        }
        case 6: /* read through a view */
            if (!ndv_is_released(v) && v->len <= (ptrdiff_t)sizeof out)
                CHECK(ndv_tobytes(v, out, v->len, 'C') == NDV_OK);
            break;
        case 7: /* write through a view */
            if (!ndv_is_released(v) && v->len <= (ptrdiff_t)sizeof out && !v->readonly) {
                memset(out, data[i], (size_t)v->len);
                CHECK(ndv_frombytes(v, out, v->len, 'C') == NDV_OK);
            }
            break;
        default: /* read-only twin */
            if (!busy && !ndv_is_released(src))
                CHECK(ndv_toreadonly(src, v) == NDV_OK);
            break;
        }
    }
    /* Release exports first (children before parents), then everything. */
    for (int round = 0; round < SLOTS; round++)
        for (int j = 0; j < SLOTS; j++)
            if (ndv_release(&pool[j]) == NDV_OK)
                parent[j] = -1;
    for (int j = 0; j < SLOTS; j++)
        CHECK(ndv_is_released(&pool[j]));
    CHECK(ndv_bytes_exports(b) == 0);
    CHECK(ndv_bytes_resize(b, 16) == NDV_OK);
    CHECK(ndv_bytes_free(b) == NDV_OK);
    return 0;
}
