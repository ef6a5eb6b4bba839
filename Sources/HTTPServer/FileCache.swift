import Synchronization

/// Small static files kept in memory for a short while, as nginx's `open_file_cache` does: serving a
/// file from disk costs a `realpath` (a `lstat` per path segment), an open, a stat and a read on every
/// request, which made a 1 KB stylesheet slower than a rendered page. A change on disk is seen once
/// the entry is older than `freshFor`; missing files are not kept, so a new file is seen at once.
final class FileCache: Sendable {
    private struct Entry {
        var file: FileSnapshot
        var loadedAt: Int
    }

    /// How long a loaded file is served without looking at the disk, in milliseconds.
    let freshForMilliseconds: Int
    /// Larger files are read from disk every time (they are rare and their bytes dominate anyway).
    let maxFileBytes: Int
    /// Bounds the table against a flood of distinct names; a full table starts over.
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(freshForMilliseconds: Int = 1000, maxFileBytes: Int = 256 * 1024, capacity: Int = 1024) {
        self.freshForMilliseconds = freshForMilliseconds
        self.maxFileBytes = maxFileBytes
        self.capacity = capacity
    }

    var count: Int { entries.withLock { $0.count } }

    /// The file at `relativePath`, from memory when loaded less than `freshFor` ago, else from `load`.
    func file(_ relativePath: String, now: Int = MonotonicClock.milliseconds(), load: () -> FileSnapshot?) -> FileSnapshot? {
        if let entry = entries.withLock({ $0[relativePath] }), now - entry.loadedAt < freshForMilliseconds { return entry.file }
        guard let file = load() else {
            entries.withLock { _ = $0.removeValue(forKey: relativePath) }
            return nil
        }
        guard file.contents.count <= maxFileBytes else { return file }
        entries.withLock { entries in
            if entries.count >= capacity, entries[relativePath] == nil { entries.removeAll(keepingCapacity: true) }
            entries[relativePath] = Entry(file: file, loadedAt: now)
        }
        return file
    }
}
