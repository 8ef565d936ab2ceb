/*
 * fuzz_reentrant.c - exporters whose callbacks call back into the library.
 *
 * A pool of views over one exporter. Each input byte pair picks an action on
 * a pool slot; the exporter's getbuffer and releasebuffer take further bytes
 * from the same input and act on the pool themselves (derive, export,
 * release, read, a new registration), up to two levels deep. The
 * invariants: every status is one the operation may return; a release
 * fails only while the view has exports; getbuffer and releasebuffer pair
 * up exactly; ASan + UBSan see every use of freed memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndview.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
enum { SLOTS = 8, MAX_DEPTH = 3 }; /* the top level and two nested callbacks */

static struct {
    const uint8_t *data;
    size_t size, pos;
    ndv_view pool[SLOTS];
    unsigned char mem[64];
    long gets, releases;
    int depth;
} F;

static void act(unsigned slot, unsigned from, unsigned action);

/* The next two input bytes as an action, if any are left. */
static void act_from_input(void)
{
    if (F.depth >= MAX_DEPTH || F.pos + 1 >= F.size)
        return;
    const uint8_t *d = F.data + F.pos;
    F.pos += 2;
    F.depth++;
    act(d[0] % SLOTS, (d[0] / SLOTS) % SLOTS, d[1] % 8);
    F.depth--;
}

static ndv_status get(void *obj, ndv_buffer *b, int flags)
{
    ndv_status s = ndv_fill_info(b, obj, F.mem, sizeof F.mem, false, flags);
    if (s == NDV_OK)
        F.gets++;
    act_from_input(); /* a callback that comes back before the view exists */
    return s;
}

static void put(void *obj, ndv_buffer *b)
{
    (void)obj;
    (void)b;
    F.releases++;
    act_from_input(); /* a callback that comes back while a view is being released */
}

static const ndv_exporter ops = {get, put};

/* Store a new view in a free slot (or release it if the slot is taken). */
static void keep(unsigned slot, ndv_view *made)
{
    if (ndv_is_released(&F.pool[slot]))
        F.pool[slot] = *made;
    else
        CHECK(ndv_release(made) == NDV_OK);
}

static void act(unsigned slot, unsigned from, unsigned action)
{
    ndv_view *src = &F.pool[from], made = NDV_VIEW_INIT;
    unsigned char out[64];
    ndv_status s;
    switch (action) {
    case 0: /* a new registration */
        s = ndv_view_from_exporter(&made, F.mem, &ops, NDV_BUF_FULL);
        CHECK(s == NDV_OK);
        keep(slot, &made);
        break;
    case 1:
        s = ndv_slice(src, 0, 1, NDV_NONE, 2, &made);
        CHECK(s == NDV_OK || s == NDV_ERR_RELEASED);
        keep(slot, &made);
        break;
    case 2:
        s = ndv_view_from_view(src, &made);
        CHECK(s == NDV_OK || s == NDV_ERR_RELEASED);
        keep(slot, &made);
        break;
    case 3: /* an export: its parent cannot be released while it lives */
        s = ndv_get_buffer(src, &made, NDV_BUF_FULL_RO);
        CHECK(s == NDV_OK || s == NDV_ERR_RELEASED);
        keep(slot, &made);
        break;
    case 4:
        s = ndv_tobytes(src, out, sizeof out, 'C');
        CHECK(s == NDV_OK || s == NDV_ERR_RELEASED);
        break;
    case 5: {
        ptrdiff_t exports = ndv_exports(&F.pool[slot]);
        s = ndv_release(&F.pool[slot]);
        CHECK(exports > 0 ? s == NDV_ERR_BUFFER : s == NDV_OK);
        break;
    }
    case 6: { /* derived in place: the source is replaced, or stays if exported */
        ptrdiff_t exports = ndv_exports(src);
        s = ndv_slice(src, 0, 0, 8, 1, src);
        CHECK(s == NDV_OK || s == NDV_ERR_RELEASED || (exports > 0 && s == NDV_ERR_BUFFER));
        break;
    }
    default: {
        bool eq;
        CHECK(ndv_equal(src, &F.pool[slot], &eq) == NDV_OK);
        break;
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(&F, 0, sizeof F);
    F.data = data;
    F.size = size;
    while (F.pos + 1 < F.size)
        act_from_input();
    /* Release everything: exports first, so the loop ends within SLOTS rounds. */
    for (int round = 0; round <= SLOTS; round++)
        for (int i = 0; i < SLOTS; i++)
            if (ndv_exports(&F.pool[i]) == 0)
                CHECK(ndv_release(&F.pool[i]) == NDV_OK);
    for (int i = 0; i < SLOTS; i++)
        CHECK(ndv_is_released(&F.pool[i]));
    CHECK(F.gets == F.releases);
    return 0;
}
