/*
 * format.c - the format parser and calcsize.
 *
 * The struct module's grammar (byte order prefix, repeat counts, whitespace
 * between codes, native vs standard sizes, '@' alignment without trailing
 * padding) plus the PEP 3118 extensions NumPy accepts: byte order changes
 * anywhere and '^', T{...} (nested), (d0,d1,...) sub-arrays, :name: field
 * names, Zf/Zd/Zg complex, g (long double, native sizes only), w (UCS-4).
 *
 * The result is a flat list of leaf fields with resolved offsets and byte
 * order. Adjacent leaves of one code merge ("iiii" == "4i"), so repeated
 * structs and long formats stay compact.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Bounds that keep hostile formats from exhausting the stack or the heap. */
#define NDV__MAX_NESTING 64
#define NDV__MAX_FIELDS (1 << 20)

typedef struct fmt_mode {
    char order;       /* '<' or '>' */
    bool native_size; /* '@' and '^': C sizes; otherwise struct's standard sizes */
    bool aligned;     /* '@' only: struct's native alignment */
} fmt_mode;

typedef struct parser {
    const char *start;
    const char *s;
    ndv__field *fields;
    ptrdiff_t nfields;
    ptrdiff_t cap;
    ndv_status status;
    int depth;
    ptrdiff_t floor; /* fields below this index are final: nothing merges into them */
    int zeroed;      /* enclosing T{} with a repeat count of 0: their bodies add no fields */
    ptrdiff_t last_leaf;  /* the leaf the last code wrote (a name following it names it), or -1 */
    ndv__member *members; /* when asked for: fields at depth 0 and 1, as written */
    int nmembers, mcap;
    ptrdiff_t field_at;   /* offset in the item of the field parse_code/parse_struct placed */
} parser;

#if defined(NDV__COUNT_WORK)
/* Fields written by the parser: tests/test_format_work.c checks the work is linear. */
long long ndv__format_work;
#endif

typedef struct code_info {
    ptrdiff_t size;
    ptrdiff_t align;
    ndv__kind kind;
} code_info;

static char native_order(void)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return '>';
#else
    return '<';
#endif
}

static bool fail_at(parser *p, const char *where, ndv_status st, const char *what)
{
    char c = *where;
    if (c == '\0')
        ndv__error(st, "%s at end of format", what);
    else if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
        ndv__error(st, "%s: '%c' at position %td", what, c, where - p->start);
    else
        ndv__error(st, "%s: byte 0x%02x at position %td", what, (unsigned char)c, where - p->start);
    p->status = st;
    return false;
}

/*
 * Sizes and alignments. Native sizes come from the C types themselves so
 * that every ABI (LP64, ILP32, s390x, AArch64) agrees with its own struct
 * module; standard sizes are struct's fixed table.
 */
static bool lookup_code(char code, bool native, code_info *ci)
{
#define NAT(t, k) (*ci = (code_info){(ptrdiff_t)sizeof(t), (ptrdiff_t)_Alignof(t), k}, true)
#define STD(n, k) (*ci = (code_info){n, 1, k}, true)
    typedef struct { float re, im; } cfloat;
    typedef struct { double re, im; } cdouble;
    typedef struct { long double re, im; } cldouble;
    if (native) {
        switch (code) {
        case 'x': return NAT(char, NDV__K_PAD);
        case 'c': return NAT(char, NDV__K_CHAR);
        case 'b': return NAT(signed char, NDV__K_SINT);
        case 'B': return NAT(unsigned char, NDV__K_UINT);
        case '?': return NAT(_Bool, NDV__K_BOOL);
        case 'h': return NAT(short, NDV__K_SINT);
        case 'H': return NAT(unsigned short, NDV__K_UINT);
        case 'i': return NAT(int, NDV__K_SINT);
        case 'I': return NAT(unsigned int, NDV__K_UINT);
        case 'l': return NAT(long, NDV__K_SINT);
        case 'L': return NAT(unsigned long, NDV__K_UINT);
        case 'q': return NAT(long long, NDV__K_SINT);
        case 'Q': return NAT(unsigned long long, NDV__K_UINT);
        case 'n': return NAT(ptrdiff_t, NDV__K_SINT);
        case 'N': return NAT(size_t, NDV__K_UINT);
        case 'e': return NAT(short, NDV__K_FLOAT);
        case 'f': return NAT(float, NDV__K_FLOAT);
        case 'd': return NAT(double, NDV__K_FLOAT);
        case 'g': return NAT(long double, NDV__K_FLOAT);
        case 'F': return NAT(cfloat, NDV__K_COMPLEX);
        case 'D': return NAT(cdouble, NDV__K_COMPLEX);
        case 'G': return NAT(cldouble, NDV__K_COMPLEX);
        case 's': return NAT(char, NDV__K_STRING);
        case 'p': return NAT(char, NDV__K_PASCAL);
        case 'P': return NAT(void *, NDV__K_POINTER);
        case 'w': return NAT(uint32_t, NDV__K_UCS4);
        default: return false;
        }
    }
    switch (code) {
    case 'x': return STD(1, NDV__K_PAD);
    case 'c': return STD(1, NDV__K_CHAR);
    case 'b': return STD(1, NDV__K_SINT);
    case 'B': return STD(1, NDV__K_UINT);
    case '?': return STD(1, NDV__K_BOOL);
    case 'h': return STD(2, NDV__K_SINT);
    case 'H': return STD(2, NDV__K_UINT);
    case 'i': case 'l': return STD(4, NDV__K_SINT);
    case 'I': case 'L': return STD(4, NDV__K_UINT);
    case 'q': return STD(8, NDV__K_SINT);
    case 'Q': return STD(8, NDV__K_UINT);
    case 'e': return STD(2, NDV__K_FLOAT);
    case 'f': return STD(4, NDV__K_FLOAT);
    case 'd': return STD(8, NDV__K_FLOAT);
    case 'F': return STD(8, NDV__K_COMPLEX);
    case 'D': return STD(16, NDV__K_COMPLEX);
    case 's': return STD(1, NDV__K_STRING);
    case 'p': return STD(1, NDV__K_PASCAL);
    case 'w': return STD(4, NDV__K_UCS4);
    default: return false; /* n N P g Zg are native-only, as in struct */
    }
#undef NAT
#undef STD
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Round *off up to a multiple of align; false when that passes PTRDIFF_MAX. */
static bool round_up(ptrdiff_t *off, ptrdiff_t align)
{
    ptrdiff_t r = *off % align;
    return r == 0 || ndv__add(*off, align - r, off);
}

/*
 * Append a leaf, merging it into the previous one when it continues it.
 * Inside a T{} repeated 0 times nothing is kept: the body is parsed for its
 * syntax, size and alignment only, so "0T{1000000T{bi}}" costs its length,
 * not a million fields built and thrown away.
 */
static bool add_field(parser *p, ndv__field f)
{
    if (p->zeroed)
        return true;
#if defined(NDV__COUNT_WORK)
    ndv__format_work++;
#endif
    if (p->nfields > p->floor) {
        ndv__field *last = &p->fields[p->nfields - 1];
        if (last->code == f.code && last->order == f.order && last->size == f.size &&
            last->native == f.native && last->name_at < 0 && f.name_at < 0 &&
            last->offset + last->size * last->count == f.offset) {
            /* Bounded by the item size, except for values of size 0 ("0s0s..."). */
            if (!ndv__add(last->count, f.count, &last->count))
                return fail_at(p, p->s, NDV_ERR_FORMAT, "format has too many values");
            p->last_leaf = p->nfields - 1;
            return true;
        }
    }
    if (p->nfields == p->cap) {
        if (p->cap >= NDV__MAX_FIELDS)
            return fail_at(p, p->s, NDV_ERR_FORMAT, "format has too many fields");
        ptrdiff_t cap = p->cap ? 2 * p->cap : 8;
        ndv__field *nf = realloc(p->fields, (size_t)cap * sizeof *nf);
        if (!nf) {
            p->status = ndv__error(NDV_ERR_NOMEM, "out of memory parsing a format");
            return false;
        }
        p->fields = nf;
        p->cap = cap;
    }
    p->fields[p->nfields++] = f;
    p->last_leaf = p->nfields - 1;
    return true;
}

/* A decimal number at p->s; NDV_ERR_OVERFLOW past PTRDIFF_MAX. */
static bool parse_number(parser *p, ptrdiff_t *out)
{
    ptrdiff_t n = 0;
    const char *at = p->s;
    while (is_digit(*p->s)) {
        if (!ndv__mul(n, 10, &n) || !ndv__add(n, *p->s - '0', &n))
            return fail_at(p, at, NDV_ERR_OVERFLOW, "total struct size too long");
        p->s++;
    }
    *out = n;
    return true;
}

/* "(d0,d1,...)" before a code: the product of the extents. */
static bool parse_subarray(parser *p, ptrdiff_t *prod)
{
    *prod = 1;
    p->s++; /* '(' */
    for (;;) {
        while (is_space(*p->s))
            p->s++;
        if (!is_digit(*p->s))
            return fail_at(p, p->s, NDV_ERR_FORMAT, "bad sub-array shape in format");
        ptrdiff_t d = 0;
        if (!parse_number(p, &d))
            return false;
        if (!ndv__mul(*prod, d, prod))
            return fail_at(p, p->s, NDV_ERR_OVERFLOW, "total struct size too long");
        while (is_space(*p->s))
            p->s++;
        if (*p->s == ')') {
            p->s++;
            return true;
        }
        if (*p->s != ',')
            return fail_at(p, p->s, NDV_ERR_FORMAT, "bad sub-array shape in format");
        p->s++;
    }
}

/* ":name:" after a field; the name is carried, not interpreted. */
static bool skip_name(parser *p, bool after_field)
{
    const char *at = p->s;
    if (!after_field)
        return fail_at(p, at, NDV_ERR_FORMAT, "field name without a field in format");
    const char *end = strchr(p->s + 1, ':');
    if (!end)
        return fail_at(p, at, NDV_ERR_FORMAT, "unterminated field name in format");
    ndv__member *last = p->members && p->nmembers ? &p->members[p->nmembers - 1] : NULL;
    if (last && last->depth == p->depth && !p->zeroed) {
        last->name_at = at + 1 - p->start;
        last->name_len = end - at - 1;
    }
    if (p->last_leaf >= 0) { /* a code's leaf: it carries the name (layouts report it) */
        p->fields[p->last_leaf].name_at = at + 1 - p->start;
        p->fields[p->last_leaf].name_len = end - at - 1;
        p->last_leaf = -1;
    }
    p->s = end + 1;
    return true;
}

static bool set_mode(char c, fmt_mode *m)
{
    switch (c) {
    case '@': *m = (fmt_mode){native_order(), true, true}; return true;
    case '^': *m = (fmt_mode){native_order(), true, false}; return true;
    case '=': *m = (fmt_mode){native_order(), false, false}; return true;
    case '<': *m = (fmt_mode){'<', false, false}; return true;
    case '>': case '!': *m = (fmt_mode){'>', false, false}; return true;
    default: return false;
    }
}

static bool parse_seq(parser *p, fmt_mode *m, char close, ptrdiff_t *size, ptrdiff_t *align);

/*
 * Place count copies of the struct body fields[first..] (size ssize) at off.
 * The body stays as parsed (copies never merge into it, so it can be read
 * while copies are appended); copies merge with each other.
 */
static bool place_struct(parser *p, ptrdiff_t first, ptrdiff_t off, ptrdiff_t ssize,
                         ptrdiff_t count)
{
    ptrdiff_t end = p->nfields, floor = p->floor;
    for (ptrdiff_t i = first; i < end; i++)
        p->fields[i].offset += off;
    if (count == 0) {
        p->nfields = first;
        return true;
    }
    if (end == first)
        return true; /* an empty body: copies add nothing */
    /* One field filling the whole struct: every copy would merge into it. */
    ndv__field *only = end - first == 1 ? &p->fields[first] : NULL;
    if (only && only->size * only->count == ssize) {
        if (!ndv__mul(only->count, count, &only->count))
            return fail_at(p, p->s, NDV_ERR_OVERFLOW, "total struct size too long");
        return true;
    }
    /* Otherwise every copy adds a field: bound the work before doing it. */
    if (count - 1 > NDV__MAX_FIELDS)
        return fail_at(p, p->s, NDV_ERR_FORMAT, "format has too many fields");
    p->floor = end;
    for (ptrdiff_t r = 1; r < count; r++) {
        for (ptrdiff_t i = first; i < end; i++) {
            ndv__field f = p->fields[i];
            f.offset += r * ssize; /* bounded by the checked total size */
            if (!add_field(p, f))
                return false;
        }
    }
    p->floor = floor;
    return true;
}

/*
 * A T{...} repeated count times at *off. Byte-order characters inside it
 * stay in force after it, and its alignment follows the mode its body ends
 * in: NumPy's parser (_dtype_from_pep3118) reads its own buffer exports so,
 * and they depend on it ("T{T{>i:a:}:f0:@i:f1:}").
 */
static bool parse_struct(parser *p, fmt_mode *m, ptrdiff_t count, ptrdiff_t *off,
                         ptrdiff_t *maxalign)
{
    const char *at = p->s;
    if (++p->depth > NDV__MAX_NESTING)
        return fail_at(p, at, NDV_ERR_FORMAT, "format nests T{} too deeply");
    p->s += 2; /* "T{" */
    ptrdiff_t first = p->nfields, ssize, salign, total, floor = p->floor;
    p->floor = first; /* the body's offsets are relative: keep it apart until placed */
    p->zeroed += count == 0;
    if (!parse_seq(p, m, '}', &ssize, &salign))
        return false;
    p->zeroed -= count == 0;
    p->floor = floor;
    p->depth--;
    /* Like a C struct (and NumPy) under '@': aligned start, size padded to its alignment. */
    if (m->aligned && (!round_up(&ssize, salign) || !round_up(off, salign)))
        return fail_at(p, at, NDV_ERR_OVERFLOW, "total struct size too long");
    if (m->aligned && salign > *maxalign)
        *maxalign = salign;
    if (!ndv__mul(ssize, count, &total) || !ndv__add(*off, total, &total))
        return fail_at(p, at, NDV_ERR_OVERFLOW, "total struct size too long");
    p->field_at = *off;
    if (!place_struct(p, first, *off, ssize, count))
        return false;
    *off = total;
    return true;
}

static bool parse_code(parser *p, fmt_mode m, ptrdiff_t count, ptrdiff_t sub,
                       ptrdiff_t *off, ptrdiff_t *maxalign)
{
    const char *at = p->s;
    char code = *p->s++;
    if (code == 'Z') {
        at = p->s;
        char c = *p->s++;
        code = c == 'f' ? 'F' : c == 'd' ? 'D' : c == 'g' ? 'G' : 0;
        if (!code) {
            p->s--;
            return fail_at(p, at, NDV_ERR_FORMAT, "bad char in struct format");
        }
    } else if (code == 'F' || code == 'D' || code == 'G') {
        code = 0; /* only reachable through 'Z' */
    }
    code_info ci;
    if (!code || !lookup_code(code, m.native_size, &ci))
        return fail_at(p, at, NDV_ERR_FORMAT, "bad char in struct format");
    if (m.aligned && !round_up(off, ci.align))
        return fail_at(p, at, NDV_ERR_OVERFLOW, "total struct size too long");
    if (m.aligned && ci.align > *maxalign)
        *maxalign = ci.align;
    bool stringlike = ci.kind == NDV__K_STRING || ci.kind == NDV__K_PASCAL;
    ndv__field f = {code, (unsigned char)ci.kind, m.order, m.native_size, ci.size, *off, 0, -1, 0};
    p->field_at = *off;
    if (stringlike) {
        f.size = count; /* "10s" is one 10-byte value */
        f.count = sub;
    } else if (!ndv__mul(count, sub, &f.count)) {
        return fail_at(p, at, NDV_ERR_OVERFLOW, "total struct size too long");
    }
    ptrdiff_t total;
    if (!ndv__mul(f.size, f.count, &total) || !ndv__add(*off, total, off))
        return fail_at(p, at, NDV_ERR_OVERFLOW, "total struct size too long");
    return f.count == 0 || add_field(p, f);
}

/* The mode character that reproduces m for a field taken out of its format. */
static char mode_char(fmt_mode m)
{
    return m.aligned ? '@' : m.native_size ? '^' : m.order;
}

/* Note the field just parsed (from start to p->s, its code at code) as a member. */
static bool add_member(parser *p, const char *start, const char *code, ptrdiff_t count,
                       fmt_mode m)
{
    if (!p->members || p->depth > 1 || p->zeroed)
        return true;
    if (p->nmembers == p->mcap) {
        if (p->mcap >= NDV__MAX_FIELDS)
            return fail_at(p, p->s, NDV_ERR_FORMAT, "format has too many fields");
        int cap = p->mcap ? 2 * p->mcap : 8;
        ndv__member *nm = realloc(p->members, (size_t)cap * sizeof *nm);
        if (!nm) {
            p->status = ndv__error(NDV_ERR_NOMEM, "out of memory parsing a format");
            return false;
        }
        p->members = nm;
        p->mcap = cap;
    }
    p->members[p->nmembers++] = (ndv__member){
        -1, 0, code - p->start, p->s - code, *start == '(' ? start - p->start : -1, count,
        p->field_at, mode_char(m), p->depth};
    return true;
}

/*
 * One field: an optional "(d0,d1,...)" shape (a byte order may follow it, as
 * NumPy's buffer export writes "(2,3)@f"), an optional repeat count, then a
 * code or a T{...}. *m keeps a byte order given after the shape.
 */
static bool parse_field(parser *p, fmt_mode *m, ptrdiff_t *off, ptrdiff_t *maxalign)
{
    const char *start = p->s;
    ptrdiff_t sub = 1, count = 1;
    p->last_leaf = -1; /* a T{} leaves it so: its name is the struct's, not a leaf's */
    if (*p->s == '(' && !parse_subarray(p, &sub))
        return false;
    while (*start == '(' && set_mode(*p->s, m))
        p->s++;
    if (is_digit(*p->s)) {
        if (!parse_number(p, &count))
            return false;
        if (*p->s == '\0')
            return fail_at(p, p->s, NDV_ERR_FORMAT, "repeat count given without format specifier");
    }
    const char *code = p->s;
    fmt_mode before = *m; /* what the field starts in (a T{} may change it) */
    bool ok;
    if (p->s[0] == 'T' && p->s[1] == '{') {
        ptrdiff_t n;
        ok = ndv__mul(count, sub, &n)
                 ? parse_struct(p, m, n, off, maxalign)
                 : fail_at(p, p->s, NDV_ERR_OVERFLOW, "total struct size too long");
    } else {
        ok = parse_code(p, *m, count, sub, off, maxalign);
    }
    if (code[0] == 'T')
        p->last_leaf = -1;
    return ok && add_member(p, start, code, count, before);
}

/*
 * A sequence of fields up to close ('}', or the end for the top level).
 * A byte-order character must be followed by a field (struct and NumPy
 * refuse "i<"), except as the whole-format prefix ("<" alone is size 0).
 */
static bool parse_seq(parser *p, fmt_mode *m, char close, ptrdiff_t *size, ptrdiff_t *align)
{
    ptrdiff_t off = 0, maxalign = 1;
    bool after_field = false;    /* a name may follow (fields of size 0 included) */
    const char *dangling = NULL; /* a byte-order character no field has followed yet */
    for (;;) {
        char c = *p->s;
        if (c == '\0' || c == close) {
            if (dangling)
                return fail_at(p, dangling, NDV_ERR_FORMAT, "bad char in struct format");
            if (c == '\0' && close)
                return fail_at(p, p->s, NDV_ERR_FORMAT, "missing '}' in format");
            p->s += c != '\0';
            break;
        }
        if (is_space(c)) {
            p->s++;
            continue;
        }
        if (set_mode(c, m)) {
            if (p->s != p->start)
                dangling = p->s;
            p->s++;
            continue;
        }
        if (c == ':') {
            if (!skip_name(p, after_field))
                return false;
            continue;
        }
        if (!parse_field(p, m, &off, &maxalign))
            return false;
        dangling = NULL;
        after_field = true;
    }
    *size = off;
    *align = maxalign;
    return true;
}

ndv__format *ndv__format_parse(const char *fmt, ndv_status *status)
{
    parser p = {.start = fmt, .s = fmt, .status = NDV_OK, .last_leaf = -1};
    fmt_mode m;
    set_mode('@', &m);
    ptrdiff_t size, align;
    ndv__format *f = NULL;
    if (parse_seq(&p, &m, 0, &size, &align)) {
        f = malloc(sizeof *f + (size_t)p.nfields * sizeof(ndv__field));
        if (!f) {
            p.status = ndv__error(NDV_ERR_NOMEM, "out of memory parsing a format");
        } else {
            atomic_init(&f->refs, 1);
            f->itemsize = size;
            f->align = align;
            f->nfields = p.nfields;
            f->nvalues = 0;
            f->opaque = false;
            ptrdiff_t empty = 0; /* values that occupy no bytes ("0s", "(1000)0p") */
            for (ptrdiff_t i = 0; i < p.nfields; i++) {
                const ndv__field *fi = &p.fields[i];
                f->fields[i] = *fi;
                if (fi->kind != NDV__K_PAD && fi->size == 0) /* saturating: counts are huge */
                    empty = fi->count > NDV__MAX_FIELDS - empty ? NDV__MAX_FIELDS + 1
                                                                : empty + fi->count;
                else if (fi->kind != NDV__K_PAD) /* these sum to at most itemsize */
                    f->nvalues += fi->count;
            }
            f->nvalues += empty;
            /* Every other value takes a byte at least, so an item's values (and the
             * memory to hold them decoded) stay proportional to its size. */
            if (empty > NDV__MAX_FIELDS) {
                p.status = ndv__error(NDV_ERR_FORMAT,
                                      "format has more than %d values of size 0",
                                      NDV__MAX_FIELDS);
                free(f);
                f = NULL;
            }
        }
    }
    free(p.fields);
    *status = p.status;
    return f;
}

ndv_status ndv__format_members(const char *fmt, ndv__member **members, int *n)
{
    parser p = {.start = fmt, .s = fmt, .status = NDV_OK, .last_leaf = -1, .mcap = 8};
    p.members = malloc((size_t)p.mcap * sizeof *p.members); /* non-NULL: record them */
    if (!p.members)
        return ndv__error(NDV_ERR_NOMEM, "out of memory parsing a format");
    fmt_mode m;
    set_mode('@', &m);
    ptrdiff_t size, align;
    bool ok = parse_seq(&p, &m, 0, &size, &align);
    free(p.fields);
    if (!ok) {
        free(p.members);
        return p.status;
    }
    /* Which level holds the fields a user names: see internal.h. */
    int top = 0, named_top = 0;
    for (int i = 0; i < p.nmembers; i++) {
        top += p.members[i].depth == 0;
        named_top += p.members[i].depth == 0 && p.members[i].name_at >= 0;
    }
    bool lone_struct = top == 1 && !named_top && p.nmembers > top;
    int k = 0;
    for (int i = 0; i < p.nmembers; i++)
        if (p.members[i].depth == (lone_struct ? 1 : 0))
            p.members[k++] = p.members[i];
    *members = p.members;
    *n = k;
    return NDV_OK;
}

ndv__format *ndv__format_opaque(ptrdiff_t itemsize)
{
    ndv__format *f = malloc(sizeof *f);
    if (!f) {
        ndv__error(NDV_ERR_NOMEM, "out of memory parsing a format");
        return NULL;
    }
    *f = (ndv__format){.itemsize = itemsize, .align = 1, .opaque = true};
    atomic_init(&f->refs, 1);
    return f;
}

ndv__format *ndv__format_ref(ndv__format *f)
{
    atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
    return f;
}

void ndv__format_unref(ndv__format *f)
{
    if (f && atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) == 1)
        free(f);
}
