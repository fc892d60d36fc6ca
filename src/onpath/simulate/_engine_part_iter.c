/* The general path-vector fixpoint of onpath.simulate._engine.
 *
 * Used when the three phases do not hold: sibling links (a sibling route is
 * preferred like a customer route and exported to everyone) and ASes that prefer
 * peer routes over customer routes.  A FIFO worklist of ASes to re-decide; an AS
 * re-decides over every neighbour's current offer and, when its route (next hop,
 * class, length, prepends) or the path behind its next hop changed, queues all its
 * neighbours.  Offers are checked against the current path of the neighbour
 * (walking next hops): loops, ROV (origin at the root) and path rejection.  The
 * next-hop graph stays a forest at every step.  When the queue empties every AS
 * holds its best offer given its neighbours: a stable state.  Where several
 * stable states exist (BGP wedgies), the one reached is the one this order
 * reaches; warm=1 starts from the three-phase result (re-deciding first the ASes
 * with siblings or a peer preference), warm=0 from the origins alone.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "_engine_core.h"

typedef struct {
    const int64_t *ptr;
    const int32_t *idx;
    const int16_t *attr;
    int8_t recv;      /* class of a route learned over this list */
} List;

/* walk y's path: 0 when x is on it (or the state is broken), else 1 with the
 * path's group bits and origin slot */
static int walk(const State *s, const Filt *f, Py_ssize_t n, int32_t x, int32_t y,
                uint8_t *bits, int32_t *root)
{
    uint8_t acc = 0;
    Py_ssize_t steps = 0;
    for (;;) {
        if (y == x) return 0;
        if (f->avoid) acc |= f->avoid[y];
        if (s->nh[y] == y) break;
        y = s->nh[y];
        if (y < 0 || ++steps > n) return 0;
    }
    *bits = acc;
    *root = y;
    return 1;
}

static int pref(int8_t cls, int prefer_peer)
{
    switch (cls) {
    case 0: return 0;
    case 1: case 4: return prefer_peer ? 2 : 1;
    case 2: return prefer_peer ? 1 : 2;
    default: return 3;
    }
}

/* does y export its route (class c) to a neighbour over list kind `recv`
 * (the class the receiver gives it)? customers/siblings get everything;
 * providers and peers only origin, customer and sibling routes. */
static int exports(int8_t c, int8_t recv)
{
    if (c < 0) return 0;
    if (recv == 3 || recv == 4) return 1;
    return c == 0 || c == 1 || c == 4;
}

PyObject *eng_py_iterate(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != NARGS + 6) {
        PyErr_SetString(PyExc_TypeError, "iterate() takes 27 arguments");
        return NULL;
    }
    Py_buffer b[NARGS + 4];
    memset(b, 0, sizeof(b));
    Graph g;
    Filt f;
    State s;
    int32_t *origins;
    Py_ssize_t norig;
    if (eng_parse(args, b, &g, &f, &s, &origins, &norig) < 0) return NULL;
    if (eng_get_buf(args[NARGS], &b[NARGS], 8, 0, "sib_ptr", 1) < 0 ||
        eng_get_buf(args[NARGS + 1], &b[NARGS + 1], 4, 0, "sib_idx", 1) < 0 ||
        eng_get_buf(args[NARGS + 2], &b[NARGS + 2], 2, 0, "sib_attr", 1) < 0 ||
        eng_get_buf(args[NARGS + 3], &b[NARGS + 3], 1, 0, "prefer_peer", 1) < 0) {
        eng_release(b, NARGS + 4);
        return NULL;
    }
    long long max_steps = PyLong_AsLongLong(args[NARGS + 4]);
    int warm = PyObject_IsTrue(args[NARGS + 5]);
    if ((max_steps == -1 && PyErr_Occurred()) || warm < 0) {
        eng_release(b, NARGS + 4);
        return NULL;
    }
    const uint8_t *prefer = b[NARGS + 3].buf;
    Py_ssize_t n = g.n;
    if ((b[NARGS].buf && b[NARGS].len / 8 != n + 1) || (prefer && b[NARGS + 3].len != n)) {
        PyErr_SetString(PyExc_ValueError, "sibling/prefer_peer arrays disagree with the number of ASes");
        eng_release(b, NARGS + 4);
        return NULL;
    }
    List lists[4] = {
        {g.cptr, g.cidx, g.cattr, 1},
        {g.eptr, g.eidx, g.eattr, 2},
        {g.pptr, g.pidx, g.pattr, 3},
        {b[NARGS].buf, b[NARGS + 1].buf, b[NARGS + 2].buf, 4},
    };
    int nlists = b[NARGS].buf ? 4 : 3;
    size_t m = (size_t)(n ? n : 1);
    s.thru = calloc(m, 1);
    s.up = malloc(m * 4);
    uint32_t *ver = calloc(m, 4), *seen = calloc(m, 4);
    int32_t *queue = malloc(m * 4);
    uint8_t *inq = calloc(m, 1);
    if (!s.thru || !s.up || !ver || !seen || !queue || !inq) {
        free(s.thru); free(s.up); free(ver); free(seen); free(queue); free(inq);
        eng_release(b, NARGS + 4);
        return PyErr_NoMemory();
    }
    long long steps = 0;
    int rc = eng_seed(&s, &g, &f, origins, norig);
    if (rc == 0) {
        Py_BEGIN_ALLOW_THREADS
        Py_ssize_t head = 0, count = 0;
#define PUSH(v) do { if (!inq[v]) { inq[v] = 1; queue[(head + count) % n] = (v); count++; } } while (0)
        if (warm) {
            /* the phases' result is already stable wherever plain Gao-Rexford holds:
             * re-decide only the ASes with siblings or a peer preference; changes
             * spread from there */
            eng_phases(&s, &g, &f);
            for (Py_ssize_t x = 0; x < n; x++)
                if ((prefer && prefer[x]) || (nlists == 4 && lists[3].ptr[x + 1] > lists[3].ptr[x]))
                    PUSH((int32_t)x);
        } else {
            for (Py_ssize_t k = 0; k < norig; k++) {
                int32_t o = origins[k];
                for (int li = 0; li < nlists; li++)
                    for (int64_t e = lists[li].ptr[o]; e < lists[li].ptr[o + 1]; e++)
                        PUSH(lists[li].idx[e]);
            }
        }
        while (count > 0) {
            int32_t x = queue[head];
            head = (head + 1) % n;
            count--;
            inq[x] = 0;
            if (++steps > max_steps) { rc = -2; break; }
            if (s.cls[x] == 0) continue;
            int pp = prefer ? prefer[x] : 0;
            int found = 0, bp = 0;
            int32_t by = -1, bl = 0, broot = -1;
            int8_t bc = -1;
            int16_t ba = 0;
            uint8_t bbits = 0;
            for (int li = 0; li < nlists; li++) {
                const List *L = &lists[li];
                for (int64_t e = L->ptr[x]; e < L->ptr[x + 1]; e++) {
                    int32_t y = L->idx[e];
                    if (!exports(s.cls[y], L->recv)) continue;
                    int16_t a = L->attr ? L->attr[e] : 0;
                    if (a < 0) continue;
                    int p = pref(L->recv, pp);
                    int32_t l = s.len[y] + 1 + a;
                    if (found && (p > bp || (p == bp && (l > bl || (l == bl && y > by))))) continue;
                    uint8_t bits;
                    int32_t root;
                    if (!walk(&s, &f, n, x, y, &bits, &root)) continue;
                    if (f.imp_rov && (f.imp_rov[x] & f.org_bad[s.org[root]])) continue;
                    if (f.enforce && (bits & f.enforce[x])) continue;
                    found = 1; bp = p; by = y; bl = l; bc = L->recv; ba = a;
                    bbits = bits; broot = root;
                }
            }
            int changed;
            if (!found) {
                changed = s.cls[x] >= 0;
                s.nh[x] = -1; s.cls[x] = -1; s.len[x] = 0; s.org[x] = -1; s.thru[x] = 0;
                if (s.pre) s.pre[x] = 0;
            } else {
                changed = s.nh[x] != by || s.cls[x] != bc || s.len[x] != bl ||
                          (s.pre && s.pre[x] != ba) || seen[x] != ver[by];
                s.nh[x] = by; s.cls[x] = bc; s.len[x] = bl; s.org[x] = s.org[broot];
                s.thru[x] = (uint8_t)((f.avoid ? f.avoid[x] : 0) | bbits);
                if (s.pre) s.pre[x] = ba;
                seen[x] = ver[by];
            }
            if (changed) {
                ver[x]++;
                for (int li = 0; li < nlists; li++)
                    for (int64_t e = lists[li].ptr[x]; e < lists[li].ptr[x + 1]; e++)
                        PUSH(lists[li].idx[e]);
            }
        }
#undef PUSH
        Py_END_ALLOW_THREADS
    }
    free(s.thru); free(s.up); free(ver); free(seen); free(queue); free(inq);
    eng_release(b, NARGS + 4);
    if (rc == -1) return NULL;
    if (rc == -2) return PyLong_FromLong(-1);
    return PyLong_FromLongLong(steps);
}
