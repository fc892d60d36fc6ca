/* onpath.ingest.mrt._mrtcore: the MRT decoder as a Python type.
 *
 * Core(text=False, large=False, unknown=False, change=False)
 *   feed(chunk) -> bytes      decompressed bytes in; bgpdump -m text out (b"" in column mode)
 *   finish() -> bytes         end of input: a partial record left over is reported
 *   take_columns() -> dict    column buffers of the `routes` rows decoded so far (then cleared)
 *   take_events() -> list     (mrt_type, ts_us, peer_ip, peer_asn, old, new, offset) state changes
 *   take_errors() -> list     (offset, reason, raw bytes) of damaged records
 *   records, entries, skipped counters
 *
 * Framing: a record is decoded only when its header is sane and the header after it is sane too
 * (or the input ends right there). Otherwise the record is reported as damaged and the decoder
 * scans forward byte by byte for the next offset where two consecutive sane headers start.
 */
#include "_mrtcore.h"
#include <structmember.h>

#define MAX_RAW 65536
#define MAX_LEN (16u << 20)

typedef struct { uint32_t ts; int type, subtype; uint32_t len; int hl; uint32_t usec; } hdr_t;

static int read_hdr(const uint8_t *p, size_t avail, hdr_t *h) {   /* 1 ok, 0 need more */
    if (avail < 12) return 0;
    h->ts = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    h->type = (p[4] << 8) | p[5]; h->subtype = (p[6] << 8) | p[7];
    h->len = ((uint32_t)p[8] << 24) | ((uint32_t)p[9] << 16) | ((uint32_t)p[10] << 8) | p[11];
    h->hl = 12; h->usec = 0;
    if (h->type == 17) {
        if (avail < 16) return 0;
        h->usec = ((uint32_t)p[12] << 24) | ((uint32_t)p[13] << 16) | ((uint32_t)p[14] << 8) | p[15];
        h->hl = 16;
    }
    return 1;
}

/* plausible MRT header: a known type/subtype and a length that fits it */
static int sane(const hdr_t *h) {
    uint32_t L = h->len;
    switch (h->type) {
    case 5: return h->subtype <= 7 && L >= 4 && L <= 70000;
    case 12: return h->subtype >= 1 && h->subtype <= 4 && L >= 22 && L <= 70000;
    case 13: return h->subtype >= 1 && h->subtype <= 12 && L >= 4 && L <= MAX_LEN;
    case 16: return h->subtype <= 11 && L >= 8 && L <= 70000;
    case 17: return h->subtype <= 11 && L >= 12 && L <= 70004 && h->usec < 1000000;
    case 0: case 1: case 2: case 3: case 4: case 6: case 7: case 8: case 9: case 10: case 11:
    case 32: case 33: case 48: case 49: return L <= 70000;
    default: return 0;
    }
}

static int add_error(Core *c, int64_t off, const char *why, const uint8_t *raw, size_t n) {
    if (n > MAX_RAW) n = MAX_RAW;
    PyObject *t = Py_BuildValue("(Lsy#)", (long long)off, why, (const char *)raw, (Py_ssize_t)n);
    if (!t) return -1;
    int rc = PyList_Append(c->errors, t);
    Py_DECREF(t);
    return rc;
}

/* Where the record at p really ends (header included); 0 when the record cannot be measured. */
static size_t span(const uint8_t *p, size_t avail, const hdr_t *h) {
    size_t body = h->type == 17 ? h->len - 4 : h->len;
    if (h->type == 12 && avail >= (size_t)h->hl + 4) {
        size_t u = td1_measure(p + h->hl, body, avail - h->hl, h->subtype);
        if (u > body) {   /* packed form: accept it only if a sane header follows */
            hdr_t n;
            if (h->hl + u == avail) return h->hl + u;
            if (read_hdr(p + h->hl + u, avail - h->hl - u, &n) && sane(&n)) return h->hl + u;
        }
    }
    return h->hl + body;
}

/* 1: a record starts at p and the next one follows sanely; 0: no; -1: need more data */
static int good_at(Core *c, size_t p, int eof, size_t *len_out) {
    size_t avail = c->in.n - p;
    hdr_t h, n;
    if (!read_hdr((uint8_t *)c->in.p + p, avail, &h)) return eof ? 0 : -1;
    if (!sane(&h)) return 0;
    size_t body = h.type == 17 ? h.len - 4 : h.len;
    size_t need = h.hl + body + (h.type == 12 ? 70016 : 16);
    if (avail < need && !eof) return -1;
    size_t s = span((uint8_t *)c->in.p + p, avail, &h);
    *len_out = s;
    if (s > avail) return 0;
    if (s == avail) return 1;
    if (!read_hdr((uint8_t *)c->in.p + p + s, avail - s, &n)) {
        if (!eof) return -1;
    } else if (sane(&n)) return 1;
    /* the next header is damaged: still decode this record when its own structure fits exactly */
    return exact_record(h.type, h.subtype, (uint8_t *)c->in.p + p + h.hl, s - h.hl) ? 1 : 0;
}

static int decode_one(Core *c, size_t p, size_t s) {
    const uint8_t *q = (uint8_t *)c->in.p + p;
    hdr_t h; memset(&h, 0, sizeof h); read_hdr(q, s, &h);
    rec_t R; memset(&R, 0, sizeof R);
    R.ts = h.ts; R.usec = h.usec; R.et = h.type == 17; R.offset = c->base + (int64_t)p; R.text = 1;
    const uint8_t *body = q + h.hl;
    size_t blen = s - h.hl, declared = h.type == 17 ? h.len - 4 : h.len, used = 0;
    const char *why = "damaged record";
    size_t out0 = c->out.n;
    int64_t ev0 = PyList_GET_SIZE(c->events);
    size_t save[64];   /* one per column buffer (43) and the counters */
    if (!c->text_mode) cols_mark(c, save);
    int rc;
    switch (h.type) {
    case 12: R.label = L_TABLE_DUMP; rc = dec_table_dump(c, &R, body, declared, blen, h.subtype, &used, &why); break;
    case 13: rc = dec_table_dump_v2(c, &R, body, blen, h.subtype, &why); break;
    case 16: case 17: rc = dec_bgp4mp(c, &R, body, blen, h.subtype, &why); break;
    case 5: rc = dec_bgp5(c, &R, body, blen, h.subtype, &why); break;
    default: rc = 1;
    }
    if (rc == -2) return -1;
    c->records++;
    if (rc == 1) c->skipped++;
    if (rc == -1) {
        /* drop whatever the record emitted before the damage was found */
        c->out.n = out0;
        if (!c->text_mode) cols_rollback(c, save);
        if (PyList_GET_SIZE(c->events) > ev0 && PyList_SetSlice(c->events, ev0, PyList_GET_SIZE(c->events), NULL) < 0) return -1;
        return add_error(c, R.offset, why, q, s);
    }
    return 0;
}

static int process(Core *c, int eof) {
    for (;;) {
        size_t avail = c->in.n - c->pos, s = 0;
        if (avail == 0) return 0;
        if (c->resync) {
            /* scan for two consecutive sane headers */
            size_t p = c->pos;
            int found = 0;
            for (; p < c->in.n; p++) {
                int g = good_at(c, p, eof, &s);
                if (g < 0) { c->pos = p; return 0; }
                if (g == 1) { found = 1; break; }
            }
            c->pos = p;
            c->resync = 0;
            if (!found) return 0;
            continue;
        }
        int g = good_at(c, c->pos, eof, &s);
        if (g < 0) return 0;
        if (g == 0) {
            hdr_t h; const uint8_t *q = (uint8_t *)c->in.p + c->pos;
            const char *why;
            if (!read_hdr(q, avail, &h)) why = "truncated MRT header at the end of the input";
            else if (!sane(&h)) why = "implausible MRT header (unknown type or length)";
            else if (span(q, avail, &h) > avail) why = "record truncated at the end of the input";
            else why = "record length does not lead to a valid next record";
            size_t rawn = avail < 4096 ? avail : 4096;
            if (add_error(c, c->base + (int64_t)c->pos, why, q, rawn) < 0) return -1;
            c->pos += 1; c->resync = 1;
            continue;
        }
        if (decode_one(c, c->pos, s) < 0) return -1;
        c->pos += s;
    }
}

static void compact(Core *c) {
    if (c->pos == 0) return;
    memmove(c->in.p, c->in.p + c->pos, c->in.n - c->pos);
    c->in.n -= c->pos; c->base += (int64_t)c->pos; c->pos = 0;
}

static PyObject *take_out(Core *c) {
    PyObject *r = PyBytes_FromStringAndSize(c->out.p ? c->out.p : "", (Py_ssize_t)c->out.n);
    c->out.n = 0;
    return r;
}

static PyObject *Core_feed(Core *c, PyObject *arg) {
    Py_buffer b;
    if (PyObject_GetBuffer(arg, &b, PyBUF_SIMPLE) < 0) return NULL;
    compact(c);
    int rc = gb_put(&c->in, b.buf, (size_t)b.len);
    PyBuffer_Release(&b);
    if (rc < 0 || process(c, 0) < 0) return NULL;
    return take_out(c);
}

static PyObject *Core_finish(Core *c, PyObject *Py_UNUSED(a)) {
    if (process(c, 1) < 0) return NULL;
    compact(c);
    return take_out(c);
}

static PyObject *Core_take_columns(Core *c, PyObject *Py_UNUSED(a)) { return cols_take(c); }

static PyObject *swap_list(PyObject **l) {
    PyObject *n = PyList_New(0);
    if (!n) return NULL;
    PyObject *o = *l; *l = n; return o;
}
static PyObject *Core_take_events(Core *c, PyObject *Py_UNUSED(a)) { return swap_list(&c->events); }
static PyObject *Core_take_errors(Core *c, PyObject *Py_UNUSED(a)) { return swap_list(&c->errors); }

static int Core_init(Core *c, PyObject *args, PyObject *kw) {
    static char *kws[] = {"text", "large", "unknown", "change", NULL};
    int text = 0, large = 0, unknown = 0, change = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|pppp", kws, &text, &large, &unknown, &change)) return -1;
    c->text_mode = text; c->opt_large = large; c->opt_unknown = unknown; c->opt_change = change;
    Py_XSETREF(c->errors, PyList_New(0));
    Py_XSETREF(c->events, PyList_New(0));
    if (!c->errors || !c->events) return -1;
    return cols_reset(c);
}

static void Core_dealloc(Core *c) {
    gb_free(&c->in); gb_free(&c->out); gb_free(&c->tail);
    cols_free(c);
    PyMem_Free(c->peers); PyMem_Free(c->peer_as);
    Py_XDECREF(c->errors); Py_XDECREF(c->events);
    Py_TYPE(c)->tp_free((PyObject *)c);
}

static PyMethodDef Core_methods[] = {
    {"feed", (PyCFunction)Core_feed, METH_O, "Decode more input bytes; returns the -m text produced."},
    {"finish", (PyCFunction)Core_finish, METH_NOARGS, "End of input; returns the last text."},
    {"take_columns", (PyCFunction)Core_take_columns, METH_NOARGS, "Column buffers of the rows so far."},
    {"take_events", (PyCFunction)Core_take_events, METH_NOARGS, "State-change rows so far."},
    {"take_errors", (PyCFunction)Core_take_errors, METH_NOARGS, "Damaged records so far."},
    {NULL, NULL, 0, NULL}};

static PyMemberDef Core_members[] = {
    {"records", T_LONGLONG, offsetof(Core, records), READONLY, "records decoded"},
    {"entries", T_LONGLONG, offsetof(Core, entries), READONLY, "routes and state changes decoded"},
    {"skipped", T_LONGLONG, offsetof(Core, skipped), READONLY, "records of kinds with no rows"},
    {"offset", T_LONGLONG, offsetof(Core, base), READONLY, "file offset of the unconsumed input"},
    {"rows", T_LONGLONG, offsetof(Core, rows), READONLY, "route rows waiting in the column buffers"},
    {NULL, 0, 0, 0, NULL}};

static PyTypeObject CoreType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "onpath.ingest.mrt._mrtcore.Core",
    .tp_basicsize = sizeof(Core),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Streaming MRT decoder: bgpdump -m text or Arrow column buffers.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Core_init,
    .tp_dealloc = (destructor)Core_dealloc,
    .tp_methods = Core_methods,
    .tp_members = Core_members,
};

static PyObject *py_labels(PyObject *self, PyObject *Py_UNUSED(a)) {
    PyObject *l = PyList_New(L_COUNT);
    if (!l) return NULL;
    for (int i = 0; i < L_COUNT; i++) PyList_SET_ITEM(l, i, PyUnicode_FromString(LABELS[i]));
    return l;
}

static PyMethodDef mod_methods[] = {
    {"labels", py_labels, METH_NOARGS, "The mrt_type labels, by code."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "_mrtcore", "MRT decoder core.", -1, mod_methods};

PyMODINIT_FUNC PyInit__mrtcore(void) {
    if (PyType_Ready(&CoreType) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (!m) return NULL;
    Py_INCREF(&CoreType);
    if (PyModule_AddObject(m, "Core", (PyObject *)&CoreType) < 0) { Py_DECREF(&CoreType); Py_DECREF(m); return NULL; }
    return m;
}
