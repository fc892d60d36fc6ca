/* Output of decoded routes: bgpdump -m lines (the dump) or Arrow-ready column buffers (the loader). */
#include "_mrtcore.h"

const char *LABELS[L_COUNT] = {"TABLE_DUMP", "TABLE_DUMP2", "TABLE_DUMP2_AP", "BGP4MP", "BGP4MP_ET", "BGP4MP_AP",
                               "BGP4MP_ET_AP", "BGP4MP_LOCAL", "BGP4MP_ET_LOCAL", "BGP4MP_LOCAL_AP",
                               "BGP4MP_ET_LOCAL_AP", "BGP"};
static const char *ORIGINS[3] = {"IGP", "EGP", "INCOMPLETE"};

#define PUTS(b, s) gb_put((b), (s), strlen(s))

static int put_u32(gbuf *b, uint32_t v) { char t[12]; int n = fmt_u32(v, t); return gb_put(b, t, n); }
static int put_i32(gbuf *b, int32_t v) {
    if (v < 0) { if (gb_putc(b, '-') < 0) return -1; return put_u32(b, (uint32_t)(-(int64_t)v)); }
    return put_u32(b, (uint32_t)v);
}

static int put_comm_text(gbuf *b, const attrs_t *A) {   /* bgpdump's names, first space dropped */
    for (int i = 0; i < A->comm_len / 4; i++) {
        const uint8_t *q = A->comm + 4 * i;
        uint32_t v = ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
        if (i && gb_putc(b, ' ') < 0) return -1;
        if (v == 0xFFFFFF01) { if (PUTS(b, "no-export") < 0) return -1; }
        else if (v == 0xFFFFFF02) { if (PUTS(b, "no-advertise") < 0) return -1; }
        else if (v == 0xFFFFFF03) { if (PUTS(b, "local-AS") < 0) return -1; }
        else if (put_u32(b, v >> 16) < 0 || gb_putc(b, ':') < 0 || put_u32(b, v & 0xFFFF) < 0) return -1;
    }
    return 0;
}

static int put_lcomm_text(gbuf *b, const attrs_t *A) {
    for (int i = 0; i < A->lcomm_len / 12; i++) {
        const uint8_t *q = A->lcomm + 12 * i;
        if (i && gb_putc(b, ' ') < 0) return -1;
        for (int k = 0; k < 3; k++) {
            uint32_t v = ((uint32_t)q[4 * k] << 24) | ((uint32_t)q[4 * k + 1] << 16) | ((uint32_t)q[4 * k + 2] << 8) | q[4 * k + 3];
            if ((k && gb_putc(b, ':') < 0) || put_u32(b, v) < 0) return -1;
        }
    }
    return 0;
}

/* "ASPATH|ORIGIN|NEXTHOP|LP|MED|COMM|[LCOMM|]AG|AGG|[UNKNOWN|]" */
static int text_tail(Core *c, attrs_t *A, int nhmode) {
    gbuf *b = &c->tail; b->n = 0;
    char ip[64];
    if (gb_reserve(b, 8200) < 0) return -1;   /* fmt_aspath_text stops near 8000 characters */
    if (A->has_path) b->n += fmt_aspath_text(A->path, b->p + b->n, 8000);
    if (gb_putc(b, '|') < 0 || PUTS(b, A->origin >= 0 && A->origin <= 1 ? ORIGINS[A->origin] : "INCOMPLETE") < 0 || gb_putc(b, '|') < 0) return -1;
    ipaddr nh; nh.afi = 4; memset(nh.a, 0, 16);
    int use_mp6 = 0;
    if (nhmode == NH_MP6) use_mp6 = 1;
    else if (nhmode == NH_RIB && A->has_reach && (A->reach_abbrev || (A->reach_afi == 2 && A->reach_safi == 1))) use_mp6 = 1;
    if (use_mp6) { nh.afi = 6; memcpy(nh.a, A->reach_nh, 16); }
    else if (nhmode == NH_MP4) memcpy(nh.a, A->reach_nh, 4);
    else if (A->has_nexthop) memcpy(nh.a, A->nexthop, 4);
    else memset(nh.a, 255, 4);
    fmt_ip_dump(&nh, ip);
    if (PUTS(b, ip) < 0 || gb_putc(b, '|') < 0) return -1;
    uint32_t lp = A->has_lp ? A->local_pref : 0, med = A->has_med ? A->med : 0;
    if (nhmode == NH_MP4) { if (put_i32(b, (int32_t)lp) < 0 || gb_putc(b, '|') < 0 || put_i32(b, (int32_t)med) < 0) return -1; }
    else if (put_u32(b, lp) < 0 || gb_putc(b, '|') < 0 || put_u32(b, med) < 0) return -1;
    if (nhmode != NH_BGP5 && gb_putc(b, '|') < 0) return -1;   /* type 5: bgpdump glues COMM to MED */
    if (A->has_comm && put_comm_text(b, A) < 0) return -1;
    if (gb_putc(b, '|') < 0) return -1;
    if (c->opt_large && nhmode != NH_BGP5) { if ((A->has_lcomm && put_lcomm_text(b, A) < 0) || gb_putc(b, '|') < 0) return -1; }
    if (PUTS(b, A->atomic ? "AG|" : "NAG|") < 0) return -1;
    if (A->has_agg && !(A->agg_ip[0] == 255 && A->agg_ip[1] == 255 && A->agg_ip[2] == 255 && A->agg_ip[3] == 255)) {
        ipaddr g; g.afi = 4; memcpy(g.a, A->agg_ip, 4); fmt_ip_dump(&g, ip);
        if (put_u32(b, A->agg_as) < 0 || gb_putc(b, ' ') < 0 || PUTS(b, ip) < 0) return -1;
    }
    if (gb_putc(b, '|') < 0) return -1;
    if (c->opt_unknown && nhmode != NH_BGP5) {
        static const char hx[] = "0123456789abcdef";
        for (int i = 0, k = 0; i < A->nunknown; i++) {
            if (A->unknown[i].type == 9 || A->unknown[i].type == 10) continue;
            char t[16];
            snprintf(t, sizeof t, "%s%x:%x:", k++ ? " " : "", A->unknown[i].type, A->unknown[i].flag);
            if (PUTS(b, t) < 0 || gb_reserve(b, 2 * (size_t)A->unknown[i].len) < 0) return -1;
            for (int k = 0; k < A->unknown[i].len; k++) {
                b->p[b->n++] = hx[A->unknown[i].p[k] >> 4]; b->p[b->n++] = hx[A->unknown[i].p[k] & 15];
            }
        }
        if (gb_putc(b, '|') < 0) return -1;
    }
    return gb_putc(b, '\n');
}

static int text_head(Core *c, rec_t *R, char type) {
    gbuf *o = &c->out;
    char ip[64];
    uint32_t t = (type == 'B' && c->opt_change) ? R->originated : R->ts;
    if (PUTS(o, LABELS[R->label]) < 0 || gb_putc(o, '|') < 0 || put_u32(o, t) < 0) return -1;
    if (R->et) { char us[16]; snprintf(us, sizeof us, ".%06u", R->usec); if (PUTS(o, us) < 0) return -1; }
    char mid[4] = {'|', type, '|', 0};
    if (type == 'S') { if (PUTS(o, "|STATE|") < 0) return -1; } else if (PUTS(o, mid) < 0) return -1;
    fmt_ip_dump(&R->peer, ip);
    if (PUTS(o, ip) < 0 || gb_putc(o, '|') < 0 || put_u32(o, R->peer_as) < 0 || gb_putc(o, '|') < 0) return -1;
    return 0;
}

static int text_prefix(Core *c, const prefix_t *p) {
    char ip[64]; ipaddr a; a.afi = p->afi; memcpy(a.a, p->a, 16);
    fmt_ip_dump(&a, ip);
    gbuf *o = &c->out;
    return (PUTS(o, ip) < 0 || gb_putc(o, '/') < 0 || put_u32(o, p->len) < 0) ? -1 : 0;
}

static int text_route(Core *c, rec_t *R, int kind, const prefix_t *p) {
    gbuf *o = &c->out;
    if (text_head(c, R, kind == K_RIB ? 'B' : kind == K_ANNOUNCE ? 'A' : 'W') < 0 || text_prefix(c, p) < 0) return -1;
    if (kind == K_WITHDRAW) {
        if (p->has_id && (gb_putc(o, '|') < 0 || put_u32(o, p->path_id) < 0)) return -1;
        return gb_putc(o, '\n');
    }
    if (gb_putc(o, '|') < 0) return -1;
    if (p->has_id && (put_u32(o, p->path_id) < 0 || gb_putc(o, '|') < 0)) return -1;
    return gb_put(o, c->tail.p, c->tail.n);
}

/* ---------------- columns ---------------- */
typedef struct {
    int valid;
    char ptext[8192]; int ptext_n;
    char nh[64]; int nh_n;
    char agg[80]; int agg_n;
    int origin_ok; uint32_t origin_asn;
} prep_t;

static prep_t PREP;

static void prep_attrs(attrs_t *A, int nhmode, int afi, prep_t *P) {
    P->ptext_n = A->has_path ? fmt_aspath_text(A->path, P->ptext, sizeof P->ptext) : 0;
    P->origin_ok = 0;
    const aspath_t *ap = A->path;
    if (A->has_path && !ap->error && ap->nseg && ap->type[ap->nseg - 1] == SEG_SEQ && ap->len[ap->nseg - 1] && ap->nasn) {
        P->origin_ok = 1; P->origin_asn = ap->asn[ap->nasn - 1];
    }
    ipaddr nh; P->nh_n = -1;
    int mp = (nhmode == NH_MP4 || nhmode == NH_MP6 || (nhmode == NH_RIB && A->has_reach && (afi == 6 || !A->has_nexthop)));
    if (mp && A->has_reach) {
        if (A->reach_nh_len == 4) { nh.afi = 4; memcpy(nh.a, A->reach_nh, 4); }
        else { nh.afi = 6; memcpy(nh.a, A->reach_nh, 16); }
        P->nh_n = fmt_ip_canon(&nh, P->nh);
    } else if (A->has_nexthop) { nh.afi = 4; memcpy(nh.a, A->nexthop, 4); P->nh_n = fmt_ip_canon(&nh, P->nh); }
    P->agg_n = -1;
    if (A->has_agg) {
        int n = fmt_u32(A->agg_as, P->agg); P->agg[n++] = ' ';
        ipaddr g; g.afi = 4; memcpy(g.a, A->agg_ip, 4);
        P->agg_n = n + fmt_ip_canon(&g, P->agg + n);
    }
}

static inline int put_off(gbuf *off, gbuf *data) { int32_t v = (int32_t)data->n; return gb_put(off, &v, 4); }
static inline int put_strcol(gbuf *off, gbuf *data, const char *s, int n) {
    if (n > 0 && gb_put(data, s, n) < 0) return -1;
    return put_off(off, data);
}
static inline int put_v(gbuf *v, int ok) { return gb_putc(v, ok ? 1 : 0); }

static int cols_row(Core *c, rec_t *R, int kind, const prefix_t *p, attrs_t *A, prep_t *P) {
    char t[80]; int n;
    int8_t lab = (int8_t)R->label, k = (int8_t)kind;
    int64_t ts = (int64_t)R->ts * 1000000 + R->usec;
    uint32_t zero = 0;
    if (gb_put(&c->c_type, &lab, 1) < 0 || gb_put(&c->c_ts, &ts, 8) < 0) return -1;
    n = fmt_ip_canon(&R->peer, t);
    if (put_strcol(&c->c_peer_off, &c->c_peer, t, n) < 0 || gb_put(&c->c_peer_asn, &R->peer_as, 4) < 0) return -1;
    if (gb_put(&c->c_kind, &k, 1) < 0) return -1;
    ipaddr a; a.afi = p->afi; memcpy(a.a, p->a, 16);
    n = fmt_ip_canon(&a, t); t[n++] = '/'; n += fmt_u32(p->len, t + n);
    if (put_strcol(&c->c_prefix_off, &c->c_prefix, t, n) < 0) return -1;
    if (gb_put(&c->c_pathid, p->has_id ? &p->path_id : &zero, 4) < 0 || put_v(&c->c_pathid_v, p->has_id) < 0) return -1;
    int64_t off = R->offset;
    if (gb_put(&c->c_offset, &off, 8) < 0) return -1;
    int ann = kind != K_WITHDRAW;
    /* as_path: the AS_SEQUENCE hops */
    if (ann && A->has_path && !A->path->error) {
        const aspath_t *ap = A->path;
        for (int s = 0, i = 0; s < ap->nseg; i += ap->len[s], s++)
            if (ap->type[s] == SEG_SEQ && gb_put(&c->c_path, ap->asn + i, 4 * (size_t)ap->len[s]) < 0) return -1;
    }
    int32_t pe = (int32_t)(c->c_path.n / 4);
    if (gb_put(&c->c_path_off, &pe, 4) < 0 || put_v(&c->c_path_v, ann) < 0) return -1;
    if (put_strcol(&c->c_ptext_off, &c->c_ptext, P->ptext, ann ? P->ptext_n : 0) < 0 || put_v(&c->c_list_v, ann) < 0) return -1;
    uint32_t oa = ann && P->origin_ok ? P->origin_asn : 0;
    if (gb_put(&c->c_oasn, &oa, 4) < 0 || put_v(&c->c_oasn_v, ann && P->origin_ok) < 0) return -1;
    int8_t org = (int8_t)(ann && A->origin >= 0 && A->origin <= 2 ? A->origin : 0);
    if (gb_put(&c->c_origin, &org, 1) < 0 || put_v(&c->c_origin_v, ann && A->origin >= 0 && A->origin <= 2) < 0) return -1;
    if (put_strcol(&c->c_nh_off, &c->c_nh, P->nh, ann && P->nh_n > 0 ? P->nh_n : 0) < 0 || put_v(&c->c_nh_v, ann && P->nh_n > 0) < 0) return -1;
    uint32_t lp = ann && A->has_lp ? A->local_pref : 0, med = ann && A->has_med ? A->med : 0, otc = ann && A->has_otc ? A->otc : 0;
    if (gb_put(&c->c_lp, &lp, 4) < 0 || put_v(&c->c_lp_v, ann && A->has_lp) < 0) return -1;
    if (gb_put(&c->c_med, &med, 4) < 0 || put_v(&c->c_med_v, ann && A->has_med) < 0) return -1;
    if (gb_put(&c->c_otc, &otc, 4) < 0 || put_v(&c->c_otc_v, ann && A->has_otc) < 0) return -1;
    uint8_t at = (uint8_t)(ann && A->atomic);
    if (gb_put(&c->c_atomic, &at, 1) < 0) return -1;
    if (put_strcol(&c->c_agg_off, &c->c_agg, P->agg, ann && P->agg_n > 0 ? P->agg_n : 0) < 0 || put_v(&c->c_agg_v, ann && P->agg_n > 0) < 0) return -1;
    if (ann && A->has_comm) {
        for (int i = 0; i < A->comm_len / 4; i++) {
            const uint8_t *q = A->comm + 4 * i;
            n = fmt_u32((uint32_t)((q[0] << 8) | q[1]), t); t[n++] = ':'; n += fmt_u32((uint32_t)((q[2] << 8) | q[3]), t + n);
            if (put_strcol(&c->c_comm_off, &c->c_comm, t, n) < 0) return -1;
            c->n_comm++;
        }
    }
    int32_t ce = (int32_t)c->n_comm;
    if (gb_put(&c->c_comm_loff, &ce, 4) < 0) return -1;
    if (ann && A->has_lcomm) {
        for (int i = 0; i < A->lcomm_len / 12; i++) {
            const uint8_t *q = A->lcomm + 12 * i; n = 0;
            for (int j = 0; j < 3; j++) {
                uint32_t v = ((uint32_t)q[4 * j] << 24) | ((uint32_t)q[4 * j + 1] << 16) | ((uint32_t)q[4 * j + 2] << 8) | q[4 * j + 3];
                if (j) t[n++] = ':';
                n += fmt_u32(v, t + n);
            }
            if (put_strcol(&c->c_lcomm_off, &c->c_lcomm, t, n) < 0) return -1;
            c->n_lcomm++;
        }
    }
    int32_t le = (int32_t)c->n_lcomm;
    if (gb_put(&c->c_lcomm_loff, &le, 4) < 0) return -1;
    if (ann) {   /* attributes onpath does not model, as on the wire (flags, type, length, value) */
        for (int i = 0; i < A->nunknown; i++) {
            if (A->unknown[i].type == 35) continue;
            uint8_t h[4]; int hn = 0;
            h[hn++] = A->unknown[i].flag; h[hn++] = A->unknown[i].type;
            if (A->unknown[i].flag & 0x10) h[hn++] = (uint8_t)(A->unknown[i].len >> 8);
            h[hn++] = (uint8_t)A->unknown[i].len;
            if (gb_put(&c->c_unk, h, hn) < 0 || gb_put(&c->c_unk, A->unknown[i].p, A->unknown[i].len) < 0 ||
                put_off(&c->c_unk_off, &c->c_unk) < 0) return -1;
            c->n_unk++;
        }
    }
    int32_t ue = (int32_t)c->n_unk;
    if (gb_put(&c->c_unk_loff, &ue, 4) < 0) return -1;
    c->rows++;
    return 0;
}

int emit_route(Core *c, rec_t *R, int kind, const prefix_t *p, attrs_t *A, int nhmode) {
    c->entries++;
    if (c->text_mode) {
        if (!R->text) return 0;
        if (kind != K_WITHDRAW && text_tail(c, A, nhmode) < 0) return -1;
        return text_route(c, R, kind, p);
    }
    prep_attrs(A, nhmode, p->afi, &PREP);
    return cols_row(c, R, kind, p, A, &PREP);
}

int emit_route_batch(Core *c, rec_t *R, int kind, rd *nlri, int afi, int addpath, attrs_t *A, int nhmode, const char **why) {
    prefix_t p; int k, first = 1;
    rd r = *nlri;
    while ((k = read_prefix(&r, afi, addpath, &p)) == 1) {
        c->entries++;
        if (c->text_mode) {
            if (!R->text) continue;
            if (first && kind != K_WITHDRAW && text_tail(c, A, nhmode) < 0) return -1;
            if (text_route(c, R, kind, &p) < 0) return -1;
        } else {
            if (first) prep_attrs(A, nhmode, afi, &PREP);
            if (cols_row(c, R, kind, &p, A, &PREP) < 0) return -1;
        }
        first = 0;
    }
    if (k < 0) { *why = "prefix length out of range"; return -1; }
    return 0;
}

int emit_state(Core *c, rec_t *R, int old_state, int new_state) {
    c->entries++;
    if (c->text_mode) {
        gbuf *o = &c->out;
        if (text_head(c, R, 'S') < 0 || put_u32(o, (uint32_t)old_state) < 0 || gb_putc(o, '|') < 0 ||
            put_u32(o, (uint32_t)new_state) < 0 || gb_putc(o, '\n') < 0) return -1;
        return 0;
    }
    char t[64]; fmt_ip_canon(&R->peer, t);
    PyObject *tup = Py_BuildValue("(sLsIiiL)", LABELS[R->label], (long long)R->ts * 1000000 + R->usec, t,
                                  (unsigned int)R->peer_as, old_state, new_state, (long long)R->offset);
    if (!tup) return -1;
    int rc = PyList_Append(c->events, tup);
    Py_DECREF(tup);
    return rc;
}

/* ---------------- hand the buffers to Python ---------------- */
#define ALLCOLS(X) X(c_type) X(c_ts) X(c_peer_off) X(c_peer) X(c_peer_asn) X(c_kind) X(c_prefix_off) X(c_prefix) \
    X(c_pathid) X(c_pathid_v) X(c_path_off) X(c_path) X(c_path_v) X(c_ptext_off) X(c_ptext) X(c_oasn) X(c_oasn_v) \
    X(c_origin) X(c_origin_v) X(c_nh_off) X(c_nh) X(c_nh_v) X(c_lp) X(c_lp_v) X(c_med) X(c_med_v) \
    X(c_comm_loff) X(c_comm_off) X(c_comm) X(c_lcomm_loff) X(c_lcomm_off) X(c_lcomm) X(c_list_v) \
    X(c_atomic) X(c_agg_off) X(c_agg) X(c_agg_v) X(c_otc) X(c_otc_v) X(c_offset) X(c_unk_loff) X(c_unk_off) X(c_unk)

int cols_reset(Core *c) {
#define RST(f) c->f.n = 0;
    ALLCOLS(RST)
#undef RST
    int32_t z = 0;
    c->rows = 0; c->n_comm = 0; c->n_lcomm = 0; c->n_unk = 0;
    gbuf *offs[] = {&c->c_peer_off, &c->c_prefix_off, &c->c_path_off, &c->c_ptext_off, &c->c_nh_off,
                    &c->c_comm_loff, &c->c_comm_off, &c->c_lcomm_loff, &c->c_lcomm_off, &c->c_agg_off,
                    &c->c_unk_loff, &c->c_unk_off};
    for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) if (gb_put(offs[i], &z, 4) < 0) return -1;
    return 0;
}

/* remember / restore the fill of every column (a damaged record leaves no rows) */
void cols_mark(Core *c, size_t *save) {
    int i = 0;
#define MRK(f) save[i++] = c->f.n;
    ALLCOLS(MRK)
#undef MRK
    save[i++] = (size_t)c->rows; save[i++] = (size_t)c->n_comm; save[i++] = (size_t)c->n_lcomm; save[i++] = (size_t)c->n_unk;
}
void cols_rollback(Core *c, const size_t *save) {
    int i = 0;
#define RBK(f) c->f.n = save[i++];
    ALLCOLS(RBK)
#undef RBK
    c->rows = (int64_t)save[i++]; c->n_comm = (int64_t)save[i++]; c->n_lcomm = (int64_t)save[i++]; c->n_unk = (int64_t)save[i++];
}

void cols_free(Core *c) {
#define FRE(f) gb_free(&c->f);
    ALLCOLS(FRE)
#undef FRE
}

PyObject *cols_take(Core *c) {
    if (c->c_peer_off.n == 0 && cols_reset(c) < 0) return NULL;
    PyObject *d = PyDict_New();
    if (!d) return NULL;
#define TAKE(f) { PyObject *v = PyBytes_FromStringAndSize(c->f.p ? c->f.p : "", (Py_ssize_t)c->f.n); \
        if (!v || PyDict_SetItemString(d, #f + 2, v) < 0) { Py_XDECREF(v); Py_DECREF(d); return NULL; } Py_DECREF(v); }
    ALLCOLS(TAKE)
#undef TAKE
    PyObject *n = PyLong_FromLongLong(c->rows);
    if (!n || PyDict_SetItemString(d, "rows", n) < 0) { Py_XDECREF(n); Py_DECREF(d); return NULL; }
    Py_DECREF(n);
    if (cols_reset(c) < 0) { Py_DECREF(d); return NULL; }
    return d;
}
