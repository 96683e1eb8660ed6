import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one URLSession a ``RegistryDirectory`` shares among its providers, with the status and
/// decoding rules every registry answer goes through.
final class RegistryHTTPClient: Sendable {
    private let session: URLSession
    private let timeout: TimeInterval
    /// Where request deadlines fire. Not `DispatchQueue.global()`: on Linux that is the cooperative
    /// pool's own queue, and while its few threads are all busy a deadline could not fire at all;
    /// a serial queue is overcommitting (it gets a thread of its own when the others are busy).
    private static let timers = DispatchQueue(label: "customercard.registry-request-timers")

    init(timeout: Duration) {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        self.timeout = seconds
        // Ephemeral: no cookies, cache or credentials persist between lookups of different customers.
        let configuration = URLSessionConfiguration.ephemeral
        // swift-corelibs-foundation truncates these intervals to whole seconds (0.5 s fails at
        // once), so they are only a backstop a second later; `RequestTimer` enforces `timeout`.
        configuration.timeoutIntervalForRequest = seconds.rounded(.up) + 1
        configuration.timeoutIntervalForResource = seconds.rounded(.up) + 1
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// GETs `url` and returns the HTTP status and body; transport failures become `.unavailable`.
    func get(_ url: URL) async throws(RegistryError) -> (status: Int, body: Data) {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: timeout.rounded(.up) + 1)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        do {
            let (body, response) = try await perform(request)
            guard let http = response as? HTTPURLResponse else {
                throw RegistryError.badResponse(reason: "not an HTTP response", url: url.absoluteString)
            }
            return (http.statusCode, body)
        } catch let error as RegistryError {
            throw error
        } catch let error as URLError {
            throw .unavailable(reason: Self.describe(error, timeout: timeout), url: url.absoluteString)
        } catch is CancellationError {
            throw .unavailable(reason: "the lookup was cancelled", url: url.absoluteString)
        } catch {
            throw .unavailable(reason: String(describing: error), url: url.absoluteString)
        }
    }

    /// Runs one data task that is cancelled when `timeout` passes (failing as `URLError(.timedOut)`)
    /// or when the calling task is cancelled.
    private func perform(_ request: URLRequest) async throws -> (Data, URLResponse) {
        let timer = RequestTimer()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.dataTask(with: request) { data, response, error in
                    let timedOut = timer.finish()
                    if timedOut {
                        continuation.resume(throwing: URLError(.timedOut))
                    } else if let error {
                        continuation.resume(throwing: error)
                    } else if let data, let response {
                        continuation.resume(returning: (data, response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                timer.start(task)
                Self.timers.asyncAfter(deadline: .now() + timeout) { timer.expire() }
                task.resume()
            }
        } onCancel: {
            timer.cancel()
        }
    }

    /// A reason a person can act on, for the transport errors that matter here.
    static func describe(_ error: URLError, timeout: TimeInterval) -> String {
        switch error.code {
        case .timedOut: return "no answer within \(timeout) s (timed out)"
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "host not found"
        case .notConnectedToInternet, .networkConnectionLost: return "network connection lost"
        case .cancelled: return "the lookup was cancelled"
        default: return "\(error.localizedDescription) (URLError \(error.code.rawValue))"
        }
    }
}

/// How a registry's HTTP status is read before its body is.
enum RegistryStatus {
    /// Throws for every status but 200, by the rule shared by the registries:
    /// `notFoundStatuses` means unknown id, 429 and 5xx mean try later, anything else is unexpected.
    static func check(_ status: Int, id: String, url: URL, notFoundStatuses: [Int: String]) throws(RegistryError) {
        if status == 200 { return }
        if let detail = notFoundStatuses[status] {
            throw .notFound(id: id, url: url.absoluteString, detail: detail)
        }
        if status == 429 || (500...599).contains(status) {
            throw .unavailable(reason: "HTTP \(status)", url: url.absoluteString)
        }
        throw .badResponse(reason: "unexpected HTTP status \(status)", url: url.absoluteString)
    }

    /// Decodes a registry document, naming what was wrong with it.
    static func decode<T: Decodable>(_ type: T.Type, from body: Data, url: URL) throws(RegistryError) -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch let error as DecodingError {
            throw .badResponse(reason: describe(error), url: url.absoluteString)
        } catch {
            throw .badResponse(reason: String(describing: error), url: url.absoluteString)
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the document" : String(keys.dropFirst(keys.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "malformed JSON"
        case .dataCorrupted(let context):
            return "unreadable value at \(path(context))"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing \"\(key.stringValue)\"" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "expected \(type) at \(path(context))"
        @unknown default:
            return "unexpected shape"
        }
    }
}

/// The state one request shares between its completion, its deadline and task cancellation.
private final class RequestTimer: Sendable {
    private struct State {
        var task: URLSessionDataTask?
        var timedOut = false
        var finished = false
        var cancelled = false
    }

    private let state = Mutex(State())

    func start(_ task: URLSessionDataTask) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelled { task.cancel() }
    }

    /// Called by the completion handler; tells whether the deadline had cancelled the task.
    func finish() -> Bool {
        state.withLock { state in
            state.finished = true
            state.task = nil
            return state.timedOut
        }
    }

    func expire() {
        let task = state.withLock { state -> URLSessionDataTask? in
            guard !state.finished else { return nil }
            state.timedOut = true
            return state.task
        }
        task?.cancel()
    }

    func cancel() {
        let task = state.withLock { state -> URLSessionDataTask? in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}
