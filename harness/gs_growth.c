/* gs_growth.c -- growth policies and Go's allocation sizes (see gs.h,
 * "Growth policies").
 *
 * Pure functions: no state, no allocation. Checked against the real Go
 * runtime by tests/gs/vectors (generated with gen_growth.go).
 */
#include "gs.h"
#include "gs_impl.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Go 1.19 size classes
 * ------------------------------------------------------------------------ */

/* The object sizes, in bytes, that Go 1.19's mallocgc allocates below
 * 32 KiB (runtime/sizeclasses.go, class 1 to 67), ascending. Every one is a
 * multiple of 8, and every one from 1024 on a multiple of 128; the last is
 * GS_GO_MAX_SMALL_SIZE. */
static const uint16_t go_class_bytes[] = {
        8,    16,    24,    32,    48,    64,    80,    96,   112,   128,
      144,   160,   176,   192,   208,   224,   240,   256,   288,   320,
      352,   384,   416,   448,   480,   512,   576,   640,   704,   768,
      896,  1024,  1152,  1280,  1408,  1536,  1792,  2048,  2304,  2688,
     3072,  3200,  3456,  4096,  4864,  5376,  6144,  6528,  6784,  6912,
     8192,  9472,  9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432,
    19072, 20480, 21760, 24576, 27264, 28672, 32768,
};

#define GO_CLASSES (sizeof go_class_bytes / sizeof go_class_bytes[0])

/* The 8 KiB pages of one span of each class above (Go 1.19's
 * class_to_allocnpages, class 1 to 67): a span holds npages x 8 KiB /
 * size objects, the rest of it unused. */
static const uint8_t go_class_pages[] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 1,
    3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9,
    7, 5, 8, 3, 10, 7, 4,
};

_Static_assert(sizeof go_class_pages == GO_CLASSES, "a span size per class");

/* The class index (0 to GO_CLASSES - 1) of each block size, by size / 8. */
static uint8_t class_of_block[GS_GO_MAX_SMALL_SIZE / 8 + 1];

/* The block size of every request, in steps of 8 B up to SMALL_CUTOFF and
 * of 128 B above it (every class boundary falls on such a step, as in Go's
 * own size_to_class8 and size_to_class128), filled once from the table by
 * _gs_go_classes_build (gs_impl.h, where _gs_go_block_bytes reads them). */
#define SMALL_CUTOFF GS_GO_SMALL_CUTOFF
uint16_t _gs_go_size_by_8[GS_GO_SMALL_CUTOFF / 8 + 1];
uint16_t _gs_go_size_by_128[(GS_GO_MAX_SMALL_SIZE - GS_GO_SMALL_CUTOFF) / 128 + 1];
static int class_index_built;

static uint16_t smallest_class(size_t bytes)
{
    size_t c = 0;
    while (go_class_bytes[c] < bytes) c++;    /* bytes <= the largest class */
    return go_class_bytes[c];
}

void _gs_go_classes_build(void)
{
    if (class_index_built) return;
    for (size_t i = 0; i <= SMALL_CUTOFF / 8; i++)
        _gs_go_size_by_8[i] = smallest_class(i * 8 > 0 ? i * 8 : 1);
    for (size_t i = 0; i <= (GS_GO_MAX_SMALL_SIZE - SMALL_CUTOFF) / 128; i++)
        _gs_go_size_by_128[i] = smallest_class(SMALL_CUTOFF + i * 128);
    for (size_t c = 0; c < GO_CLASSES; c++)
        class_of_block[go_class_bytes[c] / 8] = (uint8_t)c;
    class_index_built = 1;
}

size_t _gs_go_class_pages(size_t block, size_t *objects)
{
    size_t c = class_of_block[block / 8];
    *objects = (size_t)go_class_pages[c] * GS_GO_PAGE_SIZE / block;
    return go_class_pages[c];
}

int gs_go_roundupsize(size_t bytes, size_t *rounded)
{
    if (rounded == NULL) return -EINVAL;
    if (bytes == 0) {
        *rounded = 0;
        return 0;
    }
    /* Overflow check: rounding up to a page must fit in size_t. (Go
     * returns the size unrounded there; no slice can be that big anyway,
     * and the model reports it instead.) */
    if (bytes > SIZE_MAX - (GS_GO_PAGE_SIZE - 1)) return -EOVERFLOW;
    if (!class_index_built) _gs_go_classes_build();
    *rounded = _gs_go_block_bytes(bytes);
    return 0;
}

/* mallocgc aligns a tiny object's offset to 8, 4 or 2 when its size is a
 * multiple of it, else packs at any byte (its guess at the alignment). */
size_t _gs_go_tiny_align(size_t size)
{
    if ((size & 7) == 0) return 8;
    if ((size & 3) == 0) return 4;
    if ((size & 1) == 0) return 2;
    return 1;
}

int gs_go_alloc_size(size_t size, int noscan, size_t *block_bytes,
                     size_t *per_block)
{
    size_t rounded, align, stride, n;
    int rc;
    if (block_bytes == NULL || per_block == NULL) return -EINVAL;
    if (noscan && size != 0 && size < GS_GO_TINY_SIZE) {
        /* Objects at 0, stride, 2 * stride, ...: the last must end within
         * the block, so n = (16 - size) / stride + 1. */
        align = _gs_go_tiny_align(size);
        stride = (size + align - 1) & ~(align - 1);
        n = (GS_GO_TINY_SIZE - size) / stride + 1;
        *block_bytes = GS_GO_TINY_SIZE;
        *per_block = n;
        return 0;
    }
    rc = gs_go_roundupsize(size, &rounded);
    if (rc < 0) return rc;
    *block_bytes = rounded;
    *per_block = 1;
    return 0;
}

/* ------------------------------------------------------------------------
 * Policies
 * ------------------------------------------------------------------------ */

static const char *const policy_names[GS_POLICY_COUNT] = {
    [GS_GROW_GO] = "go",
    [GS_GROW_DOUBLE] = "double",
    [GS_GROW_X1_5] = "x1.5",
};

int _gs_name_index(const char *const names[], size_t n, const char *name)
{
    for (size_t i = 0; name != NULL && i < n; i++)
        if (strcmp(name, names[i]) == 0) return (int)i;
    return -1;
}

int gs_policy_parse(const char *name, gs_policy_t *out)
{
    int i = _gs_name_index(policy_names, GS_POLICY_COUNT, name);
    if (i < 0 || out == NULL) return -EINVAL;
    *out = (gs_policy_t)i;
    return 0;
}

const char *gs_policy_name(gs_policy_t p)
{
    if ((unsigned)p >= GS_POLICY_COUNT) return NULL;
    return policy_names[p];
}

/* Largest element count whose byte size stays within PTRDIFF_MAX: the model's
 * limit on any slice, as int is Go's (elem > 0). */
static size_t max_elems(size_t elem)
{
    return (size_t)PTRDIFF_MAX / elem;
}

/* Slices below this capacity double; from it on the step shrinks toward a
 * quarter. Go 1.18 moved the switch here from 1024 elements (and from a
 * jump straight to 1.25x to the curve below). */
#define GO_GROW_THRESHOLD 256u

/* Go's capacity before rounding. Requires: needed > old_cap, both at most
 * max_elems(elem), so nothing below overflows size_t: 2 * old_cap and
 * newcap + step stay under 1.25 * PTRDIFF_MAX + 192 < SIZE_MAX.
 *
 * The curve: newcap += (newcap + 3 * 256) / 4, i.e. a quarter plus 192
 * elements per step. At 256 that is +256 (still 2x); as newcap grows the
 * constant fades and the factor slides toward 1.25x, so there is no jump in
 * the growth factor at the threshold. */
static size_t go_unrounded_cap(size_t old_cap, size_t needed)
{
    size_t newcap = old_cap;
    if (needed > 2 * old_cap) return needed;  /* one big append: just enough */
    if (old_cap < GO_GROW_THRESHOLD) return 2 * old_cap;
    while (newcap < needed) {
        size_t step = newcap / 4 + 3 * GO_GROW_THRESHOLD / 4;
        /* Overflow check: Go's int would wrap negative past PTRDIFF_MAX,
         * and then it settles for exactly the capacity asked for. */
        if (newcap > (size_t)PTRDIFF_MAX - step) return needed;
        newcap += step;
    }
    return newcap;
}

int gs_next_cap(gs_policy_t p, size_t old_cap, size_t needed, size_t elem,
                size_t *new_cap)
{
    size_t limit, cap, bytes, rounded;
    int rc;

    if (elem == 0 || new_cap == NULL || (unsigned)p >= GS_POLICY_COUNT)
        return -EINVAL;
    limit = max_elems(elem);
    /* Overflow check: no slice, old or asked for, may exceed PTRDIFF_MAX
     * bytes; this also keeps the arithmetic below within size_t. */
    if (old_cap > limit || needed > limit) return -EOVERFLOW;
    if (needed <= old_cap) {
        *new_cap = old_cap;
        return 0;
    }

    switch (p) {
    case GS_GROW_DOUBLE:
        cap = 2 * old_cap;
        if (cap < needed) cap = needed;
        break;
    case GS_GROW_X1_5:
        cap = old_cap + old_cap / 2;
        if (cap < needed) cap = needed;
        break;
    case GS_GROW_GO:
    default:
        cap = go_unrounded_cap(old_cap, needed);
        break;
    }
    /* Overflow check: the grown capacity in bytes (Go panics with "cap out
     * of range" here; its own limit, maxAlloc, is 2^48 on amd64). */
    if (cap > limit) return -EOVERFLOW;
    if (p != GS_GROW_GO) {
        *new_cap = cap;
        return 0;
    }

    /* Go allocates the whole size-class block and hands all of it to the
     * slice: the capacity is every element that fits in the rounded size. */
    bytes = cap * elem;
    rc = gs_go_roundupsize(bytes, &rounded);
    if (rc < 0) return rc;
    /* Overflow check: rounding up a page may cross PTRDIFF_MAX. */
    if (rounded > (size_t)PTRDIFF_MAX) return -EOVERFLOW;
    *new_cap = rounded / elem;
    return 0;
}
