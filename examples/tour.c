/*
 * tour.c - a guided tour of ndview, printed as short tables: formats and
 * their sizes, views and their contiguity, and export locking at work.
 */
#include <ndview.h>
#include <stdint.h>
#include <stdio.h>

static void show_formats(void)
{
    static const char *const formats[] = {"i", "<i", "@ci", "=ci", "4s", "2h3d", "T{<i:x:<d:y:}",
                                          "T{ci}", "(2,3)f", "Zd", "w", "i<h", "y"};
    printf("%-16s %8s  %s\n", "format", "itemsize", "note");
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        ptrdiff_t size;
        ndv_status s = ndv_calcsize(formats[i], &size);
        if (s == NDV_OK)
            printf("%-16s %8td\n", formats[i], size);
        else
            printf("%-16s %8s  %s: %s\n", formats[i], "-", ndv_status_name(s), ndv_errmsg());
    }
}

static void show_view(const char *name, const ndv_view *v)
{
    printf("%-22s ndim %d  shape (", name, v->ndim);
    for (int i = 0; i < v->ndim; i++)
        printf(i ? ", %td" : "%td", v->shape[i]);
    printf(")  strides (");
    for (int i = 0; i < v->ndim; i++)
        printf(i ? ", %td" : "%td", v->strides[i]);
    printf(")  C %d F %d\n", ndv_is_contiguous(v, 'C'), ndv_is_contiguous(v, 'F'));
}

static int show_views(void)
{
    static float matrix[4][6];
    ptrdiff_t shape[2] = {4, 6};
    ndv_view m, t, cols, row, bytes;
    if (ndv_view_from_memory(&m, matrix, sizeof matrix, false, "f", 2, shape, NULL, 0) ||
        ndv_transpose(&m, NULL, &t) || ndv_slice(&m, 1, NDV_NONE, NDV_NONE, -2, &cols) ||
        ndv_index(&m, 2, &row) || ndv_cast(&m, "B", -1, NULL, &bytes)) {
        fprintf(stderr, "ndview: %s\n", ndv_errmsg());
        return 1;
    }
    show_view("m = float[4][6]", &m);
    show_view("m.T", &t);
    show_view("m[:, ::-2]", &cols);
    show_view("m[2]", &row);
    show_view("m.cast('B')", &bytes);
    ndv_view bad;
    ndv_status s = ndv_cast(&t, "B", -1, NULL, &bad);
    printf("m.T.cast('B')          %s: %s\n", ndv_status_name(s), ndv_errmsg());
    ndv_release(&bytes);
    ndv_release(&row);
    ndv_release(&cols);
    ndv_release(&t);
    ndv_release(&m);
    return 0;
}

static int show_locking(void)
{
    ndv_bytes *b;
    ndv_view v, s, x;
    if (ndv_bytes_new(&b, 64) ||
        ndv_view_from_exporter(&v, b, ndv_bytes_exporter(), NDV_BUF_FULL_RO) ||
        ndv_slice(&v, 0, 8, 16, 1, &s) || ndv_get_buffer(&v, &x, NDV_BUF_SIMPLE))
        return 1;
    printf("%-40s %s\n", "step", "result");
#define STEP(what, expr)                                                              \
    do {                                                                              \
        ndv_status st_ = (expr);                                                      \
        printf("%-40s %s%s%s\n", what, ndv_status_name(st_), st_ ? ": " : "",       \
               st_ ? ndv_errmsg() : "");                                              \
    } while (0)
    STEP("resize while viewed", ndv_bytes_resize(b, 128));
    STEP("release v while exported", ndv_release(&v));
    STEP("release the export", ndv_release(&x));
    STEP("release v", ndv_release(&v));
    STEP("resize while the slice lives", ndv_bytes_resize(b, 128));
    STEP("release the slice", ndv_release(&s));
    STEP("resize", ndv_bytes_resize(b, 128));
    STEP("slice a released view", ndv_slice(&v, 0, 0, 1, 1, &s));
    return ndv_bytes_free(b) != NDV_OK;
}

int main(void)
{
    printf("ndview %s\n\n", ndv_version());
    show_formats();
    printf("\n");
    if (show_views())
        return 1;
    printf("\n");
    return show_locking();
}
