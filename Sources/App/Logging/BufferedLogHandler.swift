import Foundation
import Logging
import Synchronization

/// A swift-log handler that writes lines like `StreamLogHandler` does, but gathers them in memory and
/// writes them with one `write(2)` every 100 ms (or at 64 KiB), instead of one per line: under load the
/// access log otherwise costs as many system calls as the responses themselves. Warnings and errors
/// are written at once. At most 100 ms of info lines are lost if the process is killed.
public struct BufferedLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let sink: LogSink

    public init(label: String, sink: LogSink = .standardOutput) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = sink.timestamp()
        line += " \(event.level) \(label):"
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        line += " [\(event.source)] \(event.message)\n"
        sink.append(line, urgent: event.level >= .warning)
    }
}

/// Where buffered log lines go: a file descriptor, flushed by a timer.
public final class LogSink: Sendable {
    public static let standardOutput = LogSink(fileDescriptor: 1)

    private struct State {
        var buffer: [UInt8] = []
        var second = 0
        var stamp = ""
    }

    private let fileDescriptor: Int32
    private let state = Mutex(State())
    // Set once in init and only cancelled after; DispatchSource is thread-safe but not marked Sendable.
    private nonisolated(unsafe) let timer: DispatchSourceTimer
    private static let flushThreshold = 64 * 1024

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "velkommen.log-flush"))
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100), leeway: .milliseconds(20))
        timer.setEventHandler { [weak self] in self?.flush() }
        timer.activate()
    }

    deinit { timer.cancel() }

    func append(_ line: String, urgent: Bool) {
        let full = state.withLock { state -> Bool in
            state.buffer.append(contentsOf: line.utf8)
            return urgent || state.buffer.count >= Self.flushThreshold
        }
        if full { flush() }
    }

    /// Writes out what is buffered; call before the process exits.
    public func flush() {
        let bytes = state.withLock { state -> [UInt8] in
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return state.buffer
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fileDescriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// `2026-11-25T07:48:03+0000`, formatted once per second.
    func timestamp() -> String {
        var now = time(nil)
        return state.withLock { state in
            if state.second != now {
                var parts = tm()
                localtime_r(&now, &parts)
                var buffer = [CChar](repeating: 0, count: 32)
                let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
                state.stamp = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                state.second = now
            }
            return state.stamp
        }
    }
}
