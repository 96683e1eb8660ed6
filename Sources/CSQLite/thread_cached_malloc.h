// SQLite's allocator (SQLITE_CONFIG_MALLOC) with a small per-thread cache of freed blocks in front
// of malloc(3). Every read statement copies each text column it returns into a register that it
// mallocs on the step and frees when the statement is reset (vdbe.c, OP_Column; vdbeaux.c,
// releaseMemArray), and its cursors likewise: ~13 sqlite3_malloc and as many sqlite3_free a get. The
// lookaside allocator that would keep them is compiled out of Debian's library (OMIT_LOOKASIDE),
// and glibc's own per-thread cache holds 7 blocks a size, so many of these frees took
// `_int_free`'s slower path (callgrind, docs/performance/HISTORY.md "server19").
//
// Blocks of up to 1 024 bytes are rounded up to one of six sizes (32 to 1 024, powers of two); a
// freed one goes on its size's list in the freeing thread's cache, which holds at most
// `customercard_tcm_budget` bytes, and the next allocation of that size on that thread takes it
// back. Larger blocks, and any block a thread's full cache cannot take, go to malloc and free as
// SQLite's default allocator does. Each block carries its size in the 8 bytes before it (as the
// default's do), so a block may be freed by another thread than the one that allocated it: it
// then joins the freeing thread's cache. A thread's cache is freed with it (a pthread key's
// destructor). Nothing here takes a lock: a cache is only ever touched by its own thread.
//
// Static functions in this header are compiled into the one module that calls them (SQLiteEngine,
// through SQLiteLibrary), so there is one set of methods and one key.
#include <sqlite3.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum {
    customercard_tcm_classes = 6,               // 32, 64, 128, 256, 512, 1 024 bytes
    customercard_tcm_largest = 1024,
    customercard_tcm_budget = 16 * 1024,        // bytes one thread keeps at most
};

typedef struct customercard_tcm_cache {
    void *heads[customercard_tcm_classes];      // freed blocks by size, linked through their first 8 bytes
    size_t bytes;                               // of all of them
} customercard_tcm_cache;

// The key of the threads' caches; `keyed` is set once by xInit, under SQLite's initialization
// mutex. Inside a function: the importer emits no definition of a file-scope static.
typedef struct customercard_tcm_threads {
    pthread_key_t key;
    int keyed;
} customercard_tcm_threads;

static inline customercard_tcm_threads *customercard_tcm_threads_key(void) {
    static customercard_tcm_threads threads;
    return &threads;
}

// The size class of a rounded size of at most `customercard_tcm_largest`.
static inline int customercard_tcm_class(sqlite3_int64 size) {
    return size <= 32 ? 0 : (64 - __builtin_clzll((unsigned long long)(size - 1))) - 5;
}

static int customercard_tcm_roundup(int n) {
    if (n <= 32) return 32;
    if (n <= customercard_tcm_largest) return 1 << (customercard_tcm_class(n) + 5);
    return (n + 7) & ~7;
}

static void customercard_tcm_empty(customercard_tcm_cache *cache) {
    for (int c = 0; c < customercard_tcm_classes; c++) {
        void *block = cache->heads[c];
        while (block) {
            void *next = *(void **)block;
            free((sqlite3_int64 *)block - 1);
            block = next;
        }
    }
    free(cache);
}

// This thread's cache pointer and whether its destructor ran; thread-local, read directly on
// every call (pthread_getspecific cost ~17 instructions a call, ~26 calls a get). The key only
// frees the cache with its thread.
typedef struct customercard_tcm_slot {
    customercard_tcm_cache *cache;
    int gone;
} customercard_tcm_slot;

static inline customercard_tcm_slot *customercard_tcm_slot_of_thread(void) {
    static __thread customercard_tcm_slot slot;
    return &slot;
}

static void customercard_tcm_release(void *stored) {
    customercard_tcm_slot *slot = customercard_tcm_slot_of_thread();
    slot->cache = 0;
    slot->gone = 1;
    customercard_tcm_empty((customercard_tcm_cache *)stored);
}

// This thread's cache; created only when `create` (an allocation), so a thread that merely frees,
// or one being torn down (its destructor ran), passes its blocks to free(3).
static inline customercard_tcm_cache *customercard_tcm_cache_of_thread(int create) {
    customercard_tcm_slot *slot = customercard_tcm_slot_of_thread();
    if (slot->cache || !create || slot->gone) return slot->cache;
    customercard_tcm_threads *threads = customercard_tcm_threads_key();
    if (!threads->keyed) return 0;
    customercard_tcm_cache *cache = (customercard_tcm_cache *)calloc(1, sizeof(customercard_tcm_cache));
    if (!cache) return 0;
    if (pthread_setspecific(threads->key, cache) != 0) {
        free(cache);
        slot->gone = 1;  // no destructor would free a cache: this thread keeps none
        return 0;
    }
    slot->cache = cache;
    return cache;
}

static void *customercard_tcm_malloc(int n) {
    if (n < 0) return 0;
    sqlite3_int64 size = customercard_tcm_roundup(n);
    if (size <= customercard_tcm_largest) {
        customercard_tcm_cache *cache = customercard_tcm_cache_of_thread(1);
        int c = customercard_tcm_class(size);
        if (cache && cache->heads[c]) {
            void *block = cache->heads[c];
            cache->heads[c] = *(void **)block;
            cache->bytes -= (size_t)size;
            return block;
        }
    }
    sqlite3_int64 *stored = (sqlite3_int64 *)malloc((size_t)size + 8);
    if (!stored) return 0;
    stored[0] = size;
    return stored + 1;
}

static int customercard_tcm_size(void *block) {
    return block ? (int)((sqlite3_int64 *)block)[-1] : 0;
}

static void customercard_tcm_free(void *block) {
    if (!block) return;
    sqlite3_int64 size = ((sqlite3_int64 *)block)[-1];
    if (size <= customercard_tcm_largest) {
        customercard_tcm_cache *cache = customercard_tcm_cache_of_thread(0);
        if (cache && cache->bytes + (size_t)size <= customercard_tcm_budget) {
            int c = customercard_tcm_class(size);
            *(void **)block = cache->heads[c];
            cache->heads[c] = block;
            cache->bytes += (size_t)size;
            return;
        }
    }
    free((sqlite3_int64 *)block - 1);
}

// SQLite keeps `block` when this fails (returns 0), as realloc(3) does.
static void *customercard_tcm_realloc(void *block, int n) {
    if (!block) return customercard_tcm_malloc(n);
    if (n < 0) return 0;
    sqlite3_int64 old = ((sqlite3_int64 *)block)[-1];
    sqlite3_int64 size = customercard_tcm_roundup(n);
    if (size == old) return block;
    if (old > customercard_tcm_largest && size > customercard_tcm_largest) {
        sqlite3_int64 *stored = (sqlite3_int64 *)realloc((sqlite3_int64 *)block - 1, (size_t)size + 8);
        if (!stored) return 0;
        stored[0] = size;
        return stored + 1;
    }
    void *moved = customercard_tcm_malloc(n);
    if (!moved) return 0;
    memcpy(moved, block, (size_t)(old < size ? old : size));
    customercard_tcm_free(block);
    return moved;
}

static int customercard_tcm_init(void *unused) {
    (void)unused;
    customercard_tcm_threads *threads = customercard_tcm_threads_key();
    if (!threads->keyed && pthread_key_create(&threads->key, customercard_tcm_release) == 0) {
        threads->keyed = 1;
    }
    return SQLITE_OK;  // without a key every block goes to malloc and free: slower, not wrong
}

static void customercard_tcm_shutdown(void *unused) {
    (void)unused;  // the key stays: a block freed later still finds its thread's cache
}

// Before the library initializes: SQLITE_MISUSE once it has (the default allocator then stays).
static inline int customercard_sqlite3_config_thread_cached_malloc(void) {
    static const sqlite3_mem_methods methods = {
        customercard_tcm_malloc, customercard_tcm_free, customercard_tcm_realloc, customercard_tcm_size,
        customercard_tcm_roundup, customercard_tcm_init, customercard_tcm_shutdown, 0,
    };
    return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}
