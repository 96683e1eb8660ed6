import CSQLite
import Foundation
import TestSupport
import Testing
@testable import SQLiteEngine

/// SQLite's allocator with a per-thread cache of freed blocks (Sources/CSQLite/thread_cached_malloc.h).
@Suite struct ThreadCachedMallocTests {
    /// Installed before the library initialized: small blocks come in its six sizes, and one freed
    /// is the next of its size this thread allocates (a read's text registers, freed at each reset,
    /// are allocated again at the next step), larger ones as asked (rounded to 8 bytes).
    @Test func smallBlocksComeInSizesAndAFreedOneIsReusedByItsThread() async throws {
        // On a thread of its own: the first use initializes the library (under its mutex).
        #expect(await onThread { SQLiteLibrary.configured } == SQLITE_OK)
        let sizes = await onThread { () -> [Int32] in
            ([1, 32, 33, 64, 100, 200, 300, 600, 1_000, 1_025, 5_000] as [Int32]).map { bytes -> Int32 in
                let block = sqlite3_malloc(bytes)
                defer { sqlite3_free(block) }
                return Int32(sqlite3_msize(block))
            }
        }
        #expect(sizes == [32, 32, 64, 64, 128, 256, 512, 1_024, 1_024, 1_032, 5_000])
        let reused = await onThread { () -> Bool in
            let first = sqlite3_malloc(40)
            sqlite3_free(first)
            let second = sqlite3_malloc(60)  // another size to malloc(3), the same size here
            defer { sqlite3_free(second) }
            return first != nil && first == second
        }
        #expect(reused)
    }

    /// Blocks freed on another thread than the one that allocated them, and grown or shrunk across
    /// sizes and beyond the cached ones, keep their bytes; a thread's cache, bounded, never hands
    /// out one block twice (every live block is filled with its own byte and checked at its end).
    @Test func blocksKeepTheirBytesAcrossThreadsAndReallocation() async throws {
        let count = 4_000
        let allocated = await onThread { () -> [UInt] in
            _ = SQLiteLibrary.configured
            return (0..<count).map { index -> UInt in
                let bytes = Int32(1 + index % 1_500)
                guard let block = sqlite3_malloc(bytes) else { return 0 }
                memset(block, Int32(index % 251), Int(bytes))
                return UInt(bitPattern: block)
            }
        }
        #expect(!allocated.contains(0))
        let intact = await onThread { () -> Int in
            var intact = 0
            var live: [(UnsafeMutableRawPointer, Int, UInt8)] = []
            for (index, address) in allocated.enumerated() {
                guard let block = UnsafeMutableRawPointer(bitPattern: address) else { continue }
                let bytes = 1 + index % 1_500
                let fill = UInt8(index % 251)
                let same = (0..<bytes).allSatisfy { block.load(fromByteOffset: $0, as: UInt8.self) == fill }
                // Every other block grows or shrinks (across sizes, into and out of the large ones).
                if index % 2 == 0, let moved = sqlite3_realloc(block, Int32(1 + (index * 7) % 3_000)) {
                    let kept = min(bytes, 1 + (index * 7) % 3_000)
                    let still = (0..<kept).allSatisfy { moved.load(fromByteOffset: $0, as: UInt8.self) == fill }
                    if same && still { intact += 1 }
                    sqlite3_free(moved)
                } else {
                    if same { intact += 1 }
                    sqlite3_free(block)
                }
                // Blocks from this thread's cache, filled and kept until the end: none is handed out twice.
                if index % 3 == 0, let fresh = sqlite3_malloc(Int32(1 + index % 900)) {
                    let fillFresh = UInt8((index + 1) % 251)
                    memset(fresh, Int32(fillFresh), 1 + index % 900)
                    live.append((fresh, 1 + index % 900, fillFresh))
                }
            }
            for (block, bytes, fill) in live {
                if !(0..<bytes).allSatisfy({ block.load(fromByteOffset: $0, as: UInt8.self) == fill }) { intact -= 1 }
                sqlite3_free(block)
            }
            return intact
        }
        #expect(intact == count)
    }
}
