/*
 * internal.h - declarations shared between ndview's source files.
 *
 * Ownership model (the same as CPython's memoryobject.c):
 *  - An ndv__mbuf is one registration with an exporter (or with memory the
 *    caller owns). Every view derived from it holds one reference; the
 *    exporter is released when the count drops to zero.
 *  - Each view owns one ndv__state (heap), holding its private geometry
 *    (shape, strides, suboffsets), its format copy and parsed format, its
 *    contiguity flags and the count of buffers exported from it.
 *  - A view made by ndv_get_buffer() is an export: its state points to the
 *    exporting view's state, whose export count keeps that state alive
 *    (ndv_release refuses to free a state with exports).
 */
#ifndef NDV_INTERNAL_H
#define NDV_INTERNAL_H

#include "ndview.h"

#include <stdatomic.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Errors                                                                    */
/* ------------------------------------------------------------------------ */

/* Record a message for ndv_errmsg() and return status. */
ndv_status ndv__error(ndv_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A shape as NumPy prints it in messages, "(3,)" or "(2,4)", into buf; returns buf. */
const char *ndv__shape_text(char *buf, size_t cap, int ndim, const ptrdiff_t *shape);

#define NDV__CHECK_ARG(p, fn) \
    do { if ((p) == NULL) return ndv__error(NDV_ERR_VALUE, fn ": argument '" #p "' is NULL"); } while (0)

/* ------------------------------------------------------------------------ */
/* Formats                                                                   */
/* ------------------------------------------------------------------------ */

typedef enum ndv__kind {
    NDV__K_PAD,     /* x */
    NDV__K_SINT,    /* b h i l q n */
    NDV__K_UINT,    /* B H I L Q N */
    NDV__K_BOOL,    /* ? */
    NDV__K_FLOAT,   /* e f d g */
    NDV__K_COMPLEX, /* Zf Zd Zg */
    NDV__K_CHAR,    /* c */
    NDV__K_STRING,  /* s */
    NDV__K_PASCAL,  /* p */
    NDV__K_POINTER, /* P */
    NDV__K_UCS4     /* w */
} ndv__kind;

/* One leaf of a parsed format: count consecutive values of one code. */
typedef struct ndv__field {
    char code;         /* struct code; complex codes are 'F','D','G' for Zf Zd Zg */
    unsigned char kind; /* ndv__kind */
    char order;        /* '<' or '>' (resolved; native order becomes one of these) */
    bool native;       /* native size mode ('@', '^'): 'f' overflow follows the C cast */
    ptrdiff_t size;    /* bytes of one value ('s'/'p': the whole string) */
    ptrdiff_t offset;  /* byte offset inside the item */
    ptrdiff_t count;   /* number of values (1 for 's'/'p'; sub-array extents multiplied in) */
    ptrdiff_t name_at; /* its ":name:" in the format text (without colons), or -1 */
    ptrdiff_t name_len;
} ndv__field;

/* A parsed format, reference counted so views with the same format share it. */
typedef struct ndv__format {
    atomic_long refs;
    ptrdiff_t itemsize;
    ptrdiff_t align;   /* alignment of the whole item under its own rules */
    ptrdiff_t nfields; /* leaves, pads included */
    ptrdiff_t nvalues; /* values one item unpacks to (pads excluded) */
    bool opaque;       /* an exporter's format ndview cannot parse: bytes only, no values */
    ndv__field fields[];
} ndv__format;

/* Parse fmt; NULL on failure with the error recorded (status in *status). */
ndv__format *ndv__format_parse(const char *fmt, ndv_status *status);
ndv__format *ndv__format_ref(ndv__format *f);

/*
 * An exporter's format that does not parse (NumPy's 'O', ctypes' '&<B', a
 * vendor's code), kept as memoryview keeps it: the exporter's itemsize, no
 * fields, no values. NULL on allocation failure (error recorded).
 */
ndv__format *ndv__format_opaque(ptrdiff_t itemsize);
void ndv__format_unref(ndv__format *f);

/*
 * A field as written in a format, for field access (ndv_get_field) and
 * names in layouts: where its name, code and shape are in the format text.
 */
typedef struct ndv__member {
    ptrdiff_t name_at, name_len; /* its ":name:" (without colons); name_at < 0: unnamed */
    ptrdiff_t text_at, text_len; /* its code, or its whole T{...}, after shape and count */
    ptrdiff_t dims_at;           /* its "(d0,d1,...)", or -1 */
    ptrdiff_t count;             /* its repeat count ('s'/'p': the string's size) */
    ptrdiff_t offset;            /* in the item (the struct's, for members of a T{}) */
    char mode;                   /* '@', '^', '<' or '>': what reproduces its layout alone */
    int depth;                   /* 0: top level; 1: inside a top-level T{} */
} ndv__member;

/*
 * The members of fmt: its top-level fields when any of them is named, else
 * the fields of its one top-level T{...}, else its top-level fields.
 * *members is malloc'ed (the caller frees it); *n its length.
 */
ndv_status ndv__format_members(const char *fmt, ndv__member **members, int *n);

/* If fmt is '@'? followed by one native single-char code, return that code; else 0. */
char ndv__native_single(const char *fmt);

/* ------------------------------------------------------------------------ */
/* Registrations and view state                                              */
/* ------------------------------------------------------------------------ */

typedef struct ndv__mbuf {
    atomic_long views;         /* live views registered here */
    void *obj;                 /* exporter object, NULL for caller-owned memory */
    const ndv_exporter *ops;   /* NULL for caller-owned memory */
    ndv_buffer master;         /* what the exporter filled in */
} ndv__mbuf;

enum {
    NDV__FLAG_C = 1,       /* C-contiguous */
    NDV__FLAG_F = 2,       /* Fortran-contiguous */
    NDV__FLAG_SCALAR = 4,  /* ndim == 0 */
    NDV__FLAG_PIL = 8      /* has a suboffsets array */
};

typedef struct ndv__state {
    ndv__mbuf *mbuf;
    struct ndv__state *export_of; /* the view this one was exported from, or NULL */
    atomic_long exports;          /* live ndv_get_buffer() results from this view */
    ndv__format *fmt;
    unsigned flags;
    /* The geometry every operation uses; the public fields of a view made by
     * ndv_get_buffer may hide parts of it, as a Py_buffer does. */
    int ndim;
    ptrdiff_t *shape;
    ptrdiff_t *strides;
    ptrdiff_t *suboffsets;        /* NULL when the view has none */
    char *format;
    ptrdiff_t arrays[];           /* shape, strides, suboffsets, then the format text */
} ndv__state;

/*
 * The description of a view under construction. Geometry arrays are
 * borrowed; ndv__view_init copies them.
 */
typedef struct ndv__geom {
    void *buf;
    ptrdiff_t itemsize;
    int ndim;
    bool readonly;
    const char *format;
    ndv__format *fmt;               /* parsed format to share, or NULL to parse */
    const ptrdiff_t *shape;
    const ptrdiff_t *strides;
    const ptrdiff_t *suboffsets;    /* NULL: none */
} ndv__geom;

/*
 * Make *out a view of g on registration mbuf (taking one reference to it on
 * success). Computes len (overflow-checked) and contiguity.
 */
ndv_status ndv__view_init(ndv_view *out, const ndv__geom *g, ndv__mbuf *mbuf);

/*
 * Make *out a view of g on src's registration. out may be src itself: the
 * source is then replaced (released), unless it has exports (NDV_ERR_BUFFER,
 * source untouched).
 */
ndv_status ndv__derive(const ndv_view *src, const ndv__geom *g, ndv_view *out);

/* memoryview's contiguity flags (NDV__FLAG_*) of a geometry (strides not NULL). */
unsigned ndv__contiguity_flags(int ndim, const ptrdiff_t *shape, const ptrdiff_t *strides,
                               const ptrdiff_t *suboffsets, ptrdiff_t itemsize);

/* Describe src's geometry in g (borrowing src's arrays). */
void ndv__geom_of(const ndv_view *src, ndv__geom *g);

/* Return NDV_ERR_RELEASED (with CPython's message) if v is released/NULL. */
ndv_status ndv__check_live(const ndv_view *v);

/*
 * NDV_ERR_NOTIMPL ("memoryview: format O not supported", CPython's words) if
 * v's format is opaque: what reads or writes values refuses, byte operations
 * work.
 */
ndv_status ndv__check_values(const ndv_view *v);

/* Put *v into the released state (no frees). */
void ndv__view_clear(ndv_view *v);

/* Drop one view's reference to a registration, releasing the exporter at zero. */
void ndv__mbuf_decref(ndv__mbuf *mbuf);

/* CPython's equiv_shape: equal ndim, extents equal up to the first zero extent. */
bool ndv__equiv_shape(const ndv_view *a, const ndv_view *b);

/*
 * One step of PyBuffer_GetPointer: move to index i of dimension dim and
 * follow that dimension's suboffset if it has one.
 */
static inline char *ndv__step(const ptrdiff_t *strides, const ptrdiff_t *suboffsets, int dim,
                              char *p, ptrdiff_t i)
{
    ptrdiff_t delta = strides[dim] * i;
    if (delta != 0) /* p may be NULL for a view of empty memory */
        p += delta;
    if (suboffsets && suboffsets[dim] >= 0) {
        char *q;
        memcpy(&q, p, sizeof q);
        p = q + suboffsets[dim];
    }
    return p;
}

/* Checked arithmetic: false on overflow. */
static inline bool ndv__mul(ptrdiff_t a, ptrdiff_t b, ptrdiff_t *r)
{
    return !__builtin_mul_overflow(a, b, r);
}
static inline bool ndv__add(ptrdiff_t a, ptrdiff_t b, ptrdiff_t *r)
{
    return !__builtin_add_overflow(a, b, r);
}

#endif /* NDV_INTERNAL_H */
