#if canImport(Glibc)
import CMalloc
import Foundation
import Glibc

/// glibc's malloc gives threads that allocate at the same time arenas of their own, up to eight per
/// core, and memory freed in one arena is reused only there. The server's threads (event loops, the
/// concurrency pool, the database queues, then URLSession's) each ended up with one: the soak saw 16 arenas
/// holding 12 MiB for 7 MiB in use, and RSS creeping up as each arena's free space grew on its own.
/// One arena per core (two at the least) cost no throughput we could measure on the welcome page or
/// the soak's mix (both within this machine's noise) and took the soak's peak RSS from 57.9 to 54 MiB.
enum MallocArenas {
    /// Call before the server starts its threads. `MALLOC_ARENA_MAX` in the environment wins.
    static func limitToOnePerCore() {
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        _ = mallopt(M_ARENA_MAX, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
    }
}
#else
enum MallocArenas {
    static func limitToOnePerCore() {}
}
#endif
