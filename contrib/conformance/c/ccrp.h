/* A CustomerCard client written from Protocol/PROTOCOL.md, ENCODING.md, CUSTOMER-API.md and
 * Protocol/vectors/ alone: shared declarations of its modules. Plain C11 and libc. */
#ifndef CCRP_H
#define CCRP_H

#include <stddef.h>
#include <stdint.h>

/* ---- checks (report.c) ---- */
/* One line per check: "ok - what" or "FAIL - what: why". Returns cond. */
int check(int cond, const char *what, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A check that prints only when it fails (every frame is checked so; see frame_checks). */
int quiet_check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern unsigned long failures, passes, quiet_passes;

/* ---- byte buffers and the message encoding (wire.c) ---- */
typedef struct { uint8_t *p; size_t n, cap; } buf;
typedef struct { const uint8_t *p; size_t n; } span;

void b_put(buf *b, const void *data, size_t len);
void b_u8(buf *b, uint8_t v);
void b_u16(buf *b, uint16_t v);           /* big-endian: frame fields, PROTOCOL.md §1 */
void b_u32(buf *b, uint32_t v);
void b_varint(buf *b, uint64_t v);
void b_string(buf *b, const char *s, size_t len); /* varint length, then bytes */
void b_free(buf *b);
span b_span(const buf *b);

enum { WT_VARINT = 0, WT_FIXED64 = 1, WT_LEN = 2, WT_FIXED32 = 5 };
uint64_t zigzag(int64_t v);
int64_t unzigzag(uint64_t u);
void m_tag(buf *b, uint32_t number, int wire_type);
void m_sint(buf *b, uint32_t number, int64_t v);
void m_uint(buf *b, uint32_t number, uint64_t v);
void m_enum(buf *b, uint32_t number, int64_t v); /* plain varint, two's complement */
void m_bool(buf *b, uint32_t number, int v);
void m_double(buf *b, uint32_t number, double v);
void m_float(buf *b, uint32_t number, float v);
void m_bytes(buf *b, uint32_t number, const void *p, size_t len);
void m_str(buf *b, uint32_t number, const char *s);
void m_msg(buf *b, uint32_t number, const buf *inner);
void le64(buf *b, uint64_t v);
void le32(buf *b, uint32_t v);
uint64_t rd_le64(const uint8_t *p);
uint32_t rd_le32(const uint8_t *p);
double bits_double(uint64_t bits);
uint64_t double_bits(double d);

/* A strict reader of one level of a message. */
typedef struct { span s; size_t off; char err[200]; } reader;
typedef struct {
    uint32_t number; int wire_type;
    uint64_t v;                  /* varint, fixed64 or fixed32 value */
    span data;                   /* length-delimited bytes */
    size_t offset;               /* of the tag */
} field;
int r_varint(const uint8_t *p, size_t n, size_t *off, uint64_t *out, char *err, size_t errlen);
int r_field(reader *r, field *f);   /* 1 = a field, 0 = end, -1 = malformed (r->err) */
int utf8_valid(const uint8_t *p, size_t n);
int decimal_text_valid(const uint8_t *p, size_t n);
int span_eq_str(span s, const char *str);
/* Last occurrence of a field (scalars: last wins); -1 if malformed, 0 absent, 1 found. */
int msg_last(span m, uint32_t number, field *out);
int get_sint(span m, uint32_t number, int64_t *v);
int get_uint(span m, uint32_t number, uint64_t *v);
int get_double(span m, uint32_t number, double *v);
int get_bytes(span m, uint32_t number, span *v);
char *span_dup(span s);

/* ---- schemas from CUSTOMER-API.md, checked strictly (schema.c) ---- */
enum kind { K_SINT, K_UINT, K_BOOL, K_TIMESTAMP, K_STRING, K_DECIMAL, K_ENUM, K_MSG };
enum label { L_SINGULAR, L_OPTIONAL, L_REPEATED };
typedef struct schema schema;
typedef struct {
    uint32_t number; const char *name; int kind; int label;
    const schema *sub; const int64_t *enum_values; int n_enum;
} fdef;
struct schema { const char *name; const fdef *fields; int n; };
/* Every field of m against s (recursively): wire types, singular fields present, bools 0/1,
 * enums known, UTF-8, decimal shape, timestamps finite and in range. Prints failures only. */
int validate(span m, const schema *s, const char *path);
extern const schema S_UserRef, S_Address, S_Customer, S_ListCustomersResponse, S_CustomerSettings,
    S_Activity, S_ChangeEvent, S_HealthCheckResponse, S_StatusDetails, S_FeedBoundsResponse;

/* ---- the connection (conn.c) ---- */
enum { F_HELLO = 1, F_CALL_START, F_MESSAGE, F_STATUS, F_CANCEL, F_WINDOW_UPDATE, F_PING, F_PONG, F_GOAWAY };
enum { END_STREAM = 1, HAS_MESSAGE = 2 };
typedef struct {
    uint32_t length; uint8_t type, flags; uint32_t stream;
    uint8_t *payload;
} frame;
typedef struct {
    int fd;
    uint32_t my_window, my_max_frame;
    uint16_t version;
    uint32_t max_frame, max_calls, window;  /* the server's HELLO */
    char server_name[256], server_version[256];
    uint32_t next_stream;
    int goaway; int goaway_code;
    unsigned long frames_read;
    size_t read_chunk;  /* 0: as much as recv gives; else at most this many bytes a recv */
    size_t write_chunk; /* the same for send */
} conn;
typedef struct {
    int code; char *message; span details; int has_response; span response;
    uint8_t *payload;  /* owns the spans */
    size_t payload_len;
} status;
extern int patience;

int conn_open(conn *c, const char *socket_path, uint32_t window, uint32_t max_frame, const char *name);
void conn_close(conn *c);
int send_frame(conn *c, uint8_t type, uint8_t flags, uint32_t stream, const void *p, size_t n);
/* Reads one frame and checks it against PROTOCOL.md §4, §5 and §10.1 for a server's frame.
 * Answers a PING itself. 1 = a frame, 0 = timed out or closed, -1 = malformed. */
int read_frame(conn *c, frame *f, int timeout_ms);
void frame_free(frame *f);
int parse_status(const frame *f, status *st);
void status_free(status *st);
int call_start(conn *c, const char *method, span request, uint64_t timeout_us,
               const char *const *metadata, int n_metadata, uint8_t flags);
/* A unary call: CALL_START, then frames until its STATUS. 1 = a STATUS, 0 = none. */
int unary(conn *c, const char *method, span request, uint64_t timeout_us,
          const char *const *metadata, int n_metadata, status *st);
const char *code_name(int code);
/* The STATUS message of a refusal with details: "field: reason" joined by "; " (§6.1). */
int details_message_matches(const status *st);
int detail_has_field(const status *st, const char *field);

/* ---- golden vectors (vectors.c) ---- */
void check_vectors(const char *directory);

#endif
