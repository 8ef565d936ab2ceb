/* hello.c - the README's example: describe memory, slice it, read an item. */
#include <ndview.h>
#include <stdio.h>

int main(void)
{
    int grid[3][4] = {{0, 1, 2, 3}, {10, 11, 12, 13}, {20, 21, 22, 23}};
    ptrdiff_t shape[2] = {3, 4}, index[2] = {1, 1};
    ndv_view v, cols;
    void *item;
    if (ndv_view_from_memory(&v, grid, sizeof grid, false, "i", 2, shape, NULL, 0) != NDV_OK ||
        ndv_slice(&v, 1, 1, NDV_NONE, 2, &cols) != NDV_OK ||   /* grid[:, 1::2] */
        ndv_get_pointer(&cols, index, &item) != NDV_OK) {
        fprintf(stderr, "ndview: %s\n", ndv_errmsg());
        return 1;
    }
    printf("cols[1, 1] = %d, C-contiguous: %d\n", *(int *)item, ndv_is_contiguous(&cols, 'C'));
    ndv_release(&cols);
    ndv_release(&v);
    return *(int *)item == 13 ? 0 : 1;
}
