/* The .hex files of Protocol/vectors: each decoded to the value Protocol/vectors/README.md states, checked
 * against it, and encoded again to exactly the same bytes (ENCODING.md §11). */
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccrp.h"

#define MAXN 8

static int read_hex(const char *dir, const char *name, buf *out) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    char line[4096];
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#') continue;
        int hi = -1;
        for (char *p = line; *p; p++) {
            int v = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : (*p >= 'A' && *p <= 'F') ? *p - 'A' + 10 : -1;
            if (v < 0) { hi = -1; continue; }
            if (hi < 0) hi = v;
            else { b_u8(out, (uint8_t)(hi << 4 | v)); hi = -1; }
        }
    }
    fclose(fp);
    return 1;
}

/* A decoding fault: remembered for the check line, first one wins. */
static char fault[300];
__attribute__((format(printf, 1, 2))) static void bad(const char *fmt, ...) {
    if (fault[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fault, sizeof fault, fmt, ap);
    va_end(ap);
}
static char *str_of(const field *f) {
    if (f->wire_type != WT_LEN) { bad("field %u: expected wire type 2", f->number); return NULL; }
    if (!utf8_valid(f->data.p, f->data.n)) { bad("field %u: invalid UTF-8", f->number); return NULL; }
    return span_dup(f->data);
}
static int is_varint(const field *f) {
    if (f->wire_type == WT_VARINT) return 1;
    bad("field %u: expected wire type 0", f->number);
    return 0;
}
/* A repeated scalar: packed runs and single occurrences, concatenated in order (§5). */
static void ints_of(const field *f, int64_t *out, int *n, int zig) {
    if (f->wire_type == WT_VARINT) { if (*n < MAXN) out[(*n)++] = zig ? unzigzag(f->v) : (int64_t)f->v; return; }
    if (f->wire_type != WT_LEN) { bad("field %u: expected a packed run", f->number); return; }
    size_t off = 0;
    char err[100];
    while (off < f->data.n) {
        uint64_t v;
        if (r_varint(f->data.p, f->data.n, &off, &v, err, sizeof err) < 0) { bad("field %u: %s", f->number, err); return; }
        if (*n < MAXN) out[(*n)++] = zig ? unzigzag(v) : (int64_t)v;
    }
}
static void packed(buf *b, uint32_t number, const int64_t *v, int n, int zig) {
    if (!n) return;
    buf run = {0};
    for (int i = 0; i < n; i++) b_varint(&run, zig ? zigzag(v[i]) : (uint64_t)v[i]);
    m_msg(b, number, &run);
    b_free(&run);
}
static int streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* §6: map entries sorted by the bytes of each whole occurrence. */
typedef struct { buf occurrence; } entry;
static int entry_cmp(const void *x, const void *y) {
    const buf *a = &((const entry *)x)->occurrence, *b = &((const entry *)y)->occurrence;
    size_t n = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->p, b->p, n);
    return c ? c : (a->n > b->n) - (a->n < b->n);
}
static void put_sorted(buf *b, entry *e, int n) {
    qsort(e, (size_t)n, sizeof *e, entry_cmp);
    for (int i = 0; i < n; i++) { b_put(b, e[i].occurrence.p, e[i].occurrence.n); b_free(&e[i].occurrence); }
}

/* Frees both buffers. */
static void finish(const char *name, int decoded_right, buf *bytes, buf *encoded) {
    char what[200];
    snprintf(what, sizeof what, "%s decodes to the value Protocol/vectors/README.md states", name);
    check(decoded_right && !fault[0], what, "%s", fault[0] ? fault : "a value differs");
    snprintf(what, sizeof what, "%s re-encodes to its %zu bytes exactly", name, bytes->n);
    size_t at = 0;
    while (at < bytes->n && at < encoded->n && bytes->p[at] == encoded->p[at]) at++;
    check(bytes->n == encoded->n && at == bytes->n, what, "%zu bytes encoded, first difference at byte %zu", encoded->n, at);
    fault[0] = 0;
    b_free(bytes);
    b_free(encoded);
}

/* ---- Customer and Address of the vectors ---- */
typedef struct { char *s[4]; } vaddress;
typedef struct {
    uint8_t id[16]; char *name, *email, *phone; vaddress address; char *status; int64_t tier; char *balance;
    double created; char *tags[MAXN]; int ntags; int64_t visits[MAXN]; int nvisits;
    char *keys[MAXN], *values[MAXN]; int nnotes; int has_last; double last; int has_rating; double rating;
    int seen[15];
} vcustomer;

static void decode_address(span m, vaddress *a) {
    reader r = {m, 0, {0}};
    field f;
    int rc, seen = 0;
    memset(a, 0, sizeof *a);
    while ((rc = r_field(&r, &f)) == 1)
        if (f.number >= 1 && f.number <= 4) { free(a->s[f.number - 1]); a->s[f.number - 1] = str_of(&f); seen |= 1 << f.number; }
    if (rc < 0) bad("Address: %s", r.err);
    if (seen != 0x1e) bad("Address: a field of %u is missing", 4);
}
static void encode_address(buf *b, uint32_t number, const vaddress *a) {
    buf m = {0};
    for (int i = 0; i < 4; i++) m_str(&m, (uint32_t)i + 1, a->s[i]);
    m_msg(b, number, &m);
    b_free(&m);
}

static void decode_customer(span m, vcustomer *c) {
    reader r = {m, 0, {0}};
    field f;
    int rc;
    memset(c, 0, sizeof *c);
    while ((rc = r_field(&r, &f)) == 1) {
        if (f.number <= 14) c->seen[f.number] = 1;
        switch (f.number) {
        case 1:
            if (f.wire_type == WT_LEN && f.data.n == 16) memcpy(c->id, f.data.p, 16);
            else bad("field %u: a UUID is 16 bytes", 1);
            break;
        case 2: c->name = str_of(&f); break;
        case 3: c->email = str_of(&f); break;
        case 4: c->phone = str_of(&f); break;
        case 5: if (f.wire_type == WT_LEN) decode_address(f.data, &c->address); else bad("field %u: not a message", 5); break;
        case 6:
            c->status = str_of(&f);
            if (!streq(c->status, "active") && !streq(c->status, "dormant") && !streq(c->status, "closed")) bad("field %u: no case of CustomerStatus", 6);
            break;
        case 7:
            if (is_varint(&f)) c->tier = (int64_t)f.v;
            if (f.v > 2) bad("field %u: no case of Tier", 7);
            break;
        case 8:
            c->balance = str_of(&f);
            if (c->balance && !decimal_text_valid(f.data.p, f.data.n)) bad("field %u: no decimal text", 8);
            break;
        case 9: if (f.wire_type == WT_FIXED64) c->created = bits_double(f.v); else bad("field %u: a Date is fixed64", 9); break;
        case 10: if (c->ntags < MAXN) c->tags[c->ntags++] = str_of(&f); break;
        case 11: ints_of(&f, c->visits, &c->nvisits, 1); break;
        case 12: {
            field k = {0}, v = {0};
            if (f.wire_type != WT_LEN || msg_last(f.data, 1, &k) != 1 || msg_last(f.data, 2, &v) != 1) { bad("field %u: a map entry lacks its key or value", 12); break; }
            char *key = str_of(&k), *value = str_of(&v);
            int i = 0;
            while (i < c->nnotes && !streq(c->keys[i], key)) i++; /* the last entry of a key wins */
            if (i == c->nnotes && c->nnotes < MAXN) c->nnotes++;
            c->keys[i] = key;
            c->values[i] = value;
            break;
        }
        case 13: if (f.wire_type == WT_FIXED64) { c->has_last = 1; c->last = bits_double(f.v); } else bad("field %u: fixed64", 13); break;
        case 14: if (f.wire_type == WT_FIXED64) { c->has_rating = 1; c->rating = bits_double(f.v); } else bad("field %u: fixed64", 14); break;
        default: break; /* unknown: skipped */
        }
    }
    if (rc < 0) bad("Customer: %s", r.err);
    for (unsigned n = 1; n <= 9; n++)
        if (n != 3 && n != 4 && !c->seen[n]) bad("no field %u (non-optional)", n);
}

static void encode_customer(buf *b, const vcustomer *c) {
    m_bytes(b, 1, c->id, 16);
    m_str(b, 2, c->name);
    if (c->email) m_str(b, 3, c->email);
    if (c->phone) m_str(b, 4, c->phone);
    encode_address(b, 5, &c->address);
    m_str(b, 6, c->status);
    m_enum(b, 7, c->tier);
    m_str(b, 8, c->balance);
    m_double(b, 9, c->created);
    for (int i = 0; i < c->ntags; i++) m_str(b, 10, c->tags[i]);
    packed(b, 11, c->visits, c->nvisits, 1);
    entry e[MAXN] = {{{0}}};
    for (int i = 0; i < c->nnotes; i++) {
        buf m = {0};
        m_str(&m, 1, c->keys[i]);
        m_str(&m, 2, c->values[i]);
        m_msg(&e[i].occurrence, 12, &m);
        b_free(&m);
    }
    put_sorted(b, e, c->nnotes);
    if (c->has_last) m_double(b, 13, c->last);
    if (c->has_rating) m_double(b, 14, c->rating);
}

static int same_customer(const vcustomer *a, const vcustomer *b) {
    int ok = memcmp(a->id, b->id, 16) == 0 && streq(a->name, b->name) && (a->email ? streq(a->email, b->email) : !b->email) &&
             (a->phone ? streq(a->phone, b->phone) : !b->phone) && streq(a->status, b->status) && a->tier == b->tier &&
             streq(a->balance, b->balance) && double_bits(a->created) == double_bits(b->created) && a->ntags == b->ntags &&
             a->nvisits == b->nvisits && a->nnotes == b->nnotes && a->has_last == b->has_last && a->has_rating == b->has_rating &&
             (!a->has_last || double_bits(a->last) == double_bits(b->last)) && (!a->has_rating || double_bits(a->rating) == double_bits(b->rating));
    for (int i = 0; ok && i < 4; i++) ok = streq(a->address.s[i], b->address.s[i]);
    for (int i = 0; ok && i < a->ntags; i++) ok = streq(a->tags[i], b->tags[i]);
    for (int i = 0; ok && i < a->nvisits; i++) ok = a->visits[i] == b->visits[i];
    for (int i = 0; ok && i < a->nnotes; i++) {
        int found = 0;
        for (int k = 0; k < b->nnotes; k++) found |= streq(a->keys[i], b->keys[k]) && streq(a->values[i], b->values[k]);
        ok = found;
    }
    return ok;
}

static void customer_vector(const char *dir, const char *name, const vcustomer *want) {
    buf bytes = {0}, encoded = {0};
    if (!check(read_hex(dir, name, &bytes), name, "cannot read it from %s", dir)) return;
    vcustomer got;
    decode_customer(b_span(&bytes), &got);
    int right = !fault[0] && same_customer(&got, want);
    if (!fault[0]) encode_customer(&encoded, &got);
    finish(name, right, &bytes, &encoded);
}

/* ---- AllWidths ---- */
static void widths_vector(const char *dir, const char *name, const int64_t *si, const uint64_t *ui, int boolean, float fl, double db) {
    static const int64_t lo[5] = {INT64_MIN, -128, -32768, INT32_MIN, INT64_MIN}, hi[5] = {INT64_MAX, 127, 32767, INT32_MAX, INT64_MAX};
    static const uint64_t uhi[5] = {UINT64_MAX, 255, 65535, UINT32_MAX, UINT64_MAX};
    buf bytes = {0}, encoded = {0};
    if (!check(read_hex(dir, name, &bytes), name, "cannot read it from %s", dir)) return;
    int64_t s[5] = {0};
    uint64_t u[5] = {0};
    uint64_t b = 9, fbits = 0, dbits = 0;
    int seen = 0;
    reader r = {b_span(&bytes), 0, {0}};
    field f;
    int rc;
    while ((rc = r_field(&r, &f)) == 1) {
        if (f.number < 1 || f.number > 13) continue;
        seen |= 1 << f.number;
        if (f.number <= 11 && !is_varint(&f)) continue;
        if (f.number <= 5) {
            s[f.number - 1] = unzigzag(f.v);
            if (s[f.number - 1] < lo[f.number - 1] || s[f.number - 1] > hi[f.number - 1]) bad("field %u: value does not fit its type", f.number);
        } else if (f.number <= 10) {
            u[f.number - 6] = f.v;
            if (f.v > uhi[f.number - 6]) bad("field %u: value does not fit its type", f.number);
        } else if (f.number == 11) {
            b = f.v;
            if (b > 1) bad("field %u: not a bool", 11);
        } else if (f.number == 12) {
            if (f.wire_type == WT_FIXED32) fbits = f.v; else bad("field %u: a Float is fixed32", 12);
        } else {
            if (f.wire_type == WT_FIXED64) dbits = f.v; else bad("field %u: a Double is fixed64", 13);
        }
    }
    if (rc < 0) bad("%s", r.err);
    if (seen != 0x3ffe) bad("a non-optional field of %u is missing", 13);
    uint32_t want_f;
    memcpy(&want_f, &fl, 4);
    int right = memcmp(s, si, sizeof s) == 0 && memcmp(u, ui, sizeof u) == 0 && b == (uint64_t)boolean && fbits == want_f && dbits == double_bits(db);
    for (int i = 0; i < 5; i++) m_sint(&encoded, (uint32_t)i + 1, s[i]);
    for (int i = 0; i < 5; i++) m_uint(&encoded, (uint32_t)i + 6, u[i]);
    m_bool(&encoded, 11, (int)b);
    m_tag(&encoded, 12, WT_FIXED32);
    le32(&encoded, (uint32_t)fbits);
    m_tag(&encoded, 13, WT_FIXED64);
    le64(&encoded, dbits);
    finish(name, right, &bytes, &encoded);
}

/* ---- top-level values (§7) ---- */
static void top_level_vectors(const char *dir) {
    buf bytes = {0}, encoded = {0};
    if (check(read_hex(dir, "top-level-int-array.hex", &bytes), "top-level-int-array.hex", "cannot read it")) {
        int64_t v[MAXN];
        int n = 0;
        reader r = {b_span(&bytes), 0, {0}};
        field f;
        while (r_field(&r, &f) == 1) if (f.number == 1) ints_of(&f, v, &n, 1);
        int right = n == 3 && v[0] == 1 && v[1] == -1 && v[2] == 300;
        packed(&encoded, 1, v, n, 1);
        finish("top-level-int-array.hex", right, &bytes, &encoded);
    }
    b_free(&bytes);
    b_free(&encoded);
    if (check(read_hex(dir, "top-level-string.hex", &bytes), "top-level-string.hex", "cannot read it")) {
        field f = {0};
        char *s = msg_last(b_span(&bytes), 1, &f) == 1 ? str_of(&f) : NULL;
        int right = streq(s, "h\xc3\xa9llo \xf0\x9f\x91\x8b");
        if (s) m_str(&encoded, 1, s);
        finish("top-level-string.hex", right, &bytes, &encoded);
        free(s);
    }
    b_free(&bytes);
    b_free(&encoded);
}

/* ---- Collections: wrappers, messages, nested arrays, an Int-keyed map (§5, §6) ---- */
static void collections_vector(const char *dir) {
    const char *name = "optionals-and-messages.hex";
    buf bytes = {0}, encoded = {0};
    if (!check(read_hex(dir, name, &bytes), name, "cannot read it from %s", dir)) return;
    int opt_has[MAXN]; int64_t opt[MAXN]; int nopt = 0;
    vaddress msgs[MAXN]; int nmsgs = 0;
    int64_t nested[MAXN][MAXN]; int nested_n[MAXN]; int nnested = 0;
    int64_t keys[MAXN]; char *values[MAXN]; int nmap = 0;
    char *ostr[MAXN]; int nostr = 0;
    reader r = {b_span(&bytes), 0, {0}};
    field f;
    int rc;
    while ((rc = r_field(&r, &f)) == 1) {
        if (f.wire_type != WT_LEN) { if (f.number == 3 || f.number == 4 || f.number == 5 || f.number == 7 || f.number == 16) bad("field %u: expected wire type 2", f.number); continue; }
        field inner = {0};
        int has = msg_last(f.data, 1, &inner);
        if (f.number == 3 && nopt < MAXN) { opt_has[nopt] = has == 1; opt[nopt++] = has == 1 && is_varint(&inner) ? unzigzag(inner.v) : 0; }
        if (f.number == 4 && nmsgs < MAXN) decode_address(f.data, &msgs[nmsgs++]);
        if (f.number == 5 && nnested < MAXN) {
            nested_n[nnested] = 0;
            reader w = {f.data, 0, {0}};
            while (r_field(&w, &inner) == 1) if (inner.number == 1) ints_of(&inner, nested[nnested], &nested_n[nnested], 1);
            nnested++;
        }
        if (f.number == 7) {
            field k = {0}, v = {0};
            if (msg_last(f.data, 1, &k) != 1 || msg_last(f.data, 2, &v) != 1 || !is_varint(&k)) { bad("field %u: a map entry lacks its key or value", 7); continue; }
            int64_t key = unzigzag(k.v);
            int i = 0;
            while (i < nmap && keys[i] != key) i++;
            if (i == nmap && nmap < MAXN) nmap++;
            keys[i] = key;
            values[i] = str_of(&v);
        }
        if (f.number == 16 && nostr < MAXN) ostr[nostr++] = has == 1 ? str_of(&inner) : NULL;
    }
    if (rc < 0) bad("%s", r.err);
    int right = nopt == 2 && opt_has[0] && opt[0] == 1 && !opt_has[1] && nmsgs == 1 && streq(msgs[0].s[0], "a") && streq(msgs[0].s[1], "b") &&
                streq(msgs[0].s[2], "c") && streq(msgs[0].s[3], "d") && nnested == 2 && nested_n[0] == 1 && nested[0][0] == 1 &&
                nested_n[1] == 0 && nmap == 2 && nostr == 2 && !ostr[0] && streq(ostr[1], "x");
    for (int i = 0; right && i < nmap; i++) right = (keys[i] == -1 && streq(values[i], "minus one")) || (keys[i] == 2 && streq(values[i], "two"));
    for (int i = 0; i < nopt; i++) {
        buf w = {0};
        if (opt_has[i]) m_sint(&w, 1, opt[i]);
        m_msg(&encoded, 3, &w);
        b_free(&w);
    }
    for (int i = 0; i < nmsgs; i++) encode_address(&encoded, 4, &msgs[i]);
    for (int i = 0; i < nnested; i++) {
        buf w = {0};
        packed(&w, 1, nested[i], nested_n[i], 1);
        m_msg(&encoded, 5, &w);
        b_free(&w);
    }
    entry e[MAXN] = {{{0}}};
    for (int i = 0; i < nmap; i++) {
        buf m = {0};
        m_sint(&m, 1, keys[i]);
        m_str(&m, 2, values[i]);
        m_msg(&e[i].occurrence, 7, &m);
        b_free(&m);
    }
    put_sorted(&encoded, e, nmap);
    for (int i = 0; i < nostr; i++) {
        buf w = {0};
        if (ostr[i]) m_str(&w, 1, ostr[i]);
        m_msg(&encoded, 16, &w);
        b_free(&w);
    }
    finish(name, right, &bytes, &encoded);
}

/* ---- Signals: enums as plain varints, -1 as ten bytes (§2) ---- */
static void enums_vector(const char *dir) {
    const char *name = "enums.hex";
    buf bytes = {0}, encoded = {0};
    if (!check(read_hex(dir, name, &bytes), name, "cannot read it from %s", dir)) return;
    int64_t one = 99, maybe = 99, many[MAXN];
    int has_one = 0, has_maybe = 0, nmany = 0;
    reader r = {b_span(&bytes), 0, {0}};
    field f;
    int rc;
    while ((rc = r_field(&r, &f)) == 1) {
        if (f.number == 1 && is_varint(&f)) { one = (int64_t)f.v; has_one = 1; }
        if (f.number == 2 && is_varint(&f)) { maybe = (int64_t)f.v; has_maybe = 1; }
        if (f.number == 3) ints_of(&f, many, &nmany, 0);
    }
    if (rc < 0) bad("%s", r.err);
    int known = 1;
    for (int i = 0; i < nmany; i++) known &= many[i] >= -1 && many[i] <= 2;
    if (!known || one < -1 || one > 2 || maybe < -1 || maybe > 2) bad("field %u: a number Signal has no case for", 3);
    int right = has_one && one == 2 && has_maybe && maybe == -1 && nmany == 3 && many[0] == 0 && many[1] == 2 && many[2] == -1;
    m_enum(&encoded, 1, one);
    m_enum(&encoded, 2, maybe);
    packed(&encoded, 3, many, nmany, 0);
    finish(name, right, &bytes, &encoded);
}

void check_vectors(const char *dir) {
    vcustomer basic = {.id = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff},
                       .name = "Acme Oy", .address = {{"Mannerheimintie 1", "Helsinki", "00100", "FI"}},
                       .status = "active", .tier = 0, .balance = "0", .created = 0.0};
    customer_vector(dir, "customer-basic.hex", &basic);
    vcustomer full = {.id = {0xf4, 0x7a, 0xc1, 0x0b, 0x58, 0xcc, 0x43, 0x72, 0xa5, 0x67, 0x0e, 0x02, 0xb2, 0xc3, 0xd4, 0x79},
                      .name = "\xc3\x85landsbanken Ab \xe2\x80\x93 \xe6\x97\xa5\xe6\x9c\xac\xe6\x94\xaf\xe5\xba\x97 \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbc",
                      .email = "kontakt@example.fi", .phone = "+358 40 123 4567",
                      .address = {{"Storgatan 9", "Mariehamn", "22100", "AX"}}, .status = "dormant", .tier = 2,
                      .balance = "-1234.5", .created = 700000000.123456, .tags = {"vip", "nordics", ""}, .ntags = 3,
                      .visits = {3, -1, 300, 0}, .nvisits = 4, .keys = {"owner", "lang"}, .values = {"M\xc3\xa4rta", "sv"}, .nnotes = 2,
                      .has_last = 1, .last = -1.5, .has_rating = 1, .rating = -0.25};
    customer_vector(dir, "customer-full.hex", &full);
    static const int64_t smin[5] = {INT64_MIN, -128, -32768, INT32_MIN, INT64_MIN}, smax[5] = {INT64_MAX, 127, 32767, INT32_MAX, INT64_MAX};
    static const uint64_t umin[5] = {0}, umax[5] = {UINT64_MAX, 255, 65535, UINT32_MAX, UINT64_MAX};
    widths_vector(dir, "scalars-min.hex", smin, umin, 0, -FLT_MAX, -DBL_MAX);
    widths_vector(dir, "scalars-max.hex", smax, umax, 1, (float)(1.0 / 0.0), bits_double(1));
    top_level_vectors(dir);
    collections_vector(dir);
    enums_vector(dir);
}
