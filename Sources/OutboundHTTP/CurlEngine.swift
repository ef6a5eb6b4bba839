import CCurl
import Glibc
import Synchronization

/// One curl multi handle and the one thread that drives it: transfers are handed over through an
/// inbox and a `curl_multi_wakeup`, run side by side on shared connections, and answered from this
/// thread. Nothing else touches the multi handle.
final class CurlEngine: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private struct Inbox {
        var adds: [CurlTransfer] = []
        var cancels: [CurlTransfer] = []
        var stopping = false
        /// The multi handle is gone: nobody may wake it any more.
        var closed = false
    }
    private let inbox = Mutex(Inbox())
    /// The engine thread's: the transfers inside the multi handle, by easy handle.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init?(maxCachedConnections: Int) {
        guard OutboundClient.curlReady, let multi = curl_multi_init() else { return nil }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCachedConnections)
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                let engine = Unmanaged<CurlEngine>.fromOpaque(context!).takeRetainedValue()
                engine.run()
                return nil
            }, Unmanaged.passRetained(self).toOpaque())
        guard started == 0 else {
            Unmanaged.passUnretained(self).release()
            curl_multi_cleanup(multi)
            return nil
        }
        pthread_detach(thread)
    }

    // The wake-ups happen under the inbox's lock, so none can reach a multi handle the thread has
    // already cleaned up.

    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.adds.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted { transfer.finish(.failure(.cancelled)) }
    }

    func cancel(_ transfer: CurlTransfer) {
        inbox.withLock { inbox in
            guard !inbox.closed else { return }
            inbox.cancels.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    /// Ends the thread: every transfer still running is answered `.cancelled`.
    func stop() {
        inbox.withLock { inbox in
            inbox.stopping = true
            if !inbox.closed { curl_multi_wakeup(multi) }
        }
    }

    private func run() {
        while true {
            let (adds, cancels, stopping) = inbox.withLock { inbox in
                defer {
                    inbox.adds = []
                    inbox.cancels = []
                }
                return (inbox.adds, inbox.cancels, inbox.stopping)
            }
            for transfer in adds where !transfer.isCancelled {
                if curl_multi_add_handle(multi, transfer.easy) == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    transfer.finish(.failure(.failed(code: -1, reason: "curl_multi_add_handle failed")))
                }
            }
            for transfer in cancels where active.removeValue(forKey: transfer.easy) != nil {
                curl_multi_remove_handle(multi, transfer.easy)
            }
            if stopping { break }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                // Read before the handle leaves: the message belongs to it.
                let result = ccurl_message_result(message)
                guard result >= 0, let easy = message.pointee.easy_handle else { continue }
                curl_multi_remove_handle(multi, easy)
                active.removeValue(forKey: easy)?.complete(CURLcode(rawValue: UInt32(result)))
            }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
        for (easy, transfer) in active {
            curl_multi_remove_handle(multi, easy)
            transfer.finish(.failure(.cancelled))
        }
        active = [:]
        let late = inbox.withLock { inbox in
            inbox.closed = true
            defer { inbox.adds = [] }
            return inbox.adds
        }
        for transfer in late { transfer.finish(.failure(.cancelled)) }
        curl_multi_cleanup(multi)
    }
}
