/* ccrp-conformance: connects to a customerd, runs the calls of the customer API a client needs
 * and checks every frame and message against the Protocol documents; then decodes and re-encodes every
 * golden vector. Usage: ccrp-conformance SOCKET VECTORS_DIR [--patience N]. Exit 0 when every
 * check held, 1 when one failed, 2 when it could not run. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ccrp.h"

#define CUSTOMERS "customer.v1.CustomerService/"
#define MINUTE_US 60000000ull

static const char *socket_path;

static void encode_fields(buf *fields, int64_t number, const char *name) {
    if (number) m_sint(fields, 1, number);
    m_str(fields, 2, name);
    m_str(fields, 4, "two lines\nof description, tab\there");
    m_str(fields, 6, "FI");
    m_str(fields, 8, "info@example.fi");
    m_str(fields, 9, "https://example.fi");
    m_str(fields, 10, "+358 40 123 4567");
}

static int call_ok(conn *c, const char *method, const buf *req, status *st, const char *what) {
    if (!unary(c, method, b_span(req), MINUTE_US, NULL, 0, st))
        return check(0, what, "no STATUS (connection ended)");
    return check(st->code == 0, what, "%s \"%s\"", code_name(st->code), st->message ? st->message : "");
}

static void check_same_string(span m, uint32_t number, const char *want, const char *what) {
    span got = {0};
    int rc = get_bytes(m, number, &got);
    check(rc == 1 && span_eq_str(got, want), what, "field %u is \"%.*s\", sent \"%s\"", number, (int)got.n, (const char *)got.p, want);
}

static double wall_2001(void) { return (double)time(NULL) - 978307200.0; }

/* Creates a customer, reads it back and compares field by field. Returns its id. */
static int64_t create_and_read_back(conn *c, int64_t *version_out) {
    const char *name = "Ålandsbanken Ab – 日本支店 👩‍💼";
    buf fields = {0}, req = {0};
    encode_fields(&fields, 9999999999, name); /* the largest customer number: a 5-byte zigzag */
    m_msg(&req, 1, &fields);
    m_bool(&req, 2, 1);
    status st;
    double before = wall_2001();
    char key[64];
    snprintf(key, sizeof key, "c-client-%ld-%ld", (long)getpid(), (long)time(NULL));
    const char *md[] = {"idempotency-key", key};
    int got = unary(c, CUSTOMERS "CreateCustomer", b_span(&req), MINUTE_US, md, 1, &st);
    double after = wall_2001();
    int64_t id = 0;
    if (check(got && st.code == 0, "CreateCustomer with every text field and the largest number", "%s \"%s\"", code_name(st.code), st.message ? st.message : "")) {
        span m = st.response;
        check(validate(m, &S_Customer, "Customer"), "the created Customer conforms to CUSTOMER-API.md", "see above");
        int64_t number = 0, version = 0;
        uint64_t active = 0;
        get_sint(m, 1, &id);
        check(id > 0, "Customer.id is positive", "%lld", (long long)id);
        check(get_sint(m, 2, &number) == 1 && number == 9999999999, "Customer.number is 9999999999 (sint64 zigzag)", "%lld", (long long)number);
        check_same_string(m, 3, name, "Customer.name round-trips multi-byte UTF-8 (U+00C5, U+2013, CJK, ZWJ emoji)");
        check_same_string(m, 5, "two lines\nof description, tab\there", "Customer.description keeps its line feed and tab");
        check_same_string(m, 7, "FI", "Customer.country");
        check_same_string(m, 9, "info@example.fi", "Customer.email");
        check_same_string(m, 10, "https://example.fi", "Customer.website");
        check_same_string(m, 11, "+358 40 123 4567", "Customer.phone");
        check(get_uint(m, 12, &active) == 1 && active == 1, "Customer.active is true (bool varint 1)", "%llu", (unsigned long long)active);
        check(get_sint(m, 13, &version) == 1 && version == 1, "Customer.version of a new customer is 1", "%lld", (long long)version);
        double created = 0, updated = 0;
        get_double(m, 14, &created);
        get_double(m, 16, &updated);
        /* stored as whole milliseconds since 1970 (ENCODING.md, Ranges); the clock is the same machine's */
        double ms = created * 1000.0;
        long long whole = (long long)(ms + (ms >= 0 ? 0.5 : -0.5));
        check(created >= before - 1 && created <= after + 1, "Customer.createdAt is now, in seconds since 2001 (little-endian binary64)",
              "%.6f, now %.0f", created, after);
        check((double)whole / 1000.0 == created, "Customer.createdAt is the binary64 nearest to a whole millisecond (ENCODING.md, Ranges)",
              "%.17g, not %lld / 1000", created, whole);
        check(updated == created, "Customer.updatedAt equals createdAt on a new customer", "%.6f vs %.6f", updated, created);
        *version_out = version;

        /* The same key and request again: the first answer, byte for byte (§7.1). */
        status again;
        if (unary(c, CUSTOMERS "CreateCustomer", b_span(&req), MINUTE_US, md, 1, &again))
            check(again.code == 0 && again.response.n == m.n && memcmp(again.response.p, m.p, m.n) == 0,
                  "CreateCustomer sent again under its idempotency-key answers the first response byte for byte", "%s, %zu bytes vs %zu",
                  code_name(again.code), again.response.n, m.n);
        status_free(&again);

        buf get = {0};
        m_sint(&get, 1, id);
        status rd;
        if (call_ok(c, CUSTOMERS "GetCustomer", &get, &rd, "GetCustomer by id")) {
            validate(rd.response, &S_Customer, "Customer");
            for (uint32_t n = 1; n <= 22; n++) {
                field a, b;
                int ra = msg_last(m, n, &a), rb = msg_last(rd.response, n, &b);
                int same = ra == rb && (ra != 1 || (a.wire_type == b.wire_type && a.v == b.v && a.data.n == b.data.n &&
                                                    (a.data.n == 0 || memcmp(a.data.p, b.data.p, a.data.n) == 0)));
                char what[100];
                snprintf(what, sizeof what, "GetCustomer's field %u equals CreateCustomer's", n);
                check(same, what, "present %d vs %d", ra, rb);
            }
        }
        status_free(&rd);
        b_free(&get);
    }
    status_free(&st);
    b_free(&fields);
    b_free(&req);
    return id;
}

/* A refusal as PROTOCOL.md §6.1 and §10.1 give it: with `field`, its detail and a message that is
 * the details as `field: reason`; with `words`, an undecodable request's message, no detail. */
static void refused(conn *c, const char *method, buf *req, int code, const char *field, const char *words, const char *what) {
    status st;
    if (unary(c, method, b_span(req), MINUTE_US, NULL, 0, &st))
        check(st.code == code && (!field || (detail_has_field(&st, field) && details_message_matches(&st))) &&
                  (!words || (st.details.n == 0 && strstr(st.message, words))),
              what, "%s \"%s\"", code_name(st.code), st.message);
    else
        check(0, what, "no STATUS");
    status_free(&st);
    b_free(req);
}

static void refusals(conn *c, int64_t id) {
    buf req = {0}, inner = {0};
    m_sint(&req, 1, -1); /* a zigzag of -1 is 01 */
    refused(c, CUSTOMERS "GetCustomer", &req, 5, "id", NULL, "GetCustomer id -1 is NOT_FOUND on id, its message the details as field: reason");

    encode_fields(&inner, 10000000000, "Too large a number");
    m_msg(&req, 1, &inner);
    b_free(&inner);
    refused(c, CUSTOMERS "CreateCustomer", &req, 3, "number", NULL, "CreateCustomer number 10000000000 is INVALID_ARGUMENT on number");

    /* a decimal text not of the wire shape: undecodable, no detail (ENCODING.md, Ranges) */
    m_str(&inner, 7, "1e5");
    m_sint(&req, 1, id);
    m_msg(&req, 3, &inner);
    b_free(&inner);
    refused(c, "customer.v1.SettingsService/UpdateSettings", &req, 3, NULL, "cannot decode the request message of",
            "UpdateSettings vatRate \"1e5\" is INVALID_ARGUMENT \"cannot decode ...\" without a detail");

    m_enum(&inner, 1, 9); /* CustomerQuery.Status has no case 9 */
    m_msg(&req, 1, &inner);
    b_free(&inner);
    refused(c, CUSTOMERS "ListCustomers", &req, 3, NULL, "9 is not a value of the enum", "ListCustomers query.status 9 is INVALID_ARGUMENT naming the enum");

    /* a timestamp of its wire shape but out of range: a detail naming the field */
    m_double(&inner, 5, 1e300);
    m_msg(&req, 1, &inner);
    b_free(&inner);
    refused(c, CUSTOMERS "ListCustomers", &req, 3, "query.changedSince", NULL,
            "ListCustomers query.changedSince 1e300 is INVALID_ARGUMENT on query.changedSince");
}

/* enum, sint32 and decimal through the settings; a timestamp through a task. */
static void other_scalars(conn *c, int64_t id) {
    buf sf = {0}, req = {0};
    m_enum(&sf, 1, 2); /* paper */
    m_sint(&sf, 5, -0 + 14);
    m_str(&sf, 6, "EUR");
    m_str(&sf, 7, "25.5000");
    m_sint(&req, 1, id);
    m_msg(&req, 3, &sf);
    status st;
    if (call_ok(c, "customer.v1.SettingsService/UpdateSettings", &req, &st, "UpdateSettings with an enum, a sint32 and a decimal")) {
        span m = st.response;
        check(validate(m, &S_CustomerSettings, "CustomerSettings"), "the CustomerSettings conform to CUSTOMER-API.md", "see above");
        field f;
        int64_t days = 0, cid = 0;
        span rate = {0};
        check(msg_last(m, 2, &f) == 1 && f.wire_type == WT_VARINT && f.v == 2, "CustomerSettings.invoiceChannel is paper, a plain varint 2", "%llu",
              (unsigned long long)f.v);
        check(get_sint(m, 6, &days) == 1 && days == 14, "CustomerSettings.paymentTermDays is 14 (zigzag 28)", "%lld", (long long)days);
        check(get_bytes(m, 8, &rate) == 1 && span_eq_str(rate, "25.5"), "CustomerSettings.vatRate \"25.5000\" comes back canonical \"25.5\"",
              "\"%.*s\"", (int)rate.n, (const char *)rate.p);
        check(get_sint(m, 1, &cid) == 1 && cid == id, "CustomerSettings.customerId", "%lld", (long long)cid);
    }
    status_free(&st);
    b_free(&sf);
    b_free(&req);

    /* 2000-12-31T23:59:58.5Z: a negative timestamp with a fraction, exact in binary64 and in ms */
    m_sint(&req, 1, id);
    m_str(&req, 2, "Call back");
    m_double(&req, 3, -1.5);
    if (call_ok(c, "customer.v1.ActivityService/AddTask", &req, &st, "AddTask with a negative timestamp")) {
        span m = st.response;
        double due = 0;
        field k;
        check(validate(m, &S_Activity, "Activity"), "the Activity conforms to CUSTOMER-API.md", "see above");
        check(get_double(m, 5, &due) == 1 && due == -1.5, "Activity.dueDate is -1.5 exactly (00 00 00 00 00 00 f8 bf)", "%.17g", due);
        check(msg_last(m, 3, &k) == 1 && k.v == 1, "Activity.kind is task (1)", "%llu", (unsigned long long)k.v);
    }
    status_free(&st);
    b_free(&req);
}

/* CUSTOMER-API.md, ListCustomers: by name folded for case and accents, as UTF-8 bytes, then id.
 * This fold knows ASCII and the Latin-1 letters with a base letter, enough for the names sent. */
static void fold(const char *name, char *out, size_t size) {
    static const char latin1[] = "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy"; /* U+00C0 to U+00DD */
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && o + 4 < size; p++) {
        if (*p < 0x80) { out[o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p); continue; }
        if ((p[0] == 0xc3) && p[1] >= 0x80 && p[1] <= 0xbd) {
            unsigned cp = 0xc0 + ((p[1] - 0x80) & 0x1f); /* upper and lower case alike */
            if (cp - 0xc0 < sizeof latin1 - 1 && latin1[cp - 0xc0]) { out[o++] = latin1[cp - 0xc0]; p++; continue; }
        }
        out[o++] = (char)*p;
    }
    out[o] = 0;
}

/* AddTask with dueDate `sent`: what comes back (NaN when refused). */
static double task_due(conn *c, int64_t id, double sent, int *code) {
    buf req = {0};
    m_sint(&req, 1, id);
    m_str(&req, 2, "Due");
    m_double(&req, 3, sent);
    status st;
    double due = 0.0 / 0.0;
    *code = unary(c, "customer.v1.ActivityService/AddTask", b_span(&req), MINUTE_US, NULL, 0, &st) ? st.code : -1;
    if (*code == 0 && get_double(st.response, 5, &due) != 1) due = 0.0 / 0.0;
    status_free(&st);
    b_free(&req);
    return due;
}

/* ENCODING.md, Ranges: timestamps stored as whole milliseconds, rounded to nearest; years 1 to 9999. */
static void timestamp_edges(conn *c, int64_t id) {
    static const struct { double sent, back; const char *what; } cases[] = {
        {700000000.123, 700000000.123, "dueDate 700000000.123 comes back as the binary64 nearest to it"},
        {-978307200.001, -978307200.001, "dueDate 1969-12-31T23:59:59.999Z (before 1970) comes back exactly"},
        {1.0004, 1.0, "dueDate 1.0004 s comes back rounded to 1.000 (nearest millisecond)"},
        {1.0006, 1.001, "dueDate 1.0006 s comes back rounded to 1.001"},
        {-63113904000.0, -63113904000.0, "dueDate 0001-01-01T00:00:00Z, the range's start, comes back exactly"},
        {252423993599.999, 252423993599.999, "dueDate 9999-12-31T23:59:59.999Z, the range's end, comes back as sent"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int code;
        double back = task_due(c, id, cases[i].sent, &code);
        check(code == 0 && double_bits(back) == double_bits(cases[i].back), cases[i].what, "%s, %.17g (bits %016llx, want %016llx)",
              code_name(code), back, (unsigned long long)double_bits(back), (unsigned long long)double_bits(cases[i].back));
    }
    int code;
    task_due(c, id, 252423993600.0, &code);
    check(code == 3, "dueDate 10000-01-01T00:00:00Z, 1 ms past the range, is INVALID_ARGUMENT", "%s", code_name(code));
    task_due(c, id, 0.0 / 0.0, &code);
    check(code == 3, "dueDate NaN is INVALID_ARGUMENT", "%s", code_name(code));
}

/* Integer widths: sint64 at its ends (10-byte zigzag), a sint32 past its type. */
static void integer_edges(conn *c) {
    static const int64_t ids[] = {INT64_MAX, INT64_MIN, 0};
    for (int i = 0; i < 3; i++) {
        buf req = {0};
        m_sint(&req, 1, ids[i]);
        char what[120];
        snprintf(what, sizeof what, "GetCustomer id %lld is NOT_FOUND on id", (long long)ids[i]);
        refused(c, CUSTOMERS "GetCustomer", &req, 5, "id", NULL, what);
    }
    static const struct { int64_t limit; int code; const char *needle, *what; } limits[] = {
        {INT32_MAX, 3, "limit: ", "ListCustomers limit 2^31 - 1 (a sint32's end) is INVALID_ARGUMENT on limit"},
        {(int64_t)INT32_MAX + 1, 3, "does not fit in sint32", "ListCustomers limit 2^31 is undecodable: \"does not fit in sint32\""},
        {INT32_MIN, 3, "limit: ", "ListCustomers limit -2^31 is INVALID_ARGUMENT on limit"},
        {1000, 0, "", "ListCustomers limit 1000 (the maximum) is OK"},
    };
    for (int i = 0; i < 4; i++) {
        buf q = {0}, req = {0};
        m_msg(&req, 1, &q);
        m_sint(&req, 2, limits[i].limit);
        status st;
        if (unary(c, CUSTOMERS "ListCustomers", b_span(&req), MINUTE_US, NULL, 0, &st))
            check(st.code == limits[i].code && strstr(st.message, limits[i].needle), limits[i].what, "%s \"%s\"", code_name(st.code), st.message);
        status_free(&st);
        b_free(&req);
    }
    /* PROTOCOL.md §5.2: any uint64 timeout is valid */
    buf health = {0};
    m_str(&health, 1, "");
    status st;
    if (unary(c, "rpc.health.v1.Health/Check", b_span(&health), UINT64_MAX, NULL, 0, &st))
        check(st.code == 0, "Health/Check with a timeout of 2^64 - 1 µs (a 10-byte varint) is OK", "%s", code_name(st.code));
    status_free(&st);
    b_free(&health);
}

static void list_pages(conn *c, int total) {
    char *token = NULL;
    int pages = 0, seen = 0, ok = 1;
    int64_t ids[64];
    char last_name[512] = "";
    int64_t last_id = 0;
    do {
        buf q = {0}, req = {0};
        m_enum(&q, 1, 2); /* all */
        m_msg(&req, 1, &q);
        m_sint(&req, 2, 2);
        if (token) m_str(&req, 3, token);
        status st;
        char what[80];
        snprintf(what, sizeof what, "ListCustomers page %d", pages + 1);
        free(token);
        token = NULL;
        if (call_ok(c, CUSTOMERS "ListCustomers", &req, &st, what)) {
            span m = st.response;
            ok &= validate(m, &S_ListCustomersResponse, "ListCustomersResponse");
            reader r = {m, 0, {0}};
            field f;
            int on_page = 0;
            while (r_field(&r, &f) == 1) {
                if (f.number == 2) token = span_dup(f.data);
                if (f.number != 1) continue;
                int64_t id = 0;
                span name = {0};
                get_sint(f.data, 1, &id);
                get_bytes(f.data, 3, &name);
                char *n = span_dup(name), key[512];
                fold(n, key, sizeof key);
                int order = strcmp(last_name, key);
                ok &= quiet_check(order < 0 || (order == 0 && last_id < id), "ListCustomers orders by folded name, then id: \"%s\" (%s) after \"%s\"", n, key, last_name);
                snprintf(last_name, sizeof last_name, "%s", key);
                last_id = id;
                free(n);
                for (int i = 0; i < seen; i++) ok &= quiet_check(ids[i] != id, "customer %lld listed twice", (long long)id);
                if (seen < 64) ids[seen++] = id;
                on_page++;
            }
            ok &= quiet_check(on_page <= 2, "a page of limit 2 holds %d", on_page);
        }
        status_free(&st);
        b_free(&q);
        b_free(&req);
        pages++;
    } while (token && pages < 50);
    check(ok && seen == total && pages == (total + 1) / 2, "ListCustomers with limit 2 pages through every customer once, by name folded for case and accents",
          "%d customers in %d pages, %d created", seen, pages, total);
}

static void version_conflict(conn *c, int64_t id, int64_t version) {
    buf fields = {0}, req = {0};
    m_str(&fields, 4, "updated once");
    m_sint(&req, 1, id);
    m_sint(&req, 2, version);
    m_msg(&req, 3, &fields);
    status st;
    int64_t v2 = 0;
    if (call_ok(c, CUSTOMERS "UpdateCustomer", &req, &st, "UpdateCustomer with the current expectedVersion"))
        check(get_sint(st.response, 13, &v2) == 1 && v2 == version + 1, "the update's version is one more", "%lld", (long long)v2);
    status_free(&st);
    if (unary(c, CUSTOMERS "UpdateCustomer", b_span(&req), MINUTE_US, NULL, 0, &st))
        check(st.code == 10 && detail_has_field(&st, "expectedVersion") && details_message_matches(&st),
              "UpdateCustomer with the old expectedVersion is ABORTED on expectedVersion", "%s \"%s\"", code_name(st.code), st.message);
    status_free(&st);
    b_free(&fields);
    b_free(&req);
}

/* §8 kept by the book: the server sends a MESSAGE only while its credit is positive, as this
 * client counts it; credit returned as consumed, once half the window is consumed, and none after
 * the STATUS. A window of 1 byte: every message needs new credit. */
static void server_stream(int total) {
    conn c;
    if (!check(conn_open(&c, socket_path, 1, 4u << 20, "c-conformance-stream") == 0, "a connection granting a 1-byte window", "handshake failed"))
        return;
    buf q = {0}, req = {0};
    m_enum(&q, 1, 2);
    m_msg(&req, 1, &q);
    int stream = call_start(&c, CUSTOMERS "StreamCustomers", b_span(&req), MINUTE_US, NULL, 0, HAS_MESSAGE | END_STREAM);
    int64_t credit = 1, ok = 1, messages = 0, updates = 0, done = 0;
    while (stream > 0 && !done) {
        frame f;
        if (read_frame(&c, &f, 30000 * patience) != 1) { ok = quiet_check(0, "StreamCustomers: the stream ended without a STATUS"); break; }
        if (f.stream == (uint32_t)stream && f.type == F_MESSAGE) {
            ok &= quiet_check(credit > 0, "StreamCustomers: a MESSAGE sent with credit %lld", (long long)credit);
            credit -= 10 + (int64_t)f.length;
            messages++;
            ok &= validate((span){f.payload, f.length}, &S_Customer, "Customer");
            /* consumed: return what it cost (at least half the window, which is 1 byte) */
            buf wu = {0};
            b_u32(&wu, 10 + f.length);
            send_frame(&c, F_WINDOW_UPDATE, 0, (uint32_t)stream, wu.p, wu.n);
            credit += 10 + (int64_t)f.length;
            updates++;
            b_free(&wu);
        } else if (f.stream == (uint32_t)stream && f.type == F_STATUS) {
            status st;
            ok &= parse_status(&f, &st);
            ok &= quiet_check(st.code == 0 && !st.has_response, "StreamCustomers STATUS %s (flags %02x)", code_name(st.code), f.flags);
            f.payload = NULL;
            status_free(&st);
            done = 1;
        }
        frame_free(&f);
    }
    check(ok && done && messages == total, "StreamCustomers at a 1-byte window: every message within credit, one WINDOW_UPDATE each, then STATUS OK",
          "%lld messages of %d, %lld updates, ended %lld", (long long)messages, total, (long long)updates, (long long)done);
    b_free(&q);
    b_free(&req);
    conn_close(&c);
}

/* WatchChanges from 0, kinds packed [customer, activity]: every event of this run, then CANCEL:
 * no STATUS follows (a PING after it is answered first). Then a watch of live changes only with
 * a deadline of 200 ms: DEADLINE_EXCEEDED from the server. */
static void watch_cancel_deadline(int created) {
    conn c;
    if (!check(conn_open(&c, socket_path, 1 << 16, 4u << 20, "c-conformance-watch") == 0, "a connection for WatchChanges", "handshake failed")) return;
    buf req = {0}, kinds = {0};
    m_sint(&req, 1, 0);
    b_varint(&kinds, 0);
    b_varint(&kinds, 7);
    m_msg(&req, 2, &kinds);
    int stream = call_start(&c, "customer.v1.ChangeFeedService/WatchChanges", b_span(&req), 0, NULL, 0, HAS_MESSAGE | END_STREAM);
    int events = 0, creates = 0, ok = 1;
    int64_t last_seq = 0, consumed = 0;
    while (stream > 0 && creates < created) {
        frame f;
        if (read_frame(&c, &f, 30000 * patience) != 1) { ok = 0; break; }
        if (f.stream == (uint32_t)stream && f.type == F_MESSAGE) {
            span m = {f.payload, f.length};
            int64_t seq = 0;
            span action = {0};
            field kind;
            ok &= validate(m, &S_ChangeEvent, "ChangeEvent");
            get_sint(m, 1, &seq);
            get_bytes(m, 3, &action);
            ok &= quiet_check(seq > last_seq, "ChangeEvent.sequence %lld after %lld", (long long)seq, (long long)last_seq);
            ok &= quiet_check(msg_last(m, 2, &kind) == 1 && (kind.v == 0 || kind.v == 7), "ChangeEvent.kind %llu not asked for", (unsigned long long)kind.v);
            last_seq = seq;
            if (kind.v == 0 && span_eq_str(action, "created")) creates++;
            events++;
            consumed += 10 + f.length;
            if (consumed >= (1 << 15)) { /* half the window consumed: return it */
                buf wu = {0};
                b_u32(&wu, (uint32_t)consumed);
                send_frame(&c, F_WINDOW_UPDATE, 0, (uint32_t)stream, wu.p, wu.n);
                b_free(&wu);
                consumed = 0;
            }
        } else if (f.stream == (uint32_t)stream && f.type == F_STATUS) {
            ok = quiet_check(0, "WatchChanges ended with a STATUS");
            frame_free(&f);
            break;
        }
        frame_free(&f);
    }
    check(ok && creates == created, "WatchChanges after 0, kinds packed [0, 7], delivers every created customer in sequence order",
          "%d created events of %d, %d events", creates, created, events);
    send_frame(&c, F_CANCEL, 0, (uint32_t)stream, NULL, 0);
    send_frame(&c, F_PING, 0, 0, "cancel-1", 8);
    int pong = 0, late_status = 0;
    while (!pong) {
        frame f;
        if (read_frame(&c, &f, 30000 * patience) != 1) break;
        if (f.type == F_PONG) pong = memcmp(f.payload, "cancel-1", 8) == 0;
        if (f.type == F_STATUS && f.stream == (uint32_t)stream) late_status = 1;
        frame_free(&f);
    }
    check(pong && !late_status, "CANCEL of the watch: no STATUS for it, and the PING after it answered with its 8 bytes", "pong %d, status %d", pong, late_status);

    b_free(&req);
    int s2 = call_start(&c, "customer.v1.ChangeFeedService/WatchChanges", (span){NULL, 0}, 200000, NULL, 0, HAS_MESSAGE | END_STREAM);
    int code = -1;
    while (s2 > 0) {
        frame f;
        if (read_frame(&c, &f, 30000 * patience) != 1) break;
        if (f.type == F_STATUS && f.stream == (uint32_t)s2) {
            status st;
            parse_status(&f, &st);
            code = st.code;
            f.payload = NULL;
            status_free(&st);
            break;
        }
        frame_free(&f);
    }
    check(code == 4, "WatchChanges of live changes only with a 200 ms timeout ends DEADLINE_EXCEEDED from the server", "%s", code_name(code));
    conn_close(&c);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s SOCKET VECTORS_DIR [--patience N]\n", argv[0]);
        return 2;
    }
    socket_path = argv[1];
    if (argc >= 5 && strcmp(argv[3], "--patience") == 0) patience = atoi(argv[4]) > 0 ? atoi(argv[4]) : 1;
    setvbuf(stdout, NULL, _IOLBF, 0);

    check_vectors(argv[2]);

    conn c;
    if (!check(conn_open(&c, socket_path, 1 << 18, 4u << 20, "c-conformance") == 0, "magic and HELLO: the server's HELLO conforms (§5.1)", "refused"))
        return 2;
    printf("# server %s %s: max frame %u, %u calls, window %u\n", c.server_name, c.server_version, c.max_frame, c.max_calls, c.window);

    buf health = {0};
    m_str(&health, 1, "");
    status st;
    if (unary(&c, "rpc.health.v1.Health/Check", b_span(&health), 5000000, NULL, 0, &st)) {
        static const uint8_t want[] = {0, 0, 0, 0, 0x08, 0x01};
        check(st.code == 0 && st.payload_len == 6 && memcmp(st.payload, want, 6) == 0, "Health/Check answers the 6 bytes of §13: OK, SERVING",
              "%s, %zu bytes", code_name(st.code), st.payload_len);
    } else check(0, "Health/Check", "no STATUS");
    status_free(&st);
    b_free(&health);

    /* Partial writes and reads: the same call sent one byte per send(2), its answer read one
     * byte per recv(2). */
    c.read_chunk = c.write_chunk = 1;
    m_str(&health, 1, "");
    if (unary(&c, "rpc.health.v1.Health/Check", b_span(&health), 5000000, NULL, 0, &st))
        check(st.code == 0 && st.payload_len == 6 && st.payload[5] == 1 && validate(st.response, &S_HealthCheckResponse, "HealthCheckResponse"),
              "Health/Check written a byte per send and read a byte per recv", "%s, %zu bytes", code_name(st.code), st.payload_len);
    else check(0, "Health/Check written a byte per send and read a byte per recv", "no STATUS");
    c.read_chunk = c.write_chunk = 0;
    status_free(&st);
    b_free(&health);

    send_frame(&c, F_PING, 0, 0, "\x00\x01\x7f\x80\xfe\xff\x10\x20", 8);
    frame f;
    int rc = read_frame(&c, &f, 30000 * patience);
    check(rc == 1 && f.type == F_PONG && memcmp(f.payload, "\x00\x01\x7f\x80\xfe\xff\x10\x20", 8) == 0, "PING answered by a PONG with its 8 bytes", "frame type %u",
          rc == 1 ? f.type : 0);
    if (rc == 1) frame_free(&f);

    int64_t version = 0;
    int64_t id = create_and_read_back(&c, &version);
    int created = id ? 1 : 0;
    const char *more[] = {"Beta Oy", "alpha ab", "Gamma", "Ärrä Oy"};
    for (int i = 0; i < 4; i++) {
        buf fields = {0}, req = {0};
        encode_fields(&fields, 0, more[i]);
        m_msg(&req, 1, &fields);
        m_bool(&req, 2, 1);
        if (call_ok(&c, CUSTOMERS "CreateCustomer", &req, &st, "CreateCustomer without a number (the server assigns one)")) created++;
        status_free(&st);
        b_free(&fields);
        b_free(&req);
    }
    if (id) {
        refusals(&c, id);
        other_scalars(&c, id);
        version_conflict(&c, id, version);
        timestamp_edges(&c, id);
        integer_edges(&c);
    }
    list_pages(&c, created);
    buf empty = {0};
    if (call_ok(&c, "customer.v1.ChangeFeedService/GetFeedBounds", &empty, &st, "GetFeedBounds with an empty request")) {
        int64_t last = 0;
        check(validate(st.response, &S_FeedBoundsResponse, "FeedBoundsResponse") && get_sint(st.response, 2, &last) == 1 && last >= created,
              "FeedBoundsResponse conforms and its last sequence counts at least the customers created", "last %lld", (long long)last);
    }
    status_free(&st);
    server_stream(created);
    watch_cancel_deadline(created);

    unsigned long frames = c.frames_read;
    conn_close(&c);
    printf("# %lu frames on the main connection; %lu quiet checks of frames and messages held\n", frames, quiet_passes);
    printf("%lu checks held, %lu failed\n", passes, failures);
    return failures ? 1 : 0;
}
