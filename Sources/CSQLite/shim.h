#include <sqlite3.h>

// Swift cannot call C variadic functions; these wrap the sqlite3_db_config calls we need.
static inline int customercard_sqlite3_db_config_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}
