#include <sqlite3.h>
#include "joining_vfs.h"
#include "thread_cached_malloc.h"

// Swift cannot call C variadic functions; these wrap the sqlite3_db_config calls we need.
static inline int customercard_sqlite3_db_config_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}

// Before the library initializes (the first sqlite3_open does that): no global allocation
// statistics. Counting them takes one process-wide mutex per sqlite3_malloc and sqlite3_free,
// which the threads reading at once contended on (the larger part of the server's futex calls
// per get at 16 connections, perf record). SQLITE_MISUSE once the library is initialized.
static inline int customercard_sqlite3_config_no_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
