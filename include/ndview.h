/**
 * @file ndview.h
 * @brief The one public header of ndview.
 *
 * ndview rebuilds Python's memoryview as a C library: a zero-copy description
 * of someone else's memory (format, shape, strides, suboffsets), safe slicing
 * and casting over it, and export locking in the spirit of PEP 3118.
 *
 * Conventions that hold for every function below unless its comment says
 * otherwise:
 *
 *  - Fallible functions return ndv_status (NDV_OK == 0). They never print and
 *    never abort. On failure ndv_errmsg() returns a message for this thread,
 *    worded like CPython's where CPython has one, and output views are left
 *    in the released state (safe to pass to ndv_release()).
 *  - Derived views (ndv_slice, ndv_index, ndv_transpose, ndv_cast,
 *    ndv_toreadonly, ndv_view_from_view) may write their result over their
 *    source (out == view): the source is then released and replaced. If the
 *    source has live exports it cannot be released, and the call fails with
 *    NDV_ERR_BUFFER leaving the source as it was.
 *  - Ownership: nothing a caller passes in is borrowed past the call except
 *    the described memory itself. A view keeps private copies of its format,
 *    shape, strides and suboffsets.
 *  - Thread-safety: functions that only read a view may run concurrently on
 *    the same view. Deriving views from, exporting from and releasing views of
 *    one registration are safe from different threads (reference counts are
 *    atomic), but ndv_release(v) must not race with any other call on v.
 *  - A view that was released, or zero-initialised and never filled, makes
 *    every operation return NDV_ERR_RELEASED.
 */
#ifndef NDVIEW_H
#define NDVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Version and export macro                                                  */
/* ------------------------------------------------------------------------ */

#define NDV_VERSION_MAJOR 0 /**< incompatible API or ABI changes */
#define NDV_VERSION_MINOR 1 /**< additions, compatible */
#define NDV_VERSION_PATCH 0 /**< fixes only */
/** The version as one comparable number: major*10000 + minor*100 + patch. */
#define NDV_VERSION_NUMBER \
    (NDV_VERSION_MAJOR * 10000 + NDV_VERSION_MINOR * 100 + NDV_VERSION_PATCH)

/** Marks the exported functions; everything else is hidden in the shared
 * library (it is built with -fvisibility=hidden). */
#if defined(__GNUC__)
#  define NDV_API __attribute__((visibility("default")))
#else
#  define NDV_API
#endif

/** The library's version string, "MAJOR.MINOR.PATCH" (static storage). Thread-safe. */
NDV_API const char *ndv_version(void);

/* ------------------------------------------------------------------------ */
/* Status and errors                                                         */
/* ------------------------------------------------------------------------ */

/** Result of every fallible call; each error stands for one CPython class. */
typedef enum ndv_status {
    NDV_OK = 0,
    NDV_ERR_FORMAT,   /**< struct.error / unsupported format: cannot be parsed */
    NDV_ERR_VALUE,    /**< ValueError (also: a NULL argument where one is required) */
    NDV_ERR_TYPE,     /**< TypeError */
    NDV_ERR_INDEX,    /**< IndexError */
    NDV_ERR_BUFFER,   /**< BufferError: flags unmet, release with exports, resize while exported */
    NDV_ERR_RELEASED, /**< ValueError: operation forbidden on released memoryview object */
    NDV_ERR_READONLY, /**< TypeError: cannot modify read-only memory */
    NDV_ERR_NOMEM,    /**< MemoryError */
    NDV_ERR_OVERFLOW, /**< a size, product or offset does not fit ptrdiff_t */
    NDV_ERR_NOTIMPL   /**< NotImplementedError */
} ndv_status;

/** The enumerator's name, e.g. "NDV_ERR_VALUE"; "NDV_ERR_UNKNOWN" for other values. Thread-safe. */
NDV_API const char *ndv_status_name(ndv_status status);

/**
 * Text of the last failure on the calling thread ("" if none yet). The
 * pointer is valid until the next ndview call on this thread. Thread-safe
 * (thread-local storage). Successful calls do not clear it.
 */
NDV_API const char *ndv_errmsg(void);

/* ------------------------------------------------------------------------ */
/* Formats                                                                   */
/* ------------------------------------------------------------------------ */

/** The largest number of dimensions a view may have (CPython's PyBUF_MAX_NDIM). */
#define NDV_MAXDIM 64

/**
 * struct.calcsize(fmt), extended to the PEP 3118 codes ndview accepts
 * (T{...}, (shape), :name:, Zf/Zd/Zg, g, w, byte order changes and '^').
 * Errors: NDV_ERR_FORMAT naming the offending character; NDV_ERR_OVERFLOW if
 * the size does not fit; NDV_ERR_VALUE for NULL arguments. Thread-safe.
 */
NDV_API ndv_status ndv_calcsize(const char *fmt, ptrdiff_t *itemsize);

/** A parsed format as a whole (see ndv_format_layout). */
typedef struct ndv_layout {
    ptrdiff_t itemsize;  /**< struct.calcsize(fmt) */
    ptrdiff_t alignment; /**< the largest alignment a field needs ('@' fields only; else 1) */
    ptrdiff_t nfields;   /**< leaves, padding included */
    ptrdiff_t nvalues;   /**< values one item unpacks to (ndv_item_values) */
} ndv_layout;

/**
 * One leaf of a parsed format: count values of one code, back to back.
 * Adjacent unnamed leaves of one code merge ("iii" is one leaf of count 3);
 * a named leaf stands alone ("i:a:i:b:" is two); nested T{...} and
 * sub-arrays are flattened, each leaf keeping its own (innermost) name.
 */
typedef struct ndv_field {
    char code[3];      /**< struct code ("i", "d", "s", "x" for padding), "Zf"/"Zd"/"Zg" */
    char byteorder;    /**< '<' or '>', resolved (native order becomes one of them) */
    bool native_size;  /**< C sizes ('@', '^') rather than struct's standard sizes */
    ptrdiff_t offset;  /**< byte offset of the first value in the item */
    ptrdiff_t size;    /**< bytes of one value ('s'/'p': one whole string; 'x': 1) */
    ptrdiff_t count;   /**< values at offset, offset + size, ... ('x': pad bytes) */
    const char *name;  /**< its ":name:" inside the fmt given (not NUL-terminated), or NULL */
    ptrdiff_t name_len; /**< bytes of name */
} ndv_field;

/**
 * Describe a format: its size and alignment in *layout and, when fields is
 * not NULL, its leaves in fields[0 .. layout->nfields). fields NULL asks
 * only for the layout. Errors: NDV_ERR_FORMAT (as ndv_calcsize),
 * NDV_ERR_VALUE for NULL fmt/layout or cap < nfields (the layout is still
 * filled, no field is written), NDV_ERR_OVERFLOW, NDV_ERR_NOMEM. Thread-safe.
 */
NDV_API ndv_status ndv_format_layout(const char *fmt, ndv_layout *layout, ndv_field *fields,
                                     ptrdiff_t cap);

/**
 * Do a and b describe the same items? Same itemsize and the same fields
 * (kind, size, byte order where the size is above 1, offset, count) once
 * adjacent runs are merged ("ii" is "2i" is "(2)i"), names and pads
 * ignored: NumPy's dtype(a) == dtype(b) for the formats' dtypes with equal
 * names ('l' == 'q' == '<q' on x86-64 Linux, 'c' == '1s', 'P' == 'Q').
 * Errors: NDV_ERR_FORMAT (either cannot be parsed), NDV_ERR_VALUE (NULL),
 * NDV_ERR_NOMEM. Thread-safe.
 */
NDV_API ndv_status ndv_format_equivalent(const char *a, const char *b, bool *same);

/**
 * NumPy's dtype.str of one numeric field ("<f4", "|u1", ">c16", "|b1",
 * "=i8"; "<f16"/"<c32" as long double in the host's order only) as an
 * ndview format ("<f", "B", ">Zd", "?", "<q", "@g") into out (cap bytes,
 * NUL included). Errors: NDV_ERR_FORMAT for anything else (strings,
 * datetimes, records), NDV_ERR_VALUE (NULL, or cap too small: nothing
 * written). Thread-safe.
 */
NDV_API ndv_status ndv_format_from_numpy(const char *dtype_str, char *out, ptrdiff_t cap);

/**
 * The other way: a format of one numeric field (integers, '?', e f d g,
 * Zf Zd Zg, 'P' as unsigned) as NumPy's dtype.str ("<i4", "|b1", ">c16").
 * Errors: NDV_ERR_FORMAT (unparseable, several fields, or not numeric:
 * 'c', 's', 'w'), NDV_ERR_VALUE (NULL, or cap too small). Thread-safe.
 */
NDV_API ndv_status ndv_format_to_numpy(const char *fmt, char *out, ptrdiff_t cap);

/* ------------------------------------------------------------------------ */
/* Buffer request flags (CPython's numeric values)                           */
/* ------------------------------------------------------------------------ */

#define NDV_BUF_SIMPLE         0x000 /**< no requirements: a 1-D "B"-style request */
#define NDV_BUF_WRITABLE       0x001 /**< the consumer will write */
#define NDV_BUF_FORMAT         0x004 /**< the consumer wants the format (else "B") */
#define NDV_BUF_ND             0x008 /**< the consumer handles a shape */
#define NDV_BUF_STRIDES        (0x010 | NDV_BUF_ND) /**< the consumer handles strides */
#define NDV_BUF_C_CONTIGUOUS   (0x020 | NDV_BUF_STRIDES) /**< the memory must be C-contiguous */
#define NDV_BUF_F_CONTIGUOUS   (0x040 | NDV_BUF_STRIDES) /**< the memory must be Fortran-contiguous */
#define NDV_BUF_ANY_CONTIGUOUS (0x080 | NDV_BUF_STRIDES) /**< the memory must be C- or Fortran-contiguous */
#define NDV_BUF_INDIRECT       (0x100 | NDV_BUF_STRIDES) /**< the consumer handles suboffsets */
#define NDV_BUF_CONTIG         (NDV_BUF_ND | NDV_BUF_WRITABLE) /**< writable, contiguous, with shape */
#define NDV_BUF_CONTIG_RO      (NDV_BUF_ND) /**< contiguous, with shape */
#define NDV_BUF_STRIDED        (NDV_BUF_STRIDES | NDV_BUF_WRITABLE) /**< writable, with shape and strides */
#define NDV_BUF_STRIDED_RO     (NDV_BUF_STRIDES) /**< with shape and strides */
#define NDV_BUF_RECORDS        (NDV_BUF_STRIDES | NDV_BUF_WRITABLE | NDV_BUF_FORMAT) /**< writable, strided, with format */
#define NDV_BUF_RECORDS_RO     (NDV_BUF_STRIDES | NDV_BUF_FORMAT) /**< strided, with format */
#define NDV_BUF_FULL           (NDV_BUF_INDIRECT | NDV_BUF_WRITABLE | NDV_BUF_FORMAT) /**< writable, everything including suboffsets */
#define NDV_BUF_FULL_RO        (NDV_BUF_INDIRECT | NDV_BUF_FORMAT) /**< everything including suboffsets (what memoryview asks) */

/* ------------------------------------------------------------------------ */
/* Exporters (the producer side, like Py_buffer and bf_getbuffer)            */
/* ------------------------------------------------------------------------ */

/**
 * What an exporter fills in, field for field a Py_buffer. The exporter owns
 * every pointer in it until its releasebuffer is called. format NULL means
 * "B" (with itemsize kept, as CPython does); shape NULL means 1-D of
 * len/itemsize items; strides NULL means C order; suboffsets NULL means none.
 */
typedef struct ndv_buffer {
    void *buf;                   /**< address of element (0, ..., 0) */
    void *obj;                   /**< the exporting object (the exporter's business) */
    ptrdiff_t len;               /**< product(shape) * itemsize */
    ptrdiff_t itemsize;          /**< bytes per item */
    int readonly;                /**< nonzero if the memory must not be written */
    int ndim;                    /**< number of dimensions, 0 ... NDV_MAXDIM */
    const char *format;          /**< struct / PEP 3118 format, or NULL for "B" */
    const ptrdiff_t *shape;      /**< ndim extents, or NULL */
    const ptrdiff_t *strides;    /**< ndim byte strides, or NULL for C order */
    const ptrdiff_t *suboffsets; /**< ndim PIL suboffsets (< 0: none there), or NULL */
    void *internal;              /**< free for the exporter's own use */
} ndv_buffer;

/**
 * An exporter's operations. getbuffer fills *view for the request flags or
 * returns an error status (NDV_ERR_BUFFER for unmet flags); releasebuffer
 * (may be NULL) is called exactly once per successful getbuffer, with the
 * same view pointer.
 */
typedef struct ndv_exporter {
    /** Fill *view for the request flags, or return an error status. */
    ndv_status (*getbuffer)(void *obj, ndv_buffer *view, int flags);
    /** Undo one successful getbuffer (may be NULL). */
    void (*releasebuffer)(void *obj, ndv_buffer *view);
} ndv_exporter;

/**
 * For exporters: record message as this thread's ndv_errmsg() and return
 * status, so a getbuffer can word its own failure. Thread-safe.
 */
NDV_API ndv_status ndv_raise(ndv_status status, const char *message);

/**
 * PyBuffer_FillInfo: fill *view as a 1-D byte buffer over [buf, buf+len).
 * Errors: NDV_ERR_BUFFER if view is NULL ("view==NULL argument is obsolete")
 * or WRITABLE is requested on read-only memory ("Object is not writable.");
 * NDV_ERR_VALUE if len < 0. The filled shape/strides point into *view itself.
 */
NDV_API ndv_status ndv_fill_info(ndv_buffer *view, void *obj, void *buf,
                                 ptrdiff_t len, bool readonly, int flags);

/**
 * For an exporter that owns N-D strided memory: fill *view for the request
 * flags with memory_getbuf's rules and messages (what a memoryview grants
 * its own consumers): NDV_ERR_BUFFER for WRITABLE on read-only memory, a
 * C/F/ANY contiguity request the geometry does not meet, no STRIDES on
 * memory that is not C-contiguous, FORMAT without ND ("cannot cast to
 * unsigned bytes if the format flag is present"). Without FORMAT the
 * format is NULL ("B", the itemsize kept); without ND, ndim 1 and no
 * shape; without STRIDES, no strides; 0-d views have neither. shape,
 * strides and format are borrowed (they must live until releasebuffer);
 * strides NULL means C order; format NULL means "B". Other errors:
 * NDV_ERR_VALUE (NULL view/shape/buf, ndim outside 0..64, negative
 * extents, itemsize <= 0), NDV_ERR_OVERFLOW (product(shape) * itemsize).
 * Thread-safe.
 */
NDV_API ndv_status ndv_fill_buffer(ndv_buffer *view, void *obj, void *buf, ptrdiff_t itemsize,
                                   const char *format, int ndim, const ptrdiff_t *shape,
                                   const ptrdiff_t *strides, bool readonly, int flags);

/* ------------------------------------------------------------------------ */
/* Views                                                                     */
/* ------------------------------------------------------------------------ */

struct ndv__state; /* private per-view state; never touch */

/**
 * A view: read its documented fields directly, as you read a Py_buffer;
 * never write them. shape/strides are NULL only for views obtained from
 * ndv_get_buffer() without NDV_BUF_ND / NDV_BUF_STRIDES; suboffsets is NULL
 * when there are none. A released view has buf == NULL and ndim == 0.
 */
typedef struct ndv_view {
    void *buf;                   /**< address of element (0, ..., 0) */
    ptrdiff_t len;               /**< product(shape) * itemsize */
    ptrdiff_t itemsize;          /**< bytes per item */
    int ndim;                    /**< 0 ... NDV_MAXDIM */
    bool readonly;               /**< writes through this view are refused */
    const char *format;          /**< never NULL */
    const ptrdiff_t *shape;      /**< ndim extents */
    const ptrdiff_t *strides;    /**< ndim byte strides (may be negative or zero) */
    const ptrdiff_t *suboffsets; /**< ndim PIL suboffsets, or NULL when there are none */
    struct ndv__state *internal_; /**< private */
} ndv_view;

/** Initialiser for a view that holds nothing yet (acts as released). */
#define NDV_VIEW_INIT {0, 0, 0, 0, 0, "", 0, 0, 0, 0}

/**
 * Describe memory you own (PyMemoryView_FromMemory with shape and strides).
 * mem[0 .. memlen) is the memory; element (0,...,0) is at mem + offset;
 * strides NULL means C order. Validates: format parses and is non-empty in
 * size, 0 <= ndim <= NDV_MAXDIM, shape >= 0, no overflow in products and
 * offsets, and every reachable byte lies inside the memory for any stride
 * sign. The memory is borrowed: it must outlive every view derived from *out.
 * Errors: NDV_ERR_FORMAT, NDV_ERR_VALUE, NDV_ERR_OVERFLOW, NDV_ERR_NOMEM.
 */
NDV_API ndv_status ndv_view_from_memory(ndv_view *out, void *mem, ptrdiff_t memlen,
                                        bool readonly, const char *format, int ndim,
                                        const ptrdiff_t *shape, const ptrdiff_t *strides,
                                        ptrdiff_t offset);

/**
 * memoryview(obj): ask the exporter once with flags (NDV_BUF_FULL_RO is what
 * CPython asks); the answer becomes a registration shared by *out and every
 * view derived from it; the exporter's releasebuffer runs when the last of
 * them is released. A format ndview cannot parse (NumPy's 'O', ctypes'
 * '&<B', a vendor's code) is kept opaque, as memoryview keeps it: the
 * exporter's itemsize stands, and everything that needs only bytes works
 * (tobytes, hex, slicing, transposes, copies between identical formats),
 * while what needs values (tolist, tolist_visit, unpack_as, pack_item,
 * convert, fill) fails with NDV_ERR_NOTIMPL ("memoryview: format O not
 * supported") and ndv_equal says unequal. Errors: whatever getbuffer
 * returns; NDV_ERR_VALUE for more than NDV_MAXDIM dimensions or
 * inconsistent metadata.
 */
NDV_API ndv_status ndv_view_from_exporter(ndv_view *out, void *obj,
                                          const ndv_exporter *ops, int flags);

/** memoryview(view): a new view of the same memory on the same registration. */
NDV_API ndv_status ndv_view_from_view(const ndv_view *src, ndv_view *out);

/**
 * A consumer's request for a buffer from a view, with request flags
 * (CPython's memory_getbuf rules and messages). *out counts as an export of
 * src: ndv_release(src) fails with NDV_ERR_BUFFER until *out is released.
 * Without NDV_BUF_FORMAT the format reads "B" and itemsize is kept; without
 * NDV_BUF_ND, ndim is 1 and shape NULL; without NDV_BUF_STRIDES strides NULL.
 * Errors: NDV_ERR_BUFFER for unmet requests, NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_get_buffer(const ndv_view *src, ndv_view *out, int flags);

/**
 * Release a view. Idempotent. Fails with NDV_ERR_BUFFER ("memoryview has 1
 * exported buffer") while buffers obtained from it are alive; the view then
 * stays usable. Releasing the last view of a registration releases the
 * exporter. Accepts NULL (no-op).
 */
NDV_API ndv_status ndv_release(ndv_view *view);

/** True if the view was released (or never filled). NULL counts as released. */
NDV_API bool ndv_is_released(const ndv_view *view);

/** Number of live buffers obtained from this view with ndv_get_buffer(). */
NDV_API ptrdiff_t ndv_exports(const ndv_view *view);

#if defined(__GNUC__) || defined(__clang__)
/** For NDV_SCOPED; releases and ignores the status (a view with live
 * exports stays alive, as a memoryview with exports does). */
static inline void ndv_scope_release_(ndv_view *view) { (void)ndv_release(view); }
/**
 * Context-manager pattern for GCC/Clang: `NDV_SCOPED ndv_view v = NDV_VIEW_INIT;`
 * releases v when the enclosing block ends.
 */
#  define NDV_SCOPED __attribute__((cleanup(ndv_scope_release_)))
#endif

/* ------------------------------------------------------------------------ */
/* ndv_bytes: an owned, growable block (like bytearray)                      */
/* ------------------------------------------------------------------------ */

/** An owned memory block that exports itself; resizing is locked while exported. */
typedef struct ndv_bytes ndv_bytes;

/**
 * A zero-filled block of size bytes (size >= 0). Errors: NDV_ERR_VALUE,
 * NDV_ERR_NOMEM. The caller owns *out and frees it with ndv_bytes_free().
 */
NDV_API ndv_status ndv_bytes_new(ndv_bytes **out, ptrdiff_t size);

/**
 * Free the block. Fails with NDV_ERR_BUFFER while any view of it is alive
 * (the block is then untouched). NULL is a no-op.
 */
NDV_API ndv_status ndv_bytes_free(ndv_bytes *bytes);

/**
 * Resize to size bytes (new bytes are zero). Fails with NDV_ERR_BUFFER
 * ("Existing exports of data: object cannot be re-sized") while any view of
 * it is alive; NDV_ERR_VALUE for size < 0; NDV_ERR_NOMEM.
 */
NDV_API ndv_status ndv_bytes_resize(ndv_bytes *bytes, ptrdiff_t size);

/** The block's memory (may move on resize). */
NDV_API void *ndv_bytes_data(const ndv_bytes *bytes);
/** The block's size in bytes. */
NDV_API ptrdiff_t ndv_bytes_size(const ndv_bytes *bytes);
/** Number of live registrations (views from ndv_view_from_exporter). */
NDV_API ptrdiff_t ndv_bytes_exports(const ndv_bytes *bytes);
/**
 * The block's exporter: ndv_view_from_exporter(&v, bytes, ndv_bytes_exporter(),
 * flags). Exports a writable 1-D "B" buffer (PyBuffer_FillInfo's rules).
 */
NDV_API const ndv_exporter *ndv_bytes_exporter(void);

/* ------------------------------------------------------------------------ */
/* Shape operations (zero-copy; results share the source's registration)     */
/* ------------------------------------------------------------------------ */

/** An omitted slice bound (Python's None). */
#define NDV_NONE PTRDIFF_MIN

/**
 * memoryview's contiguity for order 'C', 'F' or 'A' (C or F); any other
 * order gives false. Released views give false. O(1): computed when the view
 * is made. Rules: any suboffsets => false; 0-d => true; 1-D => shape[0] == 1
 * or stride == itemsize; N-D => PyBuffer_IsContiguous (extent-1 dimensions
 * take any stride, a zero extent makes the view contiguous).
 */
NDV_API bool ndv_is_contiguous(const ndv_view *view, char order);

/**
 * view[..., start:stop:step, ...] on dimension dim (any dimension), with
 * Python's slice semantics: negative bounds count from the end, bounds clamp,
 * NDV_NONE omits a bound. Errors: NDV_ERR_VALUE "slice step cannot be zero";
 * NDV_ERR_INDEX for dim out of range; NDV_ERR_TYPE on a 0-d view.
 */
NDV_API ndv_status ndv_slice(const ndv_view *view, int dim, ptrdiff_t start,
                             ptrdiff_t stop, ptrdiff_t step, ndv_view *out);

/**
 * view[i]: the sub-view dropping dimension 0 (negative i counts from the
 * end; suboffsets are followed). Errors: NDV_ERR_TYPE on a 0-d view
 * ("invalid indexing of 0-dim memory"), NDV_ERR_INDEX out of bounds.
 */
NDV_API ndv_status ndv_index(const ndv_view *view, ptrdiff_t i, ndv_view *out);

/**
 * Address of the item at a full index (ndim indices, negative allowed),
 * following suboffsets (PyBuffer_GetPointer). Errors: NDV_ERR_INDEX "index
 * out of bounds on dimension k" (k 1-based).
 */
NDV_API ndv_status ndv_get_pointer(const ndv_view *view, const ptrdiff_t *indices,
                                   void **ptr);

/**
 * Permute dimensions: out dimension k is view dimension perm[k]; NULL
 * reverses them. Errors: NDV_ERR_VALUE for a perm that is not a
 * permutation; NDV_ERR_NOTIMPL for moving a dimension at or before the last
 * indirect (suboffset >= 0) one, which has no strided meaning.
 */
NDV_API ndv_status ndv_transpose(const ndv_view *view, const int *perm, ndv_view *out);

/**
 * memoryview.cast(format[, shape]) with CPython 3.12's rules and error
 * classes, checked in CPython's order. ndim == -1 means no shape (cast to
 * 1-D); otherwise shape holds ndim extents (ndim 0 gives a 0-d view).
 * format must be a native single character, optionally after '@'.
 */
NDV_API ndv_status ndv_cast(const ndv_view *view, const char *format, int ndim,
                            const ptrdiff_t *shape, ndv_view *out);

/** memoryview.toreadonly(): a read-only view on the same registration. */
NDV_API ndv_status ndv_toreadonly(const ndv_view *view, ndv_view *out);

/* ------------------------------------------------------------------------ */
/* View algebra (NumPy's rules; zero-copy, sharing the registration)         */
/* ------------------------------------------------------------------------ */

/** What one subscript of ndv_subscript does. */
typedef enum ndv_sub_kind {
    NDV_SUB_INDEX,   /**< an integer (start): drops the dimension; negative counts from the end */
    NDV_SUB_SLICE,   /**< start:stop:step, Python's rules, NDV_NONE for an omitted part */
    NDV_SUB_NEWAXIS, /**< None / np.newaxis: a new dimension of extent 1 (stride 0) */
    NDV_SUB_ELLIPSIS /**< ...: as many full slices as the other subscripts leave */
} ndv_sub_kind;

/** One subscript: a[1, ::2, None, ..., -1] is five of these. */
typedef struct ndv_sub {
    ndv_sub_kind kind; /**< what it is */
    ptrdiff_t start;   /**< INDEX: the index; SLICE: the start (NDV_NONE: omitted) */
    ptrdiff_t stop;    /**< SLICE: the stop (NDV_NONE: omitted) */
    ptrdiff_t step;    /**< SLICE: the step (NDV_NONE: 1; 0 is an error) */
} ndv_sub;

/** An integer subscript. */
#define NDV_INDEX(i) ((ndv_sub){NDV_SUB_INDEX, (i), 0, 0})
/** A slice subscript start:stop:step (NDV_NONE for an omitted part). */
#define NDV_SLICE(a, b, c) ((ndv_sub){NDV_SUB_SLICE, (a), (b), (c)})
/** The full slice ":". */
#define NDV_ALL ((ndv_sub){NDV_SUB_SLICE, NDV_NONE, NDV_NONE, NDV_NONE})
/** A new axis (None). */
#define NDV_NEWAXIS ((ndv_sub){NDV_SUB_NEWAXIS, 0, 0, 0})
/** The ellipsis (...). */
#define NDV_ELLIPSIS ((ndv_sub){NDV_SUB_ELLIPSIS, 0, 0, 0})

/**
 * NumPy basic indexing in one call and one allocation: view[subs...].
 * Integers drop their dimension (any dimension), slices keep it, newaxis
 * adds one of extent 1 (stride 0), one ellipsis stands for the dimensions
 * the others leave, and dimensions past the subscripts are kept. Suboffset
 * dimensions are followed where the index leads what is left (as
 * ndv_index follows dimension 0); an empty result keeps the source's buf
 * (there is no item to point at). *out may be view (replaced unless it has
 * exports). Errors, with NumPy's words: NDV_ERR_INDEX ("too many indices for
 * array: array is 2-dimensional, but 3 were indexed", "index 5 is out of
 * bounds for axis 1 with size 5", "an index can only have a single ellipsis
 * ('...')"), NDV_ERR_VALUE ("slice step cannot be zero", an unknown kind,
 * NULL subs), NDV_ERR_NOTIMPL (indexing an indirect dimension that does not
 * lead), NDV_ERR_RELEASED, NDV_ERR_NOMEM. Thread-safe as deriving a view is.
 */
NDV_API ndv_status ndv_subscript(const ndv_view *view, const ndv_sub *subs, int nsubs,
                                 ndv_view *out);

/**
 * np.broadcast_to(view, shape): the view's dimensions aligned to the end of
 * shape; an extent of 1 repeats with stride 0, new leading dimensions have
 * stride 0. The result is read-only (its items repeat), as NumPy's is.
 * Errors (NumPy's words): NDV_ERR_VALUE ("operands could not be broadcast
 * together with remapped shapes [original->remapped]: (3,)  and requested
 * shape (2,4)", "input operand has more dimensions than allowed by the axis
 * remapping", "all elements of broadcast shape must be non-negative"),
 * NDV_ERR_RELEASED, NDV_ERR_NOMEM. Thread-safe as deriving a view is.
 */
NDV_API ndv_status ndv_broadcast_to(const ndv_view *view, int ndim, const ptrdiff_t *shape,
                                    ndv_view *out);

/**
 * A new shape over the same memory, with NumPy's no-copy rule (order 'C' or
 * 'F' says how items are read into the new shape); one extent may be -1
 * (inferred). When only a copy could give the shape (NumPy's
 * `arr.shape = ...` refuses exactly then): NDV_ERR_VALUE "cannot reshape
 * this view without copying". Other errors: NDV_ERR_VALUE ("cannot reshape
 * array of size 6 into shape (4,)", "can only specify one unknown
 * dimension", a bad order), NDV_ERR_NOTIMPL (suboffsets), NDV_ERR_RELEASED,
 * NDV_ERR_NOMEM. Thread-safe as deriving a view is.
 */
NDV_API ndv_status ndv_reshape(const ndv_view *view, int ndim, const ptrdiff_t *shape,
                               char order, ndv_view *out);

/**
 * np.shares_memory(a, b, max_work): *result is 1 when some byte of an item
 * of a is a byte of an item of b, 0 when none is, -1 when that was not
 * decided within max_work steps of the exact search (NumPy's bounded
 * Diophantine formulation). max_work 0 compares bounds only, as
 * np.may_share_memory does: 1 when the two byte ranges meet. Empty views
 * share nothing. Errors: NDV_ERR_VALUE (NULL result, negative max_work),
 * NDV_ERR_NOTIMPL (suboffsets), NDV_ERR_RELEASED, NDV_ERR_NOMEM.
 * Thread-safe.
 */
NDV_API ndv_status ndv_shares_memory(const ndv_view *a, const ndv_view *b, ptrdiff_t max_work,
                                     int *result);

/**
 * NumPy's a['name'] (PyArray_GetField) on a structured format such as
 * "T{<i:id:<d:val:(2,3)<f:m:}": a view of that one field, with the field's
 * own format (its byte order and size mode kept: "<d"), buf moved to the
 * field, and a sub-array field's extents (then a repeat count > 1) added as
 * trailing dimensions with the sub-array's C-order strides. The names
 * looked up are the format's top-level names, or those of its one
 * top-level T{...}. "a.b" reaches field b of the nested struct field a.
 * Suboffsets are kept (the move goes after the last dereference).
 * Errors: NDV_ERR_VALUE "no field of name x" (also for formats without
 * names), NDV_ERR_FORMAT (the view's format cannot be parsed),
 * NDV_ERR_RELEASED, NDV_ERR_NOMEM. Thread-safe as deriving a view is.
 */
NDV_API ndv_status ndv_get_field(const ndv_view *view, const char *name, ndv_view *out);

/**
 * numpy's sliding_window_view(view, window, axis=dim): dimension dim
 * shrinks to shape - window + 1 and a new last dimension of extent window
 * walks the window (same stride). dim may be negative (from the end). The
 * result is read-only (windows overlap), as NumPy's is. Errors:
 * NDV_ERR_INDEX (dim out of range), NDV_ERR_VALUE ("window shape cannot be
 * larger than input array shape", "`window_shape` cannot contain negative
 * values", 64 dimensions already), NDV_ERR_NOTIMPL (an indirect dim),
 * NDV_ERR_RELEASED, NDV_ERR_NOMEM. Thread-safe as deriving a view is.
 */
NDV_API ndv_status ndv_sliding_window(const ndv_view *view, int dim, ptrdiff_t window,
                                      ndv_view *out);

/* ------------------------------------------------------------------------ */
/* Data operations                                                           */
/* ------------------------------------------------------------------------ */

/**
 * memoryview.tobytes(order): the view's items, order 'C', 'F' or 'A' ('A':
 * the memory as it is when the view is C- or F-contiguous, else C order),
 * for any format, strides and suboffsets. dst must hold view->len bytes.
 * Errors: NDV_ERR_VALUE for another order or a short dst (nothing written),
 * NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_tobytes(const ndv_view *view, void *dst, ptrdiff_t dstlen, char order);

/**
 * The inverse of ndv_tobytes (PyBuffer_FromContiguous): fill the view from
 * len >= dst->len contiguous bytes laid out in order; bytes past dst->len
 * are ignored. Errors: NDV_ERR_READONLY, NDV_ERR_VALUE for a short source
 * (nothing written) or a bad order, NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_frombytes(ndv_view *dst, const void *src, ptrdiff_t len, char order);

/**
 * dst[...] = src[...]: element-wise copy between views of equal shape and
 * equal format (after stripping one leading '@' from each), any ndim, with
 * memmove semantics when the two overlap. Errors: NDV_ERR_READONLY;
 * NDV_ERR_VALUE "memoryview assignment: lvalue and rvalue have different
 * structures"; NDV_ERR_NOMEM (overlaps no direction resolves use a
 * temporary); NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_copy(ndv_view *dst, const ndv_view *src);

/**
 * memoryview.hex(sep, bytes_per_sep) of the C-order bytes. sep 0 means no
 * separator; otherwise an ASCII character placed between groups of
 * |bytes_per_sep| bytes, counted from the right when positive and from the
 * left when negative (bytes_per_sep 0: no separator). *outlen gets the
 * length of the text; dst NULL asks only for that. A NUL follows the text
 * when dstlen > *outlen. Errors: NDV_ERR_VALUE "sep must be ASCII." or a
 * short dst (nothing written), NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_hex(const ndv_view *view, char *dst, ptrdiff_t dstlen, int sep,
                           int bytes_per_sep, ptrdiff_t *outlen);

/**
 * memoryview ==: released views are equal only to themselves; otherwise the
 * shapes must agree up to the first zero extent and every pair of items must
 * be equal by value across formats (NaN != NaN, 0.0 == -0.0, b'a' != 97,
 * True == 1), as struct.unpack's values compare in Python. Unlike CPython,
 * formats struct cannot parse (T{}, w, Zd, ...) compare by value too.
 * Errors: NDV_ERR_VALUE for NULL arguments.
 */
NDV_API ndv_status ndv_equal(const ndv_view *a, const ndv_view *b, bool *equal);

/* ------------------------------------------------------------------------ */
/* Values                                                                    */
/* ------------------------------------------------------------------------ */

/** The kind of an ndv_value, and of the Python object it stands for. */
typedef enum ndv_kind {
    NDV_KIND_INT,     /**< int (signed codes, n) -> v.i */
    NDV_KIND_UINT,    /**< int (unsigned codes, N) -> v.u */
    NDV_KIND_FLOAT,   /**< float (e f d; g is rounded to double) -> v.f */
    NDV_KIND_BOOL,    /**< bool (?) -> v.b */
    NDV_KIND_BYTES,   /**< bytes (c, s, p) -> v.bytes, pointing into the view's memory */
    NDV_KIND_COMPLEX, /**< complex (Zf Zd; Zg rounded) -> v.c */
    NDV_KIND_POINTER, /**< int (P) -> v.p */
    NDV_KIND_UCS4     /**< str of one character (w) -> v.ucs4 */
} ndv_kind;

/** One value of an item, as struct.unpack would return it. */
typedef struct ndv_value {
    ndv_kind kind; /**< which member of v holds the value */
    /** The value, in the member kind names. */
    union {
        int64_t i;                                      /**< NDV_KIND_INT */
        uint64_t u;                                     /**< NDV_KIND_UINT */
        double f;                                       /**< NDV_KIND_FLOAT */
        bool b;                                         /**< NDV_KIND_BOOL */
        struct { const char *ptr; ptrdiff_t len; } bytes; /**< NDV_KIND_BYTES */
        struct { double re, im; } c;                    /**< NDV_KIND_COMPLEX */
        uintptr_t p;                                    /**< NDV_KIND_POINTER */
        uint32_t ucs4;                                  /**< NDV_KIND_UCS4 */
    } v;
} ndv_value;

/** Number of values one item of the view's format unpacks to (pads excluded). */
NDV_API ptrdiff_t ndv_item_values(const ndv_view *view);

/**
 * memoryview.tolist(), flattened: every item's values in C order (an item
 * of a format with k != 1 values contributes k consecutive values: the
 * tuple struct.unpack returns). *n gets the number of values,
 * product(shape) * ndv_item_values(view); out NULL asks only for that.
 * Works for every format ndview parses, any byte order. BYTES values point
 * into the view's memory: they live as long as it does. Errors:
 * NDV_ERR_VALUE when cap < *n (nothing written), NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_tolist(const ndv_view *view, ndv_value *out, ptrdiff_t cap,
                              ptrdiff_t *n);

/**
 * Callbacks for ndv_tolist_visit: the nested structure of tolist(). Any
 * callback may be NULL. A non-NDV_OK return stops the walk and is returned.
 */
typedef struct ndv_visitor {
    ndv_status (*begin_list)(void *ctx, ptrdiff_t n);  /**< a list of n elements starts */
    ndv_status (*end_list)(void *ctx);                 /**< the innermost open list ends */
    ndv_status (*begin_tuple)(void *ctx, ptrdiff_t n); /**< an item with n != 1 values */
    ndv_status (*end_tuple)(void *ctx);                /**< that item ends */
    ndv_status (*value)(void *ctx, const ndv_value *value); /**< one value, in order */
} ndv_visitor;

/**
 * Walk tolist()'s structure: one list per dimension (none for 0-d views),
 * one tuple per item whose format has a number of values other than 1.
 */
NDV_API ndv_status ndv_tolist_visit(const ndv_view *view, const ndv_visitor *visitor,
                                    void *ctx);

/** Target types of ndv_unpack_as. */
typedef enum ndv_dtype {
    NDV_I64, /**< int64_t */
    NDV_U64, /**< uint64_t */
    NDV_F64  /**< double */
} ndv_dtype;

/**
 * Every value of the view in C order converted to one C type (dst holds n
 * elements; n must be at least product(shape) * ndv_item_values(view)).
 * Integers, bools and pointers convert to every target (to NDV_F64 rounded
 * to nearest); floats only to NDV_F64. Refused with NDV_ERR_TYPE: bytes,
 * complex and UCS-4 values, floats to integer targets. NDV_ERR_VALUE: a
 * negative value to NDV_U64, an unsigned value above INT64_MAX to NDV_I64,
 * or n too small (nothing written); after a range error dst holds a prefix
 * of the result.
 */
NDV_API ndv_status ndv_unpack_as(const ndv_view *view, ndv_dtype to, void *dst, ptrdiff_t n);

/**
 * repr(memoryview.tolist()): the Python literal, byte for byte what CPython
 * prints for every format it supports (shortest round-trip floats, True,
 * b'a', tuples for multi-value items), and the same style for the rest
 * (complex as Python's complex repr, w as a one-character str). *outlen gets
 * the length; dst NULL asks only for that; a NUL follows when cap > *outlen.
 * Errors: NDV_ERR_VALUE when cap is short (the text is cut at cap),
 * NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_repr(const ndv_view *view, char *dst, ptrdiff_t cap, ptrdiff_t *outlen);

/**
 * The values of the item at a full index (view->ndim indices, negative
 * counting from the end; none for a 0-d view), as struct.unpack gives them:
 * ndv_item_values(view) of them into values (room for cap). The mirror of
 * ndv_pack_item. BYTES values point into the view's memory. Errors:
 * NDV_ERR_INDEX ("index out of bounds on dimension k", k 1-based),
 * NDV_ERR_VALUE (cap too small; nothing written), NDV_ERR_NOTIMPL (an
 * opaque format), NDV_ERR_RELEASED. Thread-safe as reading a view is.
 */
NDV_API ndv_status ndv_unpack_item(const ndv_view *view, const ptrdiff_t *indices,
                                   ndv_value *values, ptrdiff_t cap);

/**
 * view[indices] = values: pack n values (ndv_item_values(view) of them) into
 * one item with struct.pack's rules: integers range-checked (NDV_ERR_VALUE
 * "memoryview: invalid value for format 'X'"), wrong kinds refused
 * (NDV_ERR_TYPE "memoryview: invalid type for format 'X'"), '?' takes any
 * value's truth, 'c' exactly one byte, 's'/'p' truncate and pad, native 'f'
 * stores inf on overflow (a C cast) while standard-size 'f' and 'e' refuse.
 * Nothing is written unless every value packs. Errors also: NDV_ERR_READONLY,
 * NDV_ERR_INDEX, NDV_ERR_RELEASED.
 */
NDV_API ndv_status ndv_pack_item(ndv_view *view, const ptrdiff_t *indices,
                                 const ndv_value *values, int n);

/* ------------------------------------------------------------------------ */
/* Converting copies (NumPy's np.copyto and astype)                          */
/* ------------------------------------------------------------------------ */

/** NumPy's casting rules, from strictest to none. */
typedef enum ndv_casting {
    NDV_CASTING_NO,        /**< the same type in the same byte order */
    NDV_CASTING_EQUIV,     /**< the same type, either byte order */
    NDV_CASTING_SAFE,      /**< no value can change (np.can_cast's table) */
    NDV_CASTING_SAME_KIND, /**< safe, or within a kind (float64 -> float32, int64 -> int8) */
    NDV_CASTING_UNSAFE     /**< anything */
} ndv_casting;

/**
 * np.can_cast(from, to, casting) for formats of one numeric value (b B h H
 * i I l L q Q n N e f d ? Zf Zd in either byte order and size mode).
 * Errors: NDV_ERR_TYPE (a format that is not one numeric value),
 * NDV_ERR_FORMAT (unparseable), NDV_ERR_VALUE (NULL, unknown casting).
 * Thread-safe.
 */
NDV_API ndv_status ndv_can_cast(const char *from, const char *to, ndv_casting casting,
                                bool *ok);

/**
 * np.copyto(dst, src, casting=...): every item of src, broadcast to dst's
 * shape with NumPy's rules, converted to dst's type and stored; any strides
 * on both sides (suboffsets too), memmove semantics when the two overlap.
 * Values are NumPy's bit for bit: integers wrap, floats and integers round
 * to nearest even, float16 correctly rounded (NaN payloads kept),
 * complex to real drops the imaginary part, bool is 0/1. A float that a
 * target integer cannot hold (NaN, infinite, out of range after
 * truncation; NumPy leaves these undefined) stops the copy with
 * NDV_ERR_VALUE naming its index: dst then holds every item before it in C
 * order converted, and that item and those after it unchanged. Equal
 * formats of equal shapes take ndv_copy. Errors: NDV_ERR_TYPE (casting
 * refused, with NumPy's words "Cannot cast array data from
 * dtype('float64') to dtype('int32') according to the rule 'safe'"; a
 * format that is not one numeric value), NDV_ERR_VALUE ("could not
 * broadcast input array from shape (4,) into shape (2,3)"; a refused
 * float), NDV_ERR_READONLY, NDV_ERR_RELEASED, NDV_ERR_NOMEM; nothing is
 * written on any error but a refused float. Thread-safe as ndv_copy is.
 */
NDV_API ndv_status ndv_convert(ndv_view *dst, const ndv_view *src, ndv_casting casting);

/**
 * Set every item of dst to one value, packed once with ndv_pack_item's
 * rules (range checks, kinds; pad bytes become zero), then stored with a
 * memset-speed loop. Errors: as ndv_pack_item (NDV_ERR_VALUE, NDV_ERR_TYPE,
 * also for formats whose item is not one value), NDV_ERR_READONLY,
 * NDV_ERR_RELEASED; nothing is written on refusal. Thread-safe as writing
 * a view is.
 */
NDV_API ndv_status ndv_fill(ndv_view *dst, const ndv_value *value);


/* ------------------------------------------------------------------------ */
/* DLPack interop                                                            */
/* ------------------------------------------------------------------------ */

/* DLPack's managed tensor (<dlpack/dlpack.h>); ndview needs only its name here. */
struct DLManagedTensor;

/**
 * A view of a DLPack tensor, without copying. The tensor must live in CPU
 * memory (kDLCPU, kDLCUDAHost, kDLROCMHost). dtypes map to native formats:
 * int8..64 -> b h i q, uint8..64 -> B H I Q, float16/32/64 -> e f d,
 * complex64/128 -> Zf Zd, bool (code 6, DLPack >= 0.8) -> ?; lanes L > 1
 * give an item of L values ("4f"). Element strides (NULL: C order) become
 * byte strides; data + byte_offset is element (0, ..., 0) (DLPack gives no
 * length, so the producer vouches that every element its shape and strides
 * reach is readable, as with any DLPack consumer). readonly makes
 * the view (and every view derived from it) read-only: DLPack 0.6 cannot
 * say whether the memory may be written.
 *
 * Ownership: on success the view takes the tensor; its deleter (if not
 * NULL) runs exactly once, when the last view of the registration is
 * released. On failure the caller still owns the tensor.
 * Errors: NDV_ERR_VALUE (NULL argument, a device that is not CPU memory,
 * ndim outside 0..NDV_MAXDIM, negative extents), NDV_ERR_TYPE (a dtype with
 * no format: bfloat16, opaque handles, other widths), NDV_ERR_OVERFLOW,
 * NDV_ERR_NOMEM; NDV_ERR_NOTIMPL when ndview was built without DLPack
 * (meson option dlpack). Thread-safe.
 */
NDV_API ndv_status ndv_from_dlpack(ndv_view *out, struct DLManagedTensor *tensor,
                                   bool readonly);

/**
 * A DLPack tensor describing the view's memory (device kDLCPU, data = the
 * view's buf, byte_offset 0, explicit element strides). The tensor holds
 * its own view of the same registration, so it stays valid after *view is
 * released; the caller owns *out and must call (*out)->deleter(*out) once
 * (or hand it to a consumer that will). Representable views: a format of
 * one numeric field (integers, e f d, Zf Zd, ?) in the host's byte order,
 * repeated fields becoming lanes; strides that are multiples of the
 * itemsize; no suboffsets; writable.
 * Errors: NDV_ERR_TYPE (format has no dtype, or is byte-swapped),
 * NDV_ERR_VALUE (a stride not a multiple of the itemsize), NDV_ERR_NOTIMPL
 * (suboffsets; built without DLPack), NDV_ERR_BUFFER (a read-only view:
 * DLPack 0.6 cannot mark it so), NDV_ERR_RELEASED, NDV_ERR_NOMEM. *out is
 * NULL on failure. Thread-safe as deriving a view is.
 */
NDV_API ndv_status ndv_to_dlpack(const ndv_view *view, struct DLManagedTensor **out);

/* ------------------------------------------------------------------------ */
/* CPU dispatch                                                              */
/* ------------------------------------------------------------------------ */

/** Instruction-set levels for the kernels; each x86 level includes the ones below it. */
typedef enum ndv_isa {
    NDV_ISA_SCALAR = 0, /**< portable C, every platform */
    NDV_ISA_SSE2,       /**< x86-64 baseline */
    NDV_ISA_SSE41,      /**< SSSE3 + SSE4.1 */
    NDV_ISA_AVX2,       /**< AVX2 (+F16C, FMA), with the OS saving YMM state */
    NDV_ISA_AVX512,     /**< AVX-512 F+BW+VL, with the OS saving ZMM state */
    NDV_ISA_NEON        /**< AArch64 Advanced SIMD (baseline there) */
} ndv_isa;

/**
 * The number of levels in ndv_isa (every value from NDV_ISA_SCALAR up to
 * ndv_isa_count() - 1 is a level, supported or not). Loops over levels use
 * it, so a level added later is never skipped. Thread-safe.
 */
NDV_API int ndv_isa_count(void);

/** The best level this CPU and this build support. Thread-safe. */
NDV_API ndv_isa ndv_isa_best(void);

/**
 * The level in use: the best one, capped by the NDVIEW_ISA environment
 * variable (scalar, sse2, sse41, avx2, avx512, neon) read at first use, or
 * the last ndv_isa_set(). Thread-safe.
 */
NDV_API ndv_isa ndv_isa_active(void);

/** True if this CPU and build can run the level. Thread-safe. */
NDV_API bool ndv_isa_supported(ndv_isa isa);

/**
 * Switch every later call to the kernels of one level (for tests and
 * benchmarks). Errors: NDV_ERR_VALUE for a level the CPU or the build
 * lacks. Thread-safe; calls already running finish with the old kernels.
 */
NDV_API ndv_status ndv_isa_set(ndv_isa isa);

/** "scalar", "sse2", "sse41", "avx2", "avx512", "neon"; "unknown" otherwise. */
NDV_API const char *ndv_isa_name(ndv_isa isa);

/**
 * What became of NDVIEW_ISA at first use: "" when unset or applied, else a
 * sentence saying why it was ignored (an unknown name, or a level of another
 * architecture). Static storage; thread-safe.
 */
NDV_API const char *ndv_isa_note(void);

/**
 * The CPU features ndview looked for and found, space-separated in its own
 * spelling ("sse2 ssse3 sse4.1 avx avx2 f16c fma avx512f avx512bw avx512vl
 * os-ymm os-zmm" on x86-64, where os-* says the OS saves those registers;
 * "neon" on AArch64; "" elsewhere). Static storage; thread-safe.
 */
NDV_API const char *ndv_cpu_features(void);

/**
 * Number of kernel slots in the dispatch table: the inner loops the copy
 * planner and the value operations call (see ndv_kernel_slot). Thread-safe.
 */
NDV_API int ndv_kernel_slots(void);

/**
 * Slot i of level isa's table: its name (static storage; e.g. "copy_run",
 * "copy_strided/4", "copy_tile/8", "unpack/i16->i64",
 * "unpack/swapped/f32->f64", "tolist/u8", "equal/f64", "hex") and the level
 * whose kernel fills it (a level inherits every slot it does not speed up
 * from the one below). Either output may be NULL. Errors: NDV_ERR_INDEX for
 * i outside 0 .. ndv_kernel_slots()-1, NDV_ERR_VALUE for a level this CPU
 * or build lacks, NDV_ERR_NOTIMPL for an empty slot (a bug: every level
 * fills every slot, and the tests check it). Thread-safe.
 */
NDV_API ndv_status ndv_kernel_slot(ndv_isa isa, int i, const char **name, ndv_isa *provider);

#ifdef __cplusplus
}
#endif
#endif /* NDVIEW_H */
