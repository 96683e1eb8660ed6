// A VFS over another (the server's "unix-excl") that writes each WAL frame with one system call
// instead of two. SQLite writes a frame as its 24-byte header and then its page, two writes at
// consecutive offsets (wal.c, walWriteOneFrame); at 64 callers creating customers that was ~2 of
// a create's ~7 pwrite64 calls per frame (docs/performance/HISTORY.md, create17). Here the header of a
// WAL file is held back and goes out with the page that follows it, copied together into one
// buffer; any other call on the file writes a held header first, so no call of SQLite's sees a
// file without it. A frame is complete on disk (in the OS) when the page's write returns, as
// before: a commit is acknowledged only after its last frame's page is written, and a process
// killed between the header's write and the page's leaves no part of that frame, as if killed
// before the header (recovery stops at the first frame whose checksum fails either way).
//
// Static functions in this header are compiled into the one module that calls them (SQLiteEngine,
// through SQLiteLibrary), so there is one VFS and one set of methods.
#include <sqlite3.h>
#include <string.h>

typedef struct customercard_joining_file {
    sqlite3_file base;          // pMethods: customercard_joining_methods, or 0 when opening failed
    sqlite3_file *real;         // the wrapped VFS's file, in the bytes after this struct
    int joins;                  // a WAL file: its frame headers are held back
    int held;                   // a header is held: `header` at `heldOffset`
    sqlite3_int64 heldOffset;
    unsigned char header[24];
    unsigned char *joined;      // header and page, built for the one write; sqlite3_malloc'd
    int joinedCapacity;
} customercard_joining_file;

static inline customercard_joining_file *customercard_joining(sqlite3_file *file) {
    return (customercard_joining_file *)file;
}

// Writes a held header, if any.
static int customercard_joining_release(customercard_joining_file *file) {
    if (!file->held) return SQLITE_OK;
    file->held = 0;
    return file->real->pMethods->xWrite(file->real, file->header, 24, file->heldOffset);
}

static int customercard_joining_write(sqlite3_file *f, const void *data, int amount, sqlite3_int64 offset) {
    customercard_joining_file *file = customercard_joining(f);
    if (file->held && offset == file->heldOffset + 24 && amount > 0 && amount <= 65536) {
        if (file->joinedCapacity < 24 + amount) {
            unsigned char *buffer = sqlite3_realloc(file->joined, 24 + amount);
            if (!buffer) {
                int code = customercard_joining_release(file);
                return code != SQLITE_OK ? code : file->real->pMethods->xWrite(file->real, data, amount, offset);
            }
            file->joined = buffer;
            file->joinedCapacity = 24 + amount;
        }
        memcpy(file->joined, file->header, 24);
        memcpy(file->joined + 24, data, (size_t)amount);
        file->held = 0;
        return file->real->pMethods->xWrite(file->real, file->joined, 24 + amount, file->heldOffset);
    }
    int code = customercard_joining_release(file);
    if (code != SQLITE_OK) return code;
    if (file->joins && amount == 24) {
        memcpy(file->header, data, 24);
        file->heldOffset = offset;
        file->held = 1;
        return SQLITE_OK;
    }
    return file->real->pMethods->xWrite(file->real, data, amount, offset);
}

static int customercard_joining_close(sqlite3_file *f) {
    customercard_joining_file *file = customercard_joining(f);
    int released = customercard_joining_release(file);
    int code = file->real->pMethods->xClose(file->real);
    sqlite3_free(file->joined);
    file->joined = 0;
    file->joinedCapacity = 0;
    return released != SQLITE_OK ? released : code;
}

// Every other method writes a held header first and then is the wrapped file's.
#define CUSTOMERCARD_JOINING_FORWARD(name, signature, call) \
    static int customercard_joining_##name signature { \
        customercard_joining_file *file = customercard_joining(f); \
        int code = customercard_joining_release(file); \
        if (code != SQLITE_OK) return code; \
        return file->real->pMethods->call; \
    }
CUSTOMERCARD_JOINING_FORWARD(read, (sqlite3_file *f, void *data, int amount, sqlite3_int64 offset),
                             xRead(file->real, data, amount, offset))
CUSTOMERCARD_JOINING_FORWARD(truncate, (sqlite3_file *f, sqlite3_int64 size), xTruncate(file->real, size))
CUSTOMERCARD_JOINING_FORWARD(sync, (sqlite3_file *f, int flags), xSync(file->real, flags))
CUSTOMERCARD_JOINING_FORWARD(file_size, (sqlite3_file *f, sqlite3_int64 *size), xFileSize(file->real, size))
CUSTOMERCARD_JOINING_FORWARD(lock, (sqlite3_file *f, int level), xLock(file->real, level))
CUSTOMERCARD_JOINING_FORWARD(unlock, (sqlite3_file *f, int level), xUnlock(file->real, level))
CUSTOMERCARD_JOINING_FORWARD(check_reserved_lock, (sqlite3_file *f, int *out), xCheckReservedLock(file->real, out))
CUSTOMERCARD_JOINING_FORWARD(file_control, (sqlite3_file *f, int op, void *argument), xFileControl(file->real, op, argument))
CUSTOMERCARD_JOINING_FORWARD(shm_map, (sqlite3_file *f, int region, int size, int extend, void volatile **out),
                             xShmMap(file->real, region, size, extend, out))
CUSTOMERCARD_JOINING_FORWARD(shm_lock, (sqlite3_file *f, int offset, int n, int flags), xShmLock(file->real, offset, n, flags))
CUSTOMERCARD_JOINING_FORWARD(shm_unmap, (sqlite3_file *f, int deleting), xShmUnmap(file->real, deleting))
CUSTOMERCARD_JOINING_FORWARD(fetch, (sqlite3_file *f, sqlite3_int64 offset, int amount, void **out),
                             xFetch(file->real, offset, amount, out))
CUSTOMERCARD_JOINING_FORWARD(unfetch, (sqlite3_file *f, sqlite3_int64 offset, void *page), xUnfetch(file->real, offset, page))
#undef CUSTOMERCARD_JOINING_FORWARD

static int customercard_joining_sector_size(sqlite3_file *f) {
    sqlite3_file *real = customercard_joining(f)->real;
    return real->pMethods->xSectorSize(real);
}

static int customercard_joining_device_characteristics(sqlite3_file *f) {
    sqlite3_file *real = customercard_joining(f)->real;
    return real->pMethods->xDeviceCharacteristics(real);
}

static void customercard_joining_shm_barrier(sqlite3_file *f) {
    sqlite3_file *real = customercard_joining(f)->real;
    real->pMethods->xShmBarrier(real);
}

static const sqlite3_io_methods customercard_joining_methods = {
    3,
    customercard_joining_close,
    customercard_joining_read,
    customercard_joining_write,
    customercard_joining_truncate,
    customercard_joining_sync,
    customercard_joining_file_size,
    customercard_joining_lock,
    customercard_joining_unlock,
    customercard_joining_check_reserved_lock,
    customercard_joining_file_control,
    customercard_joining_sector_size,
    customercard_joining_device_characteristics,
    customercard_joining_shm_map,
    customercard_joining_shm_lock,
    customercard_joining_shm_barrier,
    customercard_joining_shm_unmap,
    customercard_joining_fetch,
    customercard_joining_unfetch,
};

#define CUSTOMERCARD_JOINING_REAL_OFFSET ((sizeof(customercard_joining_file) + 7) & ~(size_t)7)

static int customercard_joining_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *outFlags) {
    sqlite3_vfs *real = (sqlite3_vfs *)vfs->pAppData;
    customercard_joining_file *file = customercard_joining(f);
    memset(file, 0, sizeof(*file));
    file->real = (sqlite3_file *)((unsigned char *)f + CUSTOMERCARD_JOINING_REAL_OFFSET);
    int code = real->xOpen(real, name, file->real, flags, outFlags);
    if (code != SQLITE_OK) {
        // SQLite closes nothing whose pMethods is 0; the wrapped VFS cleaned up its own file.
        if (file->real->pMethods) file->real->pMethods->xClose(file->real);
        return code;
    }
    // The wrapped file must offer what SQLite asks of a WAL database (shared memory, fetch).
    if (file->real->pMethods->iVersion < 3) {
        file->real->pMethods->xClose(file->real);
        return SQLITE_CANTOPEN;
    }
    file->joins = (flags & SQLITE_OPEN_WAL) != 0;
    file->base.pMethods = &customercard_joining_methods;
    return SQLITE_OK;
}

static int customercard_joining_delete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    sqlite3_vfs *real = (sqlite3_vfs *)vfs->pAppData;
    return real->xDelete(real, name, syncDirectory);
}

static int customercard_joining_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    sqlite3_vfs *real = (sqlite3_vfs *)vfs->pAppData;
    return real->xAccess(real, name, flags, out);
}

static int customercard_joining_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    sqlite3_vfs *real = (sqlite3_vfs *)vfs->pAppData;
    return real->xFullPathname(real, name, size, out);
}

/// Registers "customercard-joining", a VFS over "unix-excl" whose WAL files write each frame with
/// one write. Call once, before the first connection opens with it. SQLITE_ERROR when SQLite has
/// no "unix-excl" (not a unix build).
static inline int customercard_sqlite3_register_joining_vfs(void) {
    // Inside the function: Swift's importer emits what the functions it calls use, not a
    // header's own global without an initializer.
    static sqlite3_vfs customercard_joining_vfs;
    sqlite3_vfs *real = sqlite3_vfs_find("unix-excl");
    if (!real) return SQLITE_ERROR;
    customercard_joining_vfs = *real;  // dlopen, randomness, sleep, time, syscalls: the wrapped VFS's
    customercard_joining_vfs.pNext = 0;
    customercard_joining_vfs.iVersion = real->iVersion < 3 ? real->iVersion : 3;
    customercard_joining_vfs.szOsFile = (int)(CUSTOMERCARD_JOINING_REAL_OFFSET + (size_t)real->szOsFile);
    customercard_joining_vfs.zName = "customercard-joining";
    customercard_joining_vfs.pAppData = real;
    customercard_joining_vfs.xOpen = customercard_joining_open;
    customercard_joining_vfs.xDelete = customercard_joining_delete;
    customercard_joining_vfs.xAccess = customercard_joining_access;
    customercard_joining_vfs.xFullPathname = customercard_joining_full_pathname;
    return sqlite3_vfs_register(&customercard_joining_vfs, 0);
}
