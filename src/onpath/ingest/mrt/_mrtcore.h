/* Shared declarations of the MRT decoder (RFC 6396 + RFC 6793, 8050, 8092, 9234).
 *
 * Split by idea:
 *   _mrtcore.c              the Python type: buffering, record framing, resync, errors
 *   _mrtcore_part_attrs.c   BGP path attributes, AS_PATH / AS4_PATH merge, address text
 *   _mrtcore_part_records.c record bodies: TABLE_DUMP, TABLE_DUMP_V2, BGP4MP(_ET), type 5 BGP
 *   _mrtcore_part_emit.c    output: bgpdump -m lines, or Arrow column buffers
 * Every read is bounds-checked through struct rd; a failed check makes the record "damaged".
 */
#ifndef ONPATH_MRTCORE_H
#define ONPATH_MRTCORE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <stddef.h>

/* ---- growable byte buffer ---- */
typedef struct { char *p; size_t n, cap; } gbuf;
int gb_reserve(gbuf *b, size_t extra);
static inline int gb_put(gbuf *b, const void *s, size_t n) {
    if (b->n + n > b->cap && gb_reserve(b, n) < 0) return -1;
    memcpy(b->p + b->n, s, n); b->n += n; return 0;
}
static inline int gb_putc(gbuf *b, char c) {
    if (b->n + 1 > b->cap && gb_reserve(b, 1) < 0) return -1;
    b->p[b->n++] = c; return 0;
}
void gb_free(gbuf *b);

/* ---- bounded reader ---- */
typedef struct { const uint8_t *p; size_t n, i; int bad; } rd;
static inline int rd_left(const rd *r) { return r->bad ? 0 : (int)(r->n - r->i); }
static inline int rd_need(rd *r, size_t k) { if (r->bad || r->n - r->i < k) { r->bad = 1; return 0; } return 1; }
static inline uint8_t rd_u8(rd *r) { if (!rd_need(r, 1)) return 0; return r->p[r->i++]; }
static inline uint16_t rd_u16(rd *r) {
    if (!rd_need(r, 2)) return 0;
    uint16_t v = (uint16_t)((r->p[r->i] << 8) | r->p[r->i + 1]); r->i += 2; return v;
}
static inline uint32_t rd_u32(rd *r) {
    if (!rd_need(r, 4)) return 0;
    const uint8_t *q = r->p + r->i; r->i += 4;
    return ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
}
static inline const uint8_t *rd_bytes(rd *r, size_t k) {
    if (!rd_need(r, k)) return NULL;
    const uint8_t *q = r->p + r->i; r->i += k; return q;
}
static inline rd rd_sub(rd *r, size_t k) { /* a sub-reader of k bytes (fewer if short), like bgpdump's mstream_copy */
    rd s = {0};
    if (r->bad) { s.bad = 1; return s; }
    size_t avail = r->n - r->i;
    if (k > avail) k = avail;
    s.p = r->p + r->i; s.n = k; r->i += k; return s;
}

/* ---- addresses and prefixes ---- */
typedef struct { uint8_t afi; uint8_t a[16]; } ipaddr;   /* afi 4 or 6 */
typedef struct { uint8_t afi, len, has_id; uint8_t a[16]; uint32_t path_id; } prefix_t;

/* ---- AS path segments ---- */
#define SEG_SET 1
#define SEG_SEQ 2
#define SEG_CSEQ 3
#define SEG_CSET 4
#define MAX_SEGS 512
#define MAX_ASNS 8192
typedef struct {
    int nseg, nasn, count, error;
    uint8_t type[MAX_SEGS];
    uint16_t len[MAX_SEGS];
    uint32_t asn[MAX_ASNS];
} aspath_t;

#define MAX_UNKNOWN 16
typedef struct {
    uint64_t flag;            /* bit per attribute type seen (types < 64), like bgpdump */
    int origin;               /* -1 absent */
    int has_path;             /* AS_PATH present */
    aspath_t *path;           /* merged path (scratch owned by the core) */
    aspath_t *path4;          /* AS4_PATH scratch */
    uint8_t nexthop[4]; int has_nexthop;
    uint32_t med, local_pref; int has_med, has_lp;
    uint32_t agg_as; uint8_t agg_ip[4]; int has_agg;
    uint32_t agg4_as; uint8_t agg4_ip[4]; int has_agg4;
    const uint8_t *comm; int comm_len; int has_comm;
    const uint8_t *lcomm; int lcomm_len; int has_lcomm;
    uint32_t otc; int has_otc;
    int atomic;
    /* MP_REACH */
    int has_reach, reach_afi, reach_safi, reach_abbrev;
    uint8_t reach_nh[16]; int reach_nh_len; uint8_t reach_nh_local[16];
    rd reach_nlri;
    /* MP_UNREACH */
    int has_unreach, unreach_afi, unreach_safi;
    rd unreach_nlri;
    int nunknown;
    struct { uint8_t flag, type; uint16_t len; const uint8_t *p; } unknown[MAX_UNKNOWN];
    const char *err;          /* a reason when an attribute was malformed */
} attrs_t;

/* ---- record context handed to the emitters ---- */
enum { L_TABLE_DUMP, L_TABLE_DUMP2, L_TABLE_DUMP2_AP, L_BGP4MP, L_BGP4MP_ET, L_BGP4MP_AP, L_BGP4MP_ET_AP,
       L_BGP4MP_LOCAL, L_BGP4MP_ET_LOCAL, L_BGP4MP_LOCAL_AP, L_BGP4MP_ET_LOCAL_AP, L_BGP, L_COUNT };
extern const char *LABELS[L_COUNT];
enum { K_RIB, K_ANNOUNCE, K_WITHDRAW };
/* how the dump prints the next hop and MED/LOCAL_PREF (bgpdump differs per code path) */
enum { NH_ATTR, NH_RIB, NH_MP4, NH_MP6, NH_BGP5 };

typedef struct {
    int label;
    uint32_t ts, usec; int et;
    int64_t offset;
    ipaddr peer; uint32_t peer_as;
    uint32_t originated;      /* RIB entries: originated time (-t change) */
    int text;                 /* 0: no bgpdump line for this record (bgpdump prints nothing) */
    int bug_w_peer_prefix;    /* type-5 BGP withdraw: bgpdump prints the peer address as prefix */
} rec_t;

/* ---- the core object ---- */
#define NCOL_STR 8
typedef struct {
    PyObject_HEAD
    int text_mode;            /* 1: bgpdump -m text, 0: columns */
    int opt_large, opt_unknown, opt_change;
    /* input */
    gbuf in; int64_t base;    /* file offset of in.p[0] */
    size_t pos;               /* next record start in `in` */
    int resync;               /* scanning for the next sane header */
    int64_t resync_from;
    /* TABLE_DUMP_V2 peer index */
    int npeers; ipaddr *peers; uint32_t *peer_as;
    /* scratch */
    aspath_t path, path4;
    /* output */
    gbuf out;                 /* text */
    gbuf tail;                /* scratch: the attribute part of a line */
    PyObject *errors;         /* list of (offset, reason, raw) */
    PyObject *events;         /* list of tuples (peer_events) */
    int64_t records, entries, skipped;
    /* columns */
    int64_t rows;
    gbuf c_type, c_ts, c_peer_off, c_peer, c_peer_asn, c_kind, c_prefix_off, c_prefix,
         c_pathid, c_pathid_v, c_path_off, c_path, c_path_v, c_ptext_off, c_ptext, c_oasn, c_oasn_v,
         c_origin, c_origin_v, c_nh_off, c_nh, c_nh_v, c_lp, c_lp_v, c_med, c_med_v,
         c_comm_loff, c_comm_off, c_comm, c_lcomm_loff, c_lcomm_off, c_lcomm, c_list_v,
         c_atomic, c_agg_off, c_agg, c_agg_v, c_otc, c_otc_v, c_offset, c_unk_loff, c_unk_off, c_unk;
    int64_t n_comm, n_lcomm, n_path, n_unk;
} Core;

/* attrs */
int parse_attrs(Core *c, rd *r, int asn_len, int addpath, attrs_t *A);
int fmt_aspath_text(const aspath_t *p, char *out, int cap);
int fmt_ip_dump(const ipaddr *ip, char *out);      /* bgpdump's form (inet_ntoa / inet_ntop) */
int fmt_ip_canon(const ipaddr *ip, char *out);     /* RFC 5952, Python's ipaddress form */
int fmt_u32(uint32_t v, char *out);
int read_prefix(rd *r, int afi, int addpath, prefix_t *p); /* 1 ok, 0 end/truncated (silently), -1 bad */

/* records: return 0 ok, -1 damaged (reason in *why) */
int dec_table_dump(Core *c, rec_t *R, const uint8_t *body, size_t len, size_t avail, int subtype, size_t *used, const char **why);
int dec_table_dump_v2(Core *c, rec_t *R, const uint8_t *body, size_t len, int subtype, const char **why);
int dec_bgp4mp(Core *c, rec_t *R, const uint8_t *body, size_t len, int subtype, const char **why);
int dec_bgp5(Core *c, rec_t *R, const uint8_t *body, size_t len, int subtype, const char **why);

/* emit */
int emit_route(Core *c, rec_t *R, int kind, const prefix_t *p, attrs_t *A, int nhmode);
int emit_state(Core *c, rec_t *R, int old_state, int new_state);
int emit_route_batch(Core *c, rec_t *R, int kind, rd *nlri, int afi, int addpath, attrs_t *A, int nhmode, const char **why);
void cols_free(Core *c);
int cols_reset(Core *c);
void cols_mark(Core *c, size_t *save);
void cols_rollback(Core *c, const size_t *save);
int exact_record(int type, int subtype, const uint8_t *body, size_t len);
size_t td1_measure(const uint8_t *body, size_t len, size_t avail, int subtype);
PyObject *cols_take(Core *c);

#endif
