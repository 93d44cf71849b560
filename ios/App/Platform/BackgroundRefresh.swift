import BackgroundTasks
import Foundation

/// The background app refresh that syncs on a schedule (the identifier is listed in Info.plist
/// under BGTaskSchedulerPermittedIdentifiers; SwiftUI's `.backgroundTask(.appRefresh)` runs it).
enum BackgroundRefresh {
    static let identifier = "kz.qamqor.app.refresh"

    /// Asks for a refresh in about an hour (the system decides when, from the person's habits).
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: identifier)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 60 * 60)
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Refused in the simulator and when background refresh is off: sync then happens
            // when the app opens or the connection returns.
        }
    }

    static func cancel() {
        BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: identifier)
    }
}
