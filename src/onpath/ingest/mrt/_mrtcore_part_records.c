/* MRT record bodies (RFC 6396): TABLE_DUMP, TABLE_DUMP_V2 (+ RFC 8050 ADD-PATH), BGP4MP and
 * BGP4MP_ET (messages, state changes), and the deprecated type 5 BGP records. Each decoder checks
 * a record fully before it emits anything, so a damaged record yields no rows and no lines. */
#include "_mrtcore.h"

/* Validate an NLRI list without emitting: -1 on a prefix longer than the family allows. */
static int check_nlri(rd r, int afi, int addpath) {
    prefix_t p; int k;
    while ((k = read_prefix(&r, afi, addpath, &p)) == 1) {}
    return k;
}

static void read_ip(rd *r, int afi, ipaddr *ip) {
    ip->afi = (uint8_t)afi; memset(ip->a, 0, 16);
    const uint8_t *q = rd_bytes(r, afi == 4 ? 4 : 16);
    if (q) memcpy(ip->a, q, afi == 4 ? 4 : 16);
}

/* ---------------- TABLE_DUMP (type 12) ---------------- */
/* The first entry has view + sequence. RIS dumps of early 2000 pack more entries (without them)
 * into one record whose declared length is 4 bytes short: the entries are read on to the first
 * boundary at or past the declared end, and the framer checks that a sane header follows. */
int dec_table_dump(Core *c, rec_t *R, const uint8_t *body, size_t len, size_t avail, int subtype,
                   size_t *used, const char **why) {
    if (subtype < 1 || subtype > 4) { *why = "TABLE_DUMP with an unknown subtype"; return -1; }
    int afi = (subtype == 2 || subtype == 4) ? 6 : 4;
    int asn_len = (subtype == 3 || subtype == 4) ? 4 : 2;
    int alen = afi == 4 ? 4 : 16;
    size_t fixed = (size_t)(alen + 1 + 1 + 4 + alen + asn_len + 2);
    size_t pos = 4;
    int ne = 0;
    while (pos + fixed <= avail) {
        size_t al = (size_t)((body[pos + fixed - 2] << 8) | body[pos + fixed - 1]);
        if (pos + fixed + al > avail || (ne == 0 && pos + fixed + al > len)) break;
        pos += fixed + al; ne++;
        if (pos >= len) break;
    }
    if (ne == 0 || pos < len) { *why = "TABLE_DUMP entry overruns the record"; return -1; }
    *used = pos;
    size_t e = 4;
    for (int k = 0; k < ne; k++) {
        rd r = {body, avail, e, 0};
        prefix_t p; p.afi = (uint8_t)afi; p.has_id = 0; p.path_id = 0; memset(p.a, 0, 16);
        memcpy(p.a, rd_bytes(&r, alen), alen);
        p.len = rd_u8(&r); rd_u8(&r);
        R->originated = rd_u32(&r);
        read_ip(&r, afi, &R->peer);
        R->peer_as = asn_len == 2 ? rd_u16(&r) : rd_u32(&r);
        size_t al = rd_u16(&r);
        if (p.len > (afi == 4 ? 32 : 128)) { *why = "TABLE_DUMP prefix length out of range"; return -1; }
        rd ar = {body + r.i, al, 0, 0};
        attrs_t A;
        if (parse_attrs(c, &ar, asn_len, 0, &A) < 0) { *why = A.err; return -1; }
        if (emit_route(c, R, K_RIB, &p, &A, NH_RIB) < 0) return -2;
        e = r.i + al;
    }
    return 0;
}

/* Bytes a TABLE_DUMP record really spans (see above), 0 when its first entry does not fit. */
size_t td1_measure(const uint8_t *body, size_t len, size_t avail, int subtype) {
    if (subtype < 1 || subtype > 4) return len;
    int alen = (subtype == 2 || subtype == 4) ? 16 : 4;
    int asn_len = (subtype == 3 || subtype == 4) ? 4 : 2;
    size_t fixed = (size_t)(alen + 1 + 1 + 4 + alen + asn_len + 2), pos = 4;
    int ne = 0;
    while (pos + fixed <= avail) {
        size_t al = (size_t)((body[pos + fixed - 2] << 8) | body[pos + fixed - 1]);
        if (pos + fixed + al > avail || (ne == 0 && pos + fixed + al > len)) break;
        pos += fixed + al; ne++;
        if (pos >= len) break;
    }
    return (ne == 0 || pos < len) ? 0 : pos;
}

/* ---------------- TABLE_DUMP_V2 (type 13) ---------------- */
static int peer_index(Core *c, rd *r, const char **why) {
    rd_u32(r);
    int vl = rd_u16(r); rd_bytes(r, vl);
    int n = rd_u16(r);
    if (r->bad) { *why = "PEER_INDEX_TABLE truncated"; return -1; }
    ipaddr *ips = PyMem_Malloc(sizeof(ipaddr) * (n ? n : 1));
    uint32_t *as = PyMem_Malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!ips || !as) { PyMem_Free(ips); PyMem_Free(as); PyErr_NoMemory(); return -2; }
    for (int i = 0; i < n; i++) {
        int t = rd_u8(r); rd_u32(r);
        read_ip(r, (t & 1) ? 6 : 4, &ips[i]);
        as[i] = (t & 2) ? rd_u32(r) : rd_u16(r);
    }
    if (r->bad) { PyMem_Free(ips); PyMem_Free(as); *why = "PEER_INDEX_TABLE truncated"; return -1; }
    PyMem_Free(c->peers); PyMem_Free(c->peer_as);
    c->peers = ips; c->peer_as = as; c->npeers = n;
    return 0;
}

int dec_table_dump_v2(Core *c, rec_t *R, const uint8_t *body, size_t len, int subtype, const char **why) {
    rd r = {body, len, 0, 0};
    if (subtype == 1) return peer_index(c, &r, why);
    int addpath = subtype >= 8 && subtype <= 12;
    int base = addpath ? subtype - 6 : subtype;
    if (base < 2 || base > 6) { *why = "TABLE_DUMP_V2 subtype not supported"; return 1; }
    R->label = addpath ? L_TABLE_DUMP2_AP : L_TABLE_DUMP2;
    R->text = (base == 2 || base == 4);   /* bgpdump prints unicast only */
    rd_u32(&r);
    int afi;
    prefix_t p;
    if (base == 6) {
        int a = rd_u16(&r); int safi = rd_u8(&r);
        if (r.bad) { *why = "RIB_GENERIC truncated"; return -1; }
        if ((a != 1 && a != 2) || (safi != 1 && safi != 2)) return 1;   /* other families: skipped */
        afi = a == 1 ? 4 : 6;
        R->text = 0;
    } else afi = (base == 2 || base == 3) ? 4 : 6;
    int plen = rd_u8(&r);
    if (plen > (afi == 4 ? 32 : 128)) { *why = "RIB prefix length out of range"; return -1; }
    const uint8_t *pb = rd_bytes(&r, (plen + 7) / 8);
    int n = rd_u16(&r);
    if (r.bad) { *why = "RIB record truncated"; return -1; }
    p.afi = (uint8_t)afi; p.len = (uint8_t)plen; memset(p.a, 0, 16); memcpy(p.a, pb, (plen + 7) / 8);
    p.has_id = (uint8_t)addpath; p.path_id = 0;
    /* first pass: check every entry */
    size_t start = r.i;
    for (int i = 0; i < n; i++) {
        int pi = rd_u16(&r); rd_u32(&r); if (addpath) rd_u32(&r);
        int al = rd_u16(&r); rd_bytes(&r, al);
        if (r.bad) { *why = "RIB entry truncated"; return -1; }
        if (pi >= c->npeers) { *why = c->peers ? "RIB entry names a peer not in the PEER_INDEX_TABLE" : "RIB record before any PEER_INDEX_TABLE"; return -1; }
    }
    r.i = start;
    for (int i = 0; i < n; i++) {
        int pi = rd_u16(&r);
        R->originated = rd_u32(&r);
        if (addpath) p.path_id = rd_u32(&r);
        int al = rd_u16(&r);
        rd ar = {r.p + r.i, (size_t)al, 0, 0}; r.i += al;
        R->peer = c->peers[pi]; R->peer_as = c->peer_as[pi];
        attrs_t A;
        if (parse_attrs(c, &ar, 4, addpath, &A) < 0) { *why = A.err; return -1; }
        if (emit_route(c, R, K_RIB, &p, &A, NH_RIB) < 0) return -2;
    }
    return 0;
}

/* ---------------- BGP UPDATE body (shared by BGP4MP and type 5) ---------------- */
static int update_body(Core *c, rec_t *R, rd *m, int asn_len, int addpath, int mp, const char **why) {
    int wl = rd_u16(m);
    rd w = rd_sub(m, wl);
    int tl = rd_u16(m);
    rd ar = rd_sub(m, tl);
    rd nl = rd_sub(m, m->n - m->i);
    if (m->bad) { *why = "UPDATE truncated"; return -1; }
    attrs_t A;
    if (parse_attrs(c, &ar, asn_len, addpath, &A) < 0) { *why = A.err; return -1; }
    if (check_nlri(w, 4, addpath) < 0 || check_nlri(nl, 4, addpath) < 0) { *why = "UPDATE prefix length out of range"; return -1; }
    int ua = 0, ra = 0;
    if (mp && A.has_unreach && A.unreach_afi >= 1 && A.unreach_afi <= 2 && A.unreach_safi >= 1 && A.unreach_safi <= 3) {
        ua = A.unreach_afi == 1 ? 4 : 6;
        if (check_nlri(A.unreach_nlri, ua, addpath) < 0) { *why = "MP_UNREACH_NLRI prefix length out of range"; return -1; }
    }
    if (mp && A.has_reach && !A.reach_abbrev && A.reach_afi >= 1 && A.reach_afi <= 2 && A.reach_safi >= 1 && A.reach_safi <= 3) {
        ra = A.reach_afi == 1 ? 4 : 6;
        if (check_nlri(A.reach_nlri, ra, addpath) < 0) { *why = "MP_REACH_NLRI prefix length out of range"; return -1; }
    }
    if (emit_route_batch(c, R, K_WITHDRAW, &w, 4, addpath, &A, NH_ATTR, why) < 0) return -2;
    if (ua && emit_route_batch(c, R, K_WITHDRAW, &A.unreach_nlri, ua, addpath, &A, NH_ATTR, why) < 0) return -2;
    if (emit_route_batch(c, R, K_ANNOUNCE, &nl, 4, addpath, &A, mp ? NH_ATTR : NH_BGP5, why) < 0) return -2;
    if (ra && emit_route_batch(c, R, K_ANNOUNCE, &A.reach_nlri, ra, addpath, &A, ra == 4 ? NH_MP4 : NH_MP6, why) < 0) return -2;
    return 0;
}

/* ---------------- BGP4MP / BGP4MP_ET (types 16, 17) ---------------- */
int dec_bgp4mp(Core *c, rec_t *R, const uint8_t *body, size_t len, int subtype, const char **why) {
    rd r = {body, len, 0, 0};
    if (subtype == 0 || subtype == 5) {
        int asn_len = subtype == 5 ? 4 : 2;
        R->label = R->et ? L_BGP4MP_ET : L_BGP4MP;
        R->peer_as = asn_len == 2 ? rd_u16(&r) : rd_u32(&r);
        asn_len == 2 ? rd_u16(&r) : rd_u32(&r);
        if (len == 8 && asn_len == 2) {     /* zebra's 8-byte state change: no addresses */
            R->peer.afi = 4; memset(R->peer.a, 0, 16);
        } else {
            rd_u16(&r);
            int afi = rd_u16(&r);
            if (afi == 1) { if (len != 20 && len != 24) { *why = "STATE_CHANGE with a bad length"; return -1; } }
            else if (afi == 2) { if (len != 44 && len != 48) { *why = "STATE_CHANGE with a bad length"; return -1; } }
            else { *why = "STATE_CHANGE with an unknown address family"; return -1; }
            read_ip(&r, afi == 1 ? 4 : 6, &R->peer);
            ipaddr dummy; read_ip(&r, afi == 1 ? 4 : 6, &dummy);
        }
        int o = rd_u16(&r), n = rd_u16(&r);
        if (r.bad) { *why = "STATE_CHANGE truncated"; return -1; }
        return emit_state(c, R, o, n) < 0 ? -2 : 0;
    }
    int asn_len, local = 0, addpath = 0;
    switch (subtype) {
    case 1: asn_len = 2; break;
    case 4: asn_len = 4; break;
    case 6: asn_len = 2; local = 1; break;
    case 7: asn_len = 4; local = 1; break;
    case 8: asn_len = 2; addpath = 1; break;
    case 9: asn_len = 4; addpath = 1; break;
    case 10: asn_len = 2; local = 1; addpath = 1; break;
    case 11: asn_len = 4; local = 1; addpath = 1; break;
    default: *why = "BGP4MP subtype not supported"; return 1;
    }
    static const int lab[2][2][2] = {{{L_BGP4MP, L_BGP4MP_AP}, {L_BGP4MP_LOCAL, L_BGP4MP_LOCAL_AP}},
                                     {{L_BGP4MP_ET, L_BGP4MP_ET_AP}, {L_BGP4MP_ET_LOCAL, L_BGP4MP_ET_LOCAL_AP}}};
    R->label = lab[R->et ? 1 : 0][local][addpath];
    R->peer_as = asn_len == 2 ? rd_u16(&r) : rd_u32(&r);
    asn_len == 2 ? rd_u16(&r) : rd_u32(&r);
    int ifx = rd_u16(&r), afi = rd_u16(&r);
    static const uint8_t ff[16] = {255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};
    if (afi == 0xFFFF && ifx == 0xFFFF) {   /* zebra OPEN without addresses (bgpdump's workaround) */
        R->peer.afi = 4; memset(R->peer.a, 0, 16);
        const uint8_t *mk = rd_bytes(&r, 12);
        if (!mk || memcmp(mk, ff, 12)) { *why = "BGP message with a bad marker"; return -1; }
    } else {
        if (afi != 1 && afi != 2) { *why = r.bad ? "BGP4MP message truncated" : "BGP4MP message with an unknown address family"; return -1; }
        read_ip(&r, afi == 1 ? 4 : 6, &R->peer);
        ipaddr dummy; read_ip(&r, afi == 1 ? 4 : 6, &dummy);
        const uint8_t *mk = rd_bytes(&r, 16);
        if (!mk) { *why = "BGP4MP message truncated"; return -1; }
        if (memcmp(mk, ff, 16)) { *why = "BGP message with a bad marker"; return -1; }
    }
    int size = rd_u16(&r);
    if (r.bad) { *why = "BGP4MP message truncated"; return -1; }
    if (size < 19) { *why = "BGP message length below 19"; return -1; }
    rd m = rd_sub(&r, (size_t)(size - 18));
    int type = rd_u8(&m);
    if (m.bad) { *why = "BGP message truncated"; return -1; }
    switch (type) {
    case 2: return update_body(c, R, &m, asn_len, addpath, 1, why);
    case 1: case 3: case 4: case 5: return 1;    /* OPEN, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH: no rows, no -m line */
    default: *why = "unknown BGP message type"; return -1;
    }
}

/* ---------------- type 5 BGP (deprecated, RIS 1999-2001) ---------------- */
int dec_bgp5(Core *c, rec_t *R, const uint8_t *body, size_t len, int subtype, const char **why) {
    rd r = {body, len, 0, 0};
    R->label = L_BGP;
    if (subtype == 1) {
        R->peer_as = rd_u16(&r); read_ip(&r, 4, &R->peer);
        rd_u16(&r); ipaddr d; read_ip(&r, 4, &d);
        if (r.bad) { *why = "BGP UPDATE record truncated"; return -1; }
        return update_body(c, R, &r, 2, 0, 0, why);
    }
    if (subtype == 3) {
        R->peer_as = rd_u16(&r); read_ip(&r, 4, &R->peer);
        int o = rd_u16(&r), n = rd_u16(&r);
        if (r.bad) { *why = "BGP STATE_CHANGE record truncated"; return -1; }
        return emit_state(c, R, o, n) < 0 ? -2 : 0;
    }
    return 1;   /* OPEN, NOTIFY, KEEPALIVE, SYNC ...: nothing to print or store */
}

/* ---------------- self-consistency (for framing) ---------------- */
/* 1 when the record's own structure ends exactly at its declared length: such a record is decoded
 * even when the header after it is damaged (the damage is then reported at that next header). */
static int exact_nlri(rd r, int afi, int addpath) {
    prefix_t p; int k;
    while ((k = read_prefix(&r, afi, addpath, &p)) == 1) {}
    return k == 0 && r.i == r.n && !r.bad;
}

static int exact_attrs_walk(rd *r, size_t al) {
    size_t end = r->i + al;
    if (end > r->n) return 0;
    while (r->i < end) {
        int flag = rd_u8(r); rd_u8(r);
        size_t l = (flag & 0x10) ? rd_u16(r) : rd_u8(r);
        if (r->bad || r->i + l > end) return 0;
        r->i += l;
    }
    return 1;
}

int exact_record(int type, int subtype, const uint8_t *body, size_t len) {
    rd r = {body, len, 0, 0};
    switch (type) {
    case 16: case 17: {
        if (subtype == 0 || subtype == 5) return len == 8 || len == 20 || len == 24 || len == 44 || len == 48;
        int asn_len;
        switch (subtype) { case 1: case 6: case 8: case 10: asn_len = 2; break;
                           case 4: case 7: case 9: case 11: asn_len = 4; break; default: return 0; }
        rd_bytes(&r, 2 * asn_len + 2);
        int afi = rd_u16(&r);
        if (afi != 1 && afi != 2) return 0;
        rd_bytes(&r, afi == 1 ? 8 : 32);
        rd_bytes(&r, 16);
        int size = rd_u16(&r);
        return !r.bad && size >= 19 && (size_t)(size - 18) == len - r.i;
    }
    case 13: {
        if (subtype == 1) {
            rd_u32(&r); rd_bytes(&r, rd_u16(&r));
            int n = rd_u16(&r);
            for (int i = 0; i < n && !r.bad; i++) { int t = rd_u8(&r); rd_bytes(&r, 4 + ((t & 1) ? 16 : 4) + ((t & 2) ? 4 : 2)); }
            return !r.bad && r.i == len;
        }
        int addpath = subtype >= 8 && subtype <= 12, base = addpath ? subtype - 6 : subtype;
        if (base < 2 || base > 6) return 0;
        rd_u32(&r);
        if (base == 6) rd_bytes(&r, 3);
        int plen = rd_u8(&r); rd_bytes(&r, (plen + 7) / 8);
        int n = rd_u16(&r);
        for (int i = 0; i < n && !r.bad; i++) { rd_bytes(&r, addpath ? 10 : 6); size_t al = rd_u16(&r); rd_bytes(&r, al); }
        return !r.bad && r.i == len;
    }
    case 12: return td1_measure(body, len, len, subtype) == len;
    case 5:
        if (subtype == 3) return len == 10;
        if (subtype != 1) return 0;
        {
            rd_bytes(&r, 12);
            size_t wl = rd_u16(&r);
            if (r.bad || r.i + wl > len) return 0;
            rd w = {body + r.i, wl, 0, 0};
            if (!exact_nlri(w, 4, 0)) return 0;
            r.i += wl;
            size_t al = rd_u16(&r);
            if (r.bad || !exact_attrs_walk(&r, al)) return 0;
            rd nl = {body + r.i, len - r.i, 0, 0};
            return exact_nlri(nl, 4, 0);
        }
    default: return 0;
    }
}
