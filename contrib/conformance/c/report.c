/* One line per check, and the count of failures the exit status reports. */
#include <stdarg.h>
#include <stdio.h>

#include "ccrp.h"

unsigned long failures, passes, quiet_passes;

static void fail(const char *what, const char *fmt, va_list ap) {
    failures++;
    printf("FAIL - %s%s", what, what[0] ? ": " : "");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
}

int check(int cond, const char *what, const char *fmt, ...) {
    if (cond) {
        passes++;
        printf("ok - %s\n", what);
        fflush(stdout);
    } else {
        va_list ap;
        va_start(ap, fmt);
        fail(what, fmt, ap);
        va_end(ap);
    }
    return cond;
}

int quiet_check(int cond, const char *fmt, ...) {
    if (cond) {
        quiet_passes++;
        return 1;
    }
    va_list ap;
    va_start(ap, fmt);
    fail("", fmt, ap);
    va_end(ap);
    return 0;
}
