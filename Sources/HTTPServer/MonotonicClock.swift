#if canImport(Glibc)
import Glibc
#endif

/// Readings of the monotonic clock: deadlines in milliseconds (coarse and cheap), durations in
/// microseconds.
enum MonotonicClock {
    static func milliseconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &spec)
        return Int(spec.tv_sec) * 1000 + Int(spec.tv_nsec) / 1_000_000
    }

    static func microseconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int(spec.tv_sec) * 1_000_000 + Int(spec.tv_nsec) / 1000
    }

    /// Wall-clock seconds since 1970, for the `Date` header.
    static func wallSeconds() -> Int { Int(time(nil)) }
}
