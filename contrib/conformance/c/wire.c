/* Byte buffers, varints, zigzag and fields: ENCODING.md §1-§2 and PROTOCOL.md §1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ccrp.h"

static void reserve(buf *b, size_t more) {
    if (b->n + more <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + more) cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        perror("realloc");
        exit(3);
    }
    b->p = p;
    b->cap = cap;
}

void b_put(buf *b, const void *data, size_t len) {
    if (len == 0) return;
    reserve(b, len);
    memcpy(b->p + b->n, data, len);
    b->n += len;
}
void b_u8(buf *b, uint8_t v) { b_put(b, &v, 1); }
void b_u16(buf *b, uint16_t v) { uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v}; b_put(b, x, 2); }
void b_u32(buf *b, uint32_t v) {
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    b_put(b, x, 4);
}
void b_varint(buf *b, uint64_t v) {
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        if (v) byte |= 0x80;
        b_u8(b, byte);
    } while (v);
}
void b_string(buf *b, const char *s, size_t len) { b_varint(b, len); b_put(b, s, len); }
void b_free(buf *b) { free(b->p); b->p = NULL; b->n = b->cap = 0; }
span b_span(const buf *b) { span s = {b->p, b->n}; return s; }

/* Unsigned arithmetic throughout: a left shift of a negative int64 is undefined in C. */
uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0); }
int64_t unzigzag(uint64_t u) {
    uint64_t x = (u >> 1) ^ (0 - (u & 1));
    int64_t out;
    memcpy(&out, &x, sizeof out);
    return out;
}

void le64(buf *b, uint64_t v) { for (int i = 0; i < 8; i++) b_u8(b, (uint8_t)(v >> (8 * i))); }
void le32(buf *b, uint32_t v) { for (int i = 0; i < 4; i++) b_u8(b, (uint8_t)(v >> (8 * i))); }
uint64_t rd_le64(const uint8_t *p) { uint64_t v = 0; for (int i = 7; i >= 0; i--) v = v << 8 | p[i]; return v; }
uint32_t rd_le32(const uint8_t *p) { uint32_t v = 0; for (int i = 3; i >= 0; i--) v = v << 8 | p[i]; return v; }
double bits_double(uint64_t bits) { double d; memcpy(&d, &bits, 8); return d; }
uint64_t double_bits(double d) { uint64_t bits; memcpy(&bits, &d, 8); return bits; }

void m_tag(buf *b, uint32_t number, int wire_type) { b_varint(b, (uint64_t)number << 3 | (uint64_t)wire_type); }
void m_sint(buf *b, uint32_t number, int64_t v) { m_tag(b, number, WT_VARINT); b_varint(b, zigzag(v)); }
void m_uint(buf *b, uint32_t number, uint64_t v) { m_tag(b, number, WT_VARINT); b_varint(b, v); }
void m_enum(buf *b, uint32_t number, int64_t v) { m_tag(b, number, WT_VARINT); b_varint(b, (uint64_t)v); }
void m_bool(buf *b, uint32_t number, int v) { m_tag(b, number, WT_VARINT); b_varint(b, v ? 1 : 0); }
void m_double(buf *b, uint32_t number, double v) { m_tag(b, number, WT_FIXED64); le64(b, double_bits(v)); }
void m_float(buf *b, uint32_t number, float v) {
    uint32_t bits;
    memcpy(&bits, &v, 4);
    m_tag(b, number, WT_FIXED32);
    le32(b, bits);
}
void m_bytes(buf *b, uint32_t number, const void *p, size_t len) { m_tag(b, number, WT_LEN); b_varint(b, len); b_put(b, p, len); }
void m_str(buf *b, uint32_t number, const char *s) { m_bytes(b, number, s, strlen(s)); }
void m_msg(buf *b, uint32_t number, const buf *inner) { m_bytes(b, number, inner->p, inner->n); }

int r_varint(const uint8_t *p, size_t n, size_t *off, uint64_t *out, char *err, size_t errlen) {
    uint64_t v = 0;
    size_t start = *off;
    for (int i = 0; i < 10; i++) {
        if (*off >= n) {
            snprintf(err, errlen, "truncated varint at byte offset %zu", start);
            return -1;
        }
        uint8_t byte = p[(*off)++];
        if (i == 9 && byte > 1) {
            snprintf(err, errlen, "varint over 64 bits at byte offset %zu", start);
            return -1;
        }
        v |= (uint64_t)(byte & 0x7f) << (7 * i);
        if (!(byte & 0x80)) {
            *out = v;
            return 1;
        }
    }
    snprintf(err, errlen, "varint longer than 10 bytes at byte offset %zu", start);
    return -1;
}

int r_field(reader *r, field *f) {
    if (r->off >= r->s.n) return 0;
    f->offset = r->off;
    uint64_t tag;
    if (r_varint(r->s.p, r->s.n, &r->off, &tag, r->err, sizeof r->err) < 0) return -1;
    uint64_t number = tag >> 3;
    f->wire_type = (int)(tag & 7);
    if (number == 0 || number > 536870911) {
        snprintf(r->err, sizeof r->err, "invalid field number %llu at byte offset %zu", (unsigned long long)number, f->offset);
        return -1;
    }
    f->number = (uint32_t)number;
    f->data.p = NULL;
    f->data.n = 0;
    switch (f->wire_type) {
    case WT_VARINT:
        return r_varint(r->s.p, r->s.n, &r->off, &f->v, r->err, sizeof r->err) < 0 ? -1 : 1;
    case WT_FIXED64:
        if (r->s.n - r->off < 8) break;
        f->v = rd_le64(r->s.p + r->off);
        r->off += 8;
        return 1;
    case WT_FIXED32:
        if (r->s.n - r->off < 4) break;
        f->v = rd_le32(r->s.p + r->off);
        r->off += 4;
        return 1;
    case WT_LEN: {
        uint64_t len;
        if (r_varint(r->s.p, r->s.n, &r->off, &len, r->err, sizeof r->err) < 0) return -1;
        if (len > r->s.n - r->off) {
            snprintf(r->err, sizeof r->err, "length %llu at byte offset %zu runs past the end", (unsigned long long)len, f->offset);
            return -1;
        }
        f->data.p = r->s.p + r->off;
        f->data.n = (size_t)len;
        r->off += (size_t)len;
        return 1;
    }
    default:
        snprintf(r->err, sizeof r->err, "wire type %d at byte offset %zu is not supported", f->wire_type, f->offset);
        return -1;
    }
    snprintf(r->err, sizeof r->err, "truncated fixed field at byte offset %zu", f->offset);
    return -1;
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
int utf8_valid(const uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = p[i];
        size_t extra;
        uint32_t cp, min;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xe0) == 0xc0) { extra = 1; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { extra = 2; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { extra = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (n - i <= extra) return 0;
        for (size_t k = 1; k <= extra; k++) {
            if ((p[i + k] & 0xc0) != 0x80) return 0;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        i += extra + 1;
    }
    return 1;
}

/* ENCODING.md §2: -?[0-9]+(\.[0-9]+)? or NaN; a writer's text is canonical (no trailing
 * fraction zeros, no leading zeros), which decimal_text_canonical checks on top. */
int decimal_text_valid(const uint8_t *p, size_t n) {
    if (n == 3 && memcmp(p, "NaN", 3) == 0) return 1;
    size_t i = 0;
    if (i < n && p[i] == '-') i++;
    size_t digits = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') { i++; digits++; }
    if (digits == 0) return 0;
    if (i == n) return 1;
    if (p[i] != '.') return 0;
    i++;
    digits = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') { i++; digits++; }
    return digits > 0 && i == n;
}

int span_eq_str(span s, const char *str) { return s.n == strlen(str) && memcmp(s.p, str, s.n) == 0; }

int msg_last(span m, uint32_t number, field *out) {
    reader r = {m, 0, {0}};
    field f;
    int found = 0, rc;
    while ((rc = r_field(&r, &f)) == 1)
        if (f.number == number) { *out = f; found = 1; }
    return rc < 0 ? -1 : found;
}
static int get_varint(span m, uint32_t number, uint64_t *v) {
    field f;
    int rc = msg_last(m, number, &f);
    if (rc != 1 || f.wire_type != WT_VARINT) return rc == 1 ? -1 : rc;
    *v = f.v;
    return 1;
}
int get_sint(span m, uint32_t number, int64_t *v) {
    uint64_t raw = 0;
    int rc = get_varint(m, number, &raw);
    if (rc == 1) *v = unzigzag(raw);
    return rc;
}
int get_uint(span m, uint32_t number, uint64_t *v) { return get_varint(m, number, v); }
int get_double(span m, uint32_t number, double *v) {
    field f;
    int rc = msg_last(m, number, &f);
    if (rc != 1 || f.wire_type != WT_FIXED64) return rc == 1 ? -1 : rc;
    *v = bits_double(f.v);
    return 1;
}
int get_bytes(span m, uint32_t number, span *v) {
    field f;
    int rc = msg_last(m, number, &f);
    if (rc != 1 || f.wire_type != WT_LEN) return rc == 1 ? -1 : rc;
    *v = f.data;
    return 1;
}
char *span_dup(span s) {
    char *p = malloc(s.n + 1);
    if (!p) { perror("malloc"); exit(3); }
    if (s.n) memcpy(p, s.p, s.n);
    p[s.n] = 0;
    return p;
}
