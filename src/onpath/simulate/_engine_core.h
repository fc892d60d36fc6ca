/* Shared declarations of the propagation core (_engine.c, _engine_part_*.c). */
#ifndef ONPATH_ENGINE_CORE_H
#define ONPATH_ENGINE_CORE_H
#include <Python.h>
#include <stdint.h>

#define NARGS 21 /* arguments shared by propagate() and the head of iterate() */

typedef struct {
    Py_ssize_t n;
    const int32_t *order;                    /* AS indices by ascending rank */
    const int64_t *cptr, *eptr, *pptr;       /* customers, peers, providers */
    const int32_t *cidx, *eidx, *pidx;
    const int16_t *cattr, *eattr, *pattr;    /* prepend count or -1 (no export); may be NULL */
    const int16_t *eattr_push;               /* eattr mirrored onto the sender's list */
} Graph;

typedef struct {
    const uint8_t *imp_rov, *org_bad;        /* ROV adopters, bad origin slots */
    const uint8_t *avoid, *enforce;          /* path-rejection group bits */
} Filt;

typedef struct {
    int32_t *nh;
    int8_t *cls;     /* -1 none, 0 origin, 1 customer, 2 peer, 3 provider, 4 sibling */
    int32_t *len;    /* AS-path length, prepended copies included */
    int16_t *pre;    /* extra copies of the next hop's ASN (may be NULL) */
    int32_t *org;    /* origin slot */
    uint8_t *thru;   /* path-rejection group bits along the path */
    int32_t *up;     /* scratch: ASes holding origin/customer routes (n slots) */
} State;

int eng_get_buf(PyObject *o, Py_buffer *b, Py_ssize_t itemsize, int writable,
                const char *name, int optional);
void eng_release(Py_buffer *bufs, int k);
int eng_parse(PyObject *const *o, Py_buffer *b, Graph *g, Filt *f, State *s,
              int32_t **origins, Py_ssize_t *norig);
int eng_seed(State *s, const Graph *g, const Filt *f, const int32_t *origins, Py_ssize_t norig);
void eng_phases(State *s, const Graph *g, const Filt *f);
PyObject *eng_py_iterate(PyObject *self, PyObject *const *args, Py_ssize_t nargs);

#endif
