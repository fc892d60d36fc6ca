/* BGP path attributes (RFC 4271, 4760, 6793, 1997, 8092, 9234), the AS4_PATH merge exactly as
 * bgpdump 1.6.2 does it, and address/number text. */
#include "_mrtcore.h"

int gb_reserve(gbuf *b, size_t extra) {
    size_t need = b->n + extra, cap = b->cap ? b->cap : 4096;
    while (cap < need) cap *= 2;
    char *q = PyMem_Realloc(b->p, cap);
    if (!q) { PyErr_NoMemory(); return -1; }
    b->p = q; b->cap = cap; return 0;
}
void gb_free(gbuf *b) { PyMem_Free(b->p); b->p = NULL; b->n = b->cap = 0; }

int fmt_u32(uint32_t v, char *out) {
    char t[12]; int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (int i = 0; i < n; i++) out[i] = t[n - 1 - i];
    out[n] = 0; return n;
}

static int fmt_v4(const uint8_t *a, char *out) {
    int n = 0;
    for (int i = 0; i < 4; i++) {
        if (i) out[n++] = '.';
        n += fmt_u32(a[i], out + n);
    }
    out[n] = 0; return n;
}

/* bgpdump's fmt_ipv6: v4-mapped/compat as dotted quads, "::" for the longest run of zero groups
 * even when it is a single group (RFC 5952 would not compress that one) */
static int fmt_v6_bgpdump(const uint8_t *a, char *out) {
    static const char hx[] = "0123456789abcdef";
    int z12 = 1;
    for (int i = 0; i < 10; i++) if (a[i]) { z12 = 0; break; }
    uint32_t last = ((uint32_t)a[12] << 24) | ((uint32_t)a[13] << 16) | ((uint32_t)a[14] << 8) | a[15];
    int mapped = z12 && a[10] == 0xff && a[11] == 0xff;
    int compat = z12 && a[10] == 0 && a[11] == 0 && last > 1;
    if (mapped || compat) {
        int n = 0; out[n++] = ':'; out[n++] = ':';
        if (mapped) { memcpy(out + n, "ffff:", 5); n += 5; }
        return n + fmt_v4(a + 12, out + n);
    }
    uint16_t g[8]; int zr[8];
    for (int i = 0; i < 8; i++) g[i] = (uint16_t)((a[2 * i] << 8) | a[2 * i + 1]);
    for (int i = 7, j = 0; i >= 0; i--) { j = g[i] == 0 ? j + 1 : 0; zr[i] = j; }
    int k = -1, best = 0;
    for (int i = 0; i < 8; i++) if (zr[i] > best) { k = i; best = zr[i]; }
    int n = 0;
    for (int i = 0; i < 8; i++) {
        if (i == k) { if (i == 0) out[n++] = ':'; out[n++] = ':'; i += best - 1; continue; }
        uint16_t v = g[i]; int started = 0;
        for (int s = 12; s >= 0; s -= 4) {
            int d = (v >> s) & 15;
            if (d || started || s == 0) { out[n++] = hx[d]; started = 1; }
        }
        if (i != 7) out[n++] = ':';
    }
    out[n] = 0; return n;
}

int fmt_ip_dump(const ipaddr *ip, char *out) {
    if (ip->afi == 4) return fmt_v4(ip->a, out);
    return fmt_v6_bgpdump(ip->a, out);
}

int fmt_ip_canon(const ipaddr *ip, char *out) {
    if (ip->afi == 4) return fmt_v4(ip->a, out);
    /* RFC 5952: longest run (>= 2) of zero groups as "::", first on ties; lower-case hex */
    uint16_t g[8];
    for (int i = 0; i < 8; i++) g[i] = (uint16_t)((ip->a[2 * i] << 8) | ip->a[2 * i + 1]);
    int best = -1, bestlen = 0;
    for (int i = 0; i < 8;) {
        if (g[i] == 0) {
            int j = i; while (j < 8 && g[j] == 0) j++;
            if (j - i > bestlen) { best = i; bestlen = j - i; }
            i = j;
        } else i++;
    }
    if (bestlen < 2) best = -1;
    static const char hx[] = "0123456789abcdef";
    int n = 0, i = 0;
    while (i < 8) {
        if (i == best) { out[n++] = ':'; out[n++] = ':'; i += bestlen; continue; }
        if (n > 0 && out[n - 1] != ':') out[n++] = ':';
        uint16_t v = g[i++]; int started = 0;
        for (int s = 12; s >= 0; s -= 4) {
            int d = (v >> s) & 15;
            if (d || started || s == 0) { out[n++] = hx[d]; started = 1; }
        }
    }
    out[n] = 0; return n;
}

static void set_error_path(aspath_t *p) { p->nseg = 0; p->nasn = 0; p->count = 0; p->error = 1; }

/* parse an AS_PATH / AS4_PATH body with asn_len bytes per ASN (bgpdump's validity rules) */
static void parse_aspath(const uint8_t *d, int len, int asn_len, aspath_t *p) {
    p->nseg = p->nasn = p->count = p->error = 0;
    int i = 0;
    while (i < len) {
        if (i + 2 > len) { set_error_path(p); return; }
        int t = d[i], n = d[i + 1];
        if (t != SEG_SET && t != SEG_SEQ && t != SEG_CSET && t != SEG_CSEQ) { set_error_path(p); return; }
        if (i + 2 + n * asn_len > len) { set_error_path(p); return; }
        if (p->nseg >= MAX_SEGS || p->nasn + n > MAX_ASNS) { set_error_path(p); return; }
        p->type[p->nseg] = (uint8_t)t; p->len[p->nseg] = (uint16_t)n; p->nseg++;
        const uint8_t *q = d + i + 2;
        for (int k = 0; k < n; k++) {
            uint32_t a = asn_len == 2 ? (uint32_t)((q[0] << 8) | q[1])
                                      : ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3];
            p->asn[p->nasn++] = a; q += asn_len;
        }
        p->count += (t == SEG_SEQ || t == SEG_CSEQ) ? n : 1;
        i += 2 + n * asn_len;
    }
}

/* bgpdump's asn32_merge_paths: copies the FIRST segment of AS_PATH (it never advances) until the
 * merged count reaches count(AS_PATH) - count(AS4_PATH), trimming sequences, then appends AS4_PATH. */
static void merge_as4(aspath_t *path, const aspath_t *p4) {
    static aspath_t m;
    m.nseg = m.nasn = m.count = m.error = 0;
    int need = path->count - p4->count;
    while (m.count < need) {
        if (path->nseg == 0 || m.nseg >= MAX_SEGS || m.nasn + path->len[0] > MAX_ASNS) { set_error_path(path); return; }
        int t = path->type[0], n = path->len[0];
        m.type[m.nseg] = (uint8_t)t; m.len[m.nseg] = (uint16_t)n;
        memcpy(m.asn + m.nasn, path->asn, sizeof(uint32_t) * n);
        m.nseg++; m.nasn += n;
        if (t == SEG_SET || t == SEG_CSET) m.count += 1;
        else {
            m.count += n;
            if (m.count > need) { int cut = m.count - need; m.len[m.nseg - 1] -= cut; m.nasn -= cut; m.count = need; }
        }
        if (n == 0 && t != SEG_SET && t != SEG_CSET) break; /* bgpdump would loop forever here */
    }
    for (int s = 0, k = 0; s < p4->nseg; s++) {
        if (m.nseg >= MAX_SEGS || m.nasn + p4->len[s] > MAX_ASNS) { set_error_path(path); return; }
        m.type[m.nseg] = p4->type[s]; m.len[m.nseg] = p4->len[s]; m.nseg++;
        memcpy(m.asn + m.nasn, p4->asn + k, sizeof(uint32_t) * p4->len[s]);
        m.nasn += p4->len[s]; k += p4->len[s];
        m.count += (p4->type[s] == SEG_SEQ || p4->type[s] == SEG_CSEQ) ? p4->len[s] : 1;
    }
    memcpy(path, &m, sizeof(m));
}

int fmt_aspath_text(const aspath_t *p, char *out, int cap) {
    if (p->error) { strcpy(out, "! Error !"); return 9; }
    static const char st[5] = {' ', '{', ' ', '(', '['}, en[5] = {' ', '}', ' ', ')', ']'};
    int pos = 0, space = 0, type = SEG_SEQ, k = 0;
    for (int s = 0; s < p->nseg; s++) {
        int t = p->type[s];
        if (pos > cap - 100) { strcpy(out + pos, "..."); return pos + 3; }
        if (type != SEG_SEQ) out[pos++] = en[type];
        if (space) out[pos++] = ' ';
        if (t != SEG_SEQ) out[pos++] = st[t];
        space = 0;
        for (int i = 0; i < p->len[s]; i++) {
            if (space) out[pos++] = (t == SEG_SET || t == SEG_CSET) ? ',' : ' ';
            else space = 1;
            pos += fmt_u32(p->asn[k++], out + pos);
            if (pos > cap - 100) { strcpy(out + pos, "..."); return pos + 3; }
        }
        type = t;
    }
    if (p->nseg && p->type[p->nseg - 1] != SEG_SEQ) out[pos++] = en[p->type[p->nseg - 1]];
    out[pos] = 0; return pos;
}

int read_prefix(rd *r, int afi, int addpath, prefix_t *p) {
    if (rd_left(r) <= 0) return 0;
    p->has_id = (uint8_t)addpath; p->path_id = 0;
    if (addpath) { if (rd_left(r) < 5) { r->i = r->n; return 0; } p->path_id = rd_u32(r); }
    int plen = rd_u8(r), nb = (plen + 7) / 8;
    int max = afi == 4 ? 32 : 128;
    if (plen > max) return -1;
    if (rd_left(r) < nb) { r->i = r->n; return 0; }   /* truncated last prefix: bgpdump drops it */
    p->afi = (uint8_t)afi; p->len = (uint8_t)plen;
    memset(p->a, 0, 16);
    memcpy(p->a, r->p + r->i, nb); r->i += nb;
    if (nb && (plen & 7)) p->a[nb - 1] &= (uint8_t)(0xFF << (8 - (plen & 7)));
    return 1;
}

static int parse_mp_reach(rd *s, attrs_t *A) {
    A->has_reach = 1;
    memset(A->reach_nh, 0, 16); memset(A->reach_nh_local, 0, 16);
    if (rd_left(s) < 1) { A->err = "empty MP_REACH_NLRI"; return -1; }
    if (s->p[s->i] != 0) {            /* RFC 6396 4.3.4 abbreviated form: next hop only */
        A->reach_abbrev = 1; A->reach_afi = 2; A->reach_safi = 1;
        int nl = rd_u8(s);
        int k = nl < 16 ? nl : 16;
        if (k > rd_left(s)) { A->err = "MP_REACH_NLRI next hop truncated"; return -1; }
        memcpy(A->reach_nh, rd_bytes(s, k), k);
        A->reach_nh_len = nl;
        if (nl == 32 && rd_left(s) >= 16) memcpy(A->reach_nh_local, rd_bytes(s, 16), 16);
        A->reach_nlri = (rd){0};
        return 0;
    }
    A->reach_afi = rd_u16(s); A->reach_safi = rd_u8(s);
    int nl = rd_u8(s);
    const uint8_t *nh = rd_bytes(s, nl);
    if (!nh) { A->err = "MP_REACH_NLRI next hop truncated"; return -1; }
    A->reach_nh_len = nl;
    memcpy(A->reach_nh, nh, nl < 16 ? nl : 16);
    if (nl == 32) memcpy(A->reach_nh_local, nh + 16, 16);
    int snpa = rd_u8(s);
    for (; snpa > 0; snpa--) { int l = rd_u8(s); rd_bytes(s, l); }
    if (s->bad) { A->err = "MP_REACH_NLRI truncated"; return -1; }
    A->reach_nlri = rd_sub(s, s->n - s->i);
    return 0;
}

int parse_attrs(Core *c, rd *r, int asn_len, int addpath, attrs_t *A) {
    (void)addpath;
    memset(A, 0, offsetof(attrs_t, unknown));
    A->origin = -1;
    A->path = &c->path; A->path4 = &c->path4;
    c->path.nseg = c->path.nasn = c->path.count = c->path.error = 0;
    int has_p4 = 0;
    while (rd_left(r) > 0) {
        int flag = rd_u8(r), type = rd_u8(r);
        int len = (flag & 0x10) ? rd_u16(r) : rd_u8(r);
        if (r->bad) { A->err = "attribute header truncated"; return -1; }
        if (rd_left(r) < len) { A->err = "attribute truncated"; return -1; }
        rd s = rd_sub(r, len);
        const uint8_t *d = s.p;
        if (type < 64) A->flag |= (uint64_t)1 << type;
        switch (type) {
        case 1: if (len != 1) goto badlen; A->origin = d[0]; break;
        case 2: A->has_path = 1; parse_aspath(d, len, asn_len, &c->path); break;
        case 3: if (len != 4) goto badlen; memcpy(A->nexthop, d, 4); A->has_nexthop = 1; break;
        case 4: if (len != 4) goto badlen; A->med = rd_u32(&s); A->has_med = 1; break;
        case 5: if (len != 4) goto badlen; A->local_pref = rd_u32(&s); A->has_lp = 1; break;
        case 6: A->atomic = 1; break;
        case 7:
            if (len != asn_len + 4) goto badlen;
            A->agg_as = asn_len == 2 ? rd_u16(&s) : rd_u32(&s);
            memcpy(A->agg_ip, rd_bytes(&s, 4), 4); A->has_agg = 1; break;
        case 8: if (len % 4) goto badlen; A->comm = d; A->comm_len = len; A->has_comm = 1; break;
        case 14: if (parse_mp_reach(&s, A) < 0) return -1; break;
        case 15:
            if (len < 3) goto badlen;
            A->has_unreach = 1; A->unreach_afi = rd_u16(&s); A->unreach_safi = rd_u8(&s);
            A->unreach_nlri = rd_sub(&s, s.n - s.i); break;
        case 17: has_p4 = 1; parse_aspath(d, len, 4, &c->path4); break;
        case 18:
            if (len != 8) goto badlen;
            A->agg4_as = rd_u32(&s); memcpy(A->agg4_ip, rd_bytes(&s, 4), 4); A->has_agg4 = 1; break;
        case 32: if (len % 12) goto badlen; A->lcomm = d; A->lcomm_len = len; A->has_lcomm = 1; break;
        case 35:   /* ONLY_TO_CUSTOMER; bgpdump 1.6.2 lists it among the unknown ones (-u) */
            if (len != 4) goto badlen;
            A->otc = rd_u32(&s); A->has_otc = 1;
            if (A->nunknown < MAX_UNKNOWN) {
                A->unknown[A->nunknown].flag = (uint8_t)flag; A->unknown[A->nunknown].type = (uint8_t)type;
                A->unknown[A->nunknown].len = (uint16_t)len; A->unknown[A->nunknown].p = d; A->nunknown++;
            }
            break;
        case 9: case 10:   /* ORIGINATOR_ID, CLUSTER_LIST: kept raw for the table; bgpdump's -u omits them */
        default:
            if (A->nunknown < MAX_UNKNOWN) {
                A->unknown[A->nunknown].flag = (uint8_t)flag; A->unknown[A->nunknown].type = (uint8_t)type;
                A->unknown[A->nunknown].len = (uint16_t)len; A->unknown[A->nunknown].p = d; A->nunknown++;
            }
        }
        continue;
    badlen:
        A->err = "attribute with a wrong length";
        return -1;
    }
    /* RFC 6793 transition, as bgpdump's process_asn32_trans */
    if (asn_len == 2) {
        if (A->has_agg && A->has_agg4) {
            if (A->agg_as != 23456) return 0;
            A->agg_as = A->agg4_as; memcpy(A->agg_ip, A->agg4_ip, 4);
        }
        if (!has_p4 || !A->has_path) return 0;
        if (c->path.error || c->path4.error) return 0;
        if (c->path.count < c->path4.count) return 0;
        merge_as4(&c->path, &c->path4);
    }
    return 0;
}
