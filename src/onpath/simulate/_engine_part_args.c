/* Argument handling of onpath.simulate._engine: buffers, the shared argument block, seeding. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include "_engine_core.h"

/* ---- buffer helpers -------------------------------------------------- */

int eng_get_buf(PyObject *o, Py_buffer *b, Py_ssize_t itemsize, int writable,
                const char *name, int optional)
{
    memset(b, 0, sizeof(*b));
    if (o == Py_None) {
        if (optional) return 0;
        PyErr_Format(PyExc_TypeError, "%s must not be None", name);
        return -1;
    }
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT;
    if (writable) flags |= PyBUF_WRITABLE;
    if (PyObject_GetBuffer(o, b, flags) < 0) return -1;
    if (b->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: item size %zd, expected %zd", name,
                     b->itemsize, itemsize);
        PyBuffer_Release(b);
        b->obj = NULL;
        return -1;
    }
    return 0;
}

void eng_release(Py_buffer *bufs, int k)
{
    for (int i = 0; i < k; i++)
        if (bufs[i].obj) PyBuffer_Release(&bufs[i]);
}

/* Parse the common argument block shared by propagate() and iterate().
 * Layout (all positional):
 *   order, cptr, cidx, cattr, eptr, eidx, eattr, pptr, pidx, pattr,
 *   origins, imp_rov, org_bad, avoid, enforce,
 *   out_nh, out_cls, out_len, out_pre, out_org, peer_attr_push
 * Returns the number of buffers acquired in b (to release), or -1 on error. */
int eng_parse(PyObject *const *o, Py_buffer *b, Graph *g, Filt *f, State *s,
              int32_t **origins, Py_ssize_t *norig)
{
    static const char *names[21] = {"order", "cust_ptr", "cust_idx", "cust_attr",
        "peer_ptr", "peer_idx", "peer_attr", "prov_ptr", "prov_idx", "prov_attr",
        "origins", "imp_rov", "org_bad", "avoid", "enforce",
        "out_nh", "out_cls", "out_len", "out_pre", "out_org", "peer_attr_push"};
    static const Py_ssize_t sizes[21] = {4, 8, 4, 2, 8, 4, 2, 8, 4, 2, 4, 1, 1, 1, 1, 4, 1, 4, 2, 4, 2};
    static const int optional[21] = {0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1};
    static const int writable[21] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0};
    memset(b, 0, sizeof(Py_buffer) * NARGS);
    for (int i = 0; i < NARGS; i++) {
        if (eng_get_buf(o[i], &b[i], sizes[i], writable[i], names[i], optional[i]) < 0) {
            eng_release(b, NARGS);
            return -1;
        }
    }
    g->n = b[15].len / 4;
    g->order = b[0].buf;
    g->cptr = b[1].buf; g->cidx = b[2].buf; g->cattr = b[3].buf;
    g->eptr = b[4].buf; g->eidx = b[5].buf; g->eattr = b[6].buf;
    g->pptr = b[7].buf; g->pidx = b[8].buf; g->pattr = b[9].buf;
    *origins = b[10].buf;
    *norig = b[10].len / 4;
    f->imp_rov = b[11].buf; f->org_bad = b[12].buf;
    f->avoid = b[13].buf; f->enforce = b[14].buf;
    s->nh = b[15].buf; s->cls = b[16].buf; s->len = b[17].buf;
    s->pre = b[18].buf; s->org = b[19].buf;
    if (b[0].len / 4 != g->n || b[1].len / 8 != g->n + 1 || b[4].len / 8 != g->n + 1 ||
        b[7].len / 8 != g->n + 1 || b[16].len != g->n || b[17].len / 4 != g->n ||
        b[19].len / 4 != g->n || (s->pre && b[18].len / 2 != g->n)) {
        PyErr_SetString(PyExc_ValueError, "array sizes disagree with the number of ASes");
        eng_release(b, NARGS);
        return -1;
    }
    if (f->imp_rov && (!f->org_bad || b[11].len != g->n || b[12].len < *norig)) {
        PyErr_SetString(PyExc_ValueError, "imp_rov needs org_bad (one flag per origin)");
        eng_release(b, NARGS);
        return -1;
    }
    if ((f->avoid && b[13].len != g->n) || (f->enforce && b[14].len != g->n)) {
        PyErr_SetString(PyExc_ValueError, "avoid/enforce need one byte per AS");
        eng_release(b, NARGS);
        return -1;
    }
    g->eattr_push = b[20].buf;
    if ((g->eattr != NULL) != (g->eattr_push != NULL)) {
        PyErr_SetString(PyExc_ValueError, "peer_attr and peer_attr_push go together");
        eng_release(b, NARGS);
        return -1;
    }
    return NARGS;
}

/* seed the origins; returns -1 (exception set) on a bad origin */
int eng_seed(State *s, const Graph *g, const Filt *f, const int32_t *origins, Py_ssize_t norig)
{
    for (Py_ssize_t i = 0; i < g->n; i++) {
        s->nh[i] = -1;
        s->cls[i] = -1;
        s->len[i] = 0;
        s->org[i] = -1;
        s->thru[i] = 0;
        if (s->pre) s->pre[i] = 0;
    }
    for (Py_ssize_t k = 0; k < norig; k++) {
        int32_t o = origins[k];
        if (o < 0 || o >= g->n) {
            PyErr_Format(PyExc_ValueError, "origin index %d out of range", (int)o);
            return -1;
        }
        if (s->cls[o] == 0) continue; /* duplicate origin: first slot wins */
        s->nh[o] = o;
        s->cls[o] = 0;
        s->len[o] = 1;
        s->org[o] = (int32_t)k;
        s->thru[o] = f->avoid ? f->avoid[o] : 0;
    }
    return 0;
}

