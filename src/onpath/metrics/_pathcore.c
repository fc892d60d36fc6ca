/* onpath.metrics._pathcore: per-row loops over flat AS-path arrays.
 *
 * A paths table is flattened into `values` (uint32 hops, every row's path concatenated) and
 * `offsets` (int64, n + 1; row r is values[offsets[r]:offsets[r + 1]]). The metrics need a few
 * operations that walk each row's hops: collapsing prepending and finding loops, hashing a path,
 * "is one of these ASes on the path (at a transit hop)", the first provider->customer link, the
 * transit hops with their distance to the origin, the links next to a watched AS. In NumPy each
 * of them materialises several arrays as long as the hop array (row of hop, position in row,
 * masks); here each is one pass with no temporary of that size.
 *
 * One kernel is not about paths: `flatten`, the stack sweep that turns nested address ranges (a
 * prefix-to-country table) into disjoint pieces, innermost first; ~2 M ranges in a full table.
 *
 * Every function takes Python buffers (NumPy arrays) of the exact item size it names, allocated by
 * the caller; indices and offsets are bounds-checked before any loop, so bad input raises
 * ValueError instead of reading out of bounds. The GIL is released around the loops.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffers --------------------------------------------------------- */

static int get_buf(PyObject *o, Py_buffer *b, Py_ssize_t itemsize, int writable, const char *name)
{
    memset(b, 0, sizeof(*b));
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT;
    if (writable) flags |= PyBUF_WRITABLE;
    if (PyObject_GetBuffer(o, b, flags) < 0) return -1;
    if (b->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: item size %zd, expected %zd", name, b->itemsize, itemsize);
        PyBuffer_Release(b);
        b->obj = NULL;
        return -1;
    }
    return 0;
}

static void release(Py_buffer *b, int k)
{
    for (int i = 0; i < k; i++)
        if (b[i].obj) PyBuffer_Release(&b[i]);
}

/* Acquire the first n arguments of `args` as buffers (item sizes, writability and names given);
 * the tuple must hold exactly n + extra items. On failure nothing stays acquired. */
static int get_bufs(PyObject *args, int n, int extra, Py_buffer *b, const Py_ssize_t *isz,
                    const int *wr, const char *const *nm)
{
    if (PyTuple_GET_SIZE(args) != n + extra) {
        PyErr_Format(PyExc_TypeError, "expected %d arguments, got %zd", n + extra, PyTuple_GET_SIZE(args));
        return -1;
    }
    for (int k = 0; k < n; k++)
        if (get_buf(PyTuple_GET_ITEM(args, k), &b[k], isz[k], wr[k], nm[k]) < 0) {
            release(b, k);
            return -1;
        }
    return 0;
}

static Py_ssize_t nitems(const Py_buffer *b) { return b->len / b->itemsize; }

/* offsets must be non-decreasing and within the values: checked once, so loops need no checks */
static int check_offsets(const int64_t *off, Py_ssize_t n1, Py_ssize_t nvalues)
{
    if (n1 < 1) {
        PyErr_SetString(PyExc_ValueError, "offsets: need at least one entry");
        return -1;
    }
    if (off[0] < 0) {
        PyErr_Format(PyExc_ValueError, "offsets[0] = %lld is negative", (long long)off[0]);
        return -1;
    }
    for (Py_ssize_t i = 1; i < n1; i++)
        if (off[i] < off[i - 1]) {
            PyErr_Format(PyExc_ValueError, "offsets decrease at row %zd", i - 1);
            return -1;
        }
    if (off[n1 - 1] > nvalues) {
        PyErr_Format(PyExc_ValueError, "offsets end at %lld beyond %zd values", (long long)off[n1 - 1], nvalues);
        return -1;
    }
    return 0;
}

static int check_rows(const int64_t *rows, Py_ssize_t m, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < m; k++)
        if (rows[k] < 0 || rows[k] >= n) {
            PyErr_Format(PyExc_ValueError, "rows[%zd] = %lld outside 0..%zd", k, (long long)rows[k], n - 1);
            return -1;
        }
    return 0;
}

/* ---- membership in a small sorted ASN set ------------------------------ */

typedef struct {
    const uint32_t *m;
    Py_ssize_t n;
    uint64_t low[1024]; /* bitmap of the members' low 16 bits */
} Members;

static void members_init(Members *s, const uint32_t *m, Py_ssize_t n)
{
    s->m = m;
    s->n = n;
    memset(s->low, 0, sizeof(s->low));
    for (Py_ssize_t i = 0; i < n; i++) s->low[(m[i] & 0xFFFF) >> 6] |= 1ULL << (m[i] & 63);
}

static inline int member(const Members *s, uint32_t v)
{
    if (!(s->low[(v & 0xFFFF) >> 6] & (1ULL << (v & 63)))) return 0;
    Py_ssize_t lo = 0, hi = s->n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (s->m[mid] < v) lo = mid + 1; else hi = mid;
    }
    return lo < s->n && s->m[lo] == v;
}

static int check_sorted_u32(const uint32_t *m, Py_ssize_t n, const char *name)
{
    for (Py_ssize_t i = 1; i < n; i++)
        if (m[i] <= m[i - 1]) {
            PyErr_Format(PyExc_ValueError, "%s must be sorted and distinct", name);
            return -1;
        }
    return 0;
}

/* ---- normalize: collapse prepending, find loops ------------------------ */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int has_repeat(const uint32_t *p, int64_t L, uint32_t *tmp)
{
    if (L <= 32) {
        for (int64_t i = 1; i < L; i++)
            for (int64_t j = 0; j < i; j++)
                if (p[i] == p[j]) return 1;
        return 0;
    }
    memcpy(tmp, p, sizeof(uint32_t) * (size_t)L);
    qsort(tmp, (size_t)L, sizeof(uint32_t), cmp_u32);
    for (int64_t i = 1; i < L; i++)
        if (tmp[i] == tmp[i - 1]) return 1;
    return 0;
}

static PyObject *py_normalize(PyObject *self, PyObject *args)
{
    Py_buffer b[6];
    static const Py_ssize_t isz[6] = {4, 8, 8, 4, 8, 1};
    static const int wr[6] = {0, 0, 0, 1, 1, 1};
    static const char *const nm[6] = {"values", "offsets", "rows", "out_values", "out_offsets", "has_loop"};
    if (get_bufs(args, 6, 2, b, isz, wr, nm) < 0) return NULL;
    Py_ssize_t vstart = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 6));
    Py_ssize_t rstart = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 7));
    if (PyErr_Occurred()) { release(b, 6); return NULL; }
    const uint32_t *v = b[0].buf;
    const int64_t *off = b[1].buf, *rows = b[2].buf;
    uint32_t *ov = b[3].buf;
    int64_t *oo = b[4].buf;
    uint8_t *loop = b[5].buf;
    Py_ssize_t n = nitems(&b[1]) - 1, m = nitems(&b[2]), cap = nitems(&b[3]);
    if (check_offsets(off, n + 1, nitems(&b[0])) < 0 || check_rows(rows, m, n) < 0) { release(b, 6); return NULL; }
    if (rstart < 0 || rstart + m + 1 > nitems(&b[4]) || rstart + m > nitems(&b[5]) || vstart < 0) {
        PyErr_SetString(PyExc_ValueError, "normalize: output rows too short");
        release(b, 6);
        return NULL;
    }
    int64_t need = 0, maxlen = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        int64_t L = off[rows[i] + 1] - off[rows[i]];
        need += L;
        if (L > maxlen) maxlen = L;
    }
    if (vstart + need > cap) {
        PyErr_Format(PyExc_ValueError, "normalize: %lld output values needed, %zd available",
                     (long long)(vstart + need), cap);
        release(b, 6);
        return NULL;
    }
    uint32_t *tmp = malloc(sizeof(uint32_t) * (size_t)(maxlen > 0 ? maxlen : 1));
    if (!tmp) { release(b, 6); return PyErr_NoMemory(); }
    int64_t w = vstart;
    Py_BEGIN_ALLOW_THREADS
    oo[rstart] = w;
    for (Py_ssize_t i = 0; i < m; i++) {
        int64_t s = off[rows[i]], e = off[rows[i] + 1], w0 = w;
        for (int64_t j = s; j < e; j++)
            if (j == s || v[j] != v[j - 1]) ov[w++] = v[j];
        loop[rstart + i] = (uint8_t)has_repeat(ov + w0, w - w0, tmp);
        oo[rstart + i + 1] = w;
    }
    Py_END_ALLOW_THREADS
    free(tmp);
    release(b, 6);
    return PyLong_FromLongLong(w);
}

/* ---- hash_rows ---------------------------------------------------------- */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 30; x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27; x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

static PyObject *py_hash_rows(PyObject *self, PyObject *args)
{
    Py_buffer b[3];
    static const Py_ssize_t isz[3] = {4, 8, 8};
    static const int wr[3] = {0, 0, 1};
    static const char *const nm[3] = {"values", "offsets", "out"};
    if (get_bufs(args, 3, 0, b, isz, wr, nm) < 0) return NULL;
    const uint32_t *v = b[0].buf;
    const int64_t *off = b[1].buf;
    uint64_t *out = b[2].buf;
    Py_ssize_t n = nitems(&b[1]) - 1;
    if (check_offsets(off, n + 1, nitems(&b[0])) < 0) { release(b, 3); return NULL; }
    if (nitems(&b[2]) < n) {
        PyErr_SetString(PyExc_ValueError, "hash_rows: out too short");
        release(b, 3);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        uint64_t h = mix64((uint64_t)(off[r + 1] - off[r]) + 0x9E3779B97F4A7C15ULL);
        for (int64_t j = off[r]; j < off[r + 1]; j++) h = mix64(h ^ ((uint64_t)v[j] + 0x9E3779B97F4A7C15ULL));
        out[r] = h;
    }
    Py_END_ALLOW_THREADS
    release(b, 3);
    Py_RETURN_NONE;
}

/* ---- rows_with ------------------------------------------------------------ */

static PyObject *py_rows_with(PyObject *self, PyObject *args)
{
    PyObject *o[4];
    int mode;
    if (!PyArg_ParseTuple(args, "OOOiO", &o[0], &o[1], &o[2], &mode, &o[3])) return NULL;
    if (mode < 0 || mode > 2) {
        PyErr_Format(PyExc_ValueError, "rows_with: mode %d (0 any, 1 transit, 2 not last)", mode);
        return NULL;
    }
    Py_buffer b[4];
    static const Py_ssize_t isz[4] = {4, 8, 4, 1};
    static const int wr[4] = {0, 0, 0, 1};
    static const char *nm[4] = {"values", "offsets", "members", "out"};
    for (int k = 0; k < 4; k++)
        if (get_buf(o[k], &b[k], isz[k], wr[k], nm[k]) < 0) { release(b, k); return NULL; }
    const uint32_t *v = b[0].buf, *mem = b[2].buf;
    const int64_t *off = b[1].buf;
    uint8_t *out = b[3].buf;
    Py_ssize_t n = nitems(&b[1]) - 1;
    if (check_offsets(off, n + 1, nitems(&b[0])) < 0 || check_sorted_u32(mem, nitems(&b[2]), "members") < 0) {
        release(b, 4);
        return NULL;
    }
    if (nitems(&b[3]) < n) {
        PyErr_SetString(PyExc_ValueError, "rows_with: out too short");
        release(b, 4);
        return NULL;
    }
    Members *s = malloc(sizeof(Members));
    if (!s) { release(b, 4); return PyErr_NoMemory(); }
    members_init(s, mem, nitems(&b[2]));
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        int64_t a = off[r], e = off[r + 1];
        if (mode == 1) { a += 1; e -= 1; }
        else if (mode == 2) e -= 1;
        uint8_t hit = 0;
        for (int64_t j = a; j < e; j++)
            if (member(s, v[j])) { hit = 1; break; }
        out[r] = hit;
    }
    Py_END_ALLOW_THREADS
    free(s);
    release(b, 4);
    Py_RETURN_NONE;
}

/* ---- rows_with_all: the three kinds of rows_with in one pass ------------------------ */

static PyObject *py_rows_with_all(PyObject *self, PyObject *args)
{
    Py_buffer b[6];
    static const Py_ssize_t isz[6] = {4, 8, 4, 1, 1, 1};
    static const int wr[6] = {0, 0, 0, 1, 1, 1};
    static const char *const nm[6] = {"values", "offsets", "members", "out_any", "out_transit", "out_notlast"};
    if (get_bufs(args, 6, 0, b, isz, wr, nm) < 0) return NULL;
    const uint32_t *v = b[0].buf, *mem = b[2].buf;
    const int64_t *off = b[1].buf;
    uint8_t *oa = b[3].buf, *ot = b[4].buf, *on = b[5].buf;
    Py_ssize_t n = nitems(&b[1]) - 1;
    if (check_offsets(off, n + 1, nitems(&b[0])) < 0 || check_sorted_u32(mem, nitems(&b[2]), "members") < 0) {
        release(b, 6);
        return NULL;
    }
    if (nitems(&b[3]) < n || nitems(&b[4]) < n || nitems(&b[5]) < n) {
        PyErr_SetString(PyExc_ValueError, "rows_with_all: an output is too short");
        release(b, 6);
        return NULL;
    }
    Members *s = malloc(sizeof(Members));
    if (!s) { release(b, 6); return PyErr_NoMemory(); }
    members_init(s, mem, nitems(&b[2]));
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        int64_t a = off[r], e = off[r + 1];
        uint8_t any = 0, tr = 0, nl = 0;
        for (int64_t j = a; j < e; j++) {
            if (!member(s, v[j])) continue;
            any = 1;
            if (j + 1 < e) {
                nl = 1;
                if (j > a) { tr = 1; break; } /* all three known */
            }
        }
        oa[r] = any;
        ot[r] = tr;
        on[r] = nl;
    }
    Py_END_ALLOW_THREADS
    free(s);
    release(b, 6);
    Py_RETURN_NONE;
}

/* ---- first_link: the first hop i where (hop i, hop i + 1) is a listed link ---------- */

static PyObject *py_first_link(PyObject *self, PyObject *args)
{
    Py_buffer b[5];
    static const Py_ssize_t isz[5] = {4, 8, 1, 8, 4};
    static const int wr[5] = {0, 0, 0, 0, 1};
    static const char *const nm[5] = {"values", "offsets", "mask", "links", "out"};
    if (get_bufs(args, 5, 0, b, isz, wr, nm) < 0) return NULL;
    const uint32_t *v = b[0].buf;
    const int64_t *off = b[1].buf;
    const uint8_t *mask = b[2].buf;
    const uint64_t *links = b[3].buf;
    int32_t *out = b[4].buf;
    Py_ssize_t n = nitems(&b[1]) - 1, nl = nitems(&b[3]);
    if (check_offsets(off, n + 1, nitems(&b[0])) < 0) { release(b, 5); return NULL; }
    if (nitems(&b[2]) < n || nitems(&b[4]) < n) {
        PyErr_SetString(PyExc_ValueError, "first_link: mask or out too short");
        release(b, 5);
        return NULL;
    }
    for (Py_ssize_t i = 1; i < nl; i++)
        if (links[i] <= links[i - 1]) {
            PyErr_SetString(PyExc_ValueError, "links must be sorted and distinct");
            release(b, 5);
            return NULL;
        }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t r = 0; r < n; r++) {
        out[r] = -1;
        if (!mask[r]) continue;
        for (int64_t j = off[r]; j + 1 < off[r + 1]; j++) {
            uint64_t key = ((uint64_t)v[j] << 32) | v[j + 1];
            Py_ssize_t lo = 0, hi = nl;
            while (lo < hi) {
                Py_ssize_t mid = (lo + hi) / 2;
                if (links[mid] < key) lo = mid + 1; else hi = mid;
            }
            if (lo < nl && links[lo] == key) { out[r] = (int32_t)(j - off[r]); break; }
        }
    }
    Py_END_ALLOW_THREADS
    release(b, 5);
    Py_RETURN_NONE;
}

/* ---- emit_hops: (row, hop, distance to origin) from a start position, origin excluded ---- */

static PyObject *py_emit_hops(PyObject *self, PyObject *args)
{
    Py_buffer b[7];
    static const Py_ssize_t isz[7] = {4, 8, 8, 4, 8, 4, 4};
    static const int wr[7] = {0, 0, 0, 0, 1, 1, 1};
    static const char *const nm[7] = {"values", "offsets", "rows", "start", "out_row", "out_asn", "out_dist"};
    if (get_bufs(args, 7, 0, b, isz, wr, nm) < 0) return NULL;
    const uint32_t *v = b[0].buf;
    const int64_t *off = b[1].buf, *rows = b[2].buf;
    const int32_t *start = b[3].buf;
    int64_t *orow = b[4].buf;
    uint32_t *oasn = b[5].buf;
    int32_t *odist = b[6].buf;
    Py_ssize_t n = nitems(&b[1]) - 1, m = nitems(&b[2]);
    if (check_offsets(off, n + 1, nitems(&b[0])) < 0 || check_rows(rows, m, n) < 0) { release(b, 7); return NULL; }
    int bcast = nitems(&b[3]) == 1; /* one start for every row */
    if (!bcast && nitems(&b[3]) < m) {
        PyErr_SetString(PyExc_ValueError, "emit_hops: start shorter than rows");
        release(b, 7);
        return NULL;
    }
    Py_ssize_t cap = nitems(&b[4]);
    if (nitems(&b[5]) < cap || nitems(&b[6]) < cap) cap = nitems(&b[5]) < nitems(&b[6]) ? nitems(&b[5]) : nitems(&b[6]);
    int64_t need = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        int64_t L = off[rows[i] + 1] - off[rows[i]], s = start[bcast ? 0 : i];
        if (s < 0) s = 0;
        if (L - 1 > s) need += L - 1 - s;
    }
    if (need > cap) {
        PyErr_Format(PyExc_ValueError, "emit_hops: %lld hops, room for %zd", (long long)need, cap);
        release(b, 7);
        return NULL;
    }
    int64_t w = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < m; i++) {
        int64_t a = off[rows[i]], L = off[rows[i] + 1] - a, s = start[bcast ? 0 : i];
        if (s < 0) s = 0;
        for (int64_t p = s; p < L - 1; p++) {
            orow[w] = rows[i];
            oasn[w] = v[a + p];
            odist[w] = (int32_t)(L - 1 - p);
            w++;
        }
    }
    Py_END_ALLOW_THREADS
    release(b, 7);
    return PyLong_FromLongLong(w);
}

/* ---- adjacent: links of the rows with exactly one end in the member set ---------------- */

static PyObject *py_adjacent(PyObject *self, PyObject *args)
{
    Py_buffer b[7];
    static const Py_ssize_t isz[7] = {4, 8, 8, 4, 8, 4, 4};
    static const int wr[7] = {0, 0, 0, 0, 1, 1, 1};
    static const char *const nm[7] = {"values", "offsets", "rows", "members", "out_row", "out_member", "out_other"};
    if (get_bufs(args, 7, 0, b, isz, wr, nm) < 0) return NULL;
    const uint32_t *v = b[0].buf, *mem = b[3].buf;
    const int64_t *off = b[1].buf, *rows = b[2].buf;
    int64_t *orow = b[4].buf;
    uint32_t *omine = b[5].buf, *oother = b[6].buf;
    Py_ssize_t n = nitems(&b[1]) - 1, m = nitems(&b[2]);
    if (check_offsets(off, n + 1, nitems(&b[0])) < 0 || check_rows(rows, m, n) < 0
        || check_sorted_u32(mem, nitems(&b[3]), "members") < 0) {
        release(b, 7);
        return NULL;
    }
    Py_ssize_t cap = nitems(&b[4]);
    if (nitems(&b[5]) < cap) cap = nitems(&b[5]);
    if (nitems(&b[6]) < cap) cap = nitems(&b[6]);
    int64_t need = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        int64_t L = off[rows[i] + 1] - off[rows[i]];
        if (L > 1) need += L - 1;
    }
    if (need > cap) {
        PyErr_Format(PyExc_ValueError, "adjacent: room for %zd links, up to %lld needed", cap, (long long)need);
        release(b, 7);
        return NULL;
    }
    Members *s = malloc(sizeof(Members));
    if (!s) { release(b, 7); return PyErr_NoMemory(); }
    members_init(s, mem, nitems(&b[3]));
    int64_t w = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < m; i++) {
        int64_t a = off[rows[i]], e = off[rows[i] + 1];
        for (int64_t j = a; j + 1 < e; j++) {
            int x = member(s, v[j]), y = member(s, v[j + 1]);
            if (x == y) continue;
            orow[w] = rows[i];
            omine[w] = x ? v[j] : v[j + 1];
            oother[w] = x ? v[j + 1] : v[j];
            w++;
        }
    }
    Py_END_ALLOW_THREADS
    free(s);
    release(b, 7);
    return PyLong_FromLongLong(w);
}

/* ---- flatten: nested ranges -> disjoint pieces, the innermost (latest) wins ------------- */

typedef __int128 i128;

typedef struct {
    uint64_t end;
    int64_t code;
} Open;

static PyObject *py_flatten(PyObject *self, PyObject *args)
{
    Py_buffer b[6];
    static const Py_ssize_t isz[6] = {8, 8, 8, 8, 8, 8};
    static const int wr[6] = {0, 0, 0, 1, 1, 1};
    static const char *const nm[6] = {"starts", "ends", "codes", "out_starts", "out_ends", "out_codes"};
    if (get_bufs(args, 6, 0, b, isz, wr, nm) < 0) return NULL;
    const uint64_t *s = b[0].buf, *e = b[1].buf;
    const int64_t *c = b[2].buf;
    uint64_t *os = b[3].buf, *oe = b[4].buf;
    int64_t *oc = b[5].buf;
    Py_ssize_t n = nitems(&b[0]);
    if (nitems(&b[1]) != n || nitems(&b[2]) != n) {
        PyErr_SetString(PyExc_ValueError, "flatten: starts, ends and codes differ in length");
        release(b, 6);
        return NULL;
    }
    for (Py_ssize_t i = 1; i < n; i++)
        if (s[i] < s[i - 1]) {
            PyErr_Format(PyExc_ValueError, "flatten: starts not sorted at %zd", i);
            release(b, 6);
            return NULL;
        }
    Py_ssize_t cap = nitems(&b[3]);
    if (nitems(&b[4]) < cap) cap = nitems(&b[4]);
    if (nitems(&b[5]) < cap) cap = nitems(&b[5]);
    if (cap < 2 * n + 1) {
        PyErr_Format(PyExc_ValueError, "flatten: room for %zd pieces, up to %zd possible", cap, 2 * n + 1);
        release(b, 6);
        return NULL;
    }
    Open *stack = malloc(sizeof(Open) * (size_t)(n > 0 ? n : 1));
    if (!stack) { release(b, 6); return PyErr_NoMemory(); }
    Py_ssize_t top = 0, w = 0;
    i128 pos = 0; /* 128 bits: an end of 2**64 - 1 plus one must not wrap */
#define EMIT(A, B, C) do { i128 a_ = (A), b_ = (B); \
        if (a_ <= b_) { os[w] = (uint64_t)a_; oe[w] = (uint64_t)b_; oc[w] = (C); w++; } } while (0)
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < n; i++) {
        while (top > 0 && stack[top - 1].end < s[i]) {
            Open t = stack[--top];
            EMIT(pos, (i128)t.end, t.code);
            if ((i128)t.end + 1 > pos) pos = (i128)t.end + 1;
        }
        if (top > 0) EMIT(pos, (i128)s[i] - 1, stack[top - 1].code);
        stack[top].end = e[i];
        stack[top].code = c[i];
        top++;
        pos = s[i];
    }
    while (top > 0) {
        Open t = stack[--top];
        EMIT(pos, (i128)t.end, t.code);
        if ((i128)t.end + 1 > pos) pos = (i128)t.end + 1;
    }
    Py_END_ALLOW_THREADS
#undef EMIT
    free(stack);
    release(b, 6);
    return PyLong_FromSsize_t(w);
}

static PyMethodDef methods[] = {
    {"normalize", py_normalize, METH_VARARGS,
     "normalize(values u32, offsets i64, rows i64, out_values u32, out_offsets i64, has_loop u8, "
     "vstart, rstart) -> end of the written values\n"
     "Copy the selected rows with prepending collapsed; has_loop: an AS repeats after that."},
    {"hash_rows", py_hash_rows, METH_VARARGS,
     "hash_rows(values u32, offsets i64, out u64)\nA 64-bit hash of every row's AS path."},
    {"rows_with", py_rows_with, METH_VARARGS,
     "rows_with(values u32, offsets i64, members u32 sorted, mode, out u8)\n"
     "Per row: a member is on the path; mode 0 any hop, 1 neither first nor last, 2 not last."},
    {"rows_with_all", py_rows_with_all, METH_VARARGS,
     "rows_with_all(values u32, offsets i64, members u32 sorted, out_any u8, out_transit u8, out_notlast u8)\n"
     "The three kinds of rows_with in one pass."},
    {"first_link", py_first_link, METH_VARARGS,
     "first_link(values u32, offsets i64, mask u8, links u64 sorted, out i32)\n"
     "Per masked row: position of the first hop i with (hop i << 32 | hop i+1) in links, else -1."},
    {"emit_hops", py_emit_hops, METH_VARARGS,
     "emit_hops(values, offsets, rows i64, start i32 (per row, or one for all), out_row i64, out_asn u32, "
     "out_dist i32) -> count\nHops of each row from start to the one before the origin, with their distance to the origin."},
    {"adjacent", py_adjacent, METH_VARARGS,
     "adjacent(values, offsets, rows i64, members u32 sorted, out_row i64, out_member u32, "
     "out_other u32) -> count\nLinks of the rows with exactly one end in members."},
    {"flatten", py_flatten, METH_VARARGS,
     "flatten(starts u64, ends u64, codes i64, out_starts u64, out_ends u64, out_codes i64) -> count\n"
     "Ranges sorted by start (longest first among equal starts) -> disjoint pieces, innermost wins."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "_pathcore",
                                    "Per-row loops over flat AS-path arrays (see _pathcore.c).", -1, methods};

PyMODINIT_FUNC PyInit__pathcore(void) { return PyModule_Create(&moddef); }
