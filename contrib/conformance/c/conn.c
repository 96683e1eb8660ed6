/* The connection: magic and HELLO (PROTOCOL.md §3, §5.1), frames read and checked strictly
 * (§4, §5, §10.1), CALL_START and STATUS (§5.2, §5.3), metadata blocks (§7). Every read and
 * write loops over partial transfers; every wait is bounded (poll). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ccrp.h"

int patience = 1;

static const char *const code_names[] = {
    "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
    "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
const char *code_name(int code) { return code >= 0 && code <= 16 ? code_names[code] : "(unknown)"; }

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int write_all(int fd, const uint8_t *p, size_t n, size_t chunk) {
    while (n > 0) {
        ssize_t w = send(fd, p, chunk && chunk < n ? chunk : n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* 1 = all n bytes, 0 = end of stream or timeout before any byte of a frame, -1 = error or a
 * frame cut short. */
static int read_exact(int fd, uint8_t *p, size_t n, long long deadline, size_t chunk) {
    size_t got = 0;
    while (got < n) {
        long long left = deadline - now_ms();
        if (left <= 0) return got ? -1 : 0;
        struct pollfd pfd = {fd, POLLIN, 0};
        int rc = poll(&pfd, 1, left > 1000000 ? 1000000 : (int)left);
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) return -1;
        if (rc == 0) continue;
        ssize_t r = recv(fd, p + got, chunk && chunk < n - got ? chunk : n - got, 0);
        if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (r < 0) return -1;
        if (r == 0) return got ? -1 : 0;
        got += (size_t)r;
    }
    return 1;
}

int send_frame(conn *c, uint8_t type, uint8_t flags, uint32_t stream, const void *p, size_t n) {
    buf b = {0};
    b_u32(&b, (uint32_t)n);
    b_u8(&b, type);
    b_u8(&b, flags);
    b_u32(&b, stream);
    b_put(&b, p, n);
    int rc = write_all(c->fd, b.p, b.n, c->write_chunk);
    b_free(&b);
    return rc;
}

void frame_free(frame *f) { free(f->payload); f->payload = NULL; }

/* Cursor over a frame payload: big-endian fields, varints, strings. */
typedef struct { const uint8_t *p; size_t n, off; int bad; } cursor;
static uint64_t c_be(cursor *k, int bytes) {
    if (k->bad || k->n - k->off < (size_t)bytes) { k->bad = 1; return 0; }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v = v << 8 | k->p[k->off++];
    return v;
}
static uint64_t c_varint(cursor *k) {
    char err[100];
    uint64_t v = 0;
    if (k->bad || r_varint(k->p, k->n, &k->off, &v, err, sizeof err) < 0) k->bad = 1;
    return v;
}
static span c_bytes(cursor *k, uint64_t limit) {
    span s = {NULL, 0};
    uint64_t len = c_varint(k);
    if (k->bad || len > limit || len > k->n - k->off) { k->bad = 1; return s; }
    s.p = k->p + k->off;
    s.n = (size_t)len;
    k->off += (size_t)len;
    return s;
}

static const char *const type_names[] = {"?", "HELLO", "CALL_START", "MESSAGE", "STATUS", "CANCEL",
                                         "WINDOW_UPDATE", "PING", "PONG", "GOAWAY"};

static int key_valid(span k) {
    if (k.n < 1 || k.n > 64) return 0;
    for (size_t i = 0; i < k.n; i++) {
        uint8_t ch = k.p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.')) return 0;
    }
    return 1;
}

/* §7: a metadata block within its limits, keys of the allowed set. */
static int check_metadata(cursor *k, const char *what) {
    uint64_t count = c_varint(k);
    int ok = quiet_check(!k->bad && count <= 64, "%s: metadata entry count %llu (at most 64)", what, (unsigned long long)count);
    size_t total = 0;
    for (uint64_t i = 0; ok && i < count; i++) {
        span key = c_bytes(k, 64), value = c_bytes(k, 8192);
        ok &= quiet_check(!k->bad && key_valid(key) && utf8_valid(value.p, value.n), "%s: metadata entry %llu malformed", what, (unsigned long long)i);
        total += key.n + value.n;
    }
    return ok && quiet_check(total <= 8192, "%s: metadata of %zu bytes (at most 8 KiB)", what, total);
}

int read_frame(conn *c, frame *f, int timeout_ms) {
    for (;;) {
        uint8_t h[10];
        int rc = read_exact(c->fd, h, 10, now_ms() + timeout_ms, c->read_chunk);
        if (rc <= 0) {
            quiet_check(rc == 0, "a frame header cut short or a read error (%s)", strerror(errno));
            return rc;
        }
        f->length = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
        f->type = h[4];
        f->flags = h[5];
        f->stream = (uint32_t)h[6] << 24 | (uint32_t)h[7] << 16 | (uint32_t)h[8] << 8 | h[9];
        f->payload = NULL;
        c->frames_read++;
        /* §9: a server never sends a frame larger than the client's max frame size. */
        if (!quiet_check(f->length <= c->my_max_frame, "frame of %u bytes over the %u we announced", f->length, c->my_max_frame)) return -1;
        f->payload = malloc(f->length ? f->length : 1);
        if (!f->payload) { perror("malloc"); exit(3); }
        if (read_exact(c->fd, f->payload, f->length, now_ms() + timeout_ms, c->read_chunk) != 1 && f->length) {
            quiet_check(0, "a frame payload of %u bytes cut short", f->length);
            frame_free(f);
            return -1;
        }
        int ok = quiet_check(f->type >= F_HELLO && f->type <= F_GOAWAY, "unknown frame type %u", f->type);
        if (!ok) { frame_free(f); return -1; }
        const char *t = type_names[f->type];
        ok &= quiet_check(f->type != F_CALL_START && f->type != F_CANCEL, "%s from the server (client to server only)", t);
        uint8_t allowed = (f->type == F_MESSAGE || f->type == F_STATUS) ? HAS_MESSAGE : 0;
        ok &= quiet_check((f->flags & ~allowed) == 0, "%s with undefined flag bits 0x%x", t, f->flags & ~allowed);
        int on_zero = f->type == F_HELLO || f->type == F_PING || f->type == F_PONG || f->type == F_GOAWAY;
        ok &= quiet_check(on_zero ? f->stream == 0 : f->stream != 0, "%s on stream %u", t, f->stream);
        if (f->type == F_PING || f->type == F_PONG)
            ok &= quiet_check(f->length == 8, "%s of %u bytes (exactly 8)", t, f->length);
        if (f->type == F_WINDOW_UPDATE)
            ok &= quiet_check(f->length == 4 && (f->payload[0] | f->payload[1] | f->payload[2] | f->payload[3]),
                              "WINDOW_UPDATE of %u bytes or of 0", f->length);
        if (f->type == F_MESSAGE)
            ok &= quiet_check(f->flags == HAS_MESSAGE, "a server MESSAGE without HAS_MESSAGE (flags %02x)", f->flags);
        if (f->type == F_GOAWAY) {
            cursor k = {f->payload, f->length, 0, 0};
            c->goaway = 1;
            c->goaway_code = (int)c_be(&k, 1);
            span m = c_bytes(&k, 65536);
            ok &= quiet_check(!k.bad && utf8_valid(m.p, m.n), "GOAWAY payload malformed");
            printf("# GOAWAY %s \"%.*s\"\n", code_name(c->goaway_code), (int)m.n, (const char *)m.p);
        }
        if (!ok) { frame_free(f); return -1; }
        if (f->type == F_PING) { /* §11: answered with the same 8 bytes */
            send_frame(c, F_PONG, 0, 0, f->payload, 8);
            frame_free(f);
            continue;
        }
        return 1;
    }
}

int conn_open(conn *c, const char *socket_path, uint32_t window, uint32_t max_frame, const char *name) {
    memset(c, 0, sizeof *c);
    c->my_window = window;
    c->my_max_frame = max_frame;
    c->next_stream = 1;
    c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {0};
    a.sun_family = AF_UNIX;
    if (strlen(socket_path) >= sizeof a.sun_path) return -1;
    strcpy(a.sun_path, socket_path);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) {
        printf("# connect %s: %s\n", socket_path, strerror(errno));
        return -1;
    }
    buf b = {0};
    b_put(&b, "CCRP", 4);
    buf hello = {0};
    b_u8(&hello, 1);
    b_u16(&hello, 1);
    b_u32(&hello, window);
    b_u32(&hello, max_frame);
    b_string(&hello, name, strlen(name));
    b_u32(&b, (uint32_t)hello.n);
    b_u8(&b, F_HELLO);
    b_u8(&b, 0);
    b_u32(&b, 0);
    b_put(&b, hello.p, hello.n);
    int rc = write_all(c->fd, b.p, b.n, 0);
    b_free(&b);
    b_free(&hello);
    if (rc < 0) return -1;
    frame f;
    if (read_frame(c, &f, 30000 * patience) != 1) return -1;
    if (!quiet_check(f.type == F_HELLO, "the server's first frame is %s, not HELLO", type_names[f.type])) { frame_free(&f); return -1; }
    cursor k = {f.payload, f.length, 0, 0};
    c->version = (uint16_t)c_be(&k, 2);
    c->max_frame = (uint32_t)c_be(&k, 4);
    c->max_calls = (uint32_t)c_be(&k, 4);
    c->window = (uint32_t)c_be(&k, 4);
    span sn = c_bytes(&k, 255), sv = c_bytes(&k, 255);
    int ok = quiet_check(!k.bad && k.off == k.n, "server HELLO of %u bytes malformed or with bytes after its fields", f.length);
    ok &= quiet_check(c->version == 1, "server chose version %u, we offered only 1", c->version);
    ok &= quiet_check(c->max_frame >= 16384 && c->max_calls >= 1 && c->window >= 1, "server HELLO limits %u/%u/%u", c->max_frame, c->max_calls, c->window);
    ok &= quiet_check(utf8_valid(sn.p, sn.n) && utf8_valid(sv.p, sv.n), "server names not UTF-8");
    if (ok) {
        memcpy(c->server_name, sn.p, sn.n);
        memcpy(c->server_version, sv.p, sv.n);
    }
    frame_free(&f);
    return ok ? 0 : -1;
}

void conn_close(conn *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}

int call_start(conn *c, const char *method, span request, uint64_t timeout_us,
               const char *const *metadata, int n_metadata, uint8_t flags) {
    buf b = {0};
    b_varint(&b, timeout_us);
    b_string(&b, method, strlen(method));
    b_varint(&b, (uint64_t)n_metadata);
    for (int i = 0; i < n_metadata; i++) {
        b_string(&b, metadata[2 * i], strlen(metadata[2 * i]));
        b_string(&b, metadata[2 * i + 1], strlen(metadata[2 * i + 1]));
    }
    b_put(&b, request.p, request.n);
    uint32_t stream = c->next_stream++;
    int rc = send_frame(c, F_CALL_START, flags, stream, b.p, b.n);
    b_free(&b);
    return rc < 0 ? -1 : (int)stream;
}

int parse_status(const frame *f, status *st) {
    memset(st, 0, sizeof *st);
    cursor k = {f->payload, f->length, 0, 0};
    st->code = (int)c_be(&k, 1);
    span m = c_bytes(&k, 65536);
    st->details = c_bytes(&k, 65536);
    int ok = quiet_check(!k.bad, "STATUS on stream %u: code, message or details malformed", f->stream);
    ok &= quiet_check(st->code <= 16, "STATUS code %d is no code of §6", st->code);
    ok &= quiet_check(utf8_valid(m.p, m.n) && m.n <= 4096, "STATUS message of %zu bytes not UTF-8 or over the 4 KiB a sender writes", m.n);
    ok &= quiet_check(st->details.n <= 8192, "STATUS details of %zu bytes (a sender keeps 8 KiB)", st->details.n);
    if (st->details.n) ok &= validate(st->details, &S_StatusDetails, "StatusDetails");
    ok &= check_metadata(&k, "STATUS trailers");
    st->has_response = (f->flags & HAS_MESSAGE) != 0;
    st->response.p = f->payload + k.off;
    st->response.n = k.n - k.off;
    if (!st->has_response) ok &= quiet_check(st->response.n == 0, "STATUS without HAS_MESSAGE has %zu bytes after its trailers", st->response.n);
    if (st->code == 0) ok &= quiet_check(m.n == 0, "an OK STATUS with a message \"%.*s\"", (int)m.n, (const char *)m.p);
    else ok &= quiet_check(!st->has_response, "a %s STATUS carries a response", code_name(st->code));
    st->message = span_dup(m);
    st->payload = f->payload;
    st->payload_len = f->length;
    return ok;
}

void status_free(status *st) {
    free(st->message);
    free(st->payload);
    st->message = NULL;
    st->payload = NULL;
}

int unary(conn *c, const char *method, span request, uint64_t timeout_us,
          const char *const *metadata, int n_metadata, status *st) {
    int stream = call_start(c, method, request, timeout_us, metadata, n_metadata, HAS_MESSAGE | END_STREAM);
    memset(st, 0, sizeof *st);
    st->code = -1;
    if (stream < 0) return 0;
    for (;;) {
        frame f;
        if (read_frame(c, &f, 30000 * patience) != 1) return 0;
        if (f.type == F_STATUS && f.stream == (uint32_t)stream) {
            parse_status(&f, st);
            if (st->code == 0)
                quiet_check(f.flags == HAS_MESSAGE, "%s: an OK STATUS of a unary call without its response", method);
            return 1;
        }
        quiet_check(!(f.type == F_MESSAGE && f.stream == (uint32_t)stream), "%s: a MESSAGE on a unary call", method);
        int goaway = f.type == F_GOAWAY;
        frame_free(&f);
        if (goaway) return 0;
    }
}

int detail_has_field(const status *st, const char *name) {
    reader r = {st->details, 0, {0}};
    field f;
    while (r_field(&r, &f) == 1) {
        span fs;
        if (f.number == 1 && f.wire_type == WT_LEN && get_bytes(f.data, 1, &fs) == 1 && span_eq_str(fs, name)) return 1;
    }
    return 0;
}

int details_message_matches(const status *st) {
    buf want = {0};
    reader r = {st->details, 0, {0}};
    field f;
    while (r_field(&r, &f) == 1) {
        span fs = {0}, rs = {0};
        if (f.number != 1 || f.wire_type != WT_LEN) continue;
        get_bytes(f.data, 1, &fs);
        get_bytes(f.data, 2, &rs);
        if (want.n) b_put(&want, "; ", 2);
        b_put(&want, fs.p, fs.n);
        b_put(&want, ": ", 2);
        b_put(&want, rs.p, rs.n);
    }
    int ok = want.n == strlen(st->message) && memcmp(want.p, st->message, want.n) == 0;
    b_free(&want);
    return ok;
}
