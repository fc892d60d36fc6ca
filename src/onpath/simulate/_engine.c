/* onpath.simulate._engine: the BGP propagation core.
 *
 * Graph: n ASes indexed 0..n-1 in ascending ASN order (so "lowest next-hop ASN"
 * is "lowest next-hop index").  Three CSR adjacency lists per AS: its customers,
 * its peers, its providers (indptr int64, idx int32).  Each list may carry an
 * "attr" array aligned with idx (int16): for the entry Y in X's list, attr is the
 * number of extra copies of Y's ASN that Y prepends when it exports to X (>= 0),
 * or -1 when Y does not export to X at all (removed link, selective export).
 *
 * propagate() is BGPy's three-phase Gao-Rexford propagation, computed exactly:
 *   1. up: ASes in ascending propagation rank take the best origin/customer route
 *      offered by their customers;
 *   2. across: ASes without a route take the best origin/customer route offered
 *      by their peers (one pass: peer routes are not re-exported to peers);
 *   3. down: ASes in descending rank without a route take the best route of any
 *      kind offered by their providers.
 * Within a phase, offers compare by path length (counting prepended copies),
 * then by next-hop index.  Loops cannot arise in these phases (an AS on the
 * path of a neighbour already holds a route of a class it prefers), so no loop
 * check is needed; the iterative core (_engine_part_iter.c) checks explicitly.
 *
 * Import filters (both optional): ROV - an AS refuses a route whose origin slot
 * is bad under a ROV group it enforces (imp_rov[X] & org_bad[slot], 8 groups); path rejection - an AS
 * refuses a route whose path holds an AS of a group it enforces
 * (thru[Y] & enforce[X]), where thru accumulates avoid[] bits along the path.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include "_engine_core.h"

/* ---- propagation ranks ------------------------------------------------ */

static PyObject *py_ranks(PyObject *self, PyObject *args)
{
    PyObject *o_cptr, *o_cidx, *o_pptr, *o_pidx, *o_rank;
    if (!PyArg_ParseTuple(args, "OOOOO", &o_cptr, &o_cidx, &o_pptr, &o_pidx, &o_rank))
        return NULL;
    Py_buffer b[5];
    memset(b, 0, sizeof(b));
    if (eng_get_buf(o_cptr, &b[0], 8, 0, "cust_ptr", 0) < 0 ||
        eng_get_buf(o_cidx, &b[1], 4, 0, "cust_idx", 0) < 0 ||
        eng_get_buf(o_pptr, &b[2], 8, 0, "prov_ptr", 0) < 0 ||
        eng_get_buf(o_pidx, &b[3], 4, 0, "prov_idx", 0) < 0 ||
        eng_get_buf(o_rank, &b[4], 4, 1, "rank", 0) < 0) {
        eng_release(b, 5);
        return NULL;
    }
    const int64_t *cptr = b[0].buf, *pptr = b[2].buf;
    const int32_t *pidx = b[3].buf;
    int32_t *rank = b[4].buf;
    Py_ssize_t n = b[4].len / 4;
    int32_t *left = malloc(sizeof(int32_t) * (n ? n : 1));
    int32_t *queue = malloc(sizeof(int32_t) * (n ? n : 1));
    if (!left || !queue) {
        free(left);
        free(queue);
        eng_release(b, 5);
        return PyErr_NoMemory();
    }
    Py_ssize_t head = 0, tail = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        left[i] = (int32_t)(cptr[i + 1] - cptr[i]);
        rank[i] = 0;
        if (left[i] == 0) queue[tail++] = (int32_t)i;
    }
    while (head < tail) {
        int32_t x = queue[head++];
        for (int64_t e = pptr[x]; e < pptr[x + 1]; e++) {
            int32_t p = pidx[e];
            if (rank[p] < rank[x] + 1) rank[p] = rank[x] + 1;
            if (--left[p] == 0) queue[tail++] = p;
        }
    }
    free(left);
    free(queue);
    eng_release(b, 5);
    /* number of ASes ranked; fewer than n means a provider-customer cycle */
    return PyLong_FromSsize_t(tail);
}

/* ---- three-phase propagation ----------------------------------------- */

static int accept(const Filt *f, int32_t x, int32_t y, const int32_t *org, const uint8_t *thru)
{
    if (f->imp_rov && (f->imp_rov[x] & f->org_bad[org[y]])) return 0;
    if (f->enforce && (thru[y] & f->enforce[x])) return 0;
    return 1;
}

static void take(State *s, const Filt *f, int32_t x, int32_t y, int8_t cls, int32_t len, int16_t a)
{
    s->nh[x] = y;
    s->cls[x] = cls;
    s->len[x] = len;
    if (s->pre) s->pre[x] = a;
    s->org[x] = s->org[y];
    s->thru[x] = (uint8_t)((f->avoid ? f->avoid[x] : 0) | s->thru[y]);
}

/* best offer to x from list (ptr, idx, attr) among neighbours whose class is
 * in [cmin, cmax]; returns 1 and fills (by, bl, ba) when there is one */
static int best_offer(const State *s, const Filt *f, int32_t x, const int64_t *ptr,
                      const int32_t *idx, const int16_t *attr, int8_t cmax,
                      int32_t *by, int32_t *bl, int16_t *ba)
{
    int found = 0;
    int32_t bestl = 0, besty = 0;
    int16_t besta = 0;
    for (int64_t e = ptr[x]; e < ptr[x + 1]; e++) {
        int32_t y = idx[e];
        int8_t c = s->cls[y];
        if (c < 0 || c > cmax) continue;
        int16_t a = attr ? attr[e] : 0;
        if (a < 0) continue;
        if (!accept(f, x, y, s->org, s->thru)) continue;
        int32_t l = s->len[y] + 1 + a;
        if (!found || l < bestl || (l == bestl && y < besty)) {
            found = 1;
            bestl = l;
            besty = y;
            besta = a;
        }
    }
    if (found) {
        *by = besty;
        *bl = bestl;
        *ba = besta;
    }
    return found;
}

void eng_phases(State *s, const Graph *g, const Filt *f)
{
    int32_t y, l;
    int16_t a;
    /* 1. up: origin/customer routes from customers, ascending rank */
    for (Py_ssize_t i = 0; i < g->n; i++) {
        int32_t x = g->order[i];
        if (s->cls[x] == 0) continue;
        if (best_offer(s, f, x, g->cptr, g->cidx, g->cattr, 1, &y, &l, &a))
            take(s, f, x, y, 1, l, a);
    }
    /* 2. across: ASes without a route take the best origin/customer route of a peer.
     * Pushed from the ASes that hold such a route (few: the origin's provider cone)
     * rather than pulled by every AS.  eattr_push[e] is the attr of the export by the
     * owner of entry e to the neighbour it names (the mirror of eattr). */
    Py_ssize_t nup = 0;
    for (Py_ssize_t x = 0; x < g->n; x++)
        if (s->cls[x] == 0 || s->cls[x] == 1) s->up[nup++] = (int32_t)x;
    for (Py_ssize_t k = 0; k < nup; k++) {
        int32_t yy = s->up[k];
        for (int64_t e = g->eptr[yy]; e < g->eptr[yy + 1]; e++) {
            int32_t x = g->eidx[e];
            int8_t c = s->cls[x];
            if (c >= 0 && c != 2) continue;
            a = g->eattr_push ? g->eattr_push[e] : 0;
            if (a < 0) continue;
            if (!accept(f, x, yy, s->org, s->thru)) continue;
            l = s->len[yy] + 1 + a;
            if (c == 2 && (l > s->len[x] || (l == s->len[x] && yy > s->nh[x]))) continue;
            take(s, f, x, yy, 2, l, a);
        }
    }
    /* 3. down: any route from providers, descending rank */
    for (Py_ssize_t i = g->n - 1; i >= 0; i--) {
        int32_t x = g->order[i];
        if (s->cls[x] >= 0) continue;
        if (best_offer(s, f, x, g->pptr, g->pidx, g->pattr, 3, &y, &l, &a))
            take(s, f, x, y, 3, l, a);
    }
}

static PyObject *py_propagate(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != NARGS) {
        PyErr_SetString(PyExc_TypeError, "propagate() takes 21 arguments");
        return NULL;
    }
    Py_buffer b[NARGS];
    Graph g;
    Filt f;
    State s;
    int32_t *origins;
    Py_ssize_t norig;
    int nb = eng_parse(args, b, &g, &f, &s, &origins, &norig);
    if (nb < 0) return NULL;
    s.thru = malloc(g.n ? g.n : 1);
    s.up = malloc(sizeof(int32_t) * (g.n ? g.n : 1));
    if (!s.thru || !s.up) {
        free(s.thru);
        free(s.up);
        eng_release(b, nb);
        return PyErr_NoMemory();
    }
    int rc = eng_seed(&s, &g, &f, origins, norig);
    if (rc == 0) {
        Py_BEGIN_ALLOW_THREADS
        eng_phases(&s, &g, &f);
        Py_END_ALLOW_THREADS
    }
    free(s.thru);
    free(s.up);
    eng_release(b, nb);
    if (rc < 0) return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"ranks", py_ranks, METH_VARARGS,
     "ranks(cust_ptr, cust_idx, prov_ptr, prov_idx, out_rank) -> number ranked\n"
     "Propagation rank (longest customer chain below each AS); fewer than n ranked "
     "means a provider-customer cycle."},
    {"propagate", (PyCFunction)(void (*)(void))py_propagate, METH_FASTCALL,
     "propagate(order, cust_ptr, cust_idx, cust_attr, peer_ptr, peer_idx, peer_attr, "
     "prov_ptr, prov_idx, prov_attr, origins, imp_rov, org_bad, avoid, enforce, "
     "out_nh, out_cls, out_len, out_pre, out_org, peer_attr_push)\nThree-phase Gao-Rexford propagation."},
    {"iterate", (PyCFunction)(void (*)(void))eng_py_iterate, METH_FASTCALL,
     "iterate(<propagate's 21 arguments>, sib_ptr, sib_idx, sib_attr, prefer_peer, max_steps) "
     "-> steps\nGeneral path-vector fixpoint (siblings, peer-over-customer overrides)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "_engine",
                                    "BGP propagation core (see _engine.c).", -1, methods};

PyMODINIT_FUNC PyInit__engine(void) { return PyModule_Create(&moddef); }
