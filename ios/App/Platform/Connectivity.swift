import Foundation
import Network

/// Tells the sync model when the phone goes offline and comes back (NWPathMonitor).
final class Connectivity {
    private let monitor = NWPathMonitor()
    private let queue = DispatchQueue(label: "kz.qamqor.connectivity")
    private var started = false

    /// `onChange` is called on a background queue with whether a route to the internet exists.
    func start(_ onChange: @escaping @Sendable (Bool) -> Void) {
        guard !started else { return }
        started = true
        monitor.pathUpdateHandler = { path in
            onChange(path.status == .satisfied)
        }
        monitor.start(queue: queue)
    }
}
