/* The messages this client reads, as CUSTOMER-API.md and PROTOCOL.md §6.1/§12 list them, and a
 * strict check of a message against them. */
#include <stdio.h>
#include <string.h>

#include "ccrp.h"

/* ENCODING.md, Ranges: a timestamp of customer.v1 lies in years 1 to 9999. */
#define TS_MIN (-63113904000.0)
#define TS_MAX (252423993599.999)

static int kind_wire_type(int kind) {
    switch (kind) {
    case K_TIMESTAMP: return WT_FIXED64;
    case K_STRING: case K_DECIMAL: case K_MSG: return WT_LEN;
    default: return WT_VARINT;
    }
}

static int enum_known(const fdef *d, uint64_t raw) {
    for (int i = 0; i < d->n_enum; i++)
        if ((uint64_t)d->enum_values[i] == raw) return 1;
    return 0;
}

/* One value of field d (a packed element or an occurrence). */
static int validate_value(const fdef *d, const field *f, uint64_t v, span data, const char *path) {
    char sub[300];
    switch (d->kind) {
    case K_BOOL:
        return quiet_check(v <= 1, "%s.%s: bool %llu is not 0 or 1", path, d->name, (unsigned long long)v);
    case K_ENUM:
        return quiet_check(enum_known(d, v), "%s.%s: %llu is no value of its enum", path, d->name, (unsigned long long)v);
    case K_TIMESTAMP: {
        double t = bits_double(v);
        return quiet_check(t == t && t >= TS_MIN && t <= TS_MAX, "%s.%s: timestamp %.17g is outside years 1 to 9999", path, d->name, t);
    }
    case K_STRING:
        return quiet_check(utf8_valid(data.p, data.n), "%s.%s: invalid UTF-8", path, d->name);
    case K_DECIMAL:
        return quiet_check(utf8_valid(data.p, data.n) && decimal_text_valid(data.p, data.n), "%s.%s: \"%.*s\" is no decimal text",
                           path, d->name, (int)data.n, (const char *)data.p);
    case K_MSG:
        snprintf(sub, sizeof sub, "%s.%s", path, d->name);
        return validate(data, d->sub, sub);
    default:
        (void)f;
        return 1;
    }
}

int validate(span m, const schema *s, const char *path) {
    reader r = {m, 0, {0}};
    field f;
    int rc, ok = 1;
    int seen[64] = {0};
    while ((rc = r_field(&r, &f)) == 1) {
        const fdef *d = NULL;
        int index = 0;
        for (int i = 0; i < s->n; i++)
            if (s->fields[i].number == f.number) { d = &s->fields[i]; index = i; }
        if (!d) continue; /* unknown fields are skipped (ENCODING.md §8) */
        seen[index] = 1;
        int want = kind_wire_type(d->kind);
        if (d->label == L_REPEATED && want != WT_LEN && f.wire_type == WT_LEN) {
            /* a packed run: values back to back */
            size_t off = 0;
            while (off < f.data.n) {
                uint64_t v;
                span none = {NULL, 0};
                if (want == WT_VARINT) {
                    if (r_varint(f.data.p, f.data.n, &off, &v, r.err, sizeof r.err) < 0)
                        return quiet_check(0, "%s.%s: packed run: %s", path, d->name, r.err);
                } else {
                    if (f.data.n - off < 8) return quiet_check(0, "%s.%s: packed run cut short", path, d->name);
                    v = rd_le64(f.data.p + off);
                    off += 8;
                }
                ok &= validate_value(d, &f, v, none, path);
            }
            continue;
        }
        if (!quiet_check(f.wire_type == want, "%s.%s (field %u): wire type %d, the schema says %d", path, d->name, f.number, f.wire_type, want)) {
            ok = 0;
            continue;
        }
        ok &= validate_value(d, &f, f.v, f.data, path);
    }
    if (rc < 0) return quiet_check(0, "%s: malformed message: %s", path, r.err);
    for (int i = 0; i < s->n; i++)
        if (s->fields[i].label == L_SINGULAR)
            ok &= quiet_check(seen[i], "%s.%s (field %u): a singular field is absent", path, s->fields[i].name, s->fields[i].number);
    return ok;
}

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))
#define SCHEMA(var, label, arr) const schema var = {label, arr, N(arr)}

static const fdef userref[] = {{1, "id", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "name", K_STRING, L_SINGULAR, 0, 0, 0}};
SCHEMA(S_UserRef, "UserRef", userref);

static const int64_t address_kinds[] = {0, 1, 2, 3};
static const fdef address[] = {
    {1, "id", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "customerId", K_SINT, L_SINGULAR, 0, 0, 0},
    {3, "street", K_STRING, L_REPEATED, 0, 0, 0}, {4, "postalCode", K_STRING, L_OPTIONAL, 0, 0, 0},
    {5, "city", K_STRING, L_OPTIONAL, 0, 0, 0}, {6, "region", K_STRING, L_OPTIONAL, 0, 0, 0},
    {7, "country", K_STRING, L_SINGULAR, 0, 0, 0}, {8, "kind", K_ENUM, L_SINGULAR, 0, address_kinds, 4},
    {9, "isHeadOffice", K_BOOL, L_SINGULAR, 0, 0, 0}, {10, "version", K_SINT, L_SINGULAR, 0, 0, 0},
    {11, "createdAt", K_TIMESTAMP, L_SINGULAR, 0, 0, 0}, {12, "createdBy", K_MSG, L_SINGULAR, &S_UserRef, 0, 0},
    {13, "updatedAt", K_TIMESTAMP, L_SINGULAR, 0, 0, 0}, {14, "updatedBy", K_MSG, L_SINGULAR, &S_UserRef, 0, 0},
};
SCHEMA(S_Address, "Address", address);

static const fdef customer[] = {
    {1, "id", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "number", K_SINT, L_SINGULAR, 0, 0, 0},
    {3, "name", K_STRING, L_SINGULAR, 0, 0, 0}, {4, "accountManager", K_MSG, L_OPTIONAL, &S_UserRef, 0, 0},
    {5, "description", K_STRING, L_OPTIONAL, 0, 0, 0}, {6, "vatNumber", K_STRING, L_OPTIONAL, 0, 0, 0},
    {7, "country", K_STRING, L_OPTIONAL, 0, 0, 0}, {8, "industry", K_STRING, L_OPTIONAL, 0, 0, 0},
    {9, "email", K_STRING, L_OPTIONAL, 0, 0, 0}, {10, "website", K_STRING, L_OPTIONAL, 0, 0, 0},
    {11, "phone", K_STRING, L_OPTIONAL, 0, 0, 0}, {12, "active", K_BOOL, L_SINGULAR, 0, 0, 0},
    {13, "version", K_SINT, L_SINGULAR, 0, 0, 0}, {14, "createdAt", K_TIMESTAMP, L_SINGULAR, 0, 0, 0},
    {15, "createdBy", K_MSG, L_SINGULAR, &S_UserRef, 0, 0}, {16, "updatedAt", K_TIMESTAMP, L_SINGULAR, 0, 0, 0},
    {17, "updatedBy", K_MSG, L_SINGULAR, &S_UserRef, 0, 0}, {18, "headOffice", K_MSG, L_OPTIONAL, &S_Address, 0, 0},
    {19, "businessId", K_STRING, L_OPTIONAL, 0, 0, 0}, {20, "registryStatus", K_STRING, L_OPTIONAL, 0, 0, 0},
    {21, "registryCheckedAt", K_TIMESTAMP, L_OPTIONAL, 0, 0, 0}, {22, "deleted", K_BOOL, L_OPTIONAL, 0, 0, 0},
};
SCHEMA(S_Customer, "Customer", customer);

static const fdef list_customers[] = {
    {1, "customers", K_MSG, L_REPEATED, &S_Customer, 0, 0}, {2, "nextPageToken", K_STRING, L_OPTIONAL, 0, 0, 0},
};
SCHEMA(S_ListCustomersResponse, "ListCustomersResponse", list_customers);

static const int64_t channels[] = {0, 1, 2};
static const fdef settings[] = {
    {1, "customerId", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "invoiceChannel", K_ENUM, L_OPTIONAL, 0, channels, 3},
    {3, "invoiceEmail", K_STRING, L_OPTIONAL, 0, 0, 0}, {4, "eInvoiceAddress", K_STRING, L_OPTIONAL, 0, 0, 0},
    {5, "eInvoiceOperator", K_STRING, L_OPTIONAL, 0, 0, 0}, {6, "paymentTermDays", K_SINT, L_OPTIONAL, 0, 0, 0},
    {7, "currency", K_STRING, L_OPTIONAL, 0, 0, 0}, {8, "vatRate", K_DECIMAL, L_OPTIONAL, 0, 0, 0},
    {9, "invoiceLanguage", K_STRING, L_OPTIONAL, 0, 0, 0}, {10, "reference", K_STRING, L_OPTIONAL, 0, 0, 0},
    {11, "invoiceTemplate", K_STRING, L_OPTIONAL, 0, 0, 0}, {12, "version", K_SINT, L_SINGULAR, 0, 0, 0},
    {13, "updatedAt", K_TIMESTAMP, L_OPTIONAL, 0, 0, 0}, {14, "updatedBy", K_MSG, L_OPTIONAL, &S_UserRef, 0, 0},
};
SCHEMA(S_CustomerSettings, "CustomerSettings", settings);

static const fdef contactref[] = {
    {1, "id", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "name", K_STRING, L_OPTIONAL, 0, 0, 0}, {3, "deleted", K_BOOL, L_SINGULAR, 0, 0, 0},
};
static SCHEMA(S_ContactRef, "ContactRef", contactref);

static const int64_t activity_kinds[] = {0, 1, 2, 3};
static const fdef activity[] = {
    {1, "id", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "customerId", K_SINT, L_SINGULAR, 0, 0, 0},
    {3, "kind", K_ENUM, L_SINGULAR, 0, activity_kinds, 4}, {4, "subject", K_STRING, L_SINGULAR, 0, 0, 0},
    {5, "dueDate", K_TIMESTAMP, L_OPTIONAL, 0, 0, 0}, {6, "startsAt", K_TIMESTAMP, L_OPTIONAL, 0, 0, 0},
    {7, "endsAt", K_TIMESTAMP, L_OPTIONAL, 0, 0, 0}, {8, "assignee", K_MSG, L_OPTIONAL, &S_UserRef, 0, 0},
    {9, "contact", K_MSG, L_OPTIONAL, &S_ContactRef, 0, 0}, {10, "done", K_BOOL, L_SINGULAR, 0, 0, 0},
    {11, "completedAt", K_TIMESTAMP, L_OPTIONAL, 0, 0, 0}, {12, "completedBy", K_MSG, L_OPTIONAL, &S_UserRef, 0, 0},
    {13, "projectId", K_SINT, L_OPTIONAL, 0, 0, 0}, {14, "projectName", K_STRING, L_OPTIONAL, 0, 0, 0},
    {15, "version", K_SINT, L_SINGULAR, 0, 0, 0}, {16, "createdAt", K_TIMESTAMP, L_SINGULAR, 0, 0, 0},
    {17, "createdBy", K_MSG, L_SINGULAR, &S_UserRef, 0, 0}, {18, "updatedAt", K_TIMESTAMP, L_SINGULAR, 0, 0, 0},
    {19, "updatedBy", K_MSG, L_SINGULAR, &S_UserRef, 0, 0}, {20, "timeZone", K_STRING, L_OPTIONAL, 0, 0, 0},
};
SCHEMA(S_Activity, "Activity", activity);

static const fdef fieldchange[] = {
    {1, "field", K_STRING, L_SINGULAR, 0, 0, 0}, {2, "oldValue", K_STRING, L_OPTIONAL, 0, 0, 0},
    {3, "newValue", K_STRING, L_OPTIONAL, 0, 0, 0}, {4, "erased", K_BOOL, L_SINGULAR, 0, 0, 0},
};
static SCHEMA(S_FieldChange, "FieldChange", fieldchange);

static const int64_t entities[] = {0, 1, 2, 3, 4, 5, 6, 7};
static const fdef changeevent[] = {
    {1, "sequence", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "kind", K_ENUM, L_SINGULAR, 0, entities, 8},
    {3, "action", K_STRING, L_SINGULAR, 0, 0, 0}, {4, "entityId", K_SINT, L_SINGULAR, 0, 0, 0},
    {5, "customerId", K_SINT, L_SINGULAR, 0, 0, 0}, {6, "at", K_TIMESTAMP, L_SINGULAR, 0, 0, 0},
    {7, "by", K_MSG, L_SINGULAR, &S_UserRef, 0, 0}, {8, "via", K_MSG, L_OPTIONAL, &S_UserRef, 0, 0},
    {9, "source", K_STRING, L_OPTIONAL, 0, 0, 0}, {10, "changes", K_MSG, L_REPEATED, &S_FieldChange, 0, 0},
    {11, "tombstone", K_BOOL, L_SINGULAR, 0, 0, 0}, {12, "contact", K_MSG, L_OPTIONAL, &S_ContactRef, 0, 0},
};
SCHEMA(S_ChangeEvent, "ChangeEvent", changeevent);

static const int64_t serving[] = {0, 1, 2, 3};
static const fdef health[] = {{1, "status", K_ENUM, L_SINGULAR, 0, serving, 4}};
SCHEMA(S_HealthCheckResponse, "HealthCheckResponse", health);

static const fdef errordetail[] = {{1, "field", K_STRING, L_SINGULAR, 0, 0, 0}, {2, "reason", K_STRING, L_SINGULAR, 0, 0, 0}};
static SCHEMA(S_ErrorDetail, "ErrorDetail", errordetail);
static const fdef statusdetails[] = {{1, "details", K_MSG, L_REPEATED, &S_ErrorDetail, 0, 0}};
SCHEMA(S_StatusDetails, "StatusDetails", statusdetails);

static const fdef bounds[] = {{1, "prunedThrough", K_SINT, L_SINGULAR, 0, 0, 0}, {2, "last", K_SINT, L_SINGULAR, 0, 0, 0}};
SCHEMA(S_FeedBoundsResponse, "FeedBoundsResponse", bounds);
