import Foundation
import QamqorModels
import UserNotifications

/// Posts the gentle reminders the models say are due, as local notifications.
enum Reminders {
    /// Asks once for permission (when the person turns reminders on, or after onboarding).
    static func requestPermission() async -> Bool {
        (try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .sound])) ?? false
    }

    @MainActor
    static func post(_ reminders: [Reminder], app: AppModel, strings s: Localizer) async {
        guard !reminders.isEmpty else { return }
        let center = UNUserNotificationCenter.current()
        let allowed = await center.notificationSettings().authorizationStatus
        guard allowed == .authorized || allowed == .provisional else { return }
        for reminder in reminders {
            let content = UNMutableNotificationContent()
            content.title = s[reminder.titleKey]
            if let minutes = reminder.workedMinutes {
                content.body = s.format(reminder.bodyKey, s.hours(minutes: minutes))
            } else {
                content.body = s[reminder.bodyKey]
            }
            content.sound = nil // gentle: no sound
            try? await center.add(UNNotificationRequest(identifier: reminder.identifier, content: content, trigger: nil))
        }
        app.screens?.reminders.markDelivered(reminders)
    }
}
